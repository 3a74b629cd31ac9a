"""What a validation check is: a pure function of one sheet's table and the close.

``Check = (table, context) -> findings``. The findings are a ``FindingLog`` of the check's
own (capped per kind, so a million flagged rows never become a million objects); the
caller merges them in registry order. A check reads other sheets through
``context.tables`` and never changes anything it is given.

Most rules are written against a log (``rule(table, context, log)``): ``@check`` turns
one into a check. A new rule is one such function and one line in ``registry``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.table import Table

Findings = FindingLog
Check = Callable[[Table, Context], Findings]
Rule = Callable[[Table, Context, FindingLog], None]


def check(rule: Rule) -> Check:
    """The rule as a check: run on a fresh log, which is returned."""

    @functools.wraps(rule)
    def run(table: Table, ctx: Context) -> Findings:
        log = FindingLog()
        rule(table, ctx, log)
        return log

    return run
