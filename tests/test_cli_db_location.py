"""`finmodel close --db` at a SQLite location that cannot work is a database error (exit 5)
before a single workbook is read (#21): the same message as after the reading, nothing written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import finmodel.pipeline as pipeline
from finmodel.cli import app
from finmodel.store import StoreError, check_location
from tests.example_ics import copy_example

runner = CliRunner()


@pytest.fixture(scope="module")
def invalid_m10(example_ics, tmp_path_factory) -> Path:
    """The example's M10 with a pay row's organisation code broken: validation finds an error."""
    folders = copy_example(example_ics, tmp_path_factory.mktemp("example") / "inputs")  # a copy: edited
    folder = next(f for f in folders if f.name == "M10")
    book = openpyxl.load_workbook(folder / "pay.xlsx")
    book["pay"].cell(5, 1).value = "NOT AN ORG"
    book.save(folder / "pay.xlsx")
    return folder


def _location(tmp_path: Path, case: str) -> tuple[Path, str]:
    if case == "missing folder":
        db = tmp_path / "missing_folder" / "a.db"
        return db, f"cannot create database {db}: folder {db.parent} does not exist"
    if case == "a folder":
        (tmp_path / "closes").mkdir()
        return tmp_path / "closes", f"database {tmp_path / 'closes'} is a folder: give the path of a file"
    db = tmp_path / "history.csv"
    db.write_bytes(b"year,month\n2023/24,10\n")
    return db, f"{db} is not a SQLite database, so it cannot hold finmodel closes"


@pytest.mark.parametrize("case", ["missing folder", "a folder", "not SQLite"])
def test_a_sqlite_location_that_cannot_work_is_refused_before_validation(invalid_m10, tmp_path, monkeypatch, case):
    def validation_must_not_run(folder):
        raise AssertionError(f"validation ran on {folder} before the database was checked")

    monkeypatch.setattr(pipeline, "validate_close", validation_must_not_run)
    db, message = _location(tmp_path, case)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = runner.invoke(app, ["close", str(invalid_m10), "--db", str(db), "--out", str(tmp_path / "out")])
    assert result.exit_code == 5, result.output
    # One line, as the error said after the reading before #21 (the invalid pay row never read).
    assert " ".join(result.output.split()).startswith(f"Database error: {message}"), result.output
    assert "Traceback" not in result.output and "NOT AN ORG" not in result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written or created
    if case == "not SQLite":
        assert db.read_bytes() == b"year,month\n2023/24,10\n"


def test_a_sqlite_url_is_checked_as_its_path_and_a_usable_one_is_left_untouched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="cannot create database nowhere/a.db: folder nowhere does not exist"):
        check_location("sqlite:///nowhere/a.db")
    with pytest.raises(StoreError, match="finmodel stores closes in SQLite"):
        check_location("mysql://host/closes")  # connect would refuse it too: no driver is tried
    check_location("finmodel.db")
    check_location(tmp_path / "finmodel.db")
    assert list(tmp_path.iterdir()) == []  # a check creates nothing


def test_a_postgresql_url_is_not_connected_to_before_validation(invalid_m10, tmp_path):
    # Port 1 on this machine answers nobody: connecting would be a database error (exit 5).
    # The close is invalid, so it stops at the findings (exit 1) without trying.
    url = "postgresql://finmodel@127.0.0.1:1/closes"
    check_location(url)
    result = runner.invoke(app, ["close", str(invalid_m10), "--db", url, "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "Database error" not in result.output and "NOT AN ORG" in result.output
