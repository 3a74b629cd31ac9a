"""What a close folder says before any workbook is read: its year and month (the folder
names), its organisations (system.yaml), and which contract workbooks it holds.

Both the close's own process and validation's worker start from here (``worker``): the worker
may begin reading before the close's process has imported the model, so it works out the
same context from the same folder, and the close's process checks that it did (``parallel``).
"""

from __future__ import annotations

import decimal
import hashlib
import os
from pathlib import Path

from finmodel.calendar import Period
from finmodel.close_inputs import InputFile
from finmodel.contract import WORKBOOKS
from finmodel.findings import Finding
from finmodel.system_config import MAX_SYSTEM_YAML_BYTES, SYSTEM_YAML, SystemConfig, parse_system
from finmodel.validate.context import Context
from finmodel.validate.log import FOLDER, FindingLog


def close_context(folder: Path, log: FindingLog) -> tuple[Context, InputFile | None, str]:
    """(the close's context with no tables yet, system.yaml as a stored input, its text);
    every fault in the folder names or system.yaml goes to ``log``."""
    period = _period(folder, log)
    system, system_file, system_text = _system(folder.parent / SYSTEM_YAML, log)
    if system is not None and period is not None and system.financial_year != period.year:
        expected = f"{period.year.label}, the year of the folder '{folder.parent.name}'"
        log.add(Finding(SYSTEM_YAML, "", None, "year", "wrong_year", system.year, expected))
    year = period.year if period else (system.financial_year if system else None)
    return Context(system, period, year), system_file, system_text


def workbook_paths(folder: Path) -> list[Path]:
    """The contract's workbooks present in the folder, in contract order."""
    return [folder / w.filename for w in WORKBOOKS if (folder / w.filename).is_file()]


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


def context_basis(folder: Path, system_file: InputFile | None, numbers: decimal.Context) -> str:
    """What the close's context was made from: the folder, system.yaml's bytes (as hashed) and
    the decimal context its shares are parsed in. Two processes with the same basis made the
    same context: validation's worker says which it used, and is believed only if it is this."""
    digits = (numbers.prec, numbers.rounding, numbers.Emin, numbers.Emax, numbers.capitals, numbers.clamp)
    traps = sorted(t.__name__ for t, on in numbers.traps.items() if on)
    return f"{os.path.abspath(folder)}|{system_file.sha256 if system_file else '-'}|{digits}|{traps}"
