"""scenario: the recovery group's run on a stored close, recorded, and compared with an earlier run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from finmodel.cli.options import DbOption, JsonOption, OutOption, history_location, missing_history
from finmodel.cli.output import EXIT_INVALID, database_error, not_found, out_console, print_findings, print_json, say, step
from finmodel.findings import errors


def _run_to_compare(value: Optional[str]) -> Optional[str]:
    if value is None or value.strip().lower() == "last" or value.strip().isdigit():
        return value
    raise typer.BadParameter(f"{value!r}: give a run id from `finmodel history` (e.g. 12), or last", param_hint="--compare-with")


CompareOption = Annotated[Optional[str], typer.Option(
    "--compare-with", metavar="RUN", callback=_run_to_compare,
    help="Compare each run with an earlier one: a run id (finmodel history lists them) or 'last', the latest "
         "earlier run of the same scenario name. Prints how the figures moved and what the file changed, and "
         "writes <name>-vs-run-<id>.xlsx.")]


def scenario(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Scenario files (YAML), e.g. scenarios/example-recovery.yaml.")],
    db: DbOption = "",
    out: OutOption = Path("outputs"),
    compare_with: CompareOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run scenario overlays on a stored close: best, likely, worst and Monte Carlo, with a
    bridge from base FOT; prints where the ICS ends the year and what is still to find, and
    writes one workbook per scenario and a comparison. Each file's run is recorded in the
    close history (finmodel history lists them); nothing is recorded when a file has errors.
    The close is not changed."""
    from finmodel.cli.shapes import run_comparison, scenario_summary
    from finmodel.cli.tables import comparison_tables, scenario_headline
    from finmodel.jobs import run_scenarios
    from finmodel.store import StoreError

    missing = missing_history(db)
    if missing:
        raise not_found(missing, as_json)
    try:
        with step("Running scenarios"):
            done = run_scenarios(files, history_location(db), out, compare_with=compare_with)
    except StoreError as exc:
        raise database_error(exc) from exc
    if errors(done.findings):
        print_findings(done.findings, as_json)
        raise typer.Exit(EXIT_INVALID)
    if done.not_found:
        raise not_found(done.not_found, as_json)
    if as_json:
        print_json({
            "scenarios": [{**scenario_summary(s), "close_version": r.close_version, "run_id": r.run_id} for s, r in zip(done.summaries, done.runs)],
            "comparisons": [run_comparison(c) for c in done.comparisons],
            "not_compared": list(done.not_compared),
            "findings": [f.as_dict() for f in done.findings],
            "written": [str(p) for p in done.written],
        })
        return
    if done.findings:
        print_findings(done.findings, False)
    out_console.print(scenario_headline(done.summaries))
    say("Recorded " + ", ".join(f"{r.name} as run {r.run_id}" for r in done.runs) + " in the close history.")
    for comparison in done.comparisons:
        for table in comparison_tables(comparison):
            out_console.print(table)
    for name in done.not_compared:
        say(f"No earlier run of {name} to compare with: this is its first.")
    for path in done.written:
        say(f"Wrote {path}")
