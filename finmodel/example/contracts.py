"""The ICB's contracts with the system's own providers, tagged on both sides (counterparty).

The ICB books its contract with each provider line for line as the provider books its ICB
income (the providers' ``clinical_icb`` lines), so the agreement of balances agrees, but for
one deliberate mismatch: the ICB has not booked a £0.4m CQUIN payment that Southbay
(ACUTE2) has taken as income in M5, so the trust books £0.4m more than the ICB.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from finmodel.example.lines import Lines, text
from finmodel.example.shape import ICB_CODE, PROVIDERS

# The ICB's own single contract lines these replace (their draws are still made, so every
# other line of the example keeps its figures).
REPLACED = frozenset(
    {
        "Northfield Hospitals NHS FT contract",
        "Southbay University Hospitals NHS FT contract",
        "Ambulance services 999 and 111",
        "Community and MH trust mental health contract",
        "Community and MH trust community contract",
    }
)
# The ICB's service line for a provider's ICB income line (by the provider's description).
_COMMUNITY = {"ICB community services block": "community"}
_MENTAL_HEALTH = ("ICB mental health block", "ICB mental health investment standard")
MISMATCH_ORG, MISMATCH_LINE, MISMATCH_MONTH, MISMATCH_PENCE = "ACUTE2", "ICB CQUIN and quality", 5, 40_000_000


def _service_line(description: str) -> str:
    if description in _COMMUNITY:
        return _COMMUNITY[description]
    return "mental_health" if description in _MENTAL_HEALTH else "acute"


def tagged(lines: Lines, counterparty: str) -> Lines:
    return replace(lines, labels={**lines.labels, "counterparty": text([counterparty] * len(lines))})


def icb_contracts(income: Lines, cost_centres: dict[str, str]) -> Lines:
    """The ICB's nonpay lines mirroring the providers' ICB income, tagged with each provider."""
    names = {p.code: p.name for p in PROVIDERS}
    mine = income.select((income.labels["category"] == "clinical_icb") & np.isin(income.labels["org"], list(names)))
    orgs, descriptions = mine.labels["org"], mine.labels["description"]
    services = [_service_line(d) for d in descriptions]
    actual = mine.actual.copy()
    missed = np.flatnonzero((orgs == MISMATCH_ORG) & (descriptions == MISMATCH_LINE))
    actual[missed, MISMATCH_MONTH - 1] -= MISMATCH_PENCE
    labels = {
        "org": text([ICB_CODE] * len(mine)),
        "category": text(services),
        "kind": text(["operating"] * len(mine)),
        "driver": text([None] * len(mine)),
        "cost_centre": text([cost_centres[s] for s in services]),
        "subjective": text(["60010 Healthcare purchased"] * len(mine)),
        "description": text([f"{names[o]}: {d}" for o, d in zip(orgs, descriptions)]),
        "counterparty": text(list(orgs)),
    }
    return Lines(labels, mine.plan.copy(), actual, mine.forecasts)
