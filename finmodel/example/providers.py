"""A provider's income and non-pay ledgers, and the provider's whole ledger.

The plan balances exactly: clinical income from the ICB is set so that income less pay,
non-pay and non-operating items is the planned surplus in shape.py, to the penny.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from finmodel.example.cost_centres import CLINICAL, CORPORATE, SUPPORT, CostCentres, cost_centres
from finmodel.example.lines import AT_PLAN_SHARE, Forecast, Lines, actual_around_plan, concat, forecasts_by_close, make_lines
from finmodel.example.pence import FLAT, MONTHS, WINTER, WORKING_DAYS, lognormal_weights, phase, split_exact, to_pence
from finmodel.example.shape import CLOSE_MONTHS, ICB_CODE, ProviderShape, generator
from finmodel.example.workforce import RECOVERY, workforce

ALL_KINDS = (CLINICAL, SUPPORT, CORPORATE)


@dataclass(frozen=True)
class NonpaySpec:
    """How a non-pay category is booked and how it turned out in the year."""

    kinds: tuple[str, ...]  # cost centre kinds it is booked to
    share: float  # of those cost centres (0 = a single line)
    subjectives: tuple[str, ...]
    drift: float  # actual / plan - 1
    noise: float
    driver: str | None = None
    profile: tuple[float, ...] | None = None


_NONPAY = {
    # Drugs and PFI indexation ran above the planned inflation; energy prices fell back.
    "Drugs": NonpaySpec((CLINICAL,), 0.6, ("71010 Drugs", "71020 High cost drugs"), 0.045, 0.04, "inflation"),
    "Clinical supplies": NonpaySpec((CLINICAL,), 0.7, ("72010 Medical and surgical equipment", "72020 Dressings", "72030 Prosthetics"), 0.02, 0.05),
    "Energy": NonpaySpec((SUPPORT,), 0.0, ("73010 Electricity and gas",), -0.06, 0.03, "inflation", tuple(WINTER)),
    "Premises": NonpaySpec((SUPPORT, CORPORATE), 0.4, ("74010 Rates", "74020 Maintenance contracts", "74030 Cleaning contracts"), 0.01, 0.04),
    "PFI unitary charge": NonpaySpec((SUPPORT,), 0.0, ("75010 PFI unitary payment",), 0.035, 0.0, "inflation"),
    "IT": NonpaySpec((CORPORATE,), 0.3, ("76010 Software licences", "76020 IT hardware"), 0.0, 0.05),
    # Out-of-area mental-health placements are the community trust's escalation beds.
    "Purchase of healthcare": NonpaySpec((CLINICAL,), 0.3, ("77010 Out of area placements", "77020 Independent sector beds"), 0.07, 0.06, "agency_escalation"),
    "Fleet and fuel": NonpaySpec((SUPPORT, CLINICAL), 0.3, ("78010 Fuel", "78020 Vehicle maintenance"), 0.03, 0.04, "inflation"),
    "Subcontracted services": NonpaySpec((CLINICAL,), 0.2, ("79010 Subcontracted 111 services", "79020 Private ambulance providers"), 0.02, 0.03),
    "Other non-pay": NonpaySpec(ALL_KINDS, 0.5, ("79510 Travel and subsistence", "79520 Training", "79530 Consultancy", "79540 Postage and printing"), -0.005, 0.05),
}  # fmt: skip
# category -> (subjective, share of the category's budget, actual / plan - 1) per line
_NON_OPERATING = {
    "Depreciation": (("81010 Depreciation - owned assets", 0.8, 0.0), ("81020 Depreciation - right of use assets", 0.2, 0.0)),
    "Interest": (("82010 Interest on PFI and lease liabilities", 1.0, 0.0),),
    "PDC dividend": (("83010 PDC dividend", 1.0, -0.03),),  # PDC was re-assessed on lower net assets
}
_ICB_CONTRACT = {
    "acute": (("ICB block contract", 0.9, 0.0), ("ICB high cost drugs and devices", 0.065, 0.03), ("ICB CQUIN and quality", 0.015, 0.0), ("ICB service developments", 0.02, 0.0)),
    "community_mh": (("ICB mental health block", 0.55, 0.0), ("ICB community services block", 0.4, 0.0), ("ICB mental health investment standard", 0.05, 0.0)),
    "ambulance": (("ICB 999 contract", 0.85, 0.0), ("ICB NHS 111 contract", 0.12, 0.0), ("ICB patient transport", 0.03, 0.0)),
}  # fmt: skip
_CLINICAL_OTHER = {
    "acute": (("NHS England specialised services", 0.7), ("Other ICBs - non-contract activity", 0.2), ("Other commissioners", 0.1)),
    "community_mh": (("NHS England specialised mental health", 0.7), ("Other ICBs", 0.3)),
    "ambulance": (("Other ICBs - regional share", 1.0),),
}
_NATIONAL = (("Pay award funding", 0.6), ("Service development funding", 0.4))
# Other operating income by the kind of department that earns it.
_OTHER_INCOME = {
    CLINICAL: ("12010 Education and training", "12020 Research and development", "12050 Private patients"),
    SUPPORT: ("12030 Car parking", "12040 Catering", "12070 Services to other bodies"),
    CORPORATE: ("12010 Education and training", "12060 Staff recharges", "12070 Services to other bodies"),
}


@dataclass(frozen=True)
class ProviderLedger:
    income: Lines
    pay: Lines
    nonpay: Lines
    agency: Lines


def _lines(shape: ProviderShape, labels: dict, plan: np.ndarray, actual: np.ndarray, rng: np.random.Generator) -> Lines:
    """Ledger lines with the provider's own forecasts; some untagged lines forecast at plan."""
    lines = make_lines({"org": shape.code, **labels}, plan, actual, {})
    untagged = np.array([d is None for d in lines.labels["driver"]], dtype=bool)
    at_plan = untagged & (rng.random(len(lines)) < AT_PLAN_SHARE)
    return replace(lines, forecasts=forecasts_by_close(plan, actual, RECOVERY, at_plan))


def _spread(centres: CostCentres, kinds: tuple[str, ...], share: float, total: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The cost centres a budget is booked to, and each one's annual pence."""
    where = centres.subset(rng, kinds, share)
    return where, split_exact(total, centres.size[where] * lognormal_weights(rng, where.size, 0.5))


def _nonpay(shape: ProviderShape, centres: CostCentres, rng: np.random.Generator) -> Lines:
    parts = []
    for category, budget in shape.nonpay.items():
        spec = _NONPAY[category]
        where, annual = _spread(centres, spec.kinds, spec.share, budget * 100, rng)
        plan = phase(annual, np.array(spec.profile) if spec.profile else FLAT)
        actual = actual_around_plan(plan, spec.drift + rng.normal(0.0, 0.01, where.size), spec.noise, rng)
        subjective = [spec.subjectives[i] for i in rng.integers(len(spec.subjectives), size=where.size).tolist()]
        labels = {
            "category": category,
            "kind": "operating",
            "driver": [spec.driver] * where.size,
            "cost_centre": [centres.label(c) for c in where],
            "subjective": subjective,
            "description": [f"{centres.names[c]}: {s[6:].lower()}" for c, s in zip(where, subjective)],
        }
        parts.append(_lines(shape, labels, plan, actual, rng))
    return concat([*parts, _non_operating(shape, rng), _efficiency_target(shape)])


def _non_operating(shape: ProviderShape, rng: np.random.Generator) -> Lines:
    rows = [(category, *line) for category, budget in shape.non_operating.items() for line in _NON_OPERATING[category]]
    budgets = dict(shape.non_operating)
    annual = np.concatenate([split_exact(budgets[c] * 100, np.array([r[2] for r in rows if r[0] == c])) for c in budgets])
    plan = phase(annual, FLAT)
    actual = actual_around_plan(plan, np.array([r[3] for r in rows]), 0.005, rng)
    labels = {
        "category": [r[0] for r in rows],
        "kind": "non_operating",
        "driver": [None] * len(rows),
        "cost_centre": f"{shape.prefix}9000 Financing",
        "subjective": [r[1] for r in rows],
        "description": [r[1][6:] for r in rows],
    }
    return _lines(shape, labels, plan, actual, rng)


def _efficiency_target(shape: ProviderShape) -> Lines:
    """The unmet CIP target as its own (negative) budget line: nothing books against it, so
    its whole plan is an adverse variance. Forecast at plan at M09 (still hoping to find the
    schemes), written off at M10.
    """
    plan = phase(np.array([-shape.unidentified_cip * 100]), FLAT)
    zero = np.zeros((1, MONTHS), dtype=np.int64)
    forecasts = {close: Forecast(zero, np.array([close == CLOSE_MONTHS[0]])) for close in CLOSE_MONTHS}
    labels = {
        "org": shape.code,
        "category": "Efficiency target",
        "kind": "operating",
        "driver": "efficiency",
        "cost_centre": f"{shape.prefix}9100 Corporate efficiency",
        "subjective": "79900 Unidentified CIP",
        "description": "CIP target not yet allocated to schemes",
    }
    return make_lines(labels, plan, zero, forecasts)


def _contract_income(shape: ProviderShape, total: int, rng: np.random.Generator) -> Lines:
    rows = _ICB_CONTRACT[shape.type]
    annual = split_exact(total, np.array([r[1] for r in rows]))
    plan = phase(annual, FLAT)
    # Block contracts are paid as planned; only the pass-through lines move.
    actual = plan + to_pence(plan * np.array([r[2] for r in rows])[:, None] * rng.normal(1.0, 0.5, plan.shape))
    labels = {
        "category": "clinical_icb",
        "driver": [None] * len(rows),
        "cost_centre": f"{shape.prefix}9200 Contract income",
        "subjective": "10010 Clinical income - ICB",
        "description": [r[0] for r in rows],
        "counterparty": ICB_CODE,  # the ICB books the same contract (example/contracts.py)
    }
    return _lines(shape, labels, plan, actual, rng)


def _named_income(shape: ProviderShape, category: str, rows: tuple, total: int, noise: float, rng: np.random.Generator) -> Lines:
    plan = phase(split_exact(total, np.array([r[1] for r in rows])), FLAT)
    actual = actual_around_plan(plan, rng.normal(0.01, 0.01, len(rows)), noise, rng)
    labels = {
        "category": category,
        "driver": [None] * len(rows),
        "cost_centre": f"{shape.prefix}9200 Contract income",
        "subjective": "10020 Clinical income - other" if category == "clinical_other" else "10030 National funding",
        "description": [r[0] for r in rows],
    }
    return _lines(shape, labels, plan, actual, rng)


def _centre_income(shape: ProviderShape, centres: CostCentres, category: str, total: int, rng: np.random.Generator) -> Lines:
    """Income earned by departments: elective activity (ERF) or other operating income."""
    erf = category == "erf"
    where, annual = _spread(centres, (CLINICAL,) if erf else ALL_KINDS, 0.35 if erf else 0.3, total, rng)
    plan = phase(annual, WORKING_DAYS if erf else FLAT)
    drift = (shape.erf_performance if erf else 0.02) + rng.normal(0.0, 0.03, where.size)
    actual = actual_around_plan(plan, drift, 0.05, rng)
    if erf:
        subjective = ["11010 Elective recovery fund"] * where.size
    else:
        subjective = [str(rng.choice(_OTHER_INCOME[centres.kinds[c]])) for c in where]
    labels = {
        "category": category,
        "driver": ["erf" if erf else None] * where.size,
        "cost_centre": [centres.label(c) for c in where],
        "subjective": subjective,
        "description": [f"{centres.names[c]}: {s[6:].lower()}" for c, s in zip(where, subjective)],
    }
    return _lines(shape, labels, plan, actual, rng)


def _strike_funding(shape: ProviderShape, strike_cost: Lines) -> Lines:
    """National industrial-action funding: part of the cost, first paid as a catch-up in M7."""
    cost = strike_cost.actual.sum(axis=0).astype(np.float64)
    share = shape.strike_funded_share
    actual = np.zeros(MONTHS)
    actual[6] = share * cost[:7].sum()
    actual[7:] = share * cost[7:]
    forecasts = {}
    for close in CLOSE_MONTHS:
        values = np.zeros((1, MONTHS), dtype=np.int64)
        values[0, close] = to_pence(share * strike_cost.forecasts[close].values[:, close].sum())
        forecasts[close] = Forecast(values, np.zeros(1, dtype=bool))
    labels = {
        "org": shape.code,
        "category": "national_funding",
        "driver": "industrial_action_funding",
        "cost_centre": f"{shape.prefix}9200 Contract income",
        "subjective": "10030 National funding",
        "description": "Industrial action funding",
    }
    return make_lines(labels, np.zeros((1, MONTHS), dtype=np.int64), to_pence(actual)[None, :], forecasts)


def _income(shape: ProviderShape, centres: CostCentres, spend: int, strike_cost: Lines, rng: np.random.Generator) -> Lines:
    other = shape.income
    contract = spend + shape.planned_surplus * 100 - sum(other.values()) * 100
    parts = [_contract_income(shape, contract, rng)]
    if other.get("erf"):
        parts.append(_centre_income(shape, centres, "erf", other["erf"] * 100, rng))
    parts.append(_named_income(shape, "clinical_other", _CLINICAL_OTHER[shape.type], other["clinical_other"] * 100, 0.03, rng))
    parts.append(_named_income(shape, "national_funding", _NATIONAL, other["national_funding"] * 100, 0.0, rng))
    parts.append(_strike_funding(shape, strike_cost))
    parts.append(_centre_income(shape, centres, "other_operating", other["other_operating"] * 100, rng))
    return concat(parts)


def provider_ledger(shape: ProviderShape, scale: float) -> ProviderLedger:
    rng = generator(f"ledger:{shape.code}")
    centres = cost_centres(shape, scale, rng)
    staff = workforce(shape, centres, rng)
    nonpay = _nonpay(shape, centres, rng)
    spend = int(staff.pay.plan.sum() + nonpay.plan.sum())
    strike_cost = staff.pay.select(staff.pay.labels["driver"] == "industrial_action_cost")
    income = _income(shape, centres, spend, strike_cost, rng)
    return ProviderLedger(income, staff.pay, nonpay, staff.agency)

