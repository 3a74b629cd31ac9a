"""Shapes shared by the sheets: plan/actual/variance columns and organisation rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from finmodel.report.orgs import Entry
from finmodel.report.table import Column, Row, Scale, Value, scale_words
from finmodel.results.lines import Line

T = TypeVar("T")

SURPLUS_TERMS = "Variances are in surplus terms: favourable positive, adverse in brackets."
EXPENDITURE_NEGATIVE = "Expenditure is shown negative (in brackets), so each column adds up to the surplus/(deficit)."
SUBMITTED_FOT = (
    "FOT is the forecast outturn organisations submit, as they report it nationally; where the system pools budgets "
    "with partners, each organisation's share of their variances is added to it (the Pooled budgets sheet)."
)


def title(text: str, scale: Scale) -> str:
    return f"{text}{scale_words(scale)}"


def plan_actual_var(prefix: str, band: str, labels: tuple[str, str, str] = ("Plan", "Actual", "Variance")) -> tuple[Column, ...]:
    stem = f"{prefix}_" if prefix else ""
    return tuple(Column(f"{stem}{kind}", label, "gbp", band) for kind, label in zip(("plan", "actual", "var"), labels))


YEAR_COLUMNS = (
    Column("year_plan", "Plan", "gbp", "Full year"),
    Column("fot", "FOT", "gbp", "Full year"),
    Column("fot_var", "Variance", "gbp", "Full year"),
)


def ytd_cells(line: Line) -> tuple[int, int, int]:
    """YTD plan, actual and variance of a line in surplus terms (expenditure negative)."""
    s = line.as_surplus()
    return s.ytd_plan, s.ytd_actual, s.ytd_variance


def year_cells(line: Line) -> tuple[int, int, int]:
    """Full-year plan, submitted FOT and FOT variance in surplus terms."""
    s = line.as_surplus()
    return s.year_plan, s.fot, s.fot_variance


def org_rows(
    entries: Iterable[Entry[T]], cells: Callable[[T], tuple[Value, ...]], adverse: Callable[[T], tuple[str, ...]] | None = None
) -> tuple[Row, ...]:
    """One row per entry; ``adverse`` names the columns to flag on a row (e.g. below target)."""
    return tuple(
        Row(e.code, e.label, tuple(cells(e.record)), e.total, adverse=adverse(e.record) if adverse else ())
        for e in entries
    )
