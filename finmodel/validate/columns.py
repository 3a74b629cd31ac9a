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

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from finmodel.calendar import parse_month_code
from finmodel.contract import Column
from finmodel.findings import Severity
from finmodel.money import floats_to_pence, parse_accounting_text
from finmodel.validate.context import Context

MAX_POUNDS = 10**12  # a trillion pounds: beyond it an "amount" is a pasted reference number
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_NUMBER_TEXT = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Bad:
    """A distinct cell value's fault."""

    kind: str
    expected: str
    severity: Severity = "error"


BLANK = object()  # a parsed cell that is empty


@dataclass(frozen=True)
class Noted:
    """A distinct cell value that is read, with a warning about it."""

    value: object
    warning: Bad


@dataclass
class CellFault:
    kind: str
    mask: np.ndarray  # the cells with this fault
    expected: str
    severity: Severity = "error"


@dataclass
class Parsed:
    values: np.ndarray  # typed: int64 for money/month/count, object otherwise
    blank: np.ndarray  # bool: the cell is empty (or only spaces)
    faults: list[CellFault] = field(default_factory=list)


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without '.0', dates in ISO form, text stripped."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _factorize(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(raw)
    # True == 1.0 and hashes alike, so a TRUE cell could hide behind month 1 (or vice versa).
    if any(u.__class__ in (bool, int, float) and u in (0, 1) for u in uniques):
        bools = np.fromiter((v.__class__ is bool for v in raw), bool, len(raw))
        if bools.any():
            raw = raw.copy()
            raw[bools] = ["TRUE" if v else "FALSE" for v in raw[bools]]
            codes, uniques = pd.factorize(raw)
    return codes, uniques


UNREADABLE_VALUE = Bad("unreadable_value", "a value this tool can read (if Excel shows it as you meant it, please report this with the file)")


def _guarded(parse_one: Callable[[object], object], value: object) -> object:
    """One cell's parse; a value that breaks a parser is that cell's fault, not the workbook's."""
    try:
        return parse_one(value)
    except Exception:  # noqa: BLE001 - e.g. int('6¹'): '¹' is a digit to str.isdigit
        return UNREADABLE_VALUE


def by_value(raw: np.ndarray, parse_one: Callable[[object], object], fill: object, dtype: str = "object") -> Parsed:
    """Parse each distinct value once; spread values, blanks and faults back over the column."""
    codes, uniques = _factorize(raw)
    outcomes = [_guarded(parse_one, u) for u in uniques]
    kept = [o.value if isinstance(o, Noted) else fill if o is BLANK or isinstance(o, Bad) else o for o in outcomes]
    values = np.array([*kept, fill], dtype=dtype)
    blank_u = np.array([o is BLANK for o in outcomes] + [True])
    faults_u = [o.warning if isinstance(o, Noted) else o if isinstance(o, Bad) else None for o in outcomes]
    groups: dict[Bad, int] = {}
    group_u = np.array([groups.setdefault(f, len(groups)) if f is not None else -1 for f in faults_u] + [-1])
    codes = np.where(codes < 0, len(outcomes), codes)  # -1 marks a missing value: treat as blank
    group = group_u[codes]
    faults = [CellFault(bad.kind, group == index, bad.expected, bad.severity) for bad, index in groups.items()]
    return Parsed(values[codes], blank_u[codes], faults)


# --- money -------------------------------------------------------------------------------


def parse_money(raw: np.ndarray) -> Parsed:
    """Pounds -> int64 pence; accounting text is read with a warning, other text is an error."""
    n = len(raw)
    is_number = np.fromiter((v.__class__ is float or v.__class__ is int for v in raw), bool, n)
    pence = np.zeros(n, dtype="int64")
    numbers = raw[is_number].astype("float64")
    sane = np.isfinite(numbers) & (np.abs(numbers) < MAX_POUNDS)
    pence[np.flatnonzero(is_number)[sane]] = floats_to_pence(numbers[sane])
    too_big = np.zeros(n, dtype=bool)
    too_big[np.flatnonzero(is_number)[~sane]] = True
    blank = raw == ""
    text_number = np.zeros(n, dtype=bool)
    not_number = too_big.copy()
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
    return Parsed(pence, blank, _money_faults(not_number, text_number))


def _accounting(text: str) -> int | None:
    try:
        return parse_accounting_text(text)
    except Exception:  # noqa: BLE001 - a value that breaks the parser is not a number
        return None


def _money_faults(not_number: np.ndarray, text_number: np.ndarray) -> list[CellFault]:
    faults = []
    if not_number.any():
        faults.append(CellFault("not_a_number", not_number, "an amount in £, e.g. 1234.50 or (1,234)"))
    if text_number.any():
        faults.append(CellFault("text_read_as_number", text_number, "a number cell; this text was read as the amount shown", "warning"))
    return faults


# --- month and dates ---------------------------------------------------------------------


def parse_date_text(text: str) -> dt.date | None:
    """UK day-first ``15/01/2024`` (or ``15-01-24``, ``15.01.2024``) or ISO ``2024-01-15``."""
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date_text(value.strip())
    return None


def _month_one(ctx: Context) -> Callable[[object], object]:
    expected = "a month 1..12, M1..M12 or a date inside the financial year"
    year = ctx.year

    def parse(value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text == "":
                return BLANK
            code = parse_month_code(text) or (int(text) if text.isascii() and text.isdigit() and 1 <= int(text) <= 12 else None)
            if code:
                return code
        elif isinstance(value, (float, int)) and not isinstance(value, bool):
            return int(value) if float(value).is_integer() and 1 <= value <= 12 else Bad("bad_month", expected)
        day = _as_date(value)
        if day is None:
            return Bad("bad_month", expected)
        if year is None:
            return Bad("bad_month", "a month 1..12 (a date cannot be placed: the financial year is unknown)")
        month = year.month_of(day)
        return month if month else Bad("month_outside_year", f"a date from {year.first_day:%d/%m/%Y} to {year.last_day:%d/%m/%Y} ({year.label})")

    return parse


def _date_one(value: object) -> object:
    if isinstance(value, str) and value.strip() == "":
        return BLANK
    day = _as_date(value)
    return day if day else Bad("bad_date", "a date, e.g. 15/01/2024 (day first) or a date cell")


# --- codes and text ----------------------------------------------------------------------


def _choice_hint(text: str, allowed: tuple[str, ...] | frozenset[str]) -> str:
    folded = {a.lower(): a for a in allowed}
    near = folded.get(text.lower().replace(" ", "_").replace("-", "_"))
    return f" (write it as '{near}')" if near else ""


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


def parse_text(raw: np.ndarray) -> Parsed:
    return by_value(raw, _text_one, "")


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


def parse_column(raw: np.ndarray, column: Column, ctx: Context) -> Parsed:
    """Parse a column of raw cells by its contract kind; never raises for what is in a cell.

    Each distinct value is already parsed on its own (``_guarded``); should a whole column
    still break a parser, its cells are that column's faults and the rest of the sheet is read.
    """
    try:
        return _parse_by_kind(raw, column, ctx)
    except Exception:  # noqa: BLE001
        blank = parse_text(raw).blank
        fill = np.zeros(len(raw), dtype="int64") if column.kind in ("money", "month", "count") else np.full(len(raw), "", dtype=object)
        return Parsed(fill, blank, [CellFault(UNREADABLE_VALUE.kind, ~blank, UNREADABLE_VALUE.expected)])


def _parse_by_kind(raw: np.ndarray, column: Column, ctx: Context) -> Parsed:
    kind = column.kind
    if kind == "money":
        return parse_money(raw)
    if kind == "month":
        return by_value(raw, _month_one(ctx), 0, "int64")
    if kind == "org":
        codes = ctx.org_codes
        if codes is None:  # system.yaml is faulty: read the codes as text, check nothing
            return parse_text(raw)
        return by_value(raw, _code_one(codes, "unknown_org", "an organisation code from system.yaml"), "")
    if kind == "code":
        return by_value(raw, _code_one(column.codes, "unknown_code", "one of"), "")
    if kind == "date":
        return by_value(raw, _date_one, None)
    if kind == "fraction":
        return by_value(raw, _fraction_one, None)
    if kind == "likelihood":
        if ctx.system is None:  # the words are defined in system.yaml, which is faulty
            return parse_text(raw)
        return by_value(raw, _likelihood_one(ctx.likelihood_words), None)
    if kind == "count":
        return by_value(raw, _count_one, 0, "int64")
    return parse_text(raw)  # text and id
