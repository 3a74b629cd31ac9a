"""The drop-down of each coded column: what validation accepts there, for this system.

The organisation, partner and likelihood lists come from the system.yaml the templates are
written from, so a template written before system.yaml was edited still offers the old
codes: `finmodel templates` writes them again from the current file.

A list offers exactly what validation accepts in its column on its sheet
(validate/checks/org_types.py): phc.xlsx's org only the ICBs, cip.xlsx's impacts_org only
the providers, income's category only the categories some organisation of this system may
book. Where what a row accepts also depends on its org (income's and nonpay's category,
impacts_org), one list cannot say it: the list is the union over the system's organisations
and the prompt shown on selecting a cell says which organisation books what. A column where
nothing of this system is accepted gets no list, only a prompt saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from finmodel.calendar import MONTHS, month_label
from finmodel.contract import ICB_INCOME_CATEGORIES, ICB_SERVICE_LINES, PROVIDER_INCOME_CATEGORIES, Column, Sheet
from finmodel.system_config import SystemConfig

EXCEL_LIST_LIMIT = 255  # Excel refuses a typed drop-down list longer than this
PROMPT_LIMIT = 255  # and a prompt or error message longer than this
ErrorStyle = Literal["stop", "warning", "information"]
# init's workbooks, written before system.yaml names the analyst's organisations: the
# starter's placeholder codes would be refused once it does, so none is offered.
NO_CODES_YET = (
    "No organisation codes yet: name your organisations in system.yaml, then write these workbooks "
    "again with: finmodel templates <this folder> --force"
)


@dataclass(frozen=True)
class DropDown:
    choices: tuple[str, ...]  # () = no list: only the prompt (nothing of this system can be offered)
    # stop: only these; warning/information: these are suggested, other accepted forms
    # (a month as 7 or a date, a likelihood as a number) still go in after a prompt.
    style: ErrorStyle
    message: str
    prompt: str = ""  # shown on selecting a cell; "" = what the column's kind holds


def drop_down(sheet: Sheet, column: Column, system: SystemConfig, named: bool = True) -> DropDown | None:
    """The drop-down of a coded column on `sheet`, or None for a column that takes free values.

    `named` False: system.yaml's organisations are init's placeholders, not the analyst's.
    """
    if column.kind in ("org", "party") and not named:
        return DropDown((), "stop", NO_CODES_YET, NO_CODES_YET)
    by_sheet = _BY_SHEET.get((sheet.workbook, sheet.name, column.name))
    if by_sheet:
        return by_sheet(system, named)
    return _by_kind(column, system)


def _by_kind(column: Column, system: SystemConfig) -> DropDown | None:
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


def _icbs(system: SystemConfig) -> tuple[str, ...]:
    return tuple(o.code for o in system.icbs)


def _others(system: SystemConfig) -> tuple[str, ...]:
    """The organisations that are not an ICB: validation gives them the providers' categories."""
    return tuple(o.code for o in system.organisations if not o.is_icb)


def _whose(codes: tuple[str, ...], named: bool) -> str:
    """' (QZZ)' after "the ICB's rows", when the codes are the analyst's and short enough to say."""
    listed = ", ".join(codes)
    return f" ({listed})" if named and codes and len(listed) <= 40 else ""


def _phc_org(system: SystemConfig, named: bool) -> DropDown:
    icbs = _icbs(system)
    if not icbs:
        why = "No ICB in system.yaml, and PHC is the ICB's: phc.xlsx stays header-only."
        return DropDown((), "stop", why, why)
    blank = f"blank is {icbs[0]}, the one ICB" if len(icbs) == 1 else "needed on every row: there are several ICBs"
    return DropDown(icbs, "stop", "Choose an ICB of system.yaml: PHC is the ICB's.", f"The ICB that commissions this row's PHC; {blank}.")


def _impacts_org(system: SystemConfig, named: bool) -> DropDown:
    providers = tuple(o.code for o in system.providers)
    if not (providers and _icbs(system)):
        why = "Leave blank: impacts_org names the provider where an ICB's scheme saves, and system.yaml has no ICB or no provider."
        return DropDown((), "stop", why, why)
    prompt = f"Only on an ICB's scheme{_whose(_icbs(system), named)}: the provider where its saving lands. Blank for a provider's own scheme."
    return DropDown(providers, "stop", "Choose a provider of system.yaml: where the ICB scheme's saving lands.", prompt)


def _income_category(system: SystemConfig, named: bool) -> DropDown:
    icbs, others = _icbs(system), _others(system)
    choices = (*(PROVIDER_INCOME_CATEGORIES if others else ()), *(ICB_INCOME_CATEGORIES if icbs else ()))
    prompt = ""
    if icbs and others:  # the one list is both kinds': say whose is whose
        prompt = (f"The ICB's rows{_whose(icbs, named)}: {', '.join(ICB_INCOME_CATEGORIES)} only. "
                  f"Every other organisation's: {', '.join(PROVIDER_INCOME_CATEGORIES)}.")
    return DropDown(choices, "stop", "Choose one of the listed codes.", prompt)


def _nonpay_category(system: SystemConfig, named: bool) -> DropDown | None:
    icbs = _icbs(system)
    if not icbs:
        return None  # every organisation's category is free text
    if not _others(system):
        return DropDown(ICB_SERVICE_LINES, "stop", "Choose one of the ICB's service lines.")
    # Providers write free text here, so a list would refuse them (stop) or question every
    # entry (warning, information): the ICB's service lines go in the prompt instead.
    prompt = f"The ICB's rows{_whose(icbs, named)}: a service line: {', '.join(ICB_SERVICE_LINES)}. Other organisations': free text, e.g. Drugs."
    return DropDown((), "information", "", prompt)


_BY_SHEET: dict[tuple[str, str, str], Callable[[SystemConfig, bool], DropDown | None]] = {
    ("phc.xlsx", "budget", "org"): _phc_org,
    ("phc.xlsx", "packages", "org"): _phc_org,
    ("cip.xlsx", "schemes", "impacts_org"): _impacts_org,
    ("income.xlsx", "income", "category"): _income_category,
    ("nonpay.xlsx", "nonpay", "category"): _nonpay_category,
}


def fits_in_a_list(choices: tuple[str, ...]) -> bool:
    """Whether Excel takes the choices as a typed list (else they go on a hidden sheet)."""
    return len(",".join(choices)) <= EXCEL_LIST_LIMIT and not any("," in c or '"' in c for c in choices)
