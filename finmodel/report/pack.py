"""What the board pack is written from: one close, its predecessor and its scenarios."""

from __future__ import annotations

from dataclasses import dataclass

from finmodel.calendar import close_label
from finmodel.results import CloseResults
from finmodel.scenarios.compare import RecordedRun
from finmodel.scenarios.summary import ScenarioSummary
from finmodel.system_config import SystemConfig


@dataclass(frozen=True)
class PackInputs:
    results: CloseResults
    system: SystemConfig
    previous: CloseResults | None  # the stored previous close, for movement; None for the first close
    scenarios: ScenarioSummary | None  # the standard cases, when run
    made_at: str  # ISO time of the close, e.g. "2024-02-12T09:30:00Z": workbook properties and Contents
    model_version: str
    input_files: tuple[tuple[str, str, int], ...]  # (name, sha256, size)
    version: int = 1  # of the stored close: 2 after one reopening
    reopen_reason: str | None = None  # why this version superseded the one before
    # Scenario runs recorded on closes of this year (the Scenario history sheet); none: no sheet.
    scenario_runs: tuple[RecordedRun, ...] = ()

    @property
    def close_label(self) -> str:
        return close_label(self.results.year, self.results.month)

    @property
    def comparable_previous(self) -> CloseResults | None:
        """The previous close when movement against it means something: the same year,
        an earlier month. A close from another year (or a re-run of this month) is not a
        'last month' to compare year-to-date figures with."""
        p = self.previous
        if p is None or p.year != self.results.year or p.month >= self.results.month:
            return None
        return p
