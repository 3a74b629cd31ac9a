"""The options and arguments several commands share, and how they are checked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finmodel.calendar import FinancialYear, parse_month_code

DbOption = Annotated[str, typer.Option("--db", help="Close history: a SQLite file path (default finmodel.db here) or a postgresql:// URL.")]
OutOption = Annotated[Path, typer.Option("--out", help="Folder for board packs and tables.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON for a machine to read (docs/cli.md).")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace a board pack annotated since finmodel wrote it; the annotated one is kept beside it as board-pack.edited-N.xlsx.")]
YearArgument = Annotated[str, typer.Argument(metavar="YEAR", help="Financial year, e.g. 2023/24.")]
MonthArgument = Annotated[str, typer.Argument(metavar="MONTH", help="Close month, e.g. M10.")]


def history_location(db: str) -> str:
    from finmodel.store import DEFAULT_DB

    return db or str(DEFAULT_DB)


def is_url(db: str) -> bool:
    return "://" in db


def missing_history(db: str) -> str | None:
    """Why a command that only reads has no history to read; it never creates one."""
    location = history_location(db)
    if is_url(location) or Path(location).is_file():
        return None
    return f"No close history at {location}: close a month first (`finmodel close FOLDER`), or name the history with --db."


def period_args(year: str, month: str) -> tuple[str, int]:
    try:
        fy = FinancialYear.parse(year)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="YEAR") from exc
    number = parse_month_code(month) if not month.isdigit() else int(month)
    if number is None or not 1 <= number <= 12:
        raise typer.BadParameter(f"{month!r} is not a month M1..M12", param_hint="MONTH")
    return fy.label, number
