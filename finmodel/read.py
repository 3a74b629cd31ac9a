"""Workbooks -> raw cells, refusing unsafe or unreadable files before any parsing.

An input workbook is untrusted: it arrives by e-mail from another organisation. Before the
spreadsheet reader (python-calamine) sees a byte, the file is checked in this order, each
check cheap and bounded:

1. its size on disk (``MAX_FILE_BYTES``);
2. its first bytes: an OLE/CFB container (``D0 CF 11 E0``) is a password-protected workbook
   or an old ``.xls``; anything else that is not a zip is not a workbook;
3. the zip central directory, without inflating anything: member count, total declared
   uncompressed size and each large member's compression ratio (a zip bomb declares
   itself here);
4. one streamed pass over every XML part (``xml_scan``): any DOCTYPE or ENTITY declaration is refused
   (entity expansion and external entities live there), and the CRC check at the end of
   each member catches a member whose header lies about its size. The same pass finds the
   cells calamine cannot show us: formula errors (``#REF!``, ``#N/A``), which it returns as
   blanks, and formulas saved without a cached value.

Only then is the workbook opened, from the bytes already in memory (so the file cannot
change between the checks and the read).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import os
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Sequence

import numpy as np
import python_calamine
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from finmodel.findings import Finding, shown
from finmodel.xml_scan import CellNote, ImplausiblePart, SheetScan, scan_member

# --- Safety limits. A real monthly return is a few MB; these leave two orders of headroom.
MAX_FILE_BYTES = 200 * 2**20  # the workbook file itself
MAX_UNCOMPRESSED_BYTES = 2 * 2**30  # all members together, as the central directory declares them
MAX_COMPRESSION_RATIO = 200  # per member; real sheet XML compresses 10-30:1
RATIO_CHECKED_FROM_BYTES = 2**20  # small members may compress absurdly well (a blank style part)
MAX_MEMBERS = 5_000  # an xlsx has tens of parts; thousands means something else
# A sheet's grid from A1 to its farthest cell: 1,048,576 rows x 26 columns fit (a narrow
# sheet of any length); a stray cell at AZ1048576 (54 million cells: 15 s and 2 GB to read)
# or XFD1048576 (17 billion: the reader tried to reserve 512 GiB) does not.
MAX_SHEET_CELLS = 30_000_000
MAX_INDEX_PART_BYTES = 10 * 2**20  # workbook.xml and its relationships, parsed whole

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_EXPECTED = {
    "xml_entities": "workbook XML without DOCTYPE or ENTITY declarations (this file was not saved by Excel)",
    "corrupt": "a complete .xlsx file (it looks truncated or damaged: save it again from Excel)",
}



@dataclass
class RawSheet:
    """One sheet's cells as calamine reads them, rows numbered as Excel shows them."""

    name: str
    hidden: bool
    first_col: int  # 0-based Excel column of each row's first cell
    merged: tuple[tuple[int, int, int, int], ...]  # (first row, first col, last row, last col), 0-based
    notes: tuple[CellNote, ...]
    _sheet: Any = field(repr=False)
    hidden_rows: frozenset[int] = frozenset()  # Excel rows hidden in Excel
    hidden_columns: frozenset[int] = frozenset()  # 0-based columns hidden in Excel

    def blocks(self, size: int) -> Iterator[tuple[int, np.ndarray]]:
        """(Excel row of the block's first row, 2-D object array) in blocks of ``size`` rows.

        Blocks keep a million-row sheet from existing as Python objects all at once.
        """
        # python-calamine's iter_rows starts at row 1 (blank rows included) but at the
        # first used column, which is ``first_col``.
        source = self._sheet.iter_rows()
        number = 1
        while True:
            try:
                chunk = list(itertools.islice(source, size))
            except BaseException as exc:  # noqa: BLE001 - an error or calamine's panic, not Ctrl-C
                if not read_failure(exc):
                    raise
                reason = f"{type(exc).__name__}: {exc}" if isinstance(exc, Exception) else str(exc)  # a panic says what
                raise UnreadableRow(self._failing_row(number, size), reason) from None
            if not chunk:
                return
            yield number, _block(chunk)
            number += len(chunk)

    def _failing_row(self, first: int, size: int) -> int | None:
        """The Excel row, from ``first`` on, whose cells calamine fails converting."""
        rows = self._sheet.iter_rows()
        with _rust_quiet():  # a panic has printed its message once already
            for _ in itertools.islice(rows, first - 1):  # converted once already
                pass
            for offset in range(size):
                try:
                    next(rows)
                except StopIteration:
                    return None
                except BaseException as exc:  # noqa: BLE001
                    if not read_failure(exc):
                        raise
                    return first + offset
        return None


@contextlib.contextmanager
def _rust_quiet() -> Iterator[None]:
    """Standard error sent nowhere for the block: Rust prints a panic's message (with a
    backtrace where RUST_BACKTRACE is set) straight to file descriptor 2, before pyo3 raises
    it here. Only for the row search after a failure: the progress display also writes to
    standard error, and goes quiet for as long as this lasts."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no standard error to quieten
        yield
        return
    try:
        with open(os.devnull, "wb") as nowhere:
            os.dup2(nowhere.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class UnreadableRow(ValueError):
    """calamine failed converting a row's cells to Python: a panic (-1e20 formatted as a date:
    "TimeDelta::milliseconds out of bounds") or an error (1e20 formatted as a duration:
    OverflowError); ``row`` is its Excel row, if found again."""

    def __init__(self, row: int | None, reason: str) -> None:
        super().__init__(reason)
        self.row, self.reason = row, reason


def read_failure(exc: BaseException) -> bool:
    """What reading a file may raise: an error, or a Rust panic inside python-calamine, which
    pyo3 raises as PanicException. That derives from BaseException, not Exception, so
    ``except Exception`` let it through as a traceback. Never Ctrl-C or an exit."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _block(rows: list[list[Any]]) -> np.ndarray:
    """Rows of cells as one 2-D object array. calamine's rows are all as wide as the sheet's
    range, so laid end to end they fill the array in one pass, a third faster than numpy
    copying a list of lists row by row (benchmarks/bench_blocks.py). Ragged rows are refused:
    numpy's row-by-row copy would have put whole lists into cells."""
    widths = set(map(len, rows))
    if len(widths) != 1:
        raise ValueError(f"rows of {sorted(widths)} cells in one block")
    (width,) = widths
    cells = itertools.chain.from_iterable(rows)
    return np.fromiter(cells, dtype=object, count=len(rows) * width).reshape(len(rows), width)


@dataclass
class RawWorkbook:
    filename: str
    sha256: str
    size: int
    sheet_names: tuple[str, ...]  # every sheet in the workbook, in tab order
    sheets: dict[str, RawSheet]  # the requested sheets that exist


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters




def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def _fault(filename: str, kind: str, value: str, expected: str) -> Finding:
    return Finding(filename, "", None, "", kind, shown(value), expected)


def read_workbook(path: Path, sheets: Sequence[str]) -> tuple[RawWorkbook | None, list[Finding]]:
    """The named sheets of one workbook, or file-level findings explaining why not."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [_fault(name, "too_large", _megabytes(size), f"a workbook of at most {_megabytes(MAX_FILE_BYTES)}")]
    data = path.read_bytes()
    fault = _container_fault(name, data)
    if fault:
        return None, [fault]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return None, [_fault(name, "corrupt", str(exc), _EXPECTED["corrupt"])]
    with archive:
        fault = _directory_fault(name, archive.infolist())
        if fault:
            return None, [fault]
        parts, fault = _sheet_parts(name, archive)
        if fault:
            return None, [fault]
        wanted = {parts[s]: s for s in sheets if s in parts}
        notes, fault = _scan_members(name, archive, wanted)
        if fault:
            return None, [fault]
    return _open(name, data, sheets, notes)


def _container_fault(name: str, data: bytes) -> Finding | None:
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            expected = "a workbook without a password (remove it in Excel: File > Info > Protect Workbook)"
            return _fault(name, "encrypted", "a password-protected workbook", expected)
        expected = "an .xlsx workbook (save it as Excel Workbook .xlsx)"
        return _fault(name, "not_a_workbook", "an old-format Excel (.xls) or other Office file", expected)
    if not data:
        return _fault(name, "not_a_workbook", "an empty file", "an .xlsx workbook")
    if not data.startswith(ZIP_MAGICS):
        return _fault(name, "not_a_workbook", repr(data[:16]), "an .xlsx workbook (this file is not one)")
    return None


def _directory_fault(name: str, members: list[zipfile.ZipInfo]) -> Finding | None:
    """Zip-bomb checks from the central directory alone: nothing has been inflated yet."""
    if len(members) > MAX_MEMBERS:
        return _fault(name, "zip_bomb", f"{len(members):,} parts", f"at most {MAX_MEMBERS:,} parts in a workbook")
    seen: set[str] = set()
    for member in members:
        # Two entries of one name: readers disagree on which is the workbook's (zipfile and
        # the spreadsheet reader take the last, others the first), so neither is trusted.
        if member.filename in seen:
            expected = "each part of the workbook once (this file was not saved by Excel: open it in Excel and save it again)"
            return _fault(name, "duplicate_part", f"two parts named {member.filename}", expected)
        seen.add(member.filename)
    declared = sum(m.file_size for m in members)
    if declared > MAX_UNCOMPRESSED_BYTES:
        return _fault(name, "zip_bomb", f"{_megabytes(declared)} when unpacked", f"at most {_megabytes(MAX_UNCOMPRESSED_BYTES)} unpacked")
    for member in members:
        if member.file_size > RATIO_CHECKED_FROM_BYTES:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                found = f"{member.filename} unpacks {ratio:,.0f} times its size"
                return _fault(name, "zip_bomb", found, f"a compression ratio under {MAX_COMPRESSION_RATIO}:1")
    return None


def _read_index_part(archive: zipfile.ZipFile, member: str) -> Any:
    info = archive.getinfo(member)
    if info.file_size > MAX_INDEX_PART_BYTES:
        raise ValueError(f"{member} is {info.file_size:,} bytes")
    # defusedxml refuses DTDs and entities, so this small parse is safe before the full scan.
    return SafeET.fromstring(archive.read(member), forbid_dtd=True)


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (PurePosixPath(base).parent / target).parts:
        if piece == "..":
            parts = parts[:-1]
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _local(name: str) -> str:
    """An XML name without its namespace: '{http://...}sheet' -> 'sheet'."""
    return name.rpartition("}")[2]


def _sheet_parts(name: str, archive: zipfile.ZipFile) -> tuple[dict[str, str], Finding | None]:
    """Sheet name -> its XML member, from the package relationships."""
    names = set(archive.namelist())
    try:
        book = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for rel in _read_index_part(archive, "_rels/.rels"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    book = _resolve("", rel.get("Target", book))
        if book not in names:
            return {}, _fault(name, "not_a_workbook", "a zip file with no workbook inside", "an .xlsx workbook")
        rels_member = _resolve(book, "_rels/" + PurePosixPath(book).name + ".rels")
        targets = {}
        if rels_member in names:
            targets = {r.get("Id"): _resolve(book, r.get("Target", "")) for r in _read_index_part(archive, rels_member)}
        parts = {}
        for sheet in _read_index_part(archive, book).iter():
            # By local name: Strict Open XML files use other namespaces than transitional ones.
            if _local(sheet.tag) != "sheet":
                continue
            target = targets.get(next((v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"), None))
            if target:
                parts[sheet.get("name", "")] = target
        return parts, None
    except Exception as exc:  # noqa: BLE001 - any fault in the package index means one clear finding
        kind = "xml_entities" if isinstance(exc, DefusedXmlException) else "corrupt"
        return {}, _fault(name, kind, str(exc), _EXPECTED[kind])


def _scan_members(name: str, archive: zipfile.ZipFile, wanted: dict[str, str]) -> tuple[dict[str, SheetScan], Finding | None]:
    """One streamed pass over every part; notes on the cells of the wanted sheets.

    Every part is checked, whatever its name: a relationship may point the reader at an
    XML part called ``sheet1.bin``.
    """
    notes: dict[str, SheetScan] = {}
    for info in archive.infolist():
        try:
            found, has_dtd = scan_member(archive, info, info.filename in wanted)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ImplausiblePart) as exc:
            return {}, _fault(name, "corrupt", f"{info.filename}: {exc}", _EXPECTED["corrupt"])
        if has_dtd:
            return {}, _fault(name, "xml_entities", info.filename, _EXPECTED["xml_entities"])
        if info.filename in wanted:
            notes[wanted[info.filename]] = found
            extent = found.extent
            if extent.cells > MAX_SHEET_CELLS:
                found_text = f"cells as far as {extent.farthest} ({extent.cells:,} cells from A1)"
                expected = f"a sheet of at most {MAX_SHEET_CELLS:,} cells from A1 to its last cell (delete the stray cells or formatting far below or right of the data)"
                return {}, Finding(name, wanted[info.filename], None, "", "sheet_too_large", found_text, expected)
    return notes, None


def _open(name: str, data: bytes, sheets: Sequence[str], notes: dict[str, SheetScan]) -> tuple[RawWorkbook | None, list[Finding]]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        raw = {s: _raw_sheet(book, s, notes.get(s, SheetScan())) for s in sheets if s in book.sheet_names}
    except python_calamine.PasswordError:
        return None, [_fault(name, "encrypted", "a password-protected workbook", "a workbook without a password")]
    except python_calamine.CalamineError as exc:
        return None, [_fault(name, "corrupt", str(exc), _EXPECTED["corrupt"])]
    digest = hashlib.sha256(data).hexdigest()
    return RawWorkbook(name, digest, len(data), tuple(book.sheet_names), raw), []


def _raw_sheet(book: python_calamine.CalamineWorkbook, name: str, scan: SheetScan) -> RawSheet:
    hidden = any(m.name == name and m.visible != python_calamine.SheetVisibleEnum.Visible for m in book.sheets_metadata)
    sheet = book.get_sheet_by_name(name)
    start = sheet.start or (0, 0)
    merged = tuple((a[0], a[1], b[0], b[1]) for a, b in sheet.merged_cell_ranges or ())
    return RawSheet(name, hidden, start[1], merged, tuple(scan.notes), sheet, frozenset(scan.hidden_rows), frozenset(scan.hidden_columns))
