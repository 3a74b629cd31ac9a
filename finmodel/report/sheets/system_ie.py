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
from finmodel.money import millions_in_words
from finmodel.results.board import Gross, gross, segment_rows
from finmodel.results.lines import add_up
from finmodel.results.previous import Figures, all_figures

SHEET = "System I&E"

COLUMNS = (
    *plan_actual_var("ytd_income", "Income (YTD)"),
    *plan_actual_var("ytd_expenditure", "Expenditure (YTD)"),
    *plan_actual_var("ytd_surplus", "Surplus/(deficit) (YTD)"),
    *YEAR_COLUMNS,
)


# Gross income and expenditure added up over organisations count every flow between them
# twice (one's income is another's expenditure). The ICS and group rows show them with the
# flows both sides tag eliminated (results/board.gross); where no row names a counterparty
# they are left empty. Their surplus needs no elimination.
_GROSS_LEFT_EMPTY = ("ics_total", "group")
GROSS_NOTE = (
    "The ICS and group rows leave gross income and expenditure empty: added up, flows between "
    "organisations would be counted twice, and no row names a counterparty to eliminate them. Their surplus/(deficit) is exact."
)


def gross_note(g: Gross) -> str:
    return (
        f"ICS gross income and expenditure eliminate the flows between organisations that both sides tag: "
        f"{millions_in_words(g.eliminated.fot)} of FOT ({millions_in_words(g.eliminated.ytd_actual)} YTD); "
        f"{millions_in_words(g.one_sided.fot)} of FOT tagged by one side only is not eliminated, and rows with no "
        "counterparty are read as flows with bodies outside the system (sheet Agreement of balances). Group rows eliminate flows within the group."
    )


def _cells(p: Figures, kind: str, gross: Gross | None = None) -> tuple[Value, ...]:
    gross_cells: tuple[Value, ...] = (*ytd_cells(p.income), *ytd_cells(p.expenditure))
    if kind in _GROSS_LEFT_EMPTY:
        gross_cells = (*ytd_cells(gross.income), *ytd_cells(gross.expenditure)) if gross else ("",) * len(gross_cells)
    return (*gross_cells, *ytd_cells(p.surplus), *year_cells(p.surplus))


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


# Beside the I&E: last year and last month (domain.md, "Segments, last year and last month").
# A table of its own, so the I&E keeps the national layout and both print at 90 % or more.
# Codes unlike the I&E's own, so each (row, column) names one cell of system_ie.csv.
COMPARISON_COLUMNS = (
    Column("prior_year_outturn", "Prior-year outturn", "gbp", "Full year"),
    Column("fot_this_year", "FOT", "gbp", "Full year"),
    Column("growth_on_prior_year", "Growth on last year", "gbp", "Full year"),
    Column("ytd_var_this_month", "This month", "gbp", "YTD variance"),
    Column("ytd_var_last_month", "Last month", "gbp", "YTD variance"),
    Column("ytd_var_movement", "Movement", "gbp", "YTD variance"),
    Column("fot_var_this_month", "This month", "gbp", "FOT variance"),
    Column("fot_var_last_month", "Last month", "gbp", "FOT variance"),
    Column("fot_var_movement", "Movement", "gbp", "FOT variance"),
)


def comparison_cells(f: Figures) -> tuple[Value, ...]:
    s = f.surplus
    return (
        f.prior_year_outturn, s.fot, f.growth,
        s.ytd_variance, f.previous_ytd_variance, f.ytd_movement,
        s.fot_variance, f.previous_fot_variance, f.fot_movement,
    )  # fmt: skip


def _rows(pack: PackInputs, cells) -> tuple[Row, ...]:  # type: ignore[no-untyped-def]
    """Every organisation with its segments indented under it, the totals and the groups;
    ``cells(figures, kind, code)``."""
    r = pack.results
    figures = all_figures(r, pack.comparable_previous, pack.system)
    rows = entries(r, figures, "code", after=segment_rows(r, figures))
    return tuple(Row(e.code, e.label, cells(e.record, e.kind, e.code), e.total, indent=int(e.kind == "segment")) for e in rows)


def _grosses(pack: PackInputs) -> dict[str, Gross | None]:
    r = pack.results
    return {ICS: gross(r), **{name: gross(r, codes) for name, codes in r.groups}}


def comparison_table(pack: PackInputs) -> Table:
    r, previous = pack.results, pack.comparable_previous
    since = f"Last month is the M{previous.month} close." if previous else "First close of the year: last month's columns show a dash."
    return Table(
        "system_ie_comparison",
        title(f"Surplus/(deficit) against last year and last month, M{r.month}", "£m"),
        "£m",
        COMPARISON_COLUMNS,
        _rows(pack, lambda f, kind, code: comparison_cells(f)),
        notes=(
            "Growth on last year = FOT - prior-year outturn; a dash where no prior-year outturn is given (or it is nil).",
            f"Movement = this close's variance - last month's, in surplus terms. {since}",
        ),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    grosses = _grosses(pack)
    ics = grosses[ICS]
    main = Table(
        "system_ie",
        title(f"Income and expenditure, YTD to M{r.month} and forecast outturn", "£m"),
        "£m",
        COLUMNS,
        _rows(pack, lambda f, kind, code: _cells(f, kind, grosses.get(code))),
        notes=(
            EXPENDITURE_NEGATIVE,
            gross_note(ics) if ics else GROSS_NOTE,
            SURPLUS_TERMS,
            SUBMITTED_FOT,
        ),
    )
    return (main, comparison_table(pack), monthly_table(pack))
