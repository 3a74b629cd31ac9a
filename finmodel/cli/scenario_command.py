"""scenario: the recovery group's run on a stored close."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finmodel.cli.options import DbOption, JsonOption, OutOption, history_location, missing_history
from finmodel.cli.output import EXIT_INVALID, database_error, not_found, out_console, print_findings, print_json, say, step
from finmodel.cli.shapes import scenario_summary
from finmodel.cli.tables import scenario_headline
from finmodel.findings import errors


def scenario(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML), e.g. scenarios/example-recovery.yaml.")],
    db: DbOption = "",
    out: OutOption = Path("outputs"),
    as_json: JsonOption = False,
) -> None:
    """Run scenario overlays on a stored close: best, likely, worst and Monte Carlo, with a
    bridge from base FOT; prints where the ICS ends the year and what is still to find, and
    writes one workbook per scenario and a comparison. The close is not changed."""
    from finmodel.jobs import run_scenarios
    from finmodel.store import StoreError

    missing = missing_history(db)
    if missing:
        raise not_found(missing, as_json)
    try:
        with step("Running scenarios"):
            done = run_scenarios(files, history_location(db), out)
    except StoreError as exc:
        raise database_error(exc) from exc
    if errors(done.findings):
        print_findings(done.findings, as_json)
        raise typer.Exit(EXIT_INVALID)
    if done.not_found:
        raise not_found(done.not_found, as_json)
    if as_json:
        print_json({
            "scenarios": [scenario_summary(s) for s in done.summaries],
            "findings": [f.as_dict() for f in done.findings],
            "written": [str(p) for p in done.written],
        })
        return
    if done.findings:
        print_findings(done.findings, False)
    out_console.print(scenario_headline(done.summaries))
    for path in done.written:
        say(f"Wrote {path}")
