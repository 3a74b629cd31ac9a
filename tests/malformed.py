"""Small close folders and workbooks built in code, for the validation tests.

``write_tiny_close(dir)`` writes a valid close (one acute trust and the ICB, closed at M1,
every workbook); the other helpers damage one thing at a time. Rows are given as a finance
user would type them: ``None`` is an empty cell. Each ledger sheet's months 1 and 2 are
written out (Excel rows 2.. as listed); months 3..12 of every line follow them, at plan
(actual and forecast blank), because a planned line needs a row for every month. A test
adding a row to a ledger sheet inserts it after the written-out rows (``insert_rows``), so
the row numbers it pins do not depend on the months that follow.
"""

from __future__ import annotations

import copy
import datetime as dt
import zipfile
from pathlib import Path
from typing import Callable

import openpyxl

TINY_SYSTEM = """\
year: 2023/24
system: Tiny ICS
organisations:
  - {code: ACUTE1, name: Acute One, type: acute}
  - {code: ICB, name: The ICB, type: icb}
targets: {ACUTE1: 0, ICB: 0}
"""

Rows = list[list[object]]
Book = dict[str, Rows]  # sheet name -> rows, the header first


def _whole_year(rows: Rows) -> Rows:
    """The rows given, then months 3..12 of each month-2 row at plan (actual, forecast blank)."""
    header = rows[0]
    month, actual, forecast = (header.index(c) for c in ("month", "actual", "forecast"))
    later = []
    for number in range(3, 13):
        for row in rows[1:]:
            if row[month] == 2:
                copy = list(row)
                copy[month], copy[actual], copy[forecast] = number, None, None
                later.append(copy)
    return rows + later


TINY: dict[str, Book] = {
    "income": {"income": _whole_year([
        ["org", "month", "category", "plan", "actual", "forecast"],
        ["ACUTE1", 1, "clinical_icb", 1000, 1000, None],
        ["ACUTE1", 2, "clinical_icb", 1000, None, 1100],
        ["ICB", 1, "allocation", 5000, 5000, None],
        ["ICB", 2, "allocation", 5000, None, None],
    ])},
    "pay": {"pay": _whole_year([
        ["org", "month", "staff_group", "pay_type", "plan", "actual", "forecast"],
        ["ACUTE1", 1, "Nursing", "substantive", 600, 620, None],
        ["ACUTE1", 1, "Nursing", "agency", 50, 70, None],
        ["ACUTE1", 2, "Nursing", "substantive", 600, None, None],
        ["ACUTE1", 2, "Nursing", "agency", 50, None, 60],
    ])},
    "nonpay": {"nonpay": _whole_year([
        ["org", "month", "category", "kind", "plan", "actual", "forecast"],
        ["ACUTE1", 1, "Drugs", "operating", 200, 210, None],
        ["ACUTE1", 2, "Drugs", "operating", 200, None, 190],
        ["ICB", 1, "acute", "operating", 3000, 3000, None],
        ["ICB", 2, "acute", "operating", 3000, None, None],
    ])},
    "agency": {"agency": _whole_year([
        ["org", "month", "staff_group", "framework", "plan", "actual", "forecast"],
        ["ACUTE1", 1, "Nursing", "on", 50, 70, None],
        ["ACUTE1", 2, "Nursing", "on", 50, None, 60],
    ])},
    "cip": {
        "schemes": [
            ["org", "scheme_id", "scheme", "category", "recurrent", "rating"],
            ["ACUTE1", "S1", "Theatre productivity", "pay", "yes", "fully_developed"],
        ],
        "delivery": _whole_year([
            ["scheme_id", "month", "plan", "actual", "forecast"],
            ["S1", 1, 10, 8, None],
            ["S1", 2, 10, None, None],
        ]),
    },
    "phc": {
        "budget": _whole_year([
            ["service", "month", "plan", "actual", "forecast"],
            ["adult_chc", 1, 400, 410, None],
            ["adult_chc", 2, 400, None, 420],
        ]),
        "packages": [
            ["package_id", "service", "weekly_cost", "start_date", "end_date", "icb_share"],
            ["P1", "adult_chc", 1000, dt.date(2023, 4, 1), None, None],
            ["P2", "fnc", 250.5, dt.date(2023, 5, 1), dt.date(2023, 6, 30), 0.5],
        ],
    },
    "capital": {"capital": [
        ["org", "programme", "plan", "forecast"],
        ["ACUTE1", "cdel", 1200, None],
    ]},
    "risks": {"register": [
        ["id", "org", "type", "category", "description", "value", "likelihood", "status"],
        ["R1", "ACUTE1", "risk", "inflation", "Energy prices", 500, "medium", None],
        ["R2", "ACUTE1", "mitigation", "other", "Vacancy freeze", 200, 80, "in_progress"],
    ]},
}


def tiny() -> dict[str, Book]:
    """A deep copy of the tiny close's workbooks, to change one thing."""
    return copy.deepcopy(TINY)


def write_workbook(
    path: Path,
    book: Book,
    hidden: tuple[str, ...] = (),
    merged: dict[str, str] | None = None,
    styled_rows: dict[str, int] | None = None,
) -> Path:
    """An .xlsx with openpyxl; ``merged`` maps sheet -> range, ``styled_rows`` adds formatted-empty rows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in book.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
        if merged and name in merged:
            sheet.merge_cells(merged[name])
        for extra in range((styled_rows or {}).get(name, 0)):
            cell = sheet.cell(row=len(rows) + 1 + extra, column=1)
            cell.number_format = "#,##0.00"
            cell.font = openpyxl.styles.Font(bold=True)
    if not book:
        workbook.create_sheet("Sheet1")
    workbook.save(path)
    return path


def write_close(base: Path, books: dict[str, Book] | None = None, system: str = TINY_SYSTEM, month: str = "M01") -> Path:
    """A close folder base/2023-24/<month> with system.yaml beside it; returns the folder."""
    folder = base / "2023-24" / month
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / "system.yaml").write_text(system, encoding="utf-8")
    for name, book in (TINY if books is None else books).items():
        write_workbook(folder / f"{name}.xlsx", book)
    return folder


def write_tiny_close(base: Path) -> Path:
    """The valid tiny close (closed at M1); returns its folder, e.g. base/2023-24/M01."""
    return write_close(base)


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of an .xlsx (e.g. a sheet's XML) to build faults openpyxl cannot."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, change(data) if info.filename == member else data)
    return path


SHEET1 = "xl/worksheets/sheet1.xml"  # openpyxl's part for a workbook's first sheet


def set_cell(books: dict[str, Book], workbook: str, sheet: str, row: int, column: str, value: object) -> None:
    """Put a value in a cell named as Excel shows it: the header is row 1."""
    rows = books[workbook][sheet]
    rows[row - 1][rows[0].index(column)] = value


WRITTEN_OUT = 2  # the months listed in TINY; insert_rows puts new rows after them


def insert_rows(books: dict[str, Book], workbook: str, sheet: str, rows: Rows) -> int:
    """Add rows to a ledger sheet after its months 1-2; returns the Excel row of the first."""
    table = books[workbook][sheet]
    month = table[0].index("month")
    at = next((i for i, r in enumerate(table[1:], 1) if isinstance(r[month], int) and r[month] > WRITTEN_OUT), len(table))
    table[at:at] = [list(r) for r in rows]
    return at + 1


def add_column(books: dict[str, Book], workbook: str, sheet: str, name: str, values: list[object]) -> None:
    rows = books[workbook][sheet]
    rows[0].append(name)
    for row, value in zip(rows[1:], values):
        row.append(value)


def validate_books(base: Path, books: dict[str, Book], system: str = TINY_SYSTEM):  # type: ignore[no-untyped-def]
    """Write the close and validate it: (inputs, findings)."""
    from finmodel.validate import validate_close

    return validate_close(write_close(base, books, system))


def located(findings) -> set[tuple[str, str, int | None, str, str]]:  # type: ignore[no-untyped-def]
    """What a malformed-input test asserts: workbook, sheet, Excel row, column, kind."""
    return {(f.workbook, f.sheet, f.row, f.column, f.kind) for f in findings}


# --- workbooks written by hand, for what openpyxl will not write ---------------------------

TRANSITIONAL = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
STRICT = ("http://purl.oclc.org/ooxml/spreadsheetml/main", "http://purl.oclc.org/ooxml/officeDocument/relationships")


class ErrorCell(str):
    """A cell holding an Excel error value such as #N/A (``t="e"``)."""


def _cell_xml(ref: str, value: object, style: str) -> str:
    """One <c>: style 'r-first' as Excel writes it, 't-first', 'spaced' (a = "b") or 'no-ref'."""
    if value is None:
        return ""
    if isinstance(value, ErrorCell):
        kind, body = "e", f"<v>{value}</v>"
    elif isinstance(value, (int, float)):
        kind, body = "n", f"<v>{value}</v>"
    else:
        kind, body = "inlineStr", f"<is><t>{value}</t></is>"
    attrs = {"r-first": f'r="{ref}" t="{kind}"', "t-first": f't="{kind}" r="{ref}"', "spaced": f'r = "{ref}"  t= "{kind}" ', "no-ref": f't="{kind}"'}
    return f"<c {attrs[style]}>{body}</c>"


def sheet_xml(rows: Rows, style: str = "r-first", namespace: str = TRANSITIONAL[0]) -> str:
    from finmodel.read import column_letter

    body = []
    for number, row in enumerate(rows, 1):
        cells = "".join(_cell_xml(f"{column_letter(i)}{number}", v, style) for i, v in enumerate(row))
        if style == "no-ref":  # cells placed by order: an empty cell must still be there
            cells = "".join(_cell_xml("", "" if v is None else v, style) for v in row)
        body.append(f'<row r="{number}">{cells}</row>' if style != "no-ref" else f"<row>{cells}</row>")
    return f'<worksheet xmlns="{namespace}"><sheetData>{"".join(body)}</sheetData></worksheet>'


def write_by_hand(path: Path, sheets: dict[str, str], strict: bool = False, extra: tuple[tuple[str, bytes | str], ...] = ()) -> Path:
    """An .xlsx from sheet XML written out (zipfile), with ``extra`` members appended as given."""
    main, rel = STRICT if strict else TRANSITIONAL
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    package = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    names = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(sheets, 1))
    links = "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", f'{package}<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{names}</sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f"{package}{links}</Relationships>")
        for i, xml in enumerate(sheets.values(), 1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        for member, data in extra:
            archive.writestr(member, data)
    return path


def calamine_never_opened(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """From here on, a file reaching the spreadsheet reader fails the test: what the safety
    checks refuse must be refused before calamine sees a byte (it would reserve the memory)."""
    import types

    import finmodel.read as read

    def never(*_: object) -> None:
        raise AssertionError("calamine was given a file the safety checks should have refused")

    spy = types.SimpleNamespace(**{n: getattr(read.python_calamine, n) for n in ("PasswordError", "CalamineError", "SheetVisibleEnum")})
    spy.CalamineWorkbook = types.SimpleNamespace(from_filelike=never)
    monkeypatch.setattr(read, "python_calamine", spy)
