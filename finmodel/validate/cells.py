"""What every cell parser shares: the outcome of one distinct value, the parsed column, and
``by_value``, which parses each distinct value once and spreads the result over the column.

A parser of one value returns the typed value, ``BLANK``, a ``Bad`` (the cell's fault) or a
``Noted`` (read, with a warning). A value that breaks a parser becomes that cell's
``unreadable_value`` fault: one odd cell never hides the rest of the workbook.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from finmodel.findings import Severity


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
    total: np.ndarray | None = None  # bool: text reading total/subtotal (None: no such cell)
    # A column of text, as (codes, distinct values): values == uniques[codes]. Worked out from
    # the distinct cells the parse already found, so a check or the worker's answer that needs
    # the column's distinct values does not hash a million strings again (``table.Table.codes``).
    text: tuple[np.ndarray, np.ndarray] | None = None


# A total or subtotal label, as a whole word in any case: Total, TOTALS, Sub-total, Subtotal,
# Grand total, "Nursing total". Such a row adds up rows above it; read, it would count them twice.
TOTAL_LABEL = re.compile(r"\b(?:grand\s+total|sub[-\s]?total|total)s?\b", re.IGNORECASE)


def total_labels(uniques: object) -> np.ndarray | None:
    """Per distinct value: text reading total; None when none does (the usual case)."""
    found = [isinstance(u, str) and TOTAL_LABEL.search(u) is not None for u in uniques]  # type: ignore[attr-defined]
    return np.array(found + [False]) if any(found) else None


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
    if any(u.__class__ in (bool, int, float) and u in (0, 1) for u in uniques) and bool in set(map(type, raw)):
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


def by_value(raw: np.ndarray, parse_one: Callable[[object], object], fill: object, dtype: str = "object", find_totals: bool = True) -> Parsed:
    """Parse each distinct value once; spread values, blanks and faults back over the column.

    ``find_totals``: also mark text reading total (not asked of free narrative, whose many
    distinct values would cost a search each).
    """
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
    labels = total_labels(uniques) if find_totals else None
    return Parsed(values[codes], blank_u[codes], faults, None if labels is None else labels[codes], _text(values, codes))


def _text(values: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(codes, distinct values) of a parsed column of nothing but str, from its distinct
    cells' values (a handful, however long the column); None for any other column."""
    if values.dtype != object or not all(v.__class__ is str for v in values):
        return None
    inverse, distinct = pd.factorize(values)  # two cells may parse alike ("ICB " and "ICB")
    return inverse.astype(np.int32)[codes], distinct  # a block has far fewer than 2**31 distinct values
