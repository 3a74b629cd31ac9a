"""Sheet layout faults: missing files, sheets and columns; headers; hidden and merged cells."""

from __future__ import annotations

from pathlib import Path

from finmodel.findings import errors
from finmodel.validate import validate_close
from tests.malformed import add_column, located, tiny, validate_books, write_close, write_workbook


def test_missing_required_workbook_is_missing_file(tmp_path: Path):
    folder = write_close(tmp_path)
    (folder / "nonpay.xlsx").unlink()
    inputs, findings = validate_close(folder)
    assert inputs is None and located(findings) == {("nonpay.xlsx", "", None, "", "missing_file")}


def test_a_misnamed_workbook_is_named_in_the_finding(tmp_path: Path):
    folder = write_close(tmp_path)
    (folder / "nonpay.xlsx").rename(folder / "NonPay.xlsx")
    _, findings = validate_close(folder)
    assert [f.kind for f in findings] == ["missing_file"]
    assert "found NonPay.xlsx" in findings[0].expected


def test_optional_workbooks_may_be_absent(tmp_path: Path):
    books = tiny()
    del books["capital"], books["risks"]
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and inputs is not None
    assert inputs.capital.empty and list(inputs.capital.columns) == ["org", "programme", "plan", "forecast", "actual_ytd"]
    assert inputs.risks.empty


def test_missing_sheet_names_the_sheets_found(tmp_path: Path):
    books = tiny()
    books["cip"]["Delivery "] = books["cip"].pop("delivery")
    _, findings = validate_books(tmp_path, books)
    assert located(findings) == {("cip.xlsx", "delivery", None, "", "missing_sheet")}
    assert findings[0].value == "only the sheets schemes, Delivery "
    assert "rename 'Delivery ' to 'delivery'" in findings[0].expected


def test_missing_column_names_the_columns_found(tmp_path: Path):
    books = tiny()
    books["pay"]["pay"][0][3] = "pay type"
    _, findings = validate_books(tmp_path, books)
    assert located(findings) == {("pay.xlsx", "pay", 1, "pay_type", "missing_column")}
    assert findings[0].value == "columns org, month, staff_group, pay type, plan, actual, forecast"
    assert "(found 'pay type')" in findings[0].expected


def test_headers_match_after_trimming_and_lower_casing(tmp_path: Path):
    books = tiny()
    books["pay"]["pay"][0][:2] = [" Org", "MONTH "]
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and len(inputs.pay) == 24  # 2 lines x 12 months


def test_duplicate_header_is_located(tmp_path: Path):
    books = tiny()
    add_column(books, "pay", "pay", "Plan", [1, 2, 3, 4])
    _, findings = validate_books(tmp_path, books)
    assert located(findings) == {("pay.xlsx", "pay", 1, "plan", "duplicate_header")}
    assert findings[0].value == "columns E, H"


def test_data_under_a_blank_header_is_located(tmp_path: Path):
    books = tiny()
    add_column(books, "pay", "pay", None, [None, None, "note", None])
    _, findings = validate_books(tmp_path, books)
    assert located(findings) == {("pay.xlsx", "pay", 4, "H", "blank_header")}


def test_merged_header_cells_are_located(tmp_path: Path):
    folder = write_close(tmp_path)
    books = tiny()
    books["pay"]["pay"][0][6] = None
    write_workbook(folder / "pay.xlsx", books["pay"], merged={"pay": "F1:G1"})
    _, findings = validate_close(folder)
    assert located(findings) == {("pay.xlsx", "pay", 1, "actual", "merged_header")}
    assert next(f for f in findings if f.kind == "merged_header").value == "merged cells F1:G1"


def test_merged_data_cells_are_located(tmp_path: Path):
    folder = write_close(tmp_path)
    books = tiny()
    books["pay"]["pay"][2][0] = None  # merged A2:A3: calamine shows A3 as empty
    write_workbook(folder / "pay.xlsx", books["pay"], merged={"pay": "A2:A3"})
    _, findings = validate_close(folder)
    assert ("pay.xlsx", "pay", 2, "org", "merged_cells") in located(findings)


def test_hidden_sheet_is_read_with_a_warning(tmp_path: Path):
    folder = write_close(tmp_path)
    book = {**tiny()["agency"], "notes": [["prepared by", "finance"]]}
    write_workbook(folder / "agency.xlsx", book, hidden=("agency",))
    inputs, findings = validate_close(folder)
    assert located(findings) == {("agency.xlsx", "agency", None, "", "hidden_sheet")}
    assert findings[0].severity == "warning" and inputs is not None and len(inputs.agency) == 12


def test_trailing_formatted_empty_rows_and_spacer_rows_are_skipped(tmp_path: Path):
    folder = write_close(tmp_path)
    books = tiny()
    books["pay"]["pay"].insert(3, [None] * 7)
    books["pay"]["pay"].insert(4, ["  ", None, "", None, None, None, None])
    write_workbook(folder / "pay.xlsx", books["pay"], styled_rows={"pay": 50})
    inputs, findings = validate_close(folder)
    assert findings == [] and inputs is not None
    assert inputs.pay["month"].tolist()[:4] == [1, 1, 2, 2]


def test_a_table_starting_below_row_1_reports_excel_rows(tmp_path: Path):
    books = tiny()
    rows = books["pay"]["pay"]
    books["pay"]["pay"] = [[None] * 8, [None] * 8] + [[None, *r] for r in rows]  # header at B3
    books["pay"]["pay"][4][5] = "lots"  # Excel row 5, column F (plan)
    _, findings = validate_books(tmp_path, books)
    assert located(findings) == {("pay.xlsx", "pay", 5, "plan", "not_a_number")}


def test_header_only_workbook_is_valid_and_empty(tmp_path: Path):
    books = tiny()
    books["agency"]["agency"] = books["agency"]["agency"][:1]
    for row in books["pay"]["pay"][1:]:
        row[3] = "bank" if row[3] == "agency" else row[3]  # nothing left to reconcile
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and inputs is not None and inputs.agency.empty
    assert inputs.agency["plan"].dtype == "int64"


def test_an_empty_sheet_lists_every_required_column_missing(tmp_path: Path):
    books = tiny()
    books["cip"]["delivery"] = []
    _, findings = validate_books(tmp_path, books)
    assert {(f.column, f.kind, f.value) for f in errors(findings)} == {
        (name, "missing_column", "nothing (the sheet is empty)") for name in ("scheme_id", "month")
    }


def test_extra_columns_are_kept_as_text_after_the_contract_columns(tmp_path: Path):
    books = tiny()
    add_column(books, "pay", "pay", "Ward", [101, "B2", None, 7.5])
    inputs, findings = validate_books(tmp_path, books)
    assert findings == []
    assert list(inputs.pay.columns)[-1] == "ward"
    assert inputs.pay["ward"].tolist()[:4] == ["101", "B2", "", "7.5"]
