"""Custom tables through a real close: the year's reports/ folder is read and checked at the
close, its tables get their own sheets and CSVs, the stored close keeps their text, and
`finmodel report` re-writes the same pack from the history alone; a faulty file stops the
close with a located finding, and nothing is recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from finmodel.jobs.close import record_close, rewrite_report
from finmodel.store import open_store
from tests.example_ics import copy_example
from tests.regional_fixture import EXAMPLES

MINE = """\
title: Position by organisation at {close}
sheet: By organisation
names: short
rows:
  - orgs: all
  - total: ics
columns:
  - {measure: variance, period: ytd}
  - {measure: variance, period: ytd, close: previous}
  - {measure: movement, period: ytd}
  - {measure: outturn, period: year}
  - {measure: outturn, period: year, close: prior_year}
  - {measure: growth, period: year}
"""


@pytest.fixture(scope="module")
def closed(example_ics, tmp_path_factory):
    root = tmp_path_factory.mktemp("custom")
    folders = copy_example(example_ics, root / "inputs")  # a copy: reports/ is added, and inputs/ moved
    reports = folders[0].parent / "reports"
    reports.mkdir()
    shutil.copy(EXAMPLES / "reports" / "system-ie.yaml", reports / "system-ie.yaml")
    (reports / "mine.yaml").write_text(MINE, encoding="utf-8")
    db, out = root / "history.db", root / "outputs"
    done = [record_close(f, db, out, made_at=f"2024-0{i + 1}-10T09:00:00Z", force=True) for i, f in enumerate(folders)]
    return root, db, out, done


def test_the_close_writes_each_custom_table_on_its_own_sheet(closed):
    root, db, out, done = closed
    last = done[-1]
    assert last.outcome.ok and last.stored is not None
    names = {p.name for p in last.written}
    assert {"by_organisation.csv", "system_ie_custom.csv"} <= names
    book = openpyxl.load_workbook(out / "2023-24" / "M10" / "board-pack.xlsx")
    assert "By organisation" in book.sheetnames and "System I&E (custom)" in book.sheetnames
    for name in ("By organisation", "System I&E (custom)"):
        assert (book[name].page_setup.scale or 100) >= 90, name  # one page wide at 90 % or more (100: not written)
    csv = (out / "2023-24" / "M10" / "tables" / "by_organisation.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[1].endswith(",custom_mine") and "Position by organisation at 2023/24 M10 (£m)" in csv


def test_the_stored_close_keeps_the_files_and_report_rewrites_the_same_pack(closed):
    root, db, out, done = closed
    with open_store(db) as store:
        stored = store.latest("2023/24", 10)
    assert {"reports/mine.yaml", "reports/system-ie.yaml"} <= {name for name, _, _ in stored.input_files}
    folder = out / "2023-24" / "M10"
    before = {p.name: p.read_bytes() for p in [folder / "board-pack.xlsx", *sorted((folder / "tables").glob("*.csv"))]}
    shutil.rmtree(folder / "tables")  # gone: report writes them again
    (root / "inputs").rename(root / "inputs-moved")  # the history alone: no input folder to read
    try:
        again = rewrite_report(db, "2023/24", 10, out, force=True)
    finally:
        (root / "inputs-moved").rename(root / "inputs")
    assert again.stored is not None
    after = {p.name: p.read_bytes() for p in [folder / "board-pack.xlsx", *sorted((folder / "tables").glob("*.csv"))]}
    assert after == before


def test_a_faulty_custom_table_stops_the_close_and_nothing_is_recorded(example_ics, tmp_path):
    folders = copy_example(example_ics, tmp_path / "inputs")  # a copy: reports/ is added
    reports = folders[0].parent / "reports"
    reports.mkdir()
    (reports / "bad.yaml").write_text(MINE.replace("orgs: all", "org: NOPE"), encoding="utf-8")
    db = tmp_path / "history.db"
    done = record_close(folders[0], db, tmp_path / "outputs")
    assert not done.outcome.ok and done.stored is None
    [fault] = done.outcome.errors
    assert (fault.workbook, fault.column, fault.kind, fault.value) == ("reports/bad.yaml", "rows.0.org", "custom_table", "NOPE")
    with open_store(db) as store:
        assert store.history() == []
    assert not (tmp_path / "outputs" / "2023-24" / "M09" / "board-pack.xlsx").exists()
