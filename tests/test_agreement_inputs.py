"""The counterparty column through real workbooks: read, validated with located findings,
carried into the ledger, and the agreement of balances' warnings with their messages pinned."""

from __future__ import annotations

from pathlib import Path

from finmodel.pipeline import close
from tests.malformed import TINY_SYSTEM, add_column, tiny, validate_books, write_close

# The tiny close (M1): ACUTE1's clinical_icb income and the ICB's acute spend, 12 rows each.
LOW_MATERIALITY = TINY_SYSTEM + "parameters: {agreement_materiality: 1_000}\n"


def _tagged(books, workbook: str, tag) -> None:  # type: ignore[no-untyped-def]
    """A counterparty column on the workbook's sheet: ``tag(row)`` for each data row."""
    rows = books[workbook][workbook]
    add_column(books, workbook, workbook, "counterparty", [tag(dict(zip(rows[0], r))) for r in rows[1:]])


def test_self_and_near_miss_counterparties_are_located(tmp_path: Path) -> None:
    books = tiny()
    _tagged(books, "income", lambda r: r["org"] if r["org"] == "ACUTE1" and r["month"] == 1 else None)
    _tagged(books, "nonpay", lambda r: "ACUTE2" if r["org"] == "ICB" and r["month"] == 1 else "NHS Supply Chain")
    inputs, findings = validate_books(tmp_path, books)
    kinds = {(f.workbook, f.row, f.kind, f.severity) for f in findings if f.kind.startswith("counterparty")}
    # ACUTE1's own code on its row 2; 'ACUTE2' is one letter from ACUTE1 (the tiny system has
    # no ACUTE2): a warning, read as outside. Free text with spaces is a body outside: nothing.
    assert kinds == {("income.xlsx", 2, "counterparty_is_self", "error"), ("nonpay.xlsx", 4, "counterparty_near_code", "warning")}
    messages = {f.kind: f.message for f in findings if f.kind.startswith("counterparty")}
    assert messages == {
        "counterparty_is_self": "income.xlsx, sheet 'income', row 2, column 'counterparty': found 'ACUTE1'; expected the other side of the flow: "
        "another organisation's code, or a body outside (leave it blank if there is none)",
        "counterparty_near_code": "nonpay.xlsx, sheet 'nonpay', row 4, column 'counterparty': found 'ACUTE2'; expected an organisation code of "
        "system.yaml exactly (did you mean 'ACUTE1'?); read as a body outside the system",
    }
    assert inputs is None  # the self-tag is an error: nothing is computed


def test_a_lower_case_org_code_is_a_near_miss_and_a_real_code_is_not(tmp_path: Path) -> None:
    books = tiny()
    _tagged(books, "nonpay", lambda r: ("icb" if r["month"] == 1 else "ICB") if r["org"] == "ACUTE1" else None)
    inputs, findings = validate_books(tmp_path, books)
    near = [f for f in findings if f.kind == "counterparty_near_code"]
    assert [(f.row, f.value) for f in near] == [(2, "icb")]
    assert "did you mean 'ICB'?" in near[0].expected
    assert inputs is not None and set(inputs.nonpay["counterparty"]) == {"", "icb", "ICB"}


def test_the_agreement_warnings_name_each_side(tmp_path: Path) -> None:
    books = tiny()
    _tagged(books, "income", lambda r: "ICB" if r["org"] == "ACUTE1" else None)
    _tagged(books, "nonpay", lambda r: "ACUTE1" if r["org"] == "ICB" and r["category"] == "acute" else None)
    _tagged(books, "pay", lambda r: "ICB" if r["pay_type"] == "agency" else None)
    outcome = close(write_close(tmp_path, books, LOW_MATERIALITY))
    assert outcome.ok
    ledger = outcome.ledger
    assert set(ledger["counterparty"].astype(str)) == {"", "ICB", "ACUTE1"}
    found = [f.message for f in outcome.findings if f.kind in ("agreement_mismatch", "counterparty_one_sided")]
    assert found == FOUND


# By hand (tiny close, M1). ACUTE1 -> ICB (agency pay tagged ICB, the ICB tags nothing back):
# YTD 70, FOT 70 + 60 (M2) + 10 x 50 = 630. ICB -> ACUTE1: the ICB's acute spend YTD 3,000,
# FOT 12 x 3,000 = 36,000; ACUTE1's clinical income YTD 1,000, FOT 1,000 + 1,100 + 10 x 1,000
# = 12,100: differences (income - expenditure) -2,000 and -23,900, above £1,000. Pairs in
# (payer, payee) order; a mismatch gives one warning per side, the payer's first.
FOUND = [
    "pay.xlsx, sheet 'pay', column 'counterparty': found \"ACUTE1's rows tagged ICB: YTD £70.00, FOT £630.00 (pay: agency)\"; "
    "expected ICB's income rows tagged ACUTE1, the other side of this flow (none found): until both sides tag it, the flow is not "
    "eliminated from gross ICS income and expenditure",
    "nonpay.xlsx, sheet 'nonpay', column 'counterparty': found \"ICB's rows tagged ACUTE1: YTD £3,000.00, FOT £36,000.00 (nonpay: acute)\"; "
    "expected agreement with ACUTE1's rows tagged ICB: YTD £1,000.00, FOT £12,100.00 (income: clinical_icb): difference YTD -£2,000.00, "
    "FOT -£23,900.00 (income - expenditure), more than the materiality of £1,000",
    "income.xlsx, sheet 'income', column 'counterparty': found \"ACUTE1's rows tagged ICB: YTD £1,000.00, FOT £12,100.00 (income: clinical_icb)\"; "
    "expected agreement with ICB's rows tagged ACUTE1: YTD £3,000.00, FOT £36,000.00 (nonpay: acute): difference YTD -£2,000.00, "
    "FOT -£23,900.00 (income - expenditure), more than the materiality of £1,000",
]
