"""Provider summaries: one block per provider, the drivers of its position (£m) beside its
plan, actual and variance (£000) for its I&E as a trust board reads it (income by category,
EBITDA and its margin, the surplus/(deficit): results.subjective), agency, bank and
efficiencies."""

from __future__ import annotations

from finmodel.report import labels
from finmodel.report.orgs import providers
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SURPLUS_TERMS, plan_actual_var, title
from finmodel.report.sheets.drivers import BEFORE_ERF
from finmodel.report.sheets.lines import subjective_rows
from finmodel.report.table import Column, Row, Table
from finmodel.results import CloseResults, OrgInfo
from finmodel.results.subjective import provider_lines

# Both tables of a block carry a header band, so their header and data rows line up.
DRIVER_COLUMNS = (Column("ytd_var", "Variance", "gbp", "Year to date"),)
PERFORMANCE_COLUMNS = plan_actual_var("ytd", "Year to date")
SIGNS = ("In the I&E rows, to the surplus/(deficit), expenditure is negative so that they add up to it; "
         "agency and bank spend and efficiencies delivered are positive.")


def _drivers(r: CloseResults, org: OrgInfo) -> Table:
    d = next(x for x in r.drivers if x.org == org.code)
    rows = [Row(code, labels.DRIVERS[code], (getattr(d, code),)) for code in BEFORE_ERF]
    rows += [
        Row("total_excl_erf", labels.DRIVERS["total_excl_erf"], (d.total_excl_erf,), total=True),
        Row("erf", labels.DRIVERS["erf"], (d.erf,)),
        Row("total", labels.DRIVERS["total"], (d.total,), total=True),
    ]
    return Table(f"provider_drivers_{org.code}", title(f"{org.name}: drivers", "£m"), "£m",
                 DRIVER_COLUMNS, tuple(rows))


def _performance(r: CloseResults, org: OrgInfo) -> Table:
    surplus = ("financial_performance", "Financial performance: surplus/(deficit)")
    rows = list(subjective_rows(provider_lines(r, org.code), PERFORMANCE_COLUMNS, surplus))
    agency = next((a for a in r.agency if a.org == org.code), None)
    if agency is not None:
        rows.append(Row("agency", "Agency spend", (agency.ytd_plan, agency.ytd_actual, agency.variance_to_plan)))
        rows.append(Row("bank", "Bank spend", (agency.bank_ytd_plan, agency.bank_ytd_actual, agency.bank_variance_to_plan)))
    cip = next((c for c in r.cip if c.row == org.code), None)
    if cip is not None:
        rec_plan, rec_actual = cip.recurrent_ytd_plan, cip.recurrent_ytd_actual
        non_plan, non_actual = cip.ytd_plan - rec_plan, cip.ytd_actual - rec_actual
        rows += [
            Row("efficiencies", "Efficiencies delivered", (cip.ytd_plan, cip.ytd_actual, cip.ytd_variance)),
            Row("recurrent", "of which recurrent", (rec_plan, rec_actual, rec_actual - rec_plan)),
            Row("non_recurrent", "of which non-recurrent", (non_plan, non_actual, non_actual - non_plan)),
        ]
    return Table(f"provider_performance_{org.code}", title(f"{org.name}: YTD performance", "£000"), "£000",
                 PERFORMANCE_COLUMNS, tuple(rows), notes=(SIGNS, SURPLUS_TERMS), beside=True)


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    return tuple(t for org in providers(r) for t in (_drivers(r, org), _performance(r, org)))
