"""The drop-down of each coded column: the contract's codes, or system.yaml's.

The organisation, partner and likelihood lists come from the system.yaml the templates are
written from, so a template written before system.yaml was edited still offers the old
codes: `finmodel templates` writes them again from the current file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from finmodel.calendar import MONTHS, month_label
from finmodel.contract import Column
from finmodel.system_config import SystemConfig

EXCEL_LIST_LIMIT = 255  # Excel refuses a typed drop-down list longer than this
ErrorStyle = Literal["stop", "warning", "information"]


@dataclass(frozen=True)
class DropDown:
    choices: tuple[str, ...]
    # stop: only these; warning/information: these are suggested, other accepted forms
    # (a month as 7 or a date, a likelihood as a number) still go in after a prompt.
    style: ErrorStyle
    message: str


def drop_down(column: Column, system: SystemConfig) -> DropDown | None:
    """The drop-down of a coded column, or None for a column that takes free values."""
    if column.kind == "code":
        return DropDown(column.codes, "stop", "Choose one of the listed codes.")
    if column.kind == "org":
        return DropDown(system.codes, "stop", "Choose an organisation code of system.yaml.")
    if column.kind == "party":  # a pooled fund's host or contributor: an organisation or a council
        codes = (*system.codes, *(p.code for p in system.partners))
        return DropDown(codes, "stop", "Choose an organisation or partner code of system.yaml.")
    if column.kind == "month":
        fy = system.financial_year
        message = f"M01 is {fy.month_name(1)}, M12 is {fy.month_name(12)}. A month number 1..12 or a date inside the year is accepted too."
        return DropDown(tuple(month_label(m) for m in MONTHS), "warning", message)
    if column.kind == "likelihood":
        words = tuple(system.parameters.likelihood_pct)
        return DropDown(words, "information", "A word of system.yaml parameters.likelihood_pct, or a number 0..100.")
    return None


def fits_in_a_list(choices: tuple[str, ...]) -> bool:
    """Whether Excel takes the choices as a typed list (else they go on a hidden sheet)."""
    return len(",".join(choices)) <= EXCEL_LIST_LIMIT and not any("," in c or '"' in c for c in choices)
