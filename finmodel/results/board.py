"""Which rows an organisation table has, in which order, and how its totals are made.

Board order: each provider (system.yaml order), the provider total, then every other
organisation (the ICB, and any of type "other", which count in the ICS total but in no
provider total), the ICS total, and last the groups of system.yaml as memo subtotals.
Totals are the field-wise sums of the rows (lines.add_up), so a total is always exactly
the sum of what it totals. The report only gives these rows their words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from finmodel.contract import is_provider
from finmodel.results import CloseResults, OrgInfo, OrgPosition
from finmodel.results.agreement import eliminated, one_sided
from finmodel.results.lines import Line, add_up

T = TypeVar("T")

# Row codes of totals (docs/tables.md): organisation tables use PROVIDERS and ICS, tables
# by line, service, category or band use TOTAL.
PROVIDERS = "PROVIDERS"
ICS = "ICS"
TOTAL = "TOTAL"

RowKind = Literal["org", "memo", "segment", "provider_total", "ics_total", "group"]


@dataclass(frozen=True)
class BoardRow(Generic[T]):
    code: str  # organisation code, PROVIDERS, ICS or the group's name
    kind: RowKind  # "memo", "segment": a row added under an organisation's own by the caller, in no total
    record: T
    label: str = ""  # the organisation's name, or a memo row's own words; totals get theirs in the report

    @property
    def total(self) -> bool:
        return self.kind in ("provider_total", "ics_total")


def providers(results: CloseResults) -> tuple[OrgInfo, ...]:
    return tuple(o for o in results.organisations if is_provider(o.type))


def non_providers(results: CloseResults) -> tuple[OrgInfo, ...]:
    return tuple(o for o in results.organisations if not is_provider(o.type))


def board_order(results: CloseResults) -> tuple[OrgInfo, ...]:
    """Providers first, then the rest, each in system.yaml order."""
    return providers(results) + non_providers(results)


def ics_position(results: CloseResults) -> OrgPosition:
    """The system's position: the field-wise sum of every organisation's."""
    return add_up(results.positions, org=ICS)


def board_rows(
    results: CloseResults,
    records: Mapping[str, T],
    key: str,
    *,
    provider_total: bool = True,
    ics_total: bool = True,
    groups: bool = True,
    after: Callable[[str], list[BoardRow[T]]] | None = None,
    **fixed: object,
) -> list[BoardRow[T]]:
    """Rows of an organisation table for the organisations that have a record.

    ``key`` is the record's code field (``org`` or ``row``), set on each total; ``fixed``
    names other fields a total must not sum (an agency record's close month). ``after``
    adds memo rows after an organisation's own row (the ICB schemes impacting providers).
    """

    def total(code: str, members: list[T]) -> T:
        return add_up(members, **{key: code}, **fixed)

    def own(o: OrgInfo) -> list[BoardRow[T]]:
        return [BoardRow(o.code, "org", records[o.code], o.name), *(after(o.code) if after else [])]

    mine = [o for o in providers(results) if o.code in records]
    rest = [o for o in non_providers(results) if o.code in records]
    rows: list[BoardRow[T]] = [e for o in mine for e in own(o)]
    if mine and provider_total:
        rows.append(BoardRow(PROVIDERS, "provider_total", total(PROVIDERS, [records[o.code] for o in mine])))
    rows += [e for o in rest for e in own(o)]
    everyone = [records[o.code] for o in mine + rest]
    if everyone and ics_total:
        rows.append(BoardRow(ICS, "ics_total", total(ICS, everyone)))
    if groups:
        for name, codes in results.groups:
            members = [records[c] for c in codes if c in records]
            if members:
                rows.append(BoardRow(name, "group", total(name, members), name))
    return rows


def segment_rows(results: CloseResults, records: Mapping[str, T]) -> Callable[[str], list[BoardRow[T]]]:
    """For ``board_rows(after=...)``: an organisation's segments as rows under its own, in
    their order. They are in no total: the organisation's own row already holds them."""
    by_org: dict[str, list[BoardRow[T]]] = {}
    for s in results.segments:
        if s.code in records:
            by_org.setdefault(s.org, []).append(BoardRow(s.code, "segment", records[s.code], s.label))
    return lambda org: list(by_org.get(org, []))


# The ICS row of each result, one definition each, for the report, the CLI and scenarios.
def ics_drivers(results: CloseResults):  # type: ignore[no-untyped-def]
    return add_up(results.drivers, org=ICS)


def ics_risks(results: CloseResults):  # type: ignore[no-untyped-def]
    return add_up(results.risks, row=ICS)


def ics_agency(results: CloseResults):  # type: ignore[no-untyped-def]
    """None when no provider reports agency spend."""
    return add_up(results.agency, org=ICS, month=results.month) if results.agency else None


def ics_cip(results: CloseResults):  # type: ignore[no-untyped-def]
    """The organisations' CIP summed; the ICB's memo row of schemes landing in providers is not one."""
    orgs = {o.code for o in results.organisations}
    mine = [c for c in results.cip if c.row in orgs]
    return add_up(mine, row=ICS) if mine else None


@dataclass(frozen=True)
class Gross:
    """Gross income and expenditure of the ICS (or a group) with tagged flows between its
    organisations eliminated (results/agreement.py); ``eliminated`` and ``one_sided`` say by
    how much, and how much was tagged by one side only and so is still counted."""

    income: Line
    expenditure: Line
    eliminated: Line  # as income (+1)
    one_sided: Line  # as income (+1)


def gross(results: CloseResults, members: tuple[str, ...] | None = None) -> Gross | None:
    """None when no row of the close names an organisation as its counterparty: flows cannot
    be eliminated, and gross figures added up would count them twice."""
    if not results.agreement.pairs:
        return None
    within = None if members is None else frozenset(members)
    mine = [p for p in results.positions if within is None or p.org in within]
    matched = eliminated(results.agreement, within)
    income, expenditure = Line(+1), Line(-1)
    for p in mine:
        income, expenditure = income + p.income, expenditure + p.expenditure
    return Gross(_less(income, matched), _less(expenditure, matched), matched, one_sided(results.agreement, within))


def _less(line: Line, amount: Line) -> Line:
    """The line with ``amount`` taken off each measure, keeping its sign."""
    return Line(line.sign, line.ytd_plan - amount.ytd_plan, line.ytd_actual - amount.ytd_actual,
                line.year_plan - amount.year_plan, line.forecast - amount.forecast)
