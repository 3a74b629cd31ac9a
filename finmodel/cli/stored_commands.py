"""report and export: what a stored close gives, from the close history alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from finmodel.calendar import close_label
from finmodel.cli.options import DbOption, ForceOption, JsonOption, MonthArgument, OutOption, YearArgument, history_location, missing_history, period_args
from finmodel.cli.output import database_error, not_found, pack_set_lines, print_json, say, step, stop_unless_writable


def _from_history(db: str, year: str, month: str, what: str, action: Callable[[str, str, int], Any], as_json: bool) -> Any:
    """Run ``action(db, year, month)`` on a stored close; an outcome with no stored close is not found."""
    from finmodel.store import StoreError

    label, number = period_args(year, month)
    missing = missing_history(db)
    if missing:
        raise not_found(missing, as_json)
    try:
        with step(what):
            done = action(history_location(db), label, number)
    except StoreError as exc:
        raise database_error(exc) from exc
    if done.stored is None:
        raise not_found(f"No close of {close_label(label, number)} in {history_location(db)} (see `finmodel history`).", as_json)
    return done


def _written(done: Any, as_json: bool) -> None:
    if as_json:
        from finmodel.cli.shapes import stored_close

        print_json({**stored_close(done.stored), "written": [str(p) for p in done.written]})
        return
    for path in done.written:
        if path.suffix != ".csv" or path.parent.name == "export":
            say(f"Wrote {path}")


def report(year: YearArgument, month: MonthArgument, db: DbOption = "", out: OutOption = Path("outputs"),
           force: ForceOption = False, as_json: JsonOption = False) -> None:
    """Re-write a stored close's board pack from the database alone (byte-identical to the close's).

    A pack annotated since finmodel wrote it is not replaced (exit 3) unless --force.
    """
    from finmodel.jobs import rewrite_report

    done = _from_history(db, year, month, "Writing the board pack", lambda d, y, m: rewrite_report(d, y, m, out, force), as_json)
    stop_unless_writable(done, as_json)
    if as_json:
        _written(done, as_json)
        return
    say(f"Wrote the board pack of {close_label(done.stored.year, done.stored.month)} (version {done.stored.version}):")
    for line in pack_set_lines(done.written):
        say(line)
    for path in done.kept:
        say(f"  (the annotated pack was kept as {path})")


def export(year: YearArgument, month: MonthArgument, db: DbOption = "", out: OutOption = Path("outputs"),
           as_json: JsonOption = False) -> None:
    """Write a stored close's ledger and result tables as CSV for BI tools."""
    from finmodel.jobs import export_close

    _written(_from_history(db, year, month, "Exporting", lambda d, y, m: export_close(d, y, m, out), as_json), as_json)
