"""The annotated example scenario: every key of the format, valid for the example ICS's M10
close, and every overlay in its bridge; docs/scenarios.md names every key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from finmodel.pipeline import close
from finmodel.scenarios.cases import ICS, standard_cases
from finmodel.scenarios.check import check_against_close
from finmodel.scenarios.file import ScenarioFile, load_scenario
from finmodel.system_config import parse_system

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "example-recovery.yaml"
DOCS = ROOT / "docs" / "scenarios.md"


def _keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every key path of the format: nested models' fields as parent.child."""
    found = set()
    for name, field in model.model_fields.items():
        key = field.alias or name
        found.add(prefix + key)
        annotation = field.annotation
        for inner in (annotation, *getattr(annotation, "__args__", ())):
            for candidate in (inner, *getattr(inner, "__args__", ())):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    found |= _keys(candidate, f"{prefix}{key}.")
    return found


def _paths(value, prefix: str = "") -> set[str]:
    found = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(prefix + str(key))
            found |= _paths(inner, f"{prefix}{key}.")
    elif isinstance(value, list):
        for inner in value:
            found |= _paths(inner, prefix)
    return found


def _normalise(paths: set[str]) -> set[str]:
    """register.<any id>.likelihood -> register.likelihood (ids are the user's)."""
    out = set()
    for path in paths:
        parts = path.split(".")
        if parts[0] == "register" and len(parts) > 1:
            parts = [parts[0], *parts[2:]] if len(parts) > 2 else [parts[0]]
        if parts[0] == "monte_carlo" and len(parts) > 2 and parts[1] == "correlation_groups":
            parts = parts[:2]
        if parts[0] == "cip_delivery" and len(parts) > 2 and parts[1] == "probability_pct":
            parts = parts[:2]
        # pooled_share.splits.<name>.<code>, pooled_share.tiers.shares.<code>: the user's codes
        if parts[0] == "pooled_share" and len(parts) > 2 and parts[1] == "splits":
            parts = parts[:2]
        if parts[0] == "pooled_share" and len(parts) > 3 and parts[1:3] == ["tiers", "shares"]:
            parts = parts[:3]
        out.add(".".join(parts))
    return out


@pytest.fixture(scope="module")
def m10(example_ics):
    outcome = close(example_ics[-1])  # only read
    assert outcome.ok
    system, _ = parse_system(outcome.inputs.system_yaml)
    return outcome.results, system


def test_the_example_uses_every_key_of_the_format():
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert _keys(ScenarioFile) == _normalise(_paths(raw))


def test_the_docs_name_every_key():
    text = DOCS.read_text(encoding="utf-8")
    missing = sorted(k for k in _keys(ScenarioFile) if f"`{k.rsplit('.', 1)[-1]}`" not in text)
    assert missing == []


def test_the_example_fits_the_example_close_and_bridges_every_overlay(m10):
    results, system = m10
    scenario, findings = load_scenario(EXAMPLE)
    assert findings == [] and scenario is not None
    assert check_against_close(scenario, results, system) == []
    summary = standard_cases(results, system, scenario, iterations=2_000)
    assert (summary.name, summary.close, summary.seed) == ("example-recovery", "2023/24 M10", 20240131)
    assert summary.file_sha256 == scenario.sha256 and len(summary.file_sha256) == 64
    assert {b.overlay for b in summary.bridge} == {
        "agency_rate_card", "cip_delivery", "phc_packages", "industrial_action", "forecast_method", "pooled_share", "risk_share",
        "register", "register_change", "risk_share_likely"}
    rows = {r.row: r for r in summary.rows}
    # The ICS row adds the organisations' deterministic cases; P10 is the adverse tail.
    for case in ("base_fot", "best", "likely", "worst", "target"):
        assert getattr(rows[ICS], case) == sum(getattr(rows[o.code], case) for o in results.organisations)
    assert rows[ICS].worst <= rows[ICS].p10 <= rows[ICS].p50 <= rows[ICS].p90 <= rows[ICS].best
