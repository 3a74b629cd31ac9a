"""What the commands print, and the exit codes they end with.

Text that came from an input (a cell, a code, a file name) is printed literally: it is
never read as console markup, so ``[bold]RDZ`` in a cell shows as typed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from finmodel.cli.findings_view import findings_text
from finmodel.findings import Finding, count, errors, warnings

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_REFUSED, EXIT_NOT_FOUND, EXIT_DATABASE, EXIT_PACK_NOT_WRITTEN = 0, 1, 2, 3, 4, 5, 6
EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 invalid input (findings listed, nothing written); 2 usage error (e.g. --out "
    "cannot be written; nothing written); 3 refused (close exists: pass --reopen; or an annotated pack would "
    "be overwritten: pass --force); 4 not found (no such close or history); 5 database error; 6 the close "
    "was recorded but its board pack could not be written (fix the cause, then run finmodel report)."
)
# Under each command's help: the codes in a line, their meaning once, under finmodel --help.
EXIT_CODES_SHORT = "Exit codes: 0 done, 1 invalid input, 2 usage, 3 refused, 4 not found, 5 database, 6 pack not written (finmodel --help says more)."

out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
_SEVERITY_STYLE = {"error": "red", "warning": "yellow"}


def say(text: str, *, err: bool = False, style: str = "") -> None:
    """A line printed as it is: no markup, no highlighting."""
    (err_console if err else out_console).print(Text(text, style=style), soft_wrap=True)


def print_json(payload: Any) -> None:
    out_console.print_json(json.dumps(payload, default=str))


@contextmanager
def step(message: str) -> Iterator[None]:
    """A spinner for steps that can take more than a second (shown on a terminal only)."""
    if err_console.is_terminal:
        with err_console.status(Text(message)):
            yield
    else:
        yield


def progress(message: str) -> None:
    if err_console.is_terminal:
        err_console.print(Text(f"… {message}", style="dim"))


def findings_payload(findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "valid": not errors(findings),
        "errors": count(errors(findings)),  # every fault, those past a kind's cap included
        "warnings": count(warnings(findings)),
        "findings": [f.as_dict() for f in findings],
    }


def print_findings(findings: Sequence[Finding], as_json: bool) -> None:
    """Grouped at the terminal (errors first, rows as ranges); one by one with --json (up
    to a kind's cap on a sheet, then one summary saying how many more, as ``more``)."""
    if as_json:
        print_json(findings_payload(findings))
        return
    lines = findings_text(findings)
    for line in lines[:-1]:
        severity = line.split(" ", 1)[0]
        text = Text("  ")
        text.append(severity, style=_SEVERITY_STYLE.get(severity, ""))
        text.append(line[len(severity):])
        out_console.print(text, soft_wrap=True)
    say(lines[-1])


def pack_set_lines(written: Sequence[Path]) -> list[str]:
    """A board pack set as a person takes it in: the workbook, how many tables as CSV and
    where, and the findings file (which is not one of the tables)."""
    from finmodel.jobs.pack_files import FINDINGS_CSV  # already imported by the job that wrote them

    lines = [f"  {p}" for p in written if p.suffix == ".xlsx"]
    tables = [p for p in written if p.suffix == ".csv" and p.name != FINDINGS_CSV]
    if tables:
        lines.append(f"  {len(tables)} tables as CSV in {tables[0].parent}")
    findings = [f"  the findings in {p}" for p in written if p.name == FINDINGS_CSV]
    # Only a pack re-written from the history into a new folder has none (jobs.pack_files.kept_findings).
    return lines + (findings or ["  (no findings file: the close history keeps none, and none was here to keep; finmodel validate lists them)"])


def usage_problem(message: str, as_json: bool = False) -> typer.Exit:
    if as_json:
        print_json({"error": "usage", "message": message})
    err_console.print(Text.assemble(("Not done: ", "red"), message, "; nothing was recorded or written."), soft_wrap=True)
    return typer.Exit(EXIT_USAGE)


def stop_unless_writable(done: Any, as_json: bool) -> None:
    """A job's outcome that says the pack could not, or may not, be written: exit 2 or 3."""
    if done.unwritable:
        raise usage_problem(done.unwritable, as_json)
    if done.refused:
        if as_json:
            print_json({"error": "refused", "message": done.refused})
        raise refused(done.refused)


def refused(message: str) -> typer.Exit:
    err_console.print(Text.assemble(("Refused: ", "red"), message), soft_wrap=True)
    return typer.Exit(EXIT_REFUSED)


def database_error(exc: Exception) -> typer.Exit:
    err_console.print(Text.assemble(("Database error: ", "red"), str(exc)), soft_wrap=True)
    return typer.Exit(EXIT_DATABASE)


def not_found(message: str, as_json: bool = False) -> typer.Exit:
    if as_json:
        print_json({"error": "not_found", "message": message})
    else:
        say(message, err=True)
    return typer.Exit(EXIT_NOT_FOUND)


def pack_not_written(stored: Any, problem: str, as_json: bool) -> typer.Exit:
    from finmodel.calendar import close_label

    label = close_label(stored.year, stored.month)
    message = (f"{label} was recorded (version {stored.version}), but its board pack could not be written: {problem}. "
               f"Fix that, then write the pack with: finmodel report {label}")
    if as_json:
        print_json({"error": "pack_not_written", "message": message})
    err_console.print(Text.assemble(("Recorded, pack not written: ", "red"), message), soft_wrap=True)
    return typer.Exit(EXIT_PACK_NOT_WRITTEN)
