"""What crosses between ``parallel`` and its ``worker`` process, and how.

The parent starts ``python -P -c BOOT``, writes its ``sys.path`` and then a pickled
``(paths, Context, decimal context)`` request; the worker writes back one pickled
``WorkbookRead`` per workbook, packed. Both sides import this module and ``workbook``, and
neither imports the other.
"""

from __future__ import annotations

import pickle
from typing import NamedTuple

import numpy as np
import pandas as pd

from finmodel.validate.table import Table
from finmodel.validate.workbook import WorkbookRead

# Run by the parent as `python -P -c BOOT`: take the parent's sys.path, then main().
BOOT = "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); from finmodel.validate.worker import main; main()"


class Answers(pickle.Unpickler):
    """Unpickles only what a WorkbookRead is made of: anything else in the stream is refused
    before it is built, so stray bytes can never name a function to call."""

    def find_class(self, module: str, name: str) -> object:
        if module.split(".")[0] in _ANSWER_PACKAGES or (module, name) in _ANSWER_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not part of a worker's answer: {module}.{name}")


_ANSWER_PACKAGES = {"finmodel", "numpy"}
_ANSWER_CLASSES = {("collections", "Counter"), ("decimal", "Decimal"), ("datetime", "date"), ("datetime", "datetime")}


# A text column crosses as (codes, distinct values): pickling a million Python strings one
# by one costs ~0.25 s; their codes cost ~0.03 s to make and nothing to send.


class Codes(NamedTuple):
    codes: np.ndarray
    uniques: np.ndarray


def pack(read: WorkbookRead) -> WorkbookRead:
    read.tables = {key: _pack_table(table) for key, table in read.tables.items()}
    return read


def unpack(read: WorkbookRead) -> WorkbookRead:
    read.tables = {key: _unpack_table(table) for key, table in read.tables.items()}
    return read


def _pack_table(table: Table) -> Table:
    values: dict[str, object] = {}
    for name, column in table.values.items():
        # Only columns of nothing but str: factorizing mixed objects could merge True with 1.0.
        if column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) == "string":
            codes, uniques = pd.factorize(column)
            values[name] = Codes(codes.astype(np.int32 if len(uniques) < 2**31 else np.int64), np.asarray(uniques, dtype=object))
        else:
            values[name] = column
    table.values = values  # type: ignore[assignment]
    return table


def _unpack_table(table: Table) -> Table:
    table.values = {name: v.uniques[v.codes] if isinstance(v, Codes) else v for name, v in table.values.items()}
    return table
