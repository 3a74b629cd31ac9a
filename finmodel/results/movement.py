"""Movement since the previous close, and plans re-phased between closes.

Movements are in surplus terms (favourable positive), so one symbol rule serves every KPI:
▲ improved, ▼ deteriorated, ■ when the movement is within the materiality threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from finmodel.results import CloseResults

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
