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
