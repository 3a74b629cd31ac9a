"""Does a valid scenario file fit the close it is run on?

The file is checked on its own when it is read (file.py); here its ids, organisations,
months and likelihood words are checked against the stored close and its system.yaml.
Every fault is a located finding (workbook = the scenario file, column = the key path),
all of them in one pass, so the recovery group fixes the file once.
"""

from __future__ import annotations

from finmodel.contract import PROVIDER_TYPES
from finmodel.findings import Finding
from finmodel.results import CloseResults
from finmodel.results.position import line_groups_for
from finmodel.scenarios.file import Scenario
from finmodel.system_config import SystemConfig


class ScenarioMismatch(ValueError):
    """A scenario that does not fit the close: carries the findings that say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings[:5]))
        self.findings = findings


def check_against_close(scenario: Scenario, results: CloseResults, system: SystemConfig) -> list[Finding]:
    """Every way the scenario does not fit this close: errors stop the run, warnings do not."""
    found: list[Finding] = []
    c = scenario.content
    file = scenario.file_name
    codes = [o.code for o in results.organisations]
    types = {o.code: o.type for o in results.organisations}
    icbs = [o for o in codes if types[o] == "icb"]
    register = {i.id: i for i in results.risk_register}
    words = system.parameters.likelihood_pct
    month = results.month

    def fault(column: str, kind: str, value: object, expected: str, severity: str = "error") -> None:
        found.append(Finding(file, "", None, column, kind, str(value), expected, severity))  # type: ignore[arg-type]

    def org(column: str, code: str, allowed: list[str] | None = None, what: str = "an organisation of the close") -> None:
        if code not in codes:
            fault(column, "unknown_org", code, f"{what}: one of {codes}")
        elif allowed is not None and code not in allowed:
            fault(column, "org_type_mismatch", code, f"{what}: one of {allowed}")

    def likelihood(column: str, value: object) -> None:
        if isinstance(value, str) and value not in words:
            fault(column, "bad_likelihood", value, f"0..100 or a word of system.yaml's likelihood_pct: {sorted(words)}")

    if scenario.close is not None and scenario.close != (results.year, month):
        fault("close", "wrong_close", scenario.content.close, f"the close it is run on, {results.year} M{month}")

    for item_id, change in c.changes.items():
        where = f"register.{item_id}"
        if item_id not in register:
            fault(where, "unknown_item", item_id, "the id of an item on the close's register")
            continue
        likelihood(f"{where}.likelihood", change.likelihood)
        if change.status is not None and register[item_id].type == "risk":
            fault(f"{where}.status", "scenario_yaml", change.status, "no status: status is for mitigations only")

    for i, item in enumerate(c.new_items):
        where = f"new_items.{i}"
        if item.id in register:
            fault(f"{where}.id", "duplicate_id", item.id, "an id the close's register does not use (change it under register:)")
        org(f"{where}.org", item.org)
        likelihood(f"{where}.likelihood", item.likelihood)

    providers = [o for o in codes if types[o] in PROVIDER_TYPES]
    for i, rule in enumerate(c.agency_rate_card):
        for j, code in enumerate(rule.providers):
            org(f"agency_rate_card.{i}.providers.{j}", code, providers, "a provider")
        if rule.from_month <= month:
            fault(f"agency_rate_card.{i}.from_month", "month_closed", rule.from_month,
                  f"a month after the close (M{month}): it applies from M{month + 1}, months to M{month} are actuals", "warning")

    if c.cip_delivery is not None:
        for j, code in enumerate(c.cip_delivery.organisations):
            org(f"cip_delivery.organisations.{j}", code)

    for i, packages in enumerate(c.phc_packages):
        if packages.org is not None:
            org(f"phc_packages.{i}.org", packages.org, icbs, "an ICB")
        elif not icbs:
            fault(f"phc_packages.{i}.org", "org_type_mismatch", "", "an ICB: the close has none")
        if packages.from_month is not None and packages.from_month <= month:
            fault(f"phc_packages.{i}.from_month", "month_closed", packages.from_month,
                  f"a month after the close (M{month}): packages start from M{month + 1}", "warning")

    for i, action in enumerate(c.industrial_action):
        org(f"industrial_action.{i}.org", action.org)
        if action.month <= month:
            fault(f"industrial_action.{i}.month", "month_closed", action.month,
                  f"a month after the close (M{month}): the cost of M1..M{month} is already in the actuals")

    overridden: dict[tuple[str, str], int] = {}
    for i, rule in enumerate(c.forecast_method):
        named = bool(rule.organisations)
        for j, code in enumerate(rule.organisations):
            org(f"forecast_method.{i}.organisations.{j}", code)
        for k, line in enumerate(rule.lines):
            having = [o for o in (rule.organisations or codes) if o in types and line in line_groups_for(types[o])]
            if named:
                for code in rule.organisations:
                    if code in types and line not in line_groups_for(types[code]):
                        fault(f"forecast_method.{i}.lines.{k}", "org_type_mismatch", line,
                              f"a line of {code}: one of {list(line_groups_for(types[code]))}")
            elif not having:
                fault(f"forecast_method.{i}.lines.{k}", "org_type_mismatch", line, "a line some organisation of the close has")
            for code in having:
                if (code, line) in overridden:
                    fault(f"forecast_method.{i}.lines.{k}", "duplicate_override", line,
                          f"one method per line: {code} {line} is already set by forecast_method.{overridden[(code, line)]}")
                overridden.setdefault((code, line), i)

    for i, rule in enumerate(c.risk_share):
        org(f"risk_share.{i}.org", rule.org)
        org(f"risk_share.{i}.partner", rule.partner)

    known = set(register) | {i.id for i in c.new_items}
    for group, ids in c.monte_carlo.correlation_groups.items():
        for k, item_id in enumerate(ids):
            if item_id not in known:
                fault(f"monte_carlo.correlation_groups.{group}.{k}", "unknown_item", item_id,
                      "the id of an item on the register or under new_items")
    return found
