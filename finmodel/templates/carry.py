"""The previous close's validated inputs as the rows of a later month's workbooks.

A close folder holds the whole year to date, so month N's folder starts as close M's:

- monthly sheets (the ledgers, cip `delivery`, phc `budget`): every row, with its plan for
  all 12 months, its actual (and a monthly count, agency shifts) for months 1..M, and its
  forecast only for months after N (blank where it is the plan). Months M+1..N keep
  neither: their actual is what is left to fill, and a closed month's forecast is blank.
- trackers and registers (cip `schemes`, phc `packages`, capital, risks, pooled `funds` and
  `contributions`): as they were; pooled `schemes` is a monthly sheet.

Pure: values stay in the frames' terms (pence, month numbers, dates) for templates/cells.py
to write. Where validation filled a blank with the contract's default (driver `other`, or
`phc` on the PHC budget), the cell is blank again, so the analyst sees the rows as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from finmodel.close_inputs import CloseInputs
from finmodel.contract import AGENCY, CAPITAL, CIP, INCOME, NONPAY, PAY, PHC, POOLED, RISKS, Sheet, Workbook
from finmodel.system_config import SystemConfig

# Each frame of CloseInputs and the sheet it was read from.
FRAME_SHEETS: dict[str, tuple[Workbook, str]] = {
    "income": (INCOME, "income"),
    "pay": (PAY, "pay"),
    "nonpay": (NONPAY, "nonpay"),
    "agency": (AGENCY, "agency"),
    "cip_schemes": (CIP, "schemes"),
    "cip_delivery": (CIP, "delivery"),
    "phc_budget": (PHC, "budget"),
    "phc_packages": (PHC, "packages"),
    "capital": (CAPITAL, "capital"),
    "risks": (RISKS, "register"),
    "pooled_funds": (POOLED, "funds"),
    "pooled_contributions": (POOLED, "contributions"),
    "pooled_schemes": (POOLED, "schemes"),
}
MONTHLY = frozenset({"income", "pay", "nonpay", "agency", "cip_delivery", "phc_budget", "pooled_schemes"})
DEFAULT_DRIVER = {"phc_budget": "phc"}  # every other sheet with a driver: "other"


@dataclass(frozen=True)
class Carried:
    """Month `month`'s rows, carried from the close of month `closed`."""

    closed: int
    month: int
    sheets: Mapping[str, Mapping[str, pd.DataFrame]]  # workbook file name -> sheet name -> rows
    to_fill: tuple[tuple[str, str, int], ...]  # (workbook, sheet, rows whose actual is left blank)

    @property
    def rows_to_fill(self) -> int:
        return sum(n for _, _, n in self.to_fill)


def carry_forward(inputs: CloseInputs, month: int) -> Carried:
    """The rows of month `month`'s workbooks, from the validated inputs of an earlier close."""
    closed = inputs.period.month
    if not closed < month <= 12:
        raise ValueError(f"carry forward goes from a close to a later month: M{closed} to M{month}")
    sheets: dict[str, dict[str, pd.DataFrame]] = {}
    to_fill = []
    for name, (workbook, sheet_name) in FRAME_SHEETS.items():
        frame: pd.DataFrame = getattr(inputs, name)
        sheet = workbook.sheet(sheet_name)
        if name in MONTHLY:
            rows = rolled(frame, sheet, closed, month, DEFAULT_DRIVER.get(name, "other"))
            left = int(_months(frame).between(closed + 1, month).sum())
            if left:
                to_fill.append((workbook.filename, sheet_name, left))
        else:
            rows = _TRACKERS.get(name, _as_they_were)(frame, inputs.system)
        sheets.setdefault(workbook.filename, {})[sheet_name] = _in_sheet_order(rows, sheet)
    return Carried(closed, month, sheets, tuple(to_fill))


def _months(frame: pd.DataFrame) -> pd.Series:
    return frame["month"].astype("int64")


def _kept(values: pd.Series, keep: np.ndarray) -> pd.Series:
    """The values where `keep`, a blank (None) elsewhere."""
    return pd.Series(np.where(keep, values.astype(object), None), index=values.index, dtype=object)


def rolled(frame: pd.DataFrame, sheet: Sheet, closed: int, month: int, default_driver: str = "other") -> pd.DataFrame:
    """A monthly sheet moved on from close `closed` to month `month` (the module's rules)."""
    months = _months(frame).to_numpy()
    known, ahead = months <= closed, months > month
    rows = frame.copy()
    rows["actual"] = _kept(frame["actual"], known)
    # A forecast equal to the plan is left blank: blank means "at plan", the same figure, and
    # the line stays at plan if the plan is re-phased (and a negative plan is not warned twice).
    rows["forecast"] = _kept(frame["forecast"], ahead & (frame["forecast"] != frame["plan"]).to_numpy())
    for column in sheet.columns:
        if column.kind == "count" and column.name in rows:  # known once the month is closed, as an actual
            rows[column.name] = _kept(frame[column.name], known)
    if "driver" in rows:
        rows["driver"] = _kept(frame["driver"], (frame["driver"] != default_driver).to_numpy())
    return rows


def _as_they_were(frame: pd.DataFrame, system: SystemConfig) -> pd.DataFrame:
    return frame.copy()


def _schemes(frame: pd.DataFrame, system: SystemConfig) -> pd.DataFrame:
    rows = frame.copy()
    rows["recurrent"] = [("yes" if bool(r) else "no") for r in frame["recurrent"].tolist()]
    return rows


def likelihood_cell(pct: Decimal, words: Mapping[str, Decimal]) -> str | Decimal:
    """A likelihood as the register had it: the word of system.yaml where just one word means
    this percentage, else the percentage."""
    named = [word for word, value in words.items() if value == pct]
    return named[0] if len(named) == 1 else pct


def _risks(frame: pd.DataFrame, system: SystemConfig) -> pd.DataFrame:
    words = system.parameters.likelihood_pct
    rows = frame.drop(columns=["likelihood_pct"])
    rows["likelihood"] = [likelihood_cell(p, words) for p in frame["likelihood_pct"].tolist()]
    return rows


def _contributions(frame: pd.DataFrame, system: SystemConfig) -> pd.DataFrame:
    """A full-year contribution (month 0 in the frame) has its month cell blank again."""
    rows = frame.copy()
    rows["month"] = _kept(frame["month"], (frame["month"] != 0).to_numpy())
    return rows


_TRACKERS: dict[str, Callable[[pd.DataFrame, SystemConfig], pd.DataFrame]] = {
    "cip_schemes": _schemes, "risks": _risks, "pooled_contributions": _contributions,
}


def _in_sheet_order(rows: pd.DataFrame, sheet: Sheet) -> pd.DataFrame:
    contract = [c.name for c in sheet.columns if c.name in rows.columns]
    return rows[contract + [c for c in rows.columns if c not in contract]].reset_index(drop=True)
