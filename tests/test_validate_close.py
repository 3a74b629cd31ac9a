"""validate_close end to end: the tiny close's exact frames, the folder, system.yaml, the example."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from finmodel.close_inputs import FRAME_COLUMNS
from finmodel.findings import errors
from finmodel.validate import validate_close
from tests.malformed import TINY_SYSTEM, located, tiny, validate_books, write_close, write_tiny_close

BLANKS = {"cost_centre": "", "subjective": "", "description": ""}


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS[name]))
    for column in ("month", "plan", "actual", "forecast", "weekly_cost", "actual_ytd", "value"):
        if column in frame:
            frame[column] = frame[column].astype("int64")
    return frame


def test_the_tiny_close_gives_the_exact_frames(tmp_path: Path):
    inputs, findings = validate_close(write_tiny_close(tmp_path))
    assert findings == [] and inputs is not None
    assert inputs.period.label == "2023/24 M01" and inputs.system.system == "Tiny ICS"
    income = _frame("income", [
        {"org": "ACUTE1", "month": 1, "category": "clinical_icb", "plan": 100000, "actual": 100000, "forecast": 0, "driver": "other", **BLANKS},
        {"org": "ACUTE1", "month": 2, "category": "clinical_icb", "plan": 100000, "actual": 0, "forecast": 110000, "driver": "other", **BLANKS},
        {"org": "ICB", "month": 1, "category": "allocation", "plan": 500000, "actual": 500000, "forecast": 0, "driver": "other", **BLANKS},
        # no forecast given after the close: forecast at plan
        {"org": "ICB", "month": 2, "category": "allocation", "plan": 500000, "actual": 0, "forecast": 500000, "driver": "other", **BLANKS},
    ])
    pd.testing.assert_frame_equal(inputs.income.iloc[:4], income)
    delivery = _frame("cip_delivery", [
        {"scheme_id": "S1", "month": 1, "plan": 1000, "actual": 800, "forecast": 0},
        {"scheme_id": "S1", "month": 2, "plan": 1000, "actual": 0, "forecast": 1000},
    ])
    pd.testing.assert_frame_equal(inputs.cip_delivery.iloc[:2], delivery)
    budget = _frame("phc_budget", [
        {"org": "ICB", "service": "adult_chc", "month": 1, "plan": 40000, "actual": 41000, "forecast": 0, "driver": "phc"},
        {"org": "ICB", "service": "adult_chc", "month": 2, "plan": 40000, "actual": 0, "forecast": 42000, "driver": "phc"},
    ])
    pd.testing.assert_frame_equal(inputs.phc_budget.iloc[:2], budget)
    assert inputs.pay["forecast"].tolist()[:4] == [0, 0, 60000, 6000]
    assert inputs.agency["shifts"].isna().all() and set(inputs.agency["supplier"]) == {""}
    # months 3..12 of every line: written with no forecast, so forecast at plan
    for name in ("income", "pay", "nonpay", "agency", "cip_delivery", "phc_budget"):
        frame = getattr(inputs, name)
        later = frame[frame["month"] > 2]
        assert sorted(set(later["month"])) == list(range(3, 13))
        assert (later["forecast"] == later["plan"]).all() and (later["actual"] == 0).all()


def test_the_registers_are_typed(tmp_path: Path):
    inputs, _ = validate_close(write_tiny_close(tmp_path))
    packages = inputs.phc_packages
    assert packages[["package_id", "org", "service", "weekly_cost", "setting"]].values.tolist() == [
        ["P1", "ICB", "adult_chc", 100000, ""], ["P2", "ICB", "fnc", 25050, ""],
    ]
    assert packages["start_date"].tolist() == [dt.date(2023, 4, 1), dt.date(2023, 5, 1)]
    assert packages["end_date"].tolist() == [None, dt.date(2023, 6, 30)]
    assert packages["icb_share"].tolist() == [Decimal(1), Decimal("0.5")]
    schemes = inputs.cip_schemes
    assert schemes.values.tolist() == [["ACUTE1", "S1", "Theatre productivity", "pay", True, "fully_developed", ""]]
    assert inputs.capital.values.tolist() == [["ACUTE1", "cdel", 120000, 120000, 0]]
    risks = inputs.risks
    assert list(risks.columns) == list(FRAME_COLUMNS["risks"])
    assert risks[["id", "value", "likelihood_pct", "status"]].values.tolist() == [
        ["R1", 50000, Decimal(50), ""], ["R2", 20000, Decimal(80), "in_progress"],
    ]


def test_every_file_read_is_recorded_with_its_hash(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    inputs, _ = validate_close(folder)
    names = [f.name for f in inputs.files]
    assert names == ["system.yaml", "income.xlsx", "pay.xlsx", "nonpay.xlsx", "agency.xlsx", "cip.xlsx", "phc.xlsx", "capital.xlsx", "risks.xlsx"]
    pay = inputs.files[2]
    assert pay.sha256 == hashlib.sha256((folder / "pay.xlsx").read_bytes()).hexdigest()
    assert pay.size == (folder / "pay.xlsx").stat().st_size
    assert inputs.system_yaml == TINY_SYSTEM


def test_close_month_comes_from_the_folder_name(tmp_path: Path):
    books = tiny()
    for row in books["pay"]["pay"][1:]:
        if row[1] == 2 and row[5] is None:
            row[5], row[6] = 600 if row[3] == "substantive" else 50, None
    folder = write_close(tmp_path, books, month="M2")
    _, findings = validate_close(folder)
    # at M2 the other workbooks' month-2 rows lack their actuals; pay's now has them
    assert ("pay.xlsx", "pay", 4, "actual", "actual_missing") not in located(findings)
    assert ("income.xlsx", "income", 3, "actual", "actual_missing") in located(findings)


def test_a_badly_named_folder_is_a_finding(tmp_path: Path):
    folder = write_close(tmp_path, month="October")
    inputs, findings = validate_close(folder)
    assert inputs is None and located(findings) == {("(close folder)", "", None, "", "bad_folder")}


def test_a_missing_folder_is_a_finding(tmp_path: Path):
    inputs, findings = validate_close(tmp_path / "2023-24" / "M05")
    assert inputs is None and ("(close folder)", "", None, "", "missing_file") in located(findings)


def test_a_missing_folder_is_the_one_finding_even_with_pooled_funds(example_ics):
    # The example's system.yaml has share rules naming fund BCF: with no folder there is no
    # pooled.xlsx either, and that is not a second fault to report.
    inputs, findings = validate_close(example_ics[0].parent / "M12")
    assert inputs is None and located(findings) == {("(close folder)", "", None, "", "missing_file")}


def test_the_year_must_match_system_yaml(tmp_path: Path):
    folder = write_close(tmp_path, system=TINY_SYSTEM.replace("2023/24", "2024/25"))
    _, findings = validate_close(folder)
    assert ("system.yaml", "", None, "year", "wrong_year") in located(findings)


def test_system_yaml_faults_are_named_by_key_path_and_workbooks_still_read(tmp_path: Path):
    system = TINY_SYSTEM.replace("type: acute", "type: hospital")
    books = tiny()
    books["pay"]["pay"][1][4] = "n/a"
    inputs, findings = validate_books(tmp_path, books, system)
    assert inputs is None
    assert ("system.yaml", "", None, "organisations.0.type", "system_yaml") in located(findings)
    assert ("pay.xlsx", "pay", 2, "plan", "not_a_number") in located(findings)


def test_missing_system_yaml(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    (folder.parent / "system.yaml").unlink()
    inputs, findings = validate_close(folder)
    assert inputs is None and located(findings) == {("system.yaml", "", None, "", "missing_file")}


def test_a_wholly_wrong_file_is_summarised_not_flooded(tmp_path: Path):
    books = tiny()
    books["pay"]["pay"] += [["ACUTE1", 1, "Admin", "substantive", "x", 1, None]] * 250
    for index, row in enumerate(books["pay"]["pay"][5:]):
        books["pay"]["pay"][5 + index] = [*row[:2], f"Admin {index}", *row[3:]]
    _, findings = validate_books(tmp_path, books)
    not_numbers = [f for f in findings if f.kind == "not_a_number"]
    assert len(not_numbers) == 201
    assert not_numbers[-1].row is None and not_numbers[-1].value == "50 more like these"
    assert findings[-1] == not_numbers[-1]  # the summary comes after the rows it counts


def test_findings_are_in_reading_order_and_repeatable(tmp_path: Path):
    books = tiny()
    books["risks"]["register"][1][1] = "X"
    books["income"]["income"][4][0] = "Y"
    books["income"]["income"][2][3] = "z"
    _, first = validate_books(tmp_path / "a", books)
    _, second = validate_books(tmp_path / "b", books)
    assert first == second
    assert [(f.workbook, f.row, f.column) for f in first] == [
        ("income.xlsx", 3, "plan"), ("income.xlsx", 5, "org"), ("risks.xlsx", 2, "org"),
    ]


def test_the_example_close_has_no_errors(example_ics: tuple[Path, ...]):
    inputs, findings = validate_close(example_ics[-1])  # only read
    assert errors(findings) == [] and inputs is not None
    assert inputs.period.month == 10
    assert len(inputs.pay) > 1000 and np.all(inputs.pay["actual"].to_numpy()[inputs.pay["month"].to_numpy() > 10] == 0)


def test_a_broken_system_yaml_is_not_blamed_on_phc_rows(tmp_path: Path):
    # One typo in an organisation's type made system.yaml unreadable, and every PHC row with
    # a blank org was then "expected the ICB this row belongs to (system.yaml has several)".
    books = tiny()
    books["phc"]["budget"] = [["org", *books["phc"]["budget"][0]]] + [["", *row] for row in books["phc"]["budget"][1:]]
    folder = write_close(tmp_path, books, system=TINY_SYSTEM.replace("type: icb}", "type: icbb}"))
    inputs, findings = validate_close(folder)
    assert inputs is None
    assert any(f.workbook == "system.yaml" and f.column.endswith(".type") for f in findings)
    assert not [f for f in findings if "has several" in f.expected or "has none" in f.expected]
