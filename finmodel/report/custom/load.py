"""The custom table files of a year: ``inputs/<year>/reports/*.yaml``, beside system.yaml, so
they travel with the year's inputs. Read once at the close: their text is kept with the
close's results, so ``finmodel report`` lays out the same tables from the history alone."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from finmodel.findings import Finding
from finmodel.report.custom.file import KIND, REPORTS_FOLDER
from finmodel.yaml_input import read_yaml_file

MAX_FILES = 50  # a board's own layouts: a handful; more is a folder put in the wrong place


@dataclass(frozen=True)
class ReportFile:
    name: str  # "reports/regional.yaml": as the findings and the Contents name it
    text: str
    sha256: str
    size: int


def read_custom_tables(year_folder: Path) -> tuple[tuple[ReportFile, ...], list[Finding]]:
    """Every ``*.yaml`` / ``*.yml`` file of the year's reports folder, by name (none: no folder)."""
    folder = Path(year_folder) / REPORTS_FOLDER
    if not folder.is_dir():
        return (), []
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".yaml", ".yml"))
    if len(paths) > MAX_FILES:
        return (), [Finding(f"{REPORTS_FOLDER}/", "", None, "", KIND, f"{len(paths)} files", f"at most {MAX_FILES} custom table files")]
    files, found = [], []
    for path in paths:
        name = f"{REPORTS_FOLDER}/{path.name}"
        text, data, faults = read_yaml_file(path, "a custom table file")
        found += [Finding(name, f.sheet, f.row, f.column, f.kind, f.value, f.expected, f.severity) for f in faults]
        if text is not None:
            files.append(ReportFile(name, text, hashlib.sha256(data).hexdigest(), len(data)))
    return tuple(files), found
