"""A close the history refuses writes nothing: no database file, no output folder.

Validation failing already wrote nothing; a refusal came later, after the pack's folder was
made (and, for a reopening of a month never closed, after the database file was created),
so a refused close left an empty outputs/2023-24/M10 or a new finmodel.db behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from finmodel.cli import app
from tests.example_ics import digests


def _close(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["close", *args])
    return result.exit_code, result.output


def test_reopening_a_month_never_closed_creates_no_database(example_ics: tuple[Path, ...], tmp_path: Path) -> None:
    db, out = tmp_path / "finmodel.db", tmp_path / "outputs"
    code, output = _close(str(example_ics[-1]), "--db", str(db), "--out", str(out), "--reopen", "late PHC invoices")
    assert code == 3, output
    assert "nothing to reopen" in output
    assert not db.exists() and not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_closing_a_closed_month_makes_no_output_folder(example_demo: tuple[Path, object], tmp_path: Path) -> None:
    root, _ = example_demo
    shutil.copytree(root, tmp_path / "demo")
    db = tmp_path / "demo" / "finmodel.db"
    before = digests(tmp_path / "demo")
    code, output = _close(str(tmp_path / "demo" / "inputs" / "2023-24" / "M10"), "--db", str(db), "--out", str(tmp_path / "elsewhere"))
    assert code == 3, output
    assert "already closed" in output
    assert not (tmp_path / "elsewhere").exists()
    assert digests(tmp_path / "demo") == before


def test_a_reopening_is_still_recorded(example_demo: tuple[Path, object], tmp_path: Path) -> None:
    root, _ = example_demo
    shutil.copytree(root, tmp_path / "demo")
    db = tmp_path / "demo" / "finmodel.db"
    code, output = _close(str(tmp_path / "demo" / "inputs" / "2023-24" / "M10"), "--db", str(db), "--out", str(tmp_path / "out"), "--reopen", "late PHC invoices")
    assert code == 0, output
    assert (tmp_path / "out" / "2023-24" / "M10" / "board-pack.xlsx").is_file()


def test_a_blank_reopen_reason_is_a_usage_error_before_any_reading(example_ics: tuple[Path, ...], tmp_path: Path) -> None:
    code, output = _close(str(example_ics[-1]), "--db", str(tmp_path / "finmodel.db"), "--out", str(tmp_path / "out"), "--reopen", "  ")
    assert code == 2, output
    assert "--reopen needs the reason" in output
    assert list(tmp_path.iterdir()) == []
