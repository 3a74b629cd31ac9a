"""The NHS financial year (April to March), months M1..M12 and close periods."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = tuple(range(1, 13))
_YEAR_LABEL = re.compile(r"^(\d{4})[/-](\d{2})$")
_MONTH_CODE = re.compile(r"^\s*[Mm](\d{1,2})\s*$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, named by the calendar year it starts in (2023 -> 2023/24)."""

    start: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """``2023/24`` or the folder form ``2023-24``."""
        match = _YEAR_LABEL.match(str(text).strip())
        if not match:
            raise ValueError(f"financial year {text!r} is not like 2023/24 (a year folder is named like 2023-24)")
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 != end:
            raise ValueError(f"financial year {text!r}: {end:02d} does not follow {start}")
        return cls(start)

    @property
    def label(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    @property
    def folder(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, 4, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start + 1, 3, 31)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def calendar_month(self, month: int) -> tuple[int, int]:
        """(calendar year, calendar month) of financial month 1..12."""
        index = month + 2  # M1 = April = calendar month 4
        return (self.start + index // 12, index % 12 + 1)

    def month_start(self, month: int) -> dt.date:
        year, cal_month = self.calendar_month(month)
        return dt.date(year, cal_month, 1)

    def month_end(self, month: int) -> dt.date:
        year, cal_month = self.calendar_month(month)
        return dt.date(year, cal_month, _cal.monthrange(year, cal_month)[1])

    def days_in_month(self, month: int) -> int:
        year, cal_month = self.calendar_month(month)
        return _cal.monthrange(year, cal_month)[1]

    def month_of(self, day: dt.date) -> int | None:
        """Financial month of a date, or None when it lies outside the year."""
        if not (self.first_day <= day <= self.last_day):
            return None
        return (day.month - 4) % 12 + 1

    def month_name(self, month: int) -> str:
        year, cal_month = self.calendar_month(month)
        return f"{_cal.month_abbr[cal_month]} {year}"


def parse_month_code(text: str) -> int | None:
    """1..12 from ``M1``, ``M01``, ``m12``; None for anything else."""
    match = _MONTH_CODE.match(text)
    if not match:
        return None
    month = int(match.group(1))
    return month if 1 <= month <= 12 else None


def month_label(month: int) -> str:
    """The close's name for a month: ``M10`` (folders use the same, zero-padded: ``M09``)."""
    return f"M{month:02d}"


def close_label(year: str, month: int) -> str:
    """A close's one name, in folders, messages, the pack and JSON alike: ``2023/24 M09``."""
    return f"{FinancialYear.parse(year).label} {month_label(month)}"


@dataclass(frozen=True, order=True)
class Period:
    """A close: the financial year and the last month with actuals."""

    year: FinancialYear
    month: int

    @classmethod
    def parse(cls, year: str, month: str | int) -> Period:
        fy = FinancialYear.parse(year)
        number = month if isinstance(month, int) else parse_month_code(str(month))
        if number is None or not 1 <= number <= 12:
            raise ValueError(f"close month {month!r} is not M1..M12")
        return cls(fy, number)

    @property
    def label(self) -> str:
        return close_label(self.year.label, self.month)

    @property
    def folder(self) -> str:
        return month_label(self.month)

    @property
    def previous(self) -> Period | None:
        return Period(self.year, self.month - 1) if self.month > 1 else None
