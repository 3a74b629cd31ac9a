"""The KPI figures of a close by organisation and for the ICS, and their movement.

Pure: the KPIs sheet lays them out (report/labels.py gives each its words) and the
narrative quotes them, so both always say the same thing. Each figure is taken from the results; the ICS figure is the field-wise sum of
the organisations' records (ratios and averages recomputed from the sums, not averaged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from typing import Literal

from finmodel.results import CloseResults
from finmodel.results.board import ICS, board_order, ics_agency, ics_cip, ics_position
from finmodel.results.lines import add_up
from finmodel.results.movement import movement, symbol
from finmodel.system_config import SystemConfig

Figure = int | Decimal | None
KpiUnit = Literal["gbp", "pct"]


@dataclass(frozen=True)
class Kpi:
    code: str
    unit: KpiUnit
    values: dict[str, Figure]  # by organisation code, and ICS
    moves: str = ""  # for a movement row: the code of the KPI it is the movement of
    symbols: dict[str, str] = field(default_factory=dict)


# Sign that turns a KPI into surplus terms for its movement: less agency spend is favourable.
_SURPLUS_SIGN = {"ytd_var": +1, "fot_var": +1, "agency_avg": -1, "cip_ytd_var": +1}

# In board order; a code ending _change is the movement of the KPI it names.
_UNITS: dict[str, KpiUnit] = {
    "ytd_var": "gbp",
    "ytd_var_change": "gbp",
    "fot_var": "gbp",
    "fot_var_change": "gbp",  # the FOT variance's movement since last month (domain.md: FOT movement)
    "agency_avg": "gbp",
    "agency_avg_change": "gbp",
    "agency_fot": "gbp",
    "cip_ytd_actual": "gbp",
    "cip_ytd_var": "gbp",
    "cip_ytd_var_change": "gbp",
    "recurrent_pct": "pct",
    "capital_cdel_var": "gbp",
    "capital_other_var": "gbp",
}
KPI_CODES = tuple(_UNITS)


def recurrent_target(system: SystemConfig) -> Decimal:
    """The system's recurrent-efficiency target as a fraction (60% -> 0.6)."""
    return system.parameters.recurrent_efficiency_target_pct / 100


def below_target(share: Figure, target: Decimal) -> bool:
    """% recurrent is flagged when under the target; nothing delivered yet is not flagged."""
    return isinstance(share, Decimal) and share < target


def _by_org(results: CloseResults, values: dict[str, Figure], ics: Figure) -> dict[str, Figure]:
    return {**{o.code: values.get(o.code) for o in board_order(results)}, ICS: ics}


def figures(results: CloseResults) -> dict[str, dict[str, Figure]]:
    """Every non-movement KPI of one close: {kpi code: {org code or ICS: figure}}."""
    surplus = {p.org: p.surplus for p in results.positions}
    ics_surplus = ics_position(results).surplus
    agency = {a.org: a for a in results.agency}
    system_agency = ics_agency(results)
    org_codes = {o.code for o in results.organisations}
    cip = {c.row: c for c in results.cip if c.row in org_codes}
    system_cip = ics_cip(results)
    capital = {c.org: c for c in results.capital}
    ics_capital = add_up(results.capital, org=ICS) if results.capital else None

    def capital_var(programme: str) -> dict[str, Figure]:
        values: dict[str, Figure] = {o: c.variance(programme) for o, c in capital.items()}
        return _by_org(results, values, ics_capital.variance(programme) if ics_capital else None)

    return {
        "ytd_var": _by_org(results, {o: s.ytd_variance for o, s in surplus.items()}, ics_surplus.ytd_variance),
        "fot_var": _by_org(results, {o: s.fot_variance for o, s in surplus.items()}, ics_surplus.fot_variance),
        "agency_avg": _by_org(
            results, {o: a.average_per_month for o, a in agency.items()}, system_agency.average_per_month if system_agency else None
        ),
        "agency_fot": _by_org(results, {o: a.submitted_fot for o, a in agency.items()}, system_agency.submitted_fot if system_agency else None),
        "cip_ytd_actual": _by_org(results, {o: c.ytd_actual for o, c in cip.items()}, system_cip.ytd_actual if system_cip else None),
        "cip_ytd_var": _by_org(results, {o: c.ytd_variance for o, c in cip.items()}, system_cip.ytd_variance if system_cip else None),
        "recurrent_pct": _by_org(results, {o: c.recurrent_share for o, c in cip.items()}, system_cip.recurrent_share if system_cip else None),
        "capital_cdel_var": capital_var("cdel"),
        "capital_other_var": capital_var("other"),
    }


def kpis(results: CloseResults, previous: CloseResults | None, materiality: int) -> tuple[Kpi, ...]:
    """The KPI rows in board order, movement rows against ``previous`` (None: first close)."""
    now = figures(results)
    before = figures(previous) if previous is not None else None
    rows = []
    for code, unit in _UNITS.items():
        if code.endswith("_change"):
            base = code.removesuffix("_change")
            sign = _SURPLUS_SIGN[base]
            changes: dict[str, Figure] = {}
            for org, value in now[base].items():
                old = before[base].get(org) if before is not None else None
                change = movement(value, old)  # type: ignore[arg-type]
                changes[org] = None if change is None else sign * change
            marks = {org: symbol(c, materiality) for org, c in changes.items()}  # type: ignore[arg-type]
            rows.append(Kpi(code, unit, changes, base, marks))  # type: ignore[arg-type]
        else:
            rows.append(Kpi(code, unit, now[code]))  # type: ignore[arg-type]
    return tuple(rows)
