"""Provider subjective and ICB sheets: the position by line, YTD and full year.

Provider subjective lays out results.subjective: all providers together, then each provider,
as a trust board reads its I&E (income by category, EBITDA and its margin, then the
non-operating items and the surplus/(deficit))."""

from __future__ import annotations

from finmodel.report import labels
from finmodel.report.orgs import non_providers, providers
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import EXPENDITURE_NEGATIVE, SUBMITTED_FOT, SURPLUS_TERMS, YEAR_COLUMNS, plan_actual_var, title, year_cells, ytd_cells
from finmodel.report.table import PROVIDERS, TOTAL, Column, Row, Table, Value
from finmodel.results.lines import add_up
from finmodel.results.pooled import POOLED_LINE
from finmodel.results.position import OrgPosition
from finmodel.results.subjective import SubjectiveRow, provider_lines
from finmodel.system_config import ICB_LINE_GROUPS

COLUMNS = (*plan_actual_var("ytd", "Year to date"), *YEAR_COLUMNS)
NOTES = (EXPENDITURE_NEGATIVE, SURPLUS_TERMS, SUBMITTED_FOT)


def _rows(positions: list[OrgPosition], groups: tuple[str, ...], total_label: str) -> tuple[Row, ...]:
    if not positions:
        return ()
    combined = add_up(positions, org=TOTAL)
    rows = [
        Row(group, labels.LINE_GROUPS[group], (*ytd_cells(line), *year_cells(line)))
        for group in groups
        if (line := combined.line(group)) is not None
    ]
    rows.append(Row(TOTAL, total_label, (*ytd_cells(combined.surplus), *year_cells(combined.surplus)), total=True))
    return tuple(rows)


SUBJECTIVE_NOTES = (
    "EBITDA = income - pay - operating non-pay: the surplus before non-operating items (depreciation, interest, "
    "PDC dividend). EBITDA margin = EBITDA / income; its variance is the difference in margin.",
    "Commissioning income is clinical income from the ICB and other commissioners, with the elective recovery fund. "
    "Private patient, overseas and RTA income has no category of its own in the inputs: it is in the category "
    "each provider books it under.",
)
_MEASURES = {
    "ytd_plan": "ytd_plan", "ytd_actual": "ytd_actual", "ytd_var": "ytd_variance",
    "year_plan": "year_plan", "fot": "fot", "fot_var": "fot_variance",
}


def subjective_rows(lines: tuple[SubjectiveRow, ...], columns: tuple[Column, ...], surplus: tuple[str, str]) -> tuple[Row, ...]:
    """Table rows of results.subjective rows for these columns (codes of ``_MEASURES``);
    ``surplus`` is the (code, label) the bottom line takes in this table."""

    def values(line: SubjectiveRow) -> tuple[Value, ...]:
        return tuple(getattr(line, _MEASURES[c.code]) for c in columns)

    return tuple(
        Row(
            surplus[0] if line.code == "surplus" else line.code,
            surplus[1] if line.code == "surplus" else labels.SUBJECTIVE[line.code],
            values(line),
            total=line.kind == "subtotal",
            unit="pct" if line.kind == "ratio" else None,
        )
        for line in lines
    )


def subjective_tables(pack: PackInputs) -> tuple[Table, ...]:
    """None for a system without NHS providers (the pack then leaves the sheet out)."""
    r = pack.results
    if not providers(r):
        return ()
    heading = f"by subjective, YTD to M{r.month} and forecast outturn"
    rows = subjective_rows(provider_lines(r, PROVIDERS), COLUMNS, (TOTAL, "Provider total surplus/(deficit)"))
    everyone = Table("provider_subjective", title(f"All providers {heading}", "£m"), "£m", COLUMNS, rows,
                     notes=(*NOTES, *SUBJECTIVE_NOTES))
    each = tuple(
        Table(f"provider_subjective_{o.code}", title(f"{o.name} {heading}", "£m"), "£m", COLUMNS,
              subjective_rows(provider_lines(r, o.code), COLUMNS, (TOTAL, labels.SUBJECTIVE["surplus"])))
        for o in providers(r)
    )
    return (everyone, *each)


def icb_tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    icbs = [r.position(o.code) for o in non_providers(r) if o.type == "icb"]
    if not icbs:
        return ()  # no ICB in system.yaml: the pack leaves the sheet out
    return (
        Table(
            "icb_lines",
            title(f"ICB by service line, YTD to M{r.month} and forecast outturn", "£m"),
            "£m",
            COLUMNS,
            _rows(icbs, (*ICB_LINE_GROUPS, POOLED_LINE), "ICB total surplus/(deficit)"),
            notes=("Continuing care is the personal health commissioning budget (the PHC sheet); running costs are the ICB's own.", *NOTES),
        ),
    )
