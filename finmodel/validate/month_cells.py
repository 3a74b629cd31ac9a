"""Month and date cells: month codes, month names, day-first dates, and where they fall."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from collections.abc import Callable

from finmodel.calendar import FinancialYear, parse_month_code
from finmodel.validate.cells import BLANK, Bad, Noted
from finmodel.validate.context import Context

_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$", re.ASCII)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$", re.ASCII)
# A month's name or abbreviation, optionally with its year: May, Sept, Jan-24, January 2024.
_MONTH_NAME = re.compile(r"^([A-Za-z]{3,9})\.?(?:[\s'/-]*(\d{4}|\d{2}))?$", re.ASCII)
_MONTH_NAMES = {
    **{_cal.month_name[m].lower(): m for m in range(1, 13)},
    **{_cal.month_abbr[m].lower(): m for m in range(1, 13)},
    "sept": 9,
}


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


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date_text(value.strip())
    return None


MONTH_EXPECTED = (
    "a month 1..12 or M1..M12 (M1 = April ... M12 = March), a month name such as May or Jan-24, "
    "or a date inside the financial year"
)


def month_parser(ctx: Context) -> Callable[[object], object]:
    """One month cell -> 1..12 (financial month), a Bad, or a month name read with a note."""
    year = ctx.year

    def parse(value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text == "":
                return BLANK
            code = parse_month_code(text) or (int(text) if text.isascii() and text.isdigit() and 1 <= int(text) <= 12 else None)
            if code:
                return code
            named = month_name(text, year)
            if named is not None:
                return named
        elif isinstance(value, (float, int)) and not isinstance(value, bool):
            return int(value) if float(value).is_integer() and 1 <= value <= 12 else Bad("bad_month", MONTH_EXPECTED)
        day = as_date(value)
        if day is None:
            return Bad("bad_month", MONTH_EXPECTED)
        if year is None:
            return Bad("bad_month", "a month 1..12 (a date cannot be placed: the financial year is unknown)")
        month = year.month_of(day)
        return month if month else Bad("month_outside_year", f"a date from {year.first_day:%d/%m/%Y} to {year.last_day:%d/%m/%Y} ({year.label})")

    return parse


def month_name(text: str, year: FinancialYear | None) -> object:
    """'May', 'Sept', 'Jan-24', 'January 2024' -> the financial month, read with a note; None if not a name."""
    match = _MONTH_NAME.match(text)
    calendar_month = _MONTH_NAMES.get(match.group(1).lower()) if match else None
    if calendar_month is None or match is None:
        return None
    month = (calendar_month - 4) % 12 + 1  # April is M1
    written = match.group(2)
    if written is not None and year is not None:
        expected_year = year.start if calendar_month >= 4 else year.start + 1
        if int(written) % 100 != expected_year % 100 or (len(written) == 4 and int(written) != expected_year):
            return Bad("month_outside_year", f"a month of {year.label}: April {year.start} to March {year.start + 1}")
    shown = year.month_name(month) if year is not None else _cal.month_name[calendar_month]
    return Noted(month, Bad("text_read_as_month", f"a month 1..12 or M1..M12; this was read as M{month} ({shown})", "warning"))


def date_one(value: object) -> object:
    if isinstance(value, str) and value.strip() == "":
        return BLANK
    day = as_date(value)
    return day if day else Bad("bad_date", "a date, e.g. 15/01/2024 (day first) or a date cell")
