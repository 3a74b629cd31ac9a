"""A stored close's ledger and result tables as CSV for BI tools.

The ledger is written in its canonical row order with money in exact pounds (two
decimals); the result tables are the board pack's tidy tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finmodel.contract import MONEY_COLUMNS
from finmodel.csv_text import csv_bytes, safe_text
from finmodel.jobs.pack import pack_inputs
from finmodel.jobs.paths import export_outputs
from finmodel.money import pence_to_pounds
from finmodel.report import build_tables
from finmodel.report.csv_tables import table_rows
from finmodel.report.files import replace_all
from finmodel.store import StoredClose, open_store


@dataclass(frozen=True)
class ExportDone:
    """The files written; ``stored`` is None when there is no such close."""

    stored: StoredClose | None
    written: tuple[Path, ...] = ()


def ledger_csv_rows(ledger: pd.DataFrame) -> Iterable[list[object]]:
    columns = [c for c in ledger.columns if c != "sign"]
    yield columns
    money = [c in MONEY_COLUMNS for c in columns]
    for row in ledger[columns].itertuples(index=False, name=None):
        yield [f"{pence_to_pounds(v):.2f}" if is_money else safe_text(v) if isinstance(v, str) else v
               for v, is_money in zip(row, money)]


def export_close(db: str | Path, year: str, month: int, out: Path) -> ExportDone:
    with open_store(db) as store:
        stored = store.latest(year, month)
        if stored is None:
            return ExportDone(None)
        folder = export_outputs(out, year, month)
        ledger = csv_bytes(ledger_csv_rows(stored.ledger()))
        tables = build_tables(pack_inputs(stored, store))
    written = replace_all({folder / "ledger.csv": ledger, folder / "results.csv": csv_bytes(table_rows(tables))})
    return ExportDone(stored, written)
