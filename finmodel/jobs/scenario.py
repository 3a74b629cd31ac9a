"""Scenario runs as a job: scenario files on a stored close, their workbooks written.

The close is read from the close history and never changed. Each scenario's figures are
kept beside its workbook as JSON with the scenario file's SHA-256 and the Monte Carlo
seed, so a result can always be traced to the exact file and reproduced. A file that is
wrong, or does not fit the close, comes back as findings: nothing is written then.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from finmodel.calendar import close_label
from finmodel.findings import Finding, errors
from finmodel.jobs.paths import scenario_outputs
from finmodel.report.scenario_workbook import write_comparison_workbook, write_scenario_workbook
from finmodel.results import CloseResults, results_from_json
from finmodel.scenarios.cases import standard_cases
from finmodel.scenarios.check import check_against_close
from finmodel.scenarios.file import Scenario, load_scenario
from finmodel.scenarios.summary import ScenarioSummary
from finmodel.store import Store, StoredClose, open_store
from finmodel.system_config import SystemConfig, parse_system

_SUMMARY = TypeAdapter(ScenarioSummary)


@dataclass(frozen=True)
class ScenariosDone:
    """What a scenario job did. ``findings`` with an error, or ``not_found``: nothing written."""

    close: str = ""
    findings: tuple[Finding, ...] = ()
    not_found: str = ""  # why there is no close to overlay, in the user's words
    summaries: tuple[ScenarioSummary, ...] = ()
    written: tuple[Path, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.not_found and not errors(self.findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "close": self.close,
            "scenarios": [json.loads(_SUMMARY.dump_json(s)) for s in self.summaries],
            "written": [str(p) for p in self.written],
        }


def _load_all(files: Sequence[Path]) -> tuple[list[Scenario], list[Finding]]:
    scenarios, findings = [], []
    for path in files:
        scenario, found = load_scenario(Path(path))
        findings += found
        if scenario is not None:
            scenarios.append(scenario)
    return scenarios, findings


def _target_close(scenarios: list[Scenario], store: Store) -> tuple[StoredClose | None, str, list[Finding]]:
    """The one stored close every scenario overlays: the one they name, or the latest."""
    history = store.history()
    if not history:
        return None, f"No close in {store.location} yet: run `finmodel close` first.", []
    latest = max((c.year, c.month) for c in history)
    targets = {s.close or latest for s in scenarios}
    if len(targets) > 1:
        return None, "", [Finding(s.file_name, "", None, "close", "wrong_close", str(s.close or "latest"),
                                  "every scenario run together to overlay the same close") for s in scenarios]
    year, month = targets.pop()
    stored = store.latest(year, month)
    if stored is None:
        return None, f"No close of {close_label(year, month)} in {store.location} (see `finmodel history`).", []
    return stored, "", []


def _write(scenarios: list[Scenario], results: CloseResults, system: SystemConfig, stored: StoredClose,
           out: Path) -> tuple[tuple[ScenarioSummary, ...], tuple[Path, ...]]:
    folder = scenario_outputs(out, stored.year, stored.month)
    folder.mkdir(parents=True, exist_ok=True)
    summaries, written = [], []
    for scenario in scenarios:
        summary = standard_cases(results, system, scenario)
        summaries.append(summary)
        written.append(write_scenario_workbook(summary, results, folder / f"{summary.name}.xlsx", stored.made_at))
        record = folder / f"{summary.name}.json"
        record.write_bytes(_SUMMARY.dump_json(summary, indent=2))
        written.append(record)
    if len(summaries) > 1:
        written.append(write_comparison_workbook(summaries, results, folder / "comparison.xlsx", stored.made_at))
    return tuple(summaries), tuple(written)


def run_scenarios(files: Sequence[Path], db: str | Path, out: Path) -> ScenariosDone:
    scenarios, findings = _load_all(files)
    if errors(findings):
        return ScenariosDone(findings=tuple(findings))
    with open_store(db) as store:
        stored, not_found, mismatch = _target_close(scenarios, store)
    if stored is None:
        return ScenariosDone(findings=tuple(findings + mismatch), not_found=not_found)
    results = results_from_json(stored.results_json)
    system, _ = parse_system(stored.system_yaml)
    assert system is not None, "a stored close always has a valid system.yaml"
    findings += [f for s in scenarios for f in check_against_close(s, results, system)]
    label = close_label(stored.year, stored.month)
    if errors(findings):
        return ScenariosDone(label, tuple(findings))
    summaries, written = _write(scenarios, results, system, stored, out)
    return ScenariosDone(label, tuple(findings), "", summaries, written)
