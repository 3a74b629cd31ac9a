"""Frames built as soon as a workbook is read, wherever it was read.

A frame is a pure function of its sheet's table and the close (``frames``), so it can be
built before the checks across sheets have run: if they find an error the frames are
dropped, and nothing else changes. Building them early lets validation's worker build the
frames of what it read (the parent would otherwise build them after every read), and lets
this process build its own while the worker finishes. The text columns of the ledger's
frames are factorized once here (``close_inputs.TextCodes``) so the ledger need not hash
the same text again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.close_inputs import LEDGER_FRAMES, TextCodes, sorted_codes
from finmodel.validate.context import Context
from finmodel.validate.registry import SHEETS
from finmodel.validate.workbook import WorkbookRead

_STR = pd.api.types.pandas_dtype("str")
_SHEET_OF_FRAME = {rules.frame: (rules.workbook, rules.sheet) for rules in SHEETS}


def frames_of(read: WorkbookRead, ctx: Context) -> dict[str, pd.DataFrame]:
    """The frame of each sheet of the workbook with no error so far (frame name -> frame);
    none when the close cannot succeed. A frame that fails to build is left out: it is built
    again at the end, where the failure is reported."""
    if ctx.system is None or ctx.period is None:
        return {}
    built = {}
    for rules in SHEETS:
        table = read.tables.get((rules.workbook, rules.sheet))
        if table is None or read.log.has_errors_on(rules.workbook, rules.sheet):
            continue
        try:
            built[rules.frame] = rules.build(table, ctx)
        except Exception:  # noqa: BLE001, S112 - reported when it is built again
            continue
    return built


def known_codes(read: WorkbookRead, name: str, frame: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The sorted codes of the frame's text columns that are its table's columns as read
    (``Table.codes``): each checked cell for cell against the table (the same str objects, so
    ~7 times cheaper than hashing them again); a column the frame built otherwise is left out."""
    table = read.tables.get(_SHEET_OF_FRAME.get(name))  # type: ignore[arg-type]
    if table is None:
        return {}
    found = {}
    for column, (codes, uniques) in table.codes.items():
        if column in frame.columns and frame[column].dtype == _STR and len(frame) == len(codes):
            if np.array_equal(frame[column].to_numpy(dtype=object), table.values[column]):
                found[column] = (codes, uniques)
    return found


def text_codes(name: str, frame: pd.DataFrame, known: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> dict[tuple[str, str], TextCodes]:
    """The sorted codes of each text column of a ledger frame with no missing value
    (``known``: those already worked out, see ``known_codes``)."""
    if name not in LEDGER_FRAMES:
        return {}
    found = {}
    for column in frame.columns:
        values = frame[column].array
        if values.dtype != _STR:
            continue
        codes, uniques = (known or {}).get(column) or sorted_codes(values)
        if len(codes) == 0 or codes.min() >= 0:
            found[(name, column)] = TextCodes(values, codes, uniques)
    return found
