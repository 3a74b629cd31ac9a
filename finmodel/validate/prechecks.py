"""A sheet's own checks, run where the sheet was read: in validation's worker or here.

Most checks of ``registry`` need nothing but their sheet's table and the close (the year, the
month, the organisations). Run after every workbook is read, they are work for one process
alone at the end of a close (1.8 s at a million rows); run as each workbook is read, they
are shared by both processes with the reading. A check that looks at another sheet
(``context.tables``) cannot run yet: it is given a close whose tables refuse to be read,
and is left for ``validate._check_sheets`` to run once every sheet is in. So is a check that
fails here for any reason: it fails again there, where the failure is reported.

What a check found here is kept per sheet and check position (``Prechecked``) and merged
in registry order by ``_check_sheets``, exactly where running it there would have put it.
A sheet's completeness checks are run here too when neither its reading nor its own checks
found an error; ``_check_sheets`` still decides, on every finding of the close, whether
they count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from finmodel.validate.check import Check
from finmodel.validate.context import Context
from finmodel.validate.registry import SHEETS
from finmodel.validate.table import Table
from finmodel.validate.workbook import Prechecked, WorkbookRead

CHECKS, COMPLETENESS = "checks", "completeness"


class OtherSheetsNotRead(Exception):
    """A check asked for another sheet while the workbooks are still being read."""


class TablesNotRead(Mapping[Any, Any]):
    # Mapping's get and "in" go through __getitem__, and let through anything but KeyError.
    def __getitem__(self, key: object) -> Any:
        raise OtherSheetsNotRead(key)

    def __iter__(self) -> Iterator[Any]:
        raise OtherSheetsNotRead(None)

    def __len__(self) -> int:
        raise OtherSheetsNotRead(None)


def precheck(read: WorkbookRead, ctx: Context) -> None:
    """Run the own-sheet checks of each sheet of the workbook; what they found goes to ``read.checked``."""
    alone = Context(ctx.system, ctx.period, ctx.year, TablesNotRead())
    for rules in SHEETS:
        table = read.tables.get((rules.workbook, rules.sheet))
        if table is None:
            continue
        done: Prechecked = {}
        errors = read.log.has_errors_on(rules.workbook, rules.sheet)
        _run(CHECKS, rules.checks, table, alone, done)
        # Speculative when a check was left for later: it is used only if that one finds no error.
        if not errors and not any(log.has_errors_on(rules.workbook, rules.sheet) for log in done.values()):
            _run(COMPLETENESS, rules.completeness, table, alone, done)
        read.checked[(rules.workbook, rules.sheet)] = done


def _run(stage: str, checks: tuple[Check, ...], table: Table, ctx: Context, done: Prechecked) -> None:
    """Each check that runs on its sheet alone, into ``done``."""
    for position, check in enumerate(checks):
        try:
            done[(stage, position)] = check(table, ctx)
        except Exception:  # noqa: BLE001, S112 - another sheet needed, or a fault: run (and reported) later
            continue
