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


def _cells(p: OrgPosition) -> tuple[int, ...]:
    return (*ytd_cells(p.income), *ytd_cells(p.expenditure), *ytd_cells(p.surplus), *year_cells(p.surplus))


def month_columns(year: str) -> tuple[Column, ...]:
    fy = FinancialYear.parse(year)
    return tuple(Column(f"m{m:02d}", fy.month_name(m), "gbp") for m in range(1, 13))


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
        month_columns(r.year),
        (
            Row("plan", "Plan", ics.monthly_plan),
            Row("actual", "Actual", split(ics.monthly_actual, True)),
            Row("forecast", "Forecast (submitted)", split(ics.monthly_forecast, False)),
        ),
        notes=("The data of the chart below.",),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    rows = entries(r, {p.org: p for p in r.positions}, "org")
    main = Table(
        "system_ie",
        title(f"Income and expenditure, YTD to M{r.month} and forecast outturn", "£m"),
        "£m",
        COLUMNS,
        tuple(Row(e.code, e.label, _cells(e.record), e.total) for e in rows),
        notes=(
            EXPENDITURE_NEGATIVE,
            "Income and expenditure are gross: flows between organisations are not eliminated; the surplus/(deficit) needs no elimination.",
            SURPLUS_TERMS,
            SUBMITTED_FOT,
        ),
    )
    return (main, monthly_table(pack))
