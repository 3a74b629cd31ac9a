"""Pooled share: a share rule of system.yaml's form tried on the close, as if agreed.

The rule is measured against the stored close (a fund's contributions and forecast spend, a
PHC service's or an ICB line's FOT against its baseline) and each NHS organisation's part
becomes a bridge item, exactly as system.yaml's rules move the close's FOT (results/pooled.py).
It is on top of any rule system.yaml already holds: a scenario repeating one counts it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from finmodel.findings import Finding
from finmodel.money import pounds_label
from finmodel.pooled_config import ShareRule, pooled_findings
from finmodel.results.pooled import compute_shares
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.shocks.base import Located, Shock
from finmodel.scenarios.summary import BridgeItem

KEY = "pooled_share"


def check(rules: Sequence[Located[ShareRule]], close: CloseContext) -> list[Finding]:
    """The codes the rules name are the close's organisations or system.yaml's partners; a
    fund is one of the close's pooled.xlsx; each at the rule's key path in the file."""
    wheres = [where for where, _ in rules]
    found = pooled_findings(
        tuple(close.codes), tuple(close.icbs), close.system.partners, tuple(r for _, r in rules),
        close.system.parameters.phc.prior_year_outturn,
    )
    located = []
    for finding in found:
        if not finding.column.startswith("share_rules."):
            continue  # system.yaml's own partners were checked with the close
        index, _, rest = finding.column[len("share_rules."):].partition(".")
        column = f"{wheres[int(index)]}.{rest}" if rest else wheres[int(index)]
        located.append(replace(finding, workbook=close.file_name, column=column))
    funds = [f.fund for f in close.results.pooled_funds]
    for where, rule in rules:
        if rule.fund is not None and rule.fund not in funds:
            expected = f"a fund of the close's pooled.xlsx: {', '.join(funds) or 'none'}"
            located.append(close.fault(f"{where}.fund", "unknown_fund", rule.fund, expected))
    return located


def effect(rule: ShareRule, close: CloseContext) -> list[BridgeItem]:
    """Each NHS organisation's part of the rule's variance (the holder's net of what it passes on)."""
    r = close.results
    first_icb = r.icb_codes[0] if r.icb_codes else ""
    (share,) = compute_shares((rule,), r.pooled_funds, r.phc, r.positions, first_icb)
    label = f"{rule.name}: {pounds_label(abs(share.shared))} {'underspend' if share.shared > 0 else 'overspend'} shared"
    return [BridgeItem(org, KEY, label, amount) for org, amount in share.effects]


SHOCK = Shock(KEY, "Pooled budget shares", ShareRule, check, effect)
