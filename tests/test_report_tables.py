"""The board pack's tables and narrative (pure), against figures worked out by hand from
tests/report_fixture.py (pounds; pence = pounds x 100)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from finmodel.contract import DRIVERS
from finmodel.report import build_tables, narrative
from finmodel.results.movement import DETERIORATED, IMPROVED, WITHIN_MATERIALITY, rephasings, symbol
from finmodel.report.sheets.drivers import floating_step
from finmodel.report.table import ICS, PROVIDERS, TOTAL, Table
from finmodel.report.tables import build_sheets
from tests import report_fixture

P = 100


@pytest.fixture(scope="module")
def pack():
    return report_fixture.pack()


@pytest.fixture(scope="module")
def tables(pack) -> dict[str, Table]:
    return {t.key: t for t in build_tables(pack)}


def test_sheets_in_board_order_with_scenarios_last(pack):
    names = [s.name for s in build_sheets(pack)]
    assert names == [
        "Contents", "KPIs", "System I&E", "Provider subjective", "ICB", "Drivers", "Efficiency", "Underlying position", "Agency", "Risks",
        "Capital", "PHC", "Provider summaries", "Forecast challenge", "Agreement of balances", "Scenarios",
    ]
    without = dataclasses.replace(pack, scenarios=None)
    assert "Scenarios" not in [s.name for s in build_sheets(without)]


def test_organisation_rows_in_system_yaml_order_with_totals(tables):
    # Providers, their total, then the ICB and the "other" organisation, the ICS, then the group.
    codes = [r.code for r in tables["system_ie"].rows]
    assert codes == ["ACUTE1", "CMH", PROVIDERS, "ICB", "HOSPICE", ICS, "Providers and hospice"]
    assert [r.total for r in tables["system_ie"].rows] == [False, False, True, False, False, True, False]


def test_system_ie_by_hand(tables, pack):
    t = tables["system_ie"]
    # ACUTE1 income YTD: clinical 40.2m + ERF 1.65m + industrial-action funding 0.2m against plan 42m.
    assert t.cell("ACUTE1", "ytd_income_actual") == 42_050_000 * P
    assert t.cell("ACUTE1", "ytd_income_var") == 50_000 * P
    # YTD surplus variance worked out line by line: +0.05 - 0.6 - 0.57 - 0.8 - 0.6 - 1.0 = -3.52m.
    assert t.cell("ACUTE1", "ytd_surplus_var") == -3_520_000 * P
    # The other organisation counts in the ICS total but not in the provider total.
    providers = t.cell("ACUTE1", "ytd_surplus_actual") + t.cell("CMH", "ytd_surplus_actual")
    assert t.cell(PROVIDERS, "ytd_surplus_actual") == providers
    everyone = sum(t.cell(c, "ytd_surplus_actual") for c in ("ACUTE1", "CMH", "ICB", "HOSPICE"))
    assert t.cell(ICS, "ytd_surplus_actual") == everyone
    assert t.cell("Providers and hospice", "ytd_surplus_actual") == providers + t.cell("HOSPICE", "ytd_surplus_actual")
    # Expenditure is negative, so income + expenditure = surplus in every column.
    for code in ("ACUTE1", PROVIDERS):
        for kind in ("plan", "actual", "var"):
            assert t.cell(code, f"ytd_income_{kind}") + t.cell(code, f"ytd_expenditure_{kind}") == t.cell(code, f"ytd_surplus_{kind}")
    # Gross income and expenditure of the ICS eliminate the flows both sides tag: income YTD is
    # ACUTE1 42.05m + CMH 20.0m + ICB 160.0m + hospice 0.81m = 222.86m, less the smaller side of
    # ICB->ACUTE1 (ICB 39.9m, ACUTE1 40.2m) and ICB->CMH (20.0m both) = 59.9m: 162.96m. The
    # hospice's income tagged ICB is not eliminated (the ICB tags none). The group holds no
    # pair, so its gross figures are its members' sums: 42.05 + 20.0 + 0.81 = 62.86m.
    assert t.cell(ICS, "ytd_income_actual") == 162_960_000 * P
    assert t.cell("Providers and hospice", "ytd_income_actual") == 62_860_000 * P
    for code in (ICS, "Providers and hospice"):
        for kind in ("plan", "actual", "var"):
            assert t.cell(code, f"ytd_income_{kind}") + t.cell(code, f"ytd_expenditure_{kind}") == t.cell(code, f"ytd_surplus_{kind}")
    # Eliminated FOT: ICB->ACUTE1 the ICB's 119.9m (ACUTE1 120.2m) + ICB->CMH 60.0m = 179.9m.
    assert any("£179.9m of FOT (£59.9m YTD)" in note and "£2.4m of FOT tagged by one side only" in note for note in t.notes)
    assert t.cell(ICS, "fot") == sum(p.surplus.fot for p in pack.results.positions)


def test_provider_subjective_and_icb_lines_add_to_their_totals(tables):
    sub = tables["provider_subjective"]
    assert [r.code for r in sub.rows] == [
        "clinical_icb", "clinical_other", "erf", "commissioning", "national_funding", "other_operating", "income",
        "pay", "non_pay", "operating_expenditure", "ebitda", "ebitda_margin", "non_operating", TOTAL,
    ]
    # Provider pay YTD: ACUTE1 27.0 + 1.37 + 0.8, CMH 13.77 + 0.7 (all negative in surplus terms).
    assert sub.cell("pay", "ytd_actual") == -(27_000_000 + 1_370_000 + 800_000 + 13_770_000 + 700_000) * P
    for column in ("ytd_plan", "ytd_actual", "ytd_var", "year_plan", "fot", "fot_var"):
        assert sum(sub.cell(r, column) for r in ("income", "pay", "non_pay", "non_operating")) == sub.cell(TOTAL, column)
        categories = ("clinical_icb", "clinical_other", "erf", "national_funding", "other_operating")
        assert sum(sub.cell(r, column) for r in categories) == sub.cell("income", column)
    icb = tables["icb_lines"]
    # Continuing care comes from phc.xlsx: CHC 6.57m + FNC 1.2m YTD.
    assert icb.cell("continuing_care", "ytd_actual") == -(6_570_000 + 1_200_000) * P
    assert sum(r.values[1] for r in icb.rows if not r.total) == icb.cell(TOTAL, "ytd_actual")


def test_kpis_movement_and_symbols_by_hand(tables):
    k = tables["kpis"]
    # ACUTE1 YTD variance -3.52m at M4 against -1.97m at M3: moved -1.55m, beyond the 0.5m threshold.
    assert k.cell("ytd_var", "ACUTE1") == -3_520_000 * P
    assert k.cell("ytd_var_change", "ACUTE1") == -1_550_000 * P
    assert k.cell("ytd_var_change", "ACUTE1_symbol") == DETERIORATED
    assert k.cell("ytd_var_change", "CMH_symbol") == WITHIN_MATERIALITY
    # Agency a month: 1.37m / 4 = 342,500 now against 0.97m / 3 = 323,333.33 at M3; more spend is adverse.
    assert k.cell("agency_avg", "ACUTE1") == 342_500 * P
    assert k.cell("agency_avg_change", "ACUTE1") == 32_333_333 - 34_250_000
    assert k.cell("agency_avg", "ICB") is None  # the ICB has no agency line: not applicable
    # Recurrent share: ICS (600k + 80k + 320k) / (800k + 80k + 800k), below the 60% target and flagged.
    assert k.cell("recurrent_pct", ICS) == Decimal(1_000_000) / Decimal(1_680_000)
    assert ICS in k.row("recurrent_pct").adverse and "ICB" in k.row("recurrent_pct").adverse
    assert "ACUTE1" not in k.row("recurrent_pct").adverse  # 75%
    assert k.row("recurrent_pct").unit == "pct"


def test_rephasing_is_named_with_its_amount(pack, tables):
    found = rephasings(pack.results, pack.previous)
    assert [(r.org, r.months, r.ytd_plan_change) for r in found] == [("ACUTE1", (2,), REPHASED_PENCE)]
    note = tables["kpis"].cell("ytd_var_change", "notes")
    assert "Acute One's plan for months already closed (M2) was re-phased since M3" in note and "£0.1m" in note


def test_the_outturn_kpi_note_reads_as_a_sentence(tables):
    # ICS FOT: deficit 9.3m against a planned deficit 3.0m (6.3m adverse), and the agreed
    # target is the plan: 6.3m short of it. (It once read "£6.3m short of it the agreed target.")
    assert tables["kpis"].cell("fot_var", "notes") == (
        "The system forecasts a deficit of £9.3m, £6.3m adverse to plan and £6.3m short of the agreed target."
    )


REPHASED_PENCE = report_fixture.REPHASED * P


def test_kpis_fot_variance_change_and_short_names(tables):
    k = tables["kpis"]
    codes = [r.code for r in k.rows]
    assert codes[codes.index("fot_var") + 1] == "fot_var_change"
    # ACUTE1's FOT variance -4.72m at M4 against -3.32m at M3: moved -1.4m, beyond the threshold.
    assert k.cell("fot_var_change", "ACUTE1") == -1_400_000 * P and k.cell("fot_var_change", "ACUTE1_symbol") == DETERIORATED
    assert k.cell("fot_var_change", ICS) == k.cell("fot_var", ICS) - (-4_185_000 * P)
    assert k.cell("fot_var_change", "notes") == "The ICS FOT variance is £2.1m worse than at M3 (▼)."
    # Column headers are short names where system.yaml gives one (ICB), else the full name.
    headers = {c.code: c.label for c in k.columns}
    assert headers["ICB"] == "ICB" and headers["ACUTE1"] == "Acute One"


def test_system_ie_comparison_by_hand(tables):
    c = tables["system_ie_comparison"]
    assert [r.code for r in c.rows] == [r.code for r in tables["system_ie"].rows]
    # ACUTE1: FOT -7.72m against last year's -2.5m (system.yaml): 5.22m worse.
    assert c.cell("ACUTE1", "prior_year_outturn") == -2_500_000 * P
    assert c.cell("ACUTE1", "growth_on_prior_year") == -5_220_000 * P
    assert c.cell("ACUTE1", "ytd_var_last_month") == -1_970_000 * P and c.cell("ACUTE1", "ytd_var_movement") == -1_550_000 * P
    # CMH has no prior-year outturn, so neither has the provider total nor the ICS: a dash, never a partial sum.
    assert c.cell("CMH", "prior_year_outturn") is None and c.cell(PROVIDERS, "prior_year_outturn") is None
    assert c.cell(ICS, "growth_on_prior_year") is None
    for code in (ICS, "Providers and hospice"):
        assert c.cell(code, "fot_var_movement") == c.cell(code, "fot_var_this_month") - c.cell(code, "fot_var_last_month")


def test_first_close_shows_no_movement(pack):
    first = {t.key: t for t in build_tables(dataclasses.replace(pack, previous=None))}
    k = first["kpis"]
    for code in ("ytd_var_change", "fot_var_change", "agency_avg_change", "cip_ytd_var_change"):
        assert k.cell(code, "ACUTE1") is None and k.cell(code, "ACUTE1_symbol") == ""
        assert k.cell(code, "notes") == "First close of the year: no movement to show."
    assert first["phc_high_cost"].cell(TOTAL, "packages_change") is None


def test_symbol_rule_at_the_threshold():
    assert symbol(499, 500) == WITHIN_MATERIALITY and symbol(-499, 500) == WITHIN_MATERIALITY
    assert symbol(500, 500) == IMPROVED and symbol(-500, 500) == DETERIORATED
    assert symbol(None, 500) == ""


def test_drivers_add_up_and_waterfall_draws_them(tables, pack):
    d = tables["drivers"]
    for row in d.rows:
        parts = sum(row.value(c, d.columns) for c in DRIVERS)
        assert parts == row.value("total", d.columns)
        assert row.value("total_excl_erf", d.columns) + row.value("erf", d.columns) == parts
    ics = sum(p.surplus.ytd_variance for p in pack.results.positions)
    assert d.cell(ICS, "total") == ics
    w = tables["drivers_waterfall"]
    running = 0
    for row in w.rows:
        base, fav_up, fav_down, adv_up, adv_down, total = row.values
        if row.total:
            assert total == d.cell(ICS, row.code) == running
            continue
        value = d.cell(ICS, row.code)
        # The drawn column spans exactly the driver's value, in the colour of its sign, from the running total.
        assert fav_up - fav_down + adv_up - adv_down == abs(value)
        assert (adv_up, adv_down) == (0, 0) if value >= 0 else (fav_up, fav_down) == (0, 0)
        above, below = fav_up + adv_up, fav_down + adv_down
        drawn = (below, above) if base == 0 and below and above else (base + below, base) if base < 0 or below else (base, base + above)
        assert drawn == (min(running, running + value), max(running, running + value))
        running += value


def test_floating_column_across_zero():
    assert floating_step(-300, 200) == (0, 200, -300)  # two parts on a zero base
    assert floating_step(-300, -100) == (-100, 0, -200)  # hangs below its base
    assert floating_step(100, 400) == (100, 300, 0)


def test_efficiency_agency_risks_capital_by_hand(tables):
    e = tables["efficiency"]
    assert e.cell("ACUTE1", "recurrent_pct") == Decimal("0.75")
    assert e.cell("ICB", "recurrent_flag") == "Below target" and e.cell("ACUTE1", "recurrent_flag") == ""
    # The ICB's schemes landing in providers are a memo row that the ICS total does not add again.
    assert e.cell("ICB_IMPACTING", "ytd_actual") == 320_000 * P
    assert e.cell(ICS, "ytd_actual") == (800_000 + 80_000 + 800_000 + 0) * P
    a = tables["agency"]
    assert a.cell("ACUTE1", "cap") == 3_019_200 * P  # 3.7% of planned pay 81.6m
    assert a.cell("CMH", "cap") is None and a.cell(PROVIDERS, "cap") is None
    assert tables["agency_monthly"].cell("CAP", "m01") == 251_600 * P  # 3,019,200 / 12
    r = tables["risks"]
    assert (r.cell("ACUTE1", "potential_risk"), r.cell("ACUTE1", "mitigations"), r.cell("ACUTE1", "net_impact")) == (
        3_500_000 * P, 1_000_000 * P, 2_500_000 * P)
    c = tables["capital"]
    assert c.cell("ACUTE1", "cdel_var") == 500_000 * P
    # Allocation 3.0m against IFRS 16 forecasts 2.4m + 0.5m.
    assert c.cell("IFRS16_ALLOCATION", "ifrs16_var") == 100_000 * P and c.cell("IFRS16_ALLOCATION", "cdel_plan") is None


def test_high_cost_cohort_movement_by_hand(tables):
    h = tables["phc_high_cost"]
    # P3 (£12,000 a week) started on 10 July, after the M3 close: one more package in the top band.
    assert h.cell("band_11500", "packages") == 1 and h.cell("band_11500", "packages_change") == 1
    # Equivalent annual cost 12,000 x 365 / 7 = 625,714.2857 -> 625,714.29.
    assert h.cell("band_11500", "cost_change") == 62_571_429
    assert h.cell("band_7550", "packages_change") == 0  # P5 ended in May, before both closes
    assert h.cell(TOTAL, "packages") == 3


def test_provider_summaries_and_challenge(tables, pack):
    perf = tables["provider_performance_ACUTE1"]
    assert perf.cell("agency", "ytd_plan") == 800_000 * P and perf.cell("agency", "ytd_var") == -570_000 * P
    assert perf.cell("non_recurrent", "ytd_actual") == 200_000 * P
    assert perf.beside
    ch = tables["forecast_challenge"]
    assert ch.cell("ACUTE1.surplus", "submitted_fot") == pack.results.position("ACUTE1").surplus.fot
    assert ch.cell(ICS, "submitted_fot") == sum(p.surplus.fot for p in pack.results.positions)
    lines = [r for r in ch.rows if r.code.startswith("ACUTE1.") and not r.total]
    assert sum(r.value("model_fot", ch.columns) for r in lines) == ch.cell("ACUTE1.surplus", "model_fot")


def test_scenarios_table_from_the_summary(tables, pack):
    s = tables["scenarios"]
    ics = next(r for r in pack.scenarios.rows if r.row == ICS)
    assert s.cell(ICS, "p50") == ics.p50 and s.cell(ICS, "prob_meeting_target") == Decimal("0.35")
    assert s.cell(ICS, "further_p90") == max(ics.target - ics.p10, 0)
    assert [r.code for r in tables["scenario_range"].rows] == ["worst", "p10", "p50", "likely", "base_fot", "p90", "best"]


def test_narrative_quotes_the_results(pack):
    text = narrative(pack)
    # ICS YTD: actual deficit 6.0m against a planned deficit 0.9m: 5.1m adverse; 2.3m worse than M3.
    assert text[0] == "At M4 2023/24 the system has a year-to-date deficit of £6.0m, £5.1m adverse to a planned deficit of £0.9m."
    assert text[1] == "The YTD variance is £2.3m worse than at M3."
    assert "re-phased" in text[2]
    drivers = next(s for s in text if s.startswith("The main drivers"))
    assert "the efficiency shortfall (£1.0m adverse)" in drivers
    forecast = next(s for s in text if s.startswith("The forecast outturn"))
    assert "deficit of £9.3m" in forecast and "£6.3m short of it" in forecast
    risks = next(s for s in text if s.startswith("The risk register"))
    assert "further mitigations of £9.5m are still required" in risks
    assert any("35.0% probability" in s for s in text)
    assert not any("Monte Carlo" in s for s in narrative(dataclasses.replace(pack, scenarios=None)))


def test_previous_close_of_another_year_is_not_last_month(pack):
    other_year = dataclasses.replace(pack.previous, year="2022/23", month=12)
    assert dataclasses.replace(pack, previous=other_year).comparable_previous is None
    assert pack.comparable_previous is pack.previous


def test_narrative_words_for_edge_amounts():
    from finmodel.report.narrative import change, money, position, variance

    assert money(4_999_999) == "less than £0.1m" and money(-5_000_000) == "£0.1m"
    assert position(0) == "a break-even position" and position(-133_000_000, planned=True) == "a planned deficit of £1.3m"
    assert variance(0) == "on plan" and variance(-510_500_000) == "£5.1m adverse"
    assert change(0, "M3") == "unchanged since M3" and change(25_000_000, "M3") == "£0.3m better than at M3"


def test_mitigations_exceeding_risks_are_said_so(pack):
    risks = tuple(dataclasses.replace(r, mitigations=r.potential_risk + 100_000_000) for r in pack.results.risks)
    text = narrative(dataclasses.replace(pack, results=dataclasses.replace(pack.results, risks=risks)))
    sentence = next(s for s in text if s.startswith("The risk register"))
    assert "mitigations exceeding risks by £4.0m" in sentence  # four organisations, £1.0m each


def test_a_public_pack_names_no_input_file_or_setting(example_demo):
    # The pack goes into a public board paper: its notes speak of the figures, never of
    # system.yaml, a workbook or a setting's key (M10 of the example: pooled budgets,
    # agreement, underlying position and every other sheet).
    from finmodel.jobs.pack import pack_inputs
    from finmodel.store import open_store

    root, _ = example_demo
    with open_store(root / "finmodel.db") as store:
        stored = store.latest("2023/24", 10)
        pack = pack_inputs(stored, store)
    sheets = build_sheets(pack)
    notes = [note for sheet in sheets for table in sheet.tables for note in table.notes]
    assert len(notes) > 30
    for word in (".xlsx", "system.yaml", "parameters.", "non_recurrent", "_"):
        assert not [n for n in notes if word in n], word
    # Agreement of balances in system.yaml's order of payers, as every other sheet
    order = {o.name: i for i, o in enumerate(pack.system.organisations)}
    payers = [order[r.label.split(" to ")[0]] for s in sheets for t in s.tables if t.key == "agreement_of_balances" for r in t.rows if " to " in r.label]
    assert len(payers) > 2 and payers == sorted(payers)


def test_the_materiality_note_says_the_threshold_as_set(pack):
    def note(materiality: int) -> str:
        system = pack.system.model_copy(update={"parameters": pack.system.parameters.model_copy(update={"materiality": materiality})})
        kpis = next(t for t in build_tables(dataclasses.replace(pack, system=system)) if t.key == "kpis")
        return next(n for n in kpis.notes if "materiality" in n)

    assert note(500_000_00).endswith("within the materiality threshold of £0.5m.")
    assert note(250_000_00).endswith("within the materiality threshold of £250,000.")  # not "£0.3m"
