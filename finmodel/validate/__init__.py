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

import hashlib
from pathlib import Path

import pandas as pd

from finmodel.calendar import Period
from finmodel.close_inputs import CloseInputs, InputFile, empty_frame
from finmodel.contract import WORKBOOKS
from finmodel.findings import Finding, shown, warnings
from finmodel.system_config import MAX_SYSTEM_YAML_BYTES, SYSTEM_YAML, SystemConfig, parse_system
from finmodel.validate.checks.pooled import rule_funds
from finmodel.validate.context import Context
from finmodel.validate.log import FOLDER, FindingLog
from finmodel.validate.parallel import Prebuilt, read_close
from finmodel.validate.registry import SHEETS
from finmodel.validate.table import Table
from finmodel.validate.workbook import UNREADABLE, Tables

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
    period = _period(folder, log)
    system, system_file, system_text = _system(folder.parent / SYSTEM_YAML, log)
    if system is not None and period is not None and system.financial_year != period.year:
        expected = f"{period.year.label}, the year of the folder '{folder.parent.name}'"
        log.add(Finding(SYSTEM_YAML, "", None, "year", "wrong_year", system.year, expected))
    year = period.year if period else (system.financial_year if system else None)
    tables, files, prebuilt = _read_workbooks(folder, Context(system, period, year), log, workers)
    ctx = Context(system, period, year, tables)
    _check_sheets(ctx, log)
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


def _period(folder: Path, log: FindingLog) -> Period | None:
    if not folder.is_dir():
        log.add(Finding(FOLDER, "", None, "", "missing_file", str(folder), "a close folder such as inputs/2023-24/M10"))
        return None
    try:
        return Period.parse(folder.parent.name, folder.name)
    except ValueError:
        expected = "a close folder named M1..M12 inside a year folder named like 2023-24"
        log.add(Finding(FOLDER, "", None, "", "bad_folder", f"{folder.parent.name}/{folder.name}", expected))
        return None


def _system(path: Path, log: FindingLog) -> tuple[SystemConfig | None, InputFile | None, str]:
    """system.yaml read once: the same bytes are validated, hashed and stored with the close."""
    if not path.is_file():
        log.add(Finding(SYSTEM_YAML, "", None, "", "missing_file", str(path), "system.yaml in the year folder"))
        return None, None, ""
    size = path.stat().st_size
    if size > MAX_SYSTEM_YAML_BYTES:
        log.add(Finding(SYSTEM_YAML, "", None, "", "too_large", f"{size:,} bytes", "under 1 MB"))
        return None, None, ""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        log.add(Finding(SYSTEM_YAML, "", None, "", "not_text", "", "UTF-8 text"))
        return None, None, ""
    config, findings = parse_system(text)
    log.extend(findings)
    return config, InputFile(SYSTEM_YAML, hashlib.sha256(data).hexdigest(), len(data)), text


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


def _read_workbooks(folder: Path, ctx: Context, log: FindingLog, workers: int | None) -> tuple[Tables, list[InputFile], Prebuilt]:
    paths = []
    for workbook in WORKBOOKS:
        path = folder / workbook.filename
        if path.is_file():
            paths.append(path)
        elif workbook.required and folder.is_dir():
            expected = f"{workbook.filename} in the close folder{_near_names(folder, workbook.filename)}"
            log.add(Finding(workbook.filename, "", None, "", "missing_file", "no such file", expected))
    _other_workbooks(folder, log)
    tables: Tables = {}
    files: list[InputFile] = []
    reads, prebuilt = read_close(paths, ctx, workers)
    for read in reads:
        log.merge(read.log)
        tables.update(read.tables)
        if read.file is not None:
            files.append(read.file)
    return tables, files, prebuilt


# --- checks, then frames ------------------------------------------------------------------


def _check_sheets(ctx: Context, log: FindingLog) -> None:
    """Every registered check of every sheet read, its findings merged in registry order."""
    for rules in SHEETS:
        table = ctx.table(rules.workbook, rules.sheet)
        if table is None:
            continue
        _run(rules.checks, table, ctx, log)
        # After the sheet's other checks: a row with any error could be the one that seems missing.
        if not log.has_errors_on(rules.workbook, rules.sheet):
            _run(rules.completeness, table, ctx, log)


def _run(checks: tuple, table: Table, ctx: Context, log: FindingLog) -> None:
    for check in checks:
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
