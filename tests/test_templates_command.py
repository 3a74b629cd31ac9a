"""`finmodel templates FOLDER`: the month's workbooks written again from the current
system.yaml, refused over existing files unless --force, and never written from a
system.yaml with errors."""

import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from finmodel.cli import app
from finmodel.contract import WORKBOOKS
from finmodel.system_config import Organisation, Parameters, SystemConfig
from finmodel.system_template import system_yaml
from finmodel.templates import write_templates

FILES = [w.filename for w in WORKBOOKS]


def own_system() -> SystemConfig:
    """What an analyst's edited system.yaml holds: real codes, and their own likelihood words."""
    return SystemConfig(
        year="2024/25",
        system="Dorset ICS",
        organisations=(
            Organisation(code="RDZ", name="University Hospitals Dorset", type="acute"),
            Organisation(code="RBD", name="Dorset County Hospital", type="acute"),
            Organisation(code="QVV", name="NHS Dorset ICB", type="icb"),
        ),
        targets={"RDZ": 0, "RBD": 0, "QVV": 0},
        parameters=Parameters(likelihood_pct={"remote": 10, "possible": 50, "likely": 80}),
    )


def run(*args: str):
    return CliRunner().invoke(app, ["templates", *map(str, args)], env={"COLUMNS": "200"})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def year(tmp_path) -> Path:
    """init's files, then system.yaml edited as the docs say."""
    write_templates(tmp_path, "2024/25")
    folder = tmp_path / "2024-25"
    (folder / "system.yaml").write_text(system_yaml(own_system()), encoding="utf-8")
    return folder


def _list(formula: str) -> list[str]:
    assert formula.startswith('"') and formula.endswith('"'), formula
    return formula[1:-1].split(",")


def lists_by_column(path: Path, sheet: str) -> dict[str, list[str]]:
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    out = {}
    for dv in ws.data_validations.dataValidation:
        letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
        column = header[[get_column_letter(i + 1) for i in range(len(header))].index(letter)]
        out[column] = _list(dv.formula1) if dv.type == "list" else []  # [] a prompt alone, no list
    return out


def test_the_drop_downs_take_the_codes_of_system_yaml_as_it_is_now(year):
    m01 = year / "M01"
    assert lists_by_column(m01 / "income.xlsx", "income")["org"] == []  # init's placeholders are offered nowhere
    result = run(m01, "--force")
    assert result.exit_code == 0, result.output
    for name in ("income", "pay", "nonpay", "agency"):
        assert lists_by_column(m01 / f"{name}.xlsx", name)["org"] == ["RDZ", "RBD", "QVV"]
    schemes = lists_by_column(m01 / "cip.xlsx", "schemes")
    assert schemes["org"] == ["RDZ", "RBD", "QVV"] and schemes["impacts_org"] == ["RDZ", "RBD"]  # where an ICB scheme saves: a provider
    assert lists_by_column(m01 / "phc.xlsx", "budget")["org"] == ["QVV"]  # PHC is the ICB's
    register = lists_by_column(m01 / "risks.xlsx", "register")
    assert register["org"] == ["RDZ", "RBD", "QVV"] and register["likelihood"] == ["remote", "possible", "likely"]
    assert lists_by_column(m01 / "pay.xlsx", "pay")["pay_type"] == ["substantive", "bank", "agency", "other"]
    assert "Wrote" in result.output and f"finmodel validate {m01}" in result.output


def test_existing_workbooks_are_refused_and_left_byte_for_byte(year):
    before = snapshot(year / "M01")
    result = run(year / "M01")
    assert result.exit_code == 3
    assert "9 workbook(s) exist already" in result.output and "--force" in result.output
    assert snapshot(year / "M01") == before

    # One workbook there is enough to refuse, and the others are not written either.
    m02 = year / "M02"
    m02.mkdir()
    (m02 / "pay.xlsx").write_bytes(b"mine")
    result = run(m02, "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["paths"] == [str(m02 / "pay.xlsx")]
    assert snapshot(m02) == {"pay.xlsx": b"mine"}


def test_force_replaces_every_workbook(year):
    before = snapshot(year / "M01")
    result = run(year / "M01", "--force", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["written"] == [str(year / "M01" / f) for f in FILES]
    after = snapshot(year / "M01")
    assert sorted(after) == sorted(FILES)  # no temporary file left beside them
    assert all(after[f] != before[f] for f in FILES)
    assert run(year / "M01", "--force").exit_code == 0
    assert snapshot(year / "M01") == after  # the same system.yaml writes the same bytes


def test_a_failure_while_writing_leaves_every_workbook_as_it_was(year, monkeypatch):
    import finmodel.jobs.templates as job

    real, calls = job.workbook_bytes, []

    def fails_on_the_fifth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(job, "workbook_bytes", fails_on_the_fifth)
    before = snapshot(year / "M01")
    with pytest.raises(OSError):
        job.write_month_templates(year / "M01", force=True)
    assert snapshot(year / "M01") == before


def test_a_system_yaml_with_errors_gives_its_findings_and_writes_nothing(year):
    text = (year / "system.yaml").read_text(encoding="utf-8")
    (year / "system.yaml").write_text(text.replace("type: icb", "type: ICB_TYPE"), encoding="utf-8")
    before = snapshot(year / "M01")
    result = run(year / "M01", "--force", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False and "nothing was written" in payload["message"]
    assert [(f["workbook"], f["kind"]) for f in payload["findings"] if f["severity"] == "error"][0][0] == "system.yaml"
    assert any("ICB_TYPE" in f["value"] for f in payload["findings"])
    assert snapshot(year / "M01") == before
    result = run(year / "M02")
    assert result.exit_code == 1 and "system.yaml" in result.output
    assert not (year / "M02").exists()


def test_a_system_yaml_of_another_year_is_an_error(year):
    text = (year / "system.yaml").read_text(encoding="utf-8")
    (year / "system.yaml").write_text(text.replace("year: 2024/25", "year: 2025/26"), encoding="utf-8")
    result = run(year / "M02", "--json")
    assert result.exit_code == 1
    assert [f["kind"] for f in json.loads(result.stdout)["findings"]] == ["wrong_year"]
    assert not (year / "M02").exists()


def test_a_missing_system_yaml_is_an_error(tmp_path):
    result = run(tmp_path / "2024-25" / "M01")
    assert result.exit_code == 1 and "missing_file" in result.output
    assert not (tmp_path / "2024-25").exists()


def test_a_folder_not_named_as_a_close_is_a_usage_error(year):
    for name in ("June", "M13"):
        result = run(year / name)
        assert result.exit_code == 2 and "FOLDER" in result.output
        assert not (year / name).exists()
    result = run(year.parent / "2024" / "M01")
    assert result.exit_code == 2


def test_carry_forward_needs_an_earlier_close_that_validates(year):
    before = snapshot(year / "M01")
    result = run(year / "M01", "--carry-forward", "--force")
    assert result.exit_code == 4 and "No close folder before M01" in result.output  # not found, as docs/cli.md says
    assert snapshot(year / "M01") == before

    # M01 holds init's workbooks (header only, so they validate with today's codes too);
    # a file that is not a workbook does not, and nothing is written.
    (year / "M01" / "pay.xlsx").write_bytes(b"not a workbook")
    result = run(year / "M03", "--carry-forward", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert "M01 does not validate" in payload["message"]
    # pay.xlsx is not a workbook; header-only income and nonpay leave the providers without rows.
    assert "pay.xlsx" in {f["workbook"] for f in payload["findings"] if f["severity"] == "error"}
    assert not (year / "M03").exists()


def test_init_names_the_templates_command_as_it_is(tmp_path):
    result = CliRunner().invoke(app, ["init", str(tmp_path), "--year", "2024/25"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    m01 = tmp_path / "2024-25" / "M01"
    assert f"finmodel templates {m01} --force" in result.output
    assert f"finmodel templates {tmp_path / '2024-25' / 'M02'} --carry-forward" in result.output
    # And the commands named work as printed.
    (tmp_path / "2024-25" / "system.yaml").write_text(system_yaml(own_system()), encoding="utf-8")
    assert run(m01, "--force").exit_code == 0
    # M02 carries from M01 once M01 is filled in: its header-only workbooks are not a close yet.
    carried = run(tmp_path / "2024-25" / "M02", "--carry-forward")
    assert carried.exit_code == 1 and "M01 does not validate" in carried.output
