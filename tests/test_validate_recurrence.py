"""The recurrence column of income, pay and nonpay, through real workbooks written and read."""

from __future__ import annotations

from pathlib import Path

from finmodel.ledger import build_ledger
from finmodel.results import compute_results
from tests.malformed import add_column, located, tiny, validate_books

P = 100


def _recurrence(books, workbook: str, values: dict[int, str]) -> None:
    """A recurrence column on every row: ``values`` by Excel row, blank elsewhere."""
    rows = books[workbook][workbook]
    add_column(books, workbook, workbook, "recurrence", [values.get(r, "") for r in range(2, len(rows) + 1)])


def test_a_word_that_is_not_a_recurrence_is_located_and_told_the_spelling(tmp_path: Path):
    books = tiny()
    _recurrence(books, "income", {2: "non_recurrent", 3: "Non-recurrent", 4: "one-off"})
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is None
    assert located(findings) == {("income.xlsx", "income", 3, "recurrence", "unknown_code"), ("income.xlsx", "income", 4, "recurrence", "unknown_code")}
    by_row = {f.row: f for f in findings}
    # The house matches codes exactly (docs/decisions.md, Validation), telling a near miss its spelling.
    assert by_row[3].value == "Non-recurrent" and "write it as 'non_recurrent'" in by_row[3].expected
    assert "non_recurrent, recurrent" in by_row[4].expected


def test_blank_is_recurrent_and_a_missing_column_too(tmp_path: Path):
    books = tiny()
    # ACUTE1's M1 income row (Excel row 2) is a one-off; pay and nonpay have no recurrence column.
    _recurrence(books, "income", {2: " non_recurrent ", 3: "recurrent"})
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is not None, findings
    assert set(inputs.income["recurrence"]) == {"recurrent", "non_recurrent"}
    assert "recurrence" not in inputs.pay.columns
    ledger = build_ledger(inputs)
    one_off = ledger[ledger["recurrence"] == "non_recurrent"]
    assert list(one_off["source"]) == ["income"] and list(one_off["actual"]) == [1000 * P]
    assert set(ledger["recurrence"]) == {"recurrent", "non_recurrent"}  # never blank, never NaN
    results = compute_results(inputs, ledger)
    acute = next(u for u in results.underlying.rows if u.org == "ACUTE1")
    # ACUTE1's M1 income of £1,000 is one-off: the underlying position is £1,000 below the FOT.
    assert acute.one_off_income == 1000 * P and acute.underlying == acute.fot - 1000 * P


def test_a_non_recurrent_efficiency_row_is_counted_as_recurrent_with_a_warning(tmp_path: Path):
    books = tiny()
    rows = books["nonpay"]["nonpay"]
    add_column(books, "nonpay", "nonpay", "driver", ["efficiency" if r == 2 else "" for r in range(2, len(rows) + 1)])
    _recurrence(books, "nonpay", {2: "non_recurrent"})
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is not None
    assert located(findings) == {("nonpay.xlsx", "nonpay", 2, "recurrence", "non_recurrent_efficiency")}
    assert findings[0].severity == "warning" and "cip.xlsx" in findings[0].expected
    results = compute_results(inputs, build_ledger(inputs))
    acute = next(u for u in results.underlying.rows if u.org == "ACUTE1")
    assert acute.one_off_costs == 0  # the saving's recurrence is its scheme's, taken once


NON_RECURRENT_EFFICIENCY = (
    "nonpay.xlsx, sheet 'nonpay', row 2, column 'recurrence': found 'non_recurrent'; expected recurrent on an efficiency row: "
    "a saving's recurrence is its scheme's in cip.xlsx, so this row is counted as recurrent (a one-off saving is not taken out twice)"
)


def test_the_warning_message_is_pinned(tmp_path: Path):
    books = tiny()
    rows = books["nonpay"]["nonpay"]
    add_column(books, "nonpay", "nonpay", "driver", ["efficiency" if r == 2 else "" for r in range(2, len(rows) + 1)])
    _recurrence(books, "nonpay", {2: "non_recurrent"})
    _, findings = validate_books(tmp_path, books)
    assert [f.message for f in findings] == [NON_RECURRENT_EFFICIENCY]
    errors = (Path(__file__).parent.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    assert NON_RECURRENT_EFFICIENCY in errors
