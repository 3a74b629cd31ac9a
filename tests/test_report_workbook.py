"""The board pack workbook read back with openpyxl: every sheet's figures against the
results and the tables, number formats, totals, frozen headers, print setup, charts,
formula-injection safety and byte-for-byte reproducibility."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from finmodel.report.formats import EXCEL_FORMAT_PERCENT
from finmodel.report import write_board_pack
from finmodel.report.table import ICS, PROVIDERS, Sheet
from finmodel.report.tables import build_sheets
from tests import report_fixture
from tests.report_fixture import INJECTED_ORG, INJECTED_SCHEME, cell_of, close_to, first_data_row, laid_out, money, shown


@pytest.fixture(scope="module")
def pack():
    return report_fixture.pack()


@pytest.fixture(scope="module")
def sheets(pack) -> tuple[Sheet, ...]:
    return build_sheets(pack)


@pytest.fixture(scope="module")
def written(pack, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "2023-24" / "M04"
    write_board_pack(pack, out)
    return out


@pytest.fixture(scope="module")
def book(written):
    return openpyxl.load_workbook(written / "board-pack.xlsx")


def _check_cell(cell, table, row, column, value) -> None:
    unit = table.unit_of(row, column)
    where = (table.key, row.code, column.code)
    if value is None:
        assert cell.value == "-", where
    elif value == "":
        assert cell.value is None, where
    elif unit == "text":  # a Coded cell shows its label
        assert cell.value == str(value) and cell.data_type == "s", where
    elif unit == "gbp":
        assert close_to(money(cell, table.scale), value, table.scale), where
    elif unit == "pct":
        assert cell.value == float(value) and cell.number_format == EXCEL_FORMAT_PERCENT, where
    else:
        assert cell.value == value and isinstance(cell.value, int), where
    if row.total:
        assert cell.font.b and cell.border.top.style == "thin", where


def test_every_cell_of_every_table_as_built(book, sheets):
    """Labels, values and number formats of every table cell; totals bold over a top border;
    a column printed below its table as one line a row; charts' data on the Chart data sheet."""
    for sheet in sheets:
        for original in sheet.tables:
            ws, table = laid_out(book, sheet.name, original)
            r0, c0 = first_data_row(ws, table)
            for i, row in enumerate(table.rows):
                label = ws.cell(r0 + i, c0)
                assert label.value == row.label, (sheet.name, table.key, row.code)
                assert label.data_type == "s"
                if row.total:
                    assert label.font.b and label.border.top.style == "thin", (table.key, row.code)
                for j, column in enumerate(shown(table)):
                    _check_cell(ws.cell(r0 + i, c0 + 1 + j), table, row, column, row.values[table.columns.index(column)])
            below = [f"{row.label}: {v}" for row in table.rows for c, v in zip(table.columns, row.values) if c.below and v]
            texts = [ws.cell(r0 + len(table.rows) + k, c0).value for k in range(len(below))]
            assert texts == below, table.key


def test_figures_against_the_results(book, sheets, pack):
    """One or more figures per sheet read straight from the results, not from the tables."""
    r, prev = pack.results, pack.previous
    t = {tb.key: tb for s in sheets for tb in s.tables}
    ics = sum(p.surplus.ytd_variance for p in r.positions)
    assert close_to(money(cell_of(book["KPIs"], t["kpis"], "ytd_var", ICS), "£m"), ics, "£m")
    moved = r.position("ACUTE1").surplus.ytd_variance - prev.position("ACUTE1").surplus.ytd_variance
    assert close_to(money(cell_of(book["KPIs"], t["kpis"], "ytd_var_change", "ACUTE1"), "£m"), moved, "£m")
    assert cell_of(book["KPIs"], t["kpis"], "ytd_var_change", "ACUTE1_symbol").value == "▼"

    ws = book["System I&E"]
    for p in r.positions:
        assert close_to(money(cell_of(ws, t["system_ie"], p.org, "ytd_surplus_actual"), "£m"), p.surplus.ytd_actual, "£m")
        assert close_to(money(cell_of(ws, t["system_ie"], p.org, "fot"), "£m"), p.surplus.fot, "£m")
    pay = sum(dict(r.position(c).lines)["pay"].ytd_actual for c in r.provider_codes)
    assert close_to(money(cell_of(book["Provider subjective"], t["provider_subjective"], "pay", "ytd_actual"), "£m"), -pay, "£m")
    chc = dict(r.position("ICB").lines)["continuing_care"]
    assert close_to(money(cell_of(book["ICB"], t["icb_lines"], "continuing_care", "fot"), "£m"), -chc.fot, "£m")
    for d in r.drivers:
        assert close_to(money(cell_of(book["Drivers"], t["drivers"], d.org, "total"), "£m"), d.total, "£m")
    acute_cip = next(c for c in r.cip if c.row == "ACUTE1")
    pct = cell_of(book["Efficiency"], t["efficiency"], "ACUTE1", "recurrent_pct")
    assert pct.value == float(acute_cip.recurrent_share) and pct.number_format == EXCEL_FORMAT_PERCENT
    flagged = cell_of(book["Efficiency"], t["efficiency"], "ICB", "recurrent_pct")
    assert flagged.font.color is not None and flagged.font.color.rgb.endswith("C00000")  # 40% against a 60% target
    acute_agency = next(a for a in r.agency if a.org == "ACUTE1")
    assert close_to(money(cell_of(book["Agency"], t["agency"], "ACUTE1", "cap"), "£000"), acute_agency.cap, "£000")
    assert cell_of(book["Agency"], t["agency"], "CMH", "cap").value == "-"  # no cap in system.yaml
    risk = next(x for x in r.risks if x.row == "ACUTE1")
    assert close_to(money(cell_of(book["Risks"], t["risks"], "ACUTE1", "net_impact"), "£m"), risk.net_impact, "£m")
    capital = next(c for c in r.capital if c.org == "ACUTE1")
    assert close_to(money(cell_of(book["Capital"], t["capital"], "ACUTE1", "ifrs16_var"), "£m"), capital.variance("ifrs16"), "£m")
    chc_service = next(s for s in r.phc if s.service == "adult_chc")
    assert close_to(money(cell_of(book["PHC"], t["phc_services"], "adult_chc", "package_fot"), "£m"), chc_service.package_fot, "£m")
    assert cell_of(book["PHC"], t["phc_high_cost"], "TOTAL", "packages").value == sum(b.packages for b in r.phc_high_cost)
    drivers = next(d for d in r.drivers if d.org == "CMH")
    summary = book["Provider summaries"]
    assert close_to(money(cell_of(summary, t["provider_drivers_CMH"], "agency_escalation", "ytd_var"), "£m"), drivers.agency_escalation, "£m")
    challenge = next(c for c in r.challenge if c.org == "CMH" and c.line_group == "surplus")
    cell = cell_of(book["Forecast challenge"], t["forecast_challenge"], "CMH.surplus", "difference")
    assert close_to(money(cell, "£m"), challenge.difference, "£m")
    scenario = next(s for s in pack.scenarios.rows if s.row == ICS)
    assert close_to(money(cell_of(book["Scenarios"], t["scenarios"], ICS, "p10"), "£m"), scenario.p10, "£m")
    contents = book["Contents"]
    assert cell_of(contents, t["close"], "made_at", "text").value == pack.made_at
    link = cell_of(contents, t["input_files"], "income.xlsx", "sha256")
    assert link.value == "a" * 64


def test_contents_links_to_every_sheet(book, sheets):
    ws = book["Contents"]
    table = next(tb for tb in sheets[0].tables if tb.key == "contents")
    r0, c0 = first_data_row(ws, table)
    for i, row in enumerate(table.rows):
        cell = ws.cell(r0 + i, c0)
        assert cell.hyperlink is not None and cell.hyperlink.location == f"'{row.label}'!A1"
    assert [row.label for row in table.rows] == [s.name for s in sheets[1:]]


def test_frozen_headers_and_print_setup(book, sheets):
    for sheet in sheets:
        ws = book[sheet.name]
        r0, _ = first_data_row(ws, sheet.tables[0])
        assert ws.freeze_panes == f"B{r0}", sheet.name
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        # A fixed scale, not fit-to-width (which would ignore the page breaks between blocks):
        # every sheet one page wide at 90 % or more, so its 10-point text prints at 9 points.
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        assert 90 <= (ws.page_setup.scale or 100) <= 100, (sheet.name, ws.page_setup.scale)
        # Print titles: a single table's headers; on a sheet of several or with a chart, only the heading.
        laid = [t for t in sheet.tables if laid_out(book, sheet.name, t)[0] is ws]
        charted = any(t.key in ("ics_monthly", "agency_monthly", "drivers_waterfall", "scenario_range", "underlying_bridge") for t in sheet.tables)
        expected = f"$1:${r0 - 1}" if len(laid) == 1 and not charted else "$1:$1"
        assert ws.print_title_rows == expected, sheet.name
    assert book["Chart data"].sheet_state == "hidden"  # never printed


def _zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def test_native_charts(written, pack, tmp_path):
    charts = [n for n in _zip_names(written / "board-pack.xlsx") if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 5  # agency, drivers waterfall, underlying bridge, monthly surplus, scenario range
    with zipfile.ZipFile(written / "board-pack.xlsx") as z:
        kinds = [z.read(n).decode() for n in charts]
    assert sum("<c:barChart>" in k and '<c:grouping val="stacked"/>' in k for k in kinds) == 3
    # Rewritten without scenarios: no Scenarios sheet, no range chart (still four charts),
    # and the previous write's scenarios.csv is not left behind.
    out = tmp_path / "none"
    write_board_pack(pack, out)
    assert (out / "tables" / "scenarios.csv").exists()
    write_board_pack(dataclasses.replace(pack, scenarios=None), out)
    assert len([n for n in _zip_names(out / "board-pack.xlsx") if n.startswith("xl/charts/chart")]) == 4
    assert "Scenarios" not in openpyxl.load_workbook(out / "board-pack.xlsx", read_only=True).sheetnames
    assert not (out / "tables" / "scenarios.csv").exists()


def test_input_text_is_never_a_formula(written, book, sheets):
    with zipfile.ZipFile(written / "board-pack.xlsx") as z:
        sheet_xml = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        shared = z.read("xl/sharedStrings.xml").decode()
    assert not any("<f>" in x or "<f " in x for x in sheet_xml.values())
    strings = re.findall(r"<si><t[^>]*>(.*?)</t></si>", shared, re.S)
    for text in (INJECTED_SCHEME, INJECTED_ORG, "=SUM(A1:A2)", "@risk CHC growth", "-Estates disposal", "=cmd.xlsx"):
        escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        assert escaped in strings or text in strings, text
    # The scheme's own cell on the Efficiency sheet is a shared string (t="s"), not a formula.
    efficiency = next(s for s in sheets if s.name == "Efficiency")
    schemes = next(tb for tb in efficiency.tables if tb.key == "efficiency_schemes")
    ws = book["Efficiency"]
    r0, c0 = first_data_row(ws, schemes)
    cell = ws.cell(r0 + [r.label for r in schemes.rows].index(INJECTED_SCHEME), c0)
    assert cell.value == INJECTED_SCHEME and cell.data_type == "s"
    index = next(i for i, s in enumerate(strings) if s.replace("&quot;", '"') == INJECTED_SCHEME)
    xml = sheet_xml[f"xl/worksheets/sheet{book.sheetnames.index('Efficiency') + 1}.xml"]
    assert re.search(rf'<c r="{cell.coordinate}"[^>]*t="s"[^>]*><v>{index}</v></c>', xml)
    org = book["System I&E"]
    assert any(c.value == INJECTED_ORG and c.data_type == "s" for row in org.iter_rows() for c in row)


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_close_same_bytes(pack, written, tmp_path):
    time.sleep(1.1)  # a wall-clock timestamp anywhere inside would now differ
    again = tmp_path / "again"
    write_board_pack(pack, again)
    assert _digests(written) == _digests(again)
    with zipfile.ZipFile(again / "board-pack.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2023-08-10T09:30:00Z</dcterms:created>" in core


def test_an_interrupted_write_leaves_the_old_files(pack, tmp_path, monkeypatch):
    out = tmp_path / "M04"
    out.mkdir()
    (out / "board-pack.xlsx").write_bytes(b"the previous pack")

    def fail(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("finmodel.report.files.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_board_pack(pack, out)
    assert (out / "board-pack.xlsx").read_bytes() == b"the previous pack"
    assert [p.name for p in out.rglob("*") if p.is_file()] == ["board-pack.xlsx"]


def test_provider_total_row_is_bold(book, sheets):
    ie = next(tb for s in sheets for tb in s.tables if tb.key == "system_ie")
    cell = cell_of(book["System I&E"], ie, PROVIDERS, "fot")
    assert cell.font.b and cell.border.top.style == "thin"
    assert not cell_of(book["System I&E"], ie, "ACUTE1", "fot").font.b
