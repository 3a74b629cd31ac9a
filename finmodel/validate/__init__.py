"""Validation of one close folder: every workbook and system.yaml -> CloseInputs + findings.

All faults are found in one run: a faulty file is reported and the others are still read,
so a finance team fixes everything in one round. The stages are:

- the folder names give the close (``2023-24/M10``), system.yaml gives the organisations;
- ``read`` refuses unsafe files and returns raw cells; ``table`` types every column and
  locates cell faults, one workbook at a time (``workbook``), in two processes for a
  large close (``parallel``); ``ledgers``/``trackers`` apply each sheet's row rules and build the
  frames; ``reconcile`` checks agency.xlsx against pay.xlsx.

Nothing here raises for bad input: an unexpected exception while reading one workbook
becomes an ``unreadable`` finding for that file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from finmodel.calendar import Period
from finmodel.close_inputs import CloseInputs, InputFile, empty_frame
from finmodel.contract import WORKBOOKS
from finmodel.findings import Finding, shown, warnings
from finmodel.system_config import MAX_SYSTEM_YAML_BYTES, SYSTEM_YAML, SystemConfig, parse_system
from finmodel.validate.context import Context
from finmodel.validate.ledgers import income_rules, ledger_frame, nonpay_rules, phc_org
from finmodel.validate.log import FOLDER, FindingLog
from finmodel.validate.parallel import read_workbooks
from finmodel.validate.reconcile import reconcile_agency
from finmodel.validate.table import Table
from finmodel.validate.trackers import capital_frame, cip_schemes_frame, phc_packages_frame, risks_frame, unknown_schemes
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
    ctx = Context(system, period, year)
    tables, files = _read_workbooks(folder, ctx, log, workers)
    frames = _build_frames(tables, ctx, log)
    findings = log.findings()
    if log.has_errors or system is None or period is None:
        return None, findings
    inputs = CloseInputs(
        system=system,
        period=period,
        **{name: frames.get(name, empty_frame(name)) for name in _FRAME_SHEETS},
        files=tuple([system_file, *files]) if system_file else tuple(files),
        warnings=tuple(warnings(findings)),
        system_yaml=system_text,
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


def _read_workbooks(folder: Path, ctx: Context, log: FindingLog, workers: int | None) -> tuple[Tables, list[InputFile]]:
    paths = []
    for workbook in WORKBOOKS:
        path = folder / workbook.filename
        if path.is_file():
            paths.append(path)
        elif workbook.required and folder.is_dir():
            expected = f"{workbook.filename} in the close folder{_near_names(folder, workbook.filename)}"
            log.add(Finding(workbook.filename, "", None, "", "missing_file", "no such file", expected))
    tables: Tables = {}
    files: list[InputFile] = []
    for read in read_workbooks(paths, ctx, workers):
        log.merge(read.log)
        tables.update(read.tables)
        if read.file is not None:
            files.append(read.file)
    return tables, files


# --- frames ------------------------------------------------------------------------------

Builder = Callable[[Table, Context, FindingLog, Tables], pd.DataFrame]


def _ledger(name: str, rules: Callable[[Table, Context, FindingLog], None] | None = None) -> Builder:
    def build(table: Table, ctx: Context, log: FindingLog, tables: Tables) -> pd.DataFrame:
        if rules is not None:
            rules(table, ctx, log)
        return ledger_frame(table, name, ctx, log)

    return build


def _cip_delivery(table: Table, ctx: Context, log: FindingLog, tables: Tables) -> pd.DataFrame:
    schemes = tables.get(("cip.xlsx", "schemes"))
    if schemes is not None:
        unknown_schemes(table, schemes, log)
    return ledger_frame(table, "cip_delivery", ctx, log)


def _phc_budget(table: Table, ctx: Context, log: FindingLog, tables: Tables) -> pd.DataFrame:
    return ledger_frame(table, "phc_budget", ctx, log, "phc", phc_org(table, ctx, log))


_FRAME_SHEETS: dict[str, tuple[str, str, Builder]] = {
    "income": ("income.xlsx", "income", _ledger("income", income_rules)),
    "pay": ("pay.xlsx", "pay", _ledger("pay")),
    "nonpay": ("nonpay.xlsx", "nonpay", _ledger("nonpay", nonpay_rules)),
    "agency": ("agency.xlsx", "agency", _ledger("agency")),
    "cip_schemes": ("cip.xlsx", "schemes", lambda t, c, log, _: cip_schemes_frame(t, c, log)),
    "cip_delivery": ("cip.xlsx", "delivery", _cip_delivery),
    "phc_budget": ("phc.xlsx", "budget", _phc_budget),
    "phc_packages": ("phc.xlsx", "packages", lambda t, c, log, _: phc_packages_frame(t, phc_org(t, c, log), log)),
    "capital": ("capital.xlsx", "capital", lambda t, c, log, _: capital_frame(t, log)),
    "risks": ("risks.xlsx", "register", lambda t, c, log, _: risks_frame(t, log)),
}


def _build_frames(tables: Tables, ctx: Context, log: FindingLog) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    for name, (workbook, sheet, build) in _FRAME_SHEETS.items():
        table = tables.get((workbook, sheet))
        if table is None:
            continue
        try:
            frames[name] = build(table, ctx, log, tables)
        except Exception as exc:  # noqa: BLE001 - reported against the file, never a traceback
            log.add(Finding(workbook, sheet, None, "", "unreadable", shown(f"{type(exc).__name__}: {exc}"), UNREADABLE))
    pay, agency = tables.get(("pay.xlsx", "pay")), tables.get(("agency.xlsx", "agency"))
    if ctx.period is not None and pay is not None and agency is not None and "pay" in frames and "agency" in frames:
        if pay.complete and agency.complete:
            try:
                reconcile_agency(frames["pay"], pay, frames["agency"], agency, ctx.period, log)
            except Exception as exc:  # noqa: BLE001
                log.add(Finding("agency.xlsx", "agency", None, "", "unreadable", shown(f"{type(exc).__name__}: {exc}"), UNREADABLE))
    return frames

