"""The command line: a thin layer over the library. It prints; nothing below it does.

Exit codes (the same for every command):
  0  done
  1  invalid input: the findings are listed; nothing was written
  2  usage error: a missing or malformed argument
  3  refused: the close already exists (pass --reopen "reason"), or a file would be overwritten
  4  not found: no such stored close, or no close history where one was named
  5  database error: unreadable, or from a newer finmodel
"""

from __future__ import annotations

import gc
import sys
from typing import Annotated

import typer

from finmodel import __version__
from finmodel.cli.close_commands import close_command, history, validate
from finmodel.cli.output import EXIT_CODES_HELP, EXIT_CODES_SHORT, err_console, say
from finmodel.cli.scenario_command import scenario
from finmodel.cli.setup_commands import demo, init
from finmodel.cli.stored_commands import export, report
from finmodel.cli.templates_command import templates

app = typer.Typer(
    help=(
        "finmodel: the financial position and forecast model for an NHS Integrated Care System. "
        "Validate the month's input workbooks, close the month into the close history, write the "
        "board finance tables, and run recovery scenarios.\n\n" + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

# In the order a month's work goes, each with a summary that fits the command list.
for name, command, summary in (
    ("validate", validate, "Check a close folder: every fault located, every warning."),
    ("close", close_command, "Close the month: validate, record, write the board pack."),
    ("history", history, "Every close and reopening (who, when, why), and scenario runs."),
    ("report", report, "Write a stored close's board pack again, from the history."),
    ("export", export, "A stored close's ledger and result tables as CSV."),
    ("init", init, "A starter system.yaml and empty workbooks for a new system."),
    ("templates", templates, "A close folder's workbooks, your codes in the drop-downs."),
    ("demo", demo, "The example ICS end to end, in this folder."),
    ("scenario", scenario, "Scenarios on a stored close: where the year ends, what is left."),
):
    app.command(name, short_help=summary, epilog=EXIT_CODES_SHORT)(command)


def show_version(value: bool) -> None:
    if value:
        say(f"finmodel {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    pass


def main() -> None:
    # What the imports made lives as long as the process: the collector need not walk it again.
    gc.freeze()
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        err_console.print("Interrupted: nothing half-written is left (every write is atomic).")
        sys.exit(130)
