"""The Pooled budgets sheet, its tidy tables, its narrative line and the pooled_share shock,
against the hand-computed £600,000 overspend of test_pooled_results (pounds x100 = pence)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from finmodel.report.csv_tables import csv_text
from finmodel.report.narrative import narrative_items
from finmodel.report.pack import PackInputs
from finmodel.report.tables import build_sheets
from finmodel.results import results_from_json, results_to_json
from finmodel.scenarios.check import check_against_close
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.file import parse_scenario
from finmodel.scenarios.shocks import pooled_share
from tests.test_pooled_results import FIFTY_FIFTY, P, _bcf_overspending_600k, _close, _ledger_base

DOCS = Path(__file__).parent.parent / "docs"


def _pack(results, system) -> PackInputs:
    return PackInputs(results=results, system=system, previous=None, scenarios=None, made_at="2024-02-12T09:30:00Z",
                      model_version="0.1.0", input_files=())


def _pooled_pack(materiality: int = 500_000) -> PackInputs:
    inputs = _bcf_overspending_600k()
    system = inputs.system.model_copy(update={"parameters": inputs.system.parameters.model_copy(update={"materiality": materiality * P})})
    return _pack(_close(inputs), system)


def _sheet(pack: PackInputs, name: str):
    return next(s for s in build_sheets(pack) if s.name == name)


def test_the_sheet_follows_phc_and_shows_who_bears_the_600k():
    pack = _pooled_pack()
    names = [s.name for s in build_sheets(pack)]
    assert names[names.index("PHC") + 1] == "Pooled budgets"
    sheet = _sheet(pack, "Pooled budgets")
    tables = {t.key: t for t in sheet.tables}
    assert list(tables) == ["pooled_funds", "pooled_contributions", "pooled_schemes", "pooled_shares", "pooled_fot_effect"]
    funds = tables["pooled_funds"]
    assert (funds.cell("BCF", "contributions"), funds.cell("BCF", "fot"), funds.cell("BCF", "variance")) == (2_000_000 * P, 2_600_000 * P, -600_000 * P)
    assert tables["pooled_contributions"].cell("BCF.LA1", "plan") == 1_000_000 * P
    assert tables["pooled_schemes"].cell("BCF.B", "variance") == -150_000 * P  # £200k planned, £350k spent
    shares = tables["pooled_shares"]
    assert shares.cell("RULE1", "variance") == -600_000 * P
    assert shares.cell("RULE1.ICB", "share") == -300_000 * P and shares.cell("RULE1.LA1", "share") == -300_000 * P
    effect = tables["pooled_fot_effect"]
    icb = effect.row("ICB")
    assert icb.values[1] == -300_000 * P and icb.values[2] - icb.values[0] == -300_000 * P
    assert effect.cell("ICS", "share") == -300_000 * P  # the council's half is not in it
    assert effect.cell("PARTNERS", "share") == -300_000 * P
    icb_lines = _sheet(pack, "ICB").tables[0]
    assert icb_lines.cell("pooled_risk_share", "fot_var") == -300_000 * P


def test_a_material_share_gets_a_sentence_and_an_immaterial_one_none():
    items = {code: sentence for code, _, sentence in narrative_items(_pooled_pack(materiality=300_000))}
    assert items["pooled"] == ("Pooled budget risk shares move NHS FOTs (The ICB £0.3m worse); partners outside the ICS "
                               "bear £0.3m, which is not in the ICS total.")
    assert "pooled" not in {code for code, _, _ in narrative_items(_pooled_pack(materiality=300_001))}


def test_no_pools_no_sheet_and_the_other_sheets_are_as_without_the_workbook():
    plain = _ledger_base("")
    without = _pack(_close(plain), plain.system)
    assert "Pooled budgets" not in [s.name for s in build_sheets(without)]
    # pooled.xlsx present but no rule: the fund is shown, no FOT moves.
    funds_only = dataclasses.replace(_bcf_overspending_600k(), system=plain.system)
    pack = _pack(_close(funds_only), plain.system)
    assert [t.key for t in _sheet(pack, "Pooled budgets").tables] == ["pooled_funds", "pooled_contributions", "pooled_schemes"]
    assert csv_text(_sheet(pack, "System I&E").tables) == csv_text(_sheet(without, "System I&E").tables)


def test_docs_list_the_sheets_tables_and_columns():
    docs = (DOCS / "tables.md").read_text(encoding="utf-8")
    sheet = _sheet(_pooled_pack(), "Pooled budgets")
    assert f"`tables/{sheet.csv_name}.csv`" in docs
    for table in sheet.tables:
        assert f"### `{table.key}`" in docs, table.key
        for column in table.columns:
            assert f"| `{column.code}` |" in docs[docs.index(f"### `{table.key}`"):], (table.key, column.code)
    assert "`pooled_risk_share`" in docs


def test_a_close_with_pools_reads_back_from_the_store_as_it_was():
    results = _close(_bcf_overspending_600k())
    assert results_from_json(results_to_json(results)) == results


def _context(extra_system: str = FIFTY_FIFTY) -> CloseContext:
    system = _ledger_base(extra_system).system
    return CloseContext(_close(dataclasses.replace(_bcf_overspending_600k(), system=system)), system, "plan.yaml")


def test_the_shock_shares_a_fund_as_system_yaml_would():
    """The close has the fund but no rule; the scenario agrees 50:50 with LA1: the ICB bears £300,000."""
    close = _context(FIFTY_FIFTY.split("share_rules:")[0])
    scenario, found = parse_scenario(
        "pooled_share: [{name: BCF 50:50, fund: BCF, tiers: [{shares: {ICB: 50, LA1: 50}}]}]\n", "plan.yaml")
    assert found == [] and check_against_close(scenario, close.results, close.system) == []
    (item,) = pooled_share.effect(scenario.content.pooled_share[0], close)
    assert (item.org, item.overlay, item.amount) == ("ICB", "pooled_share", -300_000 * P)
    assert item.description == "BCF 50:50: £600,000 overspend shared"


def test_the_shock_locates_unknown_funds_and_partners_in_the_scenario_file():
    close = _context(FIFTY_FIFTY.split("share_rules:")[0])
    scenario, _ = parse_scenario("pooled_share: [{name: X, fund: BCX, tiers: [{shares: {ICB: 50, LA9: 50}}]}]\n", "plan.yaml")
    found = check_against_close(scenario, close.results, close.system)
    assert [(f.workbook, f.column, f.kind, f.value) for f in found] == [
        ("plan.yaml", "pooled_share.0.tiers.0.shares.LA9", "unknown_partner", "LA9"),
        ("plan.yaml", "pooled_share.0.fund", "unknown_fund", "BCX"),
    ]
