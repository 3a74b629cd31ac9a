"""pooled.xlsx against itself and system.yaml: every fund a row or share rule names is on the
funds sheet, every host and partner an organisation or partner of system.yaml.

A fund, host or partner that is not declared is an error, never a row quietly left out of a
fund's contributions or spend.
"""

from __future__ import annotations

import numpy as np

from finmodel.findings import Finding
from finmodel.validate.check import check
from finmodel.typos import meant
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column, flag, member
from finmodel.validate.table import Table

POOLED = "pooled.xlsx"


def declared_partners(ctx: Context) -> tuple[str, ...]:
    """Organisation and partner codes of system.yaml, in its order."""
    if ctx.system is None:
        return ()
    return (*ctx.system.codes, *(p.code for p in ctx.system.partners))


def _funds(ctx: Context) -> list[str] | None:
    funds = ctx.table(POOLED, "funds")
    if funds is None or not funds.has("fund"):
        return None
    return sorted(set(funds.values["fund"][funds.ok("fund")].tolist()))


def _unknown(table: Table, log: FindingLog, name: str, kind: str, known: list[str] | tuple[str, ...], what: str) -> None:
    if not table.has(name):
        return
    values = column(table, name)
    wrong = table.ok(name) & ~member(values, known)
    if not wrong.any():
        return
    listing = ", ".join(known) or "none"
    expected = []
    for value in values[wrong][: log.cap].tolist():
        expected.append(f"{what}: {listing}{meant(str(value), tuple(known))}")
    flag(table, log, name, kind, wrong, expected)


@check
def known_funds(table: Table, ctx: Context, log: FindingLog) -> None:
    """A contribution or scheme row names a fund of the funds sheet."""
    funds = _funds(ctx)
    if funds is not None:
        _unknown(table, log, "fund", "unknown_fund", funds, "a fund listed on the funds sheet")


@check
def known_partners(table: Table, ctx: Context, log: FindingLog) -> None:
    """A contribution's partner (and a fund's host) is an organisation or partner of system.yaml."""
    if ctx.system is None:
        return
    name = "host" if table.sheet == "funds" else "partner"
    _unknown(table, log, name, "unknown_partner", declared_partners(ctx), "an organisation or partner code of system.yaml")


@check
def contributions_phased_once(table: Table, ctx: Context, log: FindingLog) -> None:
    """A partner's contribution to a fund is a full-year figure or phased by month, not both."""
    if not (table.has("fund") and table.has("partner") and table.has("month")):
        return
    pairs = [f"{f}|{p}" for f, p in zip(column(table, "fund").tolist(), column(table, "partner").tolist())]
    keys = np.array(pairs, dtype=object)
    phased = set(keys[table.ok("month")].tolist())
    whole = ~table.ok("month") & member(keys, phased) & ~table.bad["month"]
    flag(table, log, "month", "missing_value", whole, "a month on every row of a phased contribution (this fund and partner are phased on other rows)")


def rule_funds(ctx: Context) -> FindingLog:
    """Every fund a share rule of system.yaml names is a fund of pooled.xlsx."""
    log = FindingLog()
    if ctx.system is None:
        return log
    funds = _funds(ctx)
    listing = "none: pooled.xlsx is not in the close folder" if funds is None else (", ".join(funds) or "none")
    for r, rule in enumerate(ctx.system.share_rules):
        if rule.fund is not None and (funds is None or rule.fund not in funds):
            expected = f"a fund on the funds sheet of pooled.xlsx: {listing}"
            log.add(Finding("system.yaml", "", None, f"share_rules.{r}.fund", "unknown_fund", rule.fund, expected))
    return log
