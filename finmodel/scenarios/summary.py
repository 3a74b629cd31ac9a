"""What a scenario run hands to the board pack and the store: one row per organisation
and the system, in pence, with the seed that reproduces the Monte Carlo figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ScenarioRow:
    row: str  # organisation code, or "ICS" for the system
    target: int  # agreed target in force at the close
    base_fot: int  # the close's submitted FOT (after the scenario's overlays: see bridge)
    best: int  # no risks, all mitigations
    likely: int  # likelihood-weighted expected values
    worst: int  # all risks, only delivered mitigations
    p10: int  # Monte Carlo outturn percentiles (P10 = the adverse tail)
    p50: int
    p90: int
    probability_meeting_target: Decimal  # share of iterations whose outturn >= target

    @property
    def further_required_likely(self) -> int:
        return max(self.target - self.likely, 0)

    @property
    def further_required_p50(self) -> int:
        return max(self.target - self.p50, 0)

    @property
    def further_required_p90(self) -> int:
        """Further mitigations to meet the target even in the P10 (adverse) outcome, i.e. with 90% confidence."""
        return max(self.target - self.p10, 0)


@dataclass(frozen=True)
class BridgeItem:
    """One step from base FOT to scenario FOT, for the scenario workbook's bridge."""

    org: str
    overlay: str  # e.g. "agency_rate_card", "risk R12 off"
    description: str
    amount: int  # effect on surplus, pence (negative = adverse)


@dataclass(frozen=True)
class ScenarioSummary:
    name: str
    close: str  # e.g. "2023/24 M10"
    seed: int
    iterations: int
    rows: tuple[ScenarioRow, ...]
    bridge: tuple[BridgeItem, ...] = ()
    file_sha256: str = ""  # the scenario file's hash, stored with the result
