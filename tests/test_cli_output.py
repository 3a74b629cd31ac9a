"""What a person sees at the terminal: grouped findings, literal input text, one JSON shape."""

import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from finmodel.cli import app
from finmodel.cli.findings_view import findings_text, row_ranges
from finmodel.cli.shapes import close_ref, pounds, scenario_summary
from finmodel.cli.tables import chance
from finmodel.findings import Finding
from finmodel.scenarios.summary import ScenarioRow, ScenarioSummary

runner = CliRunner()


def _credit(row: int) -> Finding:
    return Finding("nonpay.xlsx", "nonpay", row, "plan", "negative_amount", "-£5.00",
                   "a positive amount (a credit is allowed: check the sign)", "warning")


def test_rows_are_shown_as_ranges():
    assert row_ranges([14, 15, 16, 25, 50, 51, 70]) == "14–16, 25, 50–51, 70"
    assert row_ranges(range(2, 40, 2), most=3) == "2, 4, 6, …"


def test_69_warnings_of_one_kind_are_one_line():
    findings = [_credit(r) for r in [*range(14, 26), *range(50, 62), *range(100, 145)]]
    assert findings_text(findings) == [
        "warning [negative_amount] nonpay.xlsx, sheet 'nonpay', column 'plan': 69 findings, rows 14–25, 50–61, 100–144; "
        "e.g. found '-£5.00'; expected a positive amount (a credit is allowed: check the sign)",
        "0 error(s), 69 warning(s): valid",
    ]


def test_errors_come_first_and_a_single_finding_is_shown_whole():
    error = Finding("pay.xlsx", "pay", 9, "org", "unknown_code", "RHB", "an organisation of system.yaml")
    lines = findings_text([_credit(3), error])
    assert lines[0] == "error [unknown_code] pay.xlsx, sheet 'pay', row 9, column 'org': found 'RHB'; expected an organisation of system.yaml"
    assert lines[1].startswith("warning [negative_amount] nonpay.xlsx, sheet 'nonpay', row 3")
    assert lines[-1] == "1 error(s), 1 warning(s): invalid: nothing was written"


def test_more_groups_than_a_screen_are_counted_not_listed():
    findings = [Finding(f"b{i}.xlsx", "s", 2, "c", "k", "v", "e", "warning") for i in range(25)]
    lines = findings_text(findings)
    assert len(lines) == 22 and lines[-2] == "… and 5 more in 5 more groups: run with --json to list them"


def test_the_count_is_of_every_fault_not_of_the_capped_list():
    # 2,095 blank actuals on one sheet: the log lists 200 and sums up the other 1,895.
    from finmodel.validate.log import FindingLog

    log = FindingLog()
    for row in range(2, 2097):
        log.add(Finding("pay.xlsx", "pay", row, "actual", "missing_value", "", "a value for 'actual'"))
    findings = log.findings()
    assert len(findings) == 201 and findings[-1].more == 1_895
    lines = findings_text(findings)
    assert lines[-1] == "2,095 error(s), 0 warning(s): invalid: nothing was written"
    assert "2,095" not in lines[0] and ": 200 findings, rows 2–201;" in lines[0]
    assert lines[1].startswith("error [missing_value] pay.xlsx, sheet 'pay': found '1,895 more like these'")
    from finmodel.cli.output import findings_payload

    payload = findings_payload(findings)
    assert payload["errors"] == 2_095 and len(payload["findings"]) == 201
    assert payload["findings"][-1]["more"] == 1_895 and payload["findings"][0]["more"] == 0


@pytest.fixture(scope="module")
def example(example_ics):
    return None, example_ics  # only read: each test edits its own copy (_copy)


def _copy(folders, tmp_path) -> Path:
    shutil.copytree(folders[1].parent, tmp_path / "2023-24")
    return tmp_path / "2023-24" / "M10"


def test_a_close_with_many_credits_fits_on_a_screen(example, tmp_path):
    _, folders = example
    folder = _copy(folders, tmp_path)
    book = openpyxl.load_workbook(folder / "nonpay.xlsx")
    sheet = book["nonpay"]
    for row in range(2, 71):
        sheet.cell(row, 5).value = -abs(sheet.cell(row, 5).value or 1)
    book.save(folder / "nonpay.xlsx")
    payload = json.loads(runner.invoke(app, ["validate", str(folder), "--json"]).output)
    credits = [f for f in payload["findings"] if f["kind"] == "negative_amount" and f["column"] == "plan"]
    assert len(credits) >= 69 and payload["warnings"] == len(payload["findings"])
    done = runner.invoke(app, ["close", str(folder), "--db", str(tmp_path / "h.db"), "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert len(lines) <= 30, done.output
    assert any(line.startswith(f"  warning [negative_amount] nonpay.xlsx, sheet 'nonpay', column 'plan': {len(credits)} findings, rows 2–70, ")
               for line in lines), done.output


def test_cell_text_is_printed_as_typed_never_as_markup(example, tmp_path):
    _, folders = example
    folder = _copy(folders, tmp_path)
    book = openpyxl.load_workbook(folder / "pay.xlsx")
    book["pay"].cell(5, 1).value = "[bold]RDZ"
    book.save(folder / "pay.xlsx")
    done = runner.invoke(app, ["validate", str(folder)])
    assert done.exit_code == 1
    line = next(line for line in done.output.splitlines() if "row 5, column 'org'" in line)
    assert line.startswith("  error [") and "found '[bold]RDZ'" in line


def test_json_money_is_pounds_text_and_a_close_is_year_and_month():
    assert pounds(-123456) == "-1234.56" and pounds(5) == "0.05" and pounds(None) is None
    assert close_ref("2023-24", 9) == {"year": "2023/24", "month": "M09"}
    row = ScenarioRow("ICS", -100, -150, -50, -120, -200, -180, -130, -90, Decimal("0.0425"))
    shape = scenario_summary(ScenarioSummary("recovery", "2023/24 M10", 7, 1000, (row,)))
    assert shape["close"] == {"year": "2023/24", "month": "M10"}
    assert shape["rows"][0]["probability_meeting_target"] == 0.0425
    assert shape["rows"][0]["further_required_likely"] == "0.20" and shape["rows"][0]["further_required_p10"] == "0.80"


def test_a_rare_chance_is_not_shown_as_none():
    assert [chance(Decimal(v)) for v in ("0", "0.001", "0.42", "0.999", "1")] == ["0%", "under 1%", "42%", "over 99%", "100%"]


def test_the_history_fits_80_columns_without_breaking_a_date(example_demo, monkeypatch):
    root, _ = example_demo
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["history", "--db", str(root / "finmodel.db"), "--out", str(root / "outputs")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    # each close on one line: its label, when it was made and the pack's state unbroken
    assert any("2023/24 M09" in line and "11 Jan 2024 09:00" in line and "current" in line for line in lines)
