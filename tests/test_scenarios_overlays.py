"""Each overlay against a hand-computed fixture (pounds -> pence x100), the standard cases,
the bridge, risk share, and a scenario of zeros reproducing the close exactly.

The close (TINY_SYSTEM, M10, so months 11 and 12 are still to come):
- ACUTE1: income 1,000 a month (12,000); substantive pay 600 (7,200); agency pay 50 a month
  to M10 then forecast 80 (500 + 160 = 660). FOT 12,000 - 7,200 - 660 = 4,140.
  agency.xlsx: Medical on framework 30 a month then 50; Nursing off framework 20 then 30.
- ACUTE2: income 800 (9,600); drugs plan 500, actual 500 x 8 then 560, 580, forecast at
  plan (4,000 + 1,140 + 1,000 = 6,140); agency 100 a month on framework (1,200).
  FOT 9,600 - 6,140 - 1,200 = 2,260.
- ICB: allocation 2,000 (24,000); acute 2,100 a month against a plan of 2,000 (25,200).
  FOT -1,200.
Targets at M10: ACUTE1 -500 (revised from M3), ACUTE2 -1,000, ICB 0.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import numpy as np

from finmodel.findings import errors
from finmodel.ledger import build_ledger
from finmodel.results import compute_results, results_to_json
from finmodel.results.risks import RiskItem
from finmodel.scenarios.cases import ICS, standard_cases
from finmodel.scenarios.check import check_against_close
from finmodel.scenarios.file import parse_scenario
from finmodel.scenarios.overlays import apply_overlays
from finmodel.scenarios.register import expected_value
from finmodel.scenarios.sharing import transfer
from tests.builders import make_inputs, system

P = 100  # pence per pound
MONTH = 10
SMALL_N = 200  # iterations where only the deterministic cases are being checked


def months(org, plan, actuals, forecast=None, **codes):
    rows = []
    for m in range(1, 13):
        row = {"org": org, "month": m, "plan": plan, **codes}
        if m <= MONTH:
            row["actual"] = actuals[m - 1] if isinstance(actuals, list) else actuals
        elif forecast is not None:
            row["forecast"] = forecast
        rows.append(row)
    return rows


def delivery(scheme_id, plan, actual, forecast=None):
    return [
        {"scheme_id": scheme_id, "month": m, "plan": plan, **({"actual": actual} if m <= MONTH else {}),
         **({"forecast": forecast} if m > MONTH and forecast is not None else {})}
        for m in range(1, 13)
    ]


REGISTER = [
    {"id": "R1", "org": "ACUTE1", "type": "risk", "category": "inflation", "value": 400, "likelihood_pct": 50},
    {"id": "R2", "org": "ACUTE1", "type": "risk", "category": "erf", "value": 100, "likelihood_pct": 25},
    {"id": "M1", "org": "ACUTE1", "type": "mitigation", "category": "inflation", "value": 150, "likelihood_pct": 75, "status": "delivered"},
    {"id": "M2", "org": "ACUTE2", "type": "mitigation", "category": "other", "value": 200, "likelihood_pct": 50, "status": "in_progress"},
    {"id": "R3", "org": "ICB", "type": "risk", "category": "phc", "value": 300, "likelihood_pct": 40},
]


def close(register=REGISTER):
    income = months("ACUTE1", 1000, 1000, category="clinical_icb") + months("ACUTE2", 800, 800, category="clinical_icb")
    income += months("ICB", 2000, 2000, category="allocation")
    pay = months("ACUTE1", 600, 600, staff_group="Nursing", pay_type="substantive")
    pay += months("ACUTE1", 50, 50, 80, staff_group="Mixed", pay_type="agency")
    pay += months("ACUTE2", 100, 100, staff_group="Medical", pay_type="agency")
    agency = months("ACUTE1", 25, 30, 50, staff_group="Medical", framework="on")
    agency += months("ACUTE1", 25, 20, 30, staff_group="Nursing", framework="off")
    agency += months("ACUTE2", 100, 100, staff_group="Medical", framework="on")
    nonpay = months("ACUTE2", 500, [500] * 8 + [560, 580], category="Drugs", kind="operating")
    nonpay += months("ICB", 2000, 2100, 2100, category="acute")
    schemes = [
        {"org": "ACUTE1", "scheme_id": "S1", "scheme": "Rostering", "category": "pay", "recurrent": True, "rating": "plans_in_progress"},
        {"org": "ACUTE1", "scheme_id": "S2", "scheme": "Drugs switch", "category": "non_pay", "recurrent": False, "rating": "opportunity"},
        {"org": "ICB", "scheme_id": "S3", "scheme": "Pathway", "category": "non_pay", "recurrent": True, "rating": "fully_developed"},
    ]
    cip = delivery("S1", 10, 10, 9) + delivery("S2", 20, 5) + delivery("S3", 5, 5)
    inputs = make_inputs(MONTH, income=income, pay=pay, nonpay=nonpay, agency=agency, cip_schemes=schemes,
                         cip_delivery=cip, risks=register)
    return compute_results(inputs, build_ledger(inputs))


SYSTEM = system()
RESULTS = close()
FOT = {"ACUTE1": 4_140 * P, "ACUTE2": 2_260 * P, "ICB": -1_200 * P}


def scenario(text: str, name: str = "test.yaml"):
    loaded, findings = parse_scenario(text, name)
    assert loaded is not None and findings == [], findings
    return loaded


def shocks_by_org(text: str) -> dict[str, int]:
    overlaid = apply_overlays(RESULTS, SYSTEM, scenario(text))
    out: dict[str, int] = {}
    for item in overlaid.shocks:
        out[item.org] = out.get(item.org, 0) + item.amount
    return out


def rows(summary):
    return {r.row: r for r in summary.rows}


def test_the_fixture_close_is_what_the_docstring_says():
    assert {p.org: p.surplus.fot for p in RESULTS.positions} == FOT
    assert {p.org: p.target for p in RESULTS.positions} == {"ACUTE1": -500 * P, "ACUTE2": -1_000 * P, "ICB": 0}


def test_standard_cases_by_hand():
    s = standard_cases(RESULTS, SYSTEM, iterations=SMALL_N)
    r = rows(s)
    # ACUTE1: best +150 (M1); worst -400 -100 +150 (M1 delivered); likely -200 -25 +112.50.
    assert (r["ACUTE1"].base_fot, r["ACUTE1"].best, r["ACUTE1"].worst) == (4_140 * P, 4_290 * P, 3_790 * P)
    assert r["ACUTE1"].likely == 4_140 * P - 11_250
    # ACUTE2: M2 in progress: best +200, worst +0, likely +100.
    assert (r["ACUTE2"].best, r["ACUTE2"].worst, r["ACUTE2"].likely) == (2_460 * P, 2_260 * P, 2_360 * P)
    # ICB: R3 300 at 40%: best -1,200, worst -1,500, likely -1,320.
    assert (r["ICB"].best, r["ICB"].worst, r["ICB"].likely) == (-1_200 * P, -1_500 * P, -1_320 * P)
    # ICS adds the organisations: target -500 - 1,000 + 0; base 4,140 + 2,260 - 1,200.
    assert (r[ICS].target, r[ICS].base_fot) == (-1_500 * P, 5_200 * P)
    assert r[ICS].likely == r["ACUTE1"].likely + r["ACUTE2"].likely + r["ICB"].likely
    # ICB likely -1,320 against a target of 0: 1,320 further required; ACUTE1 needs nothing.
    assert r["ICB"].further_required_likely == 1_320 * P and r["ACUTE1"].further_required_likely == 0
    assert (s.name, s.close, s.iterations, s.file_sha256) == ("standard", "2023/24 M10", SMALL_N, "")
    # The bridge of the standard run: only the register as closed, likelihood-weighted.
    assert {(b.org, b.overlay, b.amount) for b in s.bridge} == {
        ("ACUTE1", "register", -11_250), ("ACUTE2", "register", 100 * P), ("ICB", "register", -120 * P)}


def test_register_overlays_by_hand():
    s = scenario("""
register:
  R1: {include: false}
  R2: {likelihood: high}
  M2: {value: 300, status: delivered}
new_items:
  - {id: N1, org: ICB, type: mitigation, category: phc, value: 100, likelihood: medium, status: delivered}
""")
    overlaid = apply_overlays(RESULTS, SYSTEM, s)
    # R1 off: +200 to the likely case; R2 25% -> 75% of 100: -50; M2 100 -> 150 expected: +50; N1 50% of 100: +50.
    assert {b.description.split(":")[0]: b.amount for b in overlaid.register_changes} == {
        "R1": 200 * P, "R2": -50 * P, "M2": 50 * P, "N1": 50 * P}
    assert [i.id for i in overlaid.register] == ["M1", "M2", "N1", "R2", "R3"]
    assert next(i for i in overlaid.register if i.id == "R2").likelihood_pct == Decimal(75)
    r = rows(standard_cases(RESULTS, SYSTEM, s, iterations=SMALL_N))
    # ACUTE1 likely: -75 (R2) + 112.50 (M1); worst: -100 (R2) + 150 (M1 delivered).
    assert r["ACUTE1"].likely == 4_140 * P - 7_500 + 11_250 and r["ACUTE1"].worst == 4_190 * P
    # ACUTE2: M2 now 300 and delivered: worst +300, likely +150.
    assert (r["ACUTE2"].worst, r["ACUTE2"].likely) == (2_560 * P, 2_410 * P)
    # ICB: N1 delivered lands in the worst case: -1,200 - 300 + 100; likely -1,200 - 120 + 50.
    assert (r["ICB"].worst, r["ICB"].likely, r["ICB"].best) == (-1_400 * P, -1_270 * P, -1_100 * P)
    # Shocks none: the scenario FOT is the close's.
    assert {k: v.base_fot for k, v in r.items() if k != ICS} == FOT


def test_expected_value_rounds_once_half_away_from_zero():
    item = RiskItem("X", "ACUTE1", "risk", "other", "", 1, Decimal(50), "")
    assert expected_value(item) == -1  # -0.5p -> -1p
    assert expected_value(dataclasses.replace(item, type="mitigation")) == 1
    assert expected_value(dataclasses.replace(item, value=3, likelihood_pct=Decimal("33.3"))) == -1  # -0.999p


def test_agency_rate_card_by_hand():
    # Off framework at ACUTE1, 10% cheaper from M11: 30 + 30 of spend -> 6 less.
    assert shocks_by_org("agency_rate_card: [{change_pct: -10, from_month: 11, providers: [ACUTE1], framework: off}]") == {"ACUTE1": 6 * P}
    # On framework at ACUTE1: 50 + 50 -> 10 less.
    assert shocks_by_org("agency_rate_card: [{change_pct: -10, from_month: M11, providers: [ACUTE1], framework: 'on'}]") == {"ACUTE1": 10 * P}
    # 5% dearer in M12 for every provider, all frameworks: ACUTE1 80 -> 4 more; ACUTE2 100 -> 5 more.
    assert shocks_by_org("agency_rate_card: [{change_pct: 5, from_month: 12}]") == {"ACUTE1": -4 * P, "ACUTE2": -5 * P}
    # A month already closed: only the months after the close change, with a warning.
    text = "agency_rate_card: [{change_pct: -10, from_month: 3, providers: [ACUTE1], framework: off}]"
    findings = check_against_close(scenario(text), RESULTS, SYSTEM)
    assert [(f.column, f.kind, f.severity) for f in findings] == [("agency_rate_card.0.from_month", "month_closed", "warning")]
    assert shocks_by_org(text) == {"ACUTE1": 6 * P}
    # Rounded once per provider, half away from zero: 0.015625% of ACUTE1's 160 of spend = 2.5p -> 3p.
    assert shocks_by_org("agency_rate_card: [{change_pct: 0.015625, from_month: 11, providers: [ACUTE1]}]") == {"ACUTE1": -3}
    assert shocks_by_org("agency_rate_card: [{change_pct: -0.015625, from_month: 11, providers: [ACUTE1]}]") == {"ACUTE1": 3}


def test_cip_delivery_probability_by_hand():
    # S1 plans in progress: remaining plan 20 x 60% = 12 against a submitted 18: -6.
    # S2 opportunity: 40 x 25% = 10 against a submitted 40: -30. ACUTE1 -36; the ICB's S3 is not named.
    text = "cip_delivery: {probability_pct: {plans_in_progress: 60, opportunity: 25}}"
    assert shocks_by_org(text) == {"ACUTE1": -36 * P, "ACUTE2": 0, "ICB": 0}
    # Only the ICB's fully developed scheme at 50%: 10 x 50% = 5 against a submitted 10.
    assert shocks_by_org("cip_delivery: {probability_pct: {fully_developed: 50}, organisations: [ICB]}") == {"ICB": -5 * P}
    # At system.yaml's own probabilities the effect is the close's risk adjustment:
    # S1 20 x 75% = 15 against 18 (-3), S2 40 x 50% = 20 against 40 (-20).
    assert shocks_by_org("cip_delivery: {probability_pct: {plans_in_progress: 75, opportunity: 50}}")["ACUTE1"] == -23 * P


def test_phc_packages_by_hand():
    # 2 a month at £700 a week (£100 a day) from M11 (1 Feb 2024) to 31 March:
    # February's starters run 29 + 31 = 60 days (leap year), March's 31: 2 x 100 x 91 = 18,200.
    assert shocks_by_org("phc_packages: [{service: adult_chc, per_month: 2, weekly_cost: 700}]") == {"ICB": -18_200 * P}
    assert shocks_by_org("phc_packages: [{service: fnc, per_month: 2, weekly_cost: 700, from_month: M12}]") == {"ICB": -6_200 * P}
    # Half a package a month at £7 a week (£1 a day): 0.5 x (60 + 31) = 45.50.
    assert shocks_by_org("phc_packages: [{service: s117, per_month: 0.5, weekly_cost: 7, org: ICB}]") == {"ICB": -4_550}


def test_industrial_action_by_hand():
    text = "industrial_action: [{org: ACUTE2, month: 12, cost: 1_000, funding: 400}, {org: ACUTE1, month: M11, cost: 250.50}]"
    assert shocks_by_org(text) == {"ACUTE2": -600 * P, "ACUTE1": -25_050}
    # A strike in a closed month is already in the actuals: an error, and apply_overlays refuses it.
    bad = scenario("industrial_action: [{org: ACUTE2, month: 10, cost: 1_000}]")
    assert [(f.column, f.kind) for f in errors(check_against_close(bad, RESULTS, SYSTEM))] == [("industrial_action.0.month", "month_closed")]


def test_forecast_method_override_by_hand():
    # ACUTE2 drugs by run rate (k = 2): (560 + 580) / 2 = 570 a month for M11-12 = 1,140
    # against a submitted 1,000: 140 more spend, -140 in surplus terms.
    assert shocks_by_org("forecast_method: [{organisations: [ACUTE2], lines: [non_pay], method: run_rate}]") == {"ACUTE2": -140 * P}
    # By trend: the line through 500 x 8, 560, 580 (OLS) extended to M11 and M12.
    t = np.arange(1, 11)
    y = np.array([500] * 8 + [560, 580], dtype=float)
    slope, intercept = np.polyfit(t, y, 1)
    trend = round((intercept + slope * 11 + intercept + slope * 12) * P)
    assert shocks_by_org("forecast_method: [{organisations: [ACUTE2], lines: [non_pay], method: trend}]") == {"ACUTE2": -(trend - 1_000 * P)}
    # Every organisation with the lines: ACUTE1's income by plan equals its submission; the ICB has no non_pay.
    assert shocks_by_org("forecast_method: [{lines: [income, non_pay], method: plan}]") == {"ACUTE1": 0, "ACUTE2": 0}
    # The ICB's acute line by run rate: 2,100 a month = its submission, so nothing moves.
    assert shocks_by_org("forecast_method: [{organisations: [ICB], lines: [acute], method: run_rate}]") == {"ICB": 0}


def test_risk_share_by_hand():
    s = scenario("risk_share: [{org: ICB, partner: ACUTE2, share_pct: 50}]")
    summary = standard_cases(RESULTS, SYSTEM, s, iterations=SMALL_N)
    r = rows(summary)
    # Scenario FOT: the ICB is 1,200 short of its target of 0; ACUTE2 takes on 600.
    assert (r["ICB"].base_fot, r["ACUTE2"].base_fot) == (-600 * P, 1_660 * P)
    # Likely: ICB -1,200 - 120 = -1,320, half moves: -660; ACUTE2 2,260 + 100 - 660 = 1,700.
    assert (r["ICB"].likely, r["ACUTE2"].likely) == (-660 * P, 1_700 * P)
    # Best: the ICB at -1,200 still; worst -1,500 -> -750, and ACUTE2's worst 2,260 - 750.
    assert (r["ICB"].worst, r["ACUTE2"].worst) == (-750 * P, 1_510 * P)
    # Nothing moves at system level.
    plain = rows(standard_cases(RESULTS, SYSTEM, iterations=SMALL_N))
    assert all(getattr(r[ICS], c) == getattr(plain[ICS], c) for c in ("base_fot", "best", "likely", "worst", "p10", "p50", "p90"))
    # The bridge shows the transfers on the scenario FOT and their change in the likely case (60 more).
    steps = {(b.org, b.overlay): b.amount for b in summary.bridge if b.overlay.startswith("risk_share")}
    assert steps == {("ICB", "risk_share"): 600 * P, ("ACUTE2", "risk_share"): -600 * P,
                     ("ICB", "risk_share_likely"): 60 * P, ("ACUTE2", "risk_share_likely"): -60 * P}
    # A gain share: ACUTE1 beats its target of -500 by 4,640; a quarter, 1,160, goes to ACUTE2.
    gain = rows(standard_cases(RESULTS, SYSTEM, scenario(
        "risk_share: [{org: ACUTE1, partner: ACUTE2, share_pct: 25, applies_to: underspend}]"), iterations=SMALL_N))
    assert (gain["ACUTE1"].base_fot, gain["ACUTE2"].base_fot) == (2_980 * P, 3_420 * P)
    # An overspend rule leaves an organisation that is not overspent alone.
    none = rows(standard_cases(RESULTS, SYSTEM, scenario("risk_share: [{org: ACUTE1, partner: ICB, share_pct: 50}]"), iterations=SMALL_N))
    assert none["ACUTE1"].base_fot == 4_140 * P


def test_risk_share_transfers_round_half_away_from_zero():
    rule = scenario("risk_share: [{org: ICB, partner: ACUTE1, share_pct: 50, applies_to: both}]").content.risk_share[0]
    # 50% of -5p, 5p, -3p, 3p, 0 = -2.5, 2.5, -1.5, 1.5, 0 -> -3, 3, -2, 2, 0.
    assert transfer(np.array([-5, 5, -3, 3, 0]), rule).tolist() == [-3, 3, -2, 2, 0]


EVERYTHING = """
register:
  R1: {likelihood: 10}
new_items:
  - {id: N1, org: ACUTE2, type: risk, category: other, value: 50, likelihood: 20}
agency_rate_card: [{change_pct: -10, from_month: 11, providers: [ACUTE1], framework: off}]
cip_delivery: {probability_pct: {opportunity: 25}}
phc_packages: [{service: adult_chc, per_month: 1, weekly_cost: 70}]
industrial_action: [{org: ACUTE2, month: 12, cost: 100, funding: 30}]
forecast_method: [{organisations: [ACUTE2], lines: [non_pay], method: run_rate}]
pooled_share: [{name: CHC risk share, service: adult_chc, baseline: 1, tiers: [{shares: {ICB: 50, ACUTE1: 50}}]}]
risk_share: [{org: ICB, partner: ACUTE1, share_pct: 40}]
"""


def test_the_bridge_adds_up_from_the_close_to_the_likely_case():
    summary = standard_cases(RESULTS, SYSTEM, scenario(EVERYTHING), iterations=SMALL_N)
    r = rows(summary)
    to_likely = ("register", "register_change", "risk_share_likely")
    for org, fot in FOT.items():
        shocks = sum(b.amount for b in summary.bridge if b.org == org and b.overlay not in to_likely)
        register = sum(b.amount for b in summary.bridge if b.org == org and b.overlay in to_likely)
        assert fot + shocks == r[org].base_fot
        assert r[org].base_fot + register == r[org].likely
    # Every overlay of the file has its step, in the order docs/scenarios.md gives.
    overlays = list(dict.fromkeys(b.overlay for b in summary.bridge))
    assert overlays == ["agency_rate_card", "cip_delivery", "phc_packages", "industrial_action", "forecast_method",
                        "pooled_share", "risk_share", "register", "register_change", "risk_share_likely"]


def test_a_scenario_of_zeros_reproduces_the_close_exactly():
    zeros = scenario("""
register:
  R1: {likelihood: 50, value: 400}
new_items:
  - {id: N1, org: ICB, type: risk, category: other, value: 0, likelihood: 90}
agency_rate_card: [{change_pct: 0, from_month: 11}]
cip_delivery: {probability_pct: {fully_developed: 100}}
phc_packages: [{service: adult_chc, per_month: 0, weekly_cost: 900}]
industrial_action: [{org: ACUTE1, month: 12, cost: 0, funding: 0}]
forecast_method: [{lines: [pay, allocation], method: submitted}]
risk_share: [{org: ICB, partner: ACUTE1, share_pct: 0}]
monte_carlo: {correlation_groups: {nothing: [N1]}}
""")
    summary = standard_cases(RESULTS, SYSTEM, zeros, iterations=2_000)
    plain = standard_cases(RESULTS, SYSTEM, iterations=2_000)
    assert all(b.amount == 0 for b in summary.bridge if b.overlay != "register")
    assert {r.row: r.base_fot for r in summary.rows if r.row != ICS} == FOT
    # Every figure, Monte Carlo included, is the close's own: an item worth nothing draws nothing.
    assert summary.rows == plain.rows


def test_every_item_switched_off_leaves_the_scenario_fot_in_every_case():
    off = scenario("register: {" + ", ".join(f"{i['id']}: {{include: false}}" for i in REGISTER) + "}")
    for r in standard_cases(RESULTS, SYSTEM, off, iterations=SMALL_N).rows:
        assert r.best == r.likely == r.worst == r.p10 == r.p50 == r.p90 == r.base_fot
        assert r.probability_meeting_target == (1 if r.base_fot >= r.target else 0)


def test_the_stored_close_is_never_changed():
    before = results_to_json(RESULTS)
    standard_cases(RESULTS, SYSTEM, scenario(EVERYTHING), iterations=SMALL_N)
    assert results_to_json(RESULTS) == before


def test_the_file_sets_its_own_seed_and_iterations():
    s = scenario("monte_carlo: {iterations: 300, seed: 7}")
    summary = standard_cases(RESULTS, SYSTEM, s)
    assert (summary.seed, summary.iterations, summary.file_sha256) == (7, 300, s.sha256)
    assert summary.rows == standard_cases(RESULTS, SYSTEM, iterations=300, seed=7).rows
