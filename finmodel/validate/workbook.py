"""One workbook file -> its contract sheets as typed tables, with every fault found in them.

A workbook is read with nothing shared but the Context, and its findings go to a log of its
own, so workbooks can be read in any order and in any process (see ``parallel``): the cap
on findings is per workbook, sheet and kind, so merging the logs afterwards counts exactly
what one shared log would have.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from finmodel.close_inputs import InputFile
from finmodel.contract import WORKBOOKS, Sheet
from finmodel.findings import Finding, shown
from finmodel.gc_pause import collector_paused
from finmodel.read import RawWorkbook, UnreadableRow, read_failure, read_workbook
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.table import Table, read_table

Tables = dict[tuple[str, str], Table]
# (stage, position in the registry) -> what that check of the sheet found (``prechecks``).
Prechecked = dict[tuple[str, int], FindingLog]
UNREADABLE = "a workbook this tool can read (if Excel opens it, please report this with the file)"
UNREADABLE_ROW = "cells this tool can read (one in this row is out of range for its format, e.g. a huge number formatted as a date: check the row's cells and their formats)"
_BY_NAME = {w.filename: w for w in WORKBOOKS}


@dataclass
class WorkbookRead:
    filename: str
    tables: Tables  # (workbook, sheet) -> table, for the contract sheets found
    log: FindingLog
    file: InputFile | None  # None when the file could not be opened at all
    pid: int  # the process that read it
    # (workbook, sheet) -> the sheet's own checks, run where it was read (``prechecks``)
    checked: dict[tuple[str, str], Prechecked] = field(default_factory=dict)


def read_one(path: Path, ctx: Context) -> WorkbookRead:
    """Read and type one contract workbook; never raises for what is in the file."""
    workbook = _BY_NAME[path.name]
    log = FindingLog()
    tables: Tables = {}
    file = None
    try:
        with collector_paused():
            raw, faults = read_workbook(path, [s.name for s in workbook.sheets])
            log.extend(faults)
            if raw is not None:
                file = InputFile(raw.filename, raw.sha256, raw.size)
                for sheet in workbook.sheets:
                    _read_sheet(raw, sheet, ctx, log, tables)
    except BaseException as exc:  # noqa: BLE001 - one bad file must not hide the others' faults
        if not read_failure(exc):
            raise  # Ctrl-C, exit
        log.add(Finding(workbook.filename, "", None, "", "unreadable", shown(f"{type(exc).__name__}: {exc}"), UNREADABLE))
        tables = {}
    return WorkbookRead(workbook.filename, tables, log, file, os.getpid())


def _read_sheet(raw: RawWorkbook, sheet: Sheet, ctx: Context, log: FindingLog, tables: Tables) -> None:
    alike = [n for n in raw.sheet_names if n.lower() == sheet.name.lower()]
    if len(alike) > 1:
        # Excel refuses two sheet names that differ only in case; which one a tool reads as
        # 'pay' is not the user's choice, so neither is read.
        expected = f"one sheet named '{sheet.name}' (Excel does not allow names differing only in case: delete or rename the others)"
        log.add(Finding(sheet.workbook, sheet.name, None, "", "duplicate_sheet", shown("sheets " + ", ".join(alike), 500), expected))
        return
    if sheet.name not in raw.sheets:
        names = ", ".join(raw.sheet_names)
        found = f"only the sheets {names}" if len(raw.sheet_names) > 1 else f"only the sheet {names}" if names else "no sheets"
        near = [n for n in raw.sheet_names if n.strip().lower() == sheet.name]
        hint = f" (rename '{near[0]}' to '{sheet.name}')" if near else ""
        log.add(Finding(sheet.workbook, sheet.name, None, "", "missing_sheet", shown(found, 500), f"a sheet named '{sheet.name}'{hint}"))
        return
    if raw.sheets[sheet.name].hidden:
        expected = "a visible sheet (it was read as it is; unhide it so reviewers see what was submitted)"
        log.add(Finding(sheet.workbook, sheet.name, None, "", "hidden_sheet", "a hidden sheet", expected, "warning"))
    try:
        tables[(sheet.workbook, sheet.name)] = read_table(raw.sheets[sheet.name], sheet, ctx, log)
    except UnreadableRow as exc:  # the sheet is not read; what was found in it so far stands
        log.add(Finding(sheet.workbook, sheet.name, exc.row, "", "unreadable_row", shown(exc.reason), UNREADABLE_ROW))
