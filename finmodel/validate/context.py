"""What validation needs to know about the close: the year, the close month, the organisations."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from finmodel.calendar import FinancialYear, Period
from finmodel.system_config import SystemConfig


@dataclass(frozen=True)
class Context:
    system: SystemConfig | None  # None when system.yaml itself is faulty: org codes go unchecked
    period: Period | None  # None when the folder name is faulty: month rules go unchecked
    year: FinancialYear | None  # from the folder, else from system.yaml

    @property
    def org_codes(self) -> frozenset[str] | None:
        return None if self.system is None else frozenset(self.system.codes)

    @property
    def icb_codes(self) -> frozenset[str]:
        return frozenset() if self.system is None else frozenset(o.code for o in self.system.icbs)

    @property
    def provider_codes(self) -> frozenset[str]:
        return frozenset() if self.system is None else frozenset(o.code for o in self.system.providers)

    @property
    def likelihood_words(self) -> dict[str, Decimal]:
        return {} if self.system is None else dict(self.system.parameters.likelihood_pct)
