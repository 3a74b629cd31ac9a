"""Provider subjective and ICB sheets: the position by line, YTD and full year."""

from __future__ import annotations

from finmodel.report import labels
from finmodel.report.orgs import non_providers, providers
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import EXPENDITURE_NEGATIVE, SUBMITTED_FOT, SURPLUS_TERMS, YEAR_COLUMNS, plan_actual_var, title, year_cells, ytd_cells
from finmodel.report.table import TOTAL, Row, Table
from finmodel.results.lines import add_up
from finmodel.results.position import OrgPosition
from finmodel.system_config import ICB_LINE_GROUPS, PROVIDER_LINE_GROUPS

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


def subjective_tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    mine = [r.position(o.code) for o in providers(r)]
    return (
        Table(
            "provider_subjective",
            title(f"All providers by subjective, YTD to M{r.month} and forecast outturn", "£m"),
            "£m",
            COLUMNS,
            _rows(mine, PROVIDER_LINE_GROUPS, "Provider total surplus/(deficit)"),
            notes=NOTES,
        ),
    )


def icb_tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    icbs = [r.position(o.code) for o in non_providers(r) if o.type == "icb"]
    return (
        Table(
            "icb_lines",
            title(f"ICB by service line, YTD to M{r.month} and forecast outturn", "£m"),
            "£m",
            COLUMNS,
            _rows(icbs, ICB_LINE_GROUPS, "ICB total surplus/(deficit)"),
            notes=("Continuing care is the personal health commissioning budget (the PHC sheet); running costs are the ICB's own.", *NOTES),
        ),
    )
