"""Invariants of the results, on random ledgers (hypothesis)."""

from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finmodel.ledger import build_ledger
from finmodel.results import compute_results, results_to_json
from finmodel.results.lines import add_up
from tests.builders import make_inputs

ORGS = ("ACUTE1", "ACUTE2", "ICB")
MONEY = st.integers(min_value=-5_000_000, max_value=50_000_000).map(lambda p: Decimal(p) / 100)
DRIVER = st.sampled_from(("other", "inflation", "vacancies", "erf", "efficiency", "agency_escalation"))


@st.composite
def ledger_row(draw, workbook):
    org = draw(st.sampled_from(ORGS))
    row = {"org": org, "month": draw(st.integers(1, 12)), "plan": draw(MONEY), "actual": draw(MONEY),
           "forecast": draw(st.none() | MONEY), "driver": draw(DRIVER), "cost_centre": draw(st.sampled_from(("A", "B")))}
    if workbook == "income":
        row["category"] = "allocation" if org == "ICB" else draw(st.sampled_from(("clinical_icb", "erf", "other_operating")))
    elif workbook == "pay":
        row.update(staff_group="Nursing", pay_type=draw(st.sampled_from(("substantive", "bank", "agency"))))
    else:
        row.update(category="acute" if org == "ICB" else "Drugs", kind=draw(st.sampled_from(("operating", "non_operating"))))
    return row


@st.composite
def close_rows(draw):
    month = draw(st.integers(1, 12))
    rows = {w: draw(st.lists(ledger_row(w), max_size=25)) for w in ("income", "pay", "nonpay")}
    return month, rows


def _results(month, rows):
    inputs = make_inputs(month, **rows)
    return compute_results(inputs, build_ledger(inputs))


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(close_rows())
def test_drivers_add_up_to_each_organisations_variance(case):
    month, rows = case
    results = _results(month, rows)
    for drivers, position in zip(results.drivers, results.positions):
        assert drivers.total == position.surplus.ytd_variance


@SETTINGS
@given(close_rows())
def test_fot_is_ytd_actual_plus_forecast_and_system_is_sum(case):
    month, rows = case
    results = _results(month, rows)
    inputs = make_inputs(month, **rows)
    ledger = build_ledger(inputs)
    for p in results.positions:
        mine = ledger[ledger["org"] == p.org]
        signed = lambda m: int((mine[m] * mine["sign"]).sum())  # noqa: E731
        assert p.surplus.ytd_actual == signed("actual")
        assert p.surplus.fot == signed("actual") + signed("forecast")
    ics = add_up(results.positions, org="ICS")
    assert ics.surplus.fot == sum(p.surplus.fot for p in results.positions)
    assert ics.surplus.ytd_variance == sum(d.total for d in results.drivers)


@SETTINGS
@given(close_rows(), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(case, rnd):
    month, rows = case
    shuffled = {w: rnd.sample(r, len(r)) for w, r in rows.items()}
    first, second = _results(month, rows), _results(month, shuffled)
    assert first == second
    assert results_to_json(first) == results_to_json(second)


def _split(row, share):
    """One row as two detail lines whose amounts add back to it."""
    a, b = dict(row, cost_centre="X1"), dict(row, cost_centre="X2")
    for measure in ("plan", "actual", "forecast"):
        value = row.get(measure)
        if value is None:
            continue
        part = (value * share).quantize(Decimal("0.01"))
        a[measure], b[measure] = part, value - part
    return [a, b]


@SETTINGS
@given(close_rows(), st.decimals(min_value=0, max_value=1, places=2))
def test_splitting_rows_across_detail_lines_changes_no_result(case, share):
    month, rows = case
    split = {w: [half for r in rs for half in _split(r, share)] for w, rs in rows.items()}
    assert _results(month, rows) == _results(month, split)


@SETTINGS
@given(close_rows(), st.lists(ledger_row("pay"), min_size=1, max_size=5))
def test_rows_for_one_organisation_change_only_it_and_the_totals(case, extra):
    month, rows = case
    extra = [dict(r, org="ACUTE2") for r in extra]
    before = _results(month, rows)
    after = _results(month, {**rows, "pay": rows["pay"] + extra})
    for name in ("positions", "drivers", "agency"):
        for old, new in zip(getattr(before, name), getattr(after, name)):
            if getattr(old, "org") != "ACUTE2":
                assert old == new
    assert [c for c in before.challenge if c.org != "ACUTE2"] == [c for c in after.challenge if c.org != "ACUTE2"]


@SETTINGS
@given(close_rows(), st.randoms(use_true_random=False))
def test_the_ledger_is_in_text_order_whatever_the_input_order(case, rnd):
    # Text columns are Categoricals so the sort runs on codes; their categories must be
    # sorted, or the canonical order would follow first appearance instead of the text.
    month, rows = case
    shuffled = {w: rnd.sample(r, len(r)) for w, r in rows.items()}
    ledger = build_ledger(make_inputs(month, **shuffled))
    as_text = ledger.astype({c: object for c in ledger.columns if ledger[c].dtype == "category"})
    by_text = as_text.sort_values(list(as_text.columns), kind="mergesort", ignore_index=True)
    pd.testing.assert_frame_equal(as_text, by_text)
    for column in ledger.columns:
        if ledger[column].dtype == "category":
            categories = ledger[column].cat.categories.tolist()
            assert categories == sorted(categories) and set(categories) == set(as_text[column])
        else:
            assert ledger[column].dtype == "int64"
    assert build_ledger(make_inputs(month, **rows)).equals(ledger)
