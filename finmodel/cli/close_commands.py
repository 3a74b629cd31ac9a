"""validate, close and history: the monthly close at the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from finmodel.calendar import close_label
from finmodel.cli.options import DbOption, ForceOption, JsonOption, OutOption, history_location, missing_history
from finmodel.cli.output import (
    EXIT_INVALID,
    EXIT_OK,
    database_error,
    not_found,
    out_console,
    pack_not_written,
    pack_set_lines,
    print_findings,
    print_json,
    progress,
    refused,
    say,
    step,
    stop_unless_writable,
    usage_problem,
)
from finmodel.findings import count, errors, warnings
from finmodel.freed_memory import keep_freed_memory
from finmodel.worker_start import start_spare_worker

FolderArgument = Annotated[Path, typer.Argument(metavar="FOLDER", help="A close folder, e.g. inputs/2023-24/M10 (system.yaml is in its parent).")]


def validate(folder: FolderArgument, as_json: JsonOption = False) -> None:
    """Check a close folder's workbooks against the input contract; write nothing.

    Lists every fault with its workbook, sheet, Excel row, column, the value found and what
    was expected (grouped by kind and column at the terminal; one by one with --json, up to
    200 of a kind on a sheet and then their count), then a one-line summary of every fault.
    A valid folder is also computed, so the warnings the close would give from its figures
    (segments, agreement of balances) are listed here too. Exit 0 when valid, 1 when not.
    """
    start_spare_worker(folder)  # it starts reading beside this process's imports, not after them
    keep_freed_memory()  # the reading frees and makes large blocks: reused, not faulted in again
    from finmodel.pipeline import close

    # The whole close, not validation alone: an analyst clearing the warnings before month
    # end must see every one the close will show, and those two come from the figures.
    with step(f"Validating {folder}"):
        findings = list(close(folder).findings)
    print_findings(findings, as_json)
    raise typer.Exit(EXIT_INVALID if errors(findings) else EXIT_OK)


def close_command(
    folder: FolderArgument,
    db: DbOption = "",
    out: OutOption = Path("outputs"),
    reopen: Annotated[Optional[str], typer.Option("--reopen", help="Re-close a month already closed, giving the reason; the earlier version is kept.")] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Close the month: validate, compute, record it in the close history, write the board pack.

    Nothing is written when validation fails (exit 1). A month already closed is refused
    (exit 3) unless --reopen gives a reason; so is a pack annotated since finmodel wrote it,
    unless --force (the annotated one is then kept beside the new one).
    """
    if reopen is not None and not reopen.strip():  # said before a second is spent reading
        raise usage_problem('--reopen needs the reason for the audit trail, e.g. --reopen "late PHC invoices"', as_json)
    start_spare_worker(folder)  # it starts reading beside this process's imports, not after them
    keep_freed_memory()  # the reading frees and makes large blocks: reused, not faulted in again
    from finmodel.jobs import record_close
    from finmodel.store import CloseRefused, StoreError

    try:
        with step(f"Closing {folder}"):
            done = record_close(folder, history_location(db), out, reopen=reopen, progress=progress, force=force)
    except CloseRefused as exc:  # already closed (pass --reopen), or a reopen with nothing to reopen
        if as_json:
            print_json({"error": "refused", "message": str(exc)})
        raise refused(str(exc)) from exc
    except StoreError as exc:
        raise database_error(exc) from exc
    if not done.outcome.ok:
        print_findings(done.outcome.findings, as_json)
        raise typer.Exit(EXIT_INVALID)
    from finmodel.cli.shapes import stored_close
    from finmodel.cli.tables import position_table

    stop_unless_writable(done, as_json)
    stored = done.stored
    if done.pack_error:
        raise pack_not_written(stored, done.pack_error, as_json)
    assert stored is not None and done.outcome.results is not None
    if as_json:
        print_json({
            **stored_close(stored),
            "warnings": count(warnings(done.findings)),
            "findings": [f.as_dict() for f in done.findings],
            "written": [str(p) for p in done.written],
        })
        return
    if done.findings:
        print_findings(done.findings, False)
    out_console.print(position_table(done.outcome.results))
    say(f"Closed {close_label(stored.year, stored.month)} (version {stored.version}). Wrote:")
    for line in pack_set_lines(done.written):
        say(line)
    for path in done.kept:
        say(f"  (the annotated pack was kept as {path})")


def pack_statuses(closes: list, out: Path) -> dict[int, str]:  # type: ignore[type-arg]
    """For the latest version of each close: "current", "missing", or "shows version N: ..."."""
    from finmodel.jobs import close_outputs
    from finmodel.jobs.pack_files import pack_version

    latest = {}
    for c in closes:
        if c.version >= latest.get((c.year, c.month), (0, None))[0]:
            latest[(c.year, c.month)] = (c.version, c)
    statuses = {}
    for (year, month), (version, c) in latest.items():
        shown = pack_version(close_outputs(out, year, month))
        statuses[c.close_id] = ("missing" if shown is None else "current" if shown == version
                                else f"shows version {shown}: run finmodel report {close_label(year, month)}")
    return statuses


def history(db: DbOption = "", out: OutOption = Path("outputs"), as_json: JsonOption = False) -> None:
    """List every close in the history, with reopenings: who, when (local time) and why;
    then every scenario run recorded on them (with --json, each close lists its runs). The
    Board pack column says whether the pack in --out shows the latest version of each close."""
    from finmodel.cli.shapes import scenario_run, stored_close
    from finmodel.cli.tables import history_table, runs_table
    from finmodel.jobs.scenario import recorded_run
    from finmodel.store import StoreError, open_store

    missing = missing_history(db)
    if missing:
        raise not_found(missing, as_json)
    try:
        with open_store(history_location(db)) as store:
            closes = store.history()
            runs = [(run.close_id, recorded_run(run)) for run in store.scenario_runs()]
    except StoreError as exc:
        raise database_error(exc) from exc
    if as_json:
        packs = pack_statuses(closes, out)
        print_json([{**stored_close(c), "board_pack": packs.get(c.close_id) or None,
                     "scenario_runs": [scenario_run(r) for close_id, r in runs if close_id == c.close_id]} for c in closes])
        return
    if not closes:
        say(f"No closes recorded yet in {history_location(db)}.")
        return
    out_console.print(history_table(closes, pack_statuses(closes, out)))
    if runs:
        out_console.print(runs_table([r for _, r in runs]))
