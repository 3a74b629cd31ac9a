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
4. one streamed pass over every XML part: any DOCTYPE or ENTITY declaration is refused
   (entity expansion and external entities live there), and the CRC check at the end of
   each member catches a member whose header lies about its size. The same pass finds the
   cells calamine cannot show us: formula errors (``#REF!``, ``#N/A``), which it returns as
   blanks, and formulas saved without a cached value.

Only then is the workbook opened, from the bytes already in memory (so the file cannot
change between the checks and the read).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
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

# --- Safety limits. A real monthly return is a few MB; these leave two orders of headroom.
MAX_FILE_BYTES = 200 * 2**20  # the workbook file itself
MAX_UNCOMPRESSED_BYTES = 2 * 2**30  # all members together, as the central directory declares them
MAX_COMPRESSION_RATIO = 200  # per member; real sheet XML compresses 10-30:1
RATIO_CHECKED_FROM_BYTES = 2**20  # small members may compress absurdly well (a blank style part)
MAX_MEMBERS = 5_000  # an xlsx has tens of parts; thousands means something else
MAX_INDEX_PART_BYTES = 10 * 2**20  # workbook.xml and its relationships, parsed whole
SCAN_CHUNK_BYTES = 2**20
MAX_ROW_XML_BYTES = 16 * 2**20  # one <row> longer than this is scanned at cell boundaries instead

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_EXPECTED = {
    "xml_entities": "workbook XML without DOCTYPE or ENTITY declarations (this file was not saved by Excel)",
    "corrupt": "a complete .xlsx file (it looks truncated or damaged: save it again from Excel)",
}
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# Cells the reader would show as blank although Excel shows something.
_ERROR_ATTR = re.compile(rb"""\st=["']e["']""")
_NO_VALUE_FORMULA = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>]")
_REF_ATTR = re.compile(rb"""\sr=["']([A-Z]{1,3})([0-9]{1,7})["']""")
_STR_ATTR = re.compile(rb"""\st=["']str["']""")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,100})</(?:\w+:)?v>")


@dataclass(frozen=True)
class CellNote:
    """A cell calamine reads as blank that is not: an error value or an uncalculated formula."""

    row: int | None  # Excel row, None when the XML gave no cell reference
    col: int  # 0-based Excel column (-1 when unknown)
    kind: str  # "formula_error" or "formula_no_value"
    value: str  # the error text, e.g. "#REF!"


@dataclass
class RawSheet:
    """One sheet's cells as calamine reads them, rows numbered as Excel shows them."""

    name: str
    hidden: bool
    first_col: int  # 0-based Excel column of each row's first cell
    merged: tuple[tuple[int, int, int, int], ...]  # (first row, first col, last row, last col), 0-based
    notes: tuple[CellNote, ...]
    _sheet: Any = field(repr=False)

    def blocks(self, size: int) -> Iterator[tuple[int, np.ndarray]]:
        """(Excel row of the block's first row, 2-D object array) in blocks of ``size`` rows.

        Blocks keep a million-row sheet from existing as Python objects all at once.
        """
        # python-calamine's iter_rows starts at row 1 (blank rows included) but at the
        # first used column, which is ``first_col``.
        source = self._sheet.iter_rows()
        number = 1
        while chunk := list(itertools.islice(source, size)):
            block = np.empty((len(chunk), len(chunk[0])), dtype=object)
            block[:] = chunk
            yield number, block
            number += len(chunk)


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


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


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
        for sheet in _read_index_part(archive, book).iter(f"{_NS_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_NS_REL}id"))
            if target:
                parts[sheet.get("name", "")] = target
        return parts, None
    except Exception as exc:  # noqa: BLE001 - any fault in the package index means one clear finding
        kind = "xml_entities" if isinstance(exc, DefusedXmlException) else "corrupt"
        return {}, _fault(name, kind, str(exc), _EXPECTED[kind])


def _scan_members(name: str, archive: zipfile.ZipFile, wanted: dict[str, str]) -> tuple[dict[str, list[CellNote]], Finding | None]:
    """One streamed pass over every part; notes on the cells of the wanted sheets.

    Every part is checked, whatever its name: a relationship may point the reader at an
    XML part called ``sheet1.bin``.
    """
    notes: dict[str, list[CellNote]] = {}
    for info in archive.infolist():
        try:
            found, has_dtd = _scan_member(archive, info, info.filename in wanted)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            return {}, _fault(name, "corrupt", f"{info.filename}: {exc}", _EXPECTED["corrupt"])
        if has_dtd:
            return {}, _fault(name, "xml_entities", info.filename, _EXPECTED["xml_entities"])
        if info.filename in wanted:
            notes[wanted[info.filename]] = found
    return notes, None


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cells: bool) -> tuple[list[CellNote], bool]:
    """(notes on the member's cells, whether it declares a DTD), in one streamed pass."""
    found: list[CellNote] = []
    carry = b""
    scan: _CellScan | None = None
    # zipfile stops at the declared size and checks the CRC, so a lying header fails here.
    with archive.open(info) as stream:
        while chunk := stream.read(SCAN_CHUNK_BYTES):
            if scan is None:
                if _declares_dtd(chunk):
                    return [], True
                scan = _CellScan(single_quotes=b"='" in chunk)
            if not cells:
                continue
            buffer = carry + chunk
            cut = _last_boundary(buffer)
            found += scan.notes(buffer[:cut])
            carry = buffer[cut:]
    if scan is not None and carry:
        found += scan.notes(carry)
    return found, False


def _declares_dtd(head: bytes) -> bool:
    """True when the XML declares a DTD (where entities live) before its first element.

    A DTD may only appear in the prolog, so only the start of a part is read: the XML
    declaration, comments and processing instructions are skipped up to the first tag.
    A prolog that does not end within the first chunk is refused too.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:2]:
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n\ufeff":
            position += 1
        if text.startswith("<?", position):
            end, skip = text.find("?>", position), 2
        elif text.startswith("<!--", position):
            end, skip = text.find("-->", position), 3
        else:
            return text.startswith("<!", position)  # <!DOCTYPE (or any declaration) before the root
        if end < 0:
            return True
        position = end + skip


class _CellScan:
    """Finds formula errors and uncalculated formulas in a sheet's XML, segment by segment.

    Value-only sheets (what export tools write) contain neither "f>" (the end of a formula
    element) nor an error cell's t="e", so bytes.find rejects a segment at memory speed.
    Once a formula is seen every later segment is searched: a shared formula's follower
    cells are written <f t="shared" si="0"/>, with no "f>".
    """

    def __init__(self, single_quotes: bool) -> None:
        self.formulas = False
        self.error_markers = (b't="e"', b"t='e'") if single_quotes else (b't="e"',)

    def notes(self, segment: bytes) -> list[CellNote]:
        self.formulas = self.formulas or b"f>" in segment
        errors = any(marker in segment for marker in self.error_markers)
        found = _error_cells(segment) if errors else []
        return found + _uncalculated_cells(segment) if self.formulas else found


def _last_boundary(buffer: bytes) -> int:
    """End of the last complete row (or, in a huge row, cell) in the buffer."""
    cut = buffer.rfind(b"row>")
    if cut >= 0:
        return cut + 4
    if len(buffer) > MAX_ROW_XML_BYTES:
        cut = buffer.rfind(b"c>")
        return cut + 2 if cut >= 0 else len(buffer)
    return 0


def _error_cells(segment: bytes) -> list[CellNote]:
    found = []
    for match in _ERROR_ATTR.finditer(segment):
        tag_start = _cell_start(segment, match.start())
        if tag_start < 0 or b">" in segment[tag_start : match.start()]:
            continue  # the attribute belongs to another element
        tag = segment[tag_start : segment.find(b">", match.start()) + 1]
        following = _CELL_START.search(segment, match.end())
        value = _VALUE.search(segment, match.end(), following.start() if following else len(segment))
        text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
        found.append(_note(tag, "formula_error", text))
    return found


def _uncalculated_cells(segment: bytes) -> list[CellNote]:
    found = []
    for match in _NO_VALUE_FORMULA.finditer(segment):
        tag_start = _cell_start(segment, match.start())
        tag = segment[tag_start : segment.find(b">", tag_start) + 1] if tag_start >= 0 else b""
        if _STR_ATTR.search(tag):
            continue  # a formula whose cached result is the empty string: a genuine blank
        found.append(_note(tag, "formula_no_value", ""))
    return found


def _cell_start(segment: bytes, position: int) -> int:
    window_start = max(0, position - 65_536)
    starts = list(_CELL_START.finditer(segment, window_start, position))
    return starts[-1].start() if starts else -1


def _note(tag: bytes, kind: str, value: str) -> CellNote:
    ref = _REF_ATTR.search(tag)
    if ref is None:
        return CellNote(None, -1, kind, value)
    return CellNote(int(ref.group(2)), _column_index(ref.group(1)), kind, value)


def _open(name: str, data: bytes, sheets: Sequence[str], notes: dict[str, list[CellNote]]) -> tuple[RawWorkbook | None, list[Finding]]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        raw = {s: _raw_sheet(book, s, notes.get(s, [])) for s in sheets if s in book.sheet_names}
    except python_calamine.PasswordError:
        return None, [_fault(name, "encrypted", "a password-protected workbook", "a workbook without a password")]
    except python_calamine.CalamineError as exc:
        return None, [_fault(name, "corrupt", str(exc), _EXPECTED["corrupt"])]
    digest = hashlib.sha256(data).hexdigest()
    return RawWorkbook(name, digest, len(data), tuple(book.sheet_names), raw), []


def _raw_sheet(book: python_calamine.CalamineWorkbook, name: str, notes: list[CellNote]) -> RawSheet:
    hidden = any(m.name == name and m.visible != python_calamine.SheetVisibleEnum.Visible for m in book.sheets_metadata)
    sheet = book.get_sheet_by_name(name)
    start = sheet.start or (0, 0)
    merged = tuple((a[0], a[1], b[0], b[1]) for a, b in sheet.merged_cell_ranges or ())
    return RawSheet(name, hidden, start[1], merged, tuple(notes), sheet)
