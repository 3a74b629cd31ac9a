"""Hostile files: a sheet that claims a vast grid is refused from its cell references,
before the spreadsheet reader allocates anything (a cell at XFD1048576 made it reserve
512 GiB; one at AZ1048576 took 15 s and 2 GB)."""

from __future__ import annotations

import re
import resource
import time
from pathlib import Path

import openpyxl
import pytest

from finmodel.findings import Finding
from finmodel.read import read_workbook
from malformed import tiny, write_tiny_close


def _pay_with_cell_at(folder: Path, ref: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "pay"
    for row in tiny()["pay"]["pay"]:
        sheet.append(row)
    sheet[ref] = 1
    path = folder / "pay.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(("ref", "cells"), [("XFD1048576", 16_384 * 1_048_576), ("AZ1048576", 52 * 1_048_576)])
def test_an_absurd_extent_is_one_finding_in_under_a_second(tmp_path: Path, ref: str, cells: int):
    path = _pay_with_cell_at(write_tiny_close(tmp_path), ref)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    raw, findings = read_workbook(path, ["pay"])
    seconds = time.perf_counter() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert raw is None
    expected = "a sheet of at most 30,000,000 cells from A1 to its last cell (delete the stray cells or formatting far below or right of the data)"
    assert findings == [Finding("pay.xlsx", "pay", None, "", "sheet_too_large", f"cells as far as {ref} ({cells:,} cells from A1)", expected)]
    assert seconds < 1 and grown_mb < 200


def test_a_dimension_claiming_a_vast_grid_is_refused_too(tmp_path: Path):
    import zipfile

    path = write_tiny_close(tmp_path) / "pay.xlsx"
    data = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    data[sheet] = re.sub(rb"<dimension ref=\"[^\"]*\" ?/>", b"<dimension ref=\"A1:XFD1048576\"/>", data[sheet])
    assert b"XFD1048576" in data[sheet]
    with zipfile.ZipFile(path, "w") as out:
        for member, content in data.items():
            out.writestr(member, content)
    raw, findings = read_workbook(path, ["pay"])
    assert raw is None and [f.kind for f in findings] == ["sheet_too_large"]


def test_a_narrow_sheet_of_any_length_is_read(tmp_path: Path):
    path = _pay_with_cell_at(write_tiny_close(tmp_path), "Z1048576")
    raw, findings = read_workbook(path, ["pay"])
    assert raw is not None and findings == []
