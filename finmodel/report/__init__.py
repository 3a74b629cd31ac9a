"""The board pack of a close: the Excel workbook and its tables as tidy CSV.

``build_tables`` and ``narrative`` are pure (a close in, values out); ``write_board_pack``
lays those values out as ``board-pack.xlsx`` and ``tables/<sheet>.csv`` and is the only
part that touches files.
"""

from __future__ import annotations

from pathlib import Path

from finmodel.report.csv_tables import csv_text
from finmodel.report.files import replace_all
from finmodel.report.narrative import narrative
from finmodel.report.pack import PackInputs
from finmodel.report.table import Column, Row, Sheet, Table, snake_case
from finmodel.report.tables import SHEET_NAMES, build_sheets, build_tables
from finmodel.report.workbook import workbook_bytes

WORKBOOK_NAME = "board-pack.xlsx"
TABLES_FOLDER = "tables"
# A CSV of a sheet this write does not produce (Scenarios, when they were not run this time)
# is removed, so no stale table is left beside the pack.
_KNOWN_CSV = {snake_case(name) for name in SHEET_NAMES}

__all__ = [
    "TABLES_FOLDER", "WORKBOOK_NAME", "Column", "PackInputs", "Row", "Sheet", "Table", "board_pack_contents", "build_sheets",
    "build_tables", "narrative", "remove_stale_tables", "write_board_pack",
]


def board_pack_contents(pack: PackInputs, out_dir: Path) -> dict[Path, bytes]:
    """out_dir/board-pack.xlsx and out_dir/tables/*.csv as bytes, built in memory."""
    out_dir = Path(out_dir)
    sheets = build_sheets(pack)
    contents = {out_dir / WORKBOOK_NAME: workbook_bytes(pack, sheets)}
    for sheet in sheets:
        contents[out_dir / TABLES_FOLDER / f"{sheet.csv_name}.csv"] = csv_text(sheet.tables).encode("utf-8")
    return contents


def remove_stale_tables(out_dir: Path, written: tuple[Path, ...]) -> None:
    """A CSV of a sheet this write did not produce is removed, so no stale table is left."""
    names = {p.stem for p in written if p.parent.name == TABLES_FOLDER}
    for stale in sorted(_KNOWN_CSV - names):
        (Path(out_dir) / TABLES_FOLDER / f"{stale}.csv").unlink(missing_ok=True)


def write_board_pack(pack: PackInputs, out_dir: Path) -> tuple[Path, ...]:
    """Writes out_dir/board-pack.xlsx and out_dir/tables/*.csv (out_dir is outputs/<year folder>/<Mnn>).

    Everything is built in memory first, then written to temporary files in out_dir and
    os.replace()d into place, so an interrupted write never leaves a half file under the
    final name. Returns the paths written.
    """
    written = replace_all(board_pack_contents(pack, out_dir))
    remove_stale_tables(out_dir, written)
    return written
