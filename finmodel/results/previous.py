"""Last year and last month beside this close: one record per organisation and segment.

``Figures`` holds a row's income and expenditure at this close, the same at the stored
previous close (None on a year's first close, or for a segment that close did not have),
and last year's outturn from system.yaml (None where not given). Totals and subtotals are
the field-wise sums of their members (lines.add_up): a total of figures where one member
has no previous close or no prior-year outturn is itself None, never a partial sum.

Definitions (domain.md, "Segments, last year and last month"): growth on last year = FOT -
prior-year outturn; FOT movement = this FOT variance - last month's (and likewise YTD).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from finmodel.results import CloseResults
from finmodel.results.lines import Line
from finmodel.system_config import SystemConfig


Of = Literal["surplus", "income", "expenditure"]


@dataclass(frozen=True)
class Figures:
    code: str  # organisation code, ``<ORG>.<segment>``, or a total's code
    income: Line
    expenditure: Line
    previous_income: Line | None
    previous_expenditure: Line | None
    prior_year_outturn: int | None

    @property
    def surplus(self) -> Line:
        return self.income + self.expenditure.as_surplus()

    @property
    def previous_surplus(self) -> Line | None:
        if self.previous_income is None or self.previous_expenditure is None:
            return None
        return self.previous_income + self.previous_expenditure.as_surplus()

    @property
    def growth(self) -> int | None:
        """FOT - prior-year outturn: positive means a better year than last."""
        return None if self.prior_year_outturn is None else self.surplus.fot - self.prior_year_outturn

    @property
    def previous_ytd_variance(self) -> int | None:
        before = self.previous_surplus
        return None if before is None else before.ytd_variance

    @property
    def previous_fot_variance(self) -> int | None:
        before = self.previous_surplus
        return None if before is None else before.fot_variance

    @property
    def ytd_movement(self) -> int | None:
        before = self.previous_ytd_variance
        return None if before is None else self.surplus.ytd_variance - before

    @property
    def fot_movement(self) -> int | None:
        before = self.previous_fot_variance
        return None if before is None else self.surplus.fot_variance - before

    def line(self, of: Of, previous: bool = False) -> Line | None:
        """Income, expenditure or surplus at this close or the previous one, in surplus terms
        (expenditure negative, so income + expenditure = surplus in every measure)."""
        if of == "surplus":
            return self.previous_surplus if previous else self.surplus
        line = (self.previous_income if previous else self.income) if of == "income" else (
            self.previous_expenditure if previous else self.expenditure
        )
        return None if line is None else line.as_surplus()

    def movement(self, of: Of, ytd: bool) -> int | None:
        """This close's variance - the previous close's (YTD or FOT), in surplus terms."""
        now, before = self.line(of), self.line(of, previous=True)
        if now is None or before is None:
            return None
        return now.ytd_variance - before.ytd_variance if ytd else now.fot_variance - before.fot_variance


def org_figures(results: CloseResults, previous: CloseResults | None, system: SystemConfig) -> dict[str, Figures]:
    """By organisation code. ``previous`` is the comparable previous close (PackInputs.comparable_previous)."""
    before = {p.org: p for p in previous.positions} if previous is not None else {}
    known = set(system.codes)
    out = {}
    for p in results.positions:
        old = before.get(p.org)
        outturn = system.organisation(p.org).prior_year_outturn if p.org in known else None
        out[p.org] = Figures(
            p.org, p.income, p.expenditure, old.income if old else None, old.expenditure if old else None, outturn
        )
    return out


def segment_figures(results: CloseResults, previous: CloseResults | None, system: SystemConfig) -> dict[str, Figures]:
    """By segment code ``<ORG>.<segment>``; a segment's prior-year outturn is its own in system.yaml."""
    before = {s.code: s for s in previous.segments} if previous is not None else {}
    listed = {
        f"{o.code}.{s.code}": s.prior_year_outturn for o in system.organisations for s in o.segments
    }
    out = {}
    for s in results.segments:
        old = before.get(s.code)
        out[s.code] = Figures(
            s.code, s.income, s.expenditure, old.income if old else None, old.expenditure if old else None, listed.get(s.code)
        )
    return out


def all_figures(results: CloseResults, previous: CloseResults | None, system: SystemConfig) -> dict[str, Figures]:
    """Organisations' and segments' figures together (their codes never clash: a segment's has a dot)."""
    return {**org_figures(results, previous, system), **segment_figures(results, previous, system)}
