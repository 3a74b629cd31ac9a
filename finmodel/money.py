"""Exact amounts, rounding and display formats.

Money is held as integer pence from the reader onward (int64 in frames, ``int`` in
results), so sums are exact and do not depend on row order. It is rounded only when shown:
the board tables round every figure independently from the exact amount, as NHS papers do.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

PENCE_PER_POUND = 100

# Accounting text that means one number unambiguously: optional sign or brackets, optional
# £, thousands separators in the right places, at most two decimals. Anything else is an error.
_ACCOUNTING = re.compile(
    r"""^\s*
    (?P<open>\()?\s*
    (?P<sign>[-+])?\s*
    £?\s*
    (?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?)
    \s*(?P<close>\))?\s*$""",
    re.VERBOSE,
)


def pounds_to_pence(value: Decimal | int | float | str) -> int:
    """Whole pence from pounds, rounding half away from zero (the ledger convention)."""
    amount = Decimal(str(value)) * PENCE_PER_POUND
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_accounting_text(text: str) -> int | None:
    """Pence for text such as ``£1,234.50``, ``(1,234)`` or `` 1234 ``; None if not one number."""
    match = _ACCOUNTING.match(text)
    if match is None:
        return None
    if bool(match.group("open")) != bool(match.group("close")):
        return None
    if match.group("open") and match.group("sign"):
        return None
    try:
        pence = pounds_to_pence(match.group("num").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    negative = match.group("open") or match.group("sign") == "-"
    return -pence if negative else pence


def floats_to_pence(values: np.ndarray) -> np.ndarray:
    """Vectorised pounds -> int64 pence.

    Workbook numbers arrive as binary floats; any amount of at most two decimals below
    £90 trillion is within half an ulp of a whole number of pence, so rint recovers it
    exactly. Sub-penny amounts are rounded to the nearest penny.
    """
    return np.rint(np.asarray(values, dtype="float64") * PENCE_PER_POUND).astype("int64")


def divide_round(numerator: int, denominator: int) -> int:
    """numerator / denominator in whole pence, rounding half away from zero, exactly."""
    if denominator == 0:
        raise ZeroDivisionError("divide_round by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def pence_to_pounds(pence: int) -> Decimal:
    """Exact pounds, for CSV tables and JSON (never a float)."""
    return Decimal(pence) / PENCE_PER_POUND


def _bracketed(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0 and value == 0:
        return "-"
    text = f"{abs(rounded):,.{places}f}"
    return f"({text})" if value < 0 else text


def format_millions(pence: int) -> str:
    """£m to one decimal, negatives in brackets, an exact zero as a dash: ``(13.3)``."""
    return _bracketed(Decimal(pence) / (PENCE_PER_POUND * 1_000_000), 1)


def millions_in_words(pence: int) -> str:
    """£m to one decimal inside a sentence: ``£13.3m``, ``-£1.2m``, and an exact zero as
    ``£0.0m``: the tables' dash for zero reads as a typo in prose ("£-m of FOT")."""
    text = _bracketed(Decimal(abs(pence)) / (PENCE_PER_POUND * 1_000_000), 1).replace("-", "0.0")
    return f"{'-' if pence < 0 else ''}£{text}m"


def format_thousands(pence: int) -> str:
    """£000 with no decimals, negatives in brackets: ``(1,234)``."""
    return _bracketed(Decimal(pence) / (PENCE_PER_POUND * 1_000), 0)


def format_pounds(pence: int) -> str:
    """£ to the penny, for error messages: ``£1,234.50``, ``-£12.00``."""
    sign = "-" if pence < 0 else ""
    return f"{sign}£{Decimal(abs(pence)) / PENCE_PER_POUND:,.2f}"


def pounds_label(pence: int) -> str:
    """£ in a label a person reads: whole pounds without pence, ``£7,550``, else ``£7,550.25``."""
    if pence % PENCE_PER_POUND == 0:
        return f"{'-' if pence < 0 else ''}£{abs(pence) // PENCE_PER_POUND:,}"
    return format_pounds(pence)


# Excel number formats of the board pack (board-pack.md "Conventions").
EXCEL_FORMAT_MILLIONS = '#,##0.0;(#,##0.0);"-"'
EXCEL_FORMAT_THOUSANDS = '#,##0;(#,##0);"-"'
EXCEL_FORMAT_PERCENT = '0.0%;(0.0%);"-"'
