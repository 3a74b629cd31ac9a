"""System I&E: every organisation's income, expenditure and surplus, YTD and full year,
and the system's surplus by month (the data of the actual-against-plan chart)."""

from __future__ import annotations

from finmodel.calendar import FinancialYear
from finmodel.report.orgs import entries
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import (
    EXPENDITURE_NEGATIVE,
    SUBMITTED_FOT,
    SURPLUS_TERMS,
    YEAR_COLUMNS,
    plan_actual_var,
    title,
    year_cells,
    ytd_cells,
)
from finmodel.report.table import ICS, Column, Row, Table, Value
from finmodel.results.lines import add_up
from finmodel.results.position import OrgPosition

SHEET = "System I&E"

COLUMNS = (
    *plan_actual_var("ytd_income", "Income (YTD)"),
    *plan_actual_var("ytd_expenditure", "Expenditure (YTD)"),
    *plan_actual_var("ytd_surplus", "Surplus/(deficit) (YTD)"),
    *YEAR_COLUMNS,
)


# Gross income and expenditure added up over organisations count every flow between them
# twice (one's income is another's expenditure). With no counterparty data to eliminate
# them, the ICS and group rows leave those cells empty; their surplus needs no elimination.
_GROSS_LEFT_EMPTY = ("ics_total", "group")
GROSS_NOTE = (
    "The ICS and group rows leave gross income and expenditure empty: added up, flows between "
    "organisations would be counted twice, and they cannot yet be eliminated. Their surplus/(deficit) is exact."
)


def _cells(p: OrgPosition, kind: str) -> tuple[Value, ...]:
    gross: tuple[Value, ...] = (*ytd_cells(p.income), *ytd_cells(p.expenditure))
    if kind in _GROSS_LEFT_EMPTY:
        gross = ("",) * len(gross)
    return (*gross, *ytd_cells(p.surplus), *year_cells(p.surplus))


def month_columns(year: str, closed: int) -> tuple[Column, ...]:
    """A column a month; those after the close month are forecasts (drawn lighter)."""
    fy = FinancialYear.parse(year)
    return tuple(Column(f"m{m:02d}", fy.month_name(m), "gbp", forecast=m > closed) for m in range(1, 13))


def monthly_table(pack: PackInputs) -> Table:
    r = pack.results
    ics = add_up(r.positions, org=ICS)
    closed = range(1, r.month + 1)

    def split(series: tuple[int, ...], actual: bool) -> tuple[Value, ...]:
        # A month with no figure of that kind is left empty, so the chart draws no point.
        return tuple(v if (m in closed) == actual else "" for m, v in enumerate(series, start=1))

    return Table(
        "ics_monthly",
        title(f"ICS surplus/(deficit) by month: plan, actual to M{r.month}, then forecast", "£m"),
        "£m",
        month_columns(r.year, r.month),
        (
            Row("plan", "Plan", ics.monthly_plan),
            Row("actual", "Actual", split(ics.monthly_actual, True)),
            Row("forecast", "Forecast (submitted)", split(ics.monthly_forecast, False)),
        ),
        notes=("Drawn on the System I&E sheet.",),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    rows = entries(r, {p.org: p for p in r.positions}, "org")
    main = Table(
        "system_ie",
        title(f"Income and expenditure, YTD to M{r.month} and forecast outturn", "£m"),
        "£m",
        COLUMNS,
        tuple(Row(e.code, e.label, _cells(e.record, e.kind), e.total) for e in rows),
        notes=(
            EXPENDITURE_NEGATIVE,
            GROSS_NOTE,
            SURPLUS_TERMS,
            SUBMITTED_FOT,
        ),
    )
    return (main, monthly_table(pack))
