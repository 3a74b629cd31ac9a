"""Agency: spend against plan and NHS England's cap by provider, by staff group and
framework, and the monthly run rate against the cap (the data of its chart)."""

from __future__ import annotations

from collections.abc import Callable

from finmodel.report import labels
from finmodel.report.orgs import entries, providers
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SURPLUS_TERMS, org_rows, title
from finmodel.report.sheets.system_ie import month_columns
from finmodel.report.table import TOTAL, Column, Row, Table
from finmodel.results.agency import AgencyDetail, AgencyOrg

CAP_ROW = "CAP"

COLUMNS = (
    Column("cap", "NHSE cap", "gbp", "Full year"),
    Column("ytd_cap", "Cap to date", "gbp", "Year to date"),
    Column("ytd_plan", "Plan", "gbp", "Year to date"),
    Column("ytd_actual", "Actual", "gbp", "Year to date"),
    Column("ytd_var_plan", "Variance to plan", "gbp", "Year to date"),
    Column("ytd_var_cap", "Variance to cap", "gbp", "Year to date"),
    Column("pct_planned_pay", "% of planned pay", "pct", "Year to date"),
    Column("avg_month", "Average a month", "gbp", "Year to date"),
    Column("fot", "FOT", "gbp", "Full year"),
    Column("run_rate_fot", "FOT at run rate (model)", "gbp", "Full year"),
)
DETAIL_COLUMNS = (
    Column("ytd_plan", "Plan", "gbp", "Year to date"),
    Column("ytd_actual", "Actual", "gbp", "Year to date"),
    Column("ytd_var", "Variance", "gbp", "Year to date"),
    Column("fot", "FOT", "gbp", "Full year"),
)


def _cells(a: AgencyOrg) -> tuple:
    return (
        a.cap, a.ytd_cap, a.ytd_plan, a.ytd_actual, a.variance_to_plan, a.variance_to_cap,
        a.share_of_planned_pay, a.average_per_month, a.submitted_fot, a.run_rate_fot,
    )


def _detail(details: tuple[AgencyDetail, ...], key: Callable[[AgencyDetail], str], label: Callable[[str], str]) -> tuple[Row, ...]:
    codes = sorted({key(d) for d in details})
    rows = []
    for code in codes:
        mine = [d for d in details if key(d) == code]
        plan, actual, fot = sum(d.ytd_plan for d in mine), sum(d.ytd_actual for d in mine), sum(d.submitted_fot for d in mine)
        rows.append(Row(code, label(code), (plan, actual, plan - actual, fot)))
    if details:
        plan, actual = sum(d.ytd_plan for d in details), sum(d.ytd_actual for d in details)
        rows.append(Row(TOTAL, "Total", (plan, actual, plan - actual, sum(d.submitted_fot for d in details)), total=True))
    return tuple(rows)


def monthly_table(pack: PackInputs) -> Table:
    r = pack.results
    by_org = {a.org: a for a in r.agency}
    mine = [by_org[o.code] for o in providers(r) if o.code in by_org]
    rows = [Row(a.org, r.org(a.org).name, a.monthly_spend) for a in mine]
    if mine:
        rows.append(Row("PROVIDERS", labels.PROVIDER_TOTAL, tuple(sum(m) for m in zip(*(a.monthly_spend for a in mine))), True))
    capped = [a for a in mine if a.monthly_cap is not None]
    if capped:
        label = "NHSE cap" if len(capped) == len(mine) else "NHSE cap (providers with a cap)"
        rows.append(Row(CAP_ROW, label, (sum(a.monthly_cap for a in capped),) * 12))  # type: ignore[misc]
    return Table(
        "agency_monthly",
        title(f"Agency spend by month: actual to M{r.month}, then forecast", "£000"),
        "£000",
        month_columns(r.year, r.month),
        tuple(rows),
        notes=("Drawn on the Agency sheet; the cap is phased evenly over the year.",),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    """None for a system without NHS providers: agency is the providers' spend."""
    r = pack.results
    if not providers(r):
        return ()
    rows = entries(r, {a.org: a for a in r.agency}, "org", ics_total=False, month=r.month)
    return (
        Table(
            "agency",
            title(f"Agency spend against plan and the NHSE cap, YTD to M{r.month}", "£000"),
            "£000",
            COLUMNS,
            org_rows(rows, _cells),
            notes=(
                f"Cap: {pack.system.parameters.agency_cap_pct}% of planned pay unless the provider has its own cap; a dash means no cap. "
                "A total is shown only when every provider in it has a cap.",
                SURPLUS_TERMS + " Spend under plan or cap is favourable.",
            ),
        ),
        Table("agency_staff_groups", title("Agency spend by staff group", "£000"), "£000", DETAIL_COLUMNS,
              _detail(r.agency_detail, lambda d: d.staff_group, lambda s: s)),
        Table("agency_frameworks", title("Agency spend on and off framework", "£000"), "£000", DETAIL_COLUMNS,
              _detail(r.agency_detail, lambda d: d.framework, lambda f: labels.FRAMEWORKS.get(f, f))),
        monthly_table(pack),
    )
