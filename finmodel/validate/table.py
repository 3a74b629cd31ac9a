"""One sheet's raw cells -> a table of typed columns, with every cell-level fault located.

The header is the sheet's first non-blank row (row 1 in a contract workbook). Column names
are matched after trimming spaces and lower-casing. Rows are read in blocks so a
million-row sheet never exists as Python objects all at once; within a block every check
is a numpy mask over a column. Rows that are wholly blank (formatted but empty, or spacer
rows) are skipped silently; a row with data but a required cell empty is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from finmodel.close_inputs import code_type
from finmodel.contract import Column, Sheet
from finmodel.read import RawSheet, column_letter
from finmodel.validate.columns import cell_text, parse_column, parse_text
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog

BLOCK_ROWS = 100_000


@dataclass
class Table:
    """The data rows kept (blank rows dropped), column by column."""

    workbook: str
    sheet: str
    rows: np.ndarray  # Excel row number of each row
    values: dict[str, np.ndarray]
    blank: dict[str, np.ndarray]
    bad: dict[str, np.ndarray]  # the cell has an error (its value is a placeholder)
    columns: tuple[str, ...]  # usable columns in sheet order: contract and extra
    extra: tuple[str, ...] = ()  # columns the contract does not name, kept as text
    complete: bool = True  # every required column was found, and no contract column twice
    header_row: int = 1
    # Text columns as (codes, their distinct values in sorted order): values == uniques[codes].
    # Known from the parse; a column missing here is worked out from ``values`` by who needs it.
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @property
    def where(self) -> tuple[str, str]:
        return (self.workbook, self.sheet)

    def __len__(self) -> int:
        return len(self.rows)

    def has(self, name: str) -> bool:
        return name in self.values

    def ok(self, name: str) -> np.ndarray:
        """The cell holds a usable value: given, and without a fault."""
        if name not in self.values:
            return np.zeros(len(self), dtype=bool)
        return ~self.blank[name] & ~self.bad[name]

    @property
    def row_error(self) -> np.ndarray:
        out = np.zeros(len(self), dtype=bool)
        for mask in self.bad.values():
            out |= mask
        return out


@dataclass
class _Layout:
    header_row: int
    first_col: int
    names: list[str]  # normalised header text per column position ("" when blank)
    used: dict[int, Column]  # column position -> contract column (or a text column for extras)
    extra: list[str] = field(default_factory=list)
    complete: bool = True


def read_table(raw: RawSheet, spec: Sheet, ctx: Context, log: FindingLog) -> Table:
    """Type every column of the sheet by the contract, logging each cell and layout fault."""
    where = (spec.workbook, spec.name)
    blocks = raw.blocks(BLOCK_ROWS)
    found = _find_header(blocks)
    if found is None:
        _missing_columns(spec, [], 1, log)
        return _empty_table(spec, complete=not spec.required)
    header_row, header, first_block = found
    layout = _layout(header_row, header, raw, spec, log)
    notes = _noted_cells(raw, layout)
    pieces: list[tuple[np.ndarray, dict[str, _Piece]]] = []
    blank_header_data: dict[int, int] = {}
    data_columns: set[int] = set()
    total_rows: set[int] = set()
    # A header-only sheet still goes through one (empty) block, so its columns are typed.
    first_block = first_block or (header_row + 1, np.empty((0, len(header)), dtype=object))
    for first_row, block in _chain(first_block, blocks):
        seen = _Seen(notes, blank_header_data, data_columns, total_rows)
        pieces.append(_read_block(first_row, block, layout, spec, ctx, log, seen))
    _log_notes(raw, layout, log, where, total_rows)
    merged_header = _merged(raw, layout, log, where)
    layout.complete = layout.complete and not merged_header  # which column is which is in doubt
    for position, row in sorted(blank_header_data.items()):
        if layout.first_col + position not in merged_header:  # already reported as merged
            letter = column_letter(layout.first_col + position)
            log.add_cell(where, row, letter, "blank_header", "", f"a column name in row {header_row} above data")
    table = _assemble(spec, layout, pieces)
    _hidden_data(raw, layout, table.rows, data_columns, log, where)
    return table


def _hidden_data(raw: RawSheet, layout: _Layout, rows: np.ndarray, data_columns: set[int], log: FindingLog, where: tuple[str, str]) -> None:
    """Rows and columns hidden in Excel that hold data: read and counted, and said so."""
    if raw.hidden_rows:
        hidden = rows[np.isin(rows, sorted(raw.hidden_rows))].tolist()
        if hidden:
            expected = "visible rows: they were read and counted as they are (unhide them so reviewers see what was submitted)"
            log.add_cell(where, None, "", "hidden_rows", f"hidden {'row' if len(hidden) == 1 else 'rows'} {_listing(hidden)}", expected, "warning", limit=200)
    columns = sorted(p for p in data_columns if layout.first_col + p in raw.hidden_columns)
    if columns:
        names = [column_letter(layout.first_col + p) + (f" ({layout.names[p]})" if p < len(layout.names) and layout.names[p] else "") for p in columns]
        expected = "visible columns: they were read as they are (unhide them so reviewers see what was submitted)"
        log.add_cell(where, None, "", "hidden_columns", f"hidden {'column' if len(names) == 1 else 'columns'} {_listing(names)}", expected, "warning", limit=200)


def _listing(items: list, shown: int = 10) -> str:
    text = ", ".join(str(i) for i in items[:shown])
    return text + (f" and {len(items) - shown:,} more" if len(items) > shown else "")


def _chain(first: tuple[int, np.ndarray] | None, rest: Iterator[tuple[int, np.ndarray]]) -> Iterator[tuple[int, np.ndarray]]:
    if first is not None:
        yield first
    yield from rest


def _find_header(blocks: Iterator[tuple[int, np.ndarray]]) -> tuple[int, list[object], tuple[int, np.ndarray] | None] | None:
    """(header's Excel row, its cells, the rest of its block) or None for an empty sheet."""
    for first_row, block in blocks:
        for index in range(len(block)):
            cells = list(block[index])
            if any(cell_text(c) != "" for c in cells):
                rest = block[index + 1 :]
                return first_row + index, cells, (first_row + index + 1, rest) if len(rest) else None
    return None


# Invisible characters an export or a copy from the web leaves in a header: a byte-order
# mark, zero-width spaces and joiners; no-break and other Unicode spaces become spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)


def header_text(cell: object) -> str:
    """A header cell as matched against the contract: invisible characters gone, trimmed, lower case."""
    text = cell_text(cell).translate(_INVISIBLE)
    return "".join(" " if ch.isspace() else ch for ch in text).strip().lower()


def _layout(header_row: int, header: list[object], raw: RawSheet, spec: Sheet, log: FindingLog) -> _Layout:
    where = (spec.workbook, spec.name)
    names = [header_text(c) for c in header]
    layout = _Layout(header_row, raw.first_col, names, {})
    contract = {c.name: c for c in spec.columns}
    for name in dict.fromkeys(n for n in names if n):
        positions = [i for i, n in enumerate(names) if n == name]
        if len(positions) > 1:
            letters = ", ".join(column_letter(raw.first_col + i) for i in positions)
            log.add_cell(where, header_row, name, "duplicate_header", f"columns {letters}", "each column name once")
            layout.complete = layout.complete and name not in contract
            continue
        layout.used[positions[0]] = contract.get(name) or Column(name, "text", False)
        if name not in contract:
            layout.extra.append(name)
    present = {c.name for c in layout.used.values()}
    missing = [name for name in spec.required if name not in present and names.count(name) < 2]
    _missing_columns(spec, [n for n in names if n], header_row, log, missing)
    layout.complete = layout.complete and not missing
    return layout


def _missing_columns(spec: Sheet, found: list[str], row: int, log: FindingLog, missing: list[str] | None = None) -> None:
    listing = "columns " + ", ".join(found) if found else "nothing (the sheet is empty)"
    for name in spec.required if missing is None else missing:
        near = [f for f in found if f.replace(" ", "_").replace("-", "_") == name]
        hint = f" (found '{near[0]}')" if near else ""
        log.add_cell((spec.workbook, spec.name), row, name, "missing_column", listing, f"a column headed '{name}'{hint}", limit=500)


_NOTE_EXPECTED = {
    "formula_error": "a value, not a formula error (fix the formula or paste values)",
    "formula_no_value": "a formula saved with its value (open and save the file in Excel)",
}
TOTAL_ROW_EXPECTED = "a row of one line, not a total or subtotal (delete this row: the rows are added up by the model, so a total would count them twice)"


def _noted_cells(raw: RawSheet, layout: _Layout) -> dict[int, set[int]]:
    """{column position: Excel rows} of the error and uncalculated-formula cells."""
    cells: dict[int, set[int]] = {}
    for note in raw.notes:
        if note.row is not None:
            cells.setdefault(note.col - layout.first_col, set()).add(note.row)
    return cells


def _log_notes(raw: RawSheet, layout: _Layout, log: FindingLog, where: tuple[str, str], total_rows: set[int]) -> None:
    """Report error and uncalculated-formula cells, but not on a total row (reported once, as that)."""
    for note in raw.notes:
        if note.row in total_rows:
            continue
        position = note.col - layout.first_col
        name = layout.names[position] if 0 <= position < len(layout.names) else ""
        column = name or (column_letter(note.col) if note.col >= 0 else "")
        log.add_cell(where, note.row, column, note.kind, note.value, _NOTE_EXPECTED[note.kind])


def _may_label(column: Column, layout: _Layout) -> bool:
    """Whether a total label in this column marks a total row: not in description or extras."""
    return column.name != "description" and column.name not in layout.extra


def _total_rows(block: np.ndarray, rows: np.ndarray, parsed: dict, layout: _Layout, log: FindingLog, where: tuple[str, str]) -> np.ndarray:
    """Rows labelled total or subtotal in a contract column (not description: free narrative
    such as 'total hip replacements' is not a label): one finding each, and nothing else."""
    total = np.zeros(len(block), dtype=bool)
    label_column = np.full(len(block), -1)
    for i, col in layout.used.items():
        labels = parsed[i].total
        if labels is None or not _may_label(col, layout):
            continue
        label_column[labels & ~total] = i
        total |= labels
    for index in np.flatnonzero(total)[: log.cap].tolist():
        name = layout.used[int(label_column[index])].name
        log.add_cell(where, int(rows[index]), name, "total_row", cell_text(block[index, label_column[index]]), TOTAL_ROW_EXPECTED)
    if total.sum() > log.cap:  # counted, never shown
        log.cells(where, "", "total_row", rows[np.flatnonzero(total)[log.cap :]], [], TOTAL_ROW_EXPECTED)
    return total


def _merged(raw: RawSheet, layout: _Layout, log: FindingLog, where: tuple[str, str]) -> set[int]:
    """Report merged cells in the table; return the Excel columns merged in the header."""
    header_columns: set[int] = set()
    for first_row, first_col, last_row, last_col in raw.merged:
        if last_row + 1 < layout.header_row:
            continue  # above the table
        cells = f"{column_letter(first_col)}{first_row + 1}:{column_letter(last_col)}{last_row + 1}"
        position = first_col - layout.first_col
        name = layout.names[position] if 0 <= position < len(layout.names) and layout.names[position] else column_letter(first_col)
        if first_row + 1 <= layout.header_row:
            header_columns.update(range(first_col, last_col + 1))
            log.add_cell(where, layout.header_row, name, "merged_header", f"merged cells {cells}", "one column name per cell (unmerge the header)")
        else:
            log.add_cell(where, first_row + 1, name, "merged_cells", f"merged cells {cells}", "one value per cell (unmerge the cells)")
    return header_columns


@dataclass
class _Piece:
    values: np.ndarray
    blank: np.ndarray
    bad: np.ndarray
    text: tuple[np.ndarray, np.ndarray] | None = None  # (codes, distinct values) of a text column

    def kept(self, keep: np.ndarray) -> _Piece:
        text = (self.text[0][keep], self.text[1]) if self.text is not None else None
        return _Piece(self.values[keep], self.blank[keep], self.bad[keep], text)


@dataclass
class _Seen:
    """What the blocks of one sheet gather as they are read."""

    notes: dict[int, set[int]]  # column position -> Excel rows already reported from the XML
    blank_header_data: dict[int, int]  # column position -> first Excel row with data
    data_columns: set[int]  # column positions holding any data
    total_rows: set[int]  # Excel rows labelled total or subtotal


def _read_block(
    first_row: int, block: np.ndarray, layout: _Layout, spec: Sheet, ctx: Context, log: FindingLog, seen: _Seen,
) -> tuple[np.ndarray, dict[str, _Piece]]:
    where = (spec.workbook, spec.name)
    rows = np.arange(first_row, first_row + len(block))
    parsed = {i: parse_column(block[:, i], col, ctx, _may_label(col, layout)) for i, col in layout.used.items()}
    row_blank = np.ones(len(block), dtype=bool)
    for i in range(block.shape[1]):
        cells_blank = parsed[i].blank if i in parsed else parse_text(block[:, i]).blank
        row_blank &= cells_blank
        if i not in seen.data_columns and not cells_blank.all():
            seen.data_columns.add(i)
    total = _total_rows(block, rows, parsed, layout, log, where)
    seen.total_rows.update(rows[total].tolist())
    pieces = {}
    for i, col in layout.used.items():
        piece = parsed[i]
        # A cell already reported from the XML (#REF!, no cached value) or on a total row
        # (reported as that) is not reported again.
        noted = np.isin(rows, list(seen.notes[i])) if i in seen.notes else np.zeros(len(block), dtype=bool)
        noted |= total
        bad = noted.copy()
        for fault in piece.faults:
            mask = fault.mask & ~noted
            log.cells(where, col.name, fault.kind, rows[mask], block[mask, i], fault.expected, fault.severity)
            if fault.severity == "error":
                bad |= mask
        if col.required:
            missing = piece.blank & ~row_blank & ~noted
            expected = f"a value for '{col.name}' (this row has data)"
            log.cells(where, col.name, "missing_value", rows[missing], [""] * min(int(missing.sum()), log.cap), expected)
            bad |= missing
        pieces[col.name] = _Piece(piece.values, piece.blank, bad, piece.text)
    _blank_header_data(block, rows, row_blank | total, layout, seen.blank_header_data)
    keep = ~row_blank & ~total
    return rows[keep], {name: p.kept(keep) for name, p in pieces.items()}


def _blank_header_data(block: np.ndarray, rows: np.ndarray, row_blank: np.ndarray, layout: _Layout, seen: dict[int, int]) -> None:
    for i in range(block.shape[1]):
        if (i < len(layout.names) and layout.names[i]) or i in seen:
            continue
        data = ~parse_text(block[:, i]).blank & ~row_blank
        if data.any():
            seen[i] = int(rows[data][0])


def _assemble(spec: Sheet, layout: _Layout, pieces: list[tuple[np.ndarray, dict[str, _Piece]]]) -> Table:
    names = [col.name for _, col in sorted(layout.used.items())]
    rows = np.concatenate([p[0] for p in pieces])
    values = {n: np.concatenate([p[1][n].values for p in pieces]) for n in names}
    blank = {n: np.concatenate([p[1][n].blank for p in pieces]) for n in names}
    bad = {n: np.concatenate([p[1][n].bad for p in pieces]) for n in names}
    texts = {n: [p[1][n].text for p in pieces] for n in names}
    codes = {n: _sorted_codes(parts) for n, parts in texts.items() if all(t is not None for t in parts)}
    return Table(spec.workbook, spec.name, rows, values, blank, bad, tuple(names), tuple(layout.extra), layout.complete, layout.header_row, codes)


def _sorted_codes(parts: list) -> tuple[np.ndarray, np.ndarray]:
    """One column's codes against its distinct values in sorted order, exactly as
    ``pd.factorize(values, sort=True)`` gives them, from each block's codes and distinct
    values: only the blocks' distinct values are hashed and sorted, never the million cells."""
    used = [np.flatnonzero(np.bincount(codes, minlength=len(distinct))) for codes, distinct in parts]
    each = [distinct[u] for u, (_, distinct) in zip(used, parts)]
    where, uniques = pd.factorize(np.concatenate(each) if each else np.empty(0, dtype=object), sort=True)
    kind = code_type(len(uniques))
    codes, start = [], 0
    for u, (block, distinct) in zip(used, parts):
        lookup = np.full(len(distinct), -1, dtype=kind)
        lookup[u] = where[start : start + len(u)]
        codes.append(lookup[block])
        start += len(u)
    return (np.concatenate(codes) if codes else np.empty(0, dtype=kind)), np.asarray(uniques, dtype=object)


def _empty_table(spec: Sheet, complete: bool) -> Table:
    return Table(spec.workbook, spec.name, np.zeros(0, dtype="int64"), {}, {}, {}, (), (), complete)
