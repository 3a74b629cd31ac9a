"""Cells typed as people type them: month names, near-miss codes, headers with invisible
characters, amounts with more than pence, PHC packages that cost nothing this year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finmodel.findings import Finding
from malformed import TINY_SYSTEM, located, set_cell, tiny, validate_books


@pytest.mark.parametrize(
    ("typed", "month", "shown"),
    [("May", 2, "May 2023"), ("Sept", 6, "Sep 2023"), ("sep", 6, "Sep 2023"), ("Jan-24", 10, "Jan 2024"),
     ("January 2024", 10, "Jan 2024"), ("march", 12, "Mar 2024"), ("Apr 23", 1, "Apr 2023")],
)
def test_a_month_name_is_read_and_counted(tmp_path: Path, typed: str, month: int, shown: str):
    books = tiny()
    row = next(i for i, r in enumerate(books["pay"]["pay"][1:], 2) if r[1] == month)
    set_cell(books, "pay", "pay", row, "month", typed)
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [Finding(
        "pay.xlsx", "pay", row, "month", "text_read_as_month", typed,
        f"a month 1..12 or M1..M12; this was read as M{month} ({shown})", "warning",
    )]
    assert inputs is not None and inputs.warnings == tuple(findings)
    assert sorted(inputs.pay["month"].tolist()) == sorted(m for _ in range(2) for m in range(1, 13))


def test_a_month_name_of_another_year_is_an_error(tmp_path: Path):
    books = tiny()
    set_cell(books, "pay", "pay", 2, "month", "Apr-24")
    _, findings = validate_books(tmp_path, books)
    assert findings == [Finding(
        "pay.xlsx", "pay", 2, "month", "month_outside_year", "Apr-24", "a month of 2023/24: April 2023 to March 2024",
    )]


def test_a_month_that_cannot_be_read_says_which_code_each_month_is(tmp_path: Path):
    books = tiny()
    set_cell(books, "pay", "pay", 2, "month", "Mai")
    _, findings = validate_books(tmp_path, books)
    assert [f.message for f in findings] == [
        "pay.xlsx, sheet 'pay', row 2, column 'month': found 'Mai'; expected a month 1..12 or M1..M12 "
        "(M1 = April ... M12 = March), a month name such as May or Jan-24, or a date inside the financial year",
    ]


def test_a_near_miss_org_code_is_suggested(tmp_path: Path):
    system = TINY_SYSTEM.replace("targets: {ACUTE1: 0, ICB: 0}", "  - {code: RBH, name: Hosted services, type: other}\ntargets: {ACUTE1: 0, ICB: 0, RBH: 0}")
    books = tiny()
    books["capital"]["capital"].append(["RHB", "cdel", 100, None])
    _, findings = validate_books(tmp_path, books, system)
    assert [f.message for f in findings] == [
        "capital.xlsx, sheet 'capital', row 3, column 'org': found 'RHB'; expected an organisation code from system.yaml: "
        "ACUTE1, ICB, RBH (did you mean 'RBH'?)",
    ]


@pytest.mark.parametrize(("typed", "hint"), [("substantve", " (did you mean 'substantive'?)"), ("agnecy", " (did you mean 'agency'?)"), ("locum", "")])
def test_a_near_miss_code_is_suggested_only_when_one_is_near(tmp_path: Path, typed: str, hint: str):
    books = tiny()
    set_cell(books, "pay", "pay", 2, "pay_type", typed)
    _, findings = validate_books(tmp_path, books)
    assert [f.expected for f in findings] == [f"one of: agency, bank, other, substantive{hint}"]


def test_headers_with_a_bom_zero_width_or_no_break_spaces_are_matched(tmp_path: Path):
    books = tiny()
    books["pay"]["pay"][0][:3] = ["\ufefforg", "month\u200b", "\u00a0staff_group\u00a0"]
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and inputs is not None and len(inputs.pay) == 24


def test_a_header_missing_is_listed_without_invisible_characters(tmp_path: Path):
    books = tiny()
    books["pay"]["pay"][0][:2] = ["\ufefforganisation", "month"]
    _, findings = validate_books(tmp_path, books)
    assert findings[0].value == "columns organisation, month, staff_group, pay_type, plan, actual, forecast"


def test_an_amount_with_more_than_pence_is_rounded_half_away_from_zero_and_counted(tmp_path: Path):
    # 0.004 became £0.00 silently; 600.005 was rounded half to even by the float.
    books = tiny()
    set_cell(books, "income", "income", 2, "plan", 600.005)
    set_cell(books, "income", "income", 3, "plan", 0.004)
    set_cell(books, "income", "income", 4, "plan", -0.005)
    inputs, findings = validate_books(tmp_path, books)
    expected = "pounds and pence: this amount was rounded to the nearest penny (half away from zero)"
    assert [f for f in findings if f.kind == "sub_penny_amount"] == [
        Finding("income.xlsx", "income", row, "plan", "sub_penny_amount", shown, expected, "warning")
        for row, shown in ((2, "600.005"), (3, "0.004"), (4, "-0.005"))
    ]
    assert inputs is not None and inputs.income["plan"].tolist()[:3] == [60001, 0, -1]


def test_amounts_in_whole_pence_are_not_sub_penny_whatever_the_float(tmp_path: Path):
    books = tiny()
    set_cell(books, "income", "income", 2, "plan", 0.1 + 0.2)  # 0.30000000000000004 from a formula
    set_cell(books, "income", "income", 3, "plan", 123_456_789.99)
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and inputs.income["plan"].tolist()[:2] == [30, 12_345_678_999]


def test_a_package_starting_after_the_year_or_at_nothing_a_week_is_a_warning(tmp_path: Path):
    books = tiny()
    set_cell(books, "phc", "packages", 2, "start_date", dt.date(2024, 4, 1))
    set_cell(books, "phc", "packages", 3, "weekly_cost", 0)
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is not None
    assert findings == [
        Finding("phc.xlsx", "packages", 2, "start_date", "starts_after_year", "01/04/2024",
                "a start date up to 31/03/2024, the end of 2023/24 (a package starting later costs nothing this year)", "warning"),
        Finding("phc.xlsx", "packages", 3, "weekly_cost", "zero_weekly_cost", "£0.00", "a weekly cost above £0 (is the cost missing?)", "warning"),
    ]
