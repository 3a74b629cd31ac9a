"""Filling a sheet's blocks of cells: numpy's row-by-row copy of a list of lists (how
``read.RawSheet.blocks`` filled them until the fifth round of issue #21) against the cells
laid end to end in one pass (``read._block``), on the largest sheet of a cached benchmark close.

    python benchmarks/bench_blocks.py [--rows 1000000] [--shape scaled] [--rounds 5]

The sheet is parsed and its rows taken from calamine once, before the timing, so only the
filling is timed; the two are timed in turn, each round, and the blocks compared cell by cell.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import python_calamine

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from scaled_ics import ensure_scaled_ics  # noqa: E402

from finmodel.read import _block  # noqa: E402
from finmodel.validate.table import BLOCK_ROWS  # noqa: E402


def _row_by_row(rows: list[list[object]]) -> np.ndarray:
    block = np.empty((len(rows), len(rows[0])), dtype=object)
    block[:] = rows
    return block


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shape", default="scaled")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/finmodel-bench"))
    args = parser.parse_args()
    folder, _ = ensure_scaled_ics(args.cache, args.rows, shape=args.shape)
    workbook = max(folder.glob("*.xlsx"), key=lambda p: p.stat().st_size)
    book = python_calamine.CalamineWorkbook.from_path(str(workbook))
    rows = list(book.get_sheet_by_name(book.sheet_names[0]).iter_rows())
    chunks = [rows[i : i + BLOCK_ROWS] for i in range(0, len(rows), BLOCK_ROWS)]
    gc.disable()  # as in read_one, which reads with the collector paused
    timed: dict[str, list[float]] = {"row by row": [], "one pass": []}
    for _ in range(args.rounds):
        for label, fill in (("row by row", _row_by_row), ("one pass", _block)):
            start = time.process_time()
            blocks = [fill(chunk) for chunk in chunks]
            timed[label].append(time.process_time() - start)
            del blocks
    same = all(
        all(a is b for a, b in zip(_row_by_row(c).ravel().tolist(), _block(c).ravel().tolist())) for c in chunks
    )
    print(f"{workbook.name}: {len(rows):,} rows x {len(rows[0])} cells, {len(chunks)} blocks; the same cells: {same}")
    for label, seconds in timed.items():
        print(f"{label:10s} CPU s, median of {args.rounds}: {statistics.median(seconds):.3f} (min {min(seconds):.3f}, max {max(seconds):.3f})")
    print(f"one pass / row by row: {statistics.median(timed['one pass']) / statistics.median(timed['row by row']):.2f}")


if __name__ == "__main__":
    main()
