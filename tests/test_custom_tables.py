"""Custom tables: the regional layout of docs/examples, every cell against figures worked
out by hand from tests/regional_fixture.py (pounds); the standard System I&E expressed as a
custom table equals the standard one; faults in a file are located findings."""

from __future__ import annotations

import dataclasses

import pytest

from finmodel.report.custom import check_custom_tables, parse_custom_table, read_custom_tables
from finmodel.report.custom.load import ReportFile
from finmodel.report.tables import RESERVED_SHEETS, build_sheets
from finmodel.report import build_tables
from finmodel.report.table import ICS, Table
from tests import regional_fixture, report_fixture
from tests.builders import system

P = 100
COLUMNS = ("prior_year_outturn", "ytd_plan", "ytd_actual", "ytd_var", "ytd_var_last_month", "year_plan", "fot", "fot_var", "fot_var_last_month")
# Each row worked out from the fixture's table (M4 this close, M3 last month), pounds; None is a dash.
# ACUTE1 YTD: income 4.1m - pay 3.8m = 0.3m against 4.0 - 3.6 = 0.4m; FOT 12.1 - (3.8 + 8 x 0.95) = 0.7m
# against 12.0 - 10.8 = 1.2m. At M3: YTD 3.0 - 2.85 = 0.15 against 0.3; FOT 12.0 - (2.85 + 9 x 0.95) = 0.6m.
EXPECTED = {
    "ACUTE1": (-2_000_000, 400_000, 300_000, -100_000, -150_000, 1_200_000, 700_000, -500_000, -600_000),
    # ACUTE2: non-pay 20,000 a month under plan, forecast at plan.
    "ACUTE2": (500_000, -80_000, 0, 80_000, 60_000, -240_000, -160_000, 80_000, 60_000),
    "Acute providers": (-1_500_000, 320_000, 300_000, -20_000, -90_000, 960_000, 540_000, -420_000, -540_000),
    # CMH: pay 10,000 a month over plan; no prior-year outturn in system.yaml.
    "CMH": (None, 0, -40_000, -40_000, -30_000, 0, -40_000, -40_000, -30_000),
    "ICB": (-1_000_000, 0, -40_000, -40_000, -30_000, 0, -200_000, -200_000, -210_000),
    # North place: 20,000 a month over plan, forecast at 820,000 a month.
    "ICB.100": (-400_000, -3_200_000, -3_280_000, -80_000, -60_000, -9_600_000, -9_840_000, -240_000, -240_000),
    "ICB.200": (-100_000, -2_000_000, -2_000_000, 0, 0, -6_000_000, -6_000_000, 0, 0),
    # East place: 10,000 a month under plan, forecast at plan.
    "ICB.300": (200_000, -1_600_000, -1_560_000, 40_000, 30_000, -4_800_000, -4_760_000, 40_000, 30_000),
    "ICB.400": (0, -1_000_000, -1_000_000, 0, 0, -3_000_000, -3_000_000, 0, 0),
    # Corporate: the allocation 2.0m less running costs 50,000 a month.
    "ICB.900": (-700_000, 7_800_000, 7_800_000, 0, 0, 23_400_000, 23_400_000, 0, 0),
    # The ICS: CMH has no prior-year outturn, so neither has the system.
    ICS: (None, 320_000, 220_000, -100_000, -150_000, 960_000, 300_000, -660_000, -780_000),
}


def _pence(values: tuple) -> tuple:
    return tuple(None if v is None else v * P for v in values)


@pytest.fixture(scope="module")
def pack():
    return regional_fixture.regional_pack()


@pytest.fixture(scope="module")
def regional(pack) -> Table:
    return next(t for t in build_tables(pack) if t.key == "custom_regional")


def test_the_regional_table_cell_by_cell(regional):
    assert [c.code for c in regional.columns] == list(COLUMNS)
    assert [r.code for r in regional.rows] == list(EXPECTED)
    for code, values in EXPECTED.items():
        assert regional.row(code).values == _pence(values), code


def test_the_regional_table_reads_as_the_board_lays_it_out(regional, pack):
    assert regional.title == "Financial position by organisation, 2023/24 M04 (£m)"
    assert regional.scale == "£m"
    labels = [r.label for r in regional.rows]
    assert labels[:4] == ["North Hospitals NHS Foundation Trust", "South Hospitals NHS Trust", "Acute providers subtotal",
                          "Regional Community and Mental Health NHS Trust"]
    assert labels[5:10] == ["North place", "South place", "East place", "West place", "Corporate and allocation"]
    assert [r.indent for r in regional.rows] == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0]
    assert [r.total for r in regional.rows] == [False] * 10 + [True]
    assert [c.band for c in regional.columns][:2] == ["Last year", "Year to date"]
    assert regional.notes[0].startswith("The ICB's places")
    # Its own sheet, after the standard ones; its CSV is tables/regional.csv.
    sheets = [s.name for s in build_sheets(pack)]
    assert sheets[-2:] == ["Regional", "System I&E (custom)"]


def test_segments_add_up_to_their_organisation_in_every_column(regional):
    for i, _ in enumerate(COLUMNS):
        parts = [regional.row(f"ICB.{c}").values[i] for c in ("100", "200", "300", "400", "900")]
        assert sum(parts) == regional.row("ICB").values[i] if None not in parts else True


def test_on_the_first_close_last_months_columns_are_dashes():
    first = dataclasses.replace(regional_fixture.regional_pack(), previous=None)
    table = next(t for t in build_tables(first) if t.key == "custom_regional")
    for row in table.rows:
        assert row.value("ytd_var_last_month", table.columns) is None
        assert row.value("fot_var_last_month", table.columns) is None
    assert table.cell("ACUTE1", "fot_var") == -500_000 * P


def test_the_standard_system_ie_as_a_custom_table_equals_the_standard_one():
    fixture = report_fixture.pack()
    text = regional_fixture.report_text(regional_fixture.SYSTEM_IE)
    results = dataclasses.replace(fixture.results, custom_tables=((regional_fixture.SYSTEM_IE, text),))
    tables = {t.key: t for t in build_tables(dataclasses.replace(fixture, results=results))}
    standard, custom = tables["system_ie"], tables["custom_system_ie"]
    assert [c.code for c in custom.columns] == [c.code for c in standard.columns]
    assert [(r.code, r.label, r.values, r.total) for r in custom.rows] == [(r.code, r.label, r.values, r.total) for r in standard.rows]


def test_the_regional_system_ie_has_the_segments_too(pack):
    tables = {t.key: t for t in build_tables(pack)}
    assert [(r.code, r.values) for r in tables["custom_system_ie"].rows] == [(r.code, r.values) for r in tables["system_ie"].rows]


def _findings(text: str, name: str = "reports/mine.yaml"):
    results = regional_fixture.regional_close(4, custom=())
    files = (ReportFile(name, text, "0" * 64, len(text)),)
    return check_custom_tables(files, system(regional_fixture.SYSTEM_TEXT), results, RESERVED_SHEETS)


BASE = "title: T\nrows:\n  - org: ACUTE1\ncolumns:\n  - {measure: plan, period: ytd}\n"


def test_a_valid_file_has_no_findings():
    assert _findings(BASE) == []


@pytest.mark.parametrize(
    "text, column, expected",
    [
        (BASE.replace("org: ACUTE1", "org: NOPE"), "rows.0.org", "an organisation code of system.yaml: ACUTE1, ACUTE2, CMH, ICB"),
        (BASE.replace("org: ACUTE1", "{org: ICB, segment: 999}"), "rows.0.segment", "a segment of ICB: 100, 200, 300, 400, 900"),
        (BASE.replace("org: ACUTE1", "{org: CMH, segments: true}"), "rows.0.org", "an organisation with segment_by in system.yaml"),
        (BASE.replace("org: ACUTE1", "group: Nope"), "rows.0.group", "a group of system.yaml: Acute providers"),
        (BASE.replace("org: ACUTE1", "{subtotal: Mine, of: [ACUTE1, XX]}"), "rows.0.of.1", "an organisation code of system.yaml"),
        (BASE.replace("period: ytd", "period: year, measure: actual").replace("measure: plan, ", ""), "columns.0",
         "actual is year to date: use measure outturn for the full year"),
        (BASE.replace("org: ACUTE1", "{org: ACUTE1, total: ics}"), "rows.0", "each row names exactly one of"),
        (BASE + "colour: red\n", "colour", ""),
        (BASE.replace("title: T", "title: T at {when}"), "(top level)", "the title may say only {close}, {month}, {year}"),
        (BASE.replace("title: T", "title: T\nsheet: KPIs"), "sheet", "a sheet name of its own ('kpis' is the standard sheet KPIs's)"),
        (BASE.replace("  - org: ACUTE1\n", "  - org: ACUTE1\n  - org: ACUTE1\n"), "rows", "each row once"),
        (BASE.replace("unit", "x") + "unit: millions\n", "unit", "one of"),
    ],
)
def test_faults_are_located_by_file_and_key_path(text, column, expected):
    found = _findings(text)
    assert found, text
    f = found[0]
    assert f.workbook == "reports/mine.yaml" and f.column == column and f.severity == "error", f
    assert expected in f.expected, f.expected


def test_the_files_are_read_from_the_year_folders_reports(tmp_path):
    assert read_custom_tables(tmp_path) == ((), [])
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "b.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "reports" / "a.yml").write_bytes(b"\xff\xfe")
    (tmp_path / "reports" / "notes.txt").write_text("not a table", encoding="utf-8")
    files, found = read_custom_tables(tmp_path)
    assert [f.name for f in files] == ["reports/b.yaml"] and files[0].text == BASE
    assert [(f.workbook, f.kind) for f in found] == [("reports/a.yml", "not_text")]


def test_the_examples_parse():
    for name in (regional_fixture.REGIONAL, regional_fixture.SYSTEM_IE):
        table, found = parse_custom_table(regional_fixture.report_text(name), name)
        assert found == [] and table is not None
