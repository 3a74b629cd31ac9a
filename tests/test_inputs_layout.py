"""What a sheet hides and what the folder holds besides the contract: hidden rows and columns
with data, sheets whose names differ only in case, workbooks the contract does not name."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from finmodel.findings import Finding
from finmodel.validate import validate_close
from malformed import sheet_xml, tiny, write_by_hand, write_tiny_close

HIDDEN_ROWS = "visible rows: they were read and counted as they are (unhide them so reviewers see what was submitted)"
HIDDEN_COLUMNS = "visible columns: they were read as they are (unhide them so reviewers see what was submitted)"


def _hide(path: Path, rows: tuple[int, ...] = (), columns: tuple[str, ...] = (), header: dict[str, str] | None = None) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for row in rows:
        sheet.row_dimensions[row].hidden = True
    for letter in columns:
        sheet.column_dimensions[letter].hidden = True
    for ref, text in (header or {}).items():
        sheet[ref] = text
    book.save(path)


def test_hidden_rows_and_columns_holding_data_are_read_with_a_warning(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    _hide(folder / "pay.xlsx", rows=(3, 5), columns=("G",))
    inputs, findings = validate_close(folder)
    assert inputs is not None and len(inputs.pay) == 24  # they still count
    assert findings == [
        Finding("pay.xlsx", "pay", None, "", "hidden_columns", "hidden column G (forecast)", HIDDEN_COLUMNS, "warning"),
        Finding("pay.xlsx", "pay", None, "", "hidden_rows", "hidden rows 3, 5", HIDDEN_ROWS, "warning"),
    ]
    assert inputs.warnings == tuple(findings)


def test_hidden_rows_and_columns_without_data_are_not_reported(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    _hide(folder / "pay.xlsx", rows=(40, 41), columns=("H", "K"), header={"H1": "notes"})  # a header, no data
    inputs, findings = validate_close(folder)
    assert inputs is not None and findings == []


def test_sheets_whose_names_differ_only_in_case_are_an_error(tmp_path: Path):
    # Excel refuses this; openpyxl would rename the second, so the file is written by hand.
    folder = write_tiny_close(tmp_path)
    pay = tiny()["pay"]["pay"]
    write_by_hand(folder / "pay.xlsx", {"Pay": sheet_xml(pay[:3]), "pay": sheet_xml(pay)})
    inputs, findings = validate_close(folder)
    assert inputs is None
    assert findings == [Finding(
        "pay.xlsx", "pay", None, "", "duplicate_sheet", "sheets Pay, pay",
        "one sheet named 'pay' (Excel does not allow names differing only in case: delete or rename the others)",
    )]


def test_a_workbook_the_contract_does_not_name_is_a_warning_and_lock_files_are_ignored(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    (folder / "pay (2).xlsx").write_bytes((folder / "pay.xlsx").read_bytes())
    (folder / "~$pay.xlsx").write_bytes(b"Office's lock file while pay.xlsx is open")
    (folder / "notes.txt").write_text("not a workbook")
    inputs, findings = validate_close(folder)
    assert inputs is not None
    assert findings == [Finding(
        "pay (2).xlsx", "", None, "", "extra_file", "a workbook that is not part of the input contract",
        "only the contract's workbooks (agency.xlsx, capital.xlsx, cip.xlsx, income.xlsx, nonpay.xlsx, pay.xlsx, phc.xlsx, pooled.xlsx, risks.xlsx): "
        "this one was not read (move its figures into the contract's workbook, or the file out of the folder)",
        "warning",
    )]


def test_a_misnamed_contract_workbook_is_named_once_by_missing_file(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    (folder / "nonpay.xlsx").rename(folder / "NonPay.xlsx")
    _, findings = validate_close(folder)
    assert [(f.workbook, f.kind) for f in findings] == [("nonpay.xlsx", "missing_file")]
