"""What validation needs to know about the close: the year, the close month, the organisations,
and (for checks across sheets) every contract sheet read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from finmodel.calendar import FinancialYear, Period
from finmodel.system_config import SystemConfig


@dataclass(frozen=True)
class Context:
    system: SystemConfig | None  # None when system.yaml itself is faulty: org codes go unchecked
    period: Period | None  # None when the folder name is faulty: month rules go unchecked
    year: FinancialYear | None  # from the folder, else from system.yaml
    # (workbook, sheet) -> validate.table.Table, filled once every workbook is read (empty
    # while reading). Typed Any: table.py imports this module, not the other way round.
    tables: Mapping[tuple[str, str], Any] = field(default_factory=dict, compare=False)

    def table(self, workbook: str, sheet: str) -> Any:
        return self.tables.get((workbook, sheet))

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
