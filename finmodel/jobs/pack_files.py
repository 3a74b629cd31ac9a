"""The files of a close's board pack as one set: the workbook, its tables, the findings,
and a record of what finmodel wrote.

The record (``.finmodel-pack.json``) names the close and version the pack shows and the
SHA-256 of every file, so finmodel can tell when an analyst has annotated the pack since
(it is then never replaced silently) and when a pack is behind a reopened close.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from finmodel.calendar import close_label
from finmodel.csv_text import csv_bytes, safe_text
from finmodel.findings import Finding
from finmodel.report import WORKBOOK_NAME, PackInputs, board_pack_contents
from finmodel.report.files import replace_all
from finmodel.store import StoredClose

RECORD = ".finmodel-pack.json"
FINDINGS_CSV = "findings.csv"
FINDINGS_HEADER = ("severity", "workbook", "sheet", "row", "column", "kind", "value", "expected", "message")


def findings_csv(findings: Sequence[Finding]) -> bytes:
    """Every finding of the close, as validation gave them (the terminal shows them grouped)."""
    rows: list[Sequence[object]] = [FINDINGS_HEADER]
    for f in findings:
        text = (f.severity, f.workbook, f.sheet, "" if f.row is None else str(f.row), f.column, f.kind, f.value, f.expected, f.message)
        rows.append([safe_text(t) for t in text])
    return csv_bytes(rows)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_bytes(stored: StoredClose, contents: dict[Path, bytes], folder: Path) -> bytes:
    files = {p.relative_to(folder).as_posix(): _sha256(data) for p, data in sorted(contents.items())}
    record = {"close": close_label(stored.year, stored.month), "version": stored.version, "files": files}
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class PackRecord:
    close: str
    version: int
    files: dict[str, str]  # path relative to the folder -> SHA-256


def read_record(folder: Path) -> PackRecord | None:
    path = Path(folder) / RECORD
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return PackRecord(str(data["close"]), int(data["version"]), dict(data["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def edited_since_written(folder: Path) -> str:
    """Why the pack in ``folder`` is not as finmodel wrote it ("" when it is, or there is none)."""
    pack = Path(folder) / WORKBOOK_NAME
    if not pack.is_file():
        return ""
    record = read_record(folder)
    if record is None:
        return f"{pack} was not written by this finmodel (it has no {RECORD} beside it)"
    if record.files.get(WORKBOOK_NAME) != _sha256(pack.read_bytes()):
        return f"{pack} has been changed since finmodel wrote it (annotations would be lost)"
    return ""


def keep_edited(folder: Path) -> Path:
    """Set an edited pack aside as board-pack.edited-N.xlsx (the first free N)."""
    pack = Path(folder) / WORKBOOK_NAME
    n = 1
    while (kept := pack.with_name(f"{pack.stem}.edited-{n}{pack.suffix}")).exists():
        n += 1
    pack.rename(kept)
    return kept


def kept_findings(folder: Path) -> bytes | None:
    """The findings file a close wrote: the close history keeps no findings, so a pack
    re-written from it keeps the file as it was, and writes none where there was none (a
    header-only file would read as a close without a warning)."""
    path = Path(folder) / FINDINGS_CSV
    return path.read_bytes() if path.is_file() else None


def write_pack_set(pack: PackInputs, stored: StoredClose, folder: Path, findings: bytes | None) -> tuple[Path, ...]:
    """The pack, its tables, the findings (CSV bytes; None: no findings file) and the record,
    replaced as one set."""
    contents = board_pack_contents(pack, folder)
    if findings is not None:
        contents[folder / FINDINGS_CSV] = findings
    contents[folder / RECORD] = record_bytes(stored, contents, folder)
    return tuple(p for p in replace_all(contents) if p.name != RECORD)


def pack_version(folder: Path) -> int | None:
    """The close version the pack in ``folder`` shows, or None when there is none on record."""
    record = read_record(folder)
    return record.version if record is not None else None
