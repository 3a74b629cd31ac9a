"""The board-paper sentences: the summary on the Contents sheet and the KPI notes.

Plain words, every number quoted from the results (through money.format_millions, so
the prose rounds exactly as the tables do). Pure: text in, text out.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from finmodel.contract import DRIVERS
from finmodel.money import format_millions
from finmodel.prose import and_list
from finmodel.report import labels
from finmodel.results.kpis import Kpi, below_target, recurrent_target
from finmodel.results.movement import Rebasing, Rephasing, rebasings, rephasings
from finmodel.report.narrative_agreement import agreement_items
from finmodel.report.orgs import board_order
from finmodel.report.pack import PackInputs
from finmodel.report.table import ICS
from finmodel.results import CloseResults
from finmodel.report.sheets.underlying import basis
from finmodel.results.board import ics_agency, ics_cip, ics_drivers, ics_position, ics_risks
from finmodel.results.lines import add_up

_SMALLEST_SHOWN = 5_000_000  # pence: under £0.05m a figure rounds to £0.0m


def money(pence: int) -> str:
    """An amount without its sign, as the tables round it: ``£13.3m``."""
    if 0 < abs(pence) < _SMALLEST_SHOWN:
        return "less than £0.1m"
    return f"£{format_millions(abs(pence)).replace('-', '0.0')}m"


def position_noun(pence: int) -> str:
    """``deficit of £13.3m``, ``surplus of £1.0m``, ``break-even position``."""
    if pence == 0:
        return "break-even position"
    return f"{'surplus' if pence > 0 else 'deficit'} of {money(pence)}"


def position(pence: int, planned: bool = False) -> str:
    """``a deficit of £13.3m``, ``a planned surplus of £1.0m``, ``a break-even position``."""
    return f"a {'planned ' if planned else ''}{position_noun(pence)}"


def variance(pence: int) -> str:
    if pence == 0:
        return "on plan"
    return f"{money(pence)} {'favourable' if pence > 0 else 'adverse'}"


def change(pence: int, since: str) -> str:
    if pence == 0:
        return f"unchanged since {since}"
    return f"{money(pence)} {'better' if pence > 0 else 'worse'} than at {since}"


def percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _month(results: CloseResults) -> str:
    return f"M{results.month}"


def _org_name(results: CloseResults, code: str) -> str:
    return results.org(code).name


def rephasing_sentence(results: CloseResults, r: Rephasing, since: str) -> str:
    months = ", ".join(f"M{m}" for m in r.months)
    name = _org_name(results, r.org)
    if r.ytd_plan_change == 0:
        return f"{name}'s plan for closed months ({months}) was re-phased since {since} with no change to its YTD plan."
    direction = "raising" if r.ytd_plan_change > 0 else "lowering"
    effect = "adverse" if r.ytd_plan_change > 0 else "favourable"
    return (
        f"{name}'s plan for months already closed ({months}) was re-phased since {since}, {direction} its YTD "
        f"planned position by {money(r.ytd_plan_change)}; that moves its YTD variance by {money(r.ytd_plan_change)} "
        f"{effect} with no change in performance."
    )


def _moved(pence: int) -> str:
    if pence == 0:
        return "unchanged"
    return f"{'raised' if pence > 0 else 'lowered'} by {money(pence)}"


def _rebasing_effect(r: Rebasing) -> str:
    surplus, ebitda = r.surplus_change, r.ebitda_change
    if ebitda is None:
        effect = f"its planned surplus/(deficit) is {_moved(surplus)}"
    elif ebitda == surplus:
        effect = f"its planned EBITDA and surplus/(deficit) are {'both ' if surplus else ''}{_moved(surplus)}"
    else:
        effect = f"its planned EBITDA is {_moved(ebitda)} and its planned surplus/(deficit) {_moved(surplus)}"
    if surplus:
        # FOT variance = FOT - plan: a plan lowered flatters it, a plan raised hurts it.
        effect += f", which alone moves its FOT variance by {money(surplus)} {'adverse' if surplus > 0 else 'favourable'}"
    return effect


def rebasing_sentence(results: CloseResults, r: Rebasing) -> str:
    """``Acute One's full-year plan was re-based since M2: income up £7.2m, pay up £21.4m and
    operating non-pay down £14.1m; its planned EBITDA and surplus/(deficit) are unchanged.``"""
    words = labels.LINE_WORDS
    parts = [f"{words.get(c.line, c.line)} {'up' if c.change > 0 else 'down'} {money(c.change)}" for c in r.lines]
    return (
        f"{_org_name(results, r.org)}'s full-year plan was re-based since M{r.since}: {and_list(parts)}; "
        f"{_rebasing_effect(r)}."
    )


def _position_sentence(results: CloseResults) -> str:
    ics = ics_position(results).surplus
    return (
        f"At {_month(results)} {results.year} the system has a year-to-date {position_noun(ics.ytd_actual)}, "
        f"{variance(ics.ytd_variance)} to {position(ics.ytd_plan, planned=True)}."
    )


def _movement_items(pack: PackInputs) -> list[tuple[str, str, str]]:
    """The movement, then each plan re-phased for closed months, then each plan re-based."""
    results, previous = pack.results, pack.comparable_previous
    if previous is None:
        return [("movement", "Movement", "There is no earlier close of this year in the close history, so there is no movement from last month to report.")]
    since = _month(previous)
    now = ics_position(results).surplus.ytd_variance
    before = ics_position(previous).surplus.ytd_variance
    out = [("movement", "Movement", f"The YTD variance is {change(now - before, since)}.")]
    out += [(f"rephasing_{i}", "Re-phasing", rephasing_sentence(results, r, since))
            for i, r in enumerate(rephasings(results, previous), start=1)]
    out += [(f"rebasing_{i}", "Re-based plan", rebasing_sentence(results, r))
            for i, r in enumerate(rebasings(results, previous), start=1)]
    return out


def _drivers_sentence(results: CloseResults) -> str:
    ics = ics_drivers(results)
    ranked = sorted((d for d in DRIVERS if getattr(ics, d) != 0), key=lambda d: -abs(getattr(ics, d)))[:3]
    if not ranked:
        return "There is no YTD variance to explain."
    parts = [f"{labels.DRIVER_WORDS[d]} ({variance(getattr(ics, d))})" for d in ranked]
    noun = "driver is" if len(parts) == 1 else "drivers are"
    return f"The main {noun} {and_list(parts)}."


def _gap(gap: int, target: str = "it") -> str:
    """The forecast against ``target``: "meeting it exactly", "£2.0m short of it"."""
    if gap == 0:
        return f"meeting {target} exactly"
    return f"{money(gap)} {'better than' if gap > 0 else 'short of'} {target}"


def _forecast_sentence(results: CloseResults) -> str:
    ics = ics_position(results)
    return (
        f"The forecast outturn is {position(ics.surplus.fot)}, {variance(ics.surplus.fot_variance)} to plan, "
        f"against the agreed target ({position_noun(ics.target)}): {_gap(ics.gap_to_target)}."
    )


def _underlying_sentence(pack: PackInputs) -> str | None:
    """Said when one-off items, or the year-end run rate against the year, reach materiality."""
    r = pack.results
    if r.underlying is None or not r.underlying.rows:
        return None
    ics = add_up(r.underlying.rows, org=ICS)
    materiality = pack.system.parameters.materiality
    if abs(ics.one_off_effect) < materiality and abs(ics.exit_vs_underlying) < materiality:
        return None
    flattered = "flatter" if ics.one_off_effect >= 0 else "weigh on"
    return (
        f"One-off items {flattered} the forecast outturn by {money(ics.one_off_effect)}: the underlying position is "
        f"{position(ics.underlying)}, and the exit run rate carried into next year, from {basis(r.underlying, r.month)}, "
        f"is {position(ics.exit_run_rate)}."
    )


def _risk_sentence(results: CloseResults) -> str:
    ics = ics_risks(results)
    further = ics.further_mitigations_required
    still = (
        f"further mitigations of {money(further)} are still required to meet the agreed target"
        if further
        else "no further mitigations are required to meet the agreed target"
    )
    net = (
        f"a net risk of {money(ics.net_impact)}" if ics.net_impact >= 0
        else f"mitigations exceeding risks by {money(ics.net_impact)}"
    )
    return (
        f"The risk register holds {money(ics.potential_risk)} of potential risk and {money(ics.mitigations)} of "
        f"mitigations, {net}; the risk-adjusted outturn is {position(ics.risk_adjusted_fot)} and {still}."
    )


def _scenario_sentence(pack: PackInputs) -> str | None:
    if pack.scenarios is None:
        return None
    ics = next((r for r in pack.scenarios.rows if r.row == ICS), None)
    if ics is None:
        return None
    return (
        f"Across the scenarios the system outturn ranges from {position(ics.worst)} (worst case) to "
        f"{position(ics.best)} (best case); the Monte Carlo run of {pack.scenarios.iterations:,} iterations gives "
        f"a P50 outturn of {position(ics.p50)} and {_chance(ics.probability_meeting_target, pack.scenarios.iterations)} of "
        f"meeting the agreed target."
    )


def _chance(share: Decimal, iterations: int) -> str:
    """'a 35.0% probability'; at either end, what the draws show rather than a 0.0% no draw can give."""
    if share == 0:
        return f"none of the {iterations:,} draws"
    if share == 1:
        return f"every one of the {iterations:,} draws"
    shown = percent(share)
    if shown == "0.0%":
        return "less than a 0.1% probability"
    if shown == "100.0%":
        return "more than a 99.9% probability"
    return f"a {shown} probability"


def _pooled_sentence(results: CloseResults, materiality: int) -> str | None:
    """Only when a share moves an NHS organisation's FOT, or a partner's part, by the materiality or more."""
    effects: dict[str, int] = {}
    for share in results.pool_shares:
        for org, amount in share.effects:
            effects[org] = effects.get(org, 0) + amount
    nhs = {o.code for o in results.organisations}
    outside = sum(p.amount for s in results.pool_shares for p in s.parts if p.partner not in nhs)
    if all(abs(v) < materiality for v in (*effects.values(), outside)):
        return None
    moved = [f"{_org_name(results, o)} {money(v)} {'better' if v > 0 else 'worse'}" for o, v in effects.items() if v]
    said = f"move NHS FOTs ({and_list(moved)})" if moved else "move no NHS organisation's FOT"
    borne = "gain" if outside > 0 else "bear"
    return (f"Pooled budget risk shares {said}; partners outside the ICS {borne} {money(outside)}, "
            "which is not in the ICS total.")


def narrative_items(pack: PackInputs) -> tuple[tuple[str, str, str], ...]:
    """(code, topic, sentence) in the order a board paper reads."""
    r = pack.results
    items = [("position", "Position", _position_sentence(r))]
    items += _movement_items(pack)
    items += [("drivers", "Drivers", _drivers_sentence(r)), ("forecast", "Forecast", _forecast_sentence(r)),
              ("risks", "Risks", _risk_sentence(r))]
    underlying = _underlying_sentence(pack)
    if underlying:  # after the forecast it qualifies, before the risks
        items.insert(-1, ("underlying", "Underlying position", underlying))
    items += agreement_items(r)
    pooled = _pooled_sentence(r, pack.system.parameters.materiality)
    if pooled:
        items.append(("pooled", "Pooled budgets", pooled))
    scenario = _scenario_sentence(pack)
    if scenario:
        items.append(("scenarios", "Scenarios", scenario))
    return tuple(items)


def narrative(pack: PackInputs) -> tuple[str, ...]:
    return tuple(sentence for _, _, sentence in narrative_items(pack))


# ---- KPI notes: one short sentence per KPI row ------------------------------------------


def _worst(results: CloseResults, values: dict[str, object]) -> str | None:
    """The organisation furthest below plan on a surplus-terms figure."""
    orgs = [(v, o.code) for o in board_order(results) if isinstance(v := values.get(o.code), int) and v < 0]
    if not orgs:
        return None
    value, code = min(orgs, key=lambda item: item[0])
    return f"{_org_name(results, code)} is furthest from plan ({variance(value)})"


def _movement_note(pack: PackInputs, kpi: Kpi, what: str) -> str:
    previous = pack.comparable_previous
    if previous is None:
        return "First close of the year: no movement to show."
    value = kpi.values.get(ICS)
    if value is None:
        return "No movement to show."
    note = f"The ICS {what} is {change(value, _month(previous))} ({kpi.symbols.get(ICS, '')})."  # type: ignore[arg-type]
    if kpi.code == "ytd_var_change":
        note += "".join(" " + rephasing_sentence(pack.results, r, _month(previous)) for r in rephasings(pack.results, previous))
    return note


def _agency_note(results: CloseResults, pence: int | None, fot: bool) -> str:
    if pence is None:
        return "No agency spend reported."
    total = ics_agency(results)
    cap = total.cap if fot else total.monthly_cap
    period = "for the year" if fot else "a month"
    what = "forecast to spend" if fot else "spending"
    against = f"against a cap of {money(cap)} {period}" if cap is not None else "(not every provider has a cap)"
    return f"Providers are {what} {money(pence)} {period} on agency staff {against}."


def _recurrent_note(pack: PackInputs, kpi: Kpi) -> str:
    target = recurrent_target(pack.system)
    share = kpi.values.get(ICS)
    if share is None:
        return f"No efficiencies delivered yet; the target is {percent(target)} recurrent."
    below = [_org_name(pack.results, o) for o, v in kpi.values.items() if o != ICS and below_target(v, target)]
    note = f"{percent(share)} of delivery is recurrent against a target of {percent(target)}."  # type: ignore[arg-type]
    if below:
        note += f" Below target: {and_list(below)}."
    return note


def _capital_note(pence: int | None, what: str) -> str:
    if pence is None:
        return f"No {what} reported."
    if pence == 0:
        return f"{what[0].upper()}{what[1:]} is forecast on plan."
    return f"{what[0].upper()}{what[1:]} is forecast {money(pence)} {'under' if pence > 0 else 'over'} plan."


def kpi_notes(pack: PackInputs, kpis: tuple[Kpi, ...]) -> dict[str, str]:
    results = pack.results
    by = {k.code: k for k in kpis}
    ics = {k.code: k.values.get(ICS) for k in kpis}
    cip = ics_cip(results)
    ytd = f"The system is {variance(ics['ytd_var'])} to plan year to date."  # type: ignore[arg-type]
    worst = _worst(results, by["ytd_var"].values)
    surplus = ics_position(results)
    notes = {
        "ytd_var": ytd + (f" {worst}." if worst else ""),
        "ytd_var_change": _movement_note(pack, by["ytd_var_change"], "YTD variance"),
        "fot_var": (
            f"The system forecasts {position(surplus.surplus.fot)}, {variance(surplus.surplus.fot_variance)} to plan "
            f"and {_gap(surplus.gap_to_target, 'the agreed target')}."
            + "".join(f" {rebasing_sentence(results, r)}" for r in rebasings(results, pack.comparable_previous))
        ),
        "agency_avg": _agency_note(results, ics["agency_avg"], fot=False),  # type: ignore[arg-type]
        "agency_avg_change": _movement_note(pack, by["agency_avg_change"], "agency run rate"),
        "agency_fot": _agency_note(results, ics["agency_fot"], fot=True),  # type: ignore[arg-type]
        "cip_ytd_actual": (
            f"{money(cip.ytd_actual)} delivered against a YTD plan of {money(cip.ytd_plan)}." if cip else "No efficiency schemes."
        ),
        "cip_ytd_var": (
            f"{variance(cip.ytd_variance)} to plan; risk-adjusted forecast {money(cip.risk_adjusted_fot)} "
            f"against a full-year plan of {money(cip.year_plan)}." if cip else "No efficiency schemes."
        ),
        "cip_ytd_var_change": _movement_note(pack, by["cip_ytd_var_change"], "efficiency variance"),
        "recurrent_pct": _recurrent_note(pack, by["recurrent_pct"]),
        "capital_cdel_var": _capital_note(ics["capital_cdel_var"], "CDEL excluding IFRS 16"),  # type: ignore[arg-type]
        "capital_other_var": _capital_note(ics["capital_other_var"], "other capital"),  # type: ignore[arg-type]
    }
    return notes
