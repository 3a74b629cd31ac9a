"""The scenario file: located findings as for system.yaml, and the checks against a close."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from finmodel.findings import errors, warnings
from finmodel.scenarios.check import check_against_close
from finmodel.scenarios.file import load_scenario, parse_scenario
from finmodel.scenarios.overlays import apply_overlays
from tests.test_scenarios_overlays import RESULTS, SYSTEM, scenario


def columns(text: str, name: str = "plan-b.yaml") -> set[tuple[str, str]]:
    loaded, findings = parse_scenario(text, name)
    assert loaded is None and findings
    assert all(f.workbook == name and f.severity == "error" for f in findings)
    return {(f.column, f.kind) for f in findings}


def test_an_empty_file_is_the_register_as_it_stands_named_by_the_file(tmp_path: Path):
    path = tmp_path / "plan-b.yaml"
    path.write_text("", encoding="utf-8")
    loaded, findings = load_scenario(path)
    assert findings == [] and loaded is not None
    assert (loaded.name, loaded.close, loaded.seed, loaded.iterations) == ("plan-b", None, None, None)
    assert loaded.sha256 == hashlib.sha256(b"").hexdigest()


def test_every_key_parses_in_the_units_finance_staff_write():
    s = scenario("""
name: plan-b
close: 2023/24 M10
register: {R1: {likelihood: high}, M2: {value: 1_234.56, status: delivered}, R2: {include: false, likelihood: 12.5}}
new_items: [{id: N1, org: ICB, type: risk, category: phc, value: 10, likelihood: "40%"}]
agency_rate_card: [{change_pct: -7.5, from_month: M11, framework: off}]
phc_packages: [{service: fnc, per_month: 1.5, weekly_cost: 800}]
monte_carlo: {iterations: 5_000, seed: 1}
""")
    c = s.content
    assert s.name == "plan-b" and s.close == ("2023/24", 10)
    assert c.changes["R1"].likelihood == "high" and c.changes["R2"].likelihood == Decimal("12.5")
    assert c.changes["M2"].value == 123_456  # pence
    assert c.new_items[0].likelihood == Decimal(40)
    # YAML reads a bare `off` as false; the file means the framework.
    assert c.agency_rate_card[0].framework == "off" and c.agency_rate_card[0].from_month == 11
    assert c.phc_packages[0].per_month == Decimal("1.5") and c.phc_packages[0].weekly_cost == 80_000
    assert (s.iterations, s.seed) == (5_000, 1)


def test_faults_are_named_by_key_path_all_in_one_pass():
    found = columns("""
close: 2023/24 M13
register: {R1: {likelihood: 150}, R2: {value: 12.345}}
new_items:
  - {id: N1, org: ICB, type: risk, category: weather, value: 10, likelihood: 40, status: delivered}
  - {id: N1, org: ICB, type: mitigation, category: phc, value: -5, likelihood: 40}
agency_rate_card: [{change_pct: -10}]
industrial_action: [{org: acute1, month: 14, cost: 100}]
forecast_method: [{lines: [theatres], method: guess}]
risk_share: [{org: ICB, partner: ICB, share_pct: 50}, {org: ICB, partner: ACUTE1, share_pct: 33.333}]
monte_carlo: {iterations: 0}
surprise: 1
""")
    expected = {
        ("close", "scenario_yaml"),
        ("register.R1.likelihood", "scenario_yaml"),
        ("register.R2.value", "scenario_yaml"),
        ("new_items.0.category", "scenario_yaml"),
        ("new_items.1.value", "scenario_yaml"),
        ("agency_rate_card.0.from_month", "scenario_yaml"),
        ("industrial_action.0.org", "scenario_yaml"),
        ("industrial_action.0.month", "scenario_yaml"),
        ("forecast_method.0.lines.0", "scenario_yaml"),
        ("forecast_method.0.method", "scenario_yaml"),
        ("risk_share.0", "scenario_yaml"),
        ("risk_share.1.share_pct", "scenario_yaml"),
        ("monte_carlo.iterations", "scenario_yaml"),
        ("surprise", "unknown_key"),
    }
    assert found == expected
    # A rule across several values is checked once the values themselves are right.
    assert columns("monte_carlo: {correlation_groups: {a: [R1], b: [R1, R2]}}") == {("monte_carlo", "scenario_yaml")}
    assert columns("new_items: [{id: N1, org: ICB, type: risk, category: phc, value: 1, likelihood: 1, status: delivered}]") == {
        ("new_items.0", "scenario_yaml")}


def test_yaml_faults_and_unsafe_files_get_one_clear_finding(tmp_path: Path):
    loaded, findings = parse_scenario("a: &x [1, 2]\nb: *x\n", "alias.yaml")
    assert loaded is None and [(f.kind, f.row, f.workbook) for f in findings] == [("yaml_syntax", 2, "alias.yaml")]
    assert columns("- just\n- a list\n") == {("(top level)", "scenario_yaml")}
    assert parse_scenario("register: {R1: [unclosed", "x.yaml")[1][0].kind == "yaml_syntax"
    missing = load_scenario(tmp_path / "none.yaml")[1]
    assert [(f.kind, f.workbook) for f in missing] == [("missing_file", "none.yaml")]
    (tmp_path / "latin.yaml").write_bytes("description: caf\xe9".encode("latin-1"))
    assert load_scenario(tmp_path / "latin.yaml")[1][0].kind == "not_text"
    (tmp_path / "big.yaml").write_bytes(b"#" * 1_000_001)
    assert load_scenario(tmp_path / "big.yaml")[1][0].kind == "too_large"
    # A file whose own name cannot name an output needs a name: key.
    assert columns("", "plan b.yaml") == {("name", "scenario_yaml")}
    assert columns("name: ../../etc") == {("name", "scenario_yaml")}


def test_what_does_not_fit_the_close_is_located_too():
    s = scenario("""
close: 2023/24 M9
register: {R9: {include: false}, R1: {status: delivered, likelihood: sometimes}}
new_items: [{id: R2, org: AMB, type: risk, category: other, value: 1, likelihood: 5}]
agency_rate_card: [{change_pct: 5, from_month: 11, providers: [ICB]}]
cip_delivery: {probability_pct: {opportunity: 10}, organisations: [CMH]}
phc_packages: [{service: adult_chc, per_month: 1, weekly_cost: 10, org: ACUTE1}]
industrial_action: [{org: ACUTE1, month: 9, cost: 1}]
forecast_method:
  - {organisations: [ICB], lines: [pay], method: plan}
  - {lines: [income], method: plan}
  - {organisations: [ACUTE1], lines: [income], method: trend}
risk_share: [{org: ICB, partner: NOPE, share_pct: 50}]
monte_carlo: {correlation_groups: {g: [R1, ghost]}}
""")
    found = {(f.column, f.kind) for f in check_against_close(s, RESULTS, SYSTEM)}
    assert found == {
        ("close", "wrong_close"),
        ("register.R9", "unknown_item"),
        ("register.R1.likelihood", "bad_likelihood"),
        ("register.R1.status", "scenario_yaml"),
        ("new_items.0.id", "duplicate_id"),
        ("new_items.0.org", "unknown_org"),
        ("agency_rate_card.0.providers.0", "org_type_mismatch"),
        ("cip_delivery.organisations.0", "unknown_org"),
        ("phc_packages.0.org", "org_type_mismatch"),
        ("industrial_action.0.month", "month_closed"),
        ("forecast_method.0.lines.0", "org_type_mismatch"),
        ("forecast_method.2.lines.0", "duplicate_override"),
        ("risk_share.0.partner", "unknown_org"),
        ("monte_carlo.correlation_groups.g.1", "unknown_item"),
    }


def test_a_file_that_fits_has_no_findings_and_warnings_do_not_stop_it():
    s = scenario("close: 2023/24 M10\nphc_packages: [{service: fnc, per_month: 1, weekly_cost: 7, from_month: 4}]")
    findings = check_against_close(s, RESULTS, SYSTEM)
    assert errors(findings) == [] and [f.column for f in warnings(findings)] == ["phc_packages.0.from_month"]
    assert apply_overlays(RESULTS, SYSTEM, s).shocks[0].org == "ICB"


_ANY = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
_KEYS = st.sampled_from(["name", "close", "register", "new_items", "agency_rate_card", "cip_delivery", "phc_packages",
                         "industrial_action", "forecast_method", "risk_share", "monte_carlo", "description"])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_KEYS, _ANY, max_size=4))
def test_any_yaml_gets_a_scenario_or_findings_never_a_traceback(raw):
    loaded, findings = parse_scenario(yaml.safe_dump(raw), "fuzz.yaml")
    assert (loaded is None) == bool(findings)
    assert all(f.workbook == "fuzz.yaml" and f.kind for f in findings)
