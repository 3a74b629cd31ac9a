"""The counterparty of a ledger row: an organisation of system.yaml, or a body outside.

A value that is an organisation's code (or a partner's, where system.yaml lists partners)
names it; any other text is a body outside the system. Two faults are caught here because
either would silently keep a flow from being eliminated (domain.md, "agreement of
balances"): a row naming its own organisation (an error: a flow needs two sides), and a
code-like value one typo from an organisation's code (a warning: it may be a body outside
with a similar code, so it is read as outside, never guessed to be the organisation).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from finmodel.validate.check import check
from finmodel.typos import nearest_code
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column, flag
from finmodel.validate.table import Table

# What a code looks like when typed: letters, digits and underscores, no spaces.
_CODE_LIKE = re.compile(r"[A-Za-z0-9_]{1,20}")


def partner_codes(system: object) -> frozenset[str]:
    """Codes of system.yaml's partners, where it lists them (an optional section)."""
    return frozenset(str(getattr(p, "code", "")) for p in getattr(system, "partners", None) or ())


def near_org_code(value: str, orgs: frozenset[str]) -> str | None:
    """The organisation code a code-like value is one typo (or a letter's case) from."""
    if value in orgs or not _CODE_LIKE.fullmatch(value):
        return None
    same = [o for o in orgs if o.lower() == value.lower()]
    return same[0] if same else nearest_code(value, orgs)


@check
def counterparties(table: Table, ctx: Context, log: FindingLog) -> None:
    """Not the row's own organisation; not a near miss of an organisation's code."""
    if ctx.system is None or not table.has("counterparty") or not len(table):
        return
    given = table.ok("counterparty")
    values, org = column(table, "counterparty"), column(table, "org")
    own = given & table.ok("org") & (values == org)
    flag(table, log, "counterparty", "counterparty_is_self", own, "the other side of the flow: another organisation's code, or a body outside (leave it blank if there is none)")
    orgs = frozenset(ctx.system.codes)
    known = orgs | partner_codes(ctx.system)
    # A few distinct values on any number of rows: each is looked at once.
    for value in pd.unique(values[given & ~own]).tolist():
        near = None if value in known else near_org_code(str(value), orgs)
        if near is not None:
            rows = given & (values == value)
            expected = f"an organisation code of system.yaml exactly (did you mean '{near}'?); read as a body outside the system"
            flag(table, log, "counterparty", "counterparty_near_code", np.asarray(rows, dtype=bool), expected, "warning")
