"""Whole-pence splitting and monthly phasing for the example's generators.

Budgets are shared out in whole pence by largest remainder, so every split adds back to
its total exactly: an organisation's planned surplus is exactly what shape.py says.
"""

from __future__ import annotations

import numpy as np

from finmodel.example.shape import YEAR

MONTHS = 12

# England's bank holidays in 2023/24, for the working-day profile elective income follows.
_BANK_HOLIDAYS = (
    "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
    "2023-12-25", "2023-12-26", "2024-01-01", "2024-03-29",
)  # fmt: skip


def _month_bounds() -> tuple[np.ndarray, np.ndarray]:
    starts = np.array([YEAR.month_start(m) for m in range(1, 13)], dtype="datetime64[D]")
    ends = np.array([YEAR.month_end(m) for m in range(1, 13)], dtype="datetime64[D]")
    return starts, ends


MONTH_STARTS, MONTH_ENDS = _month_bounds()
DAYS_IN_MONTH = (MONTH_ENDS - MONTH_STARTS).astype(np.int64) + 1
WORKING_DAYS = np.busday_count(MONTH_STARTS, MONTH_ENDS + 1, holidays=list(_BANK_HOLIDAYS)).astype(np.int64)

FLAT = np.ones(MONTHS)
# Winter weighting for heating and lighting: about half again in December and January.
WINTER = np.array([0.8, 0.7, 0.65, 0.65, 0.65, 0.75, 0.95, 1.15, 1.3, 1.3, 1.15, 1.0])
# Winter pressure on temporary staffing and beds, as a relative uplift on the run rate.
WINTER_PRESSURE = np.array([0.0, -0.02, -0.03, -0.03, -0.02, 0.0, 0.02, 0.05, 0.08, 0.09, 0.06, 0.03])


def split_exact(total: int, weights: np.ndarray) -> np.ndarray:
    """Share `total` pence in proportion to `weights`; the parts add back to it exactly."""
    weights = np.asarray(weights, dtype=np.float64)
    raw = total * (weights / weights.sum())
    parts = np.floor(raw).astype(np.int64)
    short = int(total - parts.sum())
    order = np.argsort(-(raw - parts), kind="stable")
    parts[order[:short]] += 1
    return parts


def phase(annual: np.ndarray, profile: np.ndarray) -> np.ndarray:
    """(lines, 12) monthly pence from annual pence and a 12-month (or per-line) profile.

    Each line's months add back exactly to its annual figure.
    """
    annual = np.asarray(annual, dtype=np.int64)
    weights = np.broadcast_to(np.asarray(profile, dtype=np.float64), (annual.size, MONTHS))
    raw = annual[:, None] * (weights / weights.sum(axis=1, keepdims=True))
    months = np.floor(raw).astype(np.int64)
    short = annual - months.sum(axis=1)
    rank = np.argsort(np.argsort(-(raw - months), axis=1, kind="stable"), axis=1, kind="stable")
    return months + (rank < short[:, None])


def to_pence(amounts: np.ndarray) -> np.ndarray:
    """Generated amounts (already in pence, as floats) to whole pence."""
    return np.rint(np.asarray(amounts, dtype=np.float64)).astype(np.int64)


def lognormal_weights(rng: np.random.Generator, count: int, sigma: float = 0.6) -> np.ndarray:
    """Uneven but positive shares, as real cost centres are uneven in size."""
    return rng.lognormal(0.0, sigma, count)
