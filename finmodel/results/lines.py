"""A line of the position and the arithmetic shared by every result table.

Amounts are pence. ``sign`` says which way is favourable: +1 for income and surplus,
-1 for expenditure, so every variance is in surplus terms (positive = favourable), as
the domain brief defines it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

T = TypeVar("T")


@dataclass(frozen=True)
class Line:
    sign: int
    ytd_plan: int = 0
    ytd_actual: int = 0
    year_plan: int = 0
    forecast: int = 0  # the submitted forecast for the months after the close

    @property
    def ytd_variance(self) -> int:
        return self.sign * (self.ytd_actual - self.ytd_plan)

    @property
    def fot(self) -> int:
        """Forecast outturn: YTD actual + the forecast for the rest of the year."""
        return self.ytd_actual + self.forecast

    @property
    def fot_variance(self) -> int:
        return self.sign * (self.fot - self.year_plan)

    def __add__(self, other: Line) -> Line:
        if other.sign != self.sign:
            raise ValueError("cannot add an income line to an expenditure line; use as_surplus()")
        return Line(
            self.sign,
            self.ytd_plan + other.ytd_plan,
            self.ytd_actual + other.ytd_actual,
            self.year_plan + other.year_plan,
            self.forecast + other.forecast,
        )

    def as_surplus(self) -> Line:
        """The same line as its effect on surplus (expenditure negated)."""
        s = self.sign
        return Line(1, s * self.ytd_plan, s * self.ytd_actual, s * self.year_plan, s * self.forecast)


def add_up(records: Iterable[T], **labels: object) -> T:
    """Field-wise sum of dataclass records: ints and Lines add, tuples of ints add
    element-wise; the fields named in ``labels`` (codes, names) are set, not summed."""
    items = list(records)
    if not items:
        raise ValueError("add_up needs at least one record")
    first = items[0]
    values: dict[str, object] = {}
    for field in dataclasses.fields(first):  # type: ignore[arg-type]
        if field.name in labels:
            values[field.name] = labels[field.name]
            continue
        column = [getattr(item, field.name) for item in items]
        values[field.name] = _sum_values(field.name, column)
    return dataclasses.replace(first, **values)  # type: ignore[type-var]


def _sum_values(name: str, column: list[object]) -> object:
    first = column[0]
    if any(v is None for v in column):
        return None  # one unknown part (e.g. a provider with no agency cap) makes the total unknown
    if isinstance(first, str):
        return first if all(v == first for v in column) else ""
    if isinstance(first, bool):
        return first if all(v == first for v in column) else False
    if isinstance(first, (int, Line)):
        total = first
        for value in column[1:]:
            total = total + value  # type: ignore[operator]
        return total
    if isinstance(first, tuple) and all(isinstance(v, int) for v in first):
        return tuple(sum(values) for values in zip(*column))  # type: ignore[call-overload]
    if isinstance(first, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in first):
        # (key, value) pairs such as an organisation's lines by line group: add by key,
        # keeping the order keys are first met in.
        merged: dict[object, object] = {}
        for pairs in column:
            for key, value in pairs:  # type: ignore[attr-defined]
                merged[key] = value if key not in merged else _sum_values(name, [merged[key], value])
        return tuple(merged.items())
    raise TypeError(f"add_up cannot sum field {name!r} of type {type(first).__name__}")


def sum_by(frame: pd.DataFrame, keys: Sequence[str], measures: Sequence[str]) -> dict[tuple, dict[str, int]]:
    """Exact int64 sums of measures by keys, as {key tuple: {measure: pence}}."""
    if frame.empty:
        return {}
    grouped = frame.groupby(list(keys), sort=True, observed=True)[list(measures)].sum()
    out: dict[tuple, dict[str, int]] = {}
    for key, row in zip(grouped.index, grouped.to_numpy(dtype="int64").tolist()):
        key_tuple = key if isinstance(key, tuple) else (key,)
        out[key_tuple] = dict(zip(measures, row))
    return out


def ytd_measures(frame: pd.DataFrame, month: int) -> pd.DataFrame:
    """The frame with ``ytd_plan`` (plan for months 1..M) beside plan, actual and forecast."""
    closed = frame["month"].to_numpy() <= month
    return frame.assign(ytd_plan=frame["plan"].where(closed, 0).astype("int64"))


def monthly(frame: pd.DataFrame, measure: str, keys: Sequence[str]) -> dict[tuple, tuple[int, ...]]:
    """12-month series of a measure by keys: {key: (m1, ..., m12)}."""
    return monthly_measures(frame, (measure,), keys)[measure]


def monthly_measures(
    frame: pd.DataFrame, measures: Sequence[str], keys: Sequence[str]
) -> dict[str, dict[tuple, tuple[int, ...]]]:
    """12-month series of several measures by keys, from one grouping of the frame."""
    if frame.empty:
        return {m: {} for m in measures}
    sums = frame.groupby([*keys, "month"], sort=True, observed=True)[list(measures)].sum()
    out: dict[str, dict[tuple, tuple[int, ...]]] = {}
    for measure in measures:
        pivot = sums[measure].unstack("month", fill_value=0).reindex(columns=range(1, 13), fill_value=0)
        out[measure] = {
            key if isinstance(key, tuple) else (key,): tuple(row)
            for key, row in zip(pivot.index, pivot.to_numpy(dtype="int64").tolist())
        }
    return out
