"""The ICB's ledger: its allocation, and commissioning spend by service line.

Continuing care is not here: inputs.md books it only through phc.xlsx. The allocation is
set so that the ICB plans exactly its target once the PHC budget is added.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from finmodel.example.contracts import REPLACED, icb_contracts
from finmodel.example.lines import Forecast, Lines, actual_around_plan, concat, forecasts_by_close, make_lines
from finmodel.example.pence import FLAT, MONTHS, lognormal_weights, phase, split_exact, to_pence
from finmodel.example.shape import CLOSE_MONTHS, ICB_CODE, ICB_UNIDENTIFIED_CIP, TARGETS, generator, scaled


@dataclass(frozen=True)
class Commissioned:
    """A commissioning budget, split over `detail` contracts (scaled) or held as one line."""

    service_line: str
    name: str
    annual: int  # £
    detail: int = 0  # contracts at scale 1; 0 = one line that does not scale
    driver: str | None = None
    drift: float = 0.0  # actual / plan - 1
    noise: float = 0.0


_COMMISSIONING = (
    Commissioned("acute", "Northfield Hospitals NHS FT contract", 700_000_000),
    Commissioned("acute", "Southbay University Hospitals NHS FT contract", 585_000_000),
    # Elective activity above the ERF baseline is paid for on top of the block.
    Commissioned("acute", "Elective recovery (ERF) variable activity", 90_000_000, 0, "erf", 0.07, 0.03),
    Commissioned("acute", "Ambulance services 999 and 111", 110_000_000),
    Commissioned("acute", "Independent sector provider", 45_000_000, 6, None, 0.03, 0.06),
    Commissioned("acute", "Out of area NHS trust", 80_000_000, 10, None, 0.02, 0.04),
    Commissioned("mental_health", "Community and MH trust mental health contract", 235_000_000),
    Commissioned("mental_health", "Mental health placements", 45_000_000, 8, None, 0.06, 0.06),
    Commissioned("mental_health", "Voluntary sector mental health", 15_000_000, 5, None, 0.0, 0.02),
    Commissioned("mental_health", "Independent mental health provider", 35_000_000, 4, None, 0.02, 0.03),
    Commissioned("community", "Community and MH trust community contract", 150_000_000),
    Commissioned("community", "Hospice", 12_000_000, 3),
    Commissioned("community", "Community equipment", 10_000_000, 0, None, 0.06, 0.05),
    Commissioned("community", "Other community provider", 28_000_000, 5, None, 0.0, 0.03),
    Commissioned("primary_care", "GP out of hours", 12_000_000),
    Commissioned("primary_care", "Local enhanced services", 18_000_000, 0, None, -0.02, 0.04),
    Commissioned("primary_care", "GP IT", 8_000_000, 0, None, 0.0, 0.05),
    Commissioned("primary_care", "Primary care network", 27_000_000, 6, None, 0.0, 0.02),
    # Prescribing prices ran above plan (no cheaper stock obtainable, Category M).
    Commissioned("prescribing", "Primary care prescribing locality", 270_000_000, 6, "inflation", 0.045, 0.03),
    Commissioned("prescribing", "Home oxygen", 6_000_000, 0, None, 0.02, 0.04),
    Commissioned("prescribing", "Central drugs", 9_000_000, 0, None, 0.01, 0.05),
    Commissioned("delegated_primary_care", "GP practice contract", 200_000_000, 60, None, 0.0, 0.01),
    Commissioned("delegated_primary_care", "Community pharmacy", 25_000_000, 0, None, 0.01, 0.02),
    Commissioned("delegated_primary_care", "Dental services", 24_000_000, 0, None, -0.04, 0.03),
    Commissioned("delegated_primary_care", "Optometry", 6_000_000, 0, None, 0.0, 0.03),
    Commissioned("other_commissioned", "Non-emergency patient transport", 20_000_000, 0, None, 0.02, 0.03),
    Commissioned("other_commissioned", "NHS 111 online and digital", 5_000_000),
    Commissioned("other_commissioned", "Safeguarding and designated professionals", 5_000_000, 0, None, -0.03, 0.02),
    Commissioned("other_commissioned", "Other commissioned service", 10_000_000, 4, None, 0.0, 0.04),
    # The contingency reserve is released to offset pressures elsewhere.
    Commissioned("other_programme", "Contingency reserve", 15_000_000, 0, None, -0.35, 0.05),
    Commissioned("other_programme", "Programme projects", 12_000_000, 0, None, -0.05, 0.08),
    Commissioned("other_programme", "Winter schemes", 6_000_000, 0, None, 0.05, 0.1),
    Commissioned("running_costs", "ICB staff", 22_000_000, 0, "vacancies", -0.06, 0.01),
    Commissioned("running_costs", "ICB non-pay running costs", 8_000_000, 0, None, -0.02, 0.04),
)
_COST_CENTRES = {
    "acute": "ICB2100 Acute commissioning",
    "mental_health": "ICB2200 Mental health commissioning",
    "community": "ICB2300 Community commissioning",
    "primary_care": "ICB2400 Primary care",
    "prescribing": "ICB2500 Medicines management",
    "delegated_primary_care": "ICB2600 Delegated primary care",
    "other_commissioned": "ICB2700 Other commissioned services",
    "other_programme": "ICB2800 Programme reserves",
    "running_costs": "ICB2900 Running costs",
}
_FIXED_ALLOCATIONS = (("Service development funding", 20_000_000), ("Elective recovery allocation", 60_000_000))
_RECOVERY = 0.3  # share of its run-rate gap the ICB expects to recover


@dataclass(frozen=True)
class IcbLedger:
    income: Lines
    nonpay: Lines


def _contract_names(item: Commissioned, count: int) -> list[str]:
    if item.detail == 0:
        return [item.name]
    if item.service_line == "delegated_primary_care":
        return [f"{item.name} - practice P{81001 + k}" for k in range(count)]
    return [f"{item.name} {k + 1:02d}" for k in range(count)]


def _commissioning(scale: float, rng: np.random.Generator, provider_income: Lines) -> Lines:
    """The service lines; the contracts with the system's providers as the providers book
    them (example/contracts.py), their own draws still made so the rest keep their figures."""
    parts = []
    for item in _COMMISSIONING:
        count = 1 if item.detail == 0 else scaled(item.detail, scale)
        annual = split_exact(item.annual * 100, lognormal_weights(rng, count, 0.7))
        plan = phase(annual, FLAT)
        actual = actual_around_plan(plan, item.drift + rng.normal(0.0, item.noise / 3, count), item.noise, rng)
        at_plan = (item.driver is None) & (rng.random(count) < 0.3)
        labels = {
            "org": ICB_CODE,
            "category": item.service_line,
            "kind": "operating",
            "driver": item.driver,
            "cost_centre": _COST_CENTRES[item.service_line],
            "subjective": "60010 Healthcare purchased" if item.service_line != "running_costs" else "60090 Running costs",
            "description": _contract_names(item, count),
        }
        if item.name not in REPLACED:
            parts.append(make_lines(labels, plan, actual, forecasts_by_close(plan, actual, _RECOVERY, at_plan)))
    return concat([*parts, icb_contracts(provider_income, _COST_CENTRES), _qipp_target()])


def _qipp_target() -> Lines:
    """The QIPP the ICB has not yet found: a negative budget nothing books against."""
    plan = phase(np.array([-ICB_UNIDENTIFIED_CIP * 100]), FLAT)
    zero = np.zeros((1, MONTHS), dtype=np.int64)
    forecasts = {close: Forecast(zero, np.array([close == CLOSE_MONTHS[0]])) for close in CLOSE_MONTHS}
    labels = {
        "org": ICB_CODE,
        "category": "other_programme",
        "kind": "operating",
        "driver": "efficiency",
        "cost_centre": _COST_CENTRES["other_programme"],
        "subjective": "60080 Efficiency target",
        "description": "QIPP target not yet identified",
    }
    return make_lines(labels, plan, zero, forecasts)


def _allocation(nonpay: Lines, phc_plan: int, rng: np.random.Generator) -> Lines:
    """Allocation lines that fund the ICB's plan exactly (to its target)."""
    service = nonpay.labels["category"]
    running = int(nonpay.plan[service == "running_costs"].sum())
    delegated = int(nonpay.plan[service == "delegated_primary_care"].sum())
    fixed = sum(amount for _, amount in _FIXED_ALLOCATIONS) * 100
    core = int(nonpay.plan.sum()) + phc_plan + TARGETS[ICB_CODE] * 100 - running - delegated - fixed
    names = ["Core programme allocation", "Running cost allowance", "Delegated primary care allocation", *(n for n, _ in _FIXED_ALLOCATIONS)]
    plan = phase(np.array([core, running, delegated, *(a * 100 for _, a in _FIXED_ALLOCATIONS)], dtype=np.int64), FLAT)
    allocated = make_lines(
        {"org": ICB_CODE, "category": "allocation", "driver": None, "cost_centre": "ICB1000 Allocations", "subjective": "90010 Allocation", "description": names,
         "counterparty": "NHS England"},
        plan,
        plan.copy(),
        forecasts_by_close(plan, plan, _RECOVERY, np.ones(len(names), dtype=bool)),
    )
    # In-year allocations arrive unplanned from M6 (winter, discharge funding).
    actual = np.zeros((1, MONTHS), dtype=np.int64)
    actual[0, 5:] = to_pence(rng.uniform(0.4e8, 1.2e8, MONTHS - 5))
    in_year = make_lines(
        {"org": ICB_CODE, "category": "allocation", "driver": "other", "cost_centre": "ICB1000 Allocations", "subjective": "90020 In-year allocation", "description": "In-year allocation adjustments"},
        np.zeros((1, MONTHS), dtype=np.int64),
        actual,
        forecasts_by_close(np.zeros((1, MONTHS), dtype=np.int64), actual, 0.0),
    )
    return concat([allocated, in_year])


def icb_ledger(scale: float, phc_plan: int, provider_income: Lines) -> IcbLedger:
    """The ICB's income (allocation) and commissioning lines; `phc_plan` is the PHC budget in
    pence; `provider_income` the providers' income, whose ICB lines its contracts mirror."""
    rng = generator("ledger:ICB")
    nonpay = _commissioning(scale, rng, provider_income)
    return IcbLedger(_allocation(nonpay, phc_plan, rng), nonpay)
