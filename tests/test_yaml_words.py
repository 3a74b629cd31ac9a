"""system.yaml and scenario files are answered in the finance team's words, never pydantic's."""

import pytest

from finmodel.scenarios.file import parse_scenario
from finmodel.system_config import parse_system
from tests.builders import TINY_SYSTEM

LIBRARY_WORDS = ("Input should", "Extra inputs", "Field required", "String should", "Value error", "validation error", "pydantic")


def _system(old: str, new: str):
    config, findings = parse_system(TINY_SYSTEM.replace(old, new, 1))
    assert config is None
    return findings


def test_an_unknown_key_is_named_with_the_keys_allowed_there_and_the_nearest():
    (finding,) = _system("agency_cap: 12_000}", "agency_cap: 12_000, short_nam: A2}")
    assert (finding.column, finding.kind, finding.value) == ("organisations.1.short_nam", "unknown_key", "short_nam")
    assert finding.message == (
        "system.yaml, column 'organisations.1.short_nam': found 'short_nam'; expected a known key: unknown key "
        "'short_nam' is not one of code, name, short_name, type, agency_cap, prior_year_outturn, segment_by, segments "
        "(did you mean 'short_name'?)"
    )


def test_a_near_miss_is_suggested():
    (finding,) = _system("capital: {ifrs16_allocation: 5_000}", "capital: {ifrs16_alocation: 5_000}")
    assert finding.expected == "a known key: unknown key 'ifrs16_alocation' is not one of ifrs16_allocation (did you mean 'ifrs16_allocation'?)"


def test_a_scenario_file_s_unknown_key_names_its_aliased_keys_too():
    _, findings = parse_scenario("register: {R1: {likelyhood: 5}}\n", "x.yaml")
    assert [f.expected for f in findings] == [
        "a known key: unknown key 'likelyhood' is not one of include, likelihood, value, status (did you mean 'likelihood'?)"]
    _, findings = parse_scenario("registr: {}\n", "x.yaml")
    assert findings[0].kind == "unknown_key" and "register" in findings[0].expected and "did you mean 'register'?" in findings[0].expected


@pytest.mark.parametrize("old, new, expected", [
    ("type: acute}", "type: accute}", "one of 'acute', 'community_mh', 'ambulance', 'specialist', 'icb' or 'other'"),
    ("agency_cap_pct: 5", "agency_cap_pct: lots", "a number"),
    ("  run_rate_months: 2", "  run_rate_months: 0", "a number at least 1"),
    ("{code: ICB,", "{code: icb1,", "an organisation code: capital letters, digits and _, starting with a letter (e.g. ACUTE1)"),
    ("{code: ICB, name: The ICB, type: icb}", "{code: ICB, type: icb}", "a value here: this key is required"),
])
def test_value_faults_say_what_was_expected_in_plain_words(old, new, expected):
    findings = _system(old, new)
    assert expected in [f.expected for f in findings]
    assert not any(w in f.message for f in findings for w in LIBRARY_WORDS)
