"""One streamed pass over a workbook's XML part: DTDs refused, and the cells the
spreadsheet reader cannot show us found.

calamine returns formula errors (``#REF!``, ``#N/A``) as blanks, and a formula saved without
a cached value as a blank too; Excel shows both. The sheet XML is scanned in chunks at row
boundaries (a million-row sheet is never held as text at once), with byte searches that
reject a value-only chunk at memory speed.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from finmodel.xml_prefilter import contains, may_hold_far_ref, may_hold_unplaced_cell

SCAN_CHUNK_BYTES = 2**20
MAX_ROW_XML_BYTES = 16 * 2**20  # one <row> longer than this is scanned at cell boundaries instead

# Cells the reader would show as blank although Excel shows something. Attributes are
# matched in any order and with any spacing around "=" (XML allows both; Excel writes
# neither, other tools do), in either namespace (transitional or Strict Open XML).
_ERROR_ATTR = re.compile(rb"""\st\s*=\s*["']e["']""")
_NO_VALUE_FORMULA = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>]")
_REF_ATTR = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]+)([0-9]+)["']""")
_STR_ATTR = re.compile(rb"""\st\s*=\s*["']str["']""")
# A row or cell start tag, for placing cells that carry no reference (by their order).
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*["']([0-9]{1,7})["']""")
# In every error cell's t="e", however it is spaced; 'e' only where the part quotes with '.
_ERROR_MARKERS = (b'"e"',)
_ERROR_MARKERS_QUOTED = (b'"e"', b"'e'")
# Rows and columns hidden in Excel: they are read, and reported when they hold data.
_HIDDEN_ROW = re.compile(rb"""<(?:\w+:)?row\b([^>]*\shidden\s*=\s*["'](?:1|true)["'][^>]*)>""")
_HIDDEN_COLUMNS = re.compile(rb"""<(?:\w+:)?col\b([^>]*\shidden\s*=\s*["'](?:1|true)["'][^>]*)>""")
_MIN_MAX = re.compile(rb"""\s(min|max)\s*=\s*["']([0-9]{1,5})["']""")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,100})</(?:\w+:)?v>")
# How far a sheet reaches, before the reader allocates a grid from A1 to its last cell: a
# cell far off (or a <dimension> claiming one) would make it reserve rows x columns, and
# the reader reads references in either case and attributes spaced around their "=", as
# XML allows. Only references that could reach far are matched (two letters or more, or a
# row of seven digits, in a cell's reference or a row's number), so a narrow sheet costs one
# fast literal search per cell (~0.2 s per 100 MB of XML).
_FAR_REF = re.compile(rb"""r\s*=\s*["']([A-Za-z]{2,}[0-9]+|[A-Za-z]?[0-9]{7,})["']""")
_ROW_REF = re.compile(rb"""<(?:\w+:)?row\b[^>]*?\sr\s*=\s*["']([0-9]+)["']""")
_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\s[^>]*?ref\s*=\s*["'](?:[A-Za-z]+[0-9]+:)?([A-Za-z]{1,3}[0-9]+)["']""")
_SPLIT_REF = re.compile(rb"([A-Za-z]*)([0-9]+)")


# The shared strings' start tag: the reader reserves room for as many strings as uniqueCount
# says before it reads one (uniqueCount="2000000000" made it ask for 48 GB and abort).
_SHARED_STRINGS = re.compile(rb"<(?:\w+:)?sst\b")
_UNIQUE_COUNT = re.compile(rb"""\suniqueCount\s*=\s*["']\+?([0-9]+)["']""")
_SMALLEST_STRING_BYTES = 5  # <si/>


class ImplausiblePart(ValueError):
    """A part that claims more entries than its bytes can hold."""


@dataclass(frozen=True)
class CellNote:
    """A cell calamine reads as blank that is not: an error value or an uncalculated formula."""

    row: int | None  # Excel row, None when the XML gave no cell reference
    col: int  # 0-based Excel column (-1 when unknown)
    kind: str  # "formula_error" or "formula_no_value"
    value: str  # the error text, e.g. "#REF!"


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + (char - 64)
    return index - 1


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found besides its values."""

    notes: list[CellNote] = field(default_factory=list)
    extent: Extent = field(default_factory=lambda: Extent())
    hidden_rows: set[int] = field(default_factory=set)  # Excel rows
    hidden_columns: set[int] = field(default_factory=set)  # 0-based columns


def scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cells: bool) -> tuple[SheetScan, bool]:
    """(what the member's cells hold, whether it declares a DTD), in one streamed pass."""
    found: list[CellNote] = []
    carry = b""
    scan: _CellScan | None = None
    # zipfile stops at the declared size and checks the CRC, so a lying header fails here.
    with archive.open(info) as stream:
        while chunk := stream.read(SCAN_CHUNK_BYTES):
            if scan is None:
                if _declares_dtd(chunk):
                    return SheetScan(), True
                _check_claimed_count(chunk, info.file_size)
                scan = _CellScan(single_quotes=b"'" in chunk)
            if not cells:
                continue
            buffer = carry + chunk
            cut = _last_boundary(buffer)
            found += scan.notes(buffer[:cut])
            carry = buffer[cut:]
    if scan is not None and carry:
        found += scan.notes(carry)
    if scan is None:
        return SheetScan(), False
    return SheetScan(found, scan.extent, scan.hidden_rows, scan.hidden_columns), False


def _check_claimed_count(head: bytes, size: int) -> None:
    """Refuse a shared-strings part (any part whose root is <sst>, whatever its name) whose
    uniqueCount is more than its bytes could hold, or whose start tag does not end in the
    part's first chunk (so its count cannot be read)."""
    start = _SHARED_STRINGS.search(head)  # the root is in the first chunk (_declares_dtd)
    if start is None:
        return
    end = head.find(b">", start.end())
    if end < 0:
        raise ImplausiblePart("its <sst> start tag does not end in its first megabyte")
    claim = _UNIQUE_COUNT.search(head, start.end(), end)
    if claim is not None and int(claim.group(1)) > size // _SMALLEST_STRING_BYTES + 1:
        raise ImplausiblePart(f"{int(claim.group(1)):,} strings in {size:,} bytes")  # short: a finding shows 60 characters


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


@dataclass
class Extent:
    """The grid a reader would allocate for a sheet: from A1 to its farthest cell."""

    rows: int = 1
    columns: int = 1
    farthest: str = "A1"

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def reach(self, segment: bytes) -> None:
        refs = [m.group(1) for m in _FAR_REF.finditer(segment)] if may_hold_far_ref(segment) else []
        refs += [m.group(1) for m in _DIMENSION.finditer(segment, 0, 4096)]
        tail = segment.rfind(b"row ", max(0, len(segment) - 65_536))
        rows = [int(m.group(1)) for m in _ROW_REF.finditer(segment, max(tail - 8, 0))] if tail >= 0 else []
        for ref in refs:
            letters, number = _SPLIT_REF.fullmatch(ref).groups()  # type: ignore[union-attr]
            if letters:
                self._grow(int(number), _column_index(letters) + 1, ref.decode().upper())
            else:  # a row's number
                rows.append(int(number))
        for row in rows:
            self._grow(row, self.columns, "")

    def placed(self, places: Iterable[tuple[int, int]], row: int) -> None:
        """Grow to cells placed by their order (``_places``: Excel row, 0-based column) and
        to the row the segment ended in."""
        for cell_row, col in places:
            self._grow(cell_row, col + 1, "")
        self._grow(row, self.columns, "")

    def _grow(self, rows: int, columns: int, ref: str) -> None:
        if max(rows, self.rows) * max(columns, self.columns) > self.cells:
            self.rows, self.columns = max(rows, self.rows), max(columns, self.columns)
            from_columns = "".join(ch for ch in ref if ch.isalpha()) if ref else None
            self.farthest = f"{from_columns or _letters(self.columns)}{self.rows}"


def _letters(columns: int) -> str:
    letters = ""
    while columns:
        columns, rest = divmod(columns - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _CellScan:
    """Finds formula errors and uncalculated formulas in a sheet's XML, segment by segment.

    Value-only sheets (what export tools write) contain neither "f>" (the end of a formula
    element) nor an error cell's "e" value of t, so bytes.find rejects a segment at memory
    speed. Once a formula is seen every later segment is searched: a shared formula's
    follower cells are written <f t="shared" si="0"/>, with no "f>".

    A cell without an ``r`` reference sits after the previous cell of its row, and a row
    without one after the previous row (as the reader places them); the row reached at
    the end of each segment is carried to the next.
    """

    def __init__(self, single_quotes: bool = True) -> None:
        # Each byte search costs ~0.3 s per 300 MB of XML, so the search for 'e' is made only
        # where the part's start shows a single quote at all (Excel writes none).
        self.markers = _ERROR_MARKERS_QUOTED if single_quotes else _ERROR_MARKERS
        self.formulas = False
        self.extent = Extent()
        self.row = 0  # the Excel row of the last row start seen
        self.col = -1  # the 0-based column of the last cell seen in that row
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()

    def notes(self, segment: bytes) -> list[CellNote]:
        self.extent.reach(segment)
        if contains(segment, b"hidden"):
            self._hidden(segment)
        self.formulas = self.formulas or contains(segment, b"f>")
        errors = any(contains(segment, marker) for marker in self.markers)
        found = _error_cells(segment) if errors else []
        found += _uncalculated_cells(segment) if self.formulas else []
        unplaced = any(_REF_ATTR.search(tag) is None for _, tag, _, _ in found)
        by_order = may_hold_unplaced_cell(segment)  # cells the reader places by their order
        if by_order or unplaced or not self._last_row_numbered(segment):
            places, self.row, self.col = _places(segment, self.row, self.col)
            if by_order:
                self.extent.placed(places.values(), self.row)
        else:
            places = {}
        return [_note(tag, kind, value, places.get(start)) for start, tag, kind, value in found]

    def _hidden(self, segment: bytes) -> None:
        for match in _HIDDEN_ROW.finditer(segment):
            number = _ROW_NUMBER.search(match.group(1))
            if number:
                self.hidden_rows.add(int(number.group(1)))
        for match in _HIDDEN_COLUMNS.finditer(segment):
            bounds = {k: int(v) for k, v in _MIN_MAX.findall(match.group(1))}
            if b"min" in bounds:
                # Excel hides the unused columns to the right as one range up to XFD: only
                # the columns up to the sheet's extent can hold data.
                last = min(bounds.get(b"max", bounds[b"min"]), max(self.extent.columns, bounds[b"min"]) + 1024)
                self.hidden_columns.update(range(bounds[b"min"] - 1, last))

    def _last_row_numbered(self, segment: bytes) -> bool:
        """Carry the row number on from the segment's last row tag; False when it has none."""
        tail = max(0, len(segment) - 65_536)  # a row tag is short: look near the end first
        start = max(segment.rfind(b"<row", tail), segment.rfind(b":row", tail))
        if start < 0 and tail:
            start = max(segment.rfind(b"<row"), segment.rfind(b":row"))
        if start < 0:
            return True  # within one long row: the row goes on
        tag = segment[start : segment.find(b">", start) + 1]
        number = _ROW_NUMBER.search(tag, tag.find(b"row") + 3)
        if number is None:
            return False
        self.row, self.col = int(number.group(1)), -1
        return True


def _places(segment: bytes, row: int, col: int) -> tuple[dict[int, tuple[int, int]], int, int]:
    """(cell tag offset -> (Excel row, 0-based column), last row, last column), in one pass."""
    places = {}
    for match in _ROW_OR_CELL.finditer(segment):
        attrs = match.group(2)
        if match.group(1) == b"row":
            number = _ROW_NUMBER.search(attrs)
            row, col = (int(number.group(1)) if number else row + 1), -1
            continue
        ref = _REF_ATTR.search(attrs)
        col = _column_index(ref.group(1)) if ref else col + 1
        places[match.start()] = (int(ref.group(2)) if ref else row, col)
    return places, row, col


def _last_boundary(buffer: bytes) -> int:
    """End of the last complete row (or, in a huge row, cell) in the buffer."""
    cut = buffer.rfind(b"row>")
    if cut >= 0:
        return cut + 4
    if len(buffer) > MAX_ROW_XML_BYTES:
        cut = buffer.rfind(b"c>")
        return cut + 2 if cut >= 0 else len(buffer)
    return 0


def _error_cells(segment: bytes) -> list[tuple[int, bytes, str, str]]:
    found = []
    for match in _ERROR_ATTR.finditer(segment):
        tag_start = _cell_start(segment, match.start())
        if tag_start < 0 or b">" in segment[tag_start : match.start()]:
            continue  # the attribute belongs to another element
        tag = segment[tag_start : segment.find(b">", match.start()) + 1]
        following = _CELL_START.search(segment, match.end())
        value = _VALUE.search(segment, match.end(), following.start() if following else len(segment))
        text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
        found.append((tag_start, tag, "formula_error", text))
    return found


def _uncalculated_cells(segment: bytes) -> list[tuple[int, bytes, str, str]]:
    found = []
    for match in _NO_VALUE_FORMULA.finditer(segment):
        tag_start = _cell_start(segment, match.start())
        tag = segment[tag_start : segment.find(b">", tag_start) + 1] if tag_start >= 0 else b""
        if _STR_ATTR.search(tag):
            continue  # a formula whose cached result is the empty string: a genuine blank
        found.append((tag_start, tag, "formula_no_value", ""))
    return found


def _cell_start(segment: bytes, position: int) -> int:
    """Where the cell tag holding ``position`` starts (its "<c" may end right at it)."""
    window_start = max(0, position - 65_536)
    starts = list(_CELL_START.finditer(segment, window_start, position + 1))
    return starts[-1].start() if starts else -1


def _note(tag: bytes, kind: str, value: str, place: tuple[int, int] | None) -> CellNote:
    ref = _REF_ATTR.search(tag)
    if ref is not None:
        return CellNote(int(ref.group(2)), _column_index(ref.group(1)), kind, value)
    if place is not None:
        return CellNote(place[0], place[1], kind, value)
    return CellNote(None, -1, kind, value)
