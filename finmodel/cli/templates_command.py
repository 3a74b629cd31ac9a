"""templates: a close folder's input workbooks, written from the current system.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from finmodel.calendar import month_label
from finmodel.cli.options import JsonOption
from finmodel.cli.output import EXIT_INVALID, findings_payload, not_found, print_findings, print_json, progress, refused, say, step

if TYPE_CHECKING:
    from finmodel.jobs.templates import TemplatesDone

FolderArgument = Annotated[
    Path, typer.Argument(metavar="FOLDER", help="The close folder to write, e.g. inputs/2024-25/M02 (system.yaml is in its parent).")
]
CarryOption = Annotated[bool, typer.Option(
    "--carry-forward",
    help="Start from the latest close folder before this month, which must validate: its rows with their "
    "plans, the actuals it knew, the forecasts for the months after this one, and the trackers and "
    "registers as they were. Only the actuals of the months since are left to fill.",
)]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Replace workbooks that are there already (all are written first, then moved into place together).",
)]


def templates(folder: FolderArgument, carry_forward: CarryOption = False, force: ForceOption = False, as_json: JsonOption = False) -> None:
    """Write a close folder's input workbooks, with the current system.yaml's codes in the drop-downs.

    Every workbook of the input contract is written to FOLDER from the system.yaml in its
    year folder as that file is now: after editing system.yaml, write them again (--force)
    and Excel's drop-downs offer your organisation codes. Nothing is written when
    system.yaml or the previous close has errors (exit 1, the findings listed), when a
    workbook is there already (exit 3) unless --force, or when --carry-forward finds no
    close folder before FOLDER (exit 4).
    """
    from finmodel.jobs.templates import write_month_templates

    try:
        with step(f"Writing the workbooks of {folder}"):
            done = write_month_templates(folder, carry_forward, force, progress=progress)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="FOLDER") from exc
    if done.refused:
        message = f"{len(done.refused)} workbook(s) exist already and were left as they are (pass --force to replace them):\n"
        message += "\n".join(f"  {p}" for p in done.refused)
        if as_json:
            print_json({"error": "refused", "message": message, "paths": [str(p) for p in done.refused]})
        raise refused(message)
    if done.nothing_to_carry:  # not found, as a close or a history that is not there
        raise not_found(done.nothing_to_carry, as_json)
    if done.problem:
        if as_json:
            print_json({**findings_payload(done.findings), "message": done.problem})
        else:
            if done.findings:
                print_findings(done.findings, False)
            say(done.problem, err=True)
        raise typer.Exit(EXIT_INVALID)
    _print_written(done, as_json)


def _print_written(done: TemplatesDone, as_json: bool) -> None:
    carried = done.carried
    to_fill = [{"workbook": w, "sheet": s, "rows": n} for w, s, n in (carried.to_fill if carried else ())]
    if as_json:
        print_json({
            "folder": str(done.folder), "written": [str(p) for p in done.written],
            "carried_from": str(done.carried_from) if done.carried_from else None, "to_fill": to_fill,
            "findings": [f.as_dict() for f in done.findings],  # system.yaml's warnings, if any
        })
        return
    if done.findings:
        print_findings(done.findings, False)
    for path in done.written:
        say(f"Wrote {path}")
    if carried is None:
        say(f"\nNext: fill in the workbooks, then: finmodel validate {done.folder}")
        return
    forecasts = f"forecasts for {_months(carried.month + 1, 12)}" if carried.month < 12 else "no forecasts (M12 ends the year)"
    say(f"\nCarried forward from {done.carried_from}: plans for M01..M12, actuals for {_months(1, carried.closed)}, "
        f"{forecasts}; schemes, packages, capital and risks as they were.")
    if not carried.rows_to_fill:
        say(f"No row needs an actual: {done.carried_from} has no monthly rows. Next: fill in the workbooks, then: finmodel validate {done.folder}")
        return
    by_sheet = ", ".join(f"{t['workbook']} '{t['sheet']}' {t['rows']:,}" for t in to_fill)
    say(f"Left to fill: the actual for {_months(carried.closed + 1, carried.month)} on {carried.rows_to_fill:,} rows ({by_sheet}).")
    say(f"Next: fill them in, then: finmodel validate {done.folder}")


def _months(first: int, last: int) -> str:
    return month_label(first) if first == last else f"{month_label(first)}..{month_label(last)}"
