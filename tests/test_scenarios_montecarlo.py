"""Monte Carlo: reproducible, order-free, exact, and statistically right on a small register.

The statistical tests compare the simulation with what can be worked out by hand on the
fixture's register (tests/test_scenarios_overlays.py):
  R1 ACUTE1 risk 400 at 50%, R2 ACUTE1 risk 100 at 25%, M1 ACUTE1 mitigation 150 at 75%,
  M2 ACUTE2 mitigation 200 at 50%, R3 ICB risk 300 at 40%.
Each is held within 3 standard errors, worked out from the same figures.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from finmodel.results.risks import RiskItem
from finmodel.scenarios.cases import ICS, standard_cases
from finmodel.scenarios.montecarlo import percentile, probability_at_least, simulate
from tests.test_scenarios_overlays import REGISTER, RESULTS, SYSTEM, close, scenario

P = 100
ORGS = ("ACUTE1", "ACUTE2", "ICB")
N = 40_000  # enough for 3 s.e. to be a tight check, still a fraction of a second


def items(register=REGISTER) -> list[RiskItem]:
    return [RiskItem(r["id"], r["org"], r["type"], r["category"], "", r["value"] * P, Decimal(r["likelihood_pct"]), r.get("status", ""))
            for r in register]


def test_the_same_seed_gives_identical_results_and_another_seed_does_not():
    first = standard_cases(RESULTS, SYSTEM, iterations=5_000, seed=11)
    again = standard_cases(RESULTS, SYSTEM, iterations=5_000, seed=11)
    other = standard_cases(RESULTS, SYSTEM, iterations=5_000, seed=12)
    assert first == again and first.seed == 11
    a, b = simulate(items(), ORGS, 5_000, 11), simulate(items(), ORGS, 5_000, 12)
    assert not np.array_equal(a, b)


def test_the_order_of_the_register_and_the_chunk_size_change_nothing():
    shuffled = close(list(reversed(REGISTER)))
    assert standard_cases(shuffled, SYSTEM, iterations=3_000) == standard_cases(RESULTS, SYSTEM, iterations=3_000)
    whole = simulate(items(), ORGS, 3_001, 5)
    assert np.array_equal(simulate(list(reversed(items())), ORGS, 3_001, 5, chunk=7), whole)
    assert whole.dtype == np.int64


def test_the_simulated_mean_is_the_expected_value_within_three_standard_errors():
    outcomes = simulate(items(), ORGS, N, 20240131)
    ics = outcomes.sum(axis=1)
    # Expected: -400x0.5 - 100x0.25 + 150x0.75 + 200x0.5 - 300x0.4 = -132.50.
    expected = -13_250
    # Variance of a two-point item: p(1-p)v^2.
    variance = sum(r["likelihood_pct"] / 100 * (1 - r["likelihood_pct"] / 100) * (r["value"] * P) ** 2 for r in REGISTER)
    se = math.sqrt(variance / N)
    assert abs(ics.mean() - expected) < 3 * se
    # Per organisation too: ACUTE2's M2 200 at 50%: mean 100, s.e. 100/sqrt(N).
    assert abs(outcomes[:, 1].mean() - 10_000) < 3 * 10_000 / math.sqrt(N)


def test_the_chance_that_no_risk_crystallises_matches_its_analytic_value():
    outcomes = simulate(items(), ORGS, N, 99)
    # ACUTE1 moves by 0 or +150 (M1) only when neither R1 nor R2 happens (their combinations
    # with M1 are -400, -100, -500, -250, +50, -350); the ICB by 0 only when R3 does not.
    no_risk = np.isin(outcomes[:, 0], [0, 150 * P]) & (outcomes[:, 2] == 0)
    analytic = 0.5 * 0.75 * 0.6  # = 0.225
    se = math.sqrt(analytic * (1 - analytic) / N)
    assert abs(no_risk.mean() - analytic) < 3 * se


def test_a_correlation_group_crystallises_together():
    register = [
        {"id": "A", "org": "ACUTE1", "type": "risk", "category": "other", "value": 400, "likelihood_pct": 50},
        {"id": "B", "org": "ACUTE1", "type": "risk", "category": "other", "value": 100, "likelihood_pct": 50},
        {"id": "C", "org": "ICB", "type": "risk", "category": "other", "value": 100, "likelihood_pct": 30},
        {"id": "D", "org": "ICB", "type": "risk", "category": "other", "value": 10, "likelihood_pct": 60},
    ]
    independent = simulate(items(register), ORGS, N, 3)
    grouped = simulate(items(register), ORGS, N, 3, groups=[("winter", ["A", "B"]), ("icb", ["C", "D"])])
    # Independent: ACUTE1 sees all four outcomes; grouped, A and B come together or not at all.
    assert set(np.unique(independent[:, 0])) == {0, -100 * P, -400 * P, -500 * P}
    assert set(np.unique(grouped[:, 0])) == {0, -500 * P}
    both = (grouped[:, 0] == -500 * P).mean()
    assert abs(both - 0.5) < 3 * math.sqrt(0.25 / N)
    # Different likelihoods share one draw: C (30%) never happens without D (60%); each keeps its own chance.
    assert set(np.unique(grouped[:, 2])) == {0, -10 * P, -110 * P}
    assert abs((grouped[:, 2] != 0).mean() - 0.6) < 3 * math.sqrt(0.24 / N)


def test_correlation_groups_in_the_scenario_file_reach_the_simulation():
    s = scenario("monte_carlo: {correlation_groups: {acute: [R1, R2]}}")
    summary = standard_cases(RESULTS, SYSTEM, s, iterations=2_000)
    rows = {r.row: r for r in summary.rows}
    # ACUTE1 grouped: R2 (25%) only ever with R1 (50%); with M1, -100 alone (-> +50 or -100) never happens.
    grouped = simulate(items(), ORGS, 2_000, summary.seed, groups=[("acute", ["R1", "R2"])])
    assert not np.isin(grouped[:, 0], [-100 * P, 50 * P]).any()
    assert rows["ACUTE1"].p50 == 4_140 * P + percentile(grouped[:, 0], 50)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 10, 101, 1_000])
def test_percentiles_are_the_inverted_empirical_cdf(n):
    values = np.random.default_rng(n).integers(-10**12, 10**12, size=n, dtype=np.int64)
    for pct in (10, 50, 90):
        got = percentile(values, pct)
        assert isinstance(got, int)
        assert got == int(np.percentile(values, pct, method="inverted_cdf"))
        # At least pct% of iterations at or below it; fewer strictly below.
        assert np.count_nonzero(values <= got) * 100 >= pct * n > np.count_nonzero(values < got) * 100


def test_percentiles_on_ten_outcomes_by_hand():
    values = np.array([9, 1, 8, 2, 7, 3, 6, 4, 5, 10], dtype=np.int64) * P
    # N = 10: P10 is the 1st smallest, P50 the 5th, P90 the 9th.
    assert (percentile(values, 10), percentile(values, 50), percentile(values, 90)) == (1 * P, 5 * P, 9 * P)
    assert probability_at_least(values, 7 * P) == Decimal("0.4")


def test_the_ics_row_is_simulated_as_a_whole_not_the_sum_of_percentiles():
    summary = standard_cases(RESULTS, SYSTEM, iterations=4_000, seed=5)
    rows = {r.row: r for r in summary.rows}
    outcomes = simulate(items(), ORGS, 4_000, 5)
    fot = np.array([4_140, 2_260, -1_200], dtype=np.int64) * P
    ics = (outcomes + fot).sum(axis=1)
    assert rows[ICS].p10 == percentile(ics, 10) and rows[ICS].p90 == percentile(ics, 90)
    assert rows[ICS].probability_meeting_target == probability_at_least(ics, -1_500 * P)
    assert rows["ICB"].probability_meeting_target == probability_at_least(outcomes[:, 2] + fot[2], 0) == Decimal(0)
    # P10 is the adverse tail.
    assert all(r.p10 <= r.p50 <= r.p90 for r in summary.rows)


def test_risk_share_applies_iteration_by_iteration_and_keeps_the_system_whole():
    shared = standard_cases(RESULTS, SYSTEM, scenario("risk_share: [{org: ICB, partner: ACUTE2, share_pct: 50}]"), iterations=4_000, seed=5)
    rows = {r.row: r for r in shared.rows}
    outcomes = simulate(items(), ORGS, 4_000, 5)
    icb = outcomes[:, 2] - 1_200 * P  # always below the ICB's target of 0: half of it moves every time
    moved = -((-icb + 1) // 2)  # 50% of a negative gap, half away from zero (gaps here are whole pounds)
    assert rows["ICB"].p50 == percentile(icb - moved, 50)
    assert rows["ACUTE2"].p90 == percentile(outcomes[:, 1] + 2_260 * P + moved, 90)
    plain = {r.row: r for r in standard_cases(RESULTS, SYSTEM, iterations=4_000, seed=5).rows}
    assert (rows[ICS].p10, rows[ICS].p50, rows[ICS].p90) == (plain[ICS].p10, plain[ICS].p50, plain[ICS].p90)
