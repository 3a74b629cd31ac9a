"""docs/cli.md, generated from the commands' own --help, so the reference cannot drift.

Regenerate with ``python -m finmodel.cli_reference > docs/cli.md``; a test checks the file
is current. The help is rendered at a fixed width, so the text is the same on any terminal.
"""

from __future__ import annotations

from typer.testing import CliRunner

WIDTH = "88"
INTRO = """# Command reference

Generated from each command's `--help` by `python -m finmodel.cli_reference > docs/cli.md`
(a test fails when this file is not current). Every command prints the same help with
`finmodel COMMAND --help`.
"""


def _help(args: list[str]) -> str:
    from finmodel.cli import app

    result = CliRunner().invoke(app, [*args, "--help"], prog_name="finmodel", env={"COLUMNS": WIDTH, "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())


def command_names() -> list[str]:
    from finmodel.cli import app

    return [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]


def cli_markdown() -> str:
    parts = [INTRO, "## finmodel\n", "```text", _help([]), "```\n"]
    for name in command_names():
        parts += [f"## finmodel {name}\n", "```text", _help([name]), "```\n"]
    return "\n".join(parts)


if __name__ == "__main__":
    print(cli_markdown(), end="")
