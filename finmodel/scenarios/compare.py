"""How a scenario's year end moved between two recorded runs, and why (pure).

The recovery group meets weekly: this week's run of a scenario against last week's.
Three views, each exact in pence:
- **movements**: per organisation and the ICS, each headline figure before, after and
  the change (scenario FOT, likely, P10/P50/P90, the chance of meeting the target and the
  further mitigations required);
- **the likely-case bridge**: the change in the likely case step by step (the close's FOT,
  each shock, risk share, the register as closed, the file's register changes). Each run's
  own bridge adds up from the close's FOT to its likely case, so the steps' changes add up
  to the change in the likely case exactly;
- **the file bridge**: what the two scenario files say differently, compared as parsed
  (register changes and new items by id, each shock key, risk share, the Monte Carlo keys),
  in words.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from finmodel.calendar import close_label
from finmodel.money import pounds_label
from finmodel.results.board import ICS
from finmodel.scenarios.fields import percent_label
from finmodel.scenarios.file import ScenarioFile
from finmodel.scenarios.register import REGISTER_AS_CLOSED, REGISTER_CHANGE
from finmodel.scenarios.sharing import RISK_SHARE, RISK_SHARE_LIKELY
from finmodel.scenarios.shocks import SHOCKS
from finmodel.scenarios.summary import ScenarioRow, ScenarioSummary
from finmodel.system_config import Pence

ADDED, REMOVED, RE_VALUED, RE_ASSESSED, CHANGED = "added", "removed", "re_valued", "re_assessed", "changed"
CLOSE_FOT, LIKELY = "close_fot", "likely"
# The likely-case bridge's steps in order: the close, the shocks, then the register.
STEP_ORDER = (CLOSE_FOT, *(s.key for s in SHOCKS), RISK_SHARE, REGISTER_AS_CLOSED, REGISTER_CHANGE, RISK_SHARE_LIKELY)
_TO_LIKELY = (REGISTER_AS_CLOSED, REGISTER_CHANGE, RISK_SHARE_LIKELY)
# The figures compared, with how a summary row gives each (further at P10: with 90% confidence).
MEASURES: tuple[tuple[str, Callable[[ScenarioRow], int | Decimal]], ...] = (
    ("scenario_fot", lambda r: r.base_fot),
    ("likely", lambda r: r.likely),
    ("p10", lambda r: r.p10),
    ("p50", lambda r: r.p50),
    ("p90", lambda r: r.p90),
    ("probability_meeting_target", lambda r: r.probability_meeting_target),
    ("further_required_likely", lambda r: r.further_required_likely),
    ("further_required_p50", lambda r: r.further_required_p50),
    ("further_required_p10", lambda r: r.further_required_p90),
)
_PENCE_CHECK = typing.get_args(Pence)[1]  # the validator that marks a field as money


@dataclass(frozen=True)
class RecordedRun:
    """A scenario run as the close history keeps it, its figures read back."""

    run_id: int
    name: str
    year: str  # the overlaid close: "2023/24", 10 and its version
    month: int
    close_version: int
    run_at: str  # ISO-8601 UTC
    run_by: str
    file_sha256: str
    summary: ScenarioSummary
    content: ScenarioFile | None = None  # the stored file text, parsed; None when it no longer reads

    @property
    def close(self) -> str:
        return close_label(self.year, self.month)


@dataclass(frozen=True)
class Movement:
    row: str  # organisation code or ICS
    measure: str  # a code of MEASURES
    before: int | Decimal | None  # None: the row is not in that run
    after: int | Decimal | None

    @property
    def change(self) -> int | Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class LikelyStep:
    step: str  # a code of STEP_ORDER
    amounts: tuple[tuple[str, int], ...]  # (organisation, change in pence), then (ICS, their sum)


@dataclass(frozen=True)
class FileChange:
    kind: str  # added, removed, re_valued, re_assessed, changed
    key: str  # "item ICB-R05", or a file key: "industrial_action", "risk_share", "monte_carlo"
    what: str  # in words, e.g. "likelihood 40% to 60%"


@dataclass(frozen=True)
class RunComparison:
    before: RecordedRun
    after: RecordedRun
    movements: tuple[Movement, ...]
    likely_bridge: tuple[LikelyStep, ...]
    file_changes: tuple[FileChange, ...]
    notes: tuple[str, ...]

    def movement(self, row: str, measure: str) -> Movement:
        return next(m for m in self.movements if m.row == row and m.measure == measure)


def compare_runs(before: RecordedRun, after: RecordedRun) -> RunComparison:
    """``after`` (this week's run) against ``before`` (the earlier one)."""
    rows = _rows(before.summary, after.summary)
    old, new = ({r.row: r for r in s.rows} for s in (before.summary, after.summary))
    movements = tuple(
        Movement(row, code, value(old[row]) if row in old else None, value(new[row]) if row in new else None)
        for row in rows for code, value in MEASURES
    )
    changes: tuple[FileChange, ...] = ()
    if before.content is not None and after.content is not None:
        changes = file_changes(before.content, after.content)
    return RunComparison(before, after, movements, likely_bridge(before.summary, after.summary), changes, _notes(before, after))


def _rows(*summaries: ScenarioSummary) -> list[str]:
    """Organisations in the order the runs give them (the later run's first), then the ICS."""
    seen = dict.fromkeys(r.row for s in reversed(summaries) for r in s.rows if r.row != ICS)
    return [*seen, ICS]


def _steps(summary: ScenarioSummary) -> dict[str, dict[str, int]]:
    """The run's bridge as totals by step and organisation, with the close's FOT it starts from."""
    totals: dict[str, dict[str, int]] = {}
    for item in summary.bridge:
        step = totals.setdefault(item.overlay, {})
        step[item.org] = step.get(item.org, 0) + item.amount
    close: dict[str, int] = {}
    for row in summary.rows:
        if row.row != ICS:
            to_fot = sum(t.get(row.row, 0) for step, t in totals.items() if step not in _TO_LIKELY)
            close[row.row] = row.base_fot - to_fot
    return {CLOSE_FOT: close, **totals}


def likely_bridge(before: ScenarioSummary, after: ScenarioSummary) -> tuple[LikelyStep, ...]:
    """The change in the likely case, step by step; the steps add up to it by organisation."""
    orgs = _rows(before, after)[:-1]
    old, new = _steps(before), _steps(after)
    steps = []
    for step in [*STEP_ORDER, *sorted((set(old) | set(new)) - set(STEP_ORDER))]:
        if step not in old and step not in new:
            continue
        amounts = [(org, new.get(step, {}).get(org, 0) - old.get(step, {}).get(org, 0)) for org in orgs]
        steps.append(LikelyStep(step, (*amounts, (ICS, sum(a for _, a in amounts)))))
    return tuple(steps)


def _notes(before: RecordedRun, after: RecordedRun) -> tuple[str, ...]:
    notes = []
    if (before.close, before.close_version) != (after.close, after.close_version):
        notes.append(f"The runs overlay different closes ({before.close} version {before.close_version}, then "
                     f"{after.close} version {after.close_version}): the Close FOT step is the close's own movement.")
    if (before.summary.seed, before.summary.iterations) != (after.summary.seed, after.summary.iterations):
        notes.append("The Monte Carlo seed or iterations differ, so P10, P50, P90 and the chance of meeting the target "
                     "also move by the draw itself.")
    if before.file_sha256 == after.file_sha256:
        notes.append("The scenario file is unchanged (the same SHA-256).")
    if before.content is None or after.content is None:
        notes.append("A stored file no longer reads with this finmodel, so the file bridge is left out.")
    return tuple(notes)


# -- the file bridge ---------------------------------------------------------------------------

_AS_REGISTERED: dict[str, Any] = {"new": False, "include": True, "value": None, "likelihood": None, "status": None}
_NEW_ITEM_DETAILS = ("org", "type", "category", "description")


def _items(content: ScenarioFile) -> dict[str, dict[str, Any]]:
    """Each item id the file names, as the file leaves it (None: as registered)."""
    items = {i.id: {"new": True, "include": True, **i.model_dump(exclude={"id"})} for i in content.new_items}
    for item_id, change in content.changes.items():
        items[item_id] = {"new": False, **change.model_dump()}
    return items


def _shown(value: Any, money: bool = False) -> str:
    if value is None:
        return "as registered"
    if money and isinstance(value, int):
        return pounds_label(value)
    if isinstance(value, Decimal):
        return percent_label(value)
    return str(value)


def _item_change(item_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[FileChange]:
    key = f"item {item_id}"
    here_before = before is not None and before["include"]
    here_after = after is not None and after["include"]
    if here_after and not here_before:
        assert after is not None
        if after["new"]:
            return [FileChange(ADDED, key, f"new {after['type']} at {after['org']}, {pounds_label(after['value'])} "
                                           f"at {_shown(after['likelihood'])}")]
        given = [f"{k} {_shown(after[k], k == 'value')}" for k in ("value", "likelihood", "status") if after[k] is not None]
        return [FileChange(ADDED, key, "switched back on" + (f" ({', '.join(given)})" if given else ""))]
    if here_before and not here_after:
        assert before is not None
        return [FileChange(REMOVED, key, "switched off" if after is not None else f"no longer a new {before['type']}")]
    if not (here_before and here_after):
        return []
    assert before is not None and after is not None
    found = []
    if before["value"] != after["value"]:
        found.append(FileChange(RE_VALUED, key, f"value {_shown(before['value'], True)} to {_shown(after['value'], True)}"))
    assessed = [f"{k} {_shown(before[k])} to {_shown(after[k])}" for k in ("likelihood", "status") if before[k] != after[k]]
    if assessed:
        found.append(FileChange(RE_ASSESSED, key, ", ".join(assessed)))
    if before["new"] and after["new"]:
        details = [f"{k} {before[k]!r} to {after[k]!r}" for k in _NEW_ITEM_DETAILS if before[k] != after[k]]
        if details:
            found.append(FileChange(CHANGED, key, ", ".join(details)))
    return found


def item_changes(before: ScenarioFile, after: ScenarioFile) -> list[FileChange]:
    """Items added, removed, re-valued and re-assessed, by id.

    An id only under ``register:`` is on the close's register, so a file that does not name
    it leaves it as registered; an id only under ``new_items`` is absent from a file that
    does not name it.
    """
    old, new = _items(before), _items(after)
    found = []
    for item_id in sorted(set(old) | set(new)):
        b, a = old.get(item_id), new.get(item_id)
        if b is None and a is not None and not a["new"]:
            b = _AS_REGISTERED
        if a is None and b is not None and not b["new"]:
            a = _AS_REGISTERED
        found += _item_change(item_id, b, a)
    return found


def _money_fields(model: type[BaseModel]) -> set[str]:
    def money(annotation: Any) -> bool:
        return any(a is _PENCE_CHECK or money(a) for a in typing.get_args(annotation))

    return {name for name, f in model.model_fields.items() if _PENCE_CHECK in f.metadata or money(f.annotation)}


def _described(rule: BaseModel) -> dict[str, str]:
    """A rule's keys the file sets, as words: money in pounds, the rest as written."""
    money = _money_fields(type(rule))
    shown = {}
    for key, value in rule.model_dump(mode="json", exclude_defaults=True).items():
        raw = getattr(rule, key)
        shown[key] = _shown(raw, True) if key in money else (json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else str(value))
    return shown


def _rule_changes(key: str, before: Iterable[BaseModel], after: Iterable[BaseModel]) -> list[FileChange]:
    """Rules of one key: equal rules match; the rest pair up in file order as changed."""
    old, new = [_described(r) for r in before], [_described(r) for r in after]
    for rule in list(new):
        if rule in old:
            old.remove(rule)
            new.remove(rule)
    found = []
    for b, a in zip(old, new):
        parts = [f"{k} {b.get(k, 'not set')} to {a.get(k, 'not set')}" for k in dict.fromkeys([*b, *a]) if b.get(k) != a.get(k)]
        found.append(FileChange(CHANGED, key, ", ".join(parts)))
    found += [FileChange(REMOVED, key, _words(b)) for b in old[len(new):]]
    found += [FileChange(ADDED, key, _words(a)) for a in new[len(old):]]
    return found


def _words(rule: dict[str, str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in rule.items()) or "(the defaults)"


def _as_rules(value: Any) -> list[BaseModel]:
    if value is None:
        return []
    return list(value) if isinstance(value, tuple) else [value]


def file_changes(before: ScenarioFile, after: ScenarioFile) -> tuple[FileChange, ...]:
    """Everything the later file says differently: items, each shock key, risk share, Monte Carlo."""
    found = item_changes(before, after)
    for key in (*(s.key for s in SHOCKS), "risk_share"):
        found += _rule_changes(key, _as_rules(getattr(before, key)), _as_rules(getattr(after, key)))
    if before.monte_carlo != after.monte_carlo:
        found += _rule_changes("monte_carlo", [before.monte_carlo], [after.monte_carlo])
    return tuple(found)
