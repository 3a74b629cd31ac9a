"""Segments: an organisation shown in parts (divisions, places, hosted services).

A segment is the set of an organisation's ledger rows with one value in its ``segment_by``
detail column (system.yaml), usually ``cost_centre``. Every row of the organisation has
exactly one value (blank is a value too: "not assigned"), so its segments add up exactly
to the organisation, line by line and in every measure. Segments listed in system.yaml
come first in their order; a value found in the data but not listed is still shown (so
the parts still add up) and is reported, as is a listed segment with no rows at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finmodel.findings import Finding
from finmodel.results.lines import Line, sum_by, ytd_measures
from finmodel.system_config import SYSTEM_YAML, Organisation, SystemConfig

_SUMMED = ("ytd_plan", "actual", "plan", "forecast")
NOT_ASSIGNED = "Not assigned"  # the label of an organisation's rows with a blank segment column

# Where a ledger row came from (its ``source``), as the finance team knows it: workbook, sheet.
_SOURCES = {"income": ("income.xlsx", "income"), "pay": ("pay.xlsx", "pay"), "nonpay": ("nonpay.xlsx", "nonpay"), "phc": ("phc.xlsx", "budget")}
# The ledger's ``line`` is each workbook's own column.
_LINE_COLUMN = {"income": "category", "pay": "pay_type", "nonpay": "category", "phc": "service"}


@dataclass(frozen=True)
class SegmentPosition:
    org: str
    segment: str  # the detail value ("" for rows with none)
    label: str
    listed: bool  # named in system.yaml's segments
    income: Line  # sign +1
    expenditure: Line  # sign -1

    @property
    def code(self) -> str:
        """The row code in tables (docs/tables.md): ``<ORG>.<segment>``."""
        return f"{self.org}.{self.segment}"

    @property
    def surplus(self) -> Line:
        return self.income + self.expenditure.as_surplus()


def _line(sums: dict[str, int] | None, sign: int) -> Line:
    if sums is None:
        return Line(sign)
    return Line(sign, sums["ytd_plan"], sums["actual"], sums["plan"], sums["forecast"])


def segment_values(ledger: pd.DataFrame, org: Organisation) -> dict[str, set[str]]:
    """{detail value: the ledger sources it appears in} of an organisation's rows."""
    if org.segment_by is None or ledger.empty:
        return {}
    mine = ledger.loc[ledger["org"] == org.code, [org.segment_by, "source"]].drop_duplicates()
    found: dict[str, set[str]] = {}
    for value, source in mine.itertuples(index=False, name=None):
        found.setdefault(str(value), set()).add(str(source))
    return found


def segment_order(org: Organisation, found: dict[str, set[str]]) -> list[tuple[str, str, bool]]:
    """(code, label, listed) of an organisation's segments: listed ones in their order, then
    values found but not listed, sorted, with the blank value ("not assigned") last."""
    listed = [(s.code, s.shown, True) for s in org.ordered_segments]
    names = {s.code for s in org.segments}
    extra = sorted((v for v in found if v not in names), key=lambda v: (v == "", v))
    return listed + [(v, v or NOT_ASSIGNED, False) for v in extra]


def compute_segments(ledger: pd.DataFrame, system: SystemConfig, month: int) -> tuple[SegmentPosition, ...]:
    """Every segmented organisation's segments, in system.yaml order of organisations."""
    out: list[SegmentPosition] = []
    for org in system.organisations:
        if org.segment_by is None:
            continue
        column = org.segment_by
        mine = ledger[ledger["org"] == org.code]
        frame = ytd_measures(mine, month).assign(segment=mine[column].astype(str))
        sums = sum_by(frame, ("segment", "sign"), _SUMMED)
        for code, label, listed in segment_order(org, segment_values(ledger, org)):
            out.append(SegmentPosition(org.code, code, label, listed, _line(sums.get((code, 1)), 1), _line(sums.get((code, -1)), -1)))
    return tuple(out)


def segment_findings(ledger: pd.DataFrame, system: SystemConfig) -> list[Finding]:
    """Warnings: a listed segment with no rows, and rows in a segment not listed.

    Warnings, not errors: the organisation's figures are right either way, and a value not
    listed is shown as a segment of its own, so the segments still add up; the board pack
    should not wait on a cost centre added this month."""
    found: list[Finding] = []
    for index, org in enumerate(system.organisations):
        if org.segment_by is None or not org.segments:
            continue
        values = segment_values(ledger, org)
        where = "income.xlsx, pay.xlsx or nonpay.xlsx"
        for position, segment in enumerate(org.segments):
            if segment.code not in values:
                expected = f"rows of {org.code} with {org.segment_by} {segment.code!r} in {where} (a segment with no data)"
                found.append(Finding(SYSTEM_YAML, "", None, f"organisations.{index}.segments.{position}.code", "segment_no_data",
                                     segment.code, expected, "warning"))
        listed = ", ".join(s.code for s in org.segments)
        for value in sorted(v for v in values if v not in {s.code for s in org.segments}):
            for source in sorted(values[value]):
                workbook, sheet = _SOURCES.get(source, (source, ""))
                column = _LINE_COLUMN.get(source, "line") if org.segment_by == "line" else org.segment_by
                if source == "phc" and org.segment_by not in ("line", "driver"):
                    continue  # phc.xlsx has no such column: a warning there could never be cleared
                expected = f"one of {org.code}'s segments in system.yaml ({listed}); shown as a segment of its own"
                found.append(Finding(workbook, sheet, None, column, "segment_not_listed", value, expected, "warning"))
    return found
