"""The Agreement of balances sheet and the eliminated gross rows of a custom table, on the
report fixture: the ICB books its contract with ACUTE1 £300,000 below ACUTE1's income in M2,
agrees with CMH, and tags nothing back to the hospice's income tagged ICB."""

from __future__ import annotations

import dataclasses

from finmodel.report import build_tables
from finmodel.report.table import TOTAL, Coded
from finmodel.results.agreement import Agreement
from tests import report_fixture

P = 100
CUSTOM = """
title: Two organisations, {month}
sheet: Pair
unit: £m
rows:
  - {subtotal: ICB and Acute One, of: [ACUTE1, ICB], code: PAIR}
columns:
  - {of: income, measure: actual, period: ytd, code: income_ytd}
  - {of: income, measure: actual, period: ytd, close: previous, code: income_ytd_previous}
  - {measure: actual, period: ytd, code: surplus_ytd}
"""


def _tables(pack):  # type: ignore[no-untyped-def]
    return {t.key: t for t in build_tables(pack)}


def test_the_sheet_by_hand() -> None:
    t = _tables(report_fixture.pack())["agreement_of_balances"]
    assert [r.code for r in t.rows] == ["ICB.ACUTE1", "ICB.CMH", "ICB.HOSPICE", TOTAL]
    # The ICB: 10.0 + 9.9 + 9.9 + 10.1 = 39.9m YTD; ACUTE1: 10.0 + 10.2 + 9.9 + 10.1 = 40.2m.
    assert t.cell("ICB.ACUTE1", "expenditure_ytd") == -39_900_000 * P
    assert t.cell("ICB.ACUTE1", "income_ytd") == 40_200_000 * P
    assert t.cell("ICB.ACUTE1", "difference_ytd") == 300_000 * P
    # FOT: each side forecasts its 10m plan for M5..M12, so the FOT differs by the same 0.3m,
    # and the ICB's (smaller) 39.9 + 80.0 = 119.9m is eliminated.
    assert t.cell("ICB.ACUTE1", "difference_fot") == 300_000 * P
    assert t.cell("ICB.ACUTE1", "eliminated_fot") == 119_900_000 * P
    assert t.cell("ICB.ACUTE1", "status") == Coded("mismatch", "Above materiality")
    assert t.cell("ICB.CMH", "status") == Coded("agreed", "Agreed")
    # The ICB tagged nothing to the hospice: a dash on its side and the difference, nothing eliminated.
    assert (t.cell("ICB.HOSPICE", "expenditure_ytd"), t.cell("ICB.HOSPICE", "difference_ytd")) == (None, None)
    assert t.cell("ICB.HOSPICE", "eliminated_fot") == 0
    assert t.cell(TOTAL, "eliminated_fot") == (119_900_000 + 60_000_000) * P


def test_a_close_with_no_counterparty_says_so() -> None:
    pack = report_fixture.pack()
    pack = dataclasses.replace(pack, results=dataclasses.replace(pack.results, agreement=Agreement(25_000_000)))
    tables = _tables(pack)
    assert tables["agreement_of_balances"].rows == ()
    assert "nothing to agree or eliminate" in tables["agreement_of_balances"].notes[0]
    ics = next(r for r in tables["system_ie"].rows if r.code == "ICS")
    assert ics.values[:6] == ("",) * 6 and any("counted twice" in n for n in tables["system_ie"].notes)


def test_a_custom_subtotal_of_organisations_eliminates_the_flows_between_them() -> None:
    pack = report_fixture.pack()
    pack = dataclasses.replace(pack, results=dataclasses.replace(pack.results, custom_tables=(("reports/pair.yaml", CUSTOM),)))
    t = _tables(pack)["custom_pair"]
    # ACUTE1's income 42.05m + the ICB's allocation 160.0m, less the ICB->ACUTE1 flow's smaller side, 39.9m.
    assert t.cell("PAIR", "income_ytd") == (42_050_000 + 160_000_000 - 39_900_000) * P
    assert t.cell("PAIR", "income_ytd_previous") == ""  # last month's gross is not eliminated: left empty
    assert any("eliminated" in n for n in t.notes)
