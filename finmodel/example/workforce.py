"""A provider's pay ledger and its agency detail.

Pay lines are booked by cost centre, staff group, pay type and subjective. The agency pay
lines are built as the sums of the agency detail (by supplier and framework), so the two
workbooks reconcile to the penny for plan, actual and every forecast by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from finmodel.example.cost_centres import CLINICAL, CORPORATE, SUPPORT, CostCentres
from finmodel.example.lines import AT_PLAN_SHARE, Forecast, Lines, actual_around_plan, concat, forecasts_by_close, make_lines
from finmodel.example.pence import FLAT, MONTHS, WINTER_PRESSURE, lognormal_weights, phase, split_exact, to_pence
from finmodel.example.shape import CLOSE_MONTHS, STRIKE_DAYS, ProviderShape

STAFF_GROUPS = ("Medical", "Nursing", "AHP", "Scientific", "Admin", "Estates", "Support")
CLINICAL_GROUPS = ("Medical", "Nursing", "AHP", "Scientific")

# Where each staff group works, and in what share of those cost centres it has a budget.
_WORKS_IN = {
    "Medical": ((CLINICAL,), 0.6),
    "Nursing": ((CLINICAL,), 0.75),
    "AHP": ((CLINICAL,), 0.4),
    "Scientific": ((CLINICAL,), 0.25),
    "Admin": ((CLINICAL, SUPPORT, CORPORATE), 0.7),
    "Estates": ((SUPPORT,), 1.0),
    "Support": ((SUPPORT, CLINICAL), 0.4),
}
_SHARE_OF_PRESENCE = {"substantive": 1.0, "bank": 0.5, "agency": 0.4, "other": 0.15}

# Each pay type's budget by staff group, per organisation type.
_GROUP_SHARES = {
    "acute": {
        "substantive": {"Medical": 0.28, "Nursing": 0.36, "AHP": 0.08, "Scientific": 0.07, "Admin": 0.13, "Estates": 0.03, "Support": 0.05},
        "bank": {"Medical": 0.15, "Nursing": 0.6, "AHP": 0.05, "Admin": 0.1, "Support": 0.1},
        "agency": {"Medical": 0.45, "Nursing": 0.4, "AHP": 0.08, "Scientific": 0.02, "Admin": 0.05},
        "other": {"Medical": 0.5, "Admin": 0.5},
    },
    "community_mh": {
        "substantive": {"Medical": 0.12, "Nursing": 0.4, "AHP": 0.12, "Scientific": 0.08, "Admin": 0.2, "Estates": 0.04, "Support": 0.04},
        "bank": {"Medical": 0.1, "Nursing": 0.65, "AHP": 0.05, "Admin": 0.1, "Support": 0.1},
        "agency": {"Medical": 0.5, "Nursing": 0.35, "AHP": 0.08, "Scientific": 0.04, "Admin": 0.03},
        "other": {"Medical": 0.3, "Admin": 0.7},
    },
    "ambulance": {
        "substantive": {"Medical": 0.01, "Nursing": 0.04, "AHP": 0.45, "Admin": 0.22, "Estates": 0.04, "Support": 0.24},
        "bank": {"AHP": 0.6, "Admin": 0.15, "Support": 0.25},
        "agency": {"AHP": 0.7, "Admin": 0.2, "Support": 0.1},
        "other": {"Admin": 1.0},
    },
}
_SUBJECTIVES = {
    "Medical": (("110", "Consultants"), ("120", "Specialty doctors"), ("130", "Doctors in training")),
    "Nursing": (("210", "Registered nurses"), ("220", "Healthcare support workers"), ("230", "Midwives")),
    "AHP": (("310", "Physiotherapists"), ("320", "Occupational therapists"), ("330", "Paramedics")),
    "Scientific": (("410", "Healthcare scientists"), ("420", "Pharmacists"), ("430", "Psychologists")),
    "Admin": (("510", "Administrative and clerical"), ("520", "Managers")),
    "Estates": (("610", "Estates and maintenance staff"),),
    "Support": (("710", "Porters and domestics"), ("720", "Support workers")),
}
_OTHER_PAY = {"Medical": ("54110", "Waiting list initiative sessions"), "Admin": ("54510", "Apprenticeship levy")}
_PAY_TYPE_CODE = {"substantive": "51", "bank": "52", "agency": "53"}

_ON_FRAMEWORK = ("Meridian Healthcare Staffing", "Cobalt Medical Locums", "Harbourside Nursing Agency", "Pinnacle Clinical Staffing", "Northstar Locums", "Summit Allied Health")
_OFF_FRAMEWORK = ("Rapid Cover Locums", "Elite Nurse Direct", "Premier Shift Solutions")
# Average charge per agency shift, £, for the shift counts.
_SHIFT_RATE = {"Medical": 1050, "Nursing": 420, "AHP": 380, "Scientific": 450, "Admin": 190, "Estates": 200, "Support": 170}
# Share of its run-rate gap to plan a provider expects its recovery actions to close
# (agency a little less: rate-card and off-framework controls are slow to bite).
RECOVERY = 0.35
_AGENCY_RECOVERY = 0.3
_PAY_NOISE = {"substantive": 0.012, "bank": 0.06, "other": 0.05}


class Budget(NamedTuple):
    """One pay line's annual budget."""

    centre: int  # index into the cost centres
    staff_group: str
    subjective: str  # e.g. "51210 Registered nurses"
    annual: int  # pence


class Supplier(NamedTuple):
    """One agency supplier's share of an agency pay line."""

    line: int  # index into the agency pay lines
    name: str
    framework: str  # on | off
    annual: int  # pence


@dataclass(frozen=True)
class Workforce:
    pay: Lines
    agency: Lines


def _subjective_choices(org_type: str, group: str) -> tuple[tuple[str, str], ...]:
    choices = _SUBJECTIVES[group]
    if org_type != "acute":
        choices = tuple(c for c in choices if c[1] != "Midwives")
    if org_type == "acute":
        choices = tuple(c for c in choices if c[1] != "Psychologists")
    return choices


def _budgets(shape: ProviderShape, centres: CostCentres, pay_type: str, budget: int, rng: np.random.Generator) -> list[Budget]:
    """One pay type's budget shared over staff groups, cost centres and subjectives."""
    shares = _GROUP_SHARES[shape.type][pay_type]
    groups = [g for g in STAFF_GROUPS if g in shares]
    by_group = split_exact(budget, np.array([shares[g] for g in groups]))
    lines: list[Budget] = []
    for group, group_budget in zip(groups, by_group.tolist()):
        kinds, presence = _WORKS_IN[group]
        where = centres.subset(rng, kinds, presence * _SHARE_OF_PRESENCE[pay_type])
        booked: list[tuple[int, str]] = []  # (cost centre, subjective)
        for centre in where.tolist():
            if pay_type == "other":
                booked.append((centre, " ".join(_OTHER_PAY[group])))
                continue
            choices = _subjective_choices(shape.type, group)
            # Agency and bank are booked to the group's main subjective; substantive pay to one or two.
            picks = 1 if pay_type != "substantive" or len(choices) == 1 else int(rng.integers(1, 3))
            for pick in sorted(rng.choice(len(choices), size=picks, replace=False).tolist()):
                code, name = choices[pick] if pay_type == "substantive" else choices[0]
                booked.append((centre, f"{_PAY_TYPE_CODE[pay_type]}{code} {name}"))
        weights = centres.size[[c for c, _ in booked]] * lognormal_weights(rng, len(booked), 0.5)
        for (centre, subjective), amount in zip(booked, split_exact(group_budget, weights).tolist()):
            lines.append(Budget(centre, group, subjective, amount))
    return lines


def _pay_lines(shape: ProviderShape, centres: CostCentres, pay_type: str, budget: int, rng: np.random.Generator) -> Lines:
    rows = _budgets(shape, centres, pay_type, budget, rng)
    groups = [r.staff_group for r in rows]
    plan = phase(np.array([r.annual for r in rows], dtype=np.int64), FLAT)
    clinical = np.isin(groups, CLINICAL_GROUPS)
    drift = {
        "substantive": np.where(clinical, -shape.vacancy_rate, 0.0) + rng.normal(0.0, 0.008, len(rows)),
        "bank": shape.bank_growth + rng.normal(0.0, 0.04, len(rows)),
        "other": rng.normal(0.02, 0.03, len(rows)),
    }[pay_type]
    pressure = WINTER_PRESSURE if pay_type == "bank" else None
    actual = actual_around_plan(plan, drift, _PAY_NOISE[pay_type], rng, pressure)
    # Clinical vacancies and the bank shifts that cover them are the vacancies driver.
    tagged = clinical & (pay_type in ("substantive", "bank"))
    driver = np.where(tagged, "vacancies", None)
    at_plan = ~tagged & (rng.random(len(rows)) < AT_PLAN_SHARE)
    return make_lines(
        {
            "org": shape.code,
            "staff_group": groups,
            "pay_type": pay_type,
            "driver": driver,
            "cost_centre": [centres.label(r.centre) for r in rows],
            "subjective": [r.subjective for r in rows],
            "description": [f"{centres.names[r.centre]}: {r.subjective[6:]} ({pay_type})" for r in rows],
        },
        plan,
        actual,
        forecasts_by_close(plan, actual, RECOVERY, at_plan),
    )


def _suppliers(shape: ProviderShape, lines: list[Budget], rng: np.random.Generator) -> list[Supplier]:
    """Each agency line's budget shared over one or two framework suppliers, and sometimes an
    off-framework supplier with no plan: it appears when the framework cannot fill a shift.
    """
    off_chance = 0.1 if shape.type == "ambulance" else 0.3
    suppliers: list[Supplier] = []
    for index, line in enumerate(lines):
        count = int(rng.integers(1, 3))
        names = sorted(rng.choice(len(_ON_FRAMEWORK), size=count, replace=False).tolist())
        parts = split_exact(line.annual, lognormal_weights(rng, count, 0.4)).tolist()
        suppliers += [Supplier(index, _ON_FRAMEWORK[n], "on", part) for n, part in zip(names, parts)]
        if rng.random() < off_chance:
            suppliers.append(Supplier(index, _OFF_FRAMEWORK[int(rng.integers(len(_OFF_FRAMEWORK)))], "off", 0))
    return suppliers


def _agency_detail(shape: ProviderShape, centres: CostCentres, lines: list[Budget], rng: np.random.Generator) -> tuple[Lines, np.ndarray]:
    """Agency detail by supplier and framework, and the agency pay line each detail line sums into."""
    suppliers = _suppliers(shape, lines, rng)
    line_of = np.array([s.line for s in suppliers], dtype=np.int64)
    off = np.array([s.framework == "off" for s in suppliers])
    plan = phase(np.array([s.annual for s in suppliers], dtype=np.int64), FLAT)
    drift = shape.agency_growth - 1.0 - 0.04 + rng.normal(0.0, 0.1, line_of.size)
    actual = actual_around_plan(plan, drift, 0.08, rng, WINTER_PRESSURE * 1.5)
    monthly_budget = np.array([line.annual for line in lines], dtype=np.float64)[line_of] / MONTHS
    occasional = rng.uniform(0.06, 0.22, (line_of.size, 1)) * (rng.random((line_of.size, MONTHS)) < 0.7)
    actual[off] = to_pence(monthly_budget[off, None] * occasional[off])
    groups = [lines[i].staff_group for i in line_of]
    rate = np.array([_SHIFT_RATE[g] * 100 for g in groups], dtype=np.float64)
    detail = make_lines(
        {
            "org": shape.code,
            "staff_group": groups,
            "framework": [s.framework for s in suppliers],
            "supplier": [s.name for s in suppliers],
            "driver": "agency_escalation",
            "cost_centre": [centres.label(lines[i].centre) for i in line_of],
            "description": [f"{centres.names[lines[i].centre]}: {g.lower()} agency" for i, g in zip(line_of, groups)],
        },
        plan,
        actual,
        forecasts_by_close(plan, actual, _AGENCY_RECOVERY),
        {"shifts": np.rint(actual / rate[:, None]).astype(np.int64)},
    )
    return detail, line_of


def _sum_into(values: np.ndarray, line_of: np.ndarray, lines: int) -> np.ndarray:
    total = np.zeros((lines, values.shape[1]), dtype=np.int64)
    np.add.at(total, line_of, values)
    return total


def _agency_pay_lines(shape: ProviderShape, centres: CostCentres, lines: list[Budget], detail: Lines, line_of: np.ndarray) -> Lines:
    """The pay ledger's agency lines: exactly the agency detail summed by cost centre and group."""
    count = len(lines)
    forecasts = {
        close: Forecast(_sum_into(detail.forecasts[close].values, line_of, count), np.zeros(count, dtype=bool))
        for close in CLOSE_MONTHS
    }
    return make_lines(
        {
            "org": shape.code,
            "staff_group": [line.staff_group for line in lines],
            "pay_type": "agency",
            "driver": "agency_escalation",
            "cost_centre": [centres.label(line.centre) for line in lines],
            "subjective": [line.subjective for line in lines],
            "description": [f"{centres.names[line.centre]}: {line.subjective[6:]} (agency)" for line in lines],
        },
        _sum_into(detail.plan, line_of, count),
        _sum_into(detail.actual, line_of, count),
        forecasts,
    )


def strike_cover(shape: ProviderShape, rng: np.random.Generator) -> Lines:
    """Premium-rate cover for strike days: unplanned, booked in the months that were struck."""
    days = np.array(STRIKE_DAYS, dtype=np.float64)
    split = np.array([0.7, 0.3])
    actual = to_pence(split[:, None] * days * shape.strike_cost_per_day * 100 * rng.uniform(0.85, 1.15, MONTHS))
    forecasts = {}
    for close in CLOSE_MONTHS:
        # Only the next month's announced strike is in each close's forecast.
        values = np.zeros((2, MONTHS), dtype=np.int64)
        values[:, close] = to_pence(split * STRIKE_DAYS[close] * shape.strike_cost_per_day * 100)
        forecasts[close] = Forecast(values, np.zeros(2, dtype=bool))
    return make_lines(
        {
            "org": shape.code,
            "staff_group": "Medical",
            "pay_type": ["bank", "other"],
            "driver": "industrial_action_cost",
            "cost_centre": f"{shape.prefix}9001 Medical staffing",
            "subjective": ["52110 Consultants", "54120 Additional sessions"],
            "description": ["Consultant cover for industrial action", "Additional sessions during industrial action"],
        },
        np.zeros((2, MONTHS), dtype=np.int64),
        actual,
        forecasts,
    )


def workforce(shape: ProviderShape, centres: CostCentres, rng: np.random.Generator) -> Workforce:
    """The provider's pay ledger (including strike cover) and its agency detail."""
    substantive_pct = 1.0 - shape.agency_pct - shape.bank_pct - shape.other_pay_pct
    budgets = split_exact(shape.pay * 100, np.array([substantive_pct, shape.bank_pct, shape.agency_pct, shape.other_pay_pct]))
    substantive, bank, agency_budget, other = budgets.tolist()
    agency_lines = _budgets(shape, centres, "agency", agency_budget, rng)
    detail, line_of = _agency_detail(shape, centres, agency_lines, rng)
    pay = concat(
        [
            _pay_lines(shape, centres, "substantive", substantive, rng),
            _pay_lines(shape, centres, "bank", bank, rng),
            _agency_pay_lines(shape, centres, agency_lines, detail, line_of),
            _pay_lines(shape, centres, "other", other, rng),
            strike_cover(shape, rng),
        ]
    )
    return Workforce(pay, detail)

