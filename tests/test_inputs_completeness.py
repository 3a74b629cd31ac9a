"""Completeness (inputs.md): a forgotten file or line is never read as zero.

The cases are from the field: a provider whose pay rows were all deleted closed valid with
a surplus; income.xlsx sent with only its header; a provider's pay and agency rows deleted.
"""

from __future__ import annotations

from pathlib import Path

from finmodel.findings import Finding
from malformed import TINY_SYSTEM, add_column, insert_rows, tiny, validate_books

TWO_PROVIDERS = TINY_SYSTEM.replace(
    "  - {code: ICB, name: The ICB, type: icb}\ntargets: {ACUTE1: 0, ICB: 0}",
    "  - {code: ICB, name: The ICB, type: icb}\n  - {code: MH1, name: Mental Health One, type: community_mh}\ntargets: {ACUTE1: 0, ICB: 0, MH1: 0}",
)


def _missing(workbook: str, sheet: str, column: str, found: str, expected: str) -> Finding:
    return Finding(workbook, sheet, None, column, "missing_lines", found, expected)


def _provider_missing(what: str, org: str = "ACUTE1", org_type: str = "acute") -> Finding:
    expected = f"{what} rows for every provider, {org} ({org_type}) included (a missing line is never read as zero)"
    return _missing(f"{what}.xlsx", what, "org", f"no {what} rows for {org}", expected)


def _drop(books, workbook: str, sheet: str, org: str) -> None:  # type: ignore[no-untyped-def]
    rows = books[workbook][sheet]
    books[workbook][sheet] = [rows[0]] + [r for r in rows[1:] if r[0] != org]


def test_a_provider_whose_pay_rows_were_all_deleted_is_an_error(tmp_path: Path):
    books = tiny()
    _drop(books, "pay", "pay", "ACUTE1")
    _drop(books, "agency", "agency", "ACUTE1")  # its pay and agency rows deleted: they still reconcile
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is None
    assert findings == [_provider_missing("pay")]


def test_a_header_only_income_workbook_is_an_error_when_organisations_must_fill_it(tmp_path: Path):
    books = tiny()
    books["income"]["income"] = books["income"]["income"][:1]
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is None
    allocation = _missing(
        "income.xlsx", "income", "category", "no allocation rows for ICB",
        "an allocation for every ICB, ICB included (a missing line is never read as zero)",
    )
    assert findings == [_provider_missing("income"), allocation]


def test_every_provider_is_named_whatever_its_type(tmp_path: Path):
    inputs, findings = validate_books(tmp_path, tiny(), TWO_PROVIDERS)
    assert inputs is None
    assert findings == [_provider_missing(w, "MH1", "community_mh") for w in ("income", "pay", "nonpay")]


def test_the_icb_needs_service_lines(tmp_path: Path):
    books = tiny()
    _drop(books, "nonpay", "nonpay", "ICB")
    inputs, findings = validate_books(tmp_path, books)
    expected = "service-line rows for every ICB, ICB included (a missing line is never read as zero)"
    assert findings == [_missing("nonpay.xlsx", "nonpay", "category", "no service line rows for ICB", expected)]


def test_a_faulty_org_cell_is_one_finding_not_also_a_missing_provider(tmp_path: Path):
    books = tiny()
    for row in books["pay"]["pay"][1:]:
        row[0] = "ACUTE9"
    inputs, findings = validate_books(tmp_path, books)
    assert {f.kind for f in findings if f.workbook == "pay.xlsx"} == {"unknown_org"}


def test_a_header_only_workbook_no_organisation_must_fill_is_valid(tmp_path: Path):
    books = tiny()
    books["phc"]["budget"] = books["phc"]["budget"][:1]
    books["phc"]["packages"] = books["phc"]["packages"][:1]
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is not None and findings == []


# --- every planned line has a row for every month ------------------------------------------

MONTHS_EXPECTED = (
    "a row for every month M1..M12 of each planned line: its plan, and its actual up to M1 "
    "(write 0 where there is none; a missing month is never read as zero)"
)


def _missing_months(workbook: str, sheet: str, found: str) -> Finding:
    return Finding(workbook, sheet, None, "month", "missing_months", found, MONTHS_EXPECTED)


def _delete_month(books, workbook: str, sheet: str, month: int, **match: object) -> None:  # type: ignore[no-untyped-def]
    rows = books[workbook][sheet]
    header = rows[0]
    keep = [r for r in rows[1:] if not (r[header.index("month")] == month and all(r[header.index(k)] == v for k, v in match.items()))]
    assert len(keep) < len(rows) - 1
    books[workbook][sheet] = [header, *keep]


def test_one_months_row_deleted_from_one_line_is_an_error(tmp_path: Path):
    # The field case: M7 of ACUTE1's clinical income deleted closed valid, M7 read as zero.
    books = tiny()
    _delete_month(books, "income", "income", 7, org="ACUTE1")
    inputs, findings = validate_books(tmp_path, books)
    assert inputs is None
    assert findings == [_missing_months("income.xlsx", "income", "ACUTE1 clinical_icb: no row for M7")]


def test_a_closed_months_row_deleted_is_an_error_too(tmp_path: Path):
    books = tiny()
    _delete_month(books, "pay", "pay", 1, pay_type="substantive")
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [_missing_months("pay.xlsx", "pay", "ACUTE1 Nursing substantive: no row for M1")]


def test_the_missing_months_of_a_line_are_listed_in_runs(tmp_path: Path):
    books = tiny()
    for month in (3, 4, 5, 6, 9, 11):
        _delete_month(books, "nonpay", "nonpay", month, org="ICB")
    _, findings = validate_books(tmp_path, books)
    assert findings == [_missing_months("nonpay.xlsx", "nonpay", "ICB acute operating: no rows for M3-M6, M9, M11")]


def test_a_cip_schemes_line_names_its_organisation_and_phc_the_commissioner(tmp_path: Path):
    books = tiny()
    _delete_month(books, "cip", "delivery", 12)
    _delete_month(books, "phc", "budget", 5)
    _, findings = validate_books(tmp_path, books)
    assert findings == [
        _missing_months("cip.xlsx", "delivery", "ACUTE1 S1: no row for M12"),
        _missing_months("phc.xlsx", "budget", "ICB adult_chc: no row for M5"),
    ]


def test_a_line_is_per_cost_centre_where_the_sheet_has_one(tmp_path: Path):
    books = tiny()
    add_column(books, "pay", "pay", "cost_centre", ["W1"] * 24)
    books["pay"]["pay"].append(["ACUTE1", 4, "Nursing", "substantive", 20, None, None, "W2"])  # a second ward, planned in M4 only
    _, findings = validate_books(tmp_path, books)
    assert findings == [_missing_months("pay.xlsx", "pay", "ACUTE1 Nursing substantive (cost centre W2): no rows for M1-M3, M5-M12")]


def test_unplanned_one_off_rows_and_rows_split_by_detail_are_read_as_they_are(tmp_path: Path):
    # A one-off with no plan is booked in the month it happened; a line's month may be split
    # over several rows (by subjective or description): neither is a line missing months.
    books = tiny()
    insert_rows(books, "income", "income", [["ACUTE1", 1, "other_operating", None, 300, None]])
    insert_rows(books, "nonpay", "nonpay", [["ACUTE1", 1, "Drugs", "operating", 20, 25, None]])
    add_column(books, "nonpay", "nonpay", "description", [None, None, None, None, "second invoice"])
    inputs, findings = validate_books(tmp_path, books)
    assert findings == [] and inputs is not None
    assert int(inputs.income.query("category == 'other_operating'")["actual"].sum()) == 30_000


def test_a_faulty_month_cell_is_one_finding_not_also_a_missing_month(tmp_path: Path):
    books = tiny()
    books["income"]["income"][2][1] = "Month 2"  # row 3: ACUTE1's M2
    _, findings = validate_books(tmp_path, books)
    assert [(f.row, f.kind) for f in findings] == [(3, "bad_month")]
