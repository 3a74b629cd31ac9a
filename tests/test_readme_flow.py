"""The README, followed as a new analyst follows it: its first command, then every
`finmodel` command it shows after it, as written (no flag the README does not show), in a
fresh copy of the project's folder; each succeeds."""

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmodel.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """Every `finmodel …` command in the README's code blocks and tables, in order."""
    found = []
    for line in README.splitlines():
        cells = re.findall(r"`(finmodel [^`]+)`", line) if line.startswith("|") else []
        code = re.match(r"^(?:.*&& )?(finmodel [^#]+?)\s*(?:#.*)?$", line)
        if cells:
            found += cells
        elif code and not line.startswith(("from", ">>>")):
            found.append(code.group(1))
    return [c for c in found if "YEAR" not in c and "FOLDER" not in c]


def test_the_readme_shows_the_demo_first_and_then_the_month_s_commands():
    commands = readme_commands()
    assert commands[0] == "finmodel demo"
    assert {c.split()[1] for c in commands} >= {"demo", "history", "report", "export", "scenario", "validate", "close", "init"}


def test_every_readme_command_succeeds_after_the_demo(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in readme_commands():
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}: exit {result.exit_code}\n{result.output}"
    assert (tmp_path / "finmodel.db").is_file() and not (tmp_path / "finmodel-demo.db").exists()
    assert (tmp_path / "outputs/2023-24/M10/export/ledger.csv").is_file()
    assert (tmp_path / "new-system/2024-25/system.yaml").is_file()


@pytest.mark.parametrize("command", ["history", "report 2023/24 M10", "export 2023/24 M10", "scenario scenarios/example-recovery.yaml"])
def test_a_command_that_only_reads_never_creates_a_history(tmp_path, monkeypatch, command):
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, shlex.split(command))
    assert result.exit_code == 4
    assert "No close history at finmodel.db" in result.output
    assert not (tmp_path / "finmodel.db").exists()
