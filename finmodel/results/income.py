"""A provider's income by category (income.xlsx's `category`), YTD, full year and FOT.

The position keeps income as one line group; a trust board reads it by category (domain.md,
"A trust's own I&E"), so the categories are kept per provider beside the position. They add
up exactly to the provider's income line: validation lets a provider book only the
provider categories of the contract.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finmodel.contract import PROVIDER_INCOME_CATEGORIES, is_provider
from finmodel.results.lines import Line, sum_by, ytd_measures
from finmodel.system_config import SystemConfig

_SUMMED = ("ytd_plan", "actual", "plan", "forecast")


@dataclass(frozen=True)
class OrgIncome:
    org: str
    categories: tuple[tuple[str, Line], ...]  # every provider category of the contract, in contract order

    def category(self, code: str) -> Line:
        return dict(self.categories).get(code, Line(+1))


def compute_income_categories(ledger: pd.DataFrame, system: SystemConfig, month: int) -> tuple[OrgIncome, ...]:
    """Each provider's income lines by category; a category it does not book is a zero line."""
    income = ledger[ledger["line_group"] == "income"]
    sums = sum_by(ytd_measures(income, month), ("org", "line"), _SUMMED)
    out = []
    for org in system.organisations:
        if not is_provider(org.type):
            continue
        lines = []
        for category in PROVIDER_INCOME_CATEGORIES:
            s = sums.get((org.code, category))
            line = Line(+1, s["ytd_plan"], s["actual"], s["plan"], s["forecast"]) if s else Line(+1)
            lines.append((category, line))
        out.append(OrgIncome(org.code, tuple(lines)))
    return tuple(out)
