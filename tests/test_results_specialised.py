"""CIP, agency, PHC, capital and risks against figures worked out by hand."""

from decimal import Decimal

from finmodel.ledger import build_ledger
from finmodel.results import compute_results
from finmodel.results.cip import ICB_IMPACTING
from tests.builders import d, make_inputs

P = 100


def _delivery(scheme_id, plan, actuals):
    return [
        {"scheme_id": scheme_id, "month": m, "plan": plan, **({"actual": actuals[m - 1]} if m <= len(actuals) else {})}
        for m in range(1, 13)
    ]


def test_cip_by_hand():
    schemes = [
        {"org": "ACUTE1", "scheme_id": "S1", "scheme": "Rostering", "category": "pay", "recurrent": True, "rating": "fully_developed"},
        {"org": "ACUTE1", "scheme_id": "S2", "scheme": "Drugs switch", "category": "non_pay", "recurrent": False, "rating": "opportunity"},
        {"org": "ICB", "scheme_id": "S3", "scheme": "Pathway", "category": "non_pay", "recurrent": True, "rating": "plans_in_progress", "impacts_org": "ACUTE1"},
    ]
    delivery = _delivery("S1", 10, [10, 10, 10]) + _delivery("S2", 20, [5, 5, 5]) + _delivery("S3", 4, [4, 4, 4])
    inputs = make_inputs(3, cip_schemes=schemes, cip_delivery=delivery)
    results = compute_results(inputs, build_ledger(inputs))
    by = {c.row: c for c in results.cip}
    # ACUTE1: plan 30x12 = 360; YTD plan 90, actual 45, variance -45; recurrent 30 of 45 delivered.
    a = by["ACUTE1"]
    assert (a.year_plan, a.ytd_plan, a.ytd_actual, a.ytd_variance) == (360 * P, 90 * P, 45 * P, -45 * P)
    assert (a.recurrent_ytd_plan, a.recurrent_ytd_actual) == (30 * P, 30 * P)
    assert a.recurrent_share == Decimal(2) / Decimal(3)
    # Risk-adjusted: S1 30 + 90x100% = 120; S2 15 + 180x50% = 105 -> 225.
    assert a.risk_adjusted_fot == 225 * P
    # Submitted (forecast at plan): S1 30 + 90, S2 15 + 180 = 315.
    assert a.submitted_fot == 315 * P
    # ICB scheme landing in ACUTE1: 12 + 36 x 75% = 39, in the ICB's row and its own memo row.
    assert by["ICB"].risk_adjusted_fot == by[ICB_IMPACTING].risk_adjusted_fot == 39 * P
    assert by["ACUTE2"].recurrent_share is None
    driver = next(x for x in results.drivers if x.org == "ACUTE1")
    assert driver.cip_tracker_variance == -45 * P and driver.efficiency_vs_cip_tracker == 45 * P


def _pay(org, plan, actuals, pay_type, forecast=None):
    return [
        {"org": org, "month": m, "plan": plan, "staff_group": "Medical", "pay_type": pay_type,
         **({"actual": actuals[m - 1]} if m <= len(actuals) else {}),
         **({"forecast": forecast} if forecast is not None and m > len(actuals) else {})}
        for m in range(1, 13)
    ]


def test_agency_by_hand():
    pay = _pay("ACUTE1", 1000, [1000] * 4, "substantive") + _pay("ACUTE1", 40, [60, 60, 70, 90], "agency", forecast=80)
    pay += _pay("ACUTE2", 20, [25, 25, 30, 30], "bank")
    pay += _pay("ACUTE2", 500, [500] * 4, "substantive") + _pay("ACUTE2", 0, [300, 300, 300, 300], "agency")
    agency = [
        {"org": r["org"], "month": r["month"], "plan": r["plan"], "staff_group": "Medical", "framework": "on",
         **({"actual": r["actual"]} if "actual" in r else {}), **({"forecast": r["forecast"]} if "forecast" in r else {})}
        for r in pay if r["pay_type"] == "agency"
    ]
    inputs = make_inputs(4, pay=pay, agency=agency)
    results = compute_results(inputs, build_ledger(inputs))
    a1, a2 = results.agency
    # ACUTE1 planned pay 1040 x 12 = 12,480; cap 5% = 624 a year, 208 to M4.
    assert a1.cap == 624 * P and a1.ytd_cap == 208 * P and a1.monthly_cap == 52 * P
    # YTD actual 60+60+70+90 = 280 against plan 160 and cap 208.
    assert (a1.ytd_actual, a1.variance_to_plan, a1.variance_to_cap) == (280 * P, -120 * P, -72 * P)
    assert a1.share_of_planned_pay == Decimal(280) / Decimal(4160)
    assert a1.average_per_month == 70 * P
    # Submitted FOT 280 + 80x8 = 920; run rate (k=2): (70+90)/2 = 80 x 8 = 640 -> 920.
    assert a1.submitted_fot == 920 * P and a1.run_rate_fot == 920 * P
    assert a1.monthly_spend == tuple(x * P for x in (60, 60, 70, 90) + (80,) * 8)
    # ACUTE2's explicit cap of 12,000 a year: 4,000 to M4.
    assert a2.cap == 12_000 * P and a2.ytd_cap == 4_000 * P
    # ACUTE2's bank staff: plan 20 x 4 = 80, spent 25+25+30+30 = 110, 30 over plan.
    assert (a2.bank_ytd_plan, a2.bank_ytd_actual, a2.bank_variance_to_plan) == (80 * P, 110 * P, -30 * P)
    assert (a1.bank_ytd_plan, a1.bank_ytd_actual) == (0, 0)
    detail = [x for x in results.agency_detail if x.org == "ACUTE1"]
    assert len(detail) == 1 and detail[0].ytd_actual == a1.ytd_actual and detail[0].submitted_fot == a1.submitted_fot


def test_phc_packages_by_hand_including_mid_month_and_leap_february():
    packages = [
        # Open all year, £700 a week = £100 a day. To M3 (Apr-Jun, 91 days) 9,100; Jul-Mar 275 days (366-day year) 27,500.
        {"package_id": "A", "service": "adult_chc", "weekly_cost": 700, "start_date": d("2023-04-01")},
        # Starts 16 June, £1,400 a week at a 50% share = £100 a day: 15 days to date, 275 after.
        {"package_id": "B", "service": "adult_chc", "weekly_cost": 1400, "start_date": d("2023-06-16"), "icb_share": Decimal("0.5")},
        # Ends 15 Feb 2024, £70 a week = £10 a day: 91 days to date; Jul 1 - Feb 15 = 230 days after.
        {"package_id": "C", "service": "fnc", "weekly_cost": 70, "start_date": d("2022-01-01"), "end_date": d("2024-02-15")},
        # February of a leap year: £7 a week = £1 a day for 29 days.
        {"package_id": "D", "service": "fnc", "weekly_cost": 7, "start_date": d("2024-02-01"), "end_date": d("2024-02-29")},
    ]
    budget = [{"org": "ICB", "service": "adult_chc", "month": m, "plan": 10_000, **({"actual": 11_000} if m <= 3 else {})} for m in range(1, 13)]
    inputs = make_inputs(3, phc_packages=packages, phc_budget=budget)
    results = compute_results(inputs, build_ledger(inputs))
    chc = next(p for p in results.phc if p.service == "adult_chc")
    fnc = next(p for p in results.phc if p.service == "fnc")
    assert chc.package_cost_to_date == (9_100 + 1_500) * P
    assert chc.package_forecast == (27_500 + 27_500) * P
    assert fnc.package_cost_to_date == 910 * P and fnc.package_forecast == (2_300 + 29) * P
    # Growth: 2 a month at £100 a day from the 1st of Jul..Mar: days to 31 Mar sum to 1,371 -> 274,200.
    assert chc.growth_forecast == 274_200 * P and chc.qipp == 100 * P
    # Budget: plan 120,000; actual 33,000 + forecast at plan 90,000 = 123,000; overspend 3,000.
    assert chc.fot == 123_000 * P and chc.overspend == 3_000 * P
    assert chc.growth_on_prior_year == 73_000 * P  # prior year 50,000
    assert chc.package_fot == (33_000 + 55_000 + 274_200 - 100) * P
    assert chc.budget_vs_packages == (33_000 - 10_600) * P
    assert chc.live_packages == 2 and fnc.live_packages == 1


def test_high_cost_cohort_by_hand():
    packages = [
        {"package_id": "E", "service": "adult_chc", "weekly_cost": 7_000, "start_date": d("2023-01-01")},
        {"package_id": "F", "service": "adult_chc", "weekly_cost": 9_500, "start_date": d("2023-05-01")},
        {"package_id": "G", "service": "adult_chc", "weekly_cost": 12_000, "start_date": d("2023-01-01"), "end_date": d("2023-05-01")},
        {"package_id": "H", "service": "adult_chc", "weekly_cost": 6_999.99, "start_date": d("2023-01-01")},
    ]
    inputs = make_inputs(3, phc_packages=packages)
    results = compute_results(inputs, build_ledger(inputs))
    low, high = results.phc_high_cost
    # [7,000, 9,000): E only (H is below the threshold); 7,000 x 365/7 = 365,000.
    assert (low.packages, low.equivalent_annual_cost) == (1, 365_000 * P)
    # [9,000, ...): F (G ended before the close); 9,500 x 365/7 = 495,357.142857 -> 495,357.14.
    assert (high.packages, high.equivalent_annual_cost) == (1, 49_535_714)
    assert low.label == "£7,000 to £8,999" and high.label == "£9,000 and above"


def test_capital_and_risks_by_hand():
    capital = [
        {"org": "ACUTE1", "programme": "cdel", "plan": 1000, "forecast": 1200},
        {"org": "ACUTE1", "programme": "ifrs16", "plan": 300, "forecast": 250},
        {"org": "ACUTE2", "programme": "other", "plan": 50, "forecast": 50},
    ]
    risks = [
        {"id": "R1", "org": "ACUTE1", "type": "risk", "category": "inflation", "value": 400, "likelihood_pct": 50},
        {"id": "R2", "org": "ACUTE1", "type": "risk", "category": "erf", "value": 100, "likelihood_pct": 25},
        {"id": "M1", "org": "ACUTE1", "type": "mitigation", "category": "inflation", "value": 150, "likelihood_pct": 75, "status": "delivered"},
    ]
    inputs = make_inputs(3, capital=capital, risks=risks)
    results = compute_results(inputs, build_ledger(inputs))
    a1 = next(c for c in results.capital if c.org == "ACUTE1")
    assert a1.variance("cdel") == -200 * P and a1.variance("ifrs16") == 50 * P
    assert results.ifrs16_allocation == 5_000 * P
    r = next(x for x in results.risks if x.row == "ACUTE1")
    # Potential 500, mitigations 150, net 350; FOT 0 (no ledger) -> risk-adjusted -350;
    # target -500 from M3: already met, nothing further required.
    assert (r.potential_risk, r.mitigations, r.net_impact, r.risk_adjusted_fot) == (500 * P, 150 * P, 350 * P, -350 * P)
    assert r.further_mitigations_required == 0
    a2 = next(x for x in results.risks if x.row == "ACUTE2")
    assert a2.further_mitigations_required == 0 and a2.target == -1_000 * P
    inflation = next(x for x in results.risk_categories if x.row == "inflation")
    assert inflation.net_impact == 250 * P
