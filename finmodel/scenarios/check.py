"""Does a valid scenario file fit the close it is run on?

The file is checked on its own when it is read (file.py); here its ids, organisations,
months and likelihood words are checked against the stored close and its system.yaml.
Every fault is a located finding (workbook = the scenario file, column = the key path),
all of them in one pass, so the recovery group fixes the file once. Nothing here raises:
the caller runs the overlays only when no finding is an error.
"""

from __future__ import annotations

from finmodel.calendar import close_label
from finmodel.findings import Finding
from finmodel.results import CloseResults
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.file import Scenario, ScenarioFile
from finmodel.scenarios.shocks import SHOCKS
from finmodel.system_config import SystemConfig


def check_against_close(scenario: Scenario, results: CloseResults, system: SystemConfig) -> list[Finding]:
    """Every way the scenario does not fit this close: errors stop the run, warnings do not."""
    close = CloseContext(results, system, scenario.file_name)
    content = scenario.content
    found = check_close(scenario, close) + check_register(content, close) + check_new_items(content, close)
    for shock in SHOCKS:
        found += shock.check(shock.rules(content), close)
    return found + check_risk_share(content, close) + check_monte_carlo(content, close)


def check_close(scenario: Scenario, close: CloseContext) -> list[Finding]:
    """A file that names its close runs on that close only."""
    results = close.results
    if scenario.close is None or scenario.close == (results.year, results.month):
        return []
    return [close.fault("close", "wrong_close", scenario.content.close, f"the close it is run on, {close_label(results.year, results.month)}")]


def check_register(content: ScenarioFile, close: CloseContext) -> list[Finding]:
    """Changes name items on the close's register; only mitigations have a status."""
    found: list[Finding] = []
    for item_id, change in content.changes.items():
        where = f"register.{item_id}"
        if item_id not in close.register:
            found.append(close.fault(where, "unknown_item", item_id, "the id of an item on the close's register"))
            continue
        found += close.likelihood(f"{where}.likelihood", change.likelihood)
        if change.status is not None and close.register[item_id].type == "risk":
            found.append(close.fault(f"{where}.status", "scenario_yaml", change.status, "no status: status is for mitigations only"))
    return found


def check_new_items(content: ScenarioFile, close: CloseContext) -> list[Finding]:
    """New items need new ids, an organisation of the close and a likelihood it can read."""
    found: list[Finding] = []
    for i, item in enumerate(content.new_items):
        where = f"new_items.{i}"
        if item.id in close.register:
            found.append(close.fault(f"{where}.id", "duplicate_id", item.id,
                                     "an id the close's register does not use (change it under register:)"))
        found += close.org(f"{where}.org", item.org)
        found += close.likelihood(f"{where}.likelihood", item.likelihood)
    return found


def check_risk_share(content: ScenarioFile, close: CloseContext) -> list[Finding]:
    return [f for i, rule in enumerate(content.risk_share)
            for f in close.org(f"risk_share.{i}.org", rule.org) + close.org(f"risk_share.{i}.partner", rule.partner)]


def check_monte_carlo(content: ScenarioFile, close: CloseContext) -> list[Finding]:
    """Correlation groups name items the cases will hold: the register's or the file's new ones."""
    known = set(close.register) | {i.id for i in content.new_items}
    return [
        close.fault(f"monte_carlo.correlation_groups.{group}.{k}", "unknown_item", item_id,
                    "the id of an item on the register or under new_items")
        for group, ids in content.monte_carlo.correlation_groups.items()
        for k, item_id in enumerate(ids) if item_id not in known
    ]
