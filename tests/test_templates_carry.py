"""`finmodel templates --carry-forward` on the example ICS: M10's folder started from the M09
close, then only M10's actuals filled in, as a finance team would."""

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from finmodel.results.pooled import fot_effects
from finmodel.example.shape import REPHASE_ORG, REPHASE_PENCE
from finmodel.jobs.templates import write_month_templates
from finmodel.ledger import build_ledger
from finmodel.pipeline import close
from finmodel.validate import validate_close

# The monthly frames and the sheets they are read from, written out here.
MONTHLY = {
    "income": ("income.xlsx", "income"),
    "pay": ("pay.xlsx", "pay"),
    "nonpay": ("nonpay.xlsx", "nonpay"),
    "agency": ("agency.xlsx", "agency"),
    "cip_delivery": ("cip.xlsx", "delivery"),
    "phc_budget": ("phc.xlsx", "budget"),
    "pooled_schemes": ("pooled.xlsx", "schemes"),
}
TRACKERS = ("cip_schemes", "phc_packages", "capital", "risks", "pooled_funds", "pooled_contributions")


@pytest.fixture(scope="module")
def example(example_ics):
    """The example's own M09 and M10 closes: the reference (its folders only read, M09 copied)."""
    m09, m10 = example_ics
    return {"M09": close(m09), "M10": close(m10), "folders": (m09, m10)}


@pytest.fixture(scope="module")
def carried(example, tmp_path_factory) -> Path:
    """A year folder with the example's system.yaml and M09, and M10 carried forward from it."""
    m09 = example["folders"][0]
    year = tmp_path_factory.mktemp("carried") / "2023-24"
    shutil.copytree(m09, year / "M09")
    shutil.copy(m09.parent / "system.yaml", year / "system.yaml")
    done = write_month_templates(year / "M10", carry_forward=True)
    assert done.written and done.carried_from == year / "M09", done.problem
    return year / "M10"


def fill_actuals(folder: Path, source, month: int) -> None:
    """Type the month's actuals (and agency shifts) into the carried workbooks, row by row,
    from the example's own workbooks of that close, as an analyst would from the ledger."""
    by_workbook: dict[str, list[tuple[str, str]]] = {}
    for frame, (workbook, sheet) in MONTHLY.items():
        by_workbook.setdefault(workbook, []).append((frame, sheet))
    for workbook, sheets in by_workbook.items():
        book = openpyxl.load_workbook(folder / workbook)
        for frame_name, sheet in sheets:
            ws = book[sheet]
            header = [c.value for c in ws[1]]
            frame = getattr(source, frame_name)
            records = frame.to_dict("records")
            assert ws.max_row == len(records) + 1  # every row carried, none added
            for cells, want in zip(ws.iter_rows(min_row=2), records):
                row = dict(zip(header, cells))
                assert row["month"].value == f"M{want['month']:02d}"
                for key in ("org", "scheme_id", "service", "category", "staff_group"):
                    if key in row and key in want:
                        assert (row[key].value or "") == want[key], (workbook, key)
                if want["month"] == month:
                    row["actual"].value = want["actual"] / 100
                    if "shifts" in row and not pd.isna(want["shifts"]):
                        row["shifts"].value = int(want["shifts"])
        book.save(folder / workbook)


@pytest.fixture(scope="module")
def filled(example, carried, tmp_path_factory) -> Path:
    year = tmp_path_factory.mktemp("filled") / "2023-24"
    shutil.copytree(carried.parent, year)
    fill_actuals(year / "M10", example["M10"].inputs, 10)
    return year / "M10"


@pytest.fixture(scope="module")
def filled_close(filled):
    return close(filled)


def _month_rows(frame: pd.DataFrame, month: int) -> set[int]:
    """Excel rows of a frame's rows of one month (the header is row 1)."""
    return {i + 2 for i in frame.index[frame["month"] == month]}


def test_without_the_new_months_actuals_only_those_are_missing(example, carried):
    _, findings = validate_close(carried)
    errors = [f for f in findings if f.severity == "error"]
    assert {f.kind for f in errors} == {"actual_missing"}
    m09 = example["M09"].inputs
    for frame_name, (workbook, sheet) in MONTHLY.items():
        found = [f for f in errors if (f.workbook, f.sheet) == (workbook, sheet)]
        listed = [f for f in found if f.row is not None]
        more = sum(int(f.value.split()[0].replace(",", "")) for f in found if f.row is None)  # "863 more like these"
        expected = _month_rows(getattr(m09, frame_name), 10)
        assert {f.row for f in listed} <= expected and len(listed) + more == len(expected), sheet
        assert {f.column for f in listed} == {"actual"}
    # The warnings are M09's own, row for row (negative plans on the unidentified-CIP lines).
    assert [f for f in findings if f.severity == "warning"] == list(example["M09"].inputs.warnings)


def test_plans_known_actuals_and_later_forecasts_are_carried_and_trackers_kept(example, carried):
    m09 = example["M09"].inputs
    workbook = openpyxl.load_workbook(carried / "pay.xlsx")
    rows = list(workbook["pay"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in workbook["pay"][1]]
    at = {name: header.index(name) for name in ("month", "plan", "actual", "forecast")}
    for row, want in zip(rows, m09.pay.to_dict("records")):
        month = int(row[at["month"]][1:])
        assert row[at["plan"]] == want["plan"] / 100  # pounds, exact to the penny
        assert row[at["actual"]] == (want["actual"] / 100 if month <= 9 else None)
        if month <= 10 or want["forecast"] == want["plan"]:
            assert row[at["forecast"]] is None  # closed months have none; blank = at plan
        else:
            assert row[at["forecast"]] == want["forecast"] / 100
    # The drop-downs cover every carried row and 10,000 more below them.
    assert f"A2:A{len(rows) + 10_001}" in {str(d.sqref) for d in workbook["pay"].data_validations.dataValidation}
    packages = openpyxl.load_workbook(carried / "phc.xlsx")["packages"]
    assert packages["E2"].is_date and packages["E2"].number_format == "dd/mm/yyyy"


def test_filled_with_the_months_actuals_it_validates_and_closes_to_the_examples_m10(example, filled_close):
    outcome = filled_close
    assert outcome.ok, [f.message for f in outcome.errors][:5]
    assert outcome.errors == []
    mine, theirs, m09 = outcome.inputs, example["M10"].inputs, example["M09"].inputs
    # Every actual of the year to date is the example's M10 actual, to the penny.
    for frame_name in MONTHLY:
        pd.testing.assert_series_equal(getattr(mine, frame_name)["actual"], getattr(theirs, frame_name)["actual"], check_dtype=False)
    # Trackers and registers are M09's as they were.
    for frame_name in TRACKERS:
        pd.testing.assert_frame_equal(getattr(mine, frame_name), getattr(m09, frame_name), check_dtype=False)
    assert outcome.results.capital == example["M09"].results.capital
    assert outcome.results.risk_register == example["M09"].results.risk_register


def test_the_position_is_the_examples_m10_but_for_what_only_the_analyst_could_update(example, filled_close):
    """YTD actual equals the example's M10 close exactly. What carry-forward cannot know is
    what the organisations changed at M10 besides the month's actual, so those figures are
    M09's: the plan ACUTE2 re-phased at M10 (REPHASE_PENCE moved out of M08) and each
    organisation's re-forecast of M11..M12, which the carried folder keeps as at M09."""
    results = filled_close.results
    reference = example["M10"].results
    ledger09 = build_ledger(example["M09"].inputs)
    later = ledger09[ledger09["month"] > 10]
    m09_forecast = (later["forecast"] * later["sign"]).groupby(later["org"]).sum()
    shares = fot_effects(results.pool_shares)  # pooled budget shares: on their own line, beyond the ledger
    for org in reference.organisations:
        mine, theirs = results.position(org.code), reference.position(org.code)
        assert mine.surplus.ytd_actual == theirs.surplus.ytd_actual, org.code
        assert dict(mine.lines).keys() == dict(theirs.lines).keys()
        for group, line in mine.lines:
            assert line.ytd_actual == theirs.line(group).ytd_actual, (org.code, group)
        assert mine.surplus.year_plan == theirs.surplus.year_plan  # a re-phasing moves plan within the year
        moved = REPHASE_PENCE if org.code == REPHASE_ORG else 0  # less spend planned by M10: more surplus
        assert mine.surplus.ytd_plan == theirs.surplus.ytd_plan - moved, org.code
        assert mine.surplus.fot == mine.surplus.ytd_actual + int(m09_forecast.get(org.code, 0)) + shares.get(org.code, 0), org.code
    assert any(results.position(o.code).surplus.fot != reference.position(o.code).surplus.fot for o in reference.organisations)
