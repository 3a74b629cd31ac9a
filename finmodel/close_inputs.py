"""The validated inputs of one close: what `validate` hands to `ledger` and `results`.

Every frame here is typed and complete; nothing downstream re-checks it. Conventions:

- money columns are int64 **pence**;
- ``month`` is an int 1..12 (financial month, M1 = April);
- ledger-like frames (income, pay, nonpay, agency, phc_budget) and cip_delivery carry
  ``plan``, ``actual`` and ``forecast`` for every row. ``actual`` is 0 after the close month.
  ``forecast`` is the submitted forecast: 0 up to the close month, and after it the
  organisation's forecast or, where the row gave none, its plan (inputs.md: "a line with no
  forecast is forecast at plan"). So FOT = sum(actual) + sum(forecast) over all months.
- coded columns hold the contract's codes; optional text columns hold "" when blank;
  ``recurrence`` (income, pay, nonpay, where the sheet has it) is "recurrent" when blank;
  ``driver`` is always filled ("other" where the row gave none; "phc" in phc_budget).
- stages never mutate these frames; they build new ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from finmodel.calendar import Period
from finmodel.contract import MONEY_COLUMNS
from finmodel.findings import Finding
from finmodel.system_config import SystemConfig

# Columns each frame is guaranteed to carry (extra input columns are kept after these).
FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "income": ("org", "month", "category", *MONEY_COLUMNS, "driver", "cost_centre", "subjective", "description"),
    "pay": ("org", "month", "staff_group", "pay_type", *MONEY_COLUMNS, "driver", "cost_centre", "subjective", "description"),
    "nonpay": ("org", "month", "category", "kind", *MONEY_COLUMNS, "driver", "cost_centre", "subjective", "description"),
    "agency": ("org", "month", "staff_group", "framework", *MONEY_COLUMNS, "driver", "supplier", "shifts"),
    # recurrent: bool; impacts_org: "" when blank
    "cip_schemes": ("org", "scheme_id", "scheme", "category", "recurrent", "rating", "impacts_org"),
    "cip_delivery": ("scheme_id", "month", *MONEY_COLUMNS),
    # org filled with the ICB's code where the sheet has no org column
    "phc_budget": ("org", "service", "month", *MONEY_COLUMNS, "driver"),
    # start_date/end_date: datetime.date objects (end_date None when open);
    # icb_share: decimal.Decimal in 0..1 (1 when blank)
    "phc_packages": ("package_id", "org", "service", "weekly_cost", "start_date", "end_date", "icb_share", "setting"),
    # plan and forecast are full-year; actual_ytd 0 when blank
    "capital": ("org", "programme", "plan", "forecast", "actual_ytd"),
    # value: pence; likelihood_pct: decimal.Decimal 0..100; status "" for risks
    "risks": ("id", "org", "type", "category", "description", "value", "likelihood_pct", "status"),
    # pooled.xlsx, empty without it: month 0 where a contribution is the full year
    "pooled_funds": ("fund", "name", "host", "agreement"),
    "pooled_contributions": ("fund", "partner", "plan", "month"),
    "pooled_schemes": ("fund", "scheme_id", "scheme", "month", *MONEY_COLUMNS),
}


@dataclass(frozen=True)
class InputFile:
    name: str  # e.g. "pay.xlsx" or "system.yaml"
    sha256: str
    size: int


# The frames the ledger is made from (its text columns are worth factorizing once, early).
LEDGER_FRAMES = ("income", "pay", "nonpay", "phc_budget")


@dataclass(frozen=True)
class TextCodes:
    """A text column of a frame as ``sorted_codes`` gives it, worked out where the frame was
    built (validation's worker), so the ledger need not hash the same text again.

    ``array`` is the frame column's own array: the codes describe that array and no other,
    so a frame replaced in a CloseInputs (``dataclasses.replace``) is never given them.
    """

    array: object
    codes: np.ndarray  # no -1: a column with a missing value is not given codes
    uniques: np.ndarray  # the distinct values, sorted


def code_type(distinct: int) -> type[np.signedinteger]:
    """The integer type of codes into ``distinct`` values: int32 (half the memory of intp: a
    million-row sheet's seven text columns cost 28 MB, not 56), int64 only past 2**31."""
    return np.int32 if distinct < 2**31 else np.int64


def sorted_codes(values: object) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values in sorted order) of a text column: codes that sort as the text."""
    return pd.factorize(np.asarray(values, dtype=object), sort=True)


@dataclass(frozen=True)
class CloseInputs:
    system: SystemConfig
    period: Period
    income: pd.DataFrame
    pay: pd.DataFrame
    nonpay: pd.DataFrame
    agency: pd.DataFrame
    cip_schemes: pd.DataFrame
    cip_delivery: pd.DataFrame
    phc_budget: pd.DataFrame
    phc_packages: pd.DataFrame
    capital: pd.DataFrame
    risks: pd.DataFrame
    files: tuple[InputFile, ...]
    pooled_funds: pd.DataFrame = field(default_factory=lambda: empty_frame("pooled_funds"))
    pooled_contributions: pd.DataFrame = field(default_factory=lambda: empty_frame("pooled_contributions"))
    pooled_schemes: pd.DataFrame = field(default_factory=lambda: empty_frame("pooled_schemes"))
    warnings: tuple[Finding, ...] = ()
    system_yaml: str = ""  # the file's text, stored with the close
    # (frame, column) -> its TextCodes, for the text columns validation already factorized;
    # a cache: every figure is the same without it.
    text_codes: Mapping[tuple[str, str], TextCodes] = field(default_factory=dict, compare=False, repr=False)

    def codes_of(self, frame: str, column: str) -> TextCodes | None:
        """The column's codes, if known and still describing the frame this holds."""
        known = self.text_codes.get((frame, column))
        frames = getattr(self, frame)
        if known is None or column not in frames.columns or frames[column].array is not known.array:
            return None
        return known


def empty_frame(name: str) -> pd.DataFrame:
    """A frame with the guaranteed columns and no rows (a header-only workbook)."""
    return pd.DataFrame({column: pd.Series(dtype="object") for column in FRAME_COLUMNS[name]})
