"""A scenario laid over a close: the FOT after its shocks and the register it changes.

Pure: the stored close's results and its system.yaml in, values out. The close itself is
never changed (its results are frozen; every adjusted figure here is a new value).
"""

from __future__ import annotations

from dataclasses import dataclass

from finmodel.results import CloseResults
from finmodel.results.risks import RiskItem
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.file import RiskShare, Scenario
from finmodel.scenarios.register import adjusted_register
from finmodel.scenarios.shocks import by_org, shock_items
from finmodel.scenarios.summary import BridgeItem
from finmodel.system_config import SystemConfig


@dataclass(frozen=True)
class Overlaid:
    orgs: tuple[str, ...]  # organisation codes, system.yaml order
    close_fot: tuple[int, ...]  # the close's submitted FOT (surplus), per organisation
    shocks: tuple[BridgeItem, ...]  # each parameter shock in money, in file order
    register: tuple[RiskItem, ...]  # the register every case uses, sorted by id
    register_changes: tuple[BridgeItem, ...]  # each change's effect on the likely case
    correlation_groups: tuple[tuple[str, tuple[str, ...]], ...]
    risk_share: tuple[RiskShare, ...]

    @property
    def bridge(self) -> tuple[BridgeItem, ...]:
        """Every overlay in money: the shocks (on the FOT), then the register changes (on the likely case)."""
        return self.shocks + self.register_changes

    @property
    def scenario_fot(self) -> dict[str, int]:
        """Close FOT + shocks, before any risk share: what the register's cases start from."""
        moved = by_org(self.shocks, self.orgs)
        return {o: fot + moved[o] for o, fot in zip(self.orgs, self.close_fot)}


def close_fot(results: CloseResults) -> tuple[int, ...]:
    return tuple(results.position(o.code).surplus.fot for o in results.organisations)


def unchanged(results: CloseResults) -> Overlaid:
    """The close as it stands: no shocks, the register as recorded."""
    return Overlaid(
        orgs=tuple(o.code for o in results.organisations),
        close_fot=close_fot(results),
        shocks=(),
        register=tuple(sorted(results.risk_register, key=lambda i: i.id)),
        register_changes=(),
        correlation_groups=(),
        risk_share=(),
    )


def apply_overlays(results: CloseResults, system: SystemConfig, scenario: Scenario) -> Overlaid:
    """The scenario's shocks in money and its register, on this close.

    The file is one that fits the close: check_against_close found no error in it (the
    scenario route checks each file once, before any run).
    """
    content = scenario.content
    register, changes = adjusted_register(results.risk_register, content, system)
    base = unchanged(results)
    return Overlaid(
        orgs=base.orgs,
        close_fot=base.close_fot,
        shocks=shock_items(content, CloseContext(results, system, scenario.file_name)),
        register=register,
        register_changes=changes,
        correlation_groups=tuple(sorted(content.monte_carlo.correlation_groups.items())),
        risk_share=content.risk_share,
    )
