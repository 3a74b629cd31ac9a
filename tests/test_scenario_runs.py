"""Scenario runs recorded in the close history and compared week by week, by hand.

The close is the hand-computed one of test_scenarios_overlays.py (M10; FOT ACUTE1 4,140,
ACUTE2 2,260, ICB -1,200; targets -500, -1,000, 0). Both weeks' files put every register
item at a likelihood of 0 or 100, so every Monte Carlo iteration ends at the likely case:
P10 = P50 = P90 = likely whatever the draws, and these tests do not depend on them.

Week 1 (plan-b): R1 at 100%, R2 off, M1 at 100%, M2 at 0%, R3 at 100%; agency off framework
10% cheaper at ACUTE1 (+6); a strike at ACUTE1 costing 1,000 with 400 funded (-600).
  ACUTE1 FOT 4,140 + 6 - 600 = 3,546; likely 3,546 - 400 (R1) + 150 (M1) = 3,296.
  ACUTE2 FOT 2,260; likely 2,260 (M2 at 0%).   ICB FOT -1,200; likely -1,200 - 300 = -1,500.
  ICS FOT 4,606; likely 4,056.
Week 2: R1 re-valued to 500; R2 back on at 0%; M2 at 100% and delivered; a new ICB
mitigation N1 of 250 at 100%; the agency cut dropped; the strike as 2 days at 450 a day,
100 a day funded (-700); the seed changed.
  ACUTE1 FOT 4,140 - 700 = 3,440; likely 3,440 - 500 + 150 = 3,090.
  ACUTE2 likely 2,260 + 200 = 2,460.   ICB likely -1,200 - 300 + 250 = -1,250.
  ICS FOT 4,500; likely 4,300.
Movements: ACUTE1 FOT -106, likely -206; ACUTE2 likely +200; ICB likely +250 (further
mitigations 1,500 -> 1,250: -250); ICS FOT -106, likely +244.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmodel.cli import app
from finmodel.jobs.scenario import recorded_run, run_scenarios, summary_from_json, summary_to_json
from finmodel.results import results_from_json, results_to_json
from finmodel.scenarios.cases import standard_cases
from finmodel.scenarios.compare import ICS, FileChange, compare_runs
from finmodel.scenarios.file import parse_scenario
from finmodel.store import open_store
from finmodel.system_config import parse_system
from tests.builders import TINY_SYSTEM
from tests.test_store import make_record
from tests.test_scenarios_overlays import RESULTS

P = 100
WEEK_1 = """name: plan-b
register:
  R1: {likelihood: 100}
  R2: {include: false}
  M1: {likelihood: 100}
  M2: {likelihood: 0}
  R3: {likelihood: 100}
agency_rate_card: [{change_pct: -10, from_month: 11, providers: [ACUTE1], framework: "off"}]
industrial_action: [{org: ACUTE1, month: 12, cost: 1_000, funding: 400}]
monte_carlo: {iterations: 50, seed: 1}
"""
WEEK_2 = """name: plan-b
register:
  R1: {likelihood: 100, value: 500}
  R2: {likelihood: 0}
  M1: {likelihood: 100}
  M2: {likelihood: 100, status: delivered}
  R3: {likelihood: 100}
new_items:
  - {id: N1, org: ICB, type: mitigation, category: phc, value: 250, likelihood: 100, status: delivered}
industrial_action: [{org: ACUTE1, month: 12, days: 2, cost_per_day: 450, funding_per_day: 100}]
monte_carlo: {iterations: 50, seed: 2}
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path) -> str:
    """A close history holding the hand-computed close, on each backend."""
    location = str(tmp_path / "finmodel.db") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    with open_store(location) as store:
        store.record_close(make_record(system_name="Tiny ICS", system_yaml=TINY_SYSTEM, results_json=results_to_json(RESULTS)))
    return location


def _run(db: str, tmp_path: Path, text: str, compare_with: str | None = None, when: str = "2024-02-19T10:00:00Z"):
    path = tmp_path / "plan-b.yaml"
    path.write_text(text, encoding="utf-8")
    done = run_scenarios([path], db, tmp_path / "outputs", compare_with=compare_with, run_at=when)
    assert done.ok, (done.findings, done.not_found)
    return done


def _two_weeks(db: str, tmp_path: Path):
    first = _run(db, tmp_path, WEEK_1, compare_with="last")
    assert first.not_compared == ("plan-b",) and first.comparisons == ()
    second = _run(db, tmp_path, WEEK_2, compare_with="last", when="2024-02-26T10:00:00Z")
    return first, second


def test_every_run_is_recorded_and_reads_back_as_it_was_shown(db: str, tmp_path: Path) -> None:
    first, second = _two_weeks(db, tmp_path)
    with open_store(db) as store:
        runs = store.scenario_runs()
    assert [r.run_id for r in runs] == [first.runs[0].run_id, second.runs[0].run_id]
    week_1 = runs[0]
    assert (week_1.name, week_1.file_name, week_1.file_text, week_1.seed, week_1.iterations) == (
        "plan-b", "plan-b.yaml", WEEK_1, 1, 50)
    assert (week_1.year, week_1.month, week_1.close_version, week_1.run_at) == ("2023/24", 10, 1, "2024-02-19T10:00:00Z")
    assert summary_from_json(week_1.summary_json) == first.summaries[0]
    rows = {r.row: r for r in first.summaries[0].rows}
    assert (rows["ACUTE1"].base_fot, rows["ACUTE1"].likely, rows[ICS].base_fot, rows[ICS].likely) == (
        3_546 * P, 3_296 * P, 4_606 * P, 4_056 * P)
    assert rows[ICS].p10 == rows[ICS].p50 == rows[ICS].p90 == 4_056 * P


def test_a_run_is_traced_back_to_its_stored_file_text(tmp_path: Path) -> None:
    """Re-running the stored text on the stored close reproduces the stored results byte for byte."""
    location = str(tmp_path / "finmodel.db")
    with open_store(location) as store:
        store.record_close(make_record(system_yaml=TINY_SYSTEM, results_json=results_to_json(RESULTS)))
    _run(location, tmp_path, WEEK_2)
    (tmp_path / "plan-b.yaml").unlink()  # the file is gone: the history holds its text
    with open_store(location) as store:
        (run,) = store.scenario_runs()
        close = next(c for c in store.history() if c.close_id == run.close_id)
    scenario, findings = parse_scenario(run.file_text, run.file_name, run.file_sha256)
    system, _ = parse_system(close.system_yaml)
    assert scenario is not None and findings == [] and system is not None
    again = standard_cases(results_from_json(close.results_json), system, scenario)
    assert summary_to_json(again) == run.summary_json
    assert again.file_sha256 == run.file_sha256 and (again.seed, again.iterations) == (run.seed, run.iterations)


def test_nothing_is_recorded_when_a_file_has_errors(tmp_path: Path) -> None:
    location = str(tmp_path / "finmodel.db")
    with open_store(location) as store:
        store.record_close(make_record(system_yaml=TINY_SYSTEM, results_json=results_to_json(RESULTS)))
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(WEEK_1, encoding="utf-8")
    bad.write_text("register: {NOPE: {include: false}}\n", encoding="utf-8")  # fits the file, not the close
    done = run_scenarios([good, bad], location, tmp_path / "outputs")
    assert not done.ok and [f.kind for f in done.findings] == ["unknown_item"]
    missing = run_scenarios([good], location, tmp_path / "outputs", compare_with="99")
    assert missing.not_found.startswith("No scenario run 99")
    with open_store(location) as store:
        assert store.scenario_runs() == []
    assert not (tmp_path / "outputs").exists()


def test_two_runs_compare_by_hand(db: str, tmp_path: Path) -> None:
    _, second = _two_weeks(db, tmp_path)
    (comparison,) = second.comparisons
    moved = {(m.row, m.measure): m.change for m in comparison.movements}
    assert moved[("ACUTE1", "scenario_fot")] == -106 * P and moved[("ACUTE1", "likely")] == -206 * P
    assert moved[("ACUTE2", "scenario_fot")] == 0 and moved[("ACUTE2", "likely")] == 200 * P
    assert moved[("ICB", "likely")] == 250 * P and moved[("ICB", "further_required_likely")] == -250 * P
    assert moved[("ICB", "probability_meeting_target")] == 0
    assert (moved[(ICS, "scenario_fot")], moved[(ICS, "likely")]) == (-106 * P, 244 * P)
    assert moved[(ICS, "p10")] == moved[(ICS, "p50")] == moved[(ICS, "p90")] == 244 * P
    assert comparison.movement(ICS, "likely").before == 4_056 * P and comparison.movement(ICS, "likely").after == 4_300 * P
    # The likely case's movement step by step: the agency cut dropped (-6), the strike dearer
    # (-100), the register changes (+350 = R1 -100, M2 +200, N1 +250); they add up to +244.
    steps = {s.step: dict(s.amounts) for s in comparison.likely_bridge}
    assert steps["close_fot"] == {"ACUTE1": 0, "ACUTE2": 0, "ICB": 0, ICS: 0}
    assert steps["agency_rate_card"][ICS] == -6 * P and steps["industrial_action"][ICS] == -100 * P
    assert steps["register_change"] == {"ACUTE1": -100 * P, "ACUTE2": 200 * P, "ICB": 250 * P, ICS: 350 * P}
    assert sum(s[ICS] for s in steps.values()) == moved[(ICS, "likely")]
    for org in ("ACUTE1", "ACUTE2", "ICB"):
        assert sum(s[org] for s in steps.values()) == moved[(org, "likely")]


def test_the_file_bridge_lists_what_the_file_changed(db: str, tmp_path: Path) -> None:
    _, second = _two_weeks(db, tmp_path)
    (comparison,) = second.comparisons
    assert comparison.file_changes == (
        FileChange("re_assessed", "item M2", "likelihood 0% to 100%, status as registered to delivered"),
        FileChange("added", "item N1", "new mitigation at ICB, £250 at 100%"),
        FileChange("re_valued", "item R1", "value as registered to £500"),
        FileChange("added", "item R2", "switched back on (likelihood 0%)"),
        FileChange("removed", "agency_rate_card", 'change_pct -10, from_month 11, providers ["ACUTE1"], framework off'),
        FileChange("changed", "industrial_action", "cost £1,000 to not set, funding £400 to not set, days not set to 2, "
                   "cost_per_day not set to £450, funding_per_day not set to £100"),
        FileChange("changed", "monte_carlo", "seed 1 to 2"),
    )
    assert "The Monte Carlo seed or iterations differ" in " ".join(comparison.notes)
    assert second.written[-1].name == f"plan-b-vs-run-{comparison.before.run_id}.xlsx" and second.written[-1].is_file()


def test_a_removed_item_and_the_same_file(tmp_path: Path) -> None:
    """The bridge the other way round, and a file compared with itself (pure, from the records)."""
    location = str(tmp_path / "finmodel.db")
    with open_store(location) as store:
        store.record_close(make_record(system_yaml=TINY_SYSTEM, results_json=results_to_json(RESULTS)))
    first, second = _two_weeks(location, tmp_path)
    with open_store(location) as store:
        week_1, week_2 = (recorded_run(r) for r in store.scenario_runs())
    back = compare_runs(week_2, week_1)
    assert FileChange("removed", "item N1", "no longer a new mitigation") in back.file_changes
    assert FileChange("removed", "item R2", "switched off") in back.file_changes
    assert FileChange("added", "agency_rate_card", 'change_pct -10, from_month 11, providers ["ACUTE1"], framework off') in back.file_changes
    assert back.movement(ICS, "likely").change == -244 * P
    same = compare_runs(week_1, week_1)
    assert same.file_changes == () and all(m.change == 0 for m in same.movements)
    assert "The scenario file is unchanged (the same SHA-256)." in same.notes


def test_the_commands_list_record_and_compare_runs(tmp_path: Path) -> None:
    location = str(tmp_path / "finmodel.db")
    with open_store(location) as store:
        store.record_close(make_record(system_yaml=TINY_SYSTEM, results_json=results_to_json(RESULTS)))
    path, out = tmp_path / "plan-b.yaml", tmp_path / "outputs"
    runner = CliRunner()
    path.write_text(WEEK_1, encoding="utf-8")
    first = runner.invoke(app, ["scenario", str(path), "--db", location, "--out", str(out), "--compare-with", "last"])
    assert first.exit_code == 0, first.output
    assert "as run 1 in the close history" in first.output and "No earlier run of plan-b" in first.output
    path.write_text(WEEK_2, encoding="utf-8")
    second = runner.invoke(app, ["scenario", str(path), "--db", location, "--out", str(out), "--compare-with", "1", "--json"])
    assert second.exit_code == 0, second.output
    payload = json.loads(second.output)
    assert payload["scenarios"][0]["run_id"] == 2
    assert payload["scenarios"][0]["close"] == {"year": "2023/24", "month": "M10"} and payload["scenarios"][0]["close_version"] == 1
    (comparison,) = payload["comparisons"]
    moved = {(m["row"], m["measure"]): m["change"] for m in comparison["movements"]}
    assert moved[("ICS", "likely")] == "244.00" and moved[("ACUTE1", "scenario_fot")] == "-106.00"
    assert {c["key"] for c in comparison["file_changes"]} >= {"item R1", "industrial_action"}
    shown = runner.invoke(app, ["scenario", str(path), "--db", location, "--out", str(out), "--compare-with", "last"])
    assert shown.exit_code == 0 and "What moved the ICS likely case" in shown.output
    assert runner.invoke(app, ["scenario", str(path), "--db", location, "--compare-with", "lastweek"]).exit_code == 2
    assert runner.invoke(app, ["scenario", str(path), "--db", location, "--compare-with", "77"]).exit_code == 4
    history = runner.invoke(app, ["history", "--db", location], env={"COLUMNS": "160"})
    assert history.exit_code == 0 and "Scenario runs" in history.output and "plan-b" in history.output
    listed = json.loads(runner.invoke(app, ["history", "--db", location, "--json"]).output)
    runs = listed[0]["scenario_runs"]
    assert [r["id"] for r in runs] == [1, 2, 3]
    assert (runs[0]["seed"], runs[0]["ics_likely"], runs[0]["ics_p10"]) == (1, "4056.00", "4056.00")
