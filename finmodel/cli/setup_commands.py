"""init and demo: starting a year, and seeing the whole flow on the example ICS."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finmodel.calendar import FinancialYear, close_label, month_label
from finmodel.cli.options import JsonOption
from finmodel.cli.output import out_console, print_json, refused, say, step


def init(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Where to put the year's folder, e.g. inputs.")],
    year: Annotated[str, typer.Option("--year", help="Financial year, e.g. 2024/25.")] = "2024/25",
    as_json: JsonOption = False,
) -> None:
    """Write a starter system.yaml (every key explained) and empty input workbooks with drop-downs.

    The starter's organisations are placeholders, so the workbooks offer no organisation
    code yet: name yours in system.yaml, then `finmodel templates FOLDER/<year>/M01 --force`
    writes the workbooks again with them."""
    from finmodel.templates import TemplateExists, write_templates

    try:
        fy = FinancialYear.parse(year)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--year") from exc
    try:
        written = write_templates(folder, year)
    except TemplateExists as exc:
        raise refused(str(exc)) from exc
    if as_json:
        print_json({"written": [str(p) for p in written]})
        return
    for path in written:
        say(f"Wrote {path}")
    first_close = written[1].parent
    say("\nNext steps:")
    say(f"  1. Edit {written[0]}: your system's name, organisations, agreed targets and parameters.")
    say(f"  2. finmodel templates {first_close} --force   (the workbooks again, with your codes in the drop-downs: these offer none yet)")
    say(f"  3. Fill in the workbooks in {first_close}, then: finmodel validate {first_close}")
    say(f"  4. finmodel close {first_close}   (records {close_label(fy.label, 1)} and writes its board pack)")
    say(f"  5. Each month after: finmodel templates {first_close.parent / month_label(2)} --carry-forward   (next month's folder, from the last)")


def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the example inputs, outputs and close history.")] = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Run the example ICS end to end: write its inputs, close M09 then M10 into the close
    history, write the board packs (the standard scenarios on their Scenarios sheet), and
    print the system's position and the commands to try next.

    Run again, it starts the folder afresh; it refuses (exit 3) and changes nothing while the
    history there holds work of yours (a reopening, another month, a scenario run) or one of
    the example's workbooks was edited."""
    from finmodel.cli.tables import position_table
    from finmodel.jobs import run_demo

    with step("Running the example ICS"):
        done = run_demo(out, progress=lambda _: None)
    if done.refused:
        raise refused(done.refused)
    results = done.last.outcome.results
    assert results is not None
    if as_json:
        print_json({"inputs": str(done.inputs), "db": str(done.db), "board_packs": [str(p) for p in done.board_packs]})
        return
    out_console.print(position_table(results))
    say(f"Inputs:        {done.inputs}")
    say(f"Close history: {done.db}")
    for path in done.board_packs:
        say(f"Board pack:    {path}")
    say("\nTry next:")
    for command in done.next_commands:
        say(f"  {command}")
