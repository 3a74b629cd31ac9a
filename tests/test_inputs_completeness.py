"""Completeness (inputs.md): a forgotten file or line is never read as zero.

The cases are from the field: a provider whose pay rows were all deleted closed valid with
a surplus; income.xlsx sent with only its header; a provider's pay and agency rows deleted.
"""

from __future__ import annotations

from pathlib import Path

from finmodel.findings import Finding
from malformed import TINY_SYSTEM, tiny, validate_books

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
