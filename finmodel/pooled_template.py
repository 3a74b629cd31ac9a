"""system.yaml's partners and share rules written back as commented YAML (system_template.py
writes the rest): `parse_system(system_yaml(s))` still gives `s` back.

A rule is written as one flow mapping (text double-quoted, numbers as their exact digits),
so a code, a percentage or an amount in pounds comes back exactly.
"""

from __future__ import annotations

import json
from decimal import Decimal

from finmodel.pooled_config import Partner, ShareRule

TOP = 30  # the comment column of top-level keys (system_template.TOP)


def _json(value: object) -> str:
    """A flow mapping YAML reads back as written: text double-quoted, numbers exact."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_json(k)}: {_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_json(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return json.dumps(value, ensure_ascii=False)


def _noted(text: str, note: str) -> str:
    return f"{text.ljust(TOP - 1)} # {note}" if len(text) < TOP - 1 else f"{text}  # {note}"


def _rule(rule: ShareRule) -> dict[str, object]:
    return rule.model_dump(mode="python", exclude_defaults=True)


def pooled_yaml(partners: tuple[Partner, ...], rules: tuple[ShareRule, ...]) -> list[str]:
    """The `partners` and `share_rules` keys, with their comments (docs/system-yaml.md)."""
    lines = [""]
    note = "optional: bodies outside the ICS that pool money with it (code, name, type: local_authority | other)"
    lines.append(_noted("partners: []" if not partners else "partners:", note))
    lines += [f"  - {_json(p.model_dump(mode='python'))}" for p in partners]
    note = "optional: who bears what % of a pooled fund's (or a baselined service's) over/underspend"
    lines.append(_noted("share_rules: []" if not rules else "share_rules:", note))
    if not rules:
        lines.append(" " * TOP + '#   e.g. - {name: BCF risk share, fund: BCF, tiers: [{shares: {ICB: 50, LA1: 50}}]}')
    lines += [f"  - {_json(_rule(r))}" for r in rules]
    return lines
