"""The fictional Example ICS: its organisations, their budgets and the year's story.

Every figure a finance director would recognise is set here, in pounds, so the story of
the example (off plan, agency over the cap, CIP slipping, PHC overspending, industrial
action only part-funded) can be read and tuned in one place. The generators only add
detail (cost centres, subjectives, packages) and noise around these figures.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from finmodel.calendar import FinancialYear

EXAMPLE_SEED = 20240131
YEAR = FinancialYear(2023)
CLOSE_MONTHS = (9, 10)
SYSTEM_NAME = "Example ICS"
ICB_CODE = "ICB"
ICB_NAME = "NHS Example Integrated Care Board"

# Strike days in each month of 2023/24 (junior doctors and consultants): April, June to
# October, December and January were struck; February's strike lies after both closes.
STRIKE_DAYS = (4, 0, 3, 7, 6, 4, 3, 0, 3, 6, 5, 0)

# The one re-phasing between the closes: at M10 the organisation re-profiles its energy
# budget, moving this much plan from an already-closed month into February.
REPHASE_ORG = "ACUTE2"
REPHASE_PENCE = 20_000_000
REPHASE_FROM_MONTH = 8
REPHASE_TO_MONTH = 11


def _frozen(mapping: dict[str, int]) -> Mapping[str, int]:
    return MappingProxyType(mapping)


@dataclass(frozen=True)
class ProviderShape:
    """One provider's plan (annual £) and how its year turns out."""

    code: str
    name: str
    type: str
    prefix: str  # cost centre code prefix
    cost_centres: int  # at scale 1
    pay: int
    agency_pct: float  # planned agency, share of pay
    bank_pct: float
    other_pay_pct: float
    nonpay: Mapping[str, int]  # operating non-pay by category
    non_operating: Mapping[str, int]
    income: Mapping[str, int]  # every income category but clinical_icb, which balances the plan
    planned_surplus: int
    unidentified_cip: int  # the unmet efficiency target, its own (negative) budget line
    cip_total: int  # the year's efficiency programme, all schemes
    agency_growth: float  # agency actual / plan
    vacancy_rate: float  # substantive underspend on clinical staff
    bank_growth: float  # bank actual / plan - 1
    erf_performance: float  # ERF actual / plan - 1
    strike_cost_per_day: int
    strike_funded_share: float  # share of strike cost the national funding met
    agency_cap: int | None = None  # NHS England's explicit annual cap, where one was set
    prior_year_outturn: int = 0


PROVIDERS: tuple[ProviderShape, ...] = (
    ProviderShape(
        code="ACUTE1",
        name="Northfield Hospitals NHS Foundation Trust",
        type="acute",
        prefix="NH",
        cost_centres=62,
        pay=560_000_000,
        agency_pct=0.034,
        bank_pct=0.05,
        other_pay_pct=0.012,
        nonpay=_frozen(
            {
                "Drugs": 95_000_000,
                "Clinical supplies": 70_000_000,
                "Energy": 14_000_000,
                "Premises": 22_000_000,
                "PFI unitary charge": 18_000_000,
                "IT": 12_000_000,
                "Other non-pay": 43_000_000,
            }
        ),
        non_operating=_frozen({"Depreciation": 40_000_000, "Interest": 8_000_000, "PDC dividend": 18_000_000}),
        income=_frozen({"clinical_other": 48_000_000, "erf": 30_000_000, "national_funding": 8_000_000, "other_operating": 45_000_000}),
        planned_surplus=0,
        unidentified_cip=5_000_000,
        cip_total=36_000_000,
        agency_growth=1.45,
        vacancy_rate=0.022,
        bank_growth=0.10,
        erf_performance=0.07,
        strike_cost_per_day=260_000,
        strike_funded_share=0.5,
        agency_cap=19_400_000,
        prior_year_outturn=-4_200_000,
    ),
    ProviderShape(
        code="ACUTE2",
        name="Southbay University Hospitals NHS Foundation Trust",
        type="acute",
        prefix="SB",
        cost_centres=56,
        pay=500_000_000,
        agency_pct=0.035,
        bank_pct=0.052,
        other_pay_pct=0.012,
        nonpay=_frozen(
            {
                "Drugs": 80_000_000,
                "Clinical supplies": 62_000_000,
                "Energy": 12_000_000,
                "Premises": 28_000_000,
                "IT": 11_000_000,
                "Other non-pay": 38_000_000,
            }
        ),
        non_operating=_frozen({"Depreciation": 32_000_000, "Interest": 2_000_000, "PDC dividend": 14_000_000}),
        income=_frozen({"clinical_other": 40_000_000, "erf": 28_000_000, "national_funding": 7_000_000, "other_operating": 38_000_000}),
        planned_surplus=0,
        unidentified_cip=8_000_000,
        cip_total=32_000_000,
        agency_growth=1.55,
        vacancy_rate=0.02,
        bank_growth=0.12,
        erf_performance=-0.10,
        strike_cost_per_day=230_000,
        strike_funded_share=0.5,
        prior_year_outturn=-9_800_000,
    ),
    ProviderShape(
        code="CMH",
        name="Example Community and Mental Health NHS Trust",
        type="community_mh",
        prefix="CM",
        cost_centres=40,
        pay=305_000_000,
        agency_pct=0.04,
        bank_pct=0.06,
        other_pay_pct=0.01,
        nonpay=_frozen(
            {
                "Drugs": 12_000_000,
                "Clinical supplies": 9_000_000,
                "Energy": 5_000_000,
                "Premises": 18_000_000,
                "IT": 10_000_000,
                "Purchase of healthcare": 75_000_000,
                "Other non-pay": 25_000_000,
            }
        ),
        non_operating=_frozen({"Depreciation": 10_000_000, "Interest": 1_000_000, "PDC dividend": 4_500_000}),
        income=_frozen({"clinical_other": 30_000_000, "national_funding": 5_000_000, "other_operating": 22_000_000}),
        planned_surplus=1_500_000,
        unidentified_cip=2_500_000,
        cip_total=15_000_000,
        agency_growth=1.3,
        vacancy_rate=0.03,
        bank_growth=0.08,
        erf_performance=0.0,
        strike_cost_per_day=20_000,
        strike_funded_share=0.6,
        prior_year_outturn=1_200_000,
    ),
    ProviderShape(
        code="AMB",
        name="Example Ambulance Service NHS Foundation Trust",
        type="ambulance",
        prefix="AM",
        cost_centres=26,
        pay=240_000_000,
        agency_pct=0.01,
        bank_pct=0.03,
        other_pay_pct=0.015,
        nonpay=_frozen(
            {
                "Fleet and fuel": 18_000_000,
                "Clinical supplies": 8_000_000,
                "Energy": 3_000_000,
                "Premises": 9_000_000,
                "IT": 14_000_000,
                "Subcontracted services": 15_000_000,
                "Other non-pay": 30_000_000,
            }
        ),
        non_operating=_frozen({"Depreciation": 14_000_000, "Interest": 1_000_000, "PDC dividend": 4_000_000}),
        income=_frozen({"clinical_other": 14_000_000, "national_funding": 6_000_000, "other_operating": 10_000_000}),
        planned_surplus=0,
        unidentified_cip=1_500_000,
        cip_total=10_000_000,
        agency_growth=1.2,
        vacancy_rate=0.015,
        bank_growth=0.05,
        erf_performance=0.0,
        strike_cost_per_day=8_000,
        strike_funded_share=0.6,
        prior_year_outturn=300_000,
    ),
)
PROVIDER_BY_CODE = {p.code: p for p in PROVIDERS}
ORG_CODES = (*(p.code for p in PROVIDERS), ICB_CODE)

# The ICB's efficiency (QIPP) programme and its unidentified part, £.
ICB_CIP_TOTAL = 28_000_000
ICB_UNIDENTIFIED_CIP = 6_000_000
ICB_PRIOR_YEAR_OUTTURN = 0

# Targets agreed for the year (plans were set to them), then the H2 re-forecast from M7,
# when NHS England accepted deficits for the acute trusts and the ICB and CMH's planned
# surplus was given up; the M10 forecasts are worse still, so further mitigations are needed.
TARGETS = {"ACUTE1": 0, "ACUTE2": 0, "CMH": 1_500_000, "AMB": 0, "ICB": 0}
H2_FROM_MONTH = 7
H2_TARGETS = {"ACUTE1": -9_000_000, "ACUTE2": -18_000_000, "CMH": 0, "ICB": -15_000_000}

IFRS16_ALLOCATION = 7_500_000


def generator(part: str) -> np.random.Generator:
    """The seeded random stream of one part of the example.

    Each part (pay, phc, cip, ...) draws from its own stream, so changing how one part is
    generated never changes another's figures.
    """
    return np.random.default_rng(np.random.SeedSequence(EXAMPLE_SEED, spawn_key=(zlib.crc32(part.encode()),)))


def scaled(count: int, scale: float, minimum: int = 1) -> int:
    """How many of a detail item at this scale (at least `minimum`, so every kind appears)."""
    return max(minimum, int(round(count * scale)))
