"""The command line: a thin layer over the library. It prints; nothing below it does.

Exit codes (the same for every command):
  0  done
  1  invalid input: the findings are listed; nothing was written
  2  usage error: a missing or malformed argument
  3  refused: the close already exists (pass --reopen "reason"), or a file would be overwritten
  4  not found: no such stored close
  5  database error: unreadable, or from a newer finmodel
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from finmodel import __version__
from finmodel.calendar import FinancialYear, parse_month_code
from finmodel.findings import Finding, errors, warnings
from finmodel.money import format_millions

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_REFUSED, EXIT_NOT_FOUND, EXIT_DATABASE = 0, 1, 2, 3, 4, 5
EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 invalid input (findings listed, nothing written); 2 usage error; "
    "3 refused (close exists: pass --reopen, or a file would be overwritten); 4 stored close not found; "
    "5 database error."
)

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
out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

DbOption = Annotated[str, typer.Option("--db", help="Close history: a SQLite file path (default finmodel.db here) or a postgresql:// URL.")]
OutOption = Annotated[Path, typer.Option("--out", help="Folder for board packs and tables.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON for a machine to read.")]


def _default_db() -> str:
    from finmodel.store import DEFAULT_DB

    return str(DEFAULT_DB)


@contextmanager
def _step(message: str):
    """A spinner for steps that can take more than a second (shown on a terminal only)."""
    if err_console.is_terminal:
        with err_console.status(message):
            yield
    else:
        yield


def _progress(message: str) -> None:
    if err_console.is_terminal:
        err_console.print(f"[dim]… {message}[/dim]")


def _print_findings(findings: Sequence[Finding], as_json: bool) -> None:
    if as_json:
        payload = {
            "valid": not errors(findings),
            "errors": len(errors(findings)),
            "warnings": len(warnings(findings)),
            "findings": [f.as_dict() for f in findings],
        }
        out_console.print_json(json.dumps(payload, default=str))
        return
    current = None
    for f in findings:
        if f.workbook != current:
            current = f.workbook
            out_console.print(f"\n[bold]{current}[/bold]")
        label = "[red]error[/red]" if f.severity == "error" else "[yellow]warning[/yellow]"
        out_console.print(f"  {label} [{f.kind}] {f.message}", soft_wrap=True)
    n_err, n_warn = len(errors(findings)), len(warnings(findings))
    verdict = "invalid: nothing was written" if n_err else "valid"
    out_console.print(f"\n{n_err} error(s), {n_warn} warning(s): {verdict}")


def _period_args(year: str, month: str) -> tuple[str, int]:
    try:
        fy = FinancialYear.parse(year)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="YEAR") from exc
    number = parse_month_code(month) if not month.isdigit() else int(month)
    if number is None or not 1 <= number <= 12:
        raise typer.BadParameter(f"{month!r} is not a month M1..M12", param_hint="MONTH")
    return fy.label, number


def _summary_table(results) -> Table:  # type: ignore[no-untyped-def]
    from finmodel.results.board import ics_position

    table = Table(title=f"{results.system_name} — {results.year} M{results.month} (£m)")
    for column in ("Organisation", "YTD variance", "FOT", "Agreed target", "Gap to target"):
        table.add_column(column, justify="left" if column == "Organisation" else "right")
    rows = [(p.org, p) for p in results.positions]
    for name, p in rows:
        table.add_row(name, format_millions(p.surplus.ytd_variance), format_millions(p.surplus.fot),
                      format_millions(p.target), format_millions(p.gap_to_target))
    ics = ics_position(results)
    table.add_row("ICS total", format_millions(ics.surplus.ytd_variance), format_millions(ics.surplus.fot),
                  format_millions(ics.target), format_millions(ics.gap_to_target), style="bold")
    return table


def _database_error(exc: Exception) -> typer.Exit:
    err_console.print(f"[red]Database error:[/red] {exc}")
    return typer.Exit(EXIT_DATABASE)


@app.command(epilog=EXIT_CODES_HELP)
def validate(
    folder: Annotated[Path, typer.Argument(help="A close folder, e.g. inputs/2023-24/M10 (system.yaml is in its parent).")],
    as_json: JsonOption = False,
) -> None:
    """Check a close folder's workbooks against the input contract; write nothing.

    Lists every fault with its workbook, sheet, Excel row, column, the value found and what
    was expected, then a one-line summary. Exit 0 when valid, 1 when not.
    """
    from finmodel.validate import validate_close

    with _step(f"Validating {folder}"):
        _, findings = validate_close(folder)
    _print_findings(findings, as_json)
    raise typer.Exit(EXIT_INVALID if errors(findings) else EXIT_OK)


@app.command("close", epilog=EXIT_CODES_HELP)
def close_command(
    folder: Annotated[Path, typer.Argument(help="A close folder, e.g. inputs/2023-24/M10.")],
    db: DbOption = "",
    out: OutOption = Path("outputs"),
    reopen: Annotated[Optional[str], typer.Option("--reopen", help="Re-close a month already closed, giving the reason; the earlier version is kept.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Close the month: validate, compute, record it in the close history, write the board pack.

    Nothing is written when validation fails (exit 1). A month already closed is refused
    (exit 3) unless --reopen gives a reason.
    """
    from finmodel.store import CloseRefused, StoreError
    from finmodel.jobs import record_close

    try:
        with _step(f"Closing {folder}"):
            done = record_close(folder, db or _default_db(), out, reopen=reopen, progress=_progress)
    except CloseRefused as exc:  # already closed (pass --reopen), or a reopen with nothing to reopen
        err_console.print(f"[red]Refused:[/red] {exc}")
        raise typer.Exit(EXIT_REFUSED) from exc
    except StoreError as exc:
        raise _database_error(exc) from exc
    if not done.outcome.ok:
        _print_findings(done.outcome.findings, as_json)
        raise typer.Exit(EXIT_INVALID)
    stored = done.stored
    if as_json:
        out_console.print_json(json.dumps({
            "year": stored.year, "month": stored.month, "version": stored.version,
            "warnings": len(warnings(done.outcome.findings)), "written": [str(p) for p in done.written],
        }))
        return
    if warnings(done.outcome.findings):
        _print_findings(warnings(done.outcome.findings), False)
    out_console.print(_summary_table(done.outcome.results))
    out_console.print(f"Closed {stored.year} M{stored.month} (version {stored.version}). Wrote:")
    for path in done.written:
        if path.suffix == ".xlsx":
            out_console.print(f"  {path}")
    out_console.print(f"  and {sum(p.suffix == '.csv' for p in done.written)} tables as CSV")


@app.command(epilog=EXIT_CODES_HELP)
def history(db: DbOption = "", as_json: JsonOption = False) -> None:
    """List every close in the history, with reopenings: who, when and why."""
    from finmodel.store import StoreError, open_store

    try:
        with open_store(db or _default_db()) as store:
            closes = store.history()
    except StoreError as exc:
        raise _database_error(exc) from exc
    if as_json:
        out_console.print_json(json.dumps([
            {"year": c.year, "month": c.month, "version": c.version, "made_at": c.made_at, "made_by": c.made_by,
             "model_version": c.model_version, "reopen_reason": c.reopen_reason} for c in closes
        ]))
        return
    table = Table(title="Close history")
    for column in ("Year", "Month", "Version", "Made at", "By", "Model", "Reopened because"):
        table.add_column(column)
    for c in closes:
        table.add_row(c.year, f"M{c.month}", str(c.version), c.made_at, c.made_by, c.model_version, c.reopen_reason or "")
    out_console.print(table if closes else "No closes recorded yet.")


def _from_history(year: str, month: str, step: str, action):  # type: ignore[no-untyped-def]
    """Run ``action(label, number)`` on a stored close; an outcome with no stored close means no such close."""
    from finmodel.store import StoreError

    label, number = _period_args(year, month)
    try:
        with _step(step):
            done = action(label, number)
    except StoreError as exc:
        raise _database_error(exc) from exc
    if done.stored is None:
        err_console.print(f"No close of {label} M{number} in the history (see `finmodel history`).")
        raise typer.Exit(EXIT_NOT_FOUND)
    return done


@app.command(epilog=EXIT_CODES_HELP)
def report(
    year: Annotated[str, typer.Argument(help="Financial year, e.g. 2023/24.")],
    month: Annotated[str, typer.Argument(help="Close month, e.g. M10.")],
    db: DbOption = "",
    out: OutOption = Path("outputs"),
) -> None:
    """Re-write a stored close's board pack from the database alone (byte-identical to the close's)."""
    from finmodel.jobs import rewrite_report

    done = _from_history(year, month, "Writing the board pack", lambda y, m: rewrite_report(db or _default_db(), y, m, out))
    for path in done.written:
        if path.suffix == ".xlsx":
            out_console.print(f"Wrote {path}")


@app.command(epilog=EXIT_CODES_HELP)
def export(
    year: Annotated[str, typer.Argument(help="Financial year, e.g. 2023/24.")],
    month: Annotated[str, typer.Argument(help="Close month, e.g. M10.")],
    db: DbOption = "",
    out: OutOption = Path("outputs"),
) -> None:
    """Write a stored close's ledger and result tables as CSV for BI tools."""
    from finmodel.jobs import export_close

    for path in _from_history(year, month, "Exporting", lambda y, m: export_close(db or _default_db(), y, m, out)).written:
        out_console.print(f"Wrote {path}")


@app.command(epilog=EXIT_CODES_HELP)
def init(
    folder: Annotated[Path, typer.Argument(help="Where to put the year's folder, e.g. inputs.")],
    year: Annotated[str, typer.Option("--year", help="Financial year, e.g. 2024/25.")] = "2024/25",
) -> None:
    """Write a starter system.yaml (every key explained) and empty input workbooks with drop-downs."""
    from finmodel.templates import TemplateExists, write_templates

    try:
        FinancialYear.parse(year)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--year") from exc
    try:
        written = write_templates(folder, year)
    except TemplateExists as exc:
        err_console.print(f"[red]Refused:[/red] {exc}")
        raise typer.Exit(EXIT_REFUSED) from exc
    for path in written:
        out_console.print(f"Wrote {path}")


@app.command(epilog=EXIT_CODES_HELP)
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the example inputs, outputs and database.")] = Path("."),
) -> None:
    """Run the example ICS end to end: write its inputs, close M09 then M10, run the standard
    scenarios, write the board packs, and print the system's position."""
    from finmodel.jobs import run_demo

    with _step("Running the example ICS"):
        done = run_demo(out, progress=_progress)
    results = done.last.outcome.results
    out_console.print(_summary_table(results))
    out_console.print(f"Inputs:   {done.inputs}")
    out_console.print(f"Database: {done.db}")
    for path in done.board_packs:
        out_console.print(f"Board pack: {path}")


@app.command(epilog=EXIT_CODES_HELP)
def scenario(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML), e.g. scenarios/example-recovery.yaml.")],
    db: DbOption = "",
    out: OutOption = Path("outputs"),
    as_json: JsonOption = False,
) -> None:
    """Run scenario overlays on a stored close: best, likely, worst and Monte Carlo, with a
    bridge from base FOT; writes one workbook per scenario and a comparison. The close is not changed."""
    from finmodel.jobs import run_scenarios
    from finmodel.store import StoreError

    try:
        with _step("Running scenarios"):
            done = run_scenarios(files, db or _default_db(), out)
    except StoreError as exc:
        raise _database_error(exc) from exc
    if errors(done.findings):
        _print_findings(done.findings, as_json)
        raise typer.Exit(EXIT_INVALID)
    if done.not_found:
        err_console.print(done.not_found)
        raise typer.Exit(EXIT_NOT_FOUND)
    if done.findings and not as_json:
        _print_findings(done.findings, False)
    if as_json:
        out_console.print_json(json.dumps(done.as_dict(), default=str))
        return
    for path in done.written:
        out_console.print(f"Wrote {path}")


def _version(value: bool) -> None:
    if value:
        out_console.print(f"finmodel {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    pass


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        err_console.print("Interrupted: nothing half-written is left (every write is atomic).")
        sys.exit(130)
