"""The exact message of one finding of every kind: what a finance user reads, pinned.

A change of wording shows up here and in docs/errors.md together, as hledger pins its
error messages.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

import finmodel.read as read
from finmodel.read import OLE_MAGIC
from finmodel.validate import validate_close
from tests.malformed import SHEET1, TINY_SYSTEM, add_column, insert_rows, rewrite_member, set_cell, tiny, validate_books, write_close, write_workbook

ROW_KINDS = {
    "not_a_number": "income.xlsx, sheet 'income', row 2, column 'plan': found 'lots'; expected an amount in £ with at most two decimals, e.g. 1234.50 or (1,234)",
    "forecast_before_close": "income.xlsx, sheet 'income', row 2, column 'forecast': found '£5.00'; expected no forecast up to the close month M1 (leave it blank)",
    "text_read_as_number": "income.xlsx, sheet 'income', row 3, column 'plan': found '£1,000.00'; expected a number cell; this text was read as the amount shown",
    "actual_missing": "income.xlsx, sheet 'income', row 4, column 'actual': found nothing; expected an actual for every month up to the close month M1 (write 0 for none)",
    "actual_after_close": "income.xlsx, sheet 'income', row 5, column 'actual': found '£5.00'; expected no actual after the close month M1 (leave it blank)",
    "unknown_org": "pay.xlsx, sheet 'pay', row 2, column 'org': found 'acute1'; expected an organisation code from system.yaml: ACUTE1, ICB (write it as 'ACUTE1')",
    "unknown_code": "pay.xlsx, sheet 'pay', row 3, column 'pay_type': found 'Agency'; expected one of: agency, bank, other, substantive (write it as 'agency')",
    "bad_month": "pay.xlsx, sheet 'pay', row 4, column 'month': found 'M13'; expected a month 1..12 or M1..M12 (M1 = April ... M12 = March), a month name such as May or Jan-24, or a date inside the financial year",
    "month_outside_year": "nonpay.xlsx, sheet 'nonpay', row 3, column 'month': found '02/04/2024'; expected a date from 01/04/2023 to 31/03/2024 (2023/24)",
    "missing_value": "nonpay.xlsx, sheet 'nonpay', row 2, column 'category': found nothing; expected a value for 'category' (this row has data)",
    "continuing_care_in_nonpay": "nonpay.xlsx, sheet 'nonpay', row 4, column 'category': found 'continuing_care'; expected continuing care only in phc.xlsx (its budget sheet), not in the ICB's nonpay",
    "org_type_mismatch": "nonpay.xlsx, sheet 'nonpay', row 5, column 'category': found 'Drugs'; expected an ICB service line: acute, mental_health, community, primary_care, prescribing, other_commissioned, other_programme, delegated_primary_care, running_costs",
    "actual_over_3x_plan": "nonpay.xlsx, sheet 'nonpay', row 6, column 'actual': found '£460,000.00'; expected at most 3 times the plan of £150,000.00 (check the units and the coding)",
    "duplicate_row": "nonpay.xlsx, sheet 'nonpay', row 7: found 'a copy of row 6'; expected each row once (delete the copy, or add detail that tells them apart)",
    "agency_not_reconciled": "agency.xlsx, sheet 'agency', column 'plan': found 'ACUTE1 M2: -£5.00'; expected the plan of pay.xlsx's agency rows for ACUTE1 M2, £50.00 (to within £1)",
    "bad_count": "agency.xlsx, sheet 'agency', row 2, column 'shifts': found '1.5'; expected a whole number 0 or more",
    "negative_amount": "agency.xlsx, sheet 'agency', row 3, column 'plan': found '-£5.00'; expected a positive amount (a credit is allowed: check the sign)",
    "duplicate_id": "cip.xlsx, sheet 'schemes', row 3, column 'scheme_id': found 'S1'; expected a unique scheme_id (first used on row 2)",
    "unknown_scheme": "cip.xlsx, sheet 'delivery', row 3, column 'scheme_id': found 'S7'; expected a scheme_id listed on the schemes sheet",
    "weekly_cost_over_25k": "phc.xlsx, sheet 'packages', row 2, column 'weekly_cost': found '£30,000.00'; expected a weekly cost up to £25,000 (is this an annual or monthly figure?)",
    "bad_date": "phc.xlsx, sheet 'packages', row 2, column 'start_date': found 'soon'; expected a date, e.g. 15/01/2024 (day first) or a date cell",
    "ends_before_starts": "phc.xlsx, sheet 'packages', row 3, column 'end_date': found '01/04/2023'; expected an end date on or after the start date 01/05/2023",
    "bad_fraction": "phc.xlsx, sheet 'packages', row 3, column 'icb_share': found '2'; expected a share from 0 to 1, e.g. 0.5 or 50%",
    "bad_likelihood": "risks.xlsx, sheet 'register', row 2, column 'likelihood': found 'likely'; expected a percentage 0..100 or a word from system.yaml (low, medium, high, almost_certain)",
}


def _row_faults() -> dict:
    books = tiny()
    cells = [
        ("pay", "pay", 2, "org", "acute1"), ("pay", "pay", 3, "pay_type", "Agency"), ("pay", "pay", 4, "month", "M13"),
        ("nonpay", "nonpay", 3, "month", dt.date(2024, 4, 2)), ("income", "income", 2, "plan", "lots"),
        ("income", "income", 3, "plan", "£1,000.00"), ("income", "income", 4, "actual", None), ("income", "income", 5, "actual", 5),
        ("income", "income", 2, "forecast", 5), ("nonpay", "nonpay", 2, "category", None),
        ("nonpay", "nonpay", 4, "category", "continuing_care"), ("nonpay", "nonpay", 5, "category", "Drugs"),
        ("agency", "agency", 3, "plan", -5), ("cip", "delivery", 3, "scheme_id", "S7"),
        ("phc", "packages", 3, "end_date", dt.date(2023, 4, 1)), ("phc", "packages", 2, "weekly_cost", 30000),
        ("phc", "packages", 2, "start_date", "soon"), ("phc", "packages", 3, "icb_share", 2), ("risks", "register", 2, "likelihood", "likely"),
    ]
    for cell in cells:
        set_cell(books, *cell)
    insert_rows(books, "nonpay", "nonpay", [["ACUTE1", 1, "Energy", "operating", 150_000, 460_000, None]] * 2)
    books["cip"]["schemes"].append(list(books["cip"]["schemes"][1]))
    add_column(books, "agency", "agency", "shifts", [1.5, None])
    return books


def _first_by_kind(findings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    first: dict[str, str] = {}
    for finding in findings:
        first.setdefault(finding.kind, finding.message)
    return first


def test_row_and_cell_messages(tmp_path: Path):
    _, findings = validate_books(tmp_path, _row_faults())
    assert _first_by_kind(findings) == ROW_KINDS


SHEET_KINDS = {
    "missing_column": "income.xlsx, sheet 'income', row 1, column 'category': found 'columns org, month, type, plan, actual, forecast'; expected a column headed 'category'",
    "blank_header": "income.xlsx, sheet 'income', row 3, column 'G': found nothing; expected a column name in row 1 above data",
    "duplicate_header": "pay.xlsx, sheet 'pay', row 1, column 'plan': found 'columns E, H'; expected each column name once",
    "merged_header": "nonpay.xlsx, sheet 'nonpay', row 1, column 'plan': found 'merged cells E1:F1'; expected one column name per cell (unmerge the header)",
    "merged_cells": "agency.xlsx, sheet 'agency', row 2, column 'staff_group': found 'merged cells C2:C3'; expected one value per cell (unmerge the cells)",
    "hidden_sheet": "cip.xlsx, sheet 'schemes': found 'a hidden sheet'; expected a visible sheet (it was read as it is; unhide it so reviewers see what was submitted)",
    "missing_sheet": "phc.xlsx, sheet 'packages': found 'only the sheets budget, Sheet2'; expected a sheet named 'packages'",
    "formula_error": "capital.xlsx, sheet 'capital', row 2, column 'plan': found '#REF!'; expected a value, not a formula error (fix the formula or paste values)",
    "formula_no_value": "risks.xlsx, sheet 'register', row 3, column 'value': found nothing; expected a formula saved with its value (open and save the file in Excel)",
}


def test_sheet_messages(tmp_path: Path):
    books = tiny()
    books["income"]["income"][0][2] = "type"
    add_column(books, "income", "income", None, [None, "x", None, None])
    add_column(books, "pay", "pay", "plan", [1, 2, 3, 4])
    books["nonpay"]["nonpay"][0][5] = None
    books["agency"]["agency"][2][2] = None
    books["phc"]["Sheet2"] = books["phc"].pop("packages")
    books["risks"]["register"][2][5] = "=F2*2"
    folder = write_close(tmp_path, books)
    write_workbook(folder / "nonpay.xlsx", books["nonpay"], merged={"nonpay": "E1:F1"})
    write_workbook(folder / "agency.xlsx", books["agency"], merged={"agency": "C2:C3"})
    write_workbook(folder / "cip.xlsx", books["cip"], hidden=("schemes",))
    rewrite_member(folder / "capital.xlsx", SHEET1, lambda xml: xml.replace(b'<c r="C2" t="n"><v>1200</v></c>', b'<c r="C2" t="e"><v>#REF!</v></c>'))
    _, findings = validate_close(folder)
    first = _first_by_kind(findings)
    assert {kind: first[kind] for kind in SHEET_KINDS} == SHEET_KINDS


FILE_KINDS = {
    "encrypted": "income.xlsx: found 'a password-protected workbook'; expected a workbook without a password (remove it in Excel: File > Info > Protect Workbook)",
    "not_a_workbook": "pay.xlsx: found 'an empty file'; expected an .xlsx workbook",
    "corrupt": "nonpay.xlsx: found 'File is not a zip file'; expected a complete .xlsx file (it looks truncated or damaged: save it again from Excel)",
    "xml_entities": "agency.xlsx: found 'xl/worksheets/sheet1.xml'; expected workbook XML without DOCTYPE or ENTITY declarations (this file was not saved by Excel)",
    "zip_bomb": "cip.xlsx: found '11 parts'; expected at most 10 parts in a workbook",
    "missing_file": "phc.xlsx: found 'no such file'; expected phc.xlsx in the close folder",
    "too_large": "capital.xlsx: found '2.0 MB'; expected a workbook of at most 1.0 MB",
    "wrong_year": "system.yaml, column 'year': found '2022/23'; expected 2023/24, the year of the folder '2023-24'",
}


def test_file_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(read, "MAX_MEMBERS", 10)  # openpyxl writes 9 parts, 10 with two sheets
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 2**20)
    folder = write_close(tmp_path, system=TINY_SYSTEM.replace("2023/24", "2022/23"))
    (folder / "income.xlsx").write_bytes(OLE_MAGIC + "EncryptedPackage".encode("utf-16-le"))
    (folder / "pay.xlsx").write_bytes(b"")
    data = (folder / "nonpay.xlsx").read_bytes()
    (folder / "nonpay.xlsx").write_bytes(data[: len(data) // 2])
    rewrite_member(folder / "agency.xlsx", SHEET1, lambda xml: b"<!DOCTYPE x>" + xml)
    with zipfile.ZipFile(folder / "cip.xlsx", "a") as archive:
        archive.writestr("extra.txt", "x")
    (folder / "phc.xlsx").unlink()
    (folder / "capital.xlsx").write_bytes(bytes(2 * 2**20))
    _, findings = validate_close(folder)
    first = _first_by_kind(findings)
    assert {kind: first[kind] for kind in FILE_KINDS} == FILE_KINDS


def test_system_yaml_messages_name_the_key_path(tmp_path: Path):
    _, findings = validate_books(tmp_path, tiny(), TINY_SYSTEM.replace("type: acute", "type: hospital"))
    assert findings[0].message == (
        "system.yaml, column 'organisations.0.type': found 'hospital'; "
        "expected one of 'acute', 'community_mh', 'ambulance', 'specialist', 'icb' or 'other'"
    )


def test_folder_and_unreadable_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _, findings = validate_close(write_close(tmp_path, month="Month10"))
    assert findings[0].message == "(close folder): found '2023-24/Month10'; expected a close folder named M1..M12 inside a year folder named like 2023-24"

    def broken(*args: object) -> None:
        raise KeyError("sheet index")

    monkeypatch.setattr("finmodel.validate.workbook.read_table", broken)
    _, findings = validate_close(write_close(tmp_path / "b"))
    assert findings[0].message == "income.xlsx: found \"KeyError: 'sheet index'\"; expected a workbook this tool can read (if Excel opens it, please report this with the file)"
