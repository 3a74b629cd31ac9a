"""Plan changes: the full-year plans re-based since the previous close
(results.movement.rebasings), line by line. The sheet is in the pack only when a plan was
re-based; the summary on Contents and the KPI notes say the same in words."""

from __future__ import annotations

from finmodel.contract import is_provider
from finmodel.report import labels
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import title
from finmodel.report.table import Column, Row, Table
from finmodel.results import CloseResults
from finmodel.results.movement import Rebasing, rebasings
from finmodel.results.subjective import provider_lines

SHEET = "Plan changes"
NOTES = (
    "Expenditure is shown negative, so a cost plan raised is a negative change: each change is its effect on "
    "the planned surplus/(deficit). A re-based plan moves the FOT variance with no change in performance.",
)


def _columns(since: int, month: int) -> tuple[Column, ...]:
    return (
        Column("previous_plan", f"At M{since}", "gbp", "Full-year plan"),
        Column("plan", f"At M{month}", "gbp", "Full-year plan"),
        Column("change", "Change", "gbp", "Full-year plan"),
    )


def _line_label(results: CloseResults, org: str, line: str) -> str:
    words = labels.SUBJECTIVE if is_provider(results.org(org).type) else labels.LINE_GROUPS
    return words.get(line, line)


def _rows(results: CloseResults, r: Rebasing) -> list[Row]:
    name = results.org(r.org).name
    rows = [
        Row(f"{r.org}.{c.line}", f"{name}: {_line_label(results, r.org, c.line)}",
            (c.sign * c.before, c.sign * c.after, c.surplus_effect))
        for c in r.lines
    ]
    surplus_after = results.position(r.org).surplus.year_plan
    if r.ebitda_change is not None:
        ebitda_after = next(x.year_plan for x in provider_lines(results, r.org) if x.code == "ebitda")
        assert isinstance(ebitda_after, int)
        rows.append(Row(f"{r.org}.ebitda", f"{name}: {labels.SUBJECTIVE['ebitda']}",
                        (ebitda_after - r.ebitda_change, ebitda_after, r.ebitda_change), total=True))
    rows.append(Row(f"{r.org}.surplus", f"{name}: {labels.SUBJECTIVE['surplus']}",
                    (surplus_after - r.surplus_change, surplus_after, r.surplus_change), total=True))
    return rows


def tables(pack: PackInputs) -> tuple[Table, ...]:
    """() when there is no comparable previous close or no full-year plan changed."""
    previous = pack.comparable_previous
    found = rebasings(pack.results, previous)
    if previous is None or not found:
        return ()
    r = pack.results
    rows = tuple(row for rebasing in found for row in _rows(r, rebasing))
    return (Table("plan_changes", title(f"Full-year plans re-based since M{previous.month}", "£m"), "£m",
                  _columns(previous.month, r.month), rows, notes=NOTES),)
