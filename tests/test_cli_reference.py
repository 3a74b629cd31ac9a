"""docs/cli.md is the commands' own --help: current, and covering every command."""

from pathlib import Path

from finmodel.cli_reference import cli_markdown, command_names

DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_docs_cli_md_is_current():
    assert DOCS.read_text(encoding="utf-8") == cli_markdown(), "regenerate: python -m finmodel.cli_reference > docs/cli.md"


def test_every_command_has_its_section_with_its_exit_codes():
    text = DOCS.read_text(encoding="utf-8")
    names = command_names()
    assert {"validate", "close", "history", "report", "export", "init", "demo", "scenario"} <= set(names)
    sections = text.split("\n## finmodel ")[1:]
    assert [s.split("\n", 1)[0] for s in sections] == names
    # each command names the codes in a line; their meaning is given once, under finmodel
    assert all("Exit codes: 0 done, 1 invalid input, 2 usage, 3 refused" in s for s in sections)
    assert "Exit codes: 0 done; 1 invalid input (findings listed, nothing written)" in text.split("\n## finmodel ")[0]


def test_the_reference_does_not_depend_on_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    assert cli_markdown() == DOCS.read_text(encoding="utf-8")
