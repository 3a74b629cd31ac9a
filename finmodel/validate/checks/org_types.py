"""Which organisation may book what: the ICB its allocation and service lines, providers the
rest; PHC is the ICB's; impacts_org points an ICB scheme at a provider."""

from __future__ import annotations

import numpy as np

from finmodel.contract import CONTINUING_CARE, ICB_INCOME_CATEGORIES, ICB_SERVICE_LINES, PROVIDER_INCOME_CATEGORIES
from finmodel.validate.check import check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column, flag, member
from finmodel.validate.table import Table


def _is_icb(table: Table, ctx: Context) -> np.ndarray:
    return member(column(table, "org"), sorted(ctx.icb_codes))


@check
def income_categories(table: Table, ctx: Context, log: FindingLog) -> None:
    """The ICB books only its allocation; a provider never does."""
    if ctx.system is None or not len(table):
        return
    category = column(table, "category")
    known = table.ok("org") & table.ok("category")
    is_icb = _is_icb(table, ctx)
    icb_wrong = known & is_icb & ~member(category, ICB_INCOME_CATEGORIES)
    provider_wrong = known & ~is_icb & member(category, ICB_INCOME_CATEGORIES)
    flag(table, log, "category", "org_type_mismatch", icb_wrong, "the ICB's income category 'allocation' (this org is the ICB)")
    providers = ", ".join(PROVIDER_INCOME_CATEGORIES)
    flag(table, log, "category", "org_type_mismatch", provider_wrong, f"a provider's income category: {providers} (allocation is the ICB's)")


def code_form(values: np.ndarray) -> np.ndarray:
    """Free text as a code would be written: 'Continuing care' -> 'continuing_care'."""
    return np.array([str(v).lower().replace(" ", "_").replace("-", "_") for v in values], dtype=object)


@check
def icb_service_lines(table: Table, ctx: Context, log: FindingLog) -> None:
    """The ICB's nonpay category is a service line, and never continuing care (that is phc.xlsx)."""
    if ctx.system is None or not len(table):
        return
    icb_rows = table.ok("org") & table.ok("category") & _is_icb(table, ctx)
    if not icb_rows.any():
        return
    category = column(table, "category")
    index = np.flatnonzero(icb_rows)
    # Only the ICB's rows are looked at one by one; they are a few hundred at most.
    form = code_form(category[index])
    care = np.zeros(len(table), dtype=bool)
    care[index[form == CONTINUING_CARE]] = True
    wrong = icb_rows & ~care & ~member(category, ICB_SERVICE_LINES)
    expected = "continuing care only in phc.xlsx (its budget sheet), not in the ICB's nonpay"
    flag(table, log, "category", "continuing_care_in_nonpay", care, expected)
    flag(table, log, "category", "org_type_mismatch", wrong, f"an ICB service line: {', '.join(ICB_SERVICE_LINES)}")


def phc_commissioner(table: Table, ctx: Context) -> np.ndarray:
    """The commissioner of each PHC row: the org column, or the one ICB where it is absent."""
    icbs = [o.code for o in ctx.system.icbs] if ctx.system else []
    if not table.has("org"):
        return np.full(len(table), icbs[0] if icbs and (len(icbs) == 1 or ctx.system is None) else "", dtype=object)
    org = table.values["org"].copy()
    if len(icbs) == 1:
        org[table.blank["org"]] = icbs[0]
    return org


@check
def phc_is_the_icbs(table: Table, ctx: Context, log: FindingLog) -> None:
    """Each PHC row names an ICB: by its org column, or implicitly where there is one ICB."""
    icbs = [o.code for o in ctx.system.icbs] if ctx.system else []
    if not table.has("org"):
        if len(icbs) != 1 and ctx.system is not None and len(table):
            found = f"{len(icbs)} ICBs in system.yaml" if icbs else "no ICB in system.yaml"
            expected = "an 'org' column naming the ICB on each row (needed when there is not exactly one ICB)"
            log.add_cell(table.where, table.header_row, "org", "missing_column", found, expected)
        return
    if ctx.system is None:
        return  # system.yaml has errors of its own: which ICBs there are is not known, so not said
    if len(icbs) != 1:
        how_many = "several" if icbs else "none"
        flag(table, log, "org", "missing_value", table.blank["org"], f"the ICB this row belongs to (system.yaml has {how_many})")
    not_icb = table.ok("org") & ~member(phc_commissioner(table, ctx), icbs)
    flag(table, log, "org", "org_type_mismatch", not_icb, f"an ICB: {', '.join(icbs) or 'none in system.yaml'} (PHC is the ICB's)")


@check
def impacts_org(table: Table, ctx: Context, log: FindingLog) -> None:
    """impacts_org only where an ICB scheme's saving lands in a provider."""
    if ctx.system is None or not table.has("impacts_org"):
        return
    org, impacts = column(table, "org"), column(table, "impacts_org")
    given = table.ok("impacts_org")
    not_icb = given & table.ok("org") & ~member(org, ctx.icb_codes)
    flag(table, log, "impacts_org", "org_type_mismatch", not_icb, "impacts_org only on an ICB's scheme (leave it blank for a provider's own scheme)")
    not_provider = given & ~member(impacts, ctx.provider_codes)
    flag(table, log, "impacts_org", "org_type_mismatch", not_provider, "a provider, where the ICB scheme's saving lands")
