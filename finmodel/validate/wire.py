"""What crosses between ``parallel`` and its ``worker`` process, and how.

The parent starts ``python -P -c BOOT``, writes its ``sys.path`` and then a pickled
``Request``; the worker writes back one pickled ``Answer`` per workbook it claimed (see
``claim``): the workbook's read, packed, and the frames it built from it. Both sides
import this module and ``workbook``, and neither imports the other.
"""

from __future__ import annotations

import decimal
import os
import pickle
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from finmodel.close_inputs import TextCodes, code_type, sorted_codes
from finmodel.validate.context import Context
from finmodel.validate.table import Table
from finmodel.validate.workbook import WorkbookRead

from finmodel.worker_start import BOOT  # noqa: F401 - run by the parent as `python -P -c BOOT`


@dataclass
class Request:
    paths: list[str]  # every workbook of the close, largest first: each is read by whoever claims it
    claims: str  # the folder where a claim is made (``claim``)
    ctx: Context
    numbers: decimal.Context  # parse amounts and shares exactly as the parent would
    build_frames: bool  # also build each sheet's frame (only worth it when the close can succeed)


@dataclass(frozen=True)
class Hello:
    """The first answer of a worker that was sent only the close folder: the basis of the
    context it made (``close_context.context_basis``)."""

    basis: str


@dataclass
class Answer:
    read: WorkbookRead  # packed
    frames: dict[str, PackedFrame] = field(default_factory=dict)  # frame name -> its frame, packed


def claim(folder: str, name: str) -> bool:
    """Take the workbook named ``name`` for this process; False when the other has it.

    Both processes go down their lists, largest first, each taking the next workbook nobody
    has taken, so the two finish together whatever each workbook costs to read. Claims are by
    file name, so the two lists need not be the same (a worker sent only the folder lists it
    itself). Creating a file with O_EXCL is atomic: exactly one process succeeds. A folder
    that has gone (the parent finished) claims nothing.
    """
    try:
        os.close(os.open(os.path.join(folder, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:  # FileExistsError: the other process has it; or the folder is gone
        return False
    return True


class Answers(pickle.Unpickler):
    """Unpickles only what an Answer is made of: anything else in the stream is refused
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
    in_order: bool = False  # uniques in sorted order: kept as the table's codes (``Table.codes``)


def _codes(codes: np.ndarray, uniques: np.ndarray, in_order: bool = False) -> Codes:
    return Codes(codes.astype(code_type(len(uniques)), copy=False), np.asarray(uniques, dtype=object), in_order)


def pack(read: WorkbookRead) -> WorkbookRead:
    read.tables = {key: _pack_table(table) for key, table in read.tables.items()}
    return read


def unpack(read: WorkbookRead) -> WorkbookRead:
    read.tables = {key: _unpack_table(table) for key, table in read.tables.items()}
    return read


def _pack_table(table: Table) -> Table:
    values: dict[str, object] = {}
    for name, column in table.values.items():
        if name in table.codes:  # known from the parse: nothing to hash
            values[name] = _codes(*table.codes[name], in_order=True)
        # Only columns of nothing but str: factorizing mixed objects could merge True with 1.0.
        elif column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) == "string":
            values[name] = _codes(*pd.factorize(column))
        else:
            values[name] = column
    table.values = values  # type: ignore[assignment]
    table.codes = {}  # they travel in ``values``
    return table


def _unpack_table(table: Table) -> Table:
    table.codes = {name: (v.codes, v.uniques) for name, v in table.values.items() if isinstance(v, Codes) and v.in_order}
    table.values = {name: v.uniques[v.codes] if isinstance(v, Codes) else v for name, v in table.values.items()}
    return table


# --- frames ---------------------------------------------------------------------------------
# A frame crosses column by column, never as a pickled DataFrame (whose pandas classes the
# answer's unpickler would have to allow): a text column as its codes against its sorted
# distinct values (the ledger's Categoricals are made from those without hashing the text
# again, see ``close_inputs.TextCodes``), a nullable count as its values and mask, any other
# column as its numpy array.

_STR = pd.api.types.pandas_dtype("str")


class Masked(NamedTuple):
    data: np.ndarray
    mask: np.ndarray


class PackedFrame(NamedTuple):
    rows: int
    columns: dict[str, Codes | Masked | np.ndarray]


def pack_frame(frame: pd.DataFrame, known: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> PackedFrame | None:
    """The frame column by column, or None when it holds a column this wire does not carry
    (the parent then builds the frame itself). ``known``: the sorted codes of text columns
    already worked out (``prebuild.known_codes``)."""
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0 or frame.index.step != 1:
        return None
    columns: dict[str, Codes | Masked | np.ndarray] = {}
    for name in frame.columns:
        values = frame[name].array
        if not isinstance(name, str) or name in columns:
            return None
        if values.dtype == _STR:
            columns[name] = _codes(*((known or {}).get(name) or sorted_codes(values)), in_order=True)
        elif isinstance(values, pd.arrays.IntegerArray) and values.dtype == "Int64":
            columns[name] = Masked(values._data, values._mask)  # noqa: SLF001 - pandas' own parts, not finmodel's
        elif isinstance(values, pd.arrays.NumpyExtensionArray):
            columns[name] = values.to_numpy()
        else:
            return None
    return PackedFrame(len(frame), columns)


def unpack_frame(packed: PackedFrame) -> tuple[pd.DataFrame, dict[str, TextCodes]]:
    """(the frame as built where it was read, the codes of its text columns for the ledger)."""
    data: dict[str, object] = {}
    for name, column in packed.columns.items():
        if isinstance(column, Codes):
            data[name] = pd.array(column.uniques, dtype=_STR).take(column.codes, allow_fill=True)
        elif isinstance(column, Masked):
            data[name] = pd.arrays.IntegerArray(column.data, column.mask)
        else:
            data[name] = pd.Series(column, dtype=column.dtype, copy=False)
    frame = pd.DataFrame(data, index=pd.RangeIndex(packed.rows))
    codes = {
        name: TextCodes(frame[name].array, column.codes, column.uniques)
        for name, column in packed.columns.items()
        if isinstance(column, Codes) and (len(column.codes) == 0 or column.codes.min() >= 0)
    }
    return frame, codes
