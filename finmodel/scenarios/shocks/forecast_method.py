"""Forecast method: chosen lines forecast by another method than the organisation's own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field, field_validator

from finmodel.contract import FORECAST_METHODS
from finmodel.findings import Finding
from finmodel.results.position import line_groups_for
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.fields import OrgCode, Strict
from finmodel.scenarios.shocks.base import Located, Shock
from finmodel.scenarios.summary import BridgeItem
from finmodel.system_config import LINE_GROUPS

KEY = "forecast_method"


class ForecastMethod(Strict):
    lines: tuple[Literal[LINE_GROUPS], ...]  # type: ignore[valid-type]
    method: Literal[FORECAST_METHODS]  # type: ignore[valid-type]
    organisations: tuple[OrgCode, ...] = Field((), description="empty = every organisation with these lines")

    @field_validator("lines")
    @classmethod
    def _some_lines(cls, lines: tuple[str, ...]) -> tuple[str, ...]:
        # After the items are valid (a min_length would also fire for a list of wrong names).
        if not lines:
            raise ValueError("at least one line")
        return lines


def _lines_fit(where: str, rule: ForecastMethod, line: str, close: CloseContext) -> tuple[list[str], list[Finding]]:
    """The organisations of the rule that have the line, and a finding if the line does not fit."""
    types = close.types
    having = [o for o in (rule.organisations or close.codes) if o in types and line in line_groups_for(types[o])]
    if not rule.organisations:
        found = [] if having else [close.fault(where, "org_type_mismatch", line, "a line some organisation of the close has")]
        return having, found
    found = [close.fault(where, "org_type_mismatch", line, f"a line of {code}: one of {', '.join(line_groups_for(types[code]))}")
             for code in rule.organisations if code in types and line not in line_groups_for(types[code])]
    return having, found


def check(rules: Sequence[Located[ForecastMethod]], close: CloseContext) -> list[Finding]:
    """Named organisations must have the lines; one method per organisation and line, across rules."""
    found: list[Finding] = []
    overridden: dict[tuple[str, str], str] = {}
    for where, rule in rules:
        for j, code in enumerate(rule.organisations):
            found += close.org(f"{where}.organisations.{j}", code)
        for k, line in enumerate(rule.lines):
            having, misfits = _lines_fit(f"{where}.lines.{k}", rule, line, close)
            found += misfits
            for code in having:
                if (code, line) in overridden:
                    found.append(close.fault(f"{where}.lines.{k}", "duplicate_override", line,
                                             f"one method per line: {code} {line} is already set by {overridden[(code, line)]}"))
                overridden.setdefault((code, line), where)
    return found


def effect(rule: ForecastMethod, close: CloseContext) -> list[BridgeItem]:
    """The chosen lines forecast by another method: model FOT - submitted FOT, in surplus terms."""
    rows = {(c.org, c.line_group): c for c in close.results.challenge}
    label = f"Forecast {', '.join(l.replace('_', ' ') for l in rule.lines)} by {rule.method.replace('_', ' ')}"
    items = []
    for org in rule.organisations or tuple(close.codes):
        lines = [l for l in rule.lines if l in line_groups_for(close.types[org])]
        if not lines:
            continue  # an ICB has no pay line to re-forecast when every organisation is meant
        amount = 0
        for line in lines:
            row = rows[(org, line)]
            amount += row.sign * (dict(row.method_fots)[rule.method] - row.submitted_fot)
        items.append(BridgeItem(org, KEY, label, amount))
    return items


SHOCK = Shock(KEY, "Forecast method", ForecastMethod, check, effect)
