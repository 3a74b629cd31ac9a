"""Personal health commissioning: care packages and the ICB's PHC budget.

The budget's actuals are what the packages cost, day by day, so the package-based forecast
the model makes starts from the same figures the ledger shows. The plan sits below that
cost: the high-cost cohort grew faster than the budget assumed, which is the overspend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from finmodel.contract import PHC_SERVICES
from finmodel.example.lines import Forecast, Lines, make_lines
from finmodel.example.pence import DAYS_IN_MONTH, MONTH_ENDS, MONTH_STARTS, MONTHS, phase, to_pence
from finmodel.example.shape import CLOSE_MONTHS, ICB_CODE, YEAR, generator, scaled
from finmodel.example.sheet_data import Column, SheetData

PACKAGES_AT_SCALE_1 = 3_000
HIGH_COST_AT_SCALE_1 = 64
FNC_WEEKLY = (219.71, 302.25)  # the 2023/24 standard and higher FNC rates, £ a week
# The high-cost cohort's weekly-cost bands, £ (the board's bands, with a ceiling for the top one).
HIGH_COST_BANDS = ((7_550, 9_500), (9_500, 11_500), (11_500, 13_500), (13_500, 15_500), (15_500, 24_000))
_HIGH_COST_MIX = (0.38, 0.24, 0.16, 0.12, 0.10)
_NORMAL_CEILING = 7_400  # ordinary packages stay clear of the high-cost threshold


@dataclass(frozen=True)
class ServiceShape:
    share: float  # of packages
    median_weekly: float  # £
    spread: float  # lognormal sigma of the weekly cost
    in_year_share: float  # share of packages starting during the year
    ending_share: float  # share of packages already live at 1 April that end during the year
    mean_weeks: float  # typical length of a package starting in the year
    joint_share: float  # share jointly funded with the local authority (icb_share < 1)
    budget_gap: float  # how far the plan sits below the year's cost
    growth_on_prior_year: float
    settings: tuple[str, ...]


SERVICES = {
    "adult_chc": ServiceShape(0.36, 1600, 0.35, 0.3, 0.35, 40, 0.08, 0.06, 0.09, ("Nursing home", "Residential home", "Home care", "Supported living")),
    "cypcc": ServiceShape(0.04, 2200, 0.55, 0.25, 0.10, 52, 0.3, 0.08, 0.12, ("Home care", "Residential school", "Residential home")),
    "fast_track": ServiceShape(0.10, 1000, 0.35, 0.85, 0.9, 7, 0.0, 0.02, 0.05, ("Home care", "Nursing home", "Hospice")),
    "interim": ServiceShape(0.05, 1150, 0.3, 0.9, 0.95, 6, 0.0, -0.03, -0.1, ("Nursing home", "Residential home")),
    "fnc": ServiceShape(0.30, 219.71, 0.0, 0.3, 0.4, 40, 0.0, 0.0, 0.04, ("Nursing home",)),
    "s117": ServiceShape(0.11, 1900, 0.5, 0.2, 0.15, 52, 0.6, 0.05, 0.1, ("Supported living", "Independent hospital", "Residential home")),
    "phb": ServiceShape(0.04, 900, 0.5, 0.25, 0.1, 52, 0.0, 0.01, 0.08, ("Home care",)),
}  # fmt: skip
_HIGH_COST_SERVICES = (("adult_chc", 0.45), ("cypcc", 0.25), ("s117", 0.25), ("phb", 0.05))
_GROWTH_ASSUMED = 0.85  # the ICB's growth assumption falls short of what arrives


@dataclass(frozen=True)
class Packages:
    """Every package live at some point in the year, including those starting after the closes."""

    package_id: np.ndarray
    service: np.ndarray
    weekly: np.ndarray  # pence
    start: np.ndarray  # datetime64[D]
    end: np.ndarray  # datetime64[D]; NaT = open
    icb_share: np.ndarray  # 0..1
    setting: np.ndarray
    high_cost: np.ndarray  # bool


@dataclass(frozen=True)
class Phc:
    packages: Packages
    budget: Lines  # one line per service
    new_per_month: dict[str, float]  # the ICB's growth assumption (system.yaml)
    average_weekly: dict[str, int]  # £
    prior_year_outturn: dict[str, int]  # £


def _starts_and_ends(rng: np.random.Generator, shape: ServiceShape, count: int, high_cost: bool) -> tuple[np.ndarray, np.ndarray]:
    first, last = np.datetime64(YEAR.first_day), np.datetime64(YEAR.last_day)
    in_year = rng.random(count) < (0.45 if high_cost else shape.in_year_share)
    # Packages live at 1 April began up to nine years before; older ones are rarer.
    age = np.minimum(rng.exponential(700.0, count), 9 * 365).astype(np.int64) + 1
    start = np.where(in_year, first + rng.integers(0, YEAR.days, count), first - age)
    length = rng.exponential(shape.mean_weeks * 7.0, count).astype(np.int64) + 3
    ends_in_year = rng.random(count) < (0.15 if high_cost else shape.ending_share)
    end_existing = np.where(ends_in_year, first + rng.integers(0, YEAR.days, count), np.datetime64("NaT"))
    end = np.where(in_year, start + length, end_existing).astype("datetime64[D]")
    end = np.where(end > last, np.datetime64("NaT"), end)
    return start.astype("datetime64[D]"), end


def _weekly(rng: np.random.Generator, service: str, count: int, high_cost: bool) -> np.ndarray:
    if high_cost:
        bands = rng.choice(len(HIGH_COST_BANDS), count, p=_HIGH_COST_MIX)
        first = min(count, len(HIGH_COST_BANDS))
        bands[:first] = np.arange(first)  # every band is represented
        low = np.array([HIGH_COST_BANDS[b][0] for b in bands], dtype=np.float64)
        high = np.array([HIGH_COST_BANDS[b][1] for b in bands], dtype=np.float64)
        pounds = rng.uniform(low, high)
    elif service == "fnc":
        pounds = np.where(rng.random(count) < 0.1, FNC_WEEKLY[1], FNC_WEEKLY[0])
    else:
        shape = SERVICES[service]
        pounds = np.minimum(rng.lognormal(np.log(shape.median_weekly), shape.spread, count), _NORMAL_CEILING)
    return to_pence(pounds * 100)


def _cohort(rng: np.random.Generator, service: str, count: int, high_cost: bool) -> dict[str, np.ndarray]:
    shape = SERVICES[service]
    start, end = _starts_and_ends(rng, shape, count, high_cost)
    joint = rng.random(count) < shape.joint_share
    share = np.where(joint, rng.choice([0.5, 0.6, 0.75], count), 1.0)
    settings = np.array(shape.settings, dtype=object)[rng.integers(len(shape.settings), size=count)]
    return {
        "service": np.full(count, service, dtype=object),
        "weekly": _weekly(rng, service, count, high_cost),
        "start": start,
        "end": end,
        "icb_share": share,
        "setting": settings,
        "high_cost": np.full(count, high_cost),
    }


def packages(scale: float, rng: np.random.Generator) -> Packages:
    total = scaled(PACKAGES_AT_SCALE_1, scale, minimum=len(PHC_SERVICES) * 3)
    cohorts = []
    for service in PHC_SERVICES:
        cohorts.append(_cohort(rng, service, max(3, int(round(total * SERVICES[service].share))), False))
    high_cost = scaled(HIGH_COST_AT_SCALE_1, scale, minimum=len(HIGH_COST_BANDS))
    services = rng.choice([s for s, _ in _HIGH_COST_SERVICES], size=high_cost, p=[p for _, p in _HIGH_COST_SERVICES])
    for service in (s for s, _ in _HIGH_COST_SERVICES):
        count = int((services == service).sum())
        if count:
            cohorts.append(_cohort(rng, service, count, True))
    merged = {key: np.concatenate([c[key] for c in cohorts]) for key in cohorts[0]}
    # Numbered in order of start, as a case management system would.
    order = np.lexsort((merged["weekly"], merged["start"]))
    merged = {key: values[order] for key, values in merged.items()}
    width = max(5, len(str(order.size)))
    ids = np.array([f"PHC{n:0{width}d}" for n in range(1, order.size + 1)], dtype=object)
    return Packages(ids, **merged)


def monthly_cost(weekly: np.ndarray, share: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """(packages, 12) pence: each package's cost to the ICB in each month it is live."""
    last = np.where(np.isnat(end), np.datetime64(YEAR.last_day), end)
    first_day = np.maximum(start[:, None], MONTH_STARTS[None, :])
    last_day = np.minimum(last[:, None], MONTH_ENDS[None, :])
    days = np.maximum((last_day - first_day).astype(np.int64) + 1, 0)
    return to_pence(weekly[:, None] * share[:, None] * days / 7.0)


def _by_service(cost: np.ndarray, service: np.ndarray) -> np.ndarray:
    return np.stack([cost[service == s].sum(axis=0) for s in PHC_SERVICES])


def known_at(packs: Packages, close: int) -> tuple[np.ndarray, np.ndarray]:
    """The packages on the books at a close, and their end dates as then known (NaT = open)."""
    close_end = MONTH_ENDS[close - 1]
    known = packs.start <= close_end
    end = np.where(packs.end <= close_end, packs.end, np.datetime64("NaT"))
    return known, end


def _icb_forecast(packs: Packages, close: int, new_per_month: dict[str, float], average_weekly: dict[str, int]) -> np.ndarray:
    """The ICB's forecast: live packages run on to year end, plus the new packages it expects."""
    known, end = known_at(packs, close)
    committed = _by_service(monthly_cost(packs.weekly[known], packs.icb_share[known], packs.start[known], end[known]), packs.service[known])
    months_ahead = np.maximum(np.arange(1, MONTHS + 1) - close, 0) - 0.5
    growth = np.stack(
        [new_per_month[s] * average_weekly[s] * 100 * np.maximum(months_ahead, 0) * DAYS_IN_MONTH / 7.0 for s in PHC_SERVICES]
    )
    values = committed + to_pence(growth)
    values[:, :close] = 0
    return values


def _growth_assumptions(packs: Packages) -> tuple[dict[str, float], dict[str, int]]:
    in_year = packs.start >= np.datetime64(YEAR.first_day)
    new_per_month, average_weekly = {}, {}
    for service in PHC_SERVICES:
        arrivals = in_year & (packs.service == service)
        new_per_month[service] = round(float(arrivals.sum()) / MONTHS * _GROWTH_ASSUMED, 1)
        mean = packs.weekly[arrivals & ~packs.high_cost].mean() / 100 if (arrivals & ~packs.high_cost).any() else 0.0
        average_weekly[service] = int(round(mean, -1))
    return new_per_month, average_weekly


def phc(scale: float) -> Phc:
    rng = generator("phc")
    packs = packages(scale, rng)
    actual = _by_service(monthly_cost(packs.weekly, packs.icb_share, packs.start, packs.end), packs.service)
    year_cost = actual.sum(axis=1)
    gaps = np.array([SERVICES[s].budget_gap for s in PHC_SERVICES])
    plan = phase(to_pence(year_cost * (1.0 - gaps)), DAYS_IN_MONTH)
    new_per_month, average_weekly = _growth_assumptions(packs)
    forecasts = {
        close: Forecast(_icb_forecast(packs, close, new_per_month, average_weekly), np.zeros(len(PHC_SERVICES), dtype=bool))
        for close in CLOSE_MONTHS
    }
    budget = make_lines({"org": ICB_CODE, "service": list(PHC_SERVICES), "driver": "phc"}, plan, actual, forecasts)
    prior = {s: int(round(float(c) / 100 / (1.0 + SERVICES[s].growth_on_prior_year), -3)) for s, c in zip(PHC_SERVICES, year_cost)}
    return Phc(packs, budget, new_per_month, average_weekly, prior)


def phc_tables(phc: Phc, close: int) -> tuple[SheetData, SheetData]:
    """The `budget` and `packages` sheets at a close: packages then on the books, ends as then known."""
    after_close = np.tile(np.arange(1, MONTHS + 1) > close, len(PHC_SERVICES))
    budget = SheetData(
        "budget",
        (
            Column("service", "text", np.repeat(phc.budget.labels["service"], MONTHS)),
            Column("month", "int", np.tile(np.arange(1, MONTHS + 1), len(PHC_SERVICES))),
            Column("plan", "money", phc.budget.plan.ravel()),
            Column("actual", "money", phc.budget.actual.ravel(), after_close),
            Column("forecast", "money", phc.budget.forecasts[close].values.ravel(), ~after_close),
            Column("driver", "text", np.repeat(phc.budget.labels["driver"], MONTHS)),
        ),
    )
    packs = phc.packages
    known, end = known_at(packs, close)
    share = packs.icb_share[known]
    sheet = SheetData(
        "packages",
        (
            Column("package_id", "text", packs.package_id[known]),
            Column("service", "text", packs.service[known]),
            Column("weekly_cost", "money", packs.weekly[known]),
            Column("start_date", "date", packs.start[known]),
            Column("end_date", "date", end[known], np.isnat(end[known])),
            # A package the ICB funds alone leaves icb_share blank (the default, 1).
            Column("icb_share", "number", share, share == 1.0),
            Column("setting", "text", packs.setting[known]),
        ),
    )
    return budget, sheet
