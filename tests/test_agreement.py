"""The agreement of balances and the eliminated gross ICS figures, worked out by hand, with a
property test that elimination leaves exactly the flows with bodies outside the system."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from finmodel.ledger import LEDGER_COLUMNS, build_ledger, with_defaults
from finmodel.results import compute_results, results_from_json, results_to_json
from finmodel.results.agreement import Agreement
from finmodel.results.board import gross, ics_position
from finmodel.store.ledger_blob import pack_ledger, unpack_ledger
from tests.builders import TINY_SYSTEM, make_inputs
from tests.builders import year_rows as _year

P = 100  # pence in a pound
MONTH = 3


def _results(materiality: int = 250_000):
    income = (
        _year("ACUTE1", 1_000, [1_000, 1_000, 1_000], 1_100, category="clinical_icb", counterparty="ICB")
        + _year("ACUTE1", 100, [100, 100, 100], category="other_operating", counterparty="ACUTE2")
        + _year("ACUTE2", 500, [500, 500, 500], category="clinical_icb", counterparty="ICB")
        + _year("ICB", 2_000, [2_000, 2_000, 2_000], category="allocation", counterparty="NHS England")
    )
    nonpay = (
        _year("ICB", 1_000, [1_000, 1_000, 1_200], category="acute", kind="operating", counterparty="ACUTE1", cost_centre="C1")
        + _year("ICB", 200, [200, 200, 200], category="mental_health", kind="operating", counterparty="Local authority")
        + _year("ACUTE2", 100, [100, 100, 100], category="Subcontract", kind="operating", counterparty="ACUTE1")
    )
    text = TINY_SYSTEM.replace("  agency_cap_pct: 5\n", f"  agency_cap_pct: 5\n  agreement_materiality: {materiality}\n")
    inputs = make_inputs(MONTH, income=income, nonpay=nonpay, system_text=text)
    return compute_results(inputs, build_ledger(inputs))


def test_each_side_as_it_reports_the_flow() -> None:
    r = _results()
    pairs = {(p.payer, p.payee): p for p in r.agreement.pairs}
    # Free text (NHS England, Local authority) is a body outside: never in a pair.
    assert sorted(pairs) == [("ACUTE2", "ACUTE1"), ("ICB", "ACUTE1"), ("ICB", "ACUTE2")]
    icb = pairs[("ICB", "ACUTE1")]
    # The ICB: YTD 1,000 + 1,000 + 1,200 = 3,200; FOT 3,200 + 9 months at plan 1,000 = 12,200.
    assert (icb.expenditure.line.ytd_actual, icb.expenditure.line.fot) == (3_200 * P, 12_200 * P)
    # ACUTE1: YTD 3 x 1,000 = 3,000; FOT 3,000 + 9 x 1,100 = 12,900.
    assert (icb.income.line.ytd_actual, icb.income.line.fot) == (3_000 * P, 12_900 * P)
    # Differences, income - expenditure: YTD 3,000 - 3,200 = -200; FOT 12,900 - 12,200 = +700.
    assert (icb.ytd_difference, icb.fot_difference) == (-200 * P, 700 * P)
    assert icb.expenditure.lines == ("nonpay: acute / C1",) and icb.income.lines == ("income: clinical_icb",)
    # Provider to provider, both sides tagged: 3 x 100 each, agreed.
    assert (pairs[("ACUTE2", "ACUTE1")].ytd_difference, pairs[("ACUTE2", "ACUTE1")].fot_difference) == (0, 0)
    # ACUTE2 tags its ICB income; the ICB tags nothing back: one-sided.
    one = pairs[("ICB", "ACUTE2")]
    assert one.income.tagged and not one.expenditure.tagged and one.flagged(10**12)


def test_the_flag_is_strictly_above_the_materiality() -> None:
    # The largest difference of ICB -> ACUTE1 is the FOT's 700: at 700 it is within, at 699 above.
    at = _results(materiality=700)
    above = _results(materiality=699)
    assert [(p.payer, p.payee) for p in at.agreement.flagged()] == [("ICB", "ACUTE2")]
    assert [(p.payer, p.payee) for p in above.agreement.flagged()] == [("ICB", "ACUTE1"), ("ICB", "ACUTE2")]
    assert at.agreement.materiality == 700 * P


def test_gross_ics_figures_eliminate_the_smaller_side() -> None:
    r = _results()
    icb = next(p for p in r.agreement.pairs if (p.payer, p.payee) == ("ICB", "ACUTE1"))
    # Matched, measure by measure the smaller side: YTD min(3,000, 3,200) = 3,000, FOT
    # min(12,900, 12,200) = 12,200, plans 3,000 YTD and 12,000 for the year on both sides.
    m = icb.matched
    assert (m.ytd_actual, m.fot, m.ytd_plan, m.year_plan) == (3_000 * P, 12_200 * P, 3_000 * P, 12_000 * P)
    g = gross(r)
    # Income YTD: ACUTE1 3,000 + 300, ACUTE2 1,500, ICB 6,000 = 10,800, less the matched
    # 3,000 (ICB->ACUTE1) + 300 (ACUTE2->ACUTE1) = 7,500. ACUTE2's one-sided 1,500 stays.
    assert g.income.ytd_actual == 7_500 * P and g.eliminated.ytd_actual == 3_300 * P
    assert g.one_sided.ytd_actual == 1_500 * P
    # Expenditure YTD: 3,200 + 600 + 300 = 4,100, less 3,300 = 800: the local authority's 600
    # and the 200 the ICB books above ACUTE1's figure, left visible.
    assert g.expenditure.ytd_actual == 800 * P
    assert (g.income + g.expenditure.as_surplus()) == ics_position(r).surplus
    # The Acutes group holds the pair ACUTE2 -> ACUTE1 only: 300 YTD eliminated.
    assert gross(r, ("ACUTE1", "ACUTE2")).eliminated.ytd_actual == 300 * P


def test_no_counterparty_means_no_gross_figures() -> None:
    assert gross(replace(_results(), agreement=Agreement())) is None


def test_a_close_stored_before_counterparties_still_loads() -> None:
    r = _results()
    stored = json.loads(results_to_json(r))
    del stored["agreement"]
    back = results_from_json(json.dumps(stored))
    assert back.agreement == Agreement() and gross(back) is None
    inputs = make_inputs(MONTH, income=_year("ACUTE1", 1_000, [1_000, 1_000, 1_000], category="clinical_icb"))
    old = build_ledger(inputs).drop(columns=["counterparty"])
    loaded = with_defaults(unpack_ledger(pack_ledger(old).data))
    assert list(loaded.columns) == list(LEDGER_COLUMNS)
    assert set(loaded["counterparty"].astype(str)) == {""}


# --- the property: elimination leaves exactly the flows with bodies outside ---------------

ORGS = ("ACUTE1", "ACUTE2", "ICB")
amount = st.integers(min_value=0, max_value=50_000)
flow = st.tuples(st.sampled_from(ORGS), st.sampled_from(ORGS), st.integers(1, 12), amount, amount, amount).filter(lambda f: f[0] != f[1])
outside = st.tuples(st.sampled_from(ORGS), st.booleans(), st.sampled_from(("", "Council", "NHS England")), st.integers(1, 12), amount, amount)


def _row(org: str, income: bool, month: int, plan: int, actual: int, forecast: int, counterparty: str) -> tuple[str, dict]:
    codes = {"category": ("allocation" if org == "ICB" else "clinical_icb")} if income else {
        "category": "acute" if org == "ICB" else "Services", "kind": "operating"}
    row = {"org": org, "month": month, "plan": plan, "actual": actual, "forecast": forecast, "counterparty": counterparty, **codes}
    return ("income" if income else "nonpay"), row


@settings(max_examples=25, deadline=None)
@given(flows=st.lists(flow, max_size=6), others=st.lists(outside, min_size=1, max_size=6), skew=st.integers(0, 5_000))
def test_elimination_leaves_the_flows_with_bodies_outside(flows, others, skew) -> None:
    rows: dict[str, list[dict]] = {"income": [], "nonpay": []}
    for payer, payee, month, plan, actual, forecast in flows:  # both sides tag it, the same figures
        for name, row in (_row(payer, False, month, plan, actual, forecast, payee), _row(payee, True, month, plan, actual, forecast, payer)):
            rows[name].append(row)
    for org, income, counterparty, month, plan, actual in others:
        name, row = _row(org, income, month, plan, actual, plan, counterparty)
        rows[name].append(row)
    inputs = make_inputs(MONTH, **rows)
    r = compute_results(inputs, build_ledger(inputs))
    g = gross(r)
    ics = ics_position(r)
    if g is None:
        assert not flows
        return
    ledger = build_ledger(inputs)
    ledger = ledger[~ledger["counterparty"].isin(ORGS)]  # the rows with bodies outside (or none named)
    income = ledger[ledger["sign"] > 0]
    cost = ledger[ledger["sign"] < 0]
    # Gross FOT = the flows with bodies outside, on each side; the surplus is unchanged.
    assert g.income.fot == int(income["actual"].sum() + income["forecast"].sum())
    assert g.expenditure.fot == int(cost["actual"].sum() + cost["forecast"].sum())
    assert g.income + g.expenditure.as_surplus() == ics.surplus
    # With one side's report raised (a mismatch), gross = total - matched and the surplus holds.
    skewed = {**rows, "income": [{**row, "actual": row["actual"] + skew} if row["counterparty"] in ORGS else row for row in rows["income"]]}
    inputs = make_inputs(MONTH, **skewed)
    r = compute_results(inputs, build_ledger(inputs))
    g, ics = gross(r), ics_position(r)
    matched = sum((p.matched.fot for p in r.agreement.pairs), 0)
    assert g.income.fot == ics.income.fot - matched and g.expenditure.fot == ics.expenditure.fot - matched
    assert g.income + g.expenditure.as_surplus() == ics.surplus


def test_the_tagged_rows_are_found_in_any_row_order() -> None:
    inputs = make_inputs(MONTH, income=_year("ACUTE1", 10, [10, 10, 10], category="clinical_icb", counterparty="ICB"),
                         nonpay=_year("ICB", 10, [10, 10, 10], category="acute", kind="operating", counterparty="ACUTE1"))
    shuffled = replace(inputs, nonpay=inputs.nonpay.iloc[::-1].reset_index(drop=True))
    one = compute_results(inputs, build_ledger(inputs)).agreement
    assert one == compute_results(shuffled, build_ledger(shuffled)).agreement


def test_the_gross_note_says_nothing_one_sided_as_a_figure_not_a_dash() -> None:
    from finmodel.report.sheets.system_ie import gross_note
    from finmodel.results.lines import Line

    # Everything tagged by both sides: the one-sided FOT is exactly zero.
    g = gross(_results())
    both = replace(g, one_sided=Line(+1), eliminated=Line(+1, ytd_actual=3_300 * P, forecast=0))
    note = gross_note(both)
    assert "£0.0m of FOT tagged by one side only" in note and "£-m" not in note
    assert "(£0.0m YTD)" in gross_note(replace(both, eliminated=Line(+1)))  # 3,300 rounds to £0.0m too
