"""A sheet's own checks run where it was read (``prechecks``): the findings are the same as
running every check once all the workbooks are in, and a check that needs another sheet
is left until then."""

from __future__ import annotations

from pathlib import Path

import pytest

from finmodel.validate import parallel, prechecks, validate_close
from finmodel.validate.context import Context
from finmodel.validate.registry import SHEETS
from finmodel.validate.workbook import read_one
from tests.malformed import TINY_SYSTEM, insert_rows, set_cell, tiny, write_close
from finmodel.calendar import Period
from finmodel.system_config import parse_system


def _faulty_close(tmp_path: Path) -> Path:
    books = tiny()
    # own-sheet faults: a row pasted twice (pay), a credit (nonpay, a warning)
    insert_rows(books, "pay", "pay", [["ACUTE1", 1, "Nursing", "substantive", 600, 620, None]])
    set_cell(books, "nonpay", "nonpay", 2, "actual", -210)
    # a cross-sheet fault: a delivery row naming a scheme the schemes sheet lacks
    set_cell(books, "cip", "delivery", 2, "scheme_id", "S9")
    # agency no longer agrees with pay's agency rows (another sheet): an error on agency,
    # so agency's completeness must not count although its own checks found nothing
    set_cell(books, "agency", "agency", 2, "actual", 90)
    agency = books["agency"]["agency"]
    del agency[[r[1] for r in agency].index(7)]  # and M7 of its line is gone
    # a sheet free of errors missing a month: its completeness counts
    income = books["income"]["income"]
    del income[next(i for i, r in enumerate(income) if r[0] == "ACUTE1" and r[1] == 7)]
    return write_close(tmp_path, books)


def _checks_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "precheck", lambda read, ctx: None)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_findings_are_those_of_running_every_check_at_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int):
    folder = _faulty_close(tmp_path)
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)  # a worker for any close when workers=2
    early = validate_close(folder, workers=workers)
    with monkeypatch.context() as patch:
        _checks_at_the_end(patch)
        late = validate_close(folder, workers=1)
    assert early[0] is None and late[0] is None
    assert early[1] == late[1]
    kinds = {(f.workbook, f.kind) for f in early[1]}
    assert {
        ("pay.xlsx", "duplicate_row"), ("nonpay.xlsx", "negative_amount"), ("cip.xlsx", "unknown_scheme"),
        ("agency.xlsx", "agency_not_reconciled"), ("income.xlsx", "missing_months"),
    } <= kinds, kinds
    # agency has an error (from a check across sheets): its missing month is not reported
    assert ("agency.xlsx", "missing_months") not in kinds


def _context() -> Context:
    system, _ = parse_system(TINY_SYSTEM)
    period = Period.parse("2023-24", "M01")
    return Context(system, period, period.year)


def test_a_check_that_needs_another_sheet_is_left_for_the_end(tmp_path: Path):
    folder = write_close(tmp_path)
    read = read_one(folder / "cip.xlsx", _context())
    prechecks.precheck(read, _context())
    rules = next(r for r in SHEETS if (r.workbook, r.sheet) == ("cip.xlsx", "delivery"))
    done = read.checked[("cip.xlsx", "delivery")]
    names = [c.__name__ for c in rules.checks]
    ran = {names[position] for stage, position in done if stage == prechecks.CHECKS}
    assert "known_schemes" in names and "known_schemes" not in ran  # it reads the schemes sheet
    assert ran == set(names) - {"known_schemes"}  # the rest need only their sheet
    assert {stage for stage, _ in done} == {prechecks.CHECKS, prechecks.COMPLETENESS}  # no error: completeness too


def test_completeness_is_not_run_where_the_sheet_already_has_an_error(tmp_path: Path):
    books = tiny()
    set_cell(books, "pay", "pay", 2, "plan", "lots")  # an error found while reading
    folder = write_close(tmp_path, books)
    read = read_one(folder / "pay.xlsx", _context())
    prechecks.precheck(read, _context())
    done = read.checked[("pay.xlsx", "pay")]
    assert done and {stage for stage, _ in done} == {prechecks.CHECKS}


def test_the_other_sheets_cannot_be_looked_at_while_reading():
    tables = prechecks.TablesNotRead()
    for look in (lambda: tables.get(("pay.xlsx", "pay")), lambda: tables[("pay.xlsx", "pay")], lambda: ("x", "y") in tables, lambda: len(tables)):
        with pytest.raises(prechecks.OtherSheetsNotRead):
            look()
