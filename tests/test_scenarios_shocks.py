"""The shock registry: every registered shock is a key of the file, checked, bridged and labelled."""

from __future__ import annotations

from finmodel.report.scenario_workbook import STEPS
from finmodel.scenarios.file import ScenarioFile
from finmodel.scenarios.overlays import apply_overlays
from finmodel.scenarios.shocks import SHOCKS
from tests.test_scenarios_overlays import EVERYTHING, RESULTS, SYSTEM, scenario


def test_the_file_has_a_key_per_shock_in_the_registry_order():
    keys = list(ScenarioFile.model_fields)
    assert keys == ["name", "description", "close", "changes", "new_items", *(s.key for s in SHOCKS), "risk_share", "monte_carlo"]
    for shock in SHOCKS:
        field = ScenarioFile.model_fields[shock.key]
        assert (field.annotation, field.default) == shock.field()


def test_every_shock_has_its_label_and_its_bridge_steps_in_registry_order():
    assert all(STEPS[s.key] == s.label and s.label for s in SHOCKS)
    overlaid = apply_overlays(RESULTS, SYSTEM, scenario(EVERYTHING))
    assert list(dict.fromkeys(i.overlay for i in overlaid.shocks)) == [s.key for s in SHOCKS]


def test_rules_are_located_by_their_key_path():
    content = scenario(EVERYTHING).content
    for shock in SHOCKS:
        for where, rule in shock.rules(content):
            assert isinstance(rule, shock.model)
            assert where == shock.key if not shock.many else where.startswith(f"{shock.key}.")


def _on_its_own(text: str) -> list[tuple[str, str, str]]:
    from finmodel.scenarios.file import parse_scenario

    _, findings = parse_scenario(text, "plan-b.yaml")
    return [(f.column, f.kind, f.expected) for f in findings]


def test_industrial_action_as_days_by_hand():
    from tests.test_scenarios_overlays import shocks_by_org

    # 2.5 days at £10,000.01 a day = £25,000.025 -> 2,500,002.5p, rounded once to 2,500,003p;
    # funded at £4,000 a day: 2.5 x 400,000p = 1,000,000p. Effect: 1,000,000 - 2,500,003.
    text = "industrial_action: [{org: ACUTE1, month: 12, days: 2.5, cost_per_day: 10_000.01, funding_per_day: 4_000}]"
    assert shocks_by_org(text) == {"ACUTE1": -1_500_003}
    # Unfunded days: funding_per_day defaults to 0. Two days at £300 = £600.
    assert shocks_by_org("industrial_action: [{org: ICB, month: M11, days: 2, cost_per_day: 300}]") == {"ICB": -600 * 100}
    # The totals as before: £100 of cost, £40 funded.
    assert shocks_by_org("industrial_action: [{org: ACUTE2, month: 11, cost: 100, funding: 40}]") == {"ACUTE2": -60 * 100}
    overlaid = apply_overlays(RESULTS, SYSTEM, scenario(text))
    assert [i.description for i in overlaid.shocks] == [
        "Industrial action M12: 2.5 days at £10,000.01 a day, funding £4,000 a day"]


def test_industrial_action_totals_and_days_together_is_a_located_finding():
    both = "industrial_action: [{org: ACUTE1, month: 12, cost: 100, days: 2, cost_per_day: 50}]"
    assert _on_its_own(both) == [("industrial_action.0", "scenario_yaml",
        "either cost and funding or days with cost_per_day and funding_per_day, not both (found cost, days, cost_per_day)")]
    assert _on_its_own("industrial_action: [{org: ACUTE1, month: 12, funding: 5, funding_per_day: 5}]")[0][0] == "industrial_action.0"
    assert _on_its_own("industrial_action: [{org: ACUTE1, month: 12, days: 2}]") == [("industrial_action.0", "scenario_yaml",
        "days and cost_per_day together (funding_per_day is optional)")]
    assert _on_its_own("industrial_action: [{org: ACUTE1, month: 12, funding: 5}]") == [("industrial_action.0", "scenario_yaml",
        "cost (with funding), or days with cost_per_day")]
    assert [c for c, _, _ in _on_its_own("industrial_action: [{org: ACUTE1, month: 12, days: 0, cost_per_day: 5}]")] == [
        "industrial_action.0.days"]
