"""Total and subtotal rows pasted into a ledger: one error per row, saying to delete it.

From the field: a total row at the bottom gave four findings and the advice to open and
save the file in Excel; a subtotal row with its org and month filled in was silently added
to the rows it totals (counted twice).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from finmodel.findings import Finding
from malformed import add_column, insert_rows, tiny, validate_books

EXPECTED = "a row of one line, not a total or subtotal (delete this row: the rows are added up by the model, so a total would count them twice)"


def _total(workbook: str, sheet: str, row: int, column: str, value: str) -> Finding:
    return Finding(workbook, sheet, row, column, "total_row", value, EXPECTED)


def test_a_total_row_at_the_bottom_is_one_finding(tmp_path: Path):
    books = tiny()
    books["pay"]["pay"].append([None, None, "Total", None, "=SUM(E2:E25)", "=SUM(F2:F25)", "=SUM(G2:G25)"])  # row 26
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is None
    assert findings == [_total("pay.xlsx", "pay", 26, "staff_group", "Total")]


@pytest.mark.parametrize("label", ["Sub-total", "Subtotal", "SUB TOTAL", "Grand total", "TOTALS", "Nursing total", "Total pay"])
def test_a_total_label_in_any_form_and_any_column(tmp_path: Path, label: str):
    books = tiny()
    row = insert_rows(books, "pay", "pay", [["ACUTE1", 1, label, "substantive", 650, 690, None]])
    _, findings = validate_books(tmp_path, books)
    assert findings == [_total("pay.xlsx", "pay", row, "staff_group", label)]


def test_a_total_label_in_the_org_column_is_not_also_an_unknown_org(tmp_path: Path):
    books = tiny()
    row = insert_rows(books, "income", "income", [["Total", None, None, 12000, 6000, None]])
    _, findings = validate_books(tmp_path, books)
    assert findings == [_total("income.xlsx", "income", row, "org", "Total")]


def test_an_unlabelled_subtotal_with_org_and_month_is_found_by_its_sum(tmp_path: Path):
    books = tiny()
    row = insert_rows(books, "nonpay", "nonpay", [
        ["ACUTE1", 1, "Drugs", "operating", 100, 110, None],
        ["ACUTE1", 1, "Drugs", "operating", 300, 320, None],
        ["ACUTE1", 1, "Drugs", "operating", 400, 430, None],  # rows 6 and 7 added up
    ])
    _, findings = validate_books(tmp_path, books)
    assert findings == [_total("nonpay.xlsx", "nonpay", row + 2, "", "the sum of rows 6 and 7")]


def test_a_subtotal_of_three_rows_names_them(tmp_path: Path):
    books = tiny()
    row = insert_rows(books, "income", "income", [
        ["ICB", 2, "allocation", 10, None, None], ["ICB", 2, "allocation", 20, None, 5], ["ICB", 2, "allocation", 30, None, 0],
        ["ICB", 2, "allocation", 60, None, 5],
    ])
    _, findings = validate_books(tmp_path, books)
    assert findings == [_total("income.xlsx", "income", row + 3, "", f"the sum of rows {row} to {row + 2}")]


@pytest.mark.parametrize(
    "rows",
    [
        [["ACUTE1", 1, "Drugs", "operating", 100, 110, None], ["ACUTE1", 1, "Drugs", "operating", 100, 110, None, "second invoice"]],
        [["ACUTE1", 1, "Drugs", "operating", 100, 110, None], ["ACUTE1", 1, "Drugs", "operating", 0, 0, None],
         ["ACUTE1", 1, "Drugs", "operating", 100, 110, None, "again"]],  # 100 + 0 = 100 is no total
        [["ACUTE1", 1, "Drugs", "operating", 100, 110, None], ["ACUTE1", 1, "Drugs", "operating", 300, 320, None],
         ["ACUTE1", 1, "Drugs", "operating", 400, 431, None]],  # not every amount adds up
        [["ACUTE1", 1, "Drugs", "operating", 100, 110, None], ["ACUTE1", 1, "Energy", "operating", 300, 320, None],
         ["ACUTE1", 1, "Drugs", "operating", 400, 430, None]],  # not one line
    ],
    ids=["one-row-above", "a-zero-row-above", "one-amount-differs", "another-line-between"],
)
def test_rows_that_only_look_like_totals_by_chance_are_read(tmp_path: Path, rows: list):
    books = tiny()
    insert_rows(books, "nonpay", "nonpay", rows)
    books["nonpay"]["nonpay"][0].append("description")  # the rows given may have one
    _, findings = validate_books(tmp_path, books)
    assert "total_row" not in {f.kind for f in findings}, findings


def test_a_row_with_its_own_cost_centre_is_a_line_not_a_subtotal(tmp_path: Path):
    books = tiny()
    insert_rows(books, "nonpay", "nonpay", [
        ["ACUTE1", 1, "Drugs", "operating", 100, 110, None, "C1"], ["ACUTE1", 1, "Drugs", "operating", 300, 320, None, "C2"],
        ["ACUTE1", 1, "Drugs", "operating", 400, 430, None, "C3"],
    ])
    books["nonpay"]["nonpay"][0].append("cost_centre")
    _, findings = validate_books(tmp_path, books)
    assert "total_row" not in {f.kind for f in findings}, findings


def test_total_in_a_description_is_narrative_not_a_label(tmp_path: Path):
    books = tiny()
    add_column(books, "nonpay", "nonpay", "description", ["Total hip replacements, outsourced"])
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and inputs is not None
