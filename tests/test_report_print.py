"""The board pack as a board secretary prints it: LibreOffice converts it to PDF (A4
landscape, as the workbook's print setup says) and every page is checked.

- every visible sheet prints one page wide at a fixed scale of 80 % or more (the workbook's
  print setup), and every page carries its sheet's heading in column A (a page cut off to
  the right of another would not);
- the text on every page is at least 9 points: the median height of its words (poppler's
  ``pdftotext -bbox``) against the height of 10-point text printed at 100 % in the same
  run, so the measure does not depend on the fonts installed;
- no chart's data is printed (its sheet is hidden and none of its tables' titles is in the
  PDF), and at least three charts carry data labels.

For the example ICS's pack (the demo's M10 close) and for a system of six providers with
long names. Skipped only where LibreOffice is absent and the environment variable CI is not
set: in CI a missing LibreOffice fails the test rather than skipping it silently.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from finmodel.report import write_board_pack
from finmodel.report.tables import build_sheets
from finmodel.report.workbook import CHART_DATA, CHART_DATA_TABLES
from tests import report_fixture

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    (SOFFICE is None or PDFTOTEXT is None) and not os.environ.get("CI"),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) not installed; see docs/board-pack.md",
)
MIN_POINTS, MIN_SCALE, CALIBRATION_POINTS = 9.0, 80, 10
ROUNDING = 0.05  # points: a renderer places glyphs to 1/100 point, so 90 % of 10 points measures 8.99
WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


def _calibration(path: Path) -> Path:
    """A sheet of 10-point Arial at 100 %: how tall a 10-point word is in this run's fonts."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calibration")
    style = wb.add_format({"font_name": "Arial", "font_size": CALIBRATION_POINTS})
    for r in range(20):
        ws.write_string(r, 0, "Income expenditure surplus deficit forecast outturn variance", style)
    ws.set_landscape()
    ws.set_paper(9)
    wb.close()
    return path


def _to_pdf(books: list[Path], out: Path) -> dict[str, Path]:
    assert SOFFICE is not None and PDFTOTEXT is not None, "LibreOffice and poppler-utils are needed (CI is set)"
    profile = (out / "profile").as_uri()  # a private profile: a LibreOffice already running is not disturbed
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, books)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    pdfs = {b.stem: out / f"{b.stem}.pdf" for b in books}
    assert done.returncode == 0 and all(p.is_file() for p in pdfs.values()), done.stdout + done.stderr
    return pdfs


def _pages(pdf: Path) -> list[list[tuple[float, str]]]:
    """Per page, (height in points, text) of each word."""
    html = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(y1) - float(y0), w) for y0, y1, w in WORD.findall(page)] for page in html.split("<page ")[1:]]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, example_demo) -> dict[str, tuple[Path, Path]]:
    """{name: (workbook, its PDF)} for the example's pack and a six-provider pack."""
    root = tmp_path_factory.mktemp("print")
    _, demo = example_demo  # the run's one demo: its M10 pack is only copied
    example = root / "example.xlsx"
    shutil.copy(next(p for p in demo.board_packs if p.parent.name == "M10"), example)
    write_board_pack(report_fixture.six_provider_pack(), root / "six")
    six = root / "six.xlsx"
    shutil.copy(root / "six" / "board-pack.xlsx", six)
    books = [example, six, _calibration(root / "calibration.xlsx")]
    pdfs = _to_pdf(books, root / "pdf")
    return {b.stem: (b, pdfs[b.stem]) for b in books}


@pytest.fixture(scope="module")
def points_per_height(printed) -> float:
    heights = [h for page in _pages(printed["calibration"][1]) for h, _ in page]
    return CALIBRATION_POINTS / statistics.median(heights)


@pytest.mark.parametrize("name", ["example", "six"])
def test_every_sheet_one_page_wide_at_80_percent_or_more(printed, name):
    book, pdf = printed[name]
    wb = openpyxl.load_workbook(book)
    visible = [ws for ws in wb if ws.sheet_state == "visible"]
    for ws in visible:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, ws.title
        assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage), ws.title
        assert (setup.scale or 100) >= MIN_SCALE, (ws.title, setup.scale)
    headings = [ws["A1"].value for ws in visible]
    pages = [" ".join(w for _, w in page) for page in _pages(pdf)]
    # Every page carries its sheet's heading (repeated at the top of each page from column A),
    # in sheet order: a sheet printed two pages wide would give a page without it.
    found = [next((h for h in headings if h.replace("&", "&amp;") in text), None) for text in pages]
    assert None not in found, [i + 1 for i, h in enumerate(found) if h is None]
    assert sorted(set(found), key=headings.index) == headings and found == sorted(found, key=headings.index)


@pytest.mark.parametrize("name", ["example", "six"])
def test_text_on_every_page_is_9_points_or_more(printed, points_per_height, name):
    sizes = [round(statistics.median(h for h, _ in page) * points_per_height, 2) for page in _pages(printed[name][1]) if page]
    assert min(sizes) >= MIN_POINTS - ROUNDING, sizes


@pytest.mark.parametrize("name", ["example", "six"])
def test_no_chart_data_printed_and_charts_labelled(printed, name):
    book, pdf = printed[name]
    wb = openpyxl.load_workbook(book)
    assert wb[CHART_DATA].sheet_state == "hidden"
    text = " ".join(w for page in _pages(pdf) for _, w in page)
    data_titles = [ws.cell(r, 1).value for ws in [wb[CHART_DATA]] for r in range(3, ws.max_row + 1)]
    titles = [t for t in data_titles if isinstance(t, str) and t.endswith(")") and "(£" in t]
    assert len(titles) >= 3
    with zipfile.ZipFile(book) as z:
        charts = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    chart_titles = [m for c in charts for m in re.findall(r"<c:title>.*?<a:t>(.*?)</a:t>", c, re.S)]
    flat = " ".join(text.split())
    for chart_title in chart_titles:  # a chart's own title may begin as its data's table does
        flat = flat.replace(" ".join(chart_title.split()), "")
    for title in titles:
        assert " ".join(title.replace("&", "&amp;").split()) not in flat, title
    assert "Base (not drawn)" not in flat
    labelled = [c for c in charts if '<c:showVal val="1"/>' in c]
    assert len(labelled) >= 3, len(labelled)


def test_chart_data_tables_are_the_charts_own():
    """The tables moved off the printed sheets are exactly the charts' data."""
    keys = {t.key for s in build_sheets(report_fixture.pack()) for t in s.tables}
    assert set(CHART_DATA_TABLES) <= keys
