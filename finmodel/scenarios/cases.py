"""The standard cases of a scenario, its Monte Carlo range, and the bridge that explains it.

For each organisation, from the scenario FOT (the close's submitted FOT plus the shocks):
- best: no risks, every mitigation at full value;
- likely: every item at its expected value (value x likelihood, rounded per item);
- worst: every risk at full value, only delivered mitigations;
- P10/P50/P90 and the probability of meeting the agreed target from the Monte Carlo run.
Risk-share rules then apply to each of these outturns (and to every iteration) on its own.
The ICS row adds the organisations, iteration by iteration for the Monte Carlo figures.
"""

from __future__ import annotations

import numpy as np

from finmodel.calendar import close_label
from finmodel.results import CloseResults
from finmodel.results.board import ICS  # the system row, as in the board pack
from finmodel.scenarios.file import DEFAULT_ITERATIONS, DEFAULT_SEED, Scenario
from finmodel.scenarios.montecarlo import percentile, probability_at_least, simulate
from finmodel.scenarios.overlays import Overlaid, apply_overlays, unchanged
from finmodel.scenarios.register import REGISTER_AS_CLOSED, expected_by_org, signed_value
from finmodel.scenarios.sharing import RISK_SHARE, RISK_SHARE_LIKELY, describe, share_one, share_outturns
from finmodel.scenarios.summary import BridgeItem, ScenarioRow, ScenarioSummary
from finmodel.system_config import SystemConfig

STANDARD = "standard"  # the name of the register as it stands, with no scenario file


def _cases(o: Overlaid) -> dict[str, dict[str, int]]:
    """Best, likely and worst before any risk share, by organisation."""
    start = o.scenario_fot
    best, likely, worst = dict(start), dict(start), dict(start)
    expected = expected_by_org(o.register, o.orgs)
    for org in o.orgs:
        likely[org] += expected[org]
    for item in o.register:
        if item.type == "mitigation":
            best[item.org] += item.value
            if item.status == "delivered":
                worst[item.org] += item.value
        else:
            worst[item.org] += signed_value(item)
    return {"base_fot": start, "best": best, "likely": likely, "worst": worst}


def _bridge(
    results: CloseResults, o: Overlaid, base_effects: list[dict[str, int]], likely_effects: list[dict[str, int]]
) -> tuple[BridgeItem, ...]:
    """Close FOT -> (shocks, risk share) -> scenario FOT -> (register, changes, risk share) -> likely."""
    items = list(o.shocks)
    for rule, effect in zip(o.risk_share, base_effects):
        items += [BridgeItem(org, RISK_SHARE, describe(rule), amount) for org, amount in effect.items()]
    as_closed = expected_by_org(tuple(results.risk_register), o.orgs)
    items += [BridgeItem(org, REGISTER_AS_CLOSED, "Risks and mitigations as registered, likelihood-weighted", as_closed[org])
              for org in o.orgs]
    items += o.register_changes
    for rule, base, likely in zip(o.risk_share, base_effects, likely_effects):
        items += [BridgeItem(org, RISK_SHARE_LIKELY, f"{describe(rule)}: change in the likely case", likely[org] - base[org])
                  for org in likely]
    return tuple(items)


def standard_cases(
    results: CloseResults, system: SystemConfig, scenario: Scenario | None = None,
    iterations: int = DEFAULT_ITERATIONS, seed: int = DEFAULT_SEED,
) -> ScenarioSummary:
    """Best, likely, worst and the Monte Carlo range of a scenario on a close (pure).

    ``scenario`` None is the register as it stands (the "standard" scenario). A scenario
    file's own monte_carlo.iterations and seed, when it sets them, are used instead of the
    arguments, so a file always reproduces its own figures. The file must fit the close:
    check_against_close must have found no error in it.
    """
    o = apply_overlays(results, system, scenario) if scenario is not None else unchanged(results)
    if scenario is not None:
        iterations = scenario.iterations or iterations
        seed = scenario.seed if scenario.seed is not None else seed
    targets = {org: results.position(org).target for org in o.orgs}

    cases = {}
    effects = {}
    for case, outturns in _cases(o).items():
        cases[case], effects[case] = share_one(o.risk_share, outturns, targets)

    register = simulate(o.register, o.orgs, iterations, seed, o.correlation_groups)
    start = o.scenario_fot
    simulated, _ = share_outturns(o.risk_share, {org: start[org] + register[:, k] for k, org in enumerate(o.orgs)}, targets)
    simulated[ICS] = np.sum([simulated[org] for org in o.orgs], axis=0, dtype=np.int64)
    targets[ICS] = sum(targets[org] for org in o.orgs)
    for case in cases.values():
        case[ICS] = sum(case[org] for org in o.orgs)

    rows = tuple(
        ScenarioRow(
            row=row,
            target=targets[row],
            base_fot=cases["base_fot"][row],
            best=cases["best"][row],
            likely=cases["likely"][row],
            worst=cases["worst"][row],
            p10=percentile(simulated[row], 10),
            p50=percentile(simulated[row], 50),
            p90=percentile(simulated[row], 90),
            probability_meeting_target=probability_at_least(simulated[row], targets[row]),
        )
        for row in (*o.orgs, ICS)
    )
    return ScenarioSummary(
        name=scenario.name if scenario is not None else STANDARD,
        close=close_label(results.year, results.month),
        seed=seed,
        iterations=iterations,
        rows=rows,
        bridge=_bridge(results, o, effects["base_fot"], effects["likely"]),
        file_sha256=scenario.sha256 if scenario is not None else "",
    )
