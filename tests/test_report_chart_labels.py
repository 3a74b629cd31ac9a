"""The waterfall's data labels can be read on every bar: white on a bar tall enough to hold
its label, dark where the bar is a sliver (a driver of £0.6m beside one of £23m) and the
label spills onto the white plot area. Checked on the labels the chart is given and in the
chart XML the workbook carries."""

from __future__ import annotations

import re
import zipfile

from finmodel.report import write_board_pack
from finmodel.report.charts import SMALL_BAR_SHARE, WATERFALL_PARTS, _waterfall_labels
from finmodel.report.layout import place
from finmodel.report.table import Column, Row, Sheet, Table
from tests import report_fixture

M = 100_000_000  # pence in £1m


def _waterfall(values: dict[str, int]) -> Table:
    """A drivers waterfall of adverse drivers below zero, each drawn from the running total."""
    columns = tuple(Column(code, code, "gbp") for code in ("base", *WATERFALL_PARTS))
    rows, running = [], 0
    for code, value in values.items():
        # adverse: drawn below zero from the running total down by |value|
        rows.append(Row(code, code, (running, 0, 0, 0, value, 0)))
        running += value
    return Table("drivers_waterfall", "Waterfall", "£m", columns, tuple(rows))


def test_a_sliver_of_a_bar_gets_a_dark_label_and_a_tall_one_keeps_the_white() -> None:
    table = _waterfall({"agency": -23 * M, "other": -M * 6 // 10, "phc": -7 * M})
    (placed,) = place(Sheet("Drivers", "Drivers", (table,)))
    labels = _waterfall_labels(placed)["adverse_below_zero"]
    assert [label["value"] for label in labels] == ["(23.0)", "(0.6)", "(7.0)"]
    # £0.6m is under 8 % of £23m; £7m is not.
    assert 0.6 < 23 * SMALL_BAR_SHARE < 7
    assert [label.get("font", {}).get("color") for label in labels] == [None, "#000000", None]


def test_the_written_chart_carries_the_dark_label(tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_board_pack(report_fixture.pack(), tmp_path)
    with zipfile.ZipFile(tmp_path / "board-pack.xlsx") as book:
        charts = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/chart")]
    waterfalls = [c for c in charts if "Drivers of the ICS YTD variance" in c]
    assert len(waterfalls) == 1
    white = len(re.findall(r'<a:srgbClr val="FFFFFF"/>', waterfalls[0]))
    dark = len(re.findall(r'<a:srgbClr val="000000"/>', waterfalls[0]))
    assert white, "the series' labels are white"
    # The fixture's drivers: every bar below 8 % of the tallest has a dark label.
    sizes = _bar_sizes(report_fixture.pack())
    small = sum(1 for s in sizes if s < max(sizes) * SMALL_BAR_SHARE)
    assert small and dark == small


def _bar_sizes(pack) -> list[int]:  # type: ignore[no-untyped-def]
    from finmodel.report.tables import build_tables

    table = next(t for t in build_tables(pack) if t.key == "drivers_waterfall")
    at = [[c.code for c in table.columns].index(code) for code in WATERFALL_PARTS]
    return [sum(abs(r.values[i]) for i in at) for r in table.rows]
