"""Every finding a scenario file can get, pinned by its exact message: one test per kind.

A message is what the recovery group reads to fix the file, so a change to one is a
change to the product and shows here. The close is the overlay tests' fixture (M10;
ACUTE1 and ACUTE2 acute providers, the ICB; register R1, R2, R3, M1, M2).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from finmodel.scenarios.check import check_against_close
from finmodel.scenarios.file import load_scenario, parse_scenario
from tests.test_scenarios_overlays import RESULTS, SYSTEM, scenario

FILE = "plan-b.yaml"
ORGS = "ACUTE1, ACUTE2, ICB"
ICB_LINES = ("allocation, acute, mental_health, community, continuing_care, primary_care, prescribing, "
             "other_commissioned, other_programme, delegated_primary_care, running_costs")
NO_ICB = dataclasses.replace(RESULTS, organisations=tuple(o for o in RESULTS.organisations if o.type != "icb"))


def on_close(text: str, results=RESULTS) -> list[tuple[str, str, str]]:
    """(kind, severity, message) of every finding of the file against the close."""
    return [(f.kind, f.severity, f.message) for f in check_against_close(scenario(text, FILE), results, SYSTEM)]


def on_its_own(text: str, name: str = FILE) -> list[tuple[str, str]]:
    loaded, findings = parse_scenario(text, name)
    assert loaded is None
    return [(f.kind, f.message) for f in findings]


def test_wrong_close():
    assert on_close("close: 2023/24 M9") == [("wrong_close", "error",
        "plan-b.yaml, column 'close': found '2023/24 M9'; expected the close it is run on, 2023/24 M10")]


def test_unknown_item():
    assert on_close("register: {R9: {include: false}}") == [("unknown_item", "error",
        "plan-b.yaml, column 'register.R9': found 'R9'; expected the id of an item on the close's register")]
    assert on_close("monte_carlo: {correlation_groups: {g: [R1, ghost]}}") == [("unknown_item", "error",
        "plan-b.yaml, column 'monte_carlo.correlation_groups.g.1': found 'ghost'; "
        "expected the id of an item on the register or under new_items")]


def test_duplicate_id():
    assert on_close("new_items: [{id: R2, org: ACUTE1, type: risk, category: other, value: 1, likelihood: 5}]") == [
        ("duplicate_id", "error", "plan-b.yaml, column 'new_items.0.id': found 'R2'; "
         "expected an id the close's register does not use (change it under register:)")]


def test_unknown_org():
    assert on_close("industrial_action: [{org: AMB, month: 12, cost: 1}]") == [("unknown_org", "error",
        f"plan-b.yaml, column 'industrial_action.0.org': found 'AMB'; expected an organisation of the close: one of {ORGS}")]
    assert on_close("risk_share: [{org: ICB, partner: NOPE, share_pct: 50}]") == [("unknown_org", "error",
        f"plan-b.yaml, column 'risk_share.0.partner': found 'NOPE'; expected an organisation of the close: one of {ORGS}")]


def test_a_mistyped_provider_is_offered_the_providers_only():
    # The ICB is not a provider, so it is not among the choices; the code meant is named.
    assert on_close("agency_rate_card: [{change_pct: 5, from_month: 11, providers: [ACUTE1, ACUTE22]}]") == [("unknown_org", "error",
        "plan-b.yaml, column 'agency_rate_card.0.providers.1': found 'ACUTE22'; expected a provider: one of ACUTE1, ACUTE2 (did you mean 'ACUTE2'?)")]


def test_org_type_mismatch():
    assert on_close("agency_rate_card: [{change_pct: 5, from_month: 11, providers: [ICB]}]") == [("org_type_mismatch", "error",
        "plan-b.yaml, column 'agency_rate_card.0.providers.0': found 'ICB'; expected a provider: one of ACUTE1, ACUTE2")]
    assert on_close("phc_packages: [{service: adult_chc, per_month: 1, weekly_cost: 10, org: ACUTE1}]") == [
        ("org_type_mismatch", "error", "plan-b.yaml, column 'phc_packages.0.org': found 'ACUTE1'; expected an ICB: one of ICB")]
    assert on_close("phc_packages: [{service: fnc, per_month: 1, weekly_cost: 7}]", NO_ICB) == [("org_type_mismatch", "error",
        "plan-b.yaml, column 'phc_packages.0.org': found nothing; expected an ICB: the close has none")]
    assert on_close("forecast_method: [{organisations: [ICB], lines: [pay], method: plan}]") == [("org_type_mismatch", "error",
        f"plan-b.yaml, column 'forecast_method.0.lines.0': found 'pay'; expected a line of ICB: one of {ICB_LINES}")]
    assert on_close("forecast_method: [{lines: [allocation], method: plan}]", NO_ICB) == [("org_type_mismatch", "error",
        "plan-b.yaml, column 'forecast_method.0.lines.0': found 'allocation'; expected a line some organisation of the close has")]


def test_bad_likelihood():
    assert on_close("register: {R1: {likelihood: sometimes}}") == [("bad_likelihood", "error",
        "plan-b.yaml, column 'register.R1.likelihood': found 'sometimes'; "
        "expected 0..100 or a word of system.yaml's likelihood_pct: almost_certain, high, low, medium")]


def test_duplicate_override():
    text = "forecast_method: [{lines: [pay], method: plan}, {organisations: [ACUTE1], lines: [pay], method: trend}]"
    assert on_close(text) == [("duplicate_override", "error",
        "plan-b.yaml, column 'forecast_method.1.lines.0': found 'pay'; "
        "expected one method per line: ACUTE1 pay is already set by forecast_method.0")]


def test_month_closed_is_an_error_for_industrial_action_and_a_warning_for_a_start_month():
    assert on_close("industrial_action: [{org: ACUTE1, month: 9, cost: 1}]") == [("month_closed", "error",
        "plan-b.yaml, column 'industrial_action.0.month': found '9'; "
        "expected a month after the close (M10): the cost of M1..M10 is already in the actuals")]
    assert on_close("agency_rate_card: [{change_pct: 5, from_month: 10}]") == [("month_closed", "warning",
        "plan-b.yaml, column 'agency_rate_card.0.from_month': found '10'; "
        "expected a month after the close (M10): it applies from M11, months to M10 are actuals")]
    assert on_close("phc_packages: [{service: fnc, per_month: 1, weekly_cost: 7, from_month: 4}]") == [("month_closed", "warning",
        "plan-b.yaml, column 'phc_packages.0.from_month': found '4'; expected a month after the close (M10): packages start from M11")]


def test_scenario_yaml():
    assert on_close("register: {R1: {status: delivered}}") == [("scenario_yaml", "error",
        "plan-b.yaml, column 'register.R1.status': found 'delivered'; expected no status: status is for mitigations only")]
    assert on_its_own("industrial_action: [{org: ACUTE1, month: 14, cost: 100}]") == [("scenario_yaml",
        "plan-b.yaml, column 'industrial_action.0.month': found '14'; expected a number at most 12")]
    assert on_its_own("register: {R2: {value: 12.345}}") == [("scenario_yaml",
        "plan-b.yaml, column 'register.R2.value': found '12.345'; expected expected pounds with at most two decimals, found '12.345'")]
    assert on_its_own("surprise: 1") == [("unknown_key", "plan-b.yaml, column 'surprise': found 'surprise'; expected a known key: unknown key "
                                          "'surprise' is not one of name, description, close, register, new_items, agency_rate_card, "
                                          "cip_delivery, phc_packages, industrial_action, forecast_method, pooled_share, risk_share, monte_carlo")]
    assert on_its_own("- a\n- b\n") == [("scenario_yaml",
        "plan-b.yaml, column '(top level)': found \"['a', 'b']\"; expected a mapping of keys such as name, register, industrial_action")]
    assert on_its_own("", "plan b.yaml") == [("scenario_yaml", "plan b.yaml, column 'name': found 'plan b'; "
        "expected a name of letters, digits, '.', '_' or '-' (the file's own name is not one: add name:)")]


def test_yaml_syntax():
    assert on_its_own("a: &x [1]\nb: *x\n") == [("yaml_syntax",
        "plan-b.yaml, row 2: found nothing; expected valid YAML (aliases (*name) are not allowed)")]
    assert on_its_own("register: {R1: [unclosed") == [("yaml_syntax",
        "plan-b.yaml, row 1: found nothing; expected valid YAML (expected ',' or ']', but got '<stream end>')")]


def test_missing_file_not_text_and_too_large(tmp_path: Path):
    (tmp_path / "latin.yaml").write_bytes("description: caf\xe9".encode("latin-1"))
    (tmp_path / "big.yaml").write_bytes(b"#" * 1_000_001)
    found = {name: [(f.kind, f.message) for f in load_scenario(tmp_path / name)[1]] for name in ("none.yaml", "latin.yaml", "big.yaml")}
    assert found == {
        "none.yaml": [("missing_file", f"none.yaml: found '{tmp_path / 'none.yaml'}'; expected a scenario file (YAML)")],
        "latin.yaml": [("not_text", "latin.yaml: found nothing; expected UTF-8 text")],
        "big.yaml": [("too_large", "big.yaml: found '1,000,001 bytes'; expected under 1 MB")],
    }
