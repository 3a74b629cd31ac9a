"""Hostile files: a sheet that claims a vast grid is refused from its cell references,
before the spreadsheet reader allocates anything (a cell at XFD1048576 made it reserve
512 GiB; one at AZ1048576 took 15 s and 2 GB). Error cells are found however the XML is
written; a value that breaks a parser is that cell's finding; a zip with two parts of one
name is refused. The odd files are written by hand (zipfile), as other tools write them."""

from __future__ import annotations

import re
import resource
from pathlib import Path

import openpyxl
import pytest

import finmodel.validate.columns as columns
from finmodel.findings import Finding
from finmodel.read import read_workbook
from finmodel.validate import validate_close
from malformed import STRICT, TRANSITIONAL, ErrorCell, add_column, calamine_never_opened, set_cell, sheet_xml, tiny, validate_books, write_by_hand, write_tiny_close


def _pay_with_cell_at(folder: Path, ref: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "pay"
    for row in tiny()["pay"]["pay"]:
        sheet.append(row)
    sheet[ref] = 1
    path = folder / "pay.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(("ref", "cells"), [("XFD1048576", 16_384 * 1_048_576), ("AZ1048576", 52 * 1_048_576)])
def test_an_absurd_extent_is_one_finding_before_the_reader_opens_the_file(tmp_path: Path, ref: str, cells: int, monkeypatch: pytest.MonkeyPatch):
    path = _pay_with_cell_at(write_tiny_close(tmp_path), ref)

    # calamine is opened only after the checks: were it given this file, it would reserve
    # the grid (512 GiB at XFD1048576, an abort; 2 GB and 15 s at AZ1048576).
    calamine_never_opened(monkeypatch)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    raw, findings = read_workbook(path, ["pay"])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert raw is None
    expected = "a sheet of at most 30,000,000 cells from A1 to its last cell (delete the stray cells or formatting far below or right of the data)"
    assert findings == [Finding("pay.xlsx", "pay", None, "", "sheet_too_large", f"cells as far as {ref} ({cells:,} cells from A1)", expected)]
    assert grown_mb < 200


def test_a_dimension_claiming_a_vast_grid_is_refused_too(tmp_path: Path):
    import zipfile

    path = write_tiny_close(tmp_path) / "pay.xlsx"
    data = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    data[sheet] = re.sub(rb"<dimension ref=\"[^\"]*\" ?/>", b"<dimension ref=\"A1:XFD1048576\"/>", data[sheet])
    assert b"XFD1048576" in data[sheet]
    with zipfile.ZipFile(path, "w") as out:
        for member, content in data.items():
            out.writestr(member, content)
    raw, findings = read_workbook(path, ["pay"])
    assert raw is None and [f.kind for f in findings] == ["sheet_too_large"]


def test_a_narrow_sheet_of_any_length_is_read(tmp_path: Path):
    path = _pay_with_cell_at(write_tiny_close(tmp_path), "Z1048576")
    raw, findings = read_workbook(path, ["pay"])
    assert raw is not None and findings == []


# --- cells written as other tools write them ----------------------------------------------


def _hand_written_pay(folder: Path, style: str, strict: bool = False) -> Path:
    books = tiny()
    set_cell(books, "pay", "pay", 3, "plan", ErrorCell("#N/A"))
    namespace = (STRICT if strict else TRANSITIONAL)[0]
    return write_by_hand(folder / "pay.xlsx", {"pay": sheet_xml(books["pay"]["pay"], style, namespace)}, strict=strict)


@pytest.mark.parametrize(
    ("style", "strict"),
    [("r-first", False), ("t-first", False), ("spaced", False), ("no-ref", False), ("r-first", True), ("no-ref", True)],
    ids=["as-excel", "t-before-r", "spaces-around-equals", "no-cell-reference", "strict-namespace", "strict-no-reference"],
)
def test_an_error_cell_is_found_however_its_xml_is_written(tmp_path: Path, style: str, strict: bool):
    # Each of these was read as a blank plan, i.e. forecast at plan, before.
    folder = write_tiny_close(tmp_path)
    _hand_written_pay(folder, style, strict)
    inputs, findings = validate_close(folder)
    assert inputs is None
    assert findings == [Finding(
        "pay.xlsx", "pay", 3, "plan", "formula_error", "#N/A", "a value, not a formula error (fix the formula or paste values)",
    )]


def test_a_hand_written_workbook_without_errors_reads_as_the_same_close(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    expected, _ = validate_close(folder)
    write_by_hand(folder / "pay.xlsx", {"pay": sheet_xml(tiny()["pay"]["pay"], "no-ref", STRICT[0])}, strict=True)
    inputs, findings = validate_close(folder)
    assert findings == [] and inputs is not None
    assert inputs.pay.equals(expected.pay)


def test_a_value_that_breaks_a_parser_is_that_cells_finding_and_hides_nothing(tmp_path: Path):
    # A month typed 6¹ made the whole workbook one unlocated 'unreadable' error.
    books = tiny()
    set_cell(books, "pay", "pay", 4, "month", "6¹")
    set_cell(books, "pay", "pay", 5, "plan", "lots")
    folder = write_tiny_close(tmp_path)
    write_by_hand(folder / "pay.xlsx", {"pay": sheet_xml(books["pay"]["pay"])})
    _, findings = validate_close(folder)
    assert [(f.workbook, f.sheet, f.row, f.column, f.kind, f.value) for f in findings] == [
        ("pay.xlsx", "pay", 4, "month", "bad_month", "6¹"), ("pay.xlsx", "pay", 5, "plan", "not_a_number", "lots"),
    ]


def test_a_parser_failing_on_one_value_is_located_at_its_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real = columns._count_one

    def fragile(value: object) -> object:
        if value == "boom":
            raise OverflowError("simulated")
        return real(value)

    monkeypatch.setattr(columns, "_count_one", fragile)
    books = tiny()
    add_column(books, "agency", "agency", "shifts", ["boom", 3])
    set_cell(books, "agency", "agency", 3, "staff_group", None)
    _, findings = validate_books(tmp_path, books)
    assert [(f.row, f.column, f.kind, f.value, f.expected) for f in findings] == [
        (2, "shifts", "unreadable_value", "boom", "a value this tool can read (if Excel shows it as you meant it, please report this with the file)"),
        (3, "staff_group", "missing_value", "", "a value for 'staff_group' (this row has data)"),
    ]


def test_two_parts_of_the_same_name_are_an_error(tmp_path: Path):
    # zipfile and the reader took the last of the two; another tool would show the first.
    folder = write_tiny_close(tmp_path)
    books = tiny()
    set_cell(books, "pay", "pay", 2, "plan", 1_000_000)
    second = sheet_xml(books["pay"]["pay"])
    with pytest.warns(UserWarning, match="Duplicate name"):
        write_by_hand(folder / "pay.xlsx", {"pay": sheet_xml(tiny()["pay"]["pay"])}, extra=(("xl/worksheets/sheet1.xml", second),))
    inputs, findings = validate_close(folder)
    assert inputs is None
    assert findings == [Finding(
        "pay.xlsx", "", None, "", "duplicate_part", "two parts named xl/worksheets/sheet1.xml",
        "each part of the workbook once (this file was not saved by Excel: open it in Excel and save it again)",
    )]


# Each of these made the reader try to reserve hundreds of GB and abort the whole process
# (SIGABRT, a Rust backtrace, no finding) before the extent scan knew every way XML can say
# where a cell is: an attribute spaced around its "=", a reference in lower case, a far row
# out of order, and cells without references, which the reader places one after another.
FAR_SHAPES = {
    "spaced": '<row r="5"><c r = "XFD1048576"><v>1</v></c></row>',
    "tab and new line": '<row r="5"><c r=\t"XFD1048576"\n><v>1</v></c></row>',
    "lower case": '<row r="5"><c r="xfd1048576"><v>1</v></c></row>',
    "four letters": '<row r="5"><c r="ZZZZ1048576"><v>1</v></c></row>',
    "a far row out of order, its cell unreferenced": '<row r="99999999"><c><v>1</v></c></row>',
    "a far row spaced, out of order": '<row r = "99999999"><c><v>1</v></c></row>',
    "a wide row of unreferenced cells": '<row r="1048576">' + "<c><v>1</v></c>" * 20_000 + "</row>",
    "unreferenced cells, r not first": '<row r="1048576">' + '<c s="0"><v>1</v></c>' * 20_000 + "</row>",
}


@pytest.mark.parametrize("shape", FAR_SHAPES)
def test_every_way_of_placing_a_cell_far_off_is_one_finding_not_a_crash(tmp_path: Path, shape: str):
    folder = write_tiny_close(tmp_path)
    xml = sheet_xml(tiny()["pay"]["pay"])
    rows = xml.split("</row>")
    xml = "</row>".join(rows[:2]) + "</row>" + FAR_SHAPES[shape] + "</row>".join(rows[2:])  # after the first data row
    path = write_by_hand(folder / "pay.xlsx", {"pay": xml})
    raw, findings = read_workbook(path, ["pay"])
    assert raw is None
    assert [(f.kind, f.sheet) for f in findings] == [("sheet_too_large", "pay")]
    assert "cells from A1" in findings[0].value



def _with_shared_strings(folder: Path, unique_count: str | None) -> Path:
    """A pay.xlsx written by xlsxwriter (which keeps text in shared strings), its part's
    uniqueCount attribute set to ``unique_count`` as written by hand (None: left as written)."""
    import zipfile

    import xlsxwriter

    path = folder / "pay.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("pay")
    for number, row in enumerate(tiny()["pay"]["pay"]):
        sheet.write_row(number, 0, row)
    book.close()
    if unique_count is not None:
        parts = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
        parts["xl/sharedStrings.xml"] = re.sub(rb'uniqueCount="\d+"', unique_count.encode(), parts["xl/sharedStrings.xml"])
        with zipfile.ZipFile(path, "w") as out:
            for member, content in parts.items():
                out.writestr(member, content)
    return path


@pytest.mark.parametrize("claim", ['uniqueCount="2000000000"', "uniqueCount = '+2000000000'"])
def test_shared_strings_claiming_more_than_their_bytes_hold_are_refused_not_reserved(tmp_path: Path, claim: str):
    # The reader reserves room for uniqueCount strings before reading one: 2 billion made
    # it ask for 48 GB, and the allocation failing aborted the process.
    path = _with_shared_strings(write_tiny_close(tmp_path), claim)
    raw, findings = read_workbook(path, ["pay"])
    assert raw is None
    assert [(f.kind, f.workbook) for f in findings] == [("corrupt", "pay.xlsx")]
    assert re.fullmatch(r"xl/sharedStrings.xml: 2,000,000,000 strings in [0-9,]+ bytes", findings[0].value)  # whole, not cut short


def test_shared_strings_as_a_writer_keeps_them_are_read(tmp_path: Path):
    path = _with_shared_strings(write_tiny_close(tmp_path), None)
    raw, findings = read_workbook(path, ["pay"])
    assert raw is not None and findings == []


@pytest.mark.parametrize(
    ("row", "block_rows", "value", "number_format", "said"),
    [(3, 100_000, -1e20, "yyyy-mm-dd", "out of bounds"), (5, 2, -1e20, "yyyy-mm-dd", "out of bounds"), (4, 100_000, 1e20, "[h]:mm:ss", "OverflowError")],
)
def test_a_row_the_reader_fails_on_is_one_located_finding_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], row: int, block_rows: int, value: float, number_format: str, said: str
):
    # python-calamine raises a Rust panic (pyo3's PanicException, a BaseException) converting
    # -1e20 formatted as a date: it went through every `except Exception` as a traceback.
    import finmodel.validate.table as table

    monkeypatch.setattr(table, "BLOCK_ROWS", block_rows)  # the panic in a later block too
    folder = write_tiny_close(tmp_path)
    book = openpyxl.load_workbook(folder / "pay.xlsx")
    sheet = book["pay"]
    sheet.cell(row=row, column=sheet.max_column + 1, value=value).number_format = number_format
    book.save(folder / "pay.xlsx")
    inputs, findings = validate_close(folder)
    assert inputs is None
    rows = [(f.workbook, f.sheet, f.row, f.kind) for f in findings if f.kind == "unreadable_row"]
    assert rows == [("pay.xlsx", "pay", row, "unreadable_row")]
    assert said in next(f.value for f in findings if f.kind == "unreadable_row")
    # Rust prints a panic's message before pyo3 raises it: once, not again for the row search.
    assert capfd.readouterr().err.count("panicked") == (1 if said == "out of bounds" else 0)
