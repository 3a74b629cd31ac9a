import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finmodel.calendar import FinancialYear, Period, parse_month_code
from finmodel.money import (
    divide_round,
    floats_to_pence,
    format_millions,
    format_thousands,
    millions_in_words,
    parse_accounting_text,
    pounds_to_pence,
)


@pytest.mark.parametrize(
    ("text", "pence"),
    [("£1,234.50", 123450), ("(1,234)", -123400), (" 1234 ", 123400), ("-£5.5", -550), ("1234.5", 123450), ("0", 0)],
)
def test_accounting_text_that_means_one_number(text, pence):
    assert parse_accounting_text(text) == pence


@pytest.mark.parametrize("text", ["1,23,4", "12.345", "(12", "abc", "", "1 234", "(-5)", "£", "1e5", "1,2345"])
def test_accounting_text_that_does_not(text):
    assert parse_accounting_text(text) is None


@given(st.integers(min_value=-10**13, max_value=10**13))
def test_floats_to_pence_recovers_every_two_decimal_amount(pence):
    as_float = float(Decimal(pence) / 100)
    assert floats_to_pence(np.array([as_float]))[0] == pence


@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=1, max_value=10**6))
def test_divide_round_is_half_away_from_zero(numerator, denominator):
    exact = Decimal(numerator) / Decimal(denominator)
    expected = int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    assert divide_round(numerator, denominator) == expected


def test_display_formats():
    assert format_millions(-1_330_000_000) == "(13.3)"
    assert format_millions(0) == "-"
    assert format_millions(-1_000) == "(0.0)"  # a small amount keeps its sign
    assert format_millions(1_250_000_000_000) == "12,500.0"
    assert format_thousands(-123_456_78) == "(123)"
    assert format_thousands(500_000_00) == "500"
    assert pounds_to_pence("0.005") == 1


def test_an_amount_in_a_sentence_never_shows_the_tables_dash():
    assert millions_in_words(0) == "£0.0m"  # not "£-m": a dash in prose reads as a typo
    assert millions_in_words(1_330_000_000) == "£13.3m"
    assert millions_in_words(-1_330_000_000) == "-£13.3m"  # not "£(13.3)m"
    assert millions_in_words(4_000_000) == "£0.0m"  # under £0.05m rounds to nothing, as the tables round it
    assert millions_in_words(-1_000) == "-£0.0m"  # a small amount keeps its sign, as in the tables


def test_financial_year():
    fy = FinancialYear.parse("2023/24")
    assert fy == FinancialYear.parse("2023-24") and fy.label == "2023/24" and fy.folder == "2023-24"
    assert fy.month_start(1) == dt.date(2023, 4, 1) and fy.month_end(12) == dt.date(2024, 3, 31)
    assert fy.days_in_month(11) == 29  # February 2024 is a leap month
    assert fy.days == 366
    assert fy.month_of(dt.date(2024, 1, 15)) == 10 and fy.month_of(dt.date(2023, 3, 31)) is None
    with pytest.raises(ValueError):
        FinancialYear.parse("2023/25")


def test_months_and_periods():
    assert [parse_month_code(t) for t in ("M1", "M01", "m12", "M13", "10", "M 1")] == [1, 1, 12, None, None, None]
    period = Period.parse("2023/24", "M10")
    assert period.label == "2023/24 M10" and period.folder == "M10" and period.previous == Period.parse("2023/24", 9)
    assert Period.parse("2023/24", 1).previous is None
