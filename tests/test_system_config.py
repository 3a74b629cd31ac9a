"""system.yaml: the starter shape parses; faults are named by key path."""

from pathlib import Path

from finmodel.system_config import load_system, parse_system
from tests.builders import TINY_SYSTEM


def _kinds(text):
    config, findings = parse_system(text)
    return config, {(f.column, f.kind) for f in findings}, findings


def test_tiny_system_parses_with_defaults():
    config, findings = parse_system(TINY_SYSTEM)
    assert findings == []
    assert config.target("ACUTE1", 2) == 0 and config.target("ACUTE1", 3) == -500_00
    assert config.parameters.materiality == 500_000_00  # the default
    assert config.parameters.phc.high_cost_weekly == 7_000_00
    assert [o.code for o in config.providers] == ["ACUTE1", "ACUTE2"]
    assert config.organisation("ACUTE2").agency_cap == 12_000_00


def test_faults_are_named_by_key_path():
    text = TINY_SYSTEM.replace("agency_cap: 12_000", "agency_cap: 12.345").replace("run_rate_months: 2", "run_rate_months: 0")
    config, kinds, findings = _kinds(text)
    assert config is None
    columns = {f.column for f in findings}
    assert any(c.startswith("organisations.1.agency_cap") for c in columns)
    assert "parameters.run_rate_months" in columns
    assert all(f.workbook == "system.yaml" for f in findings)


def test_missing_target_and_unknown_codes():
    text = TINY_SYSTEM.replace("targets: {ACUTE1: 0, ACUTE2: -1_000, ICB: 0}", "targets: {ACUTE1: 0, ICB: 0, NOPE: 1}")
    config, _, findings = _kinds(text)
    assert config is None
    assert [(f.column, f.value, f.expected) for f in findings] == [
        ("targets", "", "an agreed target for ACUTE2 (write ACUTE2: 0 for break-even)"),
        ("targets.NOPE", "NOPE", "an organisation code of system.yaml: ACUTE1, ACUTE2, ICB"),
    ]


def test_a_mistyped_code_is_every_fault_it_makes_in_one_run():
    # An analyst types CHM for CMH as the target's key, and in a revision and a group: the
    # missing target, and each unknown code where it stands, with the code meant.
    text = (
        "year: 2023/24\nsystem: S\norganisations:\n"
        "  - {code: ACUTE1, name: A, type: acute}\n  - {code: CMH, name: M, type: community_mh}\n  - {code: ICB, name: I, type: icb}\n"
        "  - {code: ICB, name: Twice, type: icb}\n"
        "targets: {ACUTE1: 0, CHM: 0, ICB: 0}\n"
        "target_revisions:\n  - {from_month: 6, reason: H2 plan, targets: {CHM: -100}}\n"
        "groups: {community: [CHM, ACUTE1]}\n"
    )
    config, findings = parse_system(text)
    assert config is None
    listing = "an organisation code of system.yaml: ACUTE1, CMH, ICB (did you mean 'CMH'?)"
    assert [(f.column, f.value, f.expected) for f in findings] == [
        ("organisations.3.code", "ICB", "each organisation's code once (organisations.2 is also ICB)"),
        ("targets", "", "an agreed target for CMH (write CMH: 0 for break-even)"),
        ("targets.CHM", "CHM", listing),
        ("target_revisions.0.targets.CHM", "CHM", listing),
        ("groups.community.0", "CHM", listing),
    ]
    assert all(f.kind == "system_yaml" and f.workbook == "system.yaml" for f in findings)


def test_a_system_config_built_in_code_still_refuses_inconsistency():
    import pytest
    from pydantic import ValidationError

    from finmodel.system_config import SystemConfig

    with pytest.raises(ValidationError, match="an agreed target for B"):
        SystemConfig.model_validate({
            "year": "2023/24", "system": "S", "targets": {"A": 0},
            "organisations": [{"code": "A", "name": "A", "type": "acute"}, {"code": "B", "name": "B", "type": "icb"}],
        })


def test_aliases_are_refused():
    config, findings = parse_system("a: &x [1, 2]\nb: *x\n")
    assert config is None and findings[0].kind == "yaml_syntax" and findings[0].row == 2


def test_missing_file_is_a_finding(tmp_path: Path):
    config, findings = load_system(tmp_path / "system.yaml")
    assert config is None and findings[0].kind == "missing_file"


def test_a_key_given_twice_is_an_error_with_both_lines():
    # PyYAML keeps the last of two equal keys: a target typed twice would move silently.
    text = TINY_SYSTEM.replace("targets: {ACUTE1: 0, ACUTE2: -1_000, ICB: 0}", "targets: {ACUTE1: 0, ACUTE2: -1_000, ICB: 0}\ntargets: {ACUTE1: 0, ACUTE2: -5_000, ICB: 0}")
    line = text.splitlines().index("targets: {ACUTE1: 0, ACUTE2: -5_000, ICB: 0}") + 1
    config, findings = parse_system(text)
    assert config is None
    assert [(f.workbook, f.row, f.column, f.kind) for f in findings] == [("system.yaml", line, "targets", "duplicate_key")]
    assert findings[0].message == (
        f"system.yaml, row {line}, column 'targets': found 'targets'; expected each key once in its mapping (it is first given on line {line - 1})"
    )


def test_a_repeated_key_deep_in_a_mapping_is_found_too():
    config, findings = parse_system("year: 2024/25\nparameters:\n  materiality: 1\n  materiality: 2\n")
    assert config is None and [(f.row, f.kind, f.value) for f in findings] == [(4, "duplicate_key", "materiality")]
