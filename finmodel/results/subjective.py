"""A trust's own I&E (domain.md): income by category, pay, operating non-pay, EBITDA and its
margin, then the non-operating items and the surplus/(deficit), for one provider or for all
the system's providers together.

``provider_lines(results, org)`` is the one definition: the Provider subjective sheet, the
provider summaries and any other table (a board's custom table) lay out what it returns.
Rows have stable codes (``SUBJECTIVE_ROWS``, listed in docs/tables.md) and are in surplus
terms, expenditure negative, so each money column adds up to the surplus/(deficit).

The contract's income categories and the board's rows. Trust boards read commissioning
income; private patient, overseas and road-traffic-accident (RTA) income; other income:

- ``commissioning`` = ``clinical_icb`` + ``clinical_other`` + ``erf``: what commissioners
  (the ICB, NHS England, other ICBs) pay for patient care; the elective recovery fund is
  paid by commissioners for elective activity, so it is commissioning income too. Each
  category keeps its own row above the subtotal, since the board follows ERF on its own.
- ``national_funding`` and ``other_operating``: the other income, each on its own row.
- Private patient, overseas and RTA income has no category of its own in income.xlsx: it is
  in the category the provider books it under (the example books private patients as other
  operating income). A row of its own needs a new category in the input contract.

EBITDA = income - pay - operating non-pay (the surplus before non-operating items); the
EBITDA margin = EBITDA / income, a ``Decimal`` fraction, ``None`` (not applicable) when
income is 0. The margin's variances are differences of margins (actual - plan, FOT - plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from finmodel.results.pooled import POOLED_LINE
from finmodel.results import CloseResults
from finmodel.results.board import PROVIDERS
from finmodel.results.income import OrgIncome
from finmodel.results.lines import Line, add_up
from finmodel.results.position import OrgPosition

COMMISSIONING = ("clinical_icb", "clinical_other", "erf")
OTHER_INCOME = ("national_funding", "other_operating")
SUBJECTIVE_ROWS = (
    *COMMISSIONING, "commissioning", *OTHER_INCOME, "income",
    "pay", "non_pay", "operating_expenditure", "ebitda", "ebitda_margin", "non_operating", "surplus",
)

Figure = int | Decimal | None
RowKind = Literal["line", "subtotal", "ratio"]


@dataclass(frozen=True)
class SubjectiveRow:
    """One row: money in pence (surplus terms), or a ratio; ``None`` is not applicable."""

    code: str
    kind: RowKind  # "subtotal": a sum of the rows above it (commissioning, income, ..., surplus)
    ytd_plan: Figure
    ytd_actual: Figure
    ytd_variance: Figure
    year_plan: Figure
    fot: Figure
    fot_variance: Figure


def provider_lines(results: CloseResults, org: str) -> tuple[SubjectiveRow, ...]:
    """The I&E of the provider ``org``, or of all providers together (``org`` = PROVIDERS).

    () when the system has no provider. A close stored before income categories were kept
    has the category rows and the commissioning subtotal not applicable (``None``)."""
    codes = results.provider_codes if org == PROVIDERS else (org,)
    if org != PROVIDERS and org not in results.provider_codes:
        raise ValueError(f"{org!r} is not a provider of this close")
    if not codes:
        return ()
    position = add_up([results.position(c) for c in codes], org=org)
    incomes = [i for i in results.income_categories if i.org in codes]
    categories = add_up(incomes, org=org) if len(incomes) == len(codes) else None
    return subjective_rows(position, categories)


def subjective_rows(position: OrgPosition, income: OrgIncome | None) -> tuple[SubjectiveRow, ...]:
    def group(code: str) -> Line:
        return (position.line(code) or Line(-1)).as_surplus()

    total_income = position.income
    operating = group("pay") + group("non_pay")
    ebitda = total_income + operating
    rows = [_category(code, income) for code in COMMISSIONING]
    rows.append(_subtotal("commissioning", income, COMMISSIONING))
    rows += [_category(code, income) for code in OTHER_INCOME]
    rows += [
        _money("income", "subtotal", total_income),
        _money("pay", "line", group("pay")),
        _money("non_pay", "line", group("non_pay")),
        _money("operating_expenditure", "subtotal", operating),
        _money("ebitda", "subtotal", ebitda),
        _margin(ebitda, total_income),
        _money("non_operating", "line", group("non_operating")),
    ]
    # A provider's share of a pooled budget (results/pooled.py) is below EBITDA, on its own row.
    if position.line(POOLED_LINE) is not None:
        rows.append(_money(POOLED_LINE, "line", group(POOLED_LINE)))
    rows.append(_money("surplus", "subtotal", ebitda + group("non_operating") + group(POOLED_LINE)))
    return tuple(rows)


def _money(code: str, kind: RowKind, line: Line) -> SubjectiveRow:
    return SubjectiveRow(code, kind, line.ytd_plan, line.ytd_actual, line.ytd_variance, line.year_plan, line.fot, line.fot_variance)


def _not_applicable(code: str, kind: RowKind) -> SubjectiveRow:
    return SubjectiveRow(code, kind, None, None, None, None, None, None)


def _category(code: str, income: OrgIncome | None) -> SubjectiveRow:
    return _money(code, "line", income.category(code)) if income else _not_applicable(code, "line")


def _subtotal(code: str, income: OrgIncome | None, categories: tuple[str, ...]) -> SubjectiveRow:
    if income is None:
        return _not_applicable(code, "subtotal")
    total = Line(+1)
    for category in categories:
        total = total + income.category(category)
    return _money(code, "subtotal", total)


# A margin is defined to 12 decimal places (rounded half away from zero, once, here): far
# finer than any board reads it, and few enough digits that a spreadsheet cell (15-16
# significant digits) holds exactly the value the CSV gives.
MARGIN_PLACES = Decimal("1e-12")


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole as a Decimal fraction to MARGIN_PLACES; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(MARGIN_PLACES, rounding=ROUND_HALF_UP)


def _difference(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if now is None or before is None else now - before


def _margin(ebitda: Line, income: Line) -> SubjectiveRow:
    plan, actual = ratio(ebitda.ytd_plan, income.ytd_plan), ratio(ebitda.ytd_actual, income.ytd_actual)
    year_plan, fot = ratio(ebitda.year_plan, income.year_plan), ratio(ebitda.fot, income.fot)
    return SubjectiveRow("ebitda_margin", "ratio", plan, actual, _difference(actual, plan), year_plan, fot, _difference(fot, year_plan))
