"""Ledger lines: one per cost centre and subjective, with the year's twelve months.

A line holds the plan, what actually happened in every month of the year, and what the
organisation forecast at each close. A close's workbook shows the actuals up to its month
and that close's forecast after it, so M09 and M10 agree on every actual they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from finmodel.example.pence import MONTHS, to_pence
from finmodel.example.shape import CLOSE_MONTHS
from finmodel.example.sheet_data import Column, SheetData

MONTH_NUMBERS = np.arange(1, MONTHS + 1)
# Share of untagged lines whose forecast an organisation leaves blank (= at plan).
AT_PLAN_SHARE = 0.35


@dataclass(frozen=True)
class Forecast:
    """An organisation's own forecast at one close; only months after the close are shown."""

    values: np.ndarray  # (lines, 12) pence
    at_plan: np.ndarray  # (lines,) bool: the forecast cell is left blank, i.e. forecast at plan


@dataclass(frozen=True)
class Lines:
    labels: Mapping[str, np.ndarray]  # text column -> one value per line (None = blank)
    plan: np.ndarray  # (lines, 12) pence
    actual: np.ndarray  # (lines, 12) pence: what happened, for every month of the year
    forecasts: Mapping[int, Forecast]  # close month -> that close's forecast
    monthly: Mapping[str, np.ndarray] | None = None  # whole-number columns known once a month closes (shifts)

    def __len__(self) -> int:
        return self.plan.shape[0]

    def select(self, rows: np.ndarray) -> Lines:
        """The lines picked by a boolean mask or index array."""
        return Lines(
            {name: values[rows] for name, values in self.labels.items()},
            self.plan[rows],
            self.actual[rows],
            {close: Forecast(f.values[rows], f.at_plan[rows]) for close, f in self.forecasts.items()},
            {name: values[rows] for name, values in self.monthly.items()} if self.monthly else None,
        )

    def with_plan_moved(self, line: int, from_month: int, to_month: int, pence: int) -> Lines:
        """The same lines with `pence` of one line's plan re-phased between two months."""
        plan = self.plan.copy()
        plan[line, from_month - 1] -= pence
        plan[line, to_month - 1] += pence
        return Lines(self.labels, plan, self.actual, self.forecasts, self.monthly)


def text(values: Sequence[object] | np.ndarray) -> np.ndarray:
    """An object array of labels, as the Lines and Column text convention wants."""
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def actual_around_plan(
    plan: np.ndarray,
    drift: np.ndarray,
    noise: float,
    rng: np.random.Generator,
    pressure: np.ndarray | None = None,
) -> np.ndarray:
    """What happened: each line's plan moved by its own drift, seasonal pressure and noise."""
    drift = np.broadcast_to(np.asarray(drift, dtype=np.float64), plan.shape[:1])
    factor = 1.0 + drift[:, None] + rng.normal(0.0, noise, plan.shape)
    if pressure is not None:
        factor = factor + pressure
    return to_pence(plan * np.maximum(factor, 0.0))


def own_forecast(plan: np.ndarray, actual: np.ndarray, close: int, recovery: float | np.ndarray) -> np.ndarray:
    """The organisation's forecast at a close: its last three months' run rate against plan
    carried forward, less the share of the gap it expects its recovery actions to close.
    """
    recent = slice(close - 3, close)
    planned = plan[:, recent].sum(axis=1).astype(np.float64)
    happened = actual[:, recent].sum(axis=1).astype(np.float64)
    keep = 1.0 - np.broadcast_to(np.asarray(recovery, dtype=np.float64), planned.shape)
    ratio = np.divide(happened, planned, out=np.ones_like(planned), where=planned != 0)
    moved = plan * (1.0 + (ratio - 1.0) * keep)[:, None]
    # Lines with no plan (strike cover, off-framework agency) are forecast at their run rate.
    unplanned = planned == 0
    moved[unplanned] = (happened[unplanned] / 3.0 * keep[unplanned])[:, None]
    values = to_pence(moved)
    values[:, :close] = 0
    return values


def forecasts_by_close(
    plan: np.ndarray, actual: np.ndarray, recovery: float | np.ndarray, at_plan: np.ndarray | None = None
) -> dict[int, Forecast]:
    """Each close's own forecast; lines flagged `at_plan` leave the forecast blank."""
    blank = np.zeros(plan.shape[0], dtype=bool) if at_plan is None else at_plan
    return {close: Forecast(own_forecast(plan, actual, close, recovery), blank) for close in CLOSE_MONTHS}


def make_lines(
    labels: Mapping[str, str | None | Sequence[object] | np.ndarray],
    plan: np.ndarray,
    actual: np.ndarray,
    forecasts: Mapping[int, Forecast],
    monthly: Mapping[str, np.ndarray] | None = None,
) -> Lines:
    """Lines from label columns; a single text (or None) labels every line alike."""
    count = plan.shape[0]
    columns = {
        name: text([values] * count) if values is None or isinstance(values, str) else text(values)
        for name, values in labels.items()
    }
    return Lines(columns, plan, actual, forecasts, monthly)


def concat(parts: Sequence[Lines]) -> Lines:
    """Lines of several generators as one; a label a part lacks is blank there."""
    parts = [p for p in parts if len(p)]
    names = list(dict.fromkeys(name for p in parts for name in p.labels))
    labels = {n: np.concatenate([p.labels.get(n, text([None] * len(p))) for p in parts]) for n in names}
    forecasts = {
        close: Forecast(
            np.concatenate([p.forecasts[close].values for p in parts]),
            np.concatenate([p.forecasts[close].at_plan for p in parts]),
        )
        for close in CLOSE_MONTHS
    }
    monthly_names = list(dict.fromkeys(n for p in parts for n in (p.monthly or {})))
    monthly = {
        n: np.concatenate([(p.monthly or {}).get(n, np.full((len(p), MONTHS), -1, dtype=np.int64)) for p in parts])
        for n in monthly_names
    }
    plan = np.concatenate([p.plan for p in parts])
    actual = np.concatenate([p.actual for p in parts])
    return Lines(labels, plan, actual, forecasts, monthly or None)


def ledger_table(sheet: str, lines: Lines, close: int, own: Sequence[str], detail: Sequence[str]) -> SheetData:
    """The close's sheet: a row per line and month, actuals to the close, forecasts after it."""
    count = len(lines)
    after_close = np.tile(MONTH_NUMBERS > close, count)
    forecast = lines.forecasts[close]
    months = np.tile(MONTH_NUMBERS, count)

    def label(name: str) -> Column:
        return Column(name, "text", np.repeat(lines.labels[name], MONTHS))

    def monthly(name: str) -> Column:
        values = lines.monthly[name].ravel() if lines.monthly else np.zeros(count * MONTHS, dtype=np.int64)
        return Column(name, "int", values, after_close | (values < 0))

    columns = [label("org"), Column("month", "int", months)]
    columns += [monthly(n) if lines.monthly and n in lines.monthly else label(n) for n in own]
    columns += [
        Column("plan", "money", lines.plan.ravel()),
        Column("actual", "money", lines.actual.ravel(), after_close),
        Column("forecast", "money", forecast.values.ravel(), ~after_close | np.repeat(forecast.at_plan, MONTHS)),
        label("driver"),
    ]
    columns += [label(n) for n in detail]
    return SheetData(sheet, tuple(columns))
