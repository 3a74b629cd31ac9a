"""Results of a close: typed, immutable, computed from the validated inputs and the ledger.

No I/O here. ``compute_results`` is the one function the pipeline calls; every table of
the board pack, every stored figure and every scenario reads what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pydantic import TypeAdapter

from finmodel.close_inputs import CloseInputs
from finmodel.results.agreement import Agreement, compute_agreement
from finmodel.results.agency import AgencyDetail, AgencyOrg, compute_agency, compute_agency_detail
from finmodel.results.capital import CapitalOrg, compute_capital
from finmodel.results.cip import CipScheme, CipSummary, compute_schemes, summarise_cip
from finmodel.results.drivers import OrgDrivers, compute_drivers
from finmodel.results.forecast import ChallengeRow, compute_challenge
from finmodel.results.income import OrgIncome, compute_income_categories
from finmodel.results.phc import HighCostBand, PhcService, compute_high_cost, compute_phc
from finmodel.results.pooled import PartnerInfo, PooledFund, compute_funds, compute_shares, with_shares
from finmodel.results.pooled_shares import ShareOutcome
from finmodel.results.position import OrgPosition, compute_positions
from finmodel.results.risks import RiskItem, RiskSummary, register_items, summarise_by_category, summarise_by_org
from finmodel.results.segments import SegmentPosition, compute_segments
from finmodel.results.underlying import Underlying, compute_underlying


@dataclass(frozen=True)
class OrgInfo:
    code: str
    name: str
    type: str


@dataclass(frozen=True)
class CloseResults:
    system_name: str
    year: str  # "2023/24"
    month: int  # the close month M
    organisations: tuple[OrgInfo, ...]  # in system.yaml (board-pack) order
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    positions: tuple[OrgPosition, ...]
    challenge: tuple[ChallengeRow, ...]
    drivers: tuple[OrgDrivers, ...]
    cip_schemes: tuple[CipScheme, ...]
    cip: tuple[CipSummary, ...]
    agency: tuple[AgencyOrg, ...]
    agency_detail: tuple[AgencyDetail, ...]
    phc: tuple[PhcService, ...]
    phc_high_cost: tuple[HighCostBand, ...]
    capital: tuple[CapitalOrg, ...]
    ifrs16_allocation: int
    risk_register: tuple[RiskItem, ...]
    risks: tuple[RiskSummary, ...]
    risk_categories: tuple[RiskSummary, ...]
    # Each provider's income by category (results/subjective.py builds the trust I&E from it).
    # Empty for a close stored before categories were kept: it still loads, without them.
    income_categories: tuple[OrgIncome, ...] = ()
    # Defaults, so a close stored before these existed still reads back.
    segments: tuple[SegmentPosition, ...] = ()  # of organisations with segment_by, in system.yaml order
    # The custom table files the close was reported with, (file name, text): kept with the
    # results so `finmodel report` re-writes the same pack from the close history alone.
    custom_tables: tuple[tuple[str, str], ...] = ()
    # FOT -> underlying position -> exit run rate (results/underlying.py); None for a close
    # stored before it was computed.
    underlying: Underlying | None = None
    # Flows between organisations as both sides report them (counterparty); empty for a close
    # stored before counterparties were read, or where no row names one.
    agreement: Agreement = Agreement()
    # Pooled budgets (results/pooled.py): partners outside the ICS, the funds of pooled.xlsx and
    # each share rule's outcome; each NHS organisation's share is already in its position.
    partners: tuple[PartnerInfo, ...] = ()
    pooled_funds: tuple[PooledFund, ...] = ()
    pool_shares: tuple[ShareOutcome, ...] = ()

    def org(self, code: str) -> OrgInfo:
        return next(o for o in self.organisations if o.code == code)

    def position(self, code: str) -> OrgPosition:
        return next(p for p in self.positions if p.org == code)

    @property
    def provider_codes(self) -> tuple[str, ...]:
        from finmodel.contract import is_provider

        return tuple(o.code for o in self.organisations if is_provider(o.type))

    @property
    def icb_codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.organisations if o.type == "icb")


def compute_results(inputs: CloseInputs, ledger: pd.DataFrame) -> CloseResults:
    system, month = inputs.system, inputs.period.month
    phc = compute_phc(inputs.phc_budget, inputs.phc_packages, system, month)
    funds = compute_funds(inputs.pooled_funds, inputs.pooled_contributions, inputs.pooled_schemes, month)
    ledger_positions = compute_positions(ledger, system, month)
    first_icb = system.icbs[0].code if system.icbs else ""
    shares = compute_shares(system.share_rules, funds, phc, ledger_positions, first_icb)
    positions = with_shares(ledger_positions, shares)
    schemes = compute_schemes(inputs.cip_schemes, inputs.cip_delivery, system, month)
    cip = summarise_cip(schemes, system)
    register = register_items(inputs.risks)
    return CloseResults(
        system_name=system.system,
        year=system.year,
        month=month,
        organisations=tuple(OrgInfo(o.code, o.name, o.type) for o in system.organisations),
        groups=tuple((name, tuple(codes)) for name, codes in system.groups.items()),
        positions=positions,
        challenge=compute_challenge(ledger, system, month),
        drivers=compute_drivers(ledger, system, month, {c.row: c.ytd_variance for c in cip}),
        cip_schemes=schemes,
        cip=cip,
        agency=compute_agency(ledger, inputs.agency, system, month),
        agency_detail=compute_agency_detail(inputs.agency, month),
        phc=phc,
        phc_high_cost=compute_high_cost(inputs.phc_packages, system, month),
        capital=compute_capital(inputs.capital, system),
        ifrs16_allocation=system.capital.ifrs16_allocation,
        risk_register=register,
        risks=summarise_by_org(register, positions),
        risk_categories=summarise_by_category(register),
        income_categories=compute_income_categories(ledger, system, month),
        segments=compute_segments(ledger, system, month),
        underlying=compute_underlying(positions, ledger, inputs.cip_schemes, inputs.cip_delivery, system, month),
        agreement=compute_agreement(ledger, system, month),
        partners=tuple(PartnerInfo(p.code, p.name, p.type) for p in system.partners),
        pooled_funds=funds,
        pool_shares=shares,
    )


_ADAPTER = TypeAdapter(CloseResults)


def results_to_json(results: CloseResults) -> str:
    """Deterministic JSON text (what the store keeps): Decimals as strings, no floats."""
    return _ADAPTER.dump_json(results).decode("utf-8")


def results_from_json(text: str) -> CloseResults:
    return _ADAPTER.validate_json(text)
