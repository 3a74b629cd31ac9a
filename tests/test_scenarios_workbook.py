"""Scenario workbooks: the same run gives the same bytes; the figures are the summary's;
the bridge adds up; input text never becomes a formula; the system range has its chart."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from finmodel.report.scenario_workbook import (
    BRIDGE_SHEET,
    CASES_SHEET,
    COMPARISON_SHEET,
    bridge_table,
    write_comparison_workbook,
    write_scenario_workbook,
)
from finmodel.scenarios.cases import ICS, standard_cases
from tests.test_scenarios_overlays import EVERYTHING, FOT, RESULTS, SYSTEM, scenario

MADE_AT = "2024-02-12T09:00:00Z"
INJECTED = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def summaries():
    text = "name: plan-b\n" + EVERYTHING.replace(
        "industrial_action: [{org: ACUTE2, month: 12, cost: 100, funding: 30}]",
        f"industrial_action: [{{org: ACUTE2, month: 12, cost: 100, funding: 30, description: '{INJECTED}'}}]",
    )
    assert INJECTED in text
    return standard_cases(RESULTS, SYSTEM, iterations=500), standard_cases(RESULTS, SYSTEM, scenario(text), iterations=500)


def test_the_same_run_writes_the_same_bytes(tmp_path: Path, summaries):
    _, plan = summaries
    one = write_scenario_workbook(plan, RESULTS, tmp_path / "a" / "plan-b.xlsx", MADE_AT)
    two = write_scenario_workbook(plan, RESULTS, tmp_path / "b" / "plan-b.xlsx", MADE_AT)
    assert one.read_bytes() == two.read_bytes()
    later = write_scenario_workbook(plan, RESULTS, tmp_path / "c" / "plan-b.xlsx", "2024-02-13T09:00:00Z")
    assert later.read_bytes() != one.read_bytes()
    with zipfile.ZipFile(one) as z:
        assert "2024-02-12T09:00:00Z" in z.read("docProps/core.xml").decode()
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())  # the system range
    first = write_comparison_workbook(summaries, RESULTS, tmp_path / "a" / "comparison.xlsx", MADE_AT)
    again = write_comparison_workbook(summaries, RESULTS, tmp_path / "b" / "comparison.xlsx", MADE_AT)
    assert first.read_bytes() == again.read_bytes()


def _rows(ws) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], str)}


def test_the_cases_sheet_holds_the_summary(tmp_path: Path, summaries):
    _, plan = summaries
    path = write_scenario_workbook(plan, RESULTS, tmp_path / "plan-b.xlsx", MADE_AT)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [CASES_SHEET, BRIDGE_SHEET]
    rows = _rows(book[CASES_SHEET])
    ics = next(r for r in plan.rows if r.row == ICS)
    cells = rows["ICS total"]
    # £m as the board pack shows them: target, scenario FOT, best, likely, worst, P10, P50, P90, probability.
    assert cells[:8] == pytest.approx([v / 1e8 for v in (ics.target, ics.base_fot, ics.best, ics.likely, ics.worst, ics.p10, ics.p50, ics.p90)])
    assert cells[8] == pytest.approx(float(ics.probability_meeting_target))
    # The bridge's text stays text, even when it looks like a formula.
    bridge = book[BRIDGE_SHEET]
    texts = [c for row in bridge.iter_rows() for c in row if c.value == INJECTED]
    assert texts and all(c.data_type == "s" for c in texts)


def test_the_bridge_table_adds_up_row_by_row(summaries):
    _, plan = summaries
    table = bridge_table(plan, RESULTS)
    codes = [r.code for r in table.rows]
    at_scenario, at_likely = codes.index("scenario_fot"), codes.index("likely")
    orgs = ["ACUTE1", "ACUTE2", "ICB"]
    for org in orgs:
        assert table.cell("close_fot", org) == FOT[org]
        shocks = sum(r.value(org, table.columns) for r in table.rows[1:at_scenario])
        register = sum(r.value(org, table.columns) for r in table.rows[at_scenario + 1:at_likely])
        assert FOT[org] + shocks == table.cell("scenario_fot", org)
        assert table.cell("scenario_fot", org) + register == table.cell("likely", org)
    # The ICS column adds the organisations on every row; risk share moves nothing at ICS level.
    for row in table.rows:
        assert row.value(ICS, table.columns) == sum(row.value(o, table.columns) for o in orgs)
    share = [r for r in table.rows if r.label.startswith("Risk share")]
    assert share and all(r.value(ICS, table.columns) == 0 for r in share)


def test_the_comparison_puts_the_scenarios_side_by_side(tmp_path: Path, summaries):
    standard, plan = summaries
    path = write_comparison_workbook(summaries, RESULTS, tmp_path / "comparison.xlsx", MADE_AT)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [COMPARISON_SHEET]
    values = [r for r in book[COMPARISON_SHEET].iter_rows(values_only=True)]
    by_name = {r[0]: r[1:] for r in values if r and r[0] in ("standard", "plan-b")}
    for s in summaries:
        ics = next(r for r in s.rows if r.row == ICS)
        assert by_name[s.name][3] == pytest.approx(ics.likely / 1e8)
    with zipfile.ZipFile(path) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
