"""Column widths and row heights of a sheet, worked out from its text: pure.

Sized for print: a sheet fits A4 landscape one page wide at 90 % scale or more, so its
10-point text prints at 9 points or more. Labels and text columns wrap instead of widening
the page; a header is at least as wide as its longest word, so headers never run into each
other; neither Excel nor LibreOffice grows a row for wrapped text a program wrote, so every
row that wraps is given its height here. A header merged across columns (a band, a figure's
header over its movement symbol) wraps at the width of all its columns, and its row is
sized for it: sized at one column, or not at all, its text would be cut at the merge.
"""

from __future__ import annotations

import functools

from finmodel.report.layout import Placed

FONT_SIZE = 10  # points: body text; at 90 % scale it prints at 9 points
LINE_HEIGHT = 12  # points a line of 10-point text needs
ROW_HEIGHT = 15  # points: a row of one line (xlsxwriter's default)
_WIDTH = {"gbp": 8, "pct": 8, "count": 7}  # room for (12,345.6) in 10 point
_LABEL_WIDTH = (14, 30)
_TEXT_WIDTH = (3, 15)  # a text column among figures wraps at this width
_LONE_TEXT_WIDTH = 100  # a table of one or two text columns (the summary in words, file hashes)
_CHARS_PER_WIDTH = 1.0  # 10-point Arial characters per unit of Excel column width (default font 11 point)
INDENT_WIDTH = 3  # column width an indent level takes from a label (about three characters)
_BOLD = 0.9  # bold characters are wider
_REGULAR = 0.88  # regular Arial is narrower than bold


def lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a text wraps to at spaces in a column of this width (greedy, as renderers wrap;
    a word longer than the line is broken, as they break it)."""
    room = (width * 7 - 1) / (FONT_SIZE * 4 / 3)  # ems a line holds: 7 pixels a character, 5 of padding less 6 kept
    factor = 1.0 if bold else _REGULAR
    space = _em(" ") * factor
    count, used = 1, 0.0
    for word in text.split():
        size = _em(word) * factor
        if used and used + space + size > room:
            count, used = count + 1, 0.0
        while size > room:  # a word longer than the line
            count, size = count + 1, size - room
        used += (space if used else 0) + size
    return count


_NARROW, _WIDE = set("fijlrtI.,;:'()[]-/ "), set("mwMW%")


@functools.lru_cache(maxsize=65_536)  # a pack measures the same words (labels, names) thousands of times
def _em(text: str) -> float:
    """A text's width in ems of bold Arial (a close estimate: narrow letters, wide, capitals, the rest)."""
    return sum(0.33 if ch in _NARROW else 0.9 if ch in _WIDE else 0.72 if ch.isupper() else 0.6 for ch in text)


def _word_width(text: str) -> float:
    """The column width a header needs so that its longest word (or part at a hyphen) is not
    broken, in bold 10 point: characters of the default font are 7 pixels, plus 6 of padding."""
    words = text.replace("-", "- ").replace("/", "/ ").split()
    longest = max((_em(w) for w in words), default=0)
    return (longest * FONT_SIZE * 4 / 3 + 6) / 7


def _text_cap(p: Placed) -> int:
    return _LONE_TEXT_WIDTH if len(p.shown) <= 2 and all(c.unit == "text" or c.unit == "count" for c in p.shown) else _TEXT_WIDTH[1]


def widths(placed: tuple[Placed, ...]) -> dict[int, float]:
    found: dict[int, float] = {}

    def need(col: int, width: float) -> None:
        found[col] = max(found.get(col, 0), width)

    for p in placed:
        labels = [len(r.label) for r in p.table.rows] or [0]
        need(p.first_col, min(max(max(labels) + 2, _LABEL_WIDTH[0]), _LABEL_WIDTH[1]))
        need(p.first_col, _word_width(p.table.scale))
        for i, column in enumerate(p.shown):
            col = p.first_col + 1 + i
            if column.unit == "text":
                index = p.table.columns.index(column)
                longest = max([_em(str(r.values[index] or "")) * _REGULAR for r in p.table.rows], default=0)
                need(col, min(max((longest * FONT_SIZE * 4 / 3 + 8) / 7, _TEXT_WIDTH[0]), _text_cap(p)))
            else:
                need(col, _WIDTH[column.unit])
            header = _word_width(column.label) if column.label else 0
            if shares_header(p, i):  # the header spans the symbol column beside it
                header -= _TEXT_WIDTH[0] + 1
            need(col, header)
        for band, first, last in p.bands:  # a band's longest word fits across its columns
            short = _word_width(band) - _across(found, first, last)
            if short > 0:
                need(last, found.get(last, 8.43) + short)
    return found


def shares_header(p: Placed, index: int) -> bool:
    """A figure followed by an unlabelled one-character column (its movement symbol): the
    figure's header is merged across both, so the two read as one."""
    after = p.shown[index + 1] if index + 1 < len(p.shown) else None
    return bool(after and not after.label and after.code in p.table.symbol_columns and p.shown[index].label)


def headers(p: Placed) -> tuple[tuple[str, int, int], ...]:
    """(label, first sheet column, last sheet column) of each column header: one column, or
    two where a figure's header is merged over its movement symbol."""
    found = []
    for i, column in enumerate(p.shown):
        c = p.first_col + 1 + i
        if i and shares_header(p, i - 1):
            continue  # merged into the header before it
        found.append((column.label, c, c + 1 if shares_header(p, i) else c))
    return tuple(found)


def _across(ws_widths: dict[int, float], first: int, last: int) -> float:
    """The width of merged cells: of all their columns."""
    return sum(ws_widths.get(c, 8.43) for c in range(first, last + 1))


def span(ws_widths: dict[int, float], p: Placed) -> float:
    """The width of a table from its label column to its last column (merged notes)."""
    return _across(ws_widths, p.first_col, p.last_col)


def head_heights(p: Placed, ws_widths: dict[int, float], title: str) -> dict[int, float]:
    """By row from the title's, the heights of a table's head: its title (11-point, wrapped
    within the table), header band and column headers (at least two lines), each header
    measured across all the columns it is merged over. A band row of one line keeps the
    default height."""
    title_lines = lines(title, span(ws_widths, p) * FONT_SIZE / 11, bold=True)
    found = {0: max(18, title_lines * 14 + 4)}
    if p.band_row is not None:
        count = max(lines(band, _across(ws_widths, first, last), bold=True) for band, first, last in p.bands)
        if count > 1:
            found[p.band_row - p.title_row] = count * LINE_HEIGHT + 2
    count = max([2] + [lines(label, _across(ws_widths, first, last), bold=True) for label, first, last in headers(p)])
    found[p.header_row - p.title_row] = count * LINE_HEIGHT + 2
    return found


def continued_head(p: Placed, ws_widths: dict[int, float]) -> float:
    """Points the copy of a table's head above its rows on a later page takes."""
    found = head_heights(p, ws_widths, p.continued_title)
    return sum(found.get(k, ROW_HEIGHT) for k in range(p.head_rows))


def heights(placed: tuple[Placed, ...], ws_widths: dict[int, float]) -> dict[int, float]:
    """Row heights that fit wrapped text: heads (the table's own and each repeated on a later
    page), labels and text cells that wrap, lines under a table and notes (merged across
    the table's width)."""
    found: dict[int, float] = {}

    def need(row: int, count: int, minimum: float = 0) -> None:
        found[row] = max(found.get(row, 0), count * LINE_HEIGHT + 2, minimum)

    for p in placed:
        heads = [(p.title_row, p.table.title)] + [(r, p.continued_title) for r in p.continuation_title_rows]
        for top, title in heads:
            for k, height in head_heights(p, ws_widths, title).items():
                found[top + k] = max(found.get(top + k, 0), height)
        texts = [(p.first_col + 1 + i, p.table.columns.index(c)) for i, c in enumerate(p.shown) if c.unit == "text"]
        for offset, row in enumerate(p.table.rows):
            counts = [lines(row.label, ws_widths[p.first_col] - INDENT_WIDTH * row.indent, bold=row.total)]
            counts += [lines(str(row.values[index]), ws_widths[col]) for col, index in texts if row.values[index]]
            if max(counts) > 1:
                need(p.data_row(offset), max(counts))
        wide = span(ws_widths, p)
        for offset, (row, text) in enumerate(p.below_lines):
            need(p.first_below_row + offset, lines(f"{row.label}: {text}", wide))
        for offset, note in enumerate(p.table.notes):
            need(p.first_note_row + offset, lines(note, wide))
    return found
