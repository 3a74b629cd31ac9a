"""A provider's cost centres: the wards, teams and departments its ledger is booked to.

Their number is what `scale` multiplies; every other detail row hangs off them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from finmodel.example.shape import ProviderShape, scaled

CLINICAL, SUPPORT, CORPORATE = "clinical", "support", "corporate"

_CLINICAL_NAMES = {
    "acute": (
        "Emergency Department", "Acute Medical Unit", "General Medicine", "Cardiology", "Respiratory Medicine",
        "Gastroenterology", "Elderly Care", "Stroke Unit", "General Surgery", "Trauma and Orthopaedics", "Urology",
        "ENT", "Ophthalmology", "Theatres", "Critical Care", "Maternity", "Neonatal Unit", "Paediatrics", "Oncology",
        "Haematology", "Renal Medicine", "Outpatients", "Radiology", "Pathology", "Pharmacy", "Therapies",
        "Endoscopy", "Day Surgery Unit",
    ),
    "community_mh": (
        "Adult Acute Inpatients", "Psychiatric Intensive Care", "Older People's Mental Health",
        "Community Mental Health Team", "Crisis Resolution and Home Treatment", "CAMHS", "Learning Disabilities",
        "Perinatal Mental Health", "Talking Therapies", "District Nursing", "Community Hospitals",
        "Intermediate Care", "Health Visiting", "School Nursing", "Podiatry", "Community Therapies",
        "Forensic Services", "Eating Disorders",
    ),
    "ambulance": (
        "Emergency Operations Centre", "NHS 111 Call Centre", "Clinical Hub", "Hazardous Area Response Team",
        "Patient Transport Service", "Urgent Care Response", "Ambulance Station North", "Ambulance Station South",
        "Ambulance Station East", "Ambulance Station West", "Ambulance Station Central",
    ),
}  # fmt: skip
_SUPPORT_NAMES = ("Estates Maintenance", "Facilities", "Catering", "Sterile Services", "Transport and Logistics", "Fleet Workshops")
_CORPORATE_NAMES = (
    "Finance", "Human Resources", "Information Technology", "Procurement", "Chief Executive's Office",
    "Medical Director's Office", "Nursing Directorate", "Governance and Risk", "Communications",
    "Education and Training", "Research and Development", "Health Records",
)  # fmt: skip
_KIND_SHARES = {CLINICAL: 0.7, SUPPORT: 0.1, CORPORATE: 0.2}


@dataclass(frozen=True)
class CostCentres:
    codes: np.ndarray  # e.g. "NH1003"
    names: np.ndarray  # e.g. "Cardiology 2"
    kinds: np.ndarray  # clinical | support | corporate
    size: np.ndarray  # relative size, so big departments carry big budgets

    def label(self, index: int) -> str:
        """As the ledger shows it: code and name, e.g. "NH1004 Cardiology"."""
        return f"{self.codes[index]} {self.names[index]}"

    def of_kind(self, *kinds: str) -> np.ndarray:
        return np.flatnonzero(np.isin(self.kinds, kinds))

    def subset(self, rng: np.random.Generator, kinds: tuple[str, ...], share: float) -> np.ndarray:
        """A random share of the cost centres of these kinds (at least one), in ledger order."""
        eligible = self.of_kind(*kinds)
        count = max(1, int(round(share * eligible.size)))
        return np.sort(rng.choice(eligible, size=count, replace=False))


def _named(pool: tuple[str, ...], count: int) -> list[str]:
    """Names from the pool, numbered when the pool repeats (Cardiology, Cardiology 2...)."""
    return [pool[i % len(pool)] + (f" {i // len(pool) + 1}" if i >= len(pool) else "") for i in range(count)]


def cost_centres(shape: ProviderShape, scale: float, rng: np.random.Generator) -> CostCentres:
    total = scaled(shape.cost_centres, scale, minimum=3)
    counts = {kind: max(1, int(round(share * total))) for kind, share in _KIND_SHARES.items()}
    counts[CLINICAL] = max(1, total - counts[SUPPORT] - counts[CORPORATE])
    names = (
        _named(_CLINICAL_NAMES[shape.type], counts[CLINICAL])
        + _named(_SUPPORT_NAMES, counts[SUPPORT])
        + _named(_CORPORATE_NAMES, counts[CORPORATE])
    )
    kinds = [CLINICAL] * counts[CLINICAL] + [SUPPORT] * counts[SUPPORT] + [CORPORATE] * counts[CORPORATE]
    codes = [f"{shape.prefix}{1001 + i}" for i in range(len(names))]
    return CostCentres(
        np.array(codes, dtype=object), np.array(names, dtype=object), np.array(kinds, dtype=object), rng.lognormal(0.0, 0.5, len(names))
    )
