"""Cell-level parsing of one column: money, month, date, codes, text, fractions, counts.

Each parser takes a column of raw cells (a numpy object array as calamine reads them: float,
str, bool, date, datetime; ``""`` for an empty cell) and returns typed values, a blank mask
and the faults, as masks over the column. Nothing loops over rows in Python except where a
cell is unusual:

- money: a type test per cell, then numpy on the numbers; only text cells are parsed one by one;
- everything else has few distinct values (a code, a month, an org), so the column is
  factorised, each distinct value is parsed once, and the result is spread back by index.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from finmodel.contract import Column
from finmodel.typos import meant
from finmodel.money import floats_to_pence, parse_accounting_text, pounds_to_pence
from finmodel.validate.cells import BLANK, TOTAL_LABEL, UNREADABLE_VALUE, Bad, CellFault, Noted, Parsed, by_value, cell_text
from finmodel.validate.context import Context
from finmodel.validate.month_cells import date_one, month_parser, parse_date_text

__all__ = ["Parsed", "cell_text", "parse_column", "parse_date_text", "parse_money", "parse_text"]

MAX_POUNDS = 10**12  # a trillion pounds: beyond it an "amount" is a pasted reference number
_NUMBER_TEXT = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$", re.ASCII)


# --- money -------------------------------------------------------------------------------


def parse_money(raw: np.ndarray) -> Parsed:
    """Pounds -> int64 pence; accounting text is read with a warning, other text is an error."""
    n = len(raw)
    is_number = _number_cells(raw)
    pence = np.zeros(n, dtype="int64")
    numbers = raw[is_number].astype("float64")
    sane = np.isfinite(numbers) & (np.abs(numbers) < MAX_POUNDS)
    at = np.flatnonzero(is_number)
    pence[at[sane]] = floats_to_pence(numbers[sane])
    sub_penny = np.zeros(n, dtype=bool)
    sub_penny[at[sane]] = _sub_penny(numbers[sane])
    for i in np.flatnonzero(sub_penny):  # rare: rounded exactly, half away from zero, and counted
        pence[i] = pounds_to_pence(repr(float(raw[i])))
    too_big = np.zeros(n, dtype=bool)
    too_big[at[~sane]] = True
    blank = raw == ""
    text_number = np.zeros(n, dtype=bool)
    not_number = too_big.copy()
    total = np.zeros(n, dtype=bool)
    # Only the unusual cells (text, dates, TRUE) are looked at one by one.
    for i in np.flatnonzero(~is_number & ~blank):
        value = raw[i]
        text = value.strip() if isinstance(value, str) else None
        if text == "":
            blank[i] = True
        elif text is not None and (amount := _accounting(text)) is not None and abs(amount) < MAX_POUNDS * 100:
            pence[i], text_number[i] = amount, True
        else:
            not_number[i] = True
            total[i] = text is not None and TOTAL_LABEL.search(text) is not None
    faults = _money_faults(not_number, text_number)
    if sub_penny.any():
        faults.append(CellFault("sub_penny_amount", sub_penny, "pounds and pence: this amount was rounded to the nearest penny (half away from zero)", "warning"))
    return Parsed(pence, blank, faults, total if total.any() else None)


# What calamine gives a column of number cells, as pandas classifies it in one C loop.
_ALL_NUMBERS = frozenset({"floating", "integer", "mixed-integer-float"})


def _number_cells(raw: np.ndarray) -> np.ndarray:
    """Which cells hold a number (a float or an int, never a bool). A ledger's money column
    is all numbers, which one pass of ``infer_dtype`` tells without a Python step per cell."""
    if pd.api.types.infer_dtype(raw, skipna=False) in _ALL_NUMBERS:
        return np.ones(len(raw), dtype=bool)
    # Numbers and empty cells (a line with no plan): the same test on the cells that are not "".
    empty = raw == ""
    if empty.any() and pd.api.types.infer_dtype(raw[~empty], skipna=False) in _ALL_NUMBERS:
        return ~empty
    return np.fromiter((v.__class__ is float or v.__class__ is int for v in raw), bool, len(raw))


def _sub_penny(pounds: np.ndarray) -> np.ndarray:
    """Amounts with more than whole pence (0.004, 12.345), beyond a float's own error: a
    two-decimal amount times 100 lands within a few ulps of a whole number of pence."""
    scaled = pounds * 100
    return np.abs(scaled - np.rint(scaled)) > 1e-6 + np.abs(scaled) * 1e-15


def _accounting(text: str) -> int | None:
    try:
        return parse_accounting_text(text)
    except Exception:  # noqa: BLE001 - a value that breaks the parser is not a number
        return None


def _money_faults(not_number: np.ndarray, text_number: np.ndarray) -> list[CellFault]:
    faults = []
    if not_number.any():
        faults.append(CellFault("not_a_number", not_number, "an amount in £ with at most two decimals, e.g. 1234.50 or (1,234)"))
    if text_number.any():
        faults.append(CellFault("text_read_as_number", text_number, "a number cell; this text was read as the amount shown", "warning"))
    return faults


# --- codes and text ----------------------------------------------------------------------


def _choice_hint(text: str, allowed: tuple[str, ...] | frozenset[str]) -> str:
    folded = {a.lower(): a for a in allowed}
    near = folded.get(text.lower().replace(" ", "_").replace("-", "_"))
    if near:
        return f" (write it as '{near}')"
    return meant(text, allowed)


def _code_one(allowed: tuple[str, ...] | frozenset[str], kind: str, what: str) -> Callable[[object], object]:
    listing = ", ".join(sorted(allowed)) if len(allowed) <= 20 else f"{len(allowed)} codes"

    def parse(value: object) -> object:
        text = cell_text(value)
        if text == "":
            return BLANK
        if text in allowed:
            return text
        return Bad(kind, f"{what}: {listing}{_choice_hint(text, allowed)}")

    return parse


def _text_one(value: object) -> object:
    text = cell_text(value)
    return BLANK if text == "" else text


def parse_text(raw: np.ndarray, find_totals: bool = False) -> Parsed:
    return by_value(raw, _text_one, "", find_totals=find_totals)


# --- numbers that are not money ----------------------------------------------------------


def _number(value: object) -> Decimal | None:
    """A number cell, or text that is plainly one number (``0.5``, ``50%``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, str):
        text = value.strip()
        scale = Decimal(1)
        if text.endswith("%"):
            text, scale = text[:-1].strip(), Decimal("0.01")
        if _NUMBER_TEXT.match(text):
            try:
                return Decimal(text) * scale
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return None
    return None


def tidy(number: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (100, not 1E+2)."""
    return Decimal(int(number)) if number == number.to_integral_value() else number.normalize()


def _fraction_one(value: object) -> object:
    if isinstance(value, str) and value.strip() == "":
        return BLANK
    number = _number(value)
    if number is None or not Decimal(0) <= number <= Decimal(1):
        return Bad("bad_fraction", "a share from 0 to 1, e.g. 0.5 or 50%")
    return tidy(number)


_UNDER_ONE = Bad(
    "likelihood_under_1",
    "a percentage 0..100: this is under 1 % (a cell formatted as a percentage shows 50% but holds 0.5: type 50)",
    "warning",
)


def _likelihood_one(words: dict[str, Decimal]) -> Callable[[object], object]:
    listing = ", ".join(words) if words else "none defined"

    def parse(value: object) -> object:
        text = cell_text(value)
        if text == "":
            return BLANK
        if text in words:
            return tidy(Decimal(words[text]))
        number = _number(value)
        if number is not None and isinstance(value, str) and text.endswith("%"):
            number *= 100  # "40%" means 40, not 0.4
        if number is None or not Decimal(0) <= number <= Decimal(100):
            return Bad("bad_likelihood", f"a percentage 0..100 or a word from system.yaml ({listing}){_choice_hint(text, tuple(words))}")
        if isinstance(value, float) and 0 < number < 1:  # a number cell only: not a word, not "0.5%"
            return Noted(tidy(number), _UNDER_ONE)
        return tidy(number)

    return parse


def _count_one(value: object) -> object:
    if isinstance(value, str) and value.strip() == "":
        return BLANK
    number = _number(value)
    if number is None or number < 0 or number != number.to_integral_value():
        return Bad("bad_count", "a whole number 0 or more")
    return int(number)


# --- dispatch ----------------------------------------------------------------------------


def parse_column(raw: np.ndarray, column: Column, ctx: Context, find_totals: bool = True) -> Parsed:
    """Parse a column of raw cells by its contract kind; never raises for what is in a cell.

    Each distinct value is already parsed on its own (``_guarded``); should a whole column
    still break a parser, its cells are that column's faults and the rest of the sheet is read.
    """
    try:
        return _parse_by_kind(raw, column, ctx, find_totals)
    except Exception:  # noqa: BLE001
        blank = parse_text(raw).blank
        fill = np.zeros(len(raw), dtype="int64") if column.kind in ("money", "month", "count") else np.full(len(raw), "", dtype=object)
        return Parsed(fill, blank, [CellFault(UNREADABLE_VALUE.kind, ~blank, UNREADABLE_VALUE.expected)])


def _parse_by_kind(raw: np.ndarray, column: Column, ctx: Context, find_totals: bool) -> Parsed:
    kind = column.kind
    if kind == "money":
        return parse_money(raw)
    if kind == "month":
        return by_value(raw, month_parser(ctx), 0, "int64")
    if kind == "org":
        codes = ctx.org_codes
        if codes is None:  # system.yaml is faulty: read the codes as text, check nothing
            return parse_text(raw, find_totals)
        return by_value(raw, _code_one(codes, "unknown_org", "an organisation code from system.yaml"), "")
    if kind == "code":
        return by_value(raw, _code_one(column.codes, "unknown_code", "one of"), "")
    if kind == "date":
        return by_value(raw, date_one, None)
    if kind == "fraction":
        return by_value(raw, _fraction_one, None)
    if kind == "likelihood":
        if ctx.system is None:  # the words are defined in system.yaml, which is faulty
            return parse_text(raw, find_totals)
        return by_value(raw, _likelihood_one(ctx.likelihood_words), None)
    if kind == "count":
        return by_value(raw, _count_one, 0, "int64")
    return parse_text(raw, find_totals)  # text, id and party (the pooled rules check a party's code)
