"""Position, forecast methods and drivers against figures worked out by hand (pounds -> pence x100)."""

from finmodel.ledger import build_ledger
from finmodel.results import compute_results
from finmodel.results.forecast import Series, forecast_run_rate, forecast_seasonal, forecast_trend
from tests.builders import make_inputs
from tests.builders import year_rows as _months

P = 100  # pence per pound


def tiny_close():
    income = _months("ACUTE1", 100, [100, 110, 90], {4: 105, 5: 105, 6: 105}, category="clinical_icb")
    income += _months("ICB", 200, [200, 200, 200], category="allocation")
    pay = _months("ACUTE1", 60, [60, 70, 65], staff_group="Nursing", pay_type="substantive", driver="vacancies")
    pay += _months("ACUTE1", 5, [10, 12, 14], {m: 12 for m in range(4, 13)}, staff_group="Nursing", pay_type="agency", driver="agency_escalation")
    nonpay = _months("ACUTE1", 30, [30, 30, 30], category="Drugs", kind="operating", driver="inflation")
    nonpay += _months("ACUTE1", 2, [2, 2, 2], category="Depreciation", kind="non_operating")
    nonpay += _months("ICB", 150, [150, 160, 170], category="acute")
    phc = _months("ICB", 50, [50, 55, 60], service="adult_chc")
    return make_inputs(3, income=income, pay=pay, nonpay=nonpay, phc_budget=phc)


def test_position_figures_by_hand():
    inputs = tiny_close()
    results = compute_results(inputs, build_ledger(inputs))
    acute = results.position("ACUTE1")
    # Income: YTD plan 3x100=300, actual 100+110+90=300; forecast M4-6 105x3 + M7-12 at plan 100x6 = 915.
    assert (acute.income.ytd_plan, acute.income.ytd_actual, acute.income.forecast) == (300 * P, 300 * P, 915 * P)
    assert acute.income.fot == 1215 * P and acute.income.fot_variance == 15 * P
    # Expenditure YTD plan (60+5+30+2)x3 = 291; actual 195 + 36 + 90 + 6 = 327; variance -36.
    assert acute.expenditure.ytd_plan == 291 * P and acute.expenditure.ytd_actual == 327 * P
    assert acute.expenditure.ytd_variance == -36 * P
    # Surplus YTD: 300 - 327 = -27 against plan 300 - 291 = 9, variance -36.
    assert acute.surplus.ytd_actual == -27 * P and acute.surplus.ytd_variance == -36 * P
    # FOT: income 1215; spend 327 + forecast (60+30+2)x9 + 12x9 = 327 + 828 + 108 = 1263; surplus -48.
    assert acute.surplus.fot == -48 * P
    # Target revised from M3 to -500: gap = -48 - (-500) = 452.
    assert acute.target == -500 * P and acute.original_target == 0 and acute.gap_to_target == 452 * P
    assert dict(acute.lines)["non_operating"].ytd_actual == 6 * P
    icb = results.position("ICB")
    # ICB: allocation 600 YTD; acute 480; continuing care 165 (from phc.xlsx) -> surplus -45.
    assert dict(icb.lines)["continuing_care"].ytd_actual == 165 * P
    assert icb.surplus.ytd_actual == (600 - 480 - 165) * P
    assert icb.monthly_actual[:3] == ((200 - 150 - 50) * P, (200 - 160 - 55) * P, (200 - 170 - 60) * P)


def test_drivers_add_up_and_split_by_hand():
    inputs = tiny_close()
    results = compute_results(inputs, build_ledger(inputs))
    acute = next(d for d in results.drivers if d.org == "ACUTE1")
    assert acute.vacancies == (180 - 195) * P  # substantive pay 15 over plan
    assert acute.agency_escalation == (15 - 36) * P  # agency 21 over plan
    assert acute.inflation == 0
    assert acute.other == 0  # income 300 vs 300, depreciation on plan
    assert acute.total == results.position("ACUTE1").surplus.ytd_variance == -36 * P
    icb = next(d for d in results.drivers if d.org == "ICB")
    assert icb.phc == -(165 - 150) * P and icb.other == -(480 - 450) * P
    assert icb.total_excl_erf == icb.total == results.position("ICB").surplus.ytd_variance


def test_run_rate_over_a_month_with_a_one_off():
    # Actuals 100, 100 then a one-off 400 in M3; k=2 averages (100+400)/2 = 250 for 9 months.
    s = Series(3, (100,) * 12, (100, 100, 400) + (0,) * 9, (0,) * 12)
    assert forecast_run_rate(s, 2) == 2250
    assert forecast_run_rate(s, 3) == 1800  # (600/3) x 9
    assert forecast_run_rate(s, 12) == 1800  # k is capped at the months closed


def test_trend_and_seasonal_by_hand():
    s = Series(3, (10,) * 12, (10, 20, 30) + (0,) * 9, (0,) * 12)
    # Straight line y = 10t: months 4..12 sum to 10 x (4+...+12) = 720.
    assert forecast_trend(s, 3) == 720
    # Seasonal: remaining plan 90 x YTD actual 60 / YTD plan 30 = 180.
    assert forecast_seasonal(s) == 180
    # Rounded once, half away from zero: 1,2 -> slope 1, months 3..12 sum 3+...+12 = 75.
    assert forecast_trend(Series(2, (0,) * 12, (1, 2) + (0,) * 10, (0,) * 12), 3) == 75


def test_forecast_challenge_rows():
    inputs = tiny_close()
    results = compute_results(inputs, build_ledger(inputs))
    row = next(r for r in results.challenge if r.org == "ACUTE1" and r.line_group == "pay")
    # Pay by month: 70, 82, 79 (substantive + agency); YTD 231. Submitted: 60x9 + 12x9 = 648 -> 879.
    # Run rate (k=2): (82 + 79) / 2 = 80.50 a month x 9 = 724.50 -> 955.50.
    fots = dict(row.method_fots)
    assert row.submitted_fot == 879 * P
    assert fots["run_rate"] == 95550
    assert fots["plan"] == 231 * P + 65 * 9 * P
    assert row.method == "submitted" and row.difference == 0
    surplus = next(r for r in results.challenge if r.org == "ACUTE1" and r.line_group == "surplus")
    assert surplus.submitted_fot == results.position("ACUTE1").surplus.fot
