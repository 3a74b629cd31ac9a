"""Movement since the previous close, and plans re-phased or re-based between closes.

Two different changes of plan, reported apart: a *re-phased* plan moved money between
months already closed (the YTD plan changed), a *re-based* plan changed the full-year plan
of a line. Either moves a variance with no change in performance, so the board is told.

Movements are in surplus terms (favourable positive), so one symbol rule serves every KPI:
▲ improved, ▼ deteriorated, ■ when the movement is within the materiality threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from finmodel.contract import is_provider
from finmodel.results import CloseResults
from finmodel.results.lines import Line

IMPROVED, DETERIORATED, WITHIN_MATERIALITY = "▲", "▼", "■"


def movement(now: int | None, before: int | None) -> int | None:
    """This close's figure - the previous close's (both in surplus terms)."""
    if now is None or before is None:
        return None
    return now - before


def symbol(change: int | None, materiality: int) -> str:
    if change is None:
        return ""
    if abs(change) < materiality:
        return WITHIN_MATERIALITY
    return IMPROVED if change > 0 else DETERIORATED


@dataclass(frozen=True)
class Rephasing:
    """An organisation whose plan for months already closed differs from the previous close's."""

    org: str
    months: tuple[int, ...]  # the closed months whose plan changed
    closed_months: int  # the previous close's month M: months 1..M were already closed
    ytd_plan_change: int  # change in the surplus plan for months 1..M (pence; + = plan raised)


def rephasings(results: CloseResults, previous: CloseResults | None) -> tuple[Rephasing, ...]:
    """Plans for months 1..M of the previous close that changed since it, by organisation.

    A re-phased or re-set plan moves the YTD variance with no change in performance; the
    KPI notes name it so the board does not read it as one.
    """
    if previous is None:
        return ()
    closed = previous.month
    before = {p.org: p.monthly_plan for p in previous.positions}
    found = []
    for position in results.positions:
        if position.org not in before:
            continue
        old, new = before[position.org][:closed], position.monthly_plan[:closed]
        months = tuple(m for m, (a, b) in enumerate(zip(old, new), start=1) if a != b)
        if months:
            found.append(Rephasing(position.org, months, closed, sum(new) - sum(old)))
    return tuple(found)


@dataclass(frozen=True)
class PlanChange:
    """A line whose full-year plan changed: amounts in pence, in the line's natural direction
    (income and spend both positive), as the organisation planned them."""

    line: str  # a line group (pay, non_pay, acute, ...) or, for a provider, an income category
    sign: int  # +1 income, -1 expenditure
    before: int  # the full-year plan at the previous close
    after: int  # the full-year plan at this close

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def surplus_effect(self) -> int:
        """The change's effect on the planned surplus/(deficit): a cost plan raised lowers it."""
        return self.sign * self.change


@dataclass(frozen=True)
class Rebasing:
    """An organisation whose full-year plan changed since the previous close, line by line."""

    org: str
    since: int  # the previous close's month
    lines: tuple[PlanChange, ...]  # only the lines whose full-year plan changed, in board order
    ebitda_change: int | None  # a provider's planned EBITDA: income - pay - operating non-pay; else None

    @property
    def surplus_change(self) -> int:
        """The change in the full-year planned surplus/(deficit) (+ = plan raised)."""
        return sum(line.surplus_effect for line in self.lines)


def _full_year_lines(results: CloseResults, org: str, by_category: bool) -> dict[str, Line]:
    """The organisation's lines; a provider's income by category when both closes keep them."""
    lines = dict(results.position(org).lines)
    if by_category:
        income = next(i for i in results.income_categories if i.org == org)
        lines = {**dict(income.categories), **{k: v for k, v in lines.items() if k != "income"}}
    return lines


def rebasings(results: CloseResults, previous: CloseResults | None) -> tuple[Rebasing, ...]:
    """Organisations whose full-year plan of any line differs from the previous close's.

    An unchanged plan gives nothing. Only meaningful against a close of the same year (the
    caller passes the comparable previous close, as for every movement)."""
    if previous is None:
        return ()
    before_orgs = {p.org for p in previous.positions}
    with_categories = {i.org for i in results.income_categories} & {i.org for i in previous.income_categories}
    found = []
    for o in results.organisations:
        if o.code not in before_orgs:
            continue
        now = _full_year_lines(results, o.code, o.code in with_categories)
        before = _full_year_lines(previous, o.code, o.code in with_categories)
        changes = tuple(
            PlanChange(code, line.sign, before[code].year_plan if code in before else 0, line.year_plan)
            for code, line in now.items()
            if line.year_plan != (before[code].year_plan if code in before else 0)
        )
        if changes:
            ebitda = sum(c.surplus_effect for c in changes if c.line != "non_operating") if is_provider(o.type) else None
            found.append(Rebasing(o.code, previous.month, changes, ebitda))
    return tuple(found)
