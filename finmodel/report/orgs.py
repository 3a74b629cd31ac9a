"""Which rows an organisation table has, in which order, and how its totals are made.

Board order: each provider (system.yaml order), the provider total, then every other
organisation (the ICB, and any of type "other", which count in the ICS total but in no
provider total), the ICS total, and last the groups of system.yaml as memo subtotals.
Totals are the field-wise sums of the rows (results.lines.add_up), so a total is always
exactly the sum of what it totals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from finmodel.contract import PROVIDER_TYPES
from finmodel.report import labels
from finmodel.report.table import ICS, PROVIDERS
from finmodel.results import CloseResults, OrgInfo
from finmodel.results.lines import add_up

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    code: str
    label: str
    record: T
    total: bool = False


def providers(results: CloseResults) -> tuple[OrgInfo, ...]:
    return tuple(o for o in results.organisations if o.type in PROVIDER_TYPES)


def non_providers(results: CloseResults) -> tuple[OrgInfo, ...]:
    return tuple(o for o in results.organisations if o.type not in PROVIDER_TYPES)


def board_order(results: CloseResults) -> tuple[OrgInfo, ...]:
    """Providers first, then the rest, each in system.yaml order."""
    return providers(results) + non_providers(results)


def entries(
    results: CloseResults,
    records: Mapping[str, T],
    key: str,
    *,
    provider_total: bool = True,
    ics_total: bool = True,
    groups: bool = True,
    after: Callable[[str], list[Entry[T]]] | None = None,
    **fixed: object,
) -> list[Entry[T]]:
    """Rows of an organisation table for the organisations that have a record.

    ``key`` is the record's code field (``org`` or ``row``), set on each total; ``fixed``
    names other fields a total must not sum (an agency record's close month). ``after``
    adds memo rows after an organisation's own row (the ICB schemes impacting providers).
    """

    def total(code: str, members: list[T]) -> T:
        return add_up(members, **{key: code}, **fixed)

    def own(o: OrgInfo) -> list[Entry[T]]:
        return [Entry(o.code, o.name, records[o.code]), *(after(o.code) if after else [])]

    mine = [o for o in providers(results) if o.code in records]
    rest = [o for o in non_providers(results) if o.code in records]
    rows: list[Entry[T]] = [e for o in mine for e in own(o)]
    if mine and provider_total:
        rows.append(Entry(PROVIDERS, labels.PROVIDER_TOTAL, total(PROVIDERS, [records[o.code] for o in mine]), True))
    rows += [e for o in rest for e in own(o)]
    everyone = [records[o.code] for o in mine + rest]
    if everyone and ics_total:
        rows.append(Entry(ICS, labels.ICS_TOTAL, total(ICS, everyone), True))
    if groups:
        for name, codes in results.groups:
            members = [records[c] for c in codes if c in records]
            if members:
                rows.append(Entry(name, name, total(name, members)))
    return rows
