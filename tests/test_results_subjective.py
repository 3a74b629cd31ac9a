"""A trust's own I&E (results.subjective): one trust, every cell against figures worked by hand.

The trust, by month (£): income from the ICB plans 10.0m and earns 10.1m; from other
commissioners plans 2.0m, earns 1.9m; ERF plans 0.5m, earns 0.6m; national funding 0.1m on
plan; other operating income plans 0.4m, earns 0.45m and is forecast at 0.42m. Pay:
substantive plans 8.0m, costs 8.2m; agency plans 0.2m, costs 0.3m, forecast 0.25m. Operating
non-pay (drugs) plans 3.0m, costs 3.1m; depreciation (non-operating) 0.5m on plan. Closed at
M4; every other line is forecast at plan.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

import pytest

from finmodel.ledger import build_ledger
from finmodel.report import PackInputs, build_tables
from finmodel.report.table import PROVIDERS, TOTAL
from finmodel.results import CloseResults, compute_results, results_from_json, results_to_json
from finmodel.contract import PROVIDER_INCOME_CATEGORIES
from finmodel.results.subjective import COMMISSIONING, OTHER_INCOME, SUBJECTIVE_ROWS, provider_lines
from tests.builders import make_inputs, system

P = 100  # pence a pound
M = 1_000_000 * P  # pence a £m
MEASURES = ("ytd_plan", "ytd_actual", "ytd_variance", "year_plan", "fot", "fot_variance")

ONE_TRUST = """
year: 2023/24
system: One Trust ICS
organisations:
  - {code: TRUST1, name: Trust One, type: acute}
targets: {TRUST1: 0}
parameters:
  materiality: 500_000
"""


def months(plan: float, actual: float, forecast: float | None = None, later: dict[int, float] | None = None, **codes) -> list[dict]:
    """Twelve rows of a line: ``later`` overrides the plan of given months (a re-based plan)."""
    rows = []
    for m in range(1, 13):
        row = {"org": "TRUST1", "month": m, "plan": (later or {}).get(m, plan), "actual": actual, **codes}
        if forecast is not None:
            row["forecast"] = forecast
        rows.append(row)
    return rows


def ledgers(changes: dict[str, float] | None = None) -> dict[str, list[dict]]:
    """The trust's lines; ``changes`` adds £ a month to a line's plan for months 5..12."""
    c = changes or {}

    def plan(line: str, base: float) -> dict[int, float] | None:
        return {m: base + c[line] for m in range(5, 13)} if line in c else None

    return {
        "income": months(10_000_000, 10_100_000, later=plan("clinical_icb", 10_000_000), category="clinical_icb")
        + months(2_000_000, 1_900_000, category="clinical_other")
        + months(500_000, 600_000, category="erf", driver="erf")
        + months(100_000, 100_000, category="national_funding")
        + months(400_000, 450_000, 420_000, category="other_operating"),
        "pay": months(8_000_000, 8_200_000, later=plan("pay", 8_000_000), staff_group="Nursing", pay_type="substantive")
        + months(200_000, 300_000, 250_000, staff_group="Medical", pay_type="agency"),
        "nonpay": months(3_000_000, 3_100_000, later=plan("drugs", 3_000_000), category="Drugs", kind="operating")
        + months(500_000, 500_000, later=plan("depreciation", 500_000), category="Depreciation", kind="non_operating"),
    }


def trust_close(month: int, changes: dict[str, float] | None = None) -> CloseResults:
    inputs = make_inputs(month, **ledgers(changes), system_text=ONE_TRUST)
    return compute_results(inputs, build_ledger(inputs))


def trust_pack(results: CloseResults, previous: CloseResults | None) -> PackInputs:
    return PackInputs(results, system(ONE_TRUST), previous, None, "2023-08-10T09:30:00Z", "0.1.0", ())


# The I&E at M4 by hand, £m: YTD plan, actual, variance; full-year plan, FOT, FOT variance.
# FOT = YTD actual + 8 months of forecast (plan unless given). Expenditure negative.
BY_HAND = {
    "clinical_icb": (40.0, 40.4, 0.4, 120.0, 40.4 + 80.0, 0.4),
    "clinical_other": (8.0, 7.6, -0.4, 24.0, 7.6 + 16.0, -0.4),
    "erf": (2.0, 2.4, 0.4, 6.0, 2.4 + 4.0, 0.4),
    "commissioning": (50.0, 50.4, 0.4, 150.0, 150.4, 0.4),
    "national_funding": (0.4, 0.4, 0.0, 1.2, 1.2, 0.0),
    "other_operating": (1.6, 1.8, 0.2, 4.8, 1.8 + 3.36, 0.36),
    "income": (52.0, 52.6, 0.6, 156.0, 156.76, 0.76),
    "pay": (-32.8, -34.0, -1.2, -98.4, -(34.0 + 66.0), -1.6),
    "non_pay": (-12.0, -12.4, -0.4, -36.0, -36.4, -0.4),
    "operating_expenditure": (-44.8, -46.4, -1.6, -134.4, -136.4, -2.0),
    "ebitda": (7.2, 6.2, -1.0, 21.6, 20.36, -1.24),
    "non_operating": (-2.0, -2.0, 0.0, -6.0, -6.0, 0.0),
    "surplus": (5.2, 4.2, -1.0, 15.6, 14.36, -1.24),
}


def pence(millions: float) -> int:
    return int((Decimal(str(millions)) * M).to_integral_value())


def margin(ebitda: float, income: float) -> Decimal:
    return (Decimal(str(ebitda)) / Decimal(str(income))).quantize(Decimal("1e-12"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def m4() -> CloseResults:
    return trust_close(4)


def test_every_cell_of_the_trust_ie_by_hand(m4):
    rows = {r.code: r for r in provider_lines(m4, "TRUST1")}
    assert tuple(rows) == SUBJECTIVE_ROWS
    for code, figures in BY_HAND.items():
        assert tuple(getattr(rows[code], m) for m in MEASURES) == tuple(pence(f) for f in figures), code
    plan, actual = margin(7.2, 52.0), margin(6.2, 52.6)
    year_plan, fot = margin(21.6, 156.0), margin(20.36, 156.76)
    m = rows["ebitda_margin"]
    assert (m.ytd_plan, m.ytd_actual, m.ytd_variance) == (plan, actual, actual - plan)
    assert (m.year_plan, m.fot, m.fot_variance) == (year_plan, fot, fot - year_plan)
    assert m.ytd_plan == Decimal("0.138461538462") and m.kind == "ratio"


def test_every_income_category_has_its_row_once():
    assert COMMISSIONING + OTHER_INCOME == PROVIDER_INCOME_CATEGORIES


def test_the_providers_together_are_the_one_trust(m4):
    assert provider_lines(m4, PROVIDERS) == provider_lines(m4, "TRUST1")
    with pytest.raises(ValueError):
        provider_lines(m4, "ICB")


def test_the_board_tables_lay_out_the_same_cells(m4):
    tables = {t.key: t for t in build_tables(trust_pack(m4, None))}
    columns = ("ytd_plan", "ytd_actual", "ytd_var", "year_plan", "fot", "fot_var")
    for key in ("provider_subjective", "provider_subjective_TRUST1"):
        t = tables[key]
        assert [r.code for r in t.rows] == [TOTAL if c == "surplus" else c for c in SUBJECTIVE_ROWS]
        for code, figures in BY_HAND.items():
            row = TOTAL if code == "surplus" else code
            assert tuple(t.cell(row, c) for c in columns) == tuple(pence(f) for f in figures), (key, code)
        assert t.row("ebitda_margin").unit == "pct" and t.cell("ebitda_margin", "fot") == margin(20.36, 156.76)
        assert t.row("ebitda").total and not t.row("pay").total
    perf = tables["provider_performance_TRUST1"]  # the provider summary: YTD, £000
    assert perf.cell("ebitda", "ytd_var") == pence(-1.0) and perf.cell("clinical_other", "ytd_actual") == pence(7.6)
    assert perf.cell("financial_performance", "ytd_plan") == pence(5.2)
    assert perf.cell("ebitda_margin", "ytd_actual") == margin(6.2, 52.6)


def test_no_income_gives_no_margin_a_dash():
    inputs = make_inputs(4, pay=months(100, 100, staff_group="Admin", pay_type="substantive"),
                         nonpay=months(10, 10, category="Drugs", kind="operating"), system_text=ONE_TRUST)
    rows = {r.code: r for r in provider_lines(compute_results(inputs, build_ledger(inputs)), "TRUST1")}
    assert all(getattr(rows["ebitda_margin"], m) is None for m in MEASURES)
    assert rows["ebitda"].ytd_actual == -440 * P and rows["clinical_icb"].ytd_plan == 0


def test_stored_and_read_back_and_an_older_close_still_loads(m4):
    assert results_from_json(results_to_json(m4)) == m4
    text = results_to_json(m4)
    older = text.replace(text[text.index(',"income_categories"'):-1], "")  # a close stored before this field
    loaded = results_from_json(older)
    assert loaded.income_categories == () and loaded.positions == m4.positions
    rows = {r.code: r for r in provider_lines(loaded, "TRUST1")}
    assert rows["clinical_icb"].ytd_actual is None and rows["commissioning"].fot is None  # not kept then
    assert rows["income"] == {r.code: r for r in provider_lines(m4, "TRUST1")}["income"]


def test_an_older_close_lays_out_with_dashes(m4):
    older = dataclasses.replace(m4, income_categories=())
    t = {t.key: t for t in build_tables(trust_pack(older, None))}["provider_subjective"]
    assert t.cell("erf", "ytd_plan") is None and t.cell("ebitda", "ytd_plan") == pence(7.2)
