"""Efficiency schemes (CIP and the ICB's QIPP) and their monthly delivery.

Delivery follows the rating: fully developed schemes deliver, plans in progress mostly,
opportunities about half and unidentified schemes almost nothing. The organisations'
forecasts are kinder than that at M09 and re-set nearer the evidence at M10.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from finmodel.example.lines import text
from finmodel.example.pence import MONTHS, lognormal_weights, phase, split_exact, to_pence
from finmodel.example.shape import CLOSE_MONTHS, ICB_CIP_TOTAL, ICB_CODE, ICB_UNIDENTIFIED_CIP, PROVIDERS, generator, scaled
from finmodel.example.sheet_data import Column, SheetData

SCHEMES_AT_SCALE_1 = {"ACUTE1": 42, "ACUTE2": 38, "CMH": 28, "AMB": 18, ICB_CODE: 24}
_IDENTIFIED_MIX = {"fully_developed": 0.45, "plans_in_progress": 0.35, "opportunity": 0.2}
_RECURRENT_CHANCE = {"fully_developed": 0.75, "plans_in_progress": 0.6, "opportunity": 0.5, "unidentified": 0.5}
_DELIVERY = {"fully_developed": (0.98, 0.08), "plans_in_progress": (0.8, 0.1), "opportunity": (0.45, 0.15), "unidentified": (0.02, 0.02)}
_FIRST_MONTH = {"fully_developed": (1, 3), "plans_in_progress": (3, 7), "opportunity": (5, 9), "unidentified": (7, 10)}
# Share of remaining plan each close's forecast expects to land, by rating.
_FORECAST_BELIEF = {
    9: {"fully_developed": 1.0, "plans_in_progress": 0.92, "opportunity": 0.75, "unidentified": 0.35},
    10: {"fully_developed": 1.0, "plans_in_progress": 0.85, "opportunity": 0.6, "unidentified": 0.1},
}
_PROVIDER_SCHEMES = {
    "pay": ("Reduce agency usage", "E-rostering efficiency", "Medical job planning", "Skill mix review", "Vacancy control", "Sickness absence reduction", "Bank rate harmonisation"),
    "non_pay": ("Procurement savings", "Biosimilar switching", "Energy efficiency", "Estates rationalisation", "Digital outpatient letters", "Theatre consumables standardisation", "Contract review"),
    "income": ("Private patient income growth", "Overseas visitor cost recovery", "Car parking income review", "Clinical coding improvement"),
}  # fmt: skip
_DIVISIONS = {
    "acute": ("Medicine", "Surgery", "Women and children", "Clinical support", "Corporate"),
    "community_mh": ("Mental health", "Community", "Corporate"),
    "ambulance": ("Operations", "Control room", "Corporate"),
}
_PROVIDER_CATEGORY_MIX = {"pay": 0.45, "non_pay": 0.4, "income": 0.15}
# QIPP schemes; some save money in a provider's books (`impacts_org`).
_ICB_SCHEMES = (
    ("CHC package reviews", None), ("Medicines optimisation", None), ("Outpatient follow-up reduction", "ACUTE1"),
    ("Advice and guidance", "ACUTE2"), ("Out of area placements repatriation", "CMH"), ("Hear and treat", "AMB"),
    ("Community bed reconfiguration", None), ("Continence products procurement", None), ("Running cost review", None),
)  # fmt: skip


@dataclass(frozen=True)
class Schemes:
    org: np.ndarray
    scheme_id: np.ndarray
    scheme: np.ndarray
    category: np.ndarray
    recurrent: np.ndarray  # "yes" / "no"
    rating: np.ndarray
    impacts_org: np.ndarray  # None for most
    plan: np.ndarray  # (schemes, 12) pence
    actual: np.ndarray  # (schemes, 12) pence, every month of the year
    forecasts: dict[int, np.ndarray]  # close -> (schemes, 12) pence
    at_plan: np.ndarray  # bool: forecast left blank


def _ratings(rng: np.random.Generator, count: int, unidentified: int) -> list[str]:
    identified = count - unidentified
    ratings = list(_IDENTIFIED_MIX)[: min(3, identified)]  # every rating appears
    ratings += rng.choice(list(_IDENTIFIED_MIX), identified - len(ratings), p=list(_IDENTIFIED_MIX.values())).tolist()
    return ratings + ["unidentified"] * unidentified


def _org_schemes(rng: np.random.Generator, org: str, org_type: str, total: int, unidentified_total: int, scale: float) -> list[dict]:
    count = scaled(SCHEMES_AT_SCALE_1[org], scale, minimum=5)
    unidentified = max(1, count // 15)
    ratings = _ratings(rng, count, unidentified)
    identified_value = split_exact((total - unidentified_total) * 100, lognormal_weights(rng, count - unidentified, 0.9))
    values = identified_value.tolist() + split_exact(unidentified_total * 100, np.ones(unidentified)).tolist()
    schemes = []
    for index, (rating, value) in enumerate(zip(ratings, values)):
        if org == ICB_CODE:
            name, impacts = _ICB_SCHEMES[index % len(_ICB_SCHEMES)]
            tranche = index // len(_ICB_SCHEMES)
            # Only the first tranche lands in providers' books: a few schemes, as in real QIPP plans.
            name, impacts = (name, impacts) if tranche == 0 else (f"{name} (tranche {tranche + 1})", None)
            category = "non_pay"
        else:
            category = str(rng.choice(list(_PROVIDER_CATEGORY_MIX), p=list(_PROVIDER_CATEGORY_MIX.values())))
            name = f"{rng.choice(_PROVIDER_SCHEMES[category])} - {rng.choice(_DIVISIONS[org_type])}"
            impacts = None
        if rating == "unidentified":
            name, impacts = f"Unidentified {category.replace('_', '-')}", None
        recurrent = "yes" if rng.random() < _RECURRENT_CHANCE[rating] else "no"
        schemes.append(
            {"org": org, "scheme_id": f"{org}-{index + 1:03d}", "scheme": name, "category": category, "recurrent": recurrent, "rating": rating, "impacts_org": impacts, "annual": value}
        )
    return schemes


def schemes(scale: float) -> Schemes:
    rng = generator("cip")
    rows = []
    for shape in PROVIDERS:
        rows += _org_schemes(rng, shape.code, shape.type, shape.cip_total, shape.unidentified_cip, scale)
    rows += _org_schemes(rng, ICB_CODE, "icb", ICB_CIP_TOTAL, ICB_UNIDENTIFIED_CIP, scale)
    rating = np.array([r["rating"] for r in rows], dtype=object)
    first = np.array([rng.integers(*_FIRST_MONTH[r]) if _FIRST_MONTH[r][0] < _FIRST_MONTH[r][1] else _FIRST_MONTH[r][0] for r in rating])
    profile = (np.arange(1, MONTHS + 1)[None, :] >= first[:, None]).astype(np.float64)
    plan = phase(np.array([r["annual"] for r in rows], dtype=np.int64), profile)
    mean, spread = (np.array([_DELIVERY[r][i] for r in rating]) for i in (0, 1))
    rate = np.maximum(rng.normal(mean, spread), 0.0)
    actual = to_pence(plan * np.maximum(rate[:, None] * rng.normal(1.0, 0.12, plan.shape), 0.0))
    confidence = rng.normal(1.0, 0.05, len(rows))
    forecasts = {}
    for close in CLOSE_MONTHS:
        belief = np.array([_FORECAST_BELIEF[close][r] for r in rating]) * confidence
        values = to_pence(plan * belief[:, None])
        values[:, :close] = 0
        forecasts[close] = values
    at_plan = (rating == "fully_developed") & (rng.random(len(rows)) < 0.2)
    column = {key: text([r[key] for r in rows]) for key in ("org", "scheme_id", "scheme", "category", "recurrent", "rating", "impacts_org")}
    return Schemes(**column, plan=plan, actual=actual, forecasts=forecasts, at_plan=at_plan)


def cip_tables(cip: Schemes, close: int) -> tuple[SheetData, SheetData]:
    """The `schemes` and `delivery` sheets at a close; delivery months written as M01..M12."""
    schemes_sheet = SheetData(
        "schemes",
        tuple(Column(name, "text", getattr(cip, name)) for name in ("org", "scheme_id", "scheme", "category", "recurrent", "rating", "impacts_org")),
    )
    count = cip.plan.shape[0]
    months = np.tile(np.arange(1, MONTHS + 1), count)
    after_close = months > close
    delivery = SheetData(
        "delivery",
        (
            Column("scheme_id", "text", np.repeat(cip.scheme_id, MONTHS)),
            Column("month", "text", text([f"M{m:02d}" for m in range(1, MONTHS + 1)] * count)),
            Column("plan", "money", cip.plan.ravel()),
            Column("actual", "money", cip.actual.ravel(), after_close),
            Column("forecast", "money", cip.forecasts[close].ravel(), ~after_close | np.repeat(cip.at_plan, MONTHS)),
        ),
    )
    return schemes_sheet, delivery

