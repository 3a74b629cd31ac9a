"""What every shock is: a part of the scenario file, its check against the close and its money.

A shock module declares one ``Shock``: the file key it is written under, the label of
its steps in the workbooks' bridge, its pydantic model, whether the file holds a list of
rules or at most one, ``check`` (does the file's part fit the close?) and ``effect``
(one rule in money). Registering it in ``shocks/__init__.py`` is all the rest needs: the
file's schema, the check against the close, the bridge and the workbooks' labels follow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from finmodel.findings import Finding
from finmodel.money import divide_round
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.summary import BridgeItem

Rule = TypeVar("Rule", bound=BaseModel)
# (key path of the rule in the file, the rule): "agency_rate_card.0" for a list, "cip_delivery" for one.
Located = tuple[str, Rule]


@dataclass(frozen=True)
class Shock(Generic[Rule]):
    key: str  # the scenario file's key, and the bridge's overlay code
    label: str  # the name of its steps in the workbooks' bridge
    model: type[Rule]
    # Every rule of the file at once, with its key path: some checks span rules
    # (forecast_method: one method per organisation and line).
    check: Callable[[Sequence[Located[Rule]], CloseContext], list[Finding]]
    effect: Callable[[Rule, CloseContext], list[BridgeItem]]
    many: bool = True  # the file holds a list of rules; False: at most one (cip_delivery)

    def field(self) -> tuple[Any, Any]:
        """(annotation, default) of the key in the scenario file's model."""
        if self.many:
            return tuple[self.model, ...], ()  # type: ignore[name-defined]
        return self.model | None, None

    def rules(self, content: BaseModel) -> list[Located[Rule]]:
        """The file's rules of this shock, in file order, each with its key path."""
        value = getattr(content, self.key)
        if self.many:
            return [(f"{self.key}.{i}", rule) for i, rule in enumerate(value)]
        return [] if value is None else [(self.key, value)]


def share(amount: int, pct: Decimal) -> int:
    """amount x pct / 100, rounded once."""
    value = Fraction(pct) / 100 * amount
    return divide_round(value.numerator, value.denominator)


def first_open_month(close: CloseContext, month: int | None) -> int:
    """The first month a shock can change: months up to the close hold actuals."""
    return max(month or 0, close.month + 1)


def month_closed_warning(close: CloseContext, column: str, month: int | None, what: str) -> list[Finding]:
    """A start month at or before the close: a warning, as the shock applies from the month after."""
    if month is None or month > close.month:
        return []
    return [close.fault(column, "month_closed", month, f"a month after the close (M{close.month}): {what}", "warning")]
