"""`finmodel export`: a stored close's ledger and result tables as CSV for BI tools.

The ledger is written in its canonical row order with money in exact pounds (two
decimals); the result tables are the board pack's tidy tables.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pandas as pd

from finmodel.calendar import FinancialYear, month_label
from finmodel.money import pence_to_pounds
from finmodel.store import open_store

MONEY_COLUMNS = ("plan", "actual", "forecast")


def ledger_csv_rows(ledger: pd.DataFrame):
    columns = [c for c in ledger.columns if c != "sign"]
    yield columns
    money = [c in MONEY_COLUMNS for c in columns]
    for row in ledger[columns].itertuples(index=False, name=None):
        yield [f"{pence_to_pounds(v):.2f}" if is_money else v for v, is_money in zip(row, money)]


def _atomic_csv(path: Path, rows) -> Path:  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def export_close(db: str | Path, year: str, month: int, out: Path) -> tuple[Path, ...] | None:
    from finmodel.workflow import _pack
    from finmodel.report import build_tables
    from finmodel.report.csv_tables import table_rows

    with open_store(db) as store:
        stored = store.latest(year, month)
        if stored is None:
            return None
        folder = out / FinancialYear.parse(year).folder / month_label(month) / "export"
        written = [_atomic_csv(folder / "ledger.csv", ledger_csv_rows(stored.ledger()))]
        tables = build_tables(_pack(stored, store))
    written.append(_atomic_csv(folder / "results.csv", table_rows(tables)))
    return tuple(written)
