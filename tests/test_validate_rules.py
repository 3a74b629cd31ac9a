"""Rules across rows and workbooks: the close month, duplicates, who may book what, agency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.malformed import TINY_SYSTEM, add_column, insert_rows, located, set_cell, tiny, validate_books


def _only(tmp_path: Path, books, expected: set, system: str = TINY_SYSTEM):  # type: ignore[no-untyped-def]
    inputs, findings = validate_books(tmp_path, books, system)
    assert located(findings) == expected, findings
    return inputs, findings


def test_actual_after_the_close_month(tmp_path: Path):
    books = tiny()
    set_cell(books, "income", "income", 3, "actual", 0)  # month 2 > M1: even 0 must be blank
    _, findings = _only(tmp_path, books, {("income.xlsx", "income", 3, "actual", "actual_after_close")})
    assert findings[0].value == "£0.00"


def test_actual_missing_up_to_the_close_month(tmp_path: Path):
    books = tiny()
    set_cell(books, "nonpay", "nonpay", 4, "actual", None)
    _only(tmp_path, books, {("nonpay.xlsx", "nonpay", 4, "actual", "actual_missing")})


def test_forecast_up_to_the_close_month(tmp_path: Path):
    books = tiny()
    set_cell(books, "phc", "budget", 2, "forecast", 400)
    _only(tmp_path, books, {("phc.xlsx", "budget", 2, "forecast", "forecast_before_close")})


def test_exact_duplicate_row(tmp_path: Path):
    books = tiny()
    insert_rows(books, "nonpay", "nonpay", [books["nonpay"]["nonpay"][2]])  # row 6 copies row 3
    _, findings = _only(tmp_path, books, {("nonpay.xlsx", "nonpay", 6, "", "duplicate_row")})
    assert findings[0].value == "a copy of row 3"


def test_rows_differing_only_in_detail_are_not_duplicates(tmp_path: Path):
    books = tiny()
    insert_rows(books, "nonpay", "nonpay", [books["nonpay"]["nonpay"][2]])
    add_column(books, "nonpay", "nonpay", "description", ["", "", "", "", "second invoice"])
    _only(tmp_path, books, set())


@pytest.mark.parametrize(("workbook", "sheet", "column"), [("cip", "schemes", "scheme_id"), ("phc", "packages", "package_id"), ("risks", "register", "id")])
def test_duplicate_ids(tmp_path: Path, workbook: str, sheet: str, column: str):
    books = tiny()
    rows = books[workbook][sheet]
    copy = list(rows[1])
    copy[rows[0].index(column)] = f" {copy[rows[0].index(column)]} "  # spaces do not make an id unique
    copy[-1] = copy[-1]
    rows.append(copy)
    if workbook == "cip":
        copy[2] = "Another scheme"
    _, findings = _only(tmp_path, books, {(f"{workbook}.xlsx", sheet, len(rows), column, "duplicate_id")})
    assert findings[0].expected.endswith("(first used on row 2)")


def test_delivery_for_an_unknown_scheme(tmp_path: Path):
    books = tiny()
    set_cell(books, "cip", "delivery", 3, "scheme_id", "S2")
    _only(tmp_path, books, {("cip.xlsx", "delivery", 3, "scheme_id", "unknown_scheme")})


def test_package_ending_before_it_starts(tmp_path: Path):
    books = tiny()
    set_cell(books, "phc", "packages", 3, "end_date", dt.date(2023, 4, 30))
    _, findings = _only(tmp_path, books, {("phc.xlsx", "packages", 3, "end_date", "ends_before_starts")})
    assert findings[0].value == "30/04/2023" and "01/05/2023" in findings[0].expected


def test_continuing_care_in_the_icbs_nonpay(tmp_path: Path):
    books = tiny()
    set_cell(books, "nonpay", "nonpay", 4, "category", "Continuing Care")
    _only(tmp_path, books, {("nonpay.xlsx", "nonpay", 4, "category", "continuing_care_in_nonpay")})


def test_icb_nonpay_category_must_be_a_service_line(tmp_path: Path):
    books = tiny()
    set_cell(books, "nonpay", "nonpay", 4, "category", "Drugs")
    _only(tmp_path, books, {("nonpay.xlsx", "nonpay", 4, "category", "org_type_mismatch")})


def test_a_provider_may_book_continuing_care_as_free_text(tmp_path: Path):
    books = tiny()
    for row in books["nonpay"]["nonpay"][1:]:
        row[2] = "continuing_care" if row[0] == "ACUTE1" else row[2]  # the whole line, every month
    _only(tmp_path, books, set())


@pytest.mark.parametrize(("row", "category"), [(2, "allocation"), (4, "clinical_icb")])
def test_income_category_must_suit_the_organisation(tmp_path: Path, row: int, category: str):
    books = tiny()
    set_cell(books, "income", "income", row, "category", category)
    _only(tmp_path, books, {("income.xlsx", "income", row, "category", "org_type_mismatch")})


def test_phc_rows_belong_to_an_icb(tmp_path: Path):
    books = tiny()
    add_column(books, "phc", "budget", "org", ["ICB", "ACUTE1"])
    _only(tmp_path, books, {("phc.xlsx", "budget", 3, "org", "org_type_mismatch")})


def test_phc_needs_an_org_column_when_there_are_several_icbs(tmp_path: Path):
    system = TINY_SYSTEM.replace("targets: {ACUTE1: 0, ICB: 0}", "  - {code: ICB2, name: Other ICB, type: icb}\ntargets: {ACUTE1: 0, ICB: 0, ICB2: 0}")
    books = tiny()
    # ICB2 has no rows at all: its allocation and service lines are missing too (completeness).
    expected = {("phc.xlsx", "budget", 1, "org", "missing_column"), ("phc.xlsx", "packages", 1, "org", "missing_column")}
    expected |= {("income.xlsx", "income", None, "category", "missing_lines"), ("nonpay.xlsx", "nonpay", None, "category", "missing_lines")}
    _only(tmp_path, books, expected, system)


def test_impacts_org_is_for_icb_schemes_landing_in_a_provider(tmp_path: Path):
    books = tiny()
    books["cip"]["schemes"].append(["ICB", "S9", "Outpatient redesign", "non_pay", "no", "opportunity"])
    add_column(books, "cip", "schemes", "impacts_org", ["ACUTE1", "ACUTE1"])
    _only(tmp_path, books, {("cip.xlsx", "schemes", 2, "impacts_org", "org_type_mismatch")})


def test_a_mitigation_needs_a_status(tmp_path: Path):
    books = tiny()
    set_cell(books, "risks", "register", 3, "status", None)
    _only(tmp_path, books, {("risks.xlsx", "register", 3, "status", "missing_value")})


@pytest.mark.parametrize(
    ("sheet_row", "column", "value", "pounds"),
    [(3, "actual", 80, "£80.00"), (5, "forecast", 61.01, "£61.01"), (5, "plan", 48.99, "£48.99")],
)
def test_agency_detail_must_reconcile_to_pay(tmp_path: Path, sheet_row: int, column: str, value: float, pounds: str):
    books = tiny()
    set_cell(books, "pay", "pay", sheet_row, column, value)
    _, findings = _only(tmp_path, books, {("agency.xlsx", "agency", None, column, "agency_not_reconciled")})
    month = 1 if sheet_row == 3 else 2
    assert findings[0].value.startswith(f"ACUTE1 M{month}: ")
    assert findings[0].expected.startswith(f"the {column} of pay.xlsx's agency rows for ACUTE1 M{month}, {pounds}")


def test_agency_within_a_pound_reconciles(tmp_path: Path):
    books = tiny()
    set_cell(books, "pay", "pay", 3, "actual", 70.99)
    _only(tmp_path, books, set())


def test_a_typo_in_pay_is_not_reported_again_as_a_mismatch(tmp_path: Path):
    books = tiny()
    set_cell(books, "pay", "pay", 3, "actual", "seventy")
    _only(tmp_path, books, {("pay.xlsx", "pay", 3, "actual", "not_a_number")})


def test_warnings_do_not_stop_the_close(tmp_path: Path):
    books = tiny()
    # more Drugs rows of month 1 (Drugs is a line of every month), planned at £150,000
    insert_rows(books, "nonpay", "nonpay", [
        ["ACUTE1", 1, "Drugs", "operating", 150_000, 460_000, None],
        ["ACUTE1", 1, "Drugs", "operating", 150_000, 449_000, None],  # 2.99 times
    ])
    set_cell(books, "income", "income", 2, "actual", -1000)
    set_cell(books, "phc", "packages", 2, "weekly_cost", 25_000.01)
    inputs, findings = _only(tmp_path, books, {
        ("income.xlsx", "income", 2, "actual", "negative_amount"),
        ("nonpay.xlsx", "nonpay", 6, "actual", "actual_over_3x_plan"),
        ("phc.xlsx", "packages", 2, "weekly_cost", "weekly_cost_over_25k"),
    })
    assert inputs is not None and {f.severity for f in findings} == {"warning"}
    assert len(inputs.warnings) == 3


def test_every_fault_is_found_in_one_run(tmp_path: Path):
    books = tiny()
    set_cell(books, "income", "income", 2, "org", "NOPE")
    set_cell(books, "pay", "pay", 2, "pay_type", "temp")
    (tmp_path / "2023-24" / "M01").mkdir(parents=True)
    books.pop("phc")
    _, findings = validate_books(tmp_path, books)
    assert [(f.workbook, f.kind) for f in findings] == [
        ("income.xlsx", "unknown_org"), ("pay.xlsx", "unknown_code"), ("phc.xlsx", "missing_file"),
    ]


def test_duplicates_compare_cells_as_read(tmp_path: Path):
    books = tiny()
    insert_rows(books, "income", "income", [
        ["ICB", 2, "allocation", 5000, None, 5000],  # row 6: forecast written, row 5 blank
        ["ICB", "M2", "allocation", 5000, None, None],  # row 7: row 5 with the month as a code
    ])
    _, findings = _only(tmp_path, books, {("income.xlsx", "income", 7, "", "duplicate_row")})
    assert findings[0].value == "a copy of row 5"


def test_a_likelihood_under_one_percent_is_read_with_a_warning(tmp_path: Path):
    # 0.5 is what a percent-formatted cell showing "50%" holds: read as 0.5 %, and said so.
    books = tiny()
    set_cell(books, "risks", "register", 3, "likelihood", 0.5)
    inputs, findings = _only(tmp_path, books, {("risks.xlsx", "register", 3, "likelihood", "likelihood_under_1")})
    assert inputs is not None and findings[0].severity == "warning" and findings[0].value == "0.5"
    assert inputs.risks.set_index("id").loc["R2", "likelihood_pct"] == Decimal("0.5")


@pytest.mark.parametrize("value", [0, 1, 50, "50%", "0.5%", "remote"])
def test_a_likelihood_of_0_from_1_percent_typed_as_percent_text_or_a_word_is_read_quietly(tmp_path: Path, value: object):
    # "0.5%" typed as text and a system.yaml word worth 0.5 both say 0.5 % on purpose.
    books = tiny()
    set_cell(books, "risks", "register", 3, "likelihood", value)
    inputs, _ = _only(tmp_path, books, set(), TINY_SYSTEM + "parameters:\n  likelihood_pct: {remote: 0.5, medium: 50}\n")
    assert inputs is not None
