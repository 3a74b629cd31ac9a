"""Every command's --json in the one shape of docs/cli.md, and the scenario headline as a
person reads it: run on the example ICS as the README runs it."""

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmodel.cli import app

ROOT = Path(__file__).resolve().parent.parent
POUNDS = re.compile(r"^-?\d+\.\d{2}$")
CLOSE = {"year": "2023/24", "month": "M10"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("json")
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    return root


def _json(folder: Path, monkeypatch, *args: str):
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_command_speaks_the_one_shape(folder, monkeypatch):
    demo = _json(folder, monkeypatch, "demo")
    assert demo["db"] == "finmodel.db" and len(demo["board_packs"]) == 2
    validate = _json(folder, monkeypatch, "validate", "inputs/2023-24/M10")
    assert validate["valid"] is True and validate["errors"] == 0 and len(validate["findings"]) == validate["warnings"]
    closed = _json(folder, monkeypatch, "close", "inputs/2023-24/M10", "--reopen", "late PHC invoices")
    assert closed["close"] == CLOSE and closed["version"] == 2 and closed["reopen_reason"] == "late PHC invoices"
    assert closed["made_at"].endswith("Z") and all(Path(p).is_file() for p in closed["written"])
    history = _json(folder, monkeypatch, "history")
    assert [(c["close"], c["version"]) for c in history] == [({"year": "2023/24", "month": "M09"}, 1), (CLOSE, 1), (CLOSE, 2)]
    assert history[-1]["board_pack"] == "current" and history[1]["board_pack"] is None
    for command in ("report", "export"):
        written = _json(folder, monkeypatch, command, "2023/24", "M10")
        assert written["close"] == CLOSE and written["version"] == 2 and written["written"]
    scenario = _json(folder, monkeypatch, "scenario", "scenarios/example-recovery.yaml")
    (run,) = scenario["scenarios"]
    assert run["close"] == CLOSE and isinstance(run["seed"], int)
    ics = next(r for r in run["rows"] if r["row"] == "ICS")
    assert all(POUNDS.match(ics[k]) for k in ("target", "scenario_fot", "likely", "p10", "p50", "p90", "further_required_p10"))
    assert isinstance(ics["probability_meeting_target"], float) and 0 <= ics["probability_meeting_target"] <= 1
    assert all(POUNDS.match(b["amount"]) for b in run["bridge"])
    init = _json(folder, monkeypatch, "init", "new-system", "--year", "2024/25")
    assert init["written"][0].endswith("system.yaml")


def test_a_miss_and_a_refusal_are_json_too(folder, monkeypatch):
    monkeypatch.chdir(folder)
    missing = CliRunner().invoke(app, ["report", "2023/24", "M11", "--json"])
    assert missing.exit_code == 4 and json.loads(missing.stdout)["error"] == "not_found"
    again = CliRunner().invoke(app, ["close", "inputs/2023-24/M09", "--json"])
    assert again.exit_code == 3 and json.loads(again.stdout)["error"] == "refused"


def test_the_scenario_headline_says_where_the_ics_ends_the_year(folder, monkeypatch):
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(app, ["scenario", "scenarios/example-recovery.yaml"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    payload = json.loads(CliRunner().invoke(app, ["scenario", "scenarios/example-recovery.yaml", "--json"]).stdout)
    ics = next(r for r in payload["scenarios"][0]["rows"] if r["row"] == "ICS")
    lines = result.output.splitlines()
    assert any("Scenarios on 2023/24 M10: the ICS (£m)" in line for line in lines)

    def shown(label: str) -> str:
        line = next(line for line in lines if label in line)
        return line.split("│")[2].strip()

    def millions(pounds: str) -> str:
        value = round(float(pounds) / 1e6, 1)
        return f"({abs(value):.1f})" if value < 0 else f"{value:.1f}"

    assert shown("Scenario FOT") == millions(ics["scenario_fot"])
    assert shown("P10 (adverse)") == millions(ics["p10"]) and shown("Likely") == millions(ics["likely"])
    assert shown("Further mitigations needed (P10)") == millions(ics["further_required_p10"])
    assert shown("Chance of meeting the target").endswith("%")
