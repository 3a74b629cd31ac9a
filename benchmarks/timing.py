"""What the benchmarks share: the fastest of repeated runs, and the raw read they are compared with."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """(the fastest run's seconds, the last result): on a shared machine the minimum is the least noisy."""
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def raw_read(folder: Path) -> tuple[int, int]:
    """(rows, cells): every sheet of every contract workbook in the folder, as python-calamine's
    Python values, one workbook after another: the floor of ingest on one core."""
    import python_calamine

    from finmodel.contract import WORKBOOKS

    rows = cells = 0
    for workbook in WORKBOOKS:
        path = folder / workbook.filename
        if not path.is_file():
            continue
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            values = book.get_sheet_by_name(name).to_python()
            rows += len(values)
            cells += sum(len(r) for r in values)
            del values
    return rows, cells
