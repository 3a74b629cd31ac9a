"""The tidy CSV tables: exact values, the same figures as the sheet, and the golden files."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from finmodel.csv_text import safe_text
from finmodel.report import write_board_pack
from finmodel.report.csv_tables import HEADER
from finmodel.report.table import ICS
from finmodel.report.tables import build_sheets
from tests import report_fixture
from tests.regen_golden import GOLDEN, golden_tables
from tests.report_fixture import SCALE, first_data_row, laid_out, shown

PENNIES = re.compile(r"^-?\d+\.\d{2}$")


@pytest.fixture(scope="module")
def pack():
    return report_fixture.pack()


@pytest.fixture(scope="module")
def out(pack, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("csv")
    write_board_pack(pack, folder)
    return folder


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADER
    return [dict(zip(HEADER, r)) for r in rows[1:]]


def test_one_csv_per_sheet_one_row_per_cell(pack, out):
    sheets = build_sheets(pack)
    assert sorted(p.name for p in (out / "tables").iterdir()) == sorted(f"{s.csv_name}.csv" for s in sheets)
    for sheet in sheets:
        rows = read(out / "tables" / f"{sheet.csv_name}.csv")
        expected = [(t.title, safe_text(r.code), c.code) for t in sheet.tables for r in t.rows for c in t.columns]
        assert [(x["table"], x["row"], x["column"]) for x in rows] == expected, sheet.name


def test_values_are_exact_and_typed(pack, out):
    for sheet in build_sheets(pack):
        cells = iter(read(out / "tables" / f"{sheet.csv_name}.csv"))
        for table in sheet.tables:
            for row in table.rows:
                for column, value in zip(table.columns, row.values):
                    got = next(cells)
                    assert got["label"] == safe_text(row.label) and got["unit"] == table.unit_of(row, column)
                    if value is None or value == "":
                        assert got["value"] == ""
                    elif got["unit"] == "gbp":
                        assert PENNIES.match(got["value"]), got
                        assert Decimal(got["value"]) * 100 == value  # pounds to the penny, unrounded
                    elif got["unit"] == "pct":
                        assert Decimal(got["value"]) == value
                    elif got["unit"] == "count":
                        assert int(got["value"]) == value
                    else:
                        assert got["value"] == getattr(value, "code", None) or got["value"] == safe_text(value)  # a Coded cell: its code


def test_input_text_never_reaches_a_spreadsheet_as_a_formula(out):
    rows = [r for path in (out / "tables").glob("*.csv") for r in read(path)]
    hostile = [r for r in rows if r["label"].lstrip("'").startswith(("=", "@")) or r["row"].lstrip("'").startswith(("=", "@"))]
    assert hostile, "the fixture names a body '@Home Hospice' and a file '=cmd.xlsx'"
    assert all(r["label"].startswith("'") and (r["row"][:1] not in "=+-@" or r["row"].startswith("'")) for r in hostile)
    assert any(r["label"] == "'@Home Hospice" for r in rows) and any(r["row"] == "'=cmd.xlsx" for r in rows)
    negatives = [r for r in rows if r["unit"] == "gbp" and r["value"].startswith("-")]
    assert negatives and all(PENNIES.match(r["value"]) for r in negatives)  # numbers are never escaped


def test_totals_add_up_exactly_in_the_csv(out):
    rows = read(out / "tables" / "system_ie.csv")
    fot = {r["row"]: Decimal(r["value"]) for r in rows if r["column"] == "fot"}
    assert fot[ICS] == fot["ACUTE1"] + fot["CMH"] + fot["ICB"] + fot["HOSPICE"]
    # An amount below £0.05m rounds to 0.0 on the sheet but keeps its pennies here.
    phc = read(out / "tables" / "phc.csv")
    assert any(r["value"].endswith(".29") for r in phc if r["column"] == "cost_change")


def test_csv_and_sheet_agree(pack, out):
    book = openpyxl.load_workbook(out / "board-pack.xlsx")
    for sheet in build_sheets(pack):
        cells = iter(read(out / "tables" / f"{sheet.csv_name}.csv"))
        for original in sheet.tables:
            ws, table = laid_out(book, sheet.name, original)
            r0, c0 = first_data_row(ws, table)
            by_code = {r.code: i for i, r in enumerate(table.rows)}
            columns = [c.code for c in shown(table)]
            for row in original.rows:
                for column, value in zip(original.columns, row.values):
                    got = next(cells)
                    if column.below:  # printed under the table, as "label: text"
                        assert not value or f"{row.label}: {value}" in [c.value for c in ws["A"]]
                        continue
                    shown_value = ws.cell(r0 + by_code[row.code], c0 + 1 + columns.index(column.code)).value
                    if got["value"] == "":
                        assert shown_value in (None, "-")
                    elif got["unit"] == "gbp":
                        pence = Decimal(got["value"]) * 100
                        assert abs(Decimal(repr(shown_value)) - pence / SCALE[table.scale]) < Decimal("1e-9")
                    elif got["unit"] == "pct":
                        assert shown_value == float(Decimal(got["value"]))
                    elif got["unit"] == "count":
                        assert shown_value == int(got["value"])
                    else:  # the sheet shows a Coded cell's label, the CSV its code
                        assert shown_value == str(value) and got["value"] == getattr(value, "code", value)


def test_golden_tables():
    """The fixture close's tables, compared exactly. After a deliberate change run
    `python -m tests.regen_golden` and review the diff of tests/golden/."""
    wanted = golden_tables()
    assert sorted(p.name for p in GOLDEN.glob("*.csv")) == sorted(wanted)
    for name, text in wanted.items():
        assert (GOLDEN / name).read_text(encoding="utf-8") == text, f"{name} differs from tests/golden/{name}"


def test_docs_list_every_table_and_column_code(pack):
    """docs/tables.md is the contract people build reports on: every code must be in it."""
    docs = (Path(__file__).parent.parent / "docs" / "tables.md").read_text(encoding="utf-8")
    orgs = [o.code for o in pack.results.organisations]

    def documented(code: str) -> str:
        for org in orgs:
            if code.startswith(f"{org}_") and code != "ICB_IMPACTING":
                return "<ORG>" + code[len(org):]
            if code.endswith(f"_{org}"):
                return code[: -len(org)] + "<ORG>"
        return "<ORG>" if code in orgs else code

    for sheet in build_sheets(pack):
        assert f"`tables/{sheet.csv_name}.csv`" in docs
        for table in sheet.tables:
            assert f"### `{documented(table.key)}`" in docs, table.key
            for column in table.columns:
                assert f"| `{documented(column.code)}` |" in docs, (table.key, column.code)
