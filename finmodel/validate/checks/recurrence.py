"""A ledger row's recurrence beside its driver: CIP's one-off savings have one home, cip.xlsx."""

from __future__ import annotations

from finmodel.validate.check import check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column, flag
from finmodel.validate.table import Table

NON_RECURRENT = "non_recurrent"
EFFICIENCY = "efficiency"


@check
def efficiency_recurrence(table: Table, ctx: Context, log: FindingLog) -> None:
    """A non_recurrent row tagged ``efficiency``: counted as recurrent, with a warning.

    Savings are inside pay and non-pay already and the CIP tracker's ``recurrent`` flag says
    which are one-off (results/underlying.py takes those out); taking this row out as well
    would count the one-off saving twice (docs/decisions.md, "Underlying position").
    """
    if not (table.has("recurrence") and table.has("driver")):
        return
    tagged = table.ok("recurrence") & table.ok("driver")
    tagged &= (column(table, "recurrence") == NON_RECURRENT) & (column(table, "driver") == EFFICIENCY)
    expected = (
        "recurrent on an efficiency row: a saving's recurrence is its scheme's in cip.xlsx, "
        "so this row is counted as recurrent (a one-off saving is not taken out twice)"
    )
    flag(table, log, "recurrence", "non_recurrent_efficiency", tagged, expected, "warning")
