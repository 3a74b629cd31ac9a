"""Carry-forward cell by cell, on a tiny close typed by hand: what is kept, what is left
blank, and that every cell is written as what it is (pounds, dates, text never a formula)."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from finmodel.jobs.templates import write_month_templates
from finmodel.system_config import SystemConfig
from finmodel.templates import write_templates
from finmodel.validate import validate_close
from tests.builders import tiny_template_system

MONTH_CODES = [f"M{m:02d}" for m in range(1, 13)]


def tiny_system() -> SystemConfig:
    return tiny_template_system(likelihood_pct={"low": 25, "high": 75, "likely": 75})


def _fill(folder: Path, name: str, sheet: str, rows: list[dict], extra: tuple[str, ...] = ()) -> None:
    path = folder / f"{name}.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for offset, column in enumerate(extra):
        ws.cell(1, len(header) + offset + 1, column)
    for row in rows:
        ws.append([row.get(column) for column in (*header, *extra)])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text, as Excel keeps '=SUM(A1:A9) typed with a quote
    book.save(path)


def _monthly(close: int, plan, actual, forecast=None, **fixed) -> list[dict]:
    return [
        {**fixed, "month": code, "plan": plan, "actual": actual if m <= close else None,
         "forecast": forecast if m > close else None}
        for m, code in enumerate(MONTH_CODES, start=1)
    ]


@pytest.fixture
def m02(tmp_path) -> Path:
    """Close M02 of a tiny system, with awkward but valid cells."""
    write_templates(tmp_path, "2024/25", tiny_system())
    folder = tmp_path / "2024-25" / "M01"
    folder = folder.rename(folder.parent / "M02")
    _fill(folder, "income", "income", _monthly(2, 1000.01, 999.99, forecast=1200.5, org="ACUTE1", category="clinical_icb",
                                                 description="=SUM(A1:A9)", cost_centre="+44 ward", subjective="-1"),
          extra=("note",))
    _fill(folder, "income", "income", _monthly(2, 5000, 5000, org="ICB", category="allocation"))
    _fill(folder, "nonpay", "nonpay", _monthly(2, 300, 310, org="ACUTE1", category="Drugs", kind="operating")
          + _monthly(2, 4000, 4100, org="ICB", category="acute", kind="operating"))
    _fill(folder, "pay", "pay",
          _monthly(2, 0.07, 0.01, org="ACUTE1", staff_group="@nursing", pay_type="agency", driver="agency_escalation")
          + _monthly(2, 550, 560, forecast=550, org="ACUTE1", staff_group="Nursing", pay_type="substantive", cost_centre="001"))
    _fill(folder, "agency", "agency",
          [{**r, "shifts": 3 if r["actual"] is not None else None} for r in _monthly(2, 0.07, 0.01, org="ACUTE1", staff_group="@nursing", framework="on")])
    _fill(folder, "phc", "budget", _monthly(2, 100, 120, forecast=130, service="adult_chc"))
    _fill(folder, "phc", "packages", [
        {"package_id": "P1", "service": "adult_chc", "weekly_cost": 7_550.55, "start_date": dt.datetime(2024, 4, 1),
         "end_date": dt.datetime(2025, 3, 31), "icb_share": 0.5},
        {"package_id": "=P2", "service": "fnc", "weekly_cost": 219.71, "start_date": dt.datetime(2020, 1, 15)},
    ])
    _fill(folder, "risks", "register", [
        {"id": "R1", "org": "ACUTE1", "type": "risk", "category": "inflation", "value": 40_000.1, "likelihood": "low"},
        {"id": "R2", "org": "ICB", "type": "risk", "category": "phc", "value": 1, "likelihood": "high"},  # high and likely are both 75
        {"id": "R3", "org": "ICB", "type": "mitigation", "category": "phc", "value": 2, "likelihood": "0.5%", "status": "in_progress"},
    ])
    inputs, findings = validate_close(folder)
    assert inputs is not None, [f.message for f in findings]
    return folder


def _rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]


def test_carried_two_months_on_leaves_both_months_actuals_to_fill(m02):
    done = write_month_templates(m02.parent / "M04", carry_forward=True)
    assert done.carried_from == m02 and done.carried.closed == 2 and done.carried.month == 4
    income = [r for r in _rows(m02.parent / "M04" / "income.xlsx", "income") if r["org"].value == "ACUTE1"]
    assert [r["actual"].value for r in income] == [999.99, 999.99] + [None] * 10
    assert [r["forecast"].value for r in income] == [None] * 4 + [1200.5] * 8  # only after M04
    assert [r["plan"].value for r in income] == [1000.01] * 12
    assert all(r["plan"].data_type == "n" for r in income)
    pay = _rows(m02.parent / "M04" / "pay.xlsx", "pay")
    assert [r["plan"].value for r in pay[:12]] == [0.07] * 12
    assert {r["forecast"].value for r in pay[12:]} == {None}  # forecast equal to plan: blank, "at plan"
    assert [r["driver"].value for r in pay] == ["agency_escalation"] * 12 + [None] * 12  # the default "other" stays blank
    assert [r["shifts"].value for r in _rows(m02.parent / "M04" / "agency.xlsx", "agency")] == [3, 3] + [None] * 10
    _, findings = validate_close(m02.parent / "M04")
    missing = {(f.workbook, f.row) for f in findings if f.kind == "actual_missing"}
    # M03 and M04 of every line: rows 4-5 of each sheet's first line, 16-17 of its second.
    assert missing == {(w, row) for w in ("income.xlsx", "pay.xlsx", "agency.xlsx", "phc.xlsx") for row in (4, 5)} | {
        (w, row) for w in ("income.xlsx", "pay.xlsx", "nonpay.xlsx") for row in (16, 17)} | {("nonpay.xlsx", 4), ("nonpay.xlsx", 5)}
    assert {f.kind for f in findings} == {"actual_missing"}
    assert done.carried.to_fill == (("income.xlsx", "income", 4), ("pay.xlsx", "pay", 4), ("nonpay.xlsx", "nonpay", 4),
                                    ("agency.xlsx", "agency", 2), ("phc.xlsx", "budget", 2))


def test_text_is_written_as_text_never_a_formula(m02):
    write_month_templates(m02.parent / "M03", carry_forward=True)
    first = _rows(m02.parent / "M03" / "income.xlsx", "income")[0]
    for column, text in (("description", "=SUM(A1:A9)"), ("cost_centre", "+44 ward"), ("subjective", "-1")):
        assert first[column].value == text and first[column].data_type == "s", column
    assert first["note"].value is None and "note" in first  # an extra column is kept, after the contract's
    assert _rows(m02.parent / "M03" / "pay.xlsx", "pay")[0]["staff_group"].value == "@nursing"
    assert _rows(m02.parent / "M03" / "pay.xlsx", "pay")[12]["cost_centre"].value == "001"
    package = _rows(m02.parent / "M03" / "phc.xlsx", "packages")[1]
    assert package["package_id"].value == "=P2" and package["package_id"].data_type == "s"


def test_trackers_are_carried_as_they_were_with_dates_as_dates(m02):
    write_month_templates(m02.parent / "M03", carry_forward=True)
    p1, p2 = _rows(m02.parent / "M03" / "phc.xlsx", "packages")
    assert p1["start_date"].is_date and p1["start_date"].value == dt.datetime(2024, 4, 1)
    assert p1["end_date"].value == dt.datetime(2025, 3, 31) and p2["end_date"].value is None
    assert p1["weekly_cost"].value == 7_550.55 and p1["icb_share"].value == 0.5
    register = _rows(m02.parent / "M03" / "risks.xlsx", "register")
    # A word where exactly one word of system.yaml means the percentage; else the percentage.
    assert [r["likelihood"].value for r in register] == ["low", 75, "0.5%"]
    assert [r["status"].value for r in register] == [None, None, "in_progress"]
    assert register[0]["value"].value == 40_000.1
    _, findings = validate_close(m02.parent / "M03")
    assert {f.kind for f in findings} == {"actual_missing"}  # the trackers read back without a finding
