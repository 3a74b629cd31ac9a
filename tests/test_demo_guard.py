"""The demo can be run again and again, and never destroys an analyst's work.

The README sends a new analyst to work in the demo's folder (history, reopen, scenario,
templates). Running the demo there again used to delete finmodel.db whenever it held only
the example system's closes, reopenings, later months and scenario runs included, and
rewrote the example workbooks over any edit. Now it starts afresh only over what a demo
itself wrote, and otherwise refuses (exit 3) and leaves every file as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmodel.cli import app
from finmodel.jobs import record_close, run_demo
from finmodel.jobs.demo import DEMO_CLOSE_TIMES
from finmodel.store import open_store
from tests.example_ics import digests


@pytest.fixture()
def demo_copy(example_demo: tuple[Path, object], tmp_path: Path) -> Path:
    root, _ = example_demo
    shutil.copytree(root, tmp_path / "demo")
    return tmp_path / "demo"


def _refused(root: Path) -> str:
    before = digests(root)
    done = run_demo(root)
    assert done.refused and not done.closes
    assert digests(root) == before  # nothing written, nothing deleted
    return done.refused


def test_a_demo_folder_is_started_afresh_with_the_same_bytes(demo_copy: Path) -> None:
    before = digests(demo_copy)
    done = run_demo(demo_copy)
    assert not done.refused and len(done.closes) == 2
    after = digests(demo_copy)
    # the same inputs and packs, byte for byte; the history holds the demo's two closes again
    assert {k: v for k, v in after.items() if not k.startswith("finmodel.db")} == {k: v for k, v in before.items() if not k.startswith("finmodel.db")}
    with open_store(demo_copy / "finmodel.db") as store:
        assert [(c.month, c.version, c.made_at) for c in store.history()] == [(m, 1, t) for m, t in sorted(DEMO_CLOSE_TIMES.items())]
    assert not list(demo_copy.glob(".finmodel-demo-*"))  # its scratch folder gone


def test_a_reopened_close_is_kept(demo_copy: Path) -> None:
    m10 = demo_copy / "inputs" / "2023-24" / "M10"
    done = record_close(m10, demo_copy / "finmodel.db", demo_copy / "outputs", reopen="late PHC invoices", force=True)
    assert done.stored is not None and done.stored.version == 2
    message = _refused(demo_copy)
    assert "2023/24 M10 reopened (version 2)" in message and "--out DEMO_FOLDER" in message


def test_a_later_close_and_scenario_runs_are_kept(demo_copy: Path) -> None:
    runner = CliRunner()
    scenario = Path(__file__).resolve().parent.parent / "scenarios" / "example-recovery.yaml"
    result = runner.invoke(app, ["scenario", str(scenario), "--db", str(demo_copy / "finmodel.db"), "--out", str(demo_copy / "outputs")])
    assert result.exit_code == 0, result.output
    message = _refused(demo_copy)
    assert "scenario run" in message


def test_a_close_made_at_another_time_is_kept(demo_copy: Path) -> None:
    # The analyst closed M10 again into a fresh history of their own in the demo's folder.
    (demo_copy / "finmodel.db").unlink()
    record_close(demo_copy / "inputs" / "2023-24" / "M10", demo_copy / "finmodel.db", demo_copy / "outputs", force=True)
    assert "2023/24 M10 closed on" in _refused(demo_copy)


def test_an_edited_example_workbook_is_not_overwritten(demo_copy: Path) -> None:
    pay = demo_copy / "inputs" / "2023-24" / "M10" / "pay.xlsx"
    pay.write_bytes(pay.read_bytes() + b"\0")  # any change to the bytes
    message = _refused(demo_copy)
    assert str(pay) in message and "changed since the demo wrote it" in message
    assert not list(demo_copy.glob(".finmodel-demo-*"))


def test_the_command_says_why_and_exits_3(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (demo_copy / "inputs" / "2023-24" / "system.yaml").write_text("edited\n", encoding="utf-8")
    monkeypatch.chdir(demo_copy)
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 3
    assert "system.yaml" in result.output and "changed since the demo wrote it" in result.output
