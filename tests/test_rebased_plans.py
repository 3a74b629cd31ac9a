"""Re-based plans: a full-year plan that changed between two closes of one trust (M2, M4) is
named line by line with its amount, in the summary, the KPI notes and the Plan changes
sheet; an unchanged plan says nothing. Re-phasing (closed months) is reported apart.

As in a real trust between M2 and M4: income from the ICB re-based up £7.24m, pay up
£21.35m and operating non-pay down £14.11m (all over months 5..12), so EBITDA is unchanged.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import openpyxl
import pytest

from finmodel.report import build_sheets, build_tables, narrative, write_board_pack
from finmodel.report.narrative import narrative_items, rebasing_sentence
from finmodel.results.movement import PlanChange, Rebasing, rebasings, rephasings
from tests import report_fixture
from tests.test_results_subjective import P, trust_close, trust_pack

REBASED = {"clinical_icb": 905_000, "pay": 2_668_750, "drugs": -1_763_750}  # £ a month, months 5..12


@pytest.fixture(scope="module")
def m2():
    return trust_close(2)


@pytest.fixture(scope="module")
def rebased(m2):
    return trust_pack(trust_close(4, REBASED), m2)


def test_each_changed_line_with_its_amount(rebased, m2):
    found = rebasings(rebased.results, m2)
    assert found == (
        Rebasing("TRUST1", 2, (
            PlanChange("clinical_icb", +1, 120_000_000 * P, 127_240_000 * P),
            PlanChange("pay", -1, 98_400_000 * P, 119_750_000 * P),
            PlanChange("non_pay", -1, 36_000_000 * P, 21_890_000 * P),
        ), ebitda_change=0),
    )
    changes = {c.line: c.change for c in found[0].lines}
    assert changes == {"clinical_icb": 7_240_000 * P, "pay": 21_350_000 * P, "non_pay": -14_110_000 * P}
    assert found[0].surplus_change == 0
    assert rephasings(rebased.results, m2) == ()  # closed months kept their plan: not a re-phasing


def test_the_summary_and_the_kpi_note_say_so(rebased):
    sentence = (
        "Trust One's full-year plan was re-based since M2: clinical income from the ICB up £7.2m, pay up £21.4m "
        "and operating non-pay down £14.1m; its planned EBITDA and surplus/(deficit) are unchanged."
    )
    items = {code: (topic, text) for code, topic, text in narrative_items(rebased)}
    assert items["rebasing_1"] == ("Re-based plan", sentence)
    assert "rephasing_1" not in items
    tables = {t.key: t for t in build_tables(rebased)}
    assert tables["kpis"].cell("fot_var", "notes").endswith(" " + sentence)
    assert tables["summary"].cell("rebasing_1", "text") == sentence


def test_the_plan_changes_sheet(rebased):
    sheets = build_sheets(rebased)
    assert [s.name for s in sheets][:3] == ["Contents", "KPIs", "Plan changes"]
    assert "plan_changes" in [r.code for r in sheets[0].tables[1].rows]  # listed on Contents
    (t,) = sheets[2].tables
    assert t.title == "Full-year plans re-based since M2 (£m)"
    assert [c.label for c in t.columns] == ["At M2", "At M4", "Change"]
    cells = {r.code: r.values for r in t.rows}  # surplus terms: expenditure negative
    assert cells == {
        "TRUST1.clinical_icb": (120_000_000 * P, 127_240_000 * P, 7_240_000 * P),
        "TRUST1.pay": (-98_400_000 * P, -119_750_000 * P, -21_350_000 * P),
        "TRUST1.non_pay": (-36_000_000 * P, -21_890_000 * P, 14_110_000 * P),
        "TRUST1.ebitda": (21_600_000 * P, 21_600_000 * P, 0),
        "TRUST1.surplus": (15_600_000 * P, 15_600_000 * P, 0),
    }
    assert t.row("TRUST1.pay").label == "Trust One: Pay" and t.row("TRUST1.surplus").total


def test_a_bottom_line_change_moves_the_fot_variance(m2):
    pack = trust_pack(trust_close(4, {"depreciation": 150_000}), m2)  # £1.2m more depreciation planned
    (found,) = rebasings(pack.results, m2)
    assert (found.ebitda_change, found.surplus_change) == (0, -1_200_000 * P)
    assert narrative_items(pack)[2][2] == (
        "Trust One's full-year plan was re-based since M2: non-operating items up £1.2m; its planned EBITDA is "
        "unchanged and its planned surplus/(deficit) lowered by £1.2m, which alone moves its FOT variance by "
        "£1.2m favourable."
    )


def test_an_unchanged_plan_says_nothing(m2):
    pack = trust_pack(trust_close(4), m2)
    assert rebasings(pack.results, m2) == ()
    tables = {t.key: t for t in build_tables(pack)}
    assert "plan_changes" not in tables and "Plan changes" not in [s.name for s in build_sheets(pack)]
    assert not any("re-based" in s for s in narrative(pack))
    assert "re-based" not in tables["kpis"].cell("fot_var", "notes")
    assert not [r for r in tables["summary"].rows if r.code.startswith("rebasing")]


def test_first_close_and_another_year_say_nothing(rebased):
    first = trust_pack(rebased.results, None)
    assert "plan_changes" not in {t.key for t in build_tables(first)}
    assert not any("re-based" in s for s in narrative(first))


def test_the_tidy_csv_and_the_workbook_carry_the_changes(rebased, tmp_path):
    write_board_pack(rebased, tmp_path)
    with open(tmp_path / "tables" / "plan_changes.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["table"] == "Full-year plans re-based since M2 (£m)"]
    assert [(r["row"], r["column"], r["value"]) for r in rows if r["column"] == "change"] == [
        ("TRUST1.clinical_icb", "change", "7240000.00"),
        ("TRUST1.pay", "change", "-21350000.00"),
        ("TRUST1.non_pay", "change", "14110000.00"),
        ("TRUST1.ebitda", "change", "0.00"),
        ("TRUST1.surplus", "change", "0.00"),
    ]
    ws = openpyxl.load_workbook(tmp_path / "board-pack.xlsx")["Plan changes"]
    labels = [c.value for c in ws["A"]]
    assert "Full-year plans re-based since M2 (£m)" in labels and "Trust One: Operating non-pay" in labels
    # A later write with no re-based plan leaves no stale plan_changes.csv behind.
    write_board_pack(trust_pack(rebased.results, None), tmp_path)
    assert not (tmp_path / "tables" / "plan_changes.csv").exists()


def test_an_icb_line_is_named_in_its_words():
    pack = report_fixture.pack()  # M4 against M3: one plan re-phased, no full year changed
    assert rebasings(pack.results, pack.previous) == ()
    icb = pack.results.position("ICB")
    raised = tuple((g, dataclasses.replace(line, year_plan=line.year_plan + 2_000_000 * P) if g == "acute" else line)
                   for g, line in icb.lines)
    positions = tuple(dataclasses.replace(p, lines=raised) if p.org == "ICB" else p for p in pack.results.positions)
    results = dataclasses.replace(pack.results, positions=positions)
    (found,) = rebasings(results, pack.previous)
    assert found.lines == (PlanChange("acute", -1, icb.line("acute").year_plan, icb.line("acute").year_plan + 2_000_000 * P),)
    assert found.ebitda_change is None  # EBITDA is a provider's measure
    assert rebasing_sentence(results, found) == (
        "The ICB's full-year plan was re-based since M3: acute services up £2.0m; its planned surplus/(deficit) is "
        "lowered by £2.0m, which alone moves its FOT variance by £2.0m favourable."
    )


def test_the_table_and_its_codes_are_documented(rebased):
    docs = (Path(__file__).parent.parent / "docs" / "tables.md").read_text(encoding="utf-8")
    (t,) = next(s for s in build_sheets(rebased) if s.name == "Plan changes").tables
    assert "## Plan changes: `tables/plan_changes.csv`" in docs and f"### `{t.key}` (£m)" in docs
    assert all(f"| `{c.code}` |" in docs for c in t.columns)
    assert "`rebasing_<n>`" in docs
