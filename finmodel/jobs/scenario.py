"""Scenario runs as a job: scenario files on a stored close, recorded and their workbooks written.

The close is read from the close history and never changed. Each file's run is recorded
in the history (docs/scenarios.md, *Scenario runs in the close history*): the file's text
and SHA-256, the close it overlaid, the Monte Carlo seed and iterations, when and by whom,
and its results, so a figure can always be traced to the exact file and reproduced. A file
that is wrong, or does not fit the close, comes back as findings: nothing is recorded or
written then. Asked to, each run is compared with an earlier one (scenarios/compare.py).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from finmodel import __version__
from finmodel.calendar import close_label
from finmodel.findings import Finding, errors
from finmodel.jobs.paths import scenario_outputs
from finmodel.report.run_comparison import write_run_comparison
from finmodel.report.scenario_workbook import write_comparison_workbook, write_scenario_workbook
from finmodel.results import CloseResults, results_from_json
from finmodel.scenarios.cases import standard_cases
from finmodel.scenarios.check import check_against_close
from finmodel.scenarios.compare import RecordedRun, RunComparison, compare_runs
from finmodel.scenarios.file import Scenario, parse_scenario
from finmodel.scenarios.summary import ScenarioSummary
from finmodel.store import ScenarioRunRecord, Store, StoredClose, StoredScenarioRun, open_store
from finmodel.system_config import SystemConfig, parse_system
from finmodel.yaml_input import read_yaml_file

_SUMMARY = TypeAdapter(ScenarioSummary)
COMPARE_LAST = "last"  # --compare-with last: the latest earlier run of the same scenario name


@dataclass(frozen=True)
class ScenariosDone:
    """What a scenario job did. ``findings`` with an error, or ``not_found``: nothing recorded or written."""

    close: str = ""
    findings: tuple[Finding, ...] = ()
    not_found: str = ""  # why there is no close to overlay (or run to compare with), in the user's words
    summaries: tuple[ScenarioSummary, ...] = ()
    written: tuple[Path, ...] = ()
    runs: tuple[StoredScenarioRun, ...] = ()  # as recorded, one per file, in the files' order
    comparisons: tuple[RunComparison, ...] = ()
    not_compared: tuple[str, ...] = ()  # names of scenarios with no earlier run to compare with

    @property
    def ok(self) -> bool:
        return not self.not_found and not errors(self.findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "close": self.close,
            "scenarios": [json.loads(_SUMMARY.dump_json(s)) for s in self.summaries],
            "written": [str(p) for p in self.written],
        }


@dataclass(frozen=True)
class _Loaded:
    scenario: Scenario
    text: str  # the file's text exactly: its UTF-8 bytes are what scenario.sha256 hashes


def _now_utc() -> str:
    # Not jobs.close's: that module imports the pack job, which reads runs from here.
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def summary_to_json(summary: ScenarioSummary) -> str:
    """The results as stored: deterministic (fields in order, no spaces, money in pence)."""
    return _SUMMARY.dump_json(summary).decode("utf-8")


def summary_from_json(text: str) -> ScenarioSummary:
    return _SUMMARY.validate_json(text)


def recorded_run(run: StoredScenarioRun) -> RecordedRun:
    """A stored run with its results read back and its stored file text parsed again."""
    loaded, _ = parse_scenario(run.file_text, run.file_name, run.file_sha256)
    return RecordedRun(
        run_id=run.run_id, name=run.name, year=run.year, month=run.month, close_version=run.close_version,
        run_at=run.run_at, run_by=run.run_by, file_sha256=run.file_sha256, summary=summary_from_json(run.summary_json),
        content=loaded.content if loaded is not None else None,
    )


def recorded_runs(store: Store, year: str) -> tuple[RecordedRun, ...]:
    """Every run on a close of that financial year, oldest first (the board pack's Scenario history)."""
    return tuple(recorded_run(run) for run in store.scenario_runs(year=year))


def _load_all(files: Sequence[Path]) -> tuple[list[_Loaded], list[Finding]]:
    loaded, findings = [], []
    for path in files:
        text, data, found = read_yaml_file(Path(path), "a scenario file (YAML)")
        scenario = None
        if text is not None:
            scenario, found = parse_scenario(text, Path(path).name, hashlib.sha256(data).hexdigest())
        findings += found
        if scenario is not None and text is not None:
            loaded.append(_Loaded(scenario, text))
    return loaded, findings


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


def _earlier_runs(
    store: Store, loaded: list[_Loaded], compare_with: str | int | None
) -> tuple[list[StoredScenarioRun | None], str]:
    """The run each file is compared with (None: none yet, or not asked), or why it is not found."""
    if compare_with is None:
        return [None] * len(loaded), ""
    if str(compare_with).strip().lower() == COMPARE_LAST:
        earlier = []
        for item in loaded:
            runs = store.scenario_runs(name=item.scenario.name)
            earlier.append(runs[-1] if runs else None)
        return earlier, ""
    run = store.scenario_run(int(compare_with))
    if run is None:
        return [], f"No scenario run {compare_with} in {store.location} (see `finmodel history`)."
    return [run] * len(loaded), ""


def _record(store: Store, loaded: list[_Loaded], summaries: Sequence[ScenarioSummary], stored: StoredClose,
            run_at: str) -> tuple[StoredScenarioRun, ...]:
    """One run per file, in one transaction: they are recorded before any workbook shows them."""
    user = getpass.getuser()
    return store.record_scenario_runs([
        ScenarioRunRecord(
            close_id=stored.close_id, name=s.name, file_name=item.scenario.file_name, file_text=item.text,
            file_sha256=item.scenario.sha256, seed=s.seed, iterations=s.iterations, run_at=run_at, run_by=user,
            model_version=__version__, summary_json=summary_to_json(s),
        )
        for item, s in zip(loaded, summaries)
    ])


def _write(summaries: Sequence[ScenarioSummary], results: CloseResults, stored: StoredClose, out: Path) -> list[Path]:
    folder = scenario_outputs(out, stored.year, stored.month)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for summary in summaries:
        written.append(write_scenario_workbook(summary, results, folder / f"{summary.name}.xlsx", stored.made_at))
        record = folder / f"{summary.name}.json"
        record.write_bytes(_SUMMARY.dump_json(summary, indent=2))
        written.append(record)
    if len(summaries) > 1:
        written.append(write_comparison_workbook(summaries, results, folder / "comparison.xlsx", stored.made_at))
    return written


def _compare(runs: Sequence[StoredScenarioRun], earlier: Sequence[StoredScenarioRun | None], results: CloseResults,
             folder: Path) -> tuple[list[RunComparison], list[Path], list[str]]:
    comparisons, written, not_compared = [], [], []
    for run, before in zip(runs, earlier):
        if before is None:
            not_compared.append(run.name)
            continue
        comparison = compare_runs(recorded_run(before), recorded_run(run))
        comparisons.append(comparison)
        path = folder / f"{run.name}-vs-run-{before.run_id}.xlsx"
        written.append(write_run_comparison(comparison, results, path, run.run_at))
    return comparisons, written, not_compared


def run_scenarios(files: Sequence[Path], db: str | Path, out: Path, compare_with: str | int | None = None,
                  run_at: str | None = None) -> ScenariosDone:
    """Run, record and write each file on its close; ``compare_with``: a run id or ``"last"``."""
    loaded, findings = _load_all(files)
    if errors(findings):
        return ScenariosDone(findings=tuple(findings))
    scenarios = [item.scenario for item in loaded]
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
        earlier, not_found = _earlier_runs(store, loaded, compare_with)
        if not_found:
            return ScenariosDone(label, tuple(findings), not_found)
        summaries = tuple(standard_cases(results, system, s) for s in scenarios)
        runs = _record(store, loaded, summaries, stored, run_at or _now_utc())
    written = _write(summaries, results, stored, out)
    comparisons, compared, not_compared = _compare(runs, earlier, results, scenario_outputs(out, stored.year, stored.month))
    return ScenariosDone(label, tuple(findings), "", summaries, (*written, *compared), runs, tuple(comparisons),
                         tuple(not_compared))
