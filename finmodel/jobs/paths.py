"""Where a job's files go: the one home for output paths.

``outputs/<year folder>/<Mnn>/`` holds a close's board pack and its tables, with
``scenarios/`` and ``export/`` below it, so everything about one close sits together.
"""

from __future__ import annotations

from pathlib import Path

from finmodel.calendar import FinancialYear, month_label

DEFAULT_OUT = Path("outputs")
SCENARIOS_FOLDER = "scenarios"
EXPORT_FOLDER = "export"


def close_outputs(out: Path, year: str, month: int) -> Path:
    """``outputs/2023-24/M10``: a close's board pack and tables."""
    return Path(out) / FinancialYear.parse(year).folder / month_label(month)


def scenario_outputs(out: Path, year: str, month: int) -> Path:
    return close_outputs(out, year, month) / SCENARIOS_FOLDER


def export_outputs(out: Path, year: str, month: int) -> Path:
    return close_outputs(out, year, month) / EXPORT_FOLDER
