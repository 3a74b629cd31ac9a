"""The risk and mitigation register, as it stood at each close.

Between M09 and M10 the register moves as real ones do: some mitigations progress, some
values are re-assessed, and a new industrial-action risk appears at each acute trust.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from finmodel.contract import MITIGATION_STATUSES
from finmodel.example.lines import text
from finmodel.example.shape import CLOSE_MONTHS, ICB_CODE, PROVIDERS, generator, scaled
from finmodel.example.sheet_data import Column, SheetData

# (risks, mitigations) per organisation at scale 1: 60 items in all.
_COUNTS = {"ACUTE1": (9, 6), "ACUTE2": (9, 6), "CMH": (6, 4), "AMB": (4, 3), ICB_CODE: (8, 5)}
_SIZE = {"ACUTE1": 1.0, "ACUTE2": 0.9, "CMH": 0.5, "AMB": 0.4, ICB_CODE: 1.2}  # values scale with the organisation
_PROVIDER_RISKS = (
    ("cip_delivery", "Unidentified CIP not delivered"), ("cip_delivery", "Slippage on opportunity schemes"),
    ("agency_escalation", "Escalation beds open through winter"), ("agency_escalation", "Medical agency above the cap"),
    ("inflation", "Drugs price inflation above plan"), ("inflation", "PFI and contract indexation"),
    ("erf", "ERF income below plan after strikes"), ("industrial_action", "Further consultant industrial action"),
    ("other", "Pay award funding shortfall"), ("other", "Estates emergency repairs"),
)  # fmt: skip
_ICB_RISKS = (
    ("phc", "Growth in high-cost CHC packages"), ("phc", "Fast track demand above plan"), ("phc", "Section 117 placement costs"),
    ("inflation", "Prescribing price pressures (NCSO)"), ("erf", "ERF over-performance payments"),
    ("cip_delivery", "QIPP schemes not delivered"), ("agency_escalation", "Mental health out of area placements"),
    ("other", "Independent sector activity above plan"),
)  # fmt: skip
_MITIGATIONS = (
    ("cip_delivery", "Vacancy control panel"), ("agency_escalation", "Agency rate card reduction"),
    ("agency_escalation", "Close escalation beds early"), ("other", "Balance sheet review"),
    ("other", "Non-recurrent asset sale"), ("inflation", "Drugs switching programme"),
    ("erf", "Weekend elective lists"), ("industrial_action", "National industrial action funding claim"),
)  # fmt: skip
_ICB_MITIGATIONS = (("phc", "CHC package review programme"), ("phc", "Brokerage of high-cost packages"), ("other", "Release of programme reserves"), ("inflation", "Medicines optimisation"))  # fmt: skip
_WORDS = ("low", "medium", "high", "almost_certain")
_PERCENTAGES = (20, 30, 40, 60, 70, 80, 90)


@dataclass(frozen=True)
class Item:
    id: str
    org: str
    type: str
    category: str
    description: str
    value: dict[int, int]  # close -> pence
    likelihood: object  # a word or a percentage
    status: dict[int, str | None]  # close -> status (mitigations)
    first_close: int = CLOSE_MONTHS[0]


def _likelihood(rng: np.random.Generator) -> object:
    if rng.random() < 0.6:
        return str(rng.choice(_WORDS, p=(0.2, 0.4, 0.3, 0.1)))
    return int(rng.choice(_PERCENTAGES))


def _org_items(rng: np.random.Generator, org: str, scale: float) -> list[Item]:
    risks, mitigations = (scaled(n, scale) for n in _COUNTS[org])
    risk_pool = _ICB_RISKS if org == ICB_CODE else _PROVIDER_RISKS
    mitigation_pool = _ICB_MITIGATIONS + _MITIGATIONS[3:4] if org == ICB_CODE else _MITIGATIONS
    items = []
    for kind, count, pool, median in (("risk", risks, risk_pool, 2.0e8), ("mitigation", mitigations, mitigation_pool, 1.0e8)):
        for n in range(count):
            category, description = pool[n % len(pool)]
            value = max(int(round(rng.lognormal(np.log(median * _SIZE[org]), 0.7) / 1e4)), 100) * 10_000  # whole £100s, £10k at least
            # Between the closes about a third of values are re-assessed.
            moved = int(round(value * rng.uniform(0.7, 1.15) / 1e4)) * 10_000 if rng.random() < 0.35 else value
            status: dict[int, str | None] = {close: None for close in CLOSE_MONTHS}
            if kind == "mitigation":
                start = int(rng.choice(len(MITIGATION_STATUSES), p=(0.4, 0.4, 0.2)))
                progressed = min(start + int(rng.random() < 0.3), len(MITIGATION_STATUSES) - 1)
                status = {CLOSE_MONTHS[0]: MITIGATION_STATUSES[start], CLOSE_MONTHS[1]: MITIGATION_STATUSES[progressed]}
            suffix = f" ({n // len(pool) + 1})" if n >= len(pool) else ""
            prefix = "R" if kind == "risk" else "M"
            items.append(
                Item(f"{org}-{prefix}{n + 1:02d}", org, kind, category, description + suffix, {CLOSE_MONTHS[0]: value, CLOSE_MONTHS[1]: moved}, _likelihood(rng), status)
            )
    return items


def register(scale: float) -> list[Item]:
    rng = generator("risks")
    items = [item for org in _COUNTS for item in _org_items(rng, org, scale)]
    # February's strike was announced after the M09 close: a new risk at each acute trust.
    for shape in PROVIDERS:
        if shape.type == "acute":
            number = sum(i.org == shape.code and i.type == "risk" for i in items) + 1
            value = shape.strike_cost_per_day * 5 * 100
            items.append(
                Item(
                    f"{shape.code}-R{number:02d}",
                    shape.code,
                    "risk",
                    "industrial_action",
                    "February junior doctors' strike",
                    {c: value for c in CLOSE_MONTHS},
                    "almost_certain",
                    {c: None for c in CLOSE_MONTHS},
                    first_close=CLOSE_MONTHS[1],
                )
            )
    return items


def register_table(items: list[Item], close: int) -> SheetData:
    shown = [i for i in items if i.first_close <= close]
    return SheetData(
        "register",
        (
            Column("id", "text", text([i.id for i in shown])),
            Column("org", "text", text([i.org for i in shown])),
            Column("type", "text", text([i.type for i in shown])),
            Column("category", "text", text([i.category for i in shown])),
            Column("description", "text", text([i.description for i in shown])),
            Column("value", "money", np.array([i.value[close] for i in shown], dtype=np.int64)),
            # Words as text and percentages as numbers, as registers mix them.
            Column("likelihood", "mixed", text([i.likelihood for i in shown])),
            Column("status", "text", text([i.status[close] for i in shown])),
        ),
    )
