"""A forgotten file or line is never read as zero (inputs.md, "Completeness").

- Every provider has income, pay and nonpay rows; every ICB has its allocation (income) and
  service-line rows (nonpay). Which service lines an ICB commissions is not in system.yaml,
  so a wholly deleted service line cannot be told from one the ICB does not buy. So a header-only workbook is an error
  wherever an organisation of system.yaml must fill it.

A row with its own fault in the org, month or a line column is left out, and so is every
line it could belong to: one typo gives one finding.
"""

from __future__ import annotations

from finmodel.contract import is_provider
from finmodel.validate.check import Check, check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column
from finmodel.validate.table import Table



def provider_rows(what: str) -> Check:
    """Every provider of system.yaml has rows on this sheet (``what``: 'income', 'pay', ...)."""

    @check
    def providers_have_rows(table: Table, ctx: Context, log: FindingLog) -> None:
        if ctx.system is None or not _orgs_known(table):
            return
        present = set(column(table, "org").tolist())
        for org in ctx.system.organisations:
            if is_provider(org.type) and org.code not in present:
                found = f"no {what} rows for {org.code}"
                expected = f"{what} rows for every provider, {org.code} ({org.type}) included (a missing line is never read as zero)"
                log.add_cell(table.where, None, "org", "missing_lines", found, expected)

    return providers_have_rows


def icb_rows(categories: tuple[str, ...], what: str, each: bool = True) -> Check:
    """Every ICB has rows of each of ``categories`` on this sheet (of one of them: ``each=False``)."""

    @check
    def icb_has_rows(table: Table, ctx: Context, log: FindingLog) -> None:
        if ctx.system is None or not _orgs_known(table) or table.bad["category"].any():
            return
        org, category = column(table, "org"), column(table, "category")
        for icb in ctx.system.icbs:
            booked = set(category[org == icb.code].tolist())
            if each:
                missing = [c for c in categories if c not in booked]
            else:
                missing = [] if booked & set(categories) else ["service line"]
            for name in missing:
                expected = f"{what} for every ICB, {icb.code} included (a missing line is never read as zero)"
                log.add_cell(table.where, None, "category", "missing_lines", f"no {name} rows for {icb.code}", expected)

    return icb_has_rows


def _orgs_known(table: Table) -> bool:
    """Whose rows are here is known: a faulty org cell could be anyone's (and is reported)."""
    return table.complete and table.has("org") and not table.bad["org"].any()
