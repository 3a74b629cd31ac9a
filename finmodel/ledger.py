"""Typed input frames -> one long ledger of income and expenditure.

Each row is one input line for one month: organisation, month, source workbook, line group
(the board's rows: income, pay, non-pay, non-operating for providers; allocation and the
service lines for the ICB, continuing care coming from phc.xlsx), detail, driver, and the
measures plan, actual and submitted forecast in pence. ``sign`` turns an amount into its
effect on surplus: +1 for income, -1 for expenditure, so a variance in surplus terms is
always ``sign * (actual - plan)`` and never depends on which side of the account it is.

agency.xlsx is not in the ledger: it is detail of the pay lines (its own reconciliation
makes sure of that), and adding it would count agency twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from finmodel.close_inputs import CloseInputs, TextCodes, sorted_codes
from finmodel.contract import CONTINUING_CARE, MONEY_COLUMNS, RECURRENCES

LEDGER_COLUMNS = (
    "org",
    "month",
    "source",
    "line_group",
    "line",
    "driver",
    "staff_group",
    "pay_type",
    "kind",
    "cost_centre",
    "subjective",
    "description",
    "counterparty",  # the other side of a flow between organisations; "" when not given
    "recurrence",
    "sign",
    "plan",
    "actual",
    "forecast",
)
MEASURES = MONEY_COLUMNS
INCOME_GROUPS = ("income", "allocation")


TEXT_COLUMNS = tuple(c for c in LEDGER_COLUMNS if c not in ("month", "sign", *MEASURES))
# Text columns added after closes were first stored, with the value a row without them has:
# a frame (or a stored ledger) without ``recurrence`` is all recurrent, never blank; one
# without ``counterparty`` names no other side.
DEFAULTS = {"counterparty": "", "recurrence": RECURRENCES[0]}
# The ledger's sources: CloseInputs' frame for each.
_FRAMES = {"income": "income", "pay": "pay", "nonpay": "nonpay", "phc": "phc_budget"}

# A text column is a piece per source: a whole column of its frame (or its codes, when
# validation already worked them out), or one value for all rows.
Piece = pd.Series | np.ndarray | str | TextCodes


def _categorical(piece: Piece, n: int) -> pd.Categorical:
    if isinstance(piece, str):
        return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([piece] if n else [], dtype="str"))
    if isinstance(piece, TextCodes):  # what sorted_codes below would give, already known
        return pd.Categorical.from_codes(piece.codes, categories=pd.Index(piece.uniques, dtype="str"), validate=False)
    values = piece.to_numpy(dtype=object) if isinstance(piece, pd.Series) else piece.astype(object)
    codes, uniques = sorted_codes(values)  # twice as fast as pd.Categorical(values)
    if len(codes) and codes.min() < 0:  # a missing detail cell is blank text, never NaN
        codes, uniques = sorted_codes(np.where(codes < 0, "", values))
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype="str"), validate=False)


def _text_column(pieces: list[tuple[Piece, int]]) -> pd.Categorical:
    """One ledger text column as a Categorical whose categories are in sorted order.

    Sorted categories make the codes sort as the text does, so the canonical sort and every
    grouping of the results work on small integers instead of hashing a million strings.
    """
    parts = [_categorical(piece, n) for piece, n in pieces]
    return union_categoricals(parts, sort_categories=True)


def _column(inputs: CloseInputs, name: str, column: str) -> Piece:
    """A text column of an input frame: its codes when known, else the column (its default if absent)."""
    frame = getattr(inputs, name)
    if column not in frame.columns:
        return DEFAULTS.get(column, "")
    return inputs.codes_of(name, column) or frame[column]


def _blank_as_default(values: pd.Categorical, default: str) -> pd.Categorical:
    """A column whose blank cells mean ``default``: "" folded into it on the categories only
    (a million rows' codes remapped through a handful of categories, never re-hashed)."""
    if not default or "" not in values.categories:
        return values
    text = values.categories.to_numpy(dtype=object).copy()
    text[text == ""] = default
    uniques, inverse = np.unique(text.astype(str), return_inverse=True)  # sorted, as _text_column keeps them
    codes = inverse.astype(values.codes.dtype)[values.codes]  # no more categories than before
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques.astype(object), dtype="str"), validate=False)


def _is_icb(inputs: CloseInputs, name: str, icbs: list[str]) -> np.ndarray:
    """Rows of the frame that are an ICB's; from the org codes when known (no hashing)."""
    org = _column(inputs, name, "org")
    if isinstance(org, TextCodes):
        return np.isin(org.uniques, icbs)[org.codes]
    return getattr(inputs, name)["org"].isin(icbs).to_numpy()


def build_ledger(inputs: CloseInputs) -> pd.DataFrame:
    """One long frame of every income and expenditure line, in a canonical row order.

    The order is a sort on every column, so the ledger (and everything built from it) is
    the same whatever order the workbooks listed their rows in. Text columns are
    Categoricals with sorted categories (see ``_text_column``).
    """
    icbs = list({o.code for o in inputs.system.icbs})
    income, pay, nonpay, phc = inputs.income, inputs.pay, inputs.nonpay, inputs.phc_budget
    # An ICB's own staff are its running costs (the board's "ICB running costs" line).
    provider_group = np.where(nonpay["kind"] == "non_operating", "non_operating", "non_pay")
    sources = [
        # (frame, source, line group, line column, sign)
        (income, "income", np.where(_is_icb(inputs, "income", icbs), "allocation", "income"), "category", +1),
        (pay, "pay", np.where(_is_icb(inputs, "pay", icbs), "running_costs", "pay"), "pay_type", -1),
        (nonpay, "nonpay", np.where(_is_icb(inputs, "nonpay", icbs), nonpay["category"], provider_group), "category", -1),
        (phc, "phc", CONTINUING_CARE, "service", -1),
    ]
    sources = [s for s in sources if len(s[0])] or sources[:1]
    pieces: dict[str, list[tuple[Piece, int]]] = {name: [] for name in TEXT_COLUMNS}
    for frame, source, line_group, line, _ in sources:
        name_of = _FRAMES[source]
        own = {"source": source, "line_group": line_group, "line": _column(inputs, name_of, line)}
        for name in TEXT_COLUMNS:
            pieces[name].append((own[name] if name in own else _column(inputs, name_of, name), len(frame)))
    columns: dict[str, object] = {name: _text_column(parts) for name, parts in pieces.items()}
    for name, default in DEFAULTS.items():
        columns[name] = _blank_as_default(columns[name], default)  # type: ignore[arg-type]
    columns["month"] = np.concatenate([f["month"].to_numpy(dtype="int64") for f, *_ in sources])
    columns["sign"] = np.concatenate([np.full(len(f), sign, dtype="int64") for f, *_, sign in sources])
    for measure in MEASURES:
        columns[measure] = np.concatenate([f[measure].to_numpy(dtype="int64") for f, *_ in sources])
    return canonical_order(pd.DataFrame(columns, columns=list(LEDGER_COLUMNS)))


def with_defaults(frame: pd.DataFrame) -> pd.DataFrame:
    """A ledger stored before a column of ``DEFAULTS`` existed, with that column at its
    default, in ``LEDGER_COLUMNS`` order; a ledger that has them all is returned as it is."""
    missing = [name for name in DEFAULTS if name not in frame.columns]
    if not missing or not {"line_group", "sign"} <= set(frame.columns):  # not a ledger: left alone
        return frame
    added = {name: _categorical(DEFAULTS[name], len(frame)) for name in missing}
    columns = [c for c in LEDGER_COLUMNS if c in frame.columns or c in added] + [c for c in frame.columns if c not in LEDGER_COLUMNS]
    return frame.assign(**added)[columns]


def canonical_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted on every column (stable, total), index reset."""
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(list(frame.columns), kind="mergesort", ignore_index=True)
