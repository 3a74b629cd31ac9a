"""Cell faults located in workbooks, and the column parsers that find them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from finmodel.calendar import FinancialYear, Period
from finmodel.contract import PAY
from finmodel.validate.columns import parse_column, parse_date_text, parse_money
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from tests.malformed import add_column, located, set_cell, tiny, validate_books

FY = FinancialYear(2023)


def _one_fault(tmp_path: Path, workbook: str, sheet: str, row: int, column: str, value: object, kind: str):  # type: ignore[no-untyped-def]
    books = tiny()
    set_cell(books, workbook, sheet, row, column, value)
    inputs, findings = validate_books(tmp_path, books)
    assert located(findings) == {(f"{workbook}.xlsx", sheet, row, column, kind)}, findings
    return inputs, findings[0]


@pytest.mark.parametrize(
    ("workbook", "sheet", "row", "column", "value", "kind"),
    [
        ("pay", "pay", 3, "org", "ACUTE9", "unknown_org"),
        ("income", "income", 2, "org", "acute1", "unknown_org"),  # codes are exact
        ("pay", "pay", 2, "pay_type", "Locum", "unknown_code"),
        ("nonpay", "nonpay", 3, "kind", "capital", "unknown_code"),
        ("pay", "pay", 2, "month", "M13", "bad_month"),
        ("pay", "pay", 2, "month", 1.5, "bad_month"),
        ("pay", "pay", 2, "month", "Janvier", "bad_month"),
        ("pay", "pay", 2, "month", dt.date(2024, 4, 1), "month_outside_year"),
        ("pay", "pay", 2, "month", "31/03/2023", "month_outside_year"),
        ("pay", "pay", 2, "plan", "six hundred", "not_a_number"),
        ("pay", "pay", 2, "plan", "1,23,4", "not_a_number"),
        ("pay", "pay", 2, "plan", True, "not_a_number"),
        ("pay", "pay", 2, "plan", dt.date(2023, 4, 1), "not_a_number"),
        ("pay", "pay", 2, "staff_group", None, "missing_value"),
        ("cip", "schemes", 2, "recurrent", "Yes", "unknown_code"),
        ("phc", "packages", 3, "start_date", "31/02/2024", "bad_date"),
        ("phc", "packages", 3, "start_date", 45000, "bad_date"),
        ("phc", "packages", 3, "icb_share", 1.5, "bad_fraction"),
        ("phc", "packages", 3, "icb_share", "half", "bad_fraction"),
        ("risks", "register", 2, "likelihood", "maybe", "bad_likelihood"),
        ("risks", "register", 3, "likelihood", 120, "bad_likelihood"),
        ("risks", "register", 2, "value", None, "missing_value"),
        ("capital", "capital", 2, "programme", "estates", "unknown_code"),
    ],
)
def test_cell_faults_are_located(tmp_path: Path, workbook: str, sheet: str, row: int, column: str, value: object, kind: str):
    inputs, finding = _one_fault(tmp_path, workbook, sheet, row, column, value, kind)
    assert inputs is None and finding.severity == "error"


def test_code_case_mismatch_suggests_the_code(tmp_path: Path):
    _, finding = _one_fault(tmp_path, "pay", "pay", 2, "pay_type", "Agency ", "unknown_code")
    assert finding.value == "Agency " and finding.expected.endswith("(write it as 'agency')")


def test_unknown_driver(tmp_path: Path):
    books = tiny()
    add_column(books, "pay", "pay", "driver", [None, "agency_escalation", "weather", "inflation"])
    inputs, findings = validate_books(tmp_path, books)
    assert located(findings) == {("pay.xlsx", "pay", 4, "driver", "unknown_code")}


def test_bad_count_in_agency_shifts(tmp_path: Path):
    books = tiny()
    add_column(books, "agency", "agency", "shifts", [3, -1])
    _, findings = validate_books(tmp_path, books)
    assert located(findings) == {("agency.xlsx", "agency", 3, "shifts", "bad_count")}


def test_accounting_text_is_read_and_counted(tmp_path: Path):
    books = tiny()
    set_cell(books, "pay", "pay", 2, "plan", "£600.00")
    set_cell(books, "pay", "pay", 4, "plan", " 600 ")
    inputs, findings = validate_books(tmp_path, books)
    assert located(findings) == {("pay.xlsx", "pay", 2, "plan", "text_read_as_number"), ("pay.xlsx", "pay", 4, "plan", "text_read_as_number")}
    assert all(f.severity == "warning" for f in findings)
    assert inputs is not None and inputs.pay["plan"].tolist()[:4] == [60000, 5000, 60000, 5000]
    assert inputs.warnings == tuple(findings)


def test_numbers_and_dates_stored_as_text_are_read(tmp_path: Path):
    books = tiny()
    set_cell(books, "pay", "pay", 2, "month", "1")
    set_cell(books, "pay", "pay", 4, "month", "15/05/2023")  # UK day-first: May, M2
    set_cell(books, "phc", "packages", 2, "start_date", "01/04/2023")
    set_cell(books, "phc", "packages", 3, "icb_share", "50%")
    set_cell(books, "income", "income", 3, "month", dt.datetime(2023, 5, 31, 0, 0))
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and inputs is not None
    assert inputs.pay["month"].tolist()[:4] == [1, 1, 2, 2]
    assert inputs.income["month"].tolist()[:4] == [1, 2, 1, 2]
    assert inputs.phc_packages["start_date"].tolist() == [dt.date(2023, 4, 1), dt.date(2023, 5, 1)]
    assert inputs.phc_packages["icb_share"].tolist() == [Decimal(1), Decimal("0.5")]


def test_month_codes_in_every_form(tmp_path: Path):
    books = tiny()
    for row, value in zip(range(2, 6), ["M1", "m01", "M2", dt.date(2023, 5, 1)]):
        set_cell(books, "pay", "pay", row, "month", value)
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and inputs.pay["month"].tolist()[:4] == [1, 1, 2, 2]


# --- the parsers on their own -------------------------------------------------------------


def _column(values: list[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def test_money_parser_types_every_cell():
    parsed = parse_money(_column([1234.5, "", "  ", "(1,234)", "£1,234.56", "12 34", True, 1e13, 0.006]))
    assert parsed.values.tolist()[:5] == [123450, 0, 0, -123400, 123456]
    assert parsed.values[-1] == 1  # a sub-penny amount rounds to the nearest penny, and is counted
    assert parsed.blank.tolist() == [False, True, True] + [False] * 6
    faults = {f.kind: np.flatnonzero(f.mask).tolist() for f in parsed.faults}
    assert faults == {"not_a_number": [5, 6, 7], "text_read_as_number": [3, 4], "sub_penny_amount": [8]}


def test_a_true_cell_is_not_read_as_month_1():
    ctx = Context(None, Period(FY, 1), FY)
    parsed = parse_column(_column([1.0, True, 2.0, False]), PAY.sheet("pay").column("month"), ctx)
    assert parsed.values.tolist()[::2] == [1, 2]
    assert [np.flatnonzero(f.mask).tolist() for f in parsed.faults] == [[1, 3]]


def test_uk_dates_are_day_first():
    assert parse_date_text("02/03/2024") == dt.date(2024, 3, 2)
    assert parse_date_text("2.3.24") == dt.date(2024, 3, 2)
    assert parse_date_text("2024-03-02") == dt.date(2024, 3, 2)
    assert parse_date_text("03/13/2024") is None and parse_date_text("soon") is None


def test_findings_are_capped_per_kind_with_a_count():
    log = FindingLog(cap=3)
    rows = np.arange(2, 12)
    log.cells(("pay.xlsx", "pay"), "plan", "not_a_number", rows, ["x"] * 3, "an amount")
    found = log.findings()
    assert [(f.row, f.value) for f in found] == [(2, "x"), (3, "x"), (4, "x"), (None, "7 more like these")]
    assert found[-1].kind == "not_a_number" and log.has_errors
