"""The Underlying position sheet of the report fixture: its figures by hand, the bridge the
chart draws, the chart itself in the written pack, and the narrative line."""

from __future__ import annotations

import dataclasses
import re
import zipfile

import pytest

from finmodel.report import write_board_pack
from finmodel.report.charts import BRIDGE_TITLE
from finmodel.report.narrative import narrative_items
from finmodel.report.tables import build_sheets
from finmodel.report.table import ICS
from tests.report_fixture import pack as fixture_pack
from tests.report_fixture import system

P = 100


@pytest.fixture(scope="module")
def pack():
    return fixture_pack()


@pytest.fixture(scope="module")
def sheet(pack):
    return next(s for s in build_sheets(pack) if s.name == "Underlying position")


def test_acute_one_by_hand(sheet):
    t = next(t for t in sheet.tables if t.key == "underlying")
    # ACUTE1 at M4: industrial action funding of £200,000 (M2) is one-off income, its strike
    # cover of £500,000 (M2) + £300,000 (M4) one-off cost; scheme A1-02 (not recurrent) delivers
    # 50 + 60 + 40 + 50 = £200,000 to M4 and is forecast at plan £100,000 x 8 = £800,000.
    assert t.cell("ACUTE1", "one_off_income") == -200_000 * P
    assert t.cell("ACUTE1", "one_off_costs") == 800_000 * P
    assert t.cell("ACUTE1", "non_recurrent_cip") == -1_000_000 * P
    fot = t.cell("ACUTE1", "fot")
    assert t.cell("ACUTE1", "underlying") == fot - 200_000 * P + 800_000 * P - 1_000_000 * P
    # The ICB's non-recurrent I-02: 120,000 x 4 + 100,000 x 8 = £1,280,000, in the ICB's own books.
    assert t.cell("ICB", "non_recurrent_cip") == -1_280_000 * P
    # Every row adds across, and the ICS row is the sum of the organisations'.
    for row in t.rows:
        v = dict(zip((c.code for c in t.columns), row.values))
        assert v["fot"] + v["one_off_income"] + v["one_off_costs"] + v["non_recurrent_cip"] == v["underlying"]
        assert v["exit_run_rate"] - v["underlying"] == v["exit_vs_underlying"]
    orgs = ("ACUTE1", "CMH", "ICB", "HOSPICE")
    for column in ("fot", "underlying", "exit_run_rate"):
        assert t.cell(ICS, column) == sum(t.cell(o, column) for o in orgs)
    assert "Q1 (M1-M3) actuals" in " ".join(t.notes)


def test_the_bridge_walks_from_fot_to_the_exit_run_rate(sheet):
    t = next(t for t in sheet.tables if t.key == "underlying")
    bridge = next(b for b in sheet.tables if b.key == "underlying_bridge")
    assert [r.code for r in bridge.rows] == ["fot", "one_off_income", "one_off_costs", "non_recurrent_cip", "underlying", "exit_vs_underlying", "exit_run_rate"]
    running = 0
    for row in bridge.rows:
        base, fav_up, fav_down, adv_up, adv_down, total = row.values
        if row.total:
            assert total == t.cell(ICS, row.code)
            running = total
            continue
        value = t.cell(ICS, row.code)
        assert fav_up - fav_down + adv_up - adv_down == abs(value)  # drawn exactly its size
        assert (adv_up, adv_down) == (0, 0) if value >= 0 else (fav_up, fav_down) == (0, 0)
        running += value
    assert running == t.cell(ICS, "exit_run_rate")


def test_the_chart_is_on_its_sheet_with_data_labels(pack, tmp_path):
    write_board_pack(pack, tmp_path)
    with zipfile.ZipFile(tmp_path / "board-pack.xlsx") as z:
        files = {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xml", ".rels"))}
    bridge = [n for n, xml in files.items() if re.fullmatch(r"xl/charts/chart\d+\.xml", n) and BRIDGE_TITLE in xml]
    assert len(bridge) == 1
    xml = files[bridge[0]]
    assert '<c:showVal val="1"/>' in xml  # labelled
    assert "'Chart data'!" in xml  # drawn from the hidden sheet
    # Which sheet shows it: worksheet -> its drawing -> the drawing's charts (xlsxwriter numbers
    # worksheets in the workbook's order).
    drawing = next(n for n, r in files.items() if n.startswith("xl/drawings/_rels/") and bridge[0].split("/")[-1] in r)
    drawing_file = drawing.split("/")[-1].removesuffix(".rels")
    worksheet = next(n for n, r in files.items() if n.startswith("xl/worksheets/_rels/") and drawing_file in r)
    number = int(re.search(r"sheet(\d+)\.xml", worksheet).group(1))
    names = re.findall(r'<sheet name="([^"]+)"', files["xl/workbook.xml"])
    assert names[number - 1] == "Underlying position"


def test_the_narrative_says_it_when_material(pack):
    items = {code: text for code, _, text in narrative_items(pack)}
    # ICS one-off effect: income 0.2m - costs 0.8m + CIP 1.0m + 1.28m = £1.68m, over £0.5m materiality.
    assert items["underlying"].startswith("One-off items flatter the forecast outturn by £1.7m")
    assert "from Q1 (M1-M3) actuals" in items["underlying"]
    huge = system().model_copy(update={"parameters": pack.system.parameters.model_copy(update={"materiality": 10**12})})
    assert "underlying" not in {code for code, _, _ in narrative_items(dataclasses.replace(pack, system=huge))}
