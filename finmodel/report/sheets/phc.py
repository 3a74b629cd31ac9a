"""PHC: the budget by service beside the package-based forecast, and the high-cost cohort
with its movement since the previous close."""

from __future__ import annotations

from finmodel.contract import PHC_SERVICES
from finmodel.money import format_pounds
from finmodel.report import labels
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import title
from finmodel.report.table import TOTAL, Column, Row, Table
from finmodel.results.lines import add_up
from finmodel.results.phc import HighCostBand, PhcService

COLUMNS = (
    Column("year_plan", "Plan", "gbp", "Budget"),
    Column("ytd_plan", "YTD plan", "gbp", "Budget"),
    Column("ytd_actual", "YTD actual", "gbp", "Budget"),
    Column("fot", "FOT", "gbp", "Budget"),
    Column("overspend", "Over/ (under) spend", "gbp", "Budget"),
    Column("prior_year_outturn", "Prior year outturn", "gbp", "Growth"),
    Column("growth_on_prior_year", "Growth on prior year", "gbp", "Growth"),
    Column("package_fot", "Package-based FOT", "gbp", "Packages (model)"),
    Column("package_fot_vs_fot", "Package FOT - FOT", "gbp", "Packages (model)"),
    Column("package_cost_to_date", "Package cost to date", "gbp", "Packages (model)"),
    Column("budget_vs_packages", "YTD actual - package cost", "gbp", "Packages (model)"),
    Column("live_packages", "Number live", "count", "Packages (model)"),
)
COHORT_COLUMNS = (
    Column("packages", "Number", "count", "This close"),
    Column("equivalent_annual_cost", "Annual cost", "gbp", "This close"),
    Column("packages_change", "Number", "count", "Change since last month"),
    Column("cost_change", "Cost", "gbp", "Change since last month"),
)


def _cells(s: PhcService) -> tuple:
    return (
        s.year_plan, s.ytd_plan, s.ytd_actual, s.fot, s.overspend, s.prior_year_outturn, s.growth_on_prior_year,
        s.package_fot, s.package_fot - s.fot, s.package_cost_to_date, s.budget_vs_packages, s.live_packages,
    )


def services_table(pack: PackInputs) -> Table:
    r = pack.results
    rows = []
    for service in PHC_SERVICES:
        mine = [s for s in r.phc if s.service == service]
        if mine:
            rows.append(Row(service, labels.PHC_SERVICES[service], _cells(add_up(mine, org="ICS", service=service))))
    if r.phc:
        rows.append(Row(TOTAL, "Total PHC", _cells(add_up(r.phc, org="ICS", service=TOTAL)), total=True))
    return Table(
        "phc_services",
        title(f"Personal health commissioning by service, YTD to M{r.month} and forecast outturn", "£m"),
        "£m",
        COLUMNS,
        tuple(rows),
        notes=(
            "Overspend = FOT - plan (an overspend is positive); FOT is the submitted forecast.",
            "Package-based FOT = YTD actual + committed cost of live packages to 31 March + expected new packages - QIPP still to come.",
            "YTD actual - package cost: accruals and late notifications the package list does not yet show.",
        ),
    )


def _band_code(b: HighCostBand) -> str:
    return f"band_{b.lower // 100}"


def cohort_table(pack: PackInputs) -> Table:
    r, previous = pack.results, pack.comparable_previous
    before = {(b.lower, b.upper): b for b in previous.phc_high_cost} if previous is not None else None

    def cells(count: int, cost: int, old: HighCostBand | None) -> tuple:
        if old is None:
            return (count, cost, None, None)
        return (count, cost, count - old.packages, cost - old.equivalent_annual_cost)

    rows = [
        Row(_band_code(b), b.label, cells(b.packages, b.equivalent_annual_cost, before.get((b.lower, b.upper)) if before else None))
        for b in r.phc_high_cost
    ]
    if r.phc_high_cost:
        count, cost = sum(b.packages for b in r.phc_high_cost), sum(b.equivalent_annual_cost for b in r.phc_high_cost)
        old_total = None
        if before is not None and before and set(before) == {(b.lower, b.upper) for b in r.phc_high_cost}:
            old_total = HighCostBand("", 0, None, sum(b.packages for b in before.values()),
                                     sum(b.equivalent_annual_cost for b in before.values()))
        rows.append(Row(TOTAL, "Total high-cost cohort", cells(count, cost, old_total), total=True))
    threshold = format_pounds(pack.system.parameters.phc.high_cost_weekly).removesuffix(".00")
    return Table(
        "phc_high_cost",
        title(f"High-cost cohort: packages of {threshold} a week or more, live at the end of M{r.month}", "£000"),
        "£000",
        COHORT_COLUMNS,
        tuple(rows),
        notes=(
            "Annual cost = weekly cost x 365/7 (the equivalent annual cost), at full cost. Change: this close - the previous close "
            "(a dash on the first close, or where the bands were changed).",
        ),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    """None for a system without an ICB: continuing care is the ICB's to commission, and
    validation refuses phc.xlsx rows of anyone else."""
    if not any(o.type == "icb" for o in pack.results.organisations):
        return ()
    return (services_table(pack), cohort_table(pack))
