"""Validation of one close folder: every workbook and system.yaml -> CloseInputs + findings.

All faults are found in one run: a faulty file is reported and the others are still read,
so a finance team fixes everything in one round. The stages are:

- the folder names give the close (``2023-24/M10``), system.yaml gives the organisations;
- ``read`` refuses unsafe files and returns raw cells; ``table`` types every column and
  locates cell faults, one workbook at a time (``workbook``), in two processes for a
  large close (``parallel`` and its ``worker``, speaking ``wire``);
- the checks of ``registry`` (one module per idea in ``checks/``) find the faults across
  rows and sheets, each a pure ``(table, context) -> findings``;
- only when nothing is an error, ``frames`` builds the typed frames of ``CloseInputs``.

Nothing here raises for bad input: an unexpected exception while reading one workbook
becomes an ``unreadable`` finding for that file.
"""

from __future__ import annotations

import decimal
from pathlib import Path

import pandas as pd

from finmodel.close_inputs import CloseInputs, InputFile, empty_frame
from finmodel.contract import WORKBOOKS
from finmodel.findings import Finding, shown, warnings
from finmodel.validate.checks.pooled import rule_funds
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.parallel import Prebuilt, read_close
from finmodel.validate.registry import SHEETS
from finmodel.validate.table import Table
from finmodel.validate.close_context import close_context, context_basis, workbook_paths
from finmodel.validate.prechecks import CHECKS, COMPLETENESS
from finmodel.validate.workbook import UNREADABLE, Prechecked, Tables

__all__ = ["validate_close"]


def validate_close(folder: Path, workers: int | None = None) -> tuple[CloseInputs | None, list[Finding]]:
    """folder is a close folder such as inputs/2023-24/M10; system.yaml is in its parent.

    workers: processes that may read workbooks at once, this one included (default: the
    usable cores; 1 reads every workbook here). The result is the same either way.

    Returns (inputs, findings): inputs is None when any finding is an error. findings holds
    every error and warning, in reading order (workbook order of the contract, sheet, row,
    column).
    """
    folder = Path(folder)
    log = FindingLog()
    start, system_file, system_text = close_context(folder, log)
    system, period = start.system, start.period
    basis = context_basis(folder, system_file, decimal.getcontext())
    tables, files, prebuilt, checked = _read_workbooks(folder, start, log, workers, basis)
    ctx = Context(system, period, start.year, tables)
    _check_sheets(ctx, log, checked)
    if folder.is_dir():  # no folder, no pooled.xlsx to hold the funds: one finding (the folder) is enough
        log.merge(rule_funds(ctx))
    if log.has_errors or system is None or period is None:
        return None, log.findings()
    frames = _build_frames(ctx, log, prebuilt)
    findings = log.findings()
    if log.has_errors:
        return None, findings
    inputs = CloseInputs(
        system=system,
        period=period,
        **{rules.frame: frames.get(rules.frame, empty_frame(rules.frame)) for rules in SHEETS},
        files=tuple([system_file, *files]) if system_file else tuple(files),
        warnings=tuple(warnings(findings)),
        system_yaml=system_text,
        text_codes=prebuilt.codes,
    )
    return inputs, findings


def _near_names(folder: Path, filename: str) -> str:
    stem = filename.split(".")[0].lower()
    near = sorted(p.name for p in folder.iterdir() if p.name.lower().split(".")[0] == stem) if folder.is_dir() else []
    return f" (found {', '.join(near)}: the name must be exactly {filename})" if near else ""


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv")


def _other_workbooks(folder: Path, log: FindingLog) -> None:
    """A workbook in the folder that the contract does not name (``pay (2).xlsx``) is not read: said so.

    Office's lock files (``~$pay.xlsx``, there while a workbook is open) are left alone, and
    so is a contract name in another case when that workbook is missing (missing_file names it).
    """
    if not folder.is_dir():
        return
    names = {w.filename for w in WORKBOOKS}
    missing = {n.lower() for n in names if not (folder / n).is_file()}
    listing = ", ".join(sorted(names))
    for path in sorted(folder.iterdir()):
        name = path.name
        if name in names or name.startswith("~$") or not name.lower().endswith(SPREADSHEET_SUFFIXES) or name.lower() in missing:
            continue
        expected = f"only the contract's workbooks ({listing}): this one was not read (move its figures into the contract's workbook, or the file out of the folder)"
        log.add(Finding(name, "", None, "", "extra_file", "a workbook that is not part of the input contract", expected, "warning"))


def _read_workbooks(
    folder: Path, ctx: Context, log: FindingLog, workers: int | None, basis: str,
) -> tuple[Tables, list[InputFile], Prebuilt, dict[tuple[str, str], Prechecked]]:
    paths = workbook_paths(folder)
    for workbook in WORKBOOKS:
        path = folder / workbook.filename
        if not path.is_file() and workbook.required and folder.is_dir():
            expected = f"{workbook.filename} in the close folder{_near_names(folder, workbook.filename)}"
            log.add(Finding(workbook.filename, "", None, "", "missing_file", "no such file", expected))
    _other_workbooks(folder, log)
    tables: Tables = {}
    files: list[InputFile] = []
    checked: dict[tuple[str, str], Prechecked] = {}
    reads, prebuilt = read_close(paths, ctx, workers, basis)
    for read in reads:
        log.merge(read.log)
        tables.update(read.tables)
        checked.update(read.checked)
        if read.file is not None:
            files.append(read.file)
    return tables, files, prebuilt, checked


# --- checks, then frames ------------------------------------------------------------------


def _check_sheets(ctx: Context, log: FindingLog, checked: dict[tuple[str, str], Prechecked]) -> None:
    """Every registered check of every sheet read, its findings merged in registry order
    (those run where the sheet was read, ``prechecks``, taken as they are)."""
    for rules in SHEETS:
        table = ctx.table(rules.workbook, rules.sheet)
        if table is None:
            continue
        done = checked.get((rules.workbook, rules.sheet), {})
        _run(rules.checks, table, ctx, log, done, CHECKS)
        # After the sheet's other checks: a row with any error could be the one that seems missing.
        if not log.has_errors_on(rules.workbook, rules.sheet):
            _run(rules.completeness, table, ctx, log, done, COMPLETENESS)


def _run(checks: tuple, table: Table, ctx: Context, log: FindingLog, done: Prechecked, stage: str) -> None:
    for position, check in enumerate(checks):
        found = done.get((stage, position))  # run where the sheet was read (``prechecks``)
        if found is not None:
            log.merge(found)
            continue
        try:
            log.merge(check(table, ctx))
        except Exception as exc:  # noqa: BLE001 - reported against the sheet, never a traceback
            log.add(Finding(table.workbook, table.sheet, None, "", "unreadable", shown(f"{type(exc).__name__}: {exc}"), UNREADABLE))


def _build_frames(ctx: Context, log: FindingLog, prebuilt: Prebuilt) -> dict[str, pd.DataFrame]:
    """Each sheet's frame: as the worker built it from the same table, or built here."""
    frames: dict[str, pd.DataFrame] = {}
    for rules in SHEETS:
        table = ctx.table(rules.workbook, rules.sheet)
        if table is None:
            continue
        if rules.frame in prebuilt.frames:
            frames[rules.frame] = prebuilt.frames[rules.frame]
            continue
        try:
            frames[rules.frame] = rules.build(table, ctx)
        except Exception as exc:  # noqa: BLE001
            log.add(Finding(rules.workbook, rules.sheet, None, "", "unreadable", shown(f"{type(exc).__name__}: {exc}"), UNREADABLE))
    return frames
