"""Properties: accounting text round-trips, months from dates, row order changes nothing."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from finmodel.calendar import FinancialYear, Period
from finmodel.contract import PAY
from finmodel.ledger import canonical_order
from finmodel.validate.columns import parse_column, parse_money
from finmodel.validate.context import Context
from tests.malformed import tiny, validate_books

FY = FinancialYear(2023)
pence = st.integers(min_value=-(10**13), max_value=10**13)


def _cells(values: list[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _accounting(amount: int, style: int) -> str:
    pounds = f"{Decimal(abs(amount)) / 100:,.2f}"
    if style == 0:
        return f"({pounds})" if amount < 0 else pounds
    if style == 1:
        return f"{'-' if amount < 0 else ''}£{pounds}"
    return f"  {'-' if amount < 0 else ''}{pounds.replace(',', '')}  "


@given(st.lists(st.tuples(pence, st.integers(0, 2)), min_size=1, max_size=30))
def test_accounting_text_round_trips_to_pence(items: list[tuple[int, int]]):
    parsed = parse_money(_cells([_accounting(amount, style) for amount, style in items]))
    assert parsed.values.tolist() == [amount for amount, _ in items]
    assert [f.kind for f in parsed.faults] == ["text_read_as_number"]
    assert parsed.faults[0].mask.all()


@given(st.lists(st.integers(-(10**11), 10**11), min_size=1, max_size=50))
def test_two_decimal_numbers_are_exact_pence(amounts: list[int]):
    parsed = parse_money(_cells([a / 100 for a in amounts]))
    assert parsed.values.tolist() == amounts and parsed.faults == []


@given(st.dates(FY.first_day, FY.last_day), st.booleans())
def test_a_date_in_the_year_gives_its_financial_month(day: dt.date, as_text: bool):
    cell = f"{day:%d/%m/%Y}" if as_text else day
    ctx = Context(None, Period(FY, 6), FY)
    parsed = parse_column(_cells([cell]), PAY.sheet("pay").column("month"), ctx)
    assert parsed.values.tolist() == [FY.month_of(day)] and parsed.faults == []


@settings(max_examples=12, deadline=None)
@given(st.permutations(range(4)), st.permutations(range(4)))
def test_row_order_does_not_change_the_validated_frames(pay_order: list[int], income_order: list[int]):
    books = tiny()
    books["pay"]["pay"][1:5] = [books["pay"]["pay"][1 + i] for i in pay_order]
    books["income"]["income"][1:5] = [books["income"]["income"][1 + i] for i in income_order]
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        shuffled, findings = validate_books(Path(first), books)
        original, _ = validate_books(Path(second), tiny())
    assert findings == []
    for name in ("pay", "income"):
        assert canonical_order(getattr(shuffled, name)).equals(canonical_order(getattr(original, name)))
