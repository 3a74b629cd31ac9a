"""Every contract sheet's checks and frame, in one place.

A check is ``(table, context) -> findings`` (``check.py``); the checks of a sheet run in
the order listed here, after its cells are typed, and their findings are merged in that
order; its completeness checks run last, and only if neither reading the sheet nor its
checks found an error on it. A frame is built from the sheet only when no check found an error. To add a rule:
write it (one function in ``checks/``) and add it to its sheet's line below.
"""

from __future__ import annotations

from dataclasses import dataclass

from finmodel.contract import ICB_INCOME_CATEGORIES, ICB_SERVICE_LINES, LINE_COLUMNS, MONEY_COLUMNS
from finmodel.validate import frames
from finmodel.validate.check import Check
from finmodel.validate.checks.agency import agency_reconciles
from finmodel.validate.checks.amounts import negative_amounts, over_plan, weekly_cost
from finmodel.validate.checks.completeness import icb_rows, provider_rows
from finmodel.validate.checks.counterparty import counterparties
from finmodel.validate.checks.copies import duplicate_ids, duplicate_rows
from finmodel.validate.checks.lines import line_months
from finmodel.validate.checks.months import close_month
from finmodel.validate.checks.org_types import icb_service_lines, impacts_org, income_categories, phc_is_the_icbs
from finmodel.validate.checks.recurrence import efficiency_recurrence
from finmodel.validate.checks.pooled import contributions_phased_once, known_funds, known_partners
from finmodel.validate.checks.registers import known_schemes, mitigation_status, package_dates, package_starts
from finmodel.validate.checks.totals import sum_rows


@dataclass(frozen=True)
class SheetRules:
    workbook: str
    sheet: str
    frame: str  # its name in close_inputs.CloseInputs
    build: frames.Builder
    checks: tuple[Check, ...]
    # Run only when the sheet is otherwise free of errors (after its checks): a faulty row may
    # be the one that seems to be missing, and one typo gives one finding.
    completeness: tuple[Check, ...] = ()


# The rules every ledger-like sheet shares: the close month, credits, units, copies, totals.
LEDGER = (close_month, negative_amounts(*MONEY_COLUMNS), over_plan, duplicate_rows, sum_rows)
# The rules of a sheet whose rows go into the ledger (agency.xlsx is detail of pay).
LEDGER_ROWS = (*LEDGER, counterparties, efficiency_recurrence)  # the checks of a ledger row's own columns

SHEETS: tuple[SheetRules, ...] = (
    SheetRules(
        "income.xlsx", "income", "income", frames.ledger("income"),
        (income_categories, *LEDGER_ROWS),
        (provider_rows("income"), icb_rows(ICB_INCOME_CATEGORIES, "an allocation"), line_months(*LINE_COLUMNS[("income.xlsx", "income")])),
    ),
    SheetRules("pay.xlsx", "pay", "pay", frames.ledger("pay"), LEDGER_ROWS, (provider_rows("pay"), line_months(*LINE_COLUMNS[("pay.xlsx", "pay")]))),
    SheetRules(
        "nonpay.xlsx", "nonpay", "nonpay", frames.ledger("nonpay"),
        (icb_service_lines, *LEDGER_ROWS),
        (provider_rows("nonpay"), icb_rows(ICB_SERVICE_LINES, "service-line rows", each=False), line_months(*LINE_COLUMNS[("nonpay.xlsx", "nonpay")])),
    ),
    SheetRules(
        "agency.xlsx", "agency", "agency", frames.ledger("agency"), (*LEDGER, agency_reconciles),
        (line_months(*LINE_COLUMNS[("agency.xlsx", "agency")]),),
    ),
    SheetRules("cip.xlsx", "schemes", "cip_schemes", frames.cip_schemes, (duplicate_ids("scheme_id"), impacts_org)),
    SheetRules(
        "cip.xlsx", "delivery", "cip_delivery", frames.ledger("cip_delivery"), (known_schemes, *LEDGER), (line_months(*LINE_COLUMNS[("cip.xlsx", "delivery")]),),
    ),
    SheetRules(
        "phc.xlsx", "budget", "phc_budget", frames.ledger("phc_budget", "phc"), (phc_is_the_icbs, *LEDGER),
        (line_months(*LINE_COLUMNS[("phc.xlsx", "budget")]),),
    ),
    SheetRules(
        "phc.xlsx", "packages", "phc_packages", frames.phc_packages,
        (phc_is_the_icbs, duplicate_ids("package_id"), negative_amounts("weekly_cost"), package_dates, package_starts, weekly_cost),
    ),
    SheetRules("capital.xlsx", "capital", "capital", frames.capital, (negative_amounts("plan", "forecast", "actual_ytd"), duplicate_rows)),
    SheetRules("risks.xlsx", "register", "risks", frames.risks, (duplicate_ids("id"), negative_amounts("value"), mitigation_status)),
    SheetRules("pooled.xlsx", "funds", "pooled_funds", frames.plain("pooled_funds"), (duplicate_ids("fund"), known_partners)),
    SheetRules(
        "pooled.xlsx", "contributions", "pooled_contributions", frames.pooled_contributions,
        (known_funds, known_partners, negative_amounts("plan"), duplicate_rows, contributions_phased_once),
    ),
    SheetRules(
        "pooled.xlsx", "schemes", "pooled_schemes", frames.ledger("pooled_schemes"), (known_funds, *LEDGER),
        (line_months(*LINE_COLUMNS[("pooled.xlsx", "schemes")]),),
    ),
)
