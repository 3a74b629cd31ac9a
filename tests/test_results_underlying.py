"""The underlying position and the exit run rate against figures worked out by hand."""

import dataclasses

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finmodel.ledger import build_ledger, with_defaults
from finmodel.results import compute_results, results_from_json, results_to_json
from finmodel.results.board import ICS, board_rows
from finmodel.results.underlying import exit_months
from tests.builders import TINY_SYSTEM, make_inputs

P = 100  # pence per pound
M12_RULE = TINY_SYSTEM.replace("  run_rate_months: 2\n", "  run_rate_months: 2\n  exit_run_rate: m12_forecast\n")


def _year(org, plan, actual_to=5, **codes):
    """Twelve rows at `plan` a month, the actual at plan for the closed months."""
    return [{"org": org, "month": m, "plan": plan, **({"actual": plan} if m <= actual_to else {}), **codes} for m in range(1, 13)]


def _delivery(scheme_id, actual, forecast, month=5):
    return [
        {"scheme_id": scheme_id, "month": m, "plan": actual if m <= month else forecast,
         **({"actual": actual} if m <= month else {"forecast": forecast})}
        for m in range(1, 13)
    ]


def tiny_close(month=5, system_text=TINY_SYSTEM):
    one_off = {"recurrence": "non_recurrent"}
    income = _year("ACUTE1", 100, category="clinical_icb")
    income += [
        {"org": "ACUTE1", "month": 2, "plan": 0, "actual": 30, "category": "other_operating", **one_off},  # a one-off receipt
        {"org": "ACUTE1", "month": 8, "plan": 0, "forecast": 20, "category": "other_operating", **one_off},  # one still to come
    ]
    income += _year("ICB", 200, category="allocation")
    income += [{"org": "ICB", "month": 4, "plan": 0, "actual": 50, "category": "allocation", **one_off}]  # non-recurrent allocation
    pay = _year("ACUTE1", 60, staff_group="Nursing", pay_type="substantive")
    nonpay = [
        {"org": "ACUTE1", "month": 3, "plan": 0, "actual": 15, "category": "Legal", "kind": "operating", **one_off},
        {"org": "ACUTE1", "month": 12, "plan": 0, "forecast": 10, "category": "Legal", "kind": "operating", **one_off},
        # A CIP saving's row tagged non_recurrent: the tracker holds its recurrence, so it counts as recurrent.
        {"org": "ACUTE1", "month": 4, "plan": 0, "actual": 7, "category": "Drugs", "kind": "operating", "driver": "efficiency", **one_off},
    ]
    nonpay += _year("ICB", 150, category="acute")
    schemes = [
        {"org": "ACUTE1", "scheme_id": "S1", "scheme": "Vacancy freeze", "category": "pay", "recurrent": False, "rating": "fully_developed"},
        {"org": "ACUTE1", "scheme_id": "S2", "scheme": "Rostering", "category": "pay", "recurrent": True, "rating": "fully_developed"},
        {"org": "ICB", "scheme_id": "S3", "scheme": "Pathway", "category": "non_pay", "recurrent": False, "rating": "opportunity", "impacts_org": "ACUTE1"},
        {"org": "ICB", "scheme_id": "S4", "scheme": "Slippage", "category": "non_pay", "recurrent": False, "rating": "opportunity"},
    ]
    delivery = _delivery("S1", 2, 3, month) + _delivery("S2", 5, 5, month) + _delivery("S3", 1, 1, month) + _delivery("S4", 4, 4, month)
    return make_inputs(month, income=income, pay=pay, nonpay=nonpay, cip_schemes=schemes, cip_delivery=delivery, system_text=system_text)


def _underlying(inputs):
    results = compute_results(inputs, build_ledger(inputs))
    return results, {u.org: u for u in results.underlying.rows}


def test_the_bridge_by_hand_last_quarter():
    results, by = _underlying(tiny_close())
    a = by["ACUTE1"]
    # FOT: income 100x12 + one-offs 30 + 20 = 1250; costs 60x12 + 15 + 10 + 7 = 752; surplus 498.
    assert a.fot == results.position("ACUTE1").surplus.fot == 498 * P
    # One-off income 30 + 20 = 50; one-off costs 15 + 10 = 25 (the efficiency row's 7 is not one);
    # non-recurrent CIP: S1 2x5 + 3x7 = 31, and S3 (an ICB scheme landing in ACUTE1) 1x12 = 12: 43.
    assert (a.one_off_income, a.one_off_costs, a.non_recurrent_cip) == (50 * P, 25 * P, 43 * P)
    # Underlying = 498 - 50 + 25 - 43 = 430.
    assert a.one_off_effect == 68 * P and a.underlying == 430 * P
    # At M5 the last full quarter closed is Q1 (M1-M3). Recurrent position by month = surplus -
    # one-off rows - non-recurrent CIP: M1 40 - 0 - 3 = 37; M2 70 - 30 - 3 = 37; M3 25 + 15 - 3 = 37.
    assert (results.underlying.first_month, results.underlying.last_month) == (1, 3)
    assert a.recurrent_month == 37 * P and a.exit_run_rate == 111 * 12 // 3 * P == 444 * P
    assert a.exit_vs_underlying == 14 * P
    icb = by["ICB"]
    # ICB: FOT 2400 + 50 - 1800 = 650; one-off allocation 50; its own S4 4x12 = 48 (S3 lands in ACUTE1).
    assert (icb.fot, icb.one_off_income, icb.one_off_costs, icb.non_recurrent_cip) == (650 * P, 50 * P, 0, 48 * P)
    assert icb.underlying == 552 * P
    # Recurrent month: 200 - 150 - 4 = 46 (M4's one-off allocation is out); Q1 46 x 3 x 12 / 3 = 552.
    assert icb.recurrent_month == 46 * P and icb.exit_run_rate == 552 * P
    assert by["ACUTE2"] == dataclasses.replace(by["ACUTE2"], fot=0, one_off_income=0, one_off_costs=0, non_recurrent_cip=0, exit_run_rate=0)


def test_the_bridge_by_hand_m12_forecast():
    results, by = _underlying(tiny_close(system_text=M12_RULE))
    assert results.underlying.rule == "m12_forecast" and (results.underlying.first_month, results.underlying.last_month) == (12, 12)
    a = by["ACUTE1"]
    # M12: 100 - 60 - 10 (one-off cost) = 30; less the one-off 10 back = 40; less CIP S1 3 + S3 1 = 36; x 12 = 432.
    assert a.recurrent_month == 36 * P and a.exit_run_rate == 432 * P
    assert a.underlying == 430 * P  # the underlying position does not depend on the rule
    assert by["ICB"].exit_run_rate == 46 * 12 * P


def test_the_ics_row_adds_the_organisations():
    results, by = _underlying(tiny_close())
    rows = {r.code: r.record for r in board_rows(results, by, "org")}
    ics = rows[ICS]
    # FOT 498 + 0 + 650 = 1148; underlying 430 + 552 = 982; exit 444 + 552 = 996.
    assert (ics.fot, ics.underlying, ics.exit_run_rate) == (1148 * P, 982 * P, 996 * P)


@pytest.mark.parametrize(
    ("rule", "month", "months"),
    [("last_quarter", 1, (1, 1)), ("last_quarter", 2, (1, 2)), ("last_quarter", 3, (1, 3)), ("last_quarter", 5, (1, 3)),
     ("last_quarter", 6, (4, 6)), ("last_quarter", 11, (7, 9)), ("last_quarter", 12, (10, 12)), ("m12_forecast", 4, (12, 12))],
)
def test_which_months_the_exit_run_rate_is_made_from(rule, month, months):
    assert exit_months(rule, month) == months


def test_before_any_quarter_closes_the_closed_months_are_averaged_and_rounded_once():
    # At M2, ACUTE1's recurrent months: 40 - 3 = 37 (M1) and 70 - 30 - 3 = 37 (M2) -> 37 a month, x12 = 444.
    inputs = tiny_close(month=2)
    results, by = _underlying(inputs)
    assert (results.underlying.first_month, results.underlying.last_month) == (1, 2)
    assert by["ACUTE1"].recurrent_month == 37 * P and by["ACUTE1"].exit_run_rate == 444 * P
    # One penny more in M1: 7401p over 2 months = 3700.5p -> 3701p (half away from zero); exit 7401 x 6 = 44406p.
    income = inputs.income.copy()
    income.loc[(income["org"] == "ACUTE1") & (income["month"] == 1) & (income["category"] == "clinical_icb"), "actual"] += 1
    _, by = _underlying(dataclasses.replace(inputs, income=income))
    assert by["ACUTE1"].recurrent_month == 3701 and by["ACUTE1"].exit_run_rate == 44406


def test_results_keep_the_bridge_and_an_older_close_reads_back_without_it():
    results, _ = _underlying(tiny_close())
    assert results_from_json(results_to_json(results)) == results
    older = results_to_json(dataclasses.replace(results, underlying=None))
    assert '"underlying":null' in older
    text = older.replace(',"underlying":null', "")  # stored before the field existed
    assert results_from_json(text).underlying is None


def test_a_ledger_without_recurrence_is_all_recurrent():
    inputs = tiny_close()
    stripped = dataclasses.replace(inputs, income=inputs.income.drop(columns="recurrence"), nonpay=inputs.nonpay.drop(columns="recurrence"))
    ledger = build_ledger(stripped)
    assert set(ledger["recurrence"]) == {"recurrent"}
    old = ledger.drop(columns="recurrence")  # as a close stored before the column was kept
    back = with_defaults(old)
    assert list(back.columns) == list(ledger.columns)
    pd.testing.assert_frame_equal(back, ledger)
    _, by = _underlying(stripped)
    # Only the tracker's non-recurrent CIP is left: ACUTE1 31 + 12 = 43, the ICB 48, ACUTE2 none.
    assert {org: u.one_off_effect for org, u in by.items()} == {"ACUTE1": 43 * P, "ACUTE2": 0, "ICB": 48 * P}


amounts = st.integers(min_value=-10_000_00, max_value=10_000_00)


@st.composite
def closes(draw):
    month = draw(st.integers(1, 12))
    rows = []
    for org, category in (("ACUTE1", "clinical_icb"), ("ACUTE2", "other_operating"), ("ICB", "allocation")):
        for m in range(1, 13):
            recurrence = draw(st.sampled_from(["recurrent", "non_recurrent", ""]))
            rows.append({"org": org, "month": m, "plan": draw(amounts), "actual": draw(amounts), "forecast": draw(amounts),
                         "category": category, "recurrence": recurrence})
    return month, rows


@settings(max_examples=40, deadline=None)
@given(closes(), st.booleans())
def test_invariants_all_recurrent_means_underlying_is_fot_and_the_ics_is_the_sum(close, all_recurrent):
    month, rows = close
    if all_recurrent:
        rows = [{**r, "recurrence": "recurrent"} for r in rows]
    inputs = make_inputs(month, income=rows)
    results = compute_results(inputs, build_ledger(inputs))
    by = {u.org: u for u in results.underlying.rows}
    if all_recurrent:
        assert all(u.underlying == u.fot for u in by.values())
    ics = next(r.record for r in board_rows(results, by, "org") if r.code == ICS)
    assert ics.underlying == sum(u.underlying for u in by.values())
    assert ics.fot == sum(p.surplus.fot for p in results.positions)
    for u in by.values():  # one-off income out: underlying = FOT - non-recurrent rows' outturn
        assert u.underlying == u.fot - u.one_off_income


def test_a_close_stored_before_recurrence_loads_all_recurrent_and_reports(tmp_path):
    from finmodel.report.tables import build_sheets
    from finmodel.report.workbook import workbook_bytes
    from finmodel.store import open_store
    from tests.report_fixture import pack
    from tests.test_store import make_record

    inputs = tiny_close()
    old = build_ledger(inputs).drop(columns="recurrence")
    with open_store(tmp_path / "finmodel.db") as store:
        store.record_close(make_record(ledger=old))
        loaded = store.latest("2023/24", 10).ledger()
    assert list(loaded["recurrence"].unique()) == ["recurrent"]
    assert list(loaded.columns) == list(build_ledger(inputs).columns)
    # Its results, stored before the underlying position: the sheet says so, and the pack still writes.
    older = dataclasses.replace(pack(), results=dataclasses.replace(pack().results, underlying=None))
    sheet = next(s for s in build_sheets(older) if s.name == "Underlying position")
    assert [t.rows for t in sheet.tables] == [()] and "stored before" in sheet.tables[0].notes[0]
    assert workbook_bytes(older, build_sheets(older))[:2] == b"PK"


def test_a_pooled_budget_risk_share_is_a_one_off_cost_kept_out_of_the_exit_run_rate():
    from finmodel.results.pooled import with_shares
    from finmodel.results.pooled_shares import ShareOutcome
    from finmodel.results.underlying import compute_underlying

    inputs = tiny_close(system_text=M12_RULE)  # the exit run rate from month 12, where the share sits
    ledger = build_ledger(inputs)
    results = compute_results(inputs, ledger)
    before = {u.org: u for u in results.underlying.rows}["ACUTE1"]
    # ACUTE1 bears £300 of a pool's overspend: its FOT falls by 300, on its own line, in month 12.
    share = ShareOutcome("pool", "fund", "BCF", "", None, 0, 600 * P, "both", (), (("ACUTE1", -300 * P),))
    positions = with_shares(results.positions, (share,))
    rows = compute_underlying(positions, ledger, inputs.cip_schemes, inputs.cip_delivery, inputs.system, 5).rows
    after = {u.org: u for u in rows}["ACUTE1"]
    assert after.fot == before.fot - 300 * P
    assert after.one_off_costs == before.one_off_costs + 300 * P  # a one-off cost...
    assert after.underlying == before.underlying  # ...so the underlying position does not move,
    assert after.exit_run_rate == before.exit_run_rate  # nor does month 12 x 12 take it twelve times
