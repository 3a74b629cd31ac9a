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

## --json: one shape for every command

Every command takes `--json` and then prints one JSON document for a machine to read:

- money is pounds as a decimal string to the penny, as in the tidy CSV: `"-19422885.66"`
  (never a float, so no figure is rounded on the way);
- a probability is a number: `0.0425`;
- a close is `{"year": "2023/24", "month": "M10"}`, and a stored close adds its `version`,
  `made_at` (ISO 8601 UTC), `made_by`, `model_version` and `reopen_reason`;
- findings are listed whole, each with `workbook`, `sheet`, `row`, `column`, `kind`,
  `value`, `expected`, `severity` and `message` (the terminal shows them grouped);
- files written are listed under `written`;
- a refusal or a miss is `{"error": "refused" | "not_found" | "usage" | "pack_not_written",
  "message": "..."}`, with the exit code below.

## Exit codes

0 done; 1 invalid input (the findings are listed and nothing was written); 2 usage error
(e.g. `--out` cannot be written: nothing was recorded); 3 refused (the month is already
closed: pass `--reopen "reason"`; or the board pack was annotated since finmodel wrote it:
pass `--force`, and the annotated one is kept beside the new); 4 not found (no such close,
or no close history there); 5 database error (`finmodel close` refuses a SQLite `--db` that
cannot work, a missing folder, a folder or a file that is not SQLite, before it reads any
workbook); 6 the close was recorded but its board pack could not be written (fix the
cause, then `finmodel report YEAR MONTH`).
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
