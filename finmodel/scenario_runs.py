"""`finmodel scenario`: run scenario files on a stored close and write their workbooks.

The close is read from the close history and never changed. Each scenario's figures are
kept beside its workbook as JSON with the scenario file's SHA-256 and the Monte Carlo
seed, so a result can always be traced to the exact file and reproduced.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from finmodel.findings import Finding, errors
from finmodel.report.scenario_workbook import write_comparison_workbook, write_scenario_workbook
from finmodel.results import results_from_json
from finmodel.scenarios.cases import standard_cases
from finmodel.scenarios.check import check_against_close
from finmodel.scenarios.file import Scenario, load_scenario
from finmodel.scenarios.summary import ScenarioSummary
from finmodel.store import open_store
from finmodel.system_config import parse_system
from finmodel.workflow import close_folder

_SUMMARY = TypeAdapter(ScenarioSummary)


class ScenarioInvalid(Exception):
    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__(f"{len(errors(findings))} error(s) in the scenario files")
        self.findings = list(findings)


@dataclass(frozen=True)
class ScenariosDone:
    close: str
    summaries: tuple[ScenarioSummary, ...]
    written: tuple[Path, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "close": self.close,
            "scenarios": [json.loads(_SUMMARY.dump_json(s)) for s in self.summaries],
            "written": [str(p) for p in self.written],
        }


def _load_all(files: Sequence[Path]) -> list[Scenario]:
    scenarios, findings = [], []
    for path in files:
        scenario, found = load_scenario(Path(path))
        findings += found
        if scenario is not None:
            scenarios.append(scenario)
    if errors(findings):
        raise ScenarioInvalid(findings)
    return scenarios


def run_scenarios(files: Sequence[Path], db: str | Path, out: Path) -> ScenariosDone:
    scenarios = _load_all(files)
    wanted = {s.close for s in scenarios}
    with open_store(db) as store:
        history = store.history()
        if not history:
            raise LookupError("No close in the history yet: run `finmodel close` first.")
        latest = max((c.year, c.month) for c in history)
        targets = {w or latest for w in wanted}
        if len(targets) > 1:
            raise ScenarioInvalid([Finding(s.file_name, "", None, "close", "wrong_close", str(s.close or "latest"),
                                           "every scenario run together to overlay the same close") for s in scenarios])
        year, month = targets.pop()
        stored = store.latest(year, month)
        if stored is None:
            raise LookupError(f"No close of {year} M{month} in the history (see `finmodel history`).")
    results = results_from_json(stored.results_json)
    system, _ = parse_system(stored.system_yaml)
    assert system is not None
    findings = [f for s in scenarios for f in check_against_close(s, results, system)]
    if errors(findings):
        raise ScenarioInvalid(findings)
    folder = close_folder(year, month, out) / "scenarios"
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
    return ScenariosDone(f"{year} M{month}", tuple(summaries), tuple(written))
