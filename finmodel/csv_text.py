"""CSV text that a spreadsheet opens as text, never as a formula.

A CSV has no cell types: Excel and LibreOffice run a cell that begins with ``=``, ``+``,
``-`` or ``@`` (and some read a leading tab or carriage return the same way) as a formula,
so ``=HYPERLINK(...)`` typed into an input workbook would run on the reader's machine.
OWASP's advice is to begin such text with a single quote, which the spreadsheet shows as
text and a BI tool can strip. Numbers are written by the caller as numbers and never pass
through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """``=1+2`` -> ``'=1+2``; any other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 CSV with \\n line ends: the same rows always give the same bytes."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")
