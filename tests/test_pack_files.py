"""The board pack's files as one set: replaced together, guarded when annotated, recorded.

A close is never recorded when its pack could not be written for a reason known in advance
(--out a file, a read-only folder, an annotated pack), and a crash mid-write leaves either
the old set or, once rolled forward, the new one.
"""

import contextlib
import json
import os
import subprocess
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from finmodel.cli import app
from finmodel.report.files import JOURNAL, finish_interrupted, replace_all
from finmodel.store import open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def example(example_ics):
    return None, example_ics  # only read: each test's database and outputs are in its tmp_path


def _close(root: Path, folder: Path, *extra: str):
    return runner.invoke(app, ["close", str(folder), "--db", str(root / "h.db"), "--out", str(root / "out"), *extra])


def _history(root: Path) -> list:
    if not (root / "h.db").is_file():
        return []
    with open_store(root / "h.db") as store:
        return store.history()


def _digests(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _annotate(pack: Path) -> None:
    book = openpyxl.load_workbook(pack)
    book["KPIs"]["A1"] = "Chair's note: ask about agency"
    book.save(pack)


def test_a_close_writes_the_pack_its_findings_and_a_record_of_both(example, tmp_path):
    _, folders = example
    done = _close(tmp_path, folders[0])
    assert done.exit_code == 0, done.output
    folder = tmp_path / "out/2023-24/M09"
    record = json.loads((folder / ".finmodel-pack.json").read_text())
    assert record["close"] == "2023/24 M09" and record["version"] == 1
    assert set(record["files"]) == {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != ".finmodel-pack.json"}
    assert (folder / "findings.csv").read_text().splitlines()[0] == "severity,workbook,sheet,row,column,kind,value,expected,message"


def test_an_annotated_pack_is_never_replaced_silently(example, tmp_path):
    _, folders = example
    assert _close(tmp_path, folders[0]).exit_code == 0
    pack = tmp_path / "out/2023-24/M09/board-pack.xlsx"
    _annotate(pack)
    before = _digests(tmp_path / "out")
    refused = _close(tmp_path, folders[0], "--reopen", "late invoices")
    assert refused.exit_code == 3 and "changed since finmodel wrote it" in refused.output and "--force" in refused.output
    assert _digests(tmp_path / "out") == before and [c.version for c in _history(tmp_path)] == [1]
    report = runner.invoke(app, ["report", "2023/24", "M09", "--db", str(tmp_path / "h.db"), "--out", str(tmp_path / "out")])
    assert report.exit_code == 3 and _digests(tmp_path / "out") == before
    forced = _close(tmp_path, folders[0], "--reopen", "late invoices", "--force")
    assert forced.exit_code == 0, forced.output
    kept = tmp_path / "out/2023-24/M09/board-pack.edited-1.xlsx"
    assert kept.read_bytes() == before["2023-24/M09/board-pack.xlsx"]
    assert json.loads((tmp_path / "out/2023-24/M09/.finmodel-pack.json").read_text())["version"] == 2


def test_out_that_is_a_file_or_read_only_records_nothing(example, tmp_path):
    _, folders = example
    (tmp_path / "out").write_text("not a folder")
    done = _close(tmp_path, folders[0])
    assert done.exit_code == 2 and "cannot write the board pack" in done.output and "nothing was recorded" in done.output
    assert _history(tmp_path) == []
    (tmp_path / "out").unlink()
    (tmp_path / "out").mkdir()
    with _read_only(tmp_path / "out"):
        done = _close(tmp_path, folders[0])
    assert done.exit_code == 2 and "cannot write the board pack" in done.output, done.output
    assert _history(tmp_path) == [] and list((tmp_path / "out").iterdir()) == []


@contextlib.contextmanager
def _read_only(folder: Path):
    """A folder nobody may write to, root included (CI runs as root, who ignores mode bits:
    there the folder is made immutable with chattr, as a read-only share behaves)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    assert shutil.which("chattr"), "chattr (e2fsprogs) is needed to make a folder read-only for root"
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_pack_that_fails_after_recording_says_so_and_report_repairs_it(example, tmp_path, monkeypatch):
    _, folders = example

    def no_space(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("finmodel.jobs.close.write_pack_set", no_space)
    done = _close(tmp_path, folders[0])
    assert done.exit_code == 6, done.output
    assert "2023/24 M09 was recorded (version 1), but its board pack could not be written: No space left on device" in done.output
    assert "finmodel report 2023/24 M09" in done.output and "Traceback" not in done.output
    monkeypatch.undo()
    repaired = runner.invoke(app, ["report", "2023/24", "M09", "--db", str(tmp_path / "h.db"), "--out", str(tmp_path / "out")])
    assert repaired.exit_code == 0 and (tmp_path / "out/2023-24/M09/board-pack.xlsx").is_file()


def test_a_kill_between_the_pack_and_its_tables_rolls_forward_to_the_new_set(tmp_path, monkeypatch):
    folder = tmp_path / "M10"
    old = {folder / "board-pack.xlsx": b"old pack", folder / "tables/kpis.csv": b"old kpis"}
    replace_all(old)
    new = {folder / "board-pack.xlsx": b"new pack", folder / "tables/kpis.csv": b"new kpis"}
    real_replace, calls = os.replace, []

    def killed_after_the_pack(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # the journal, the pack, then the tables: the process dies here
            raise SystemExit("killed")
        real_replace(src, dst)

    monkeypatch.setattr("finmodel.report.files.os.replace", killed_after_the_pack)
    with pytest.raises(SystemExit):
        replace_all(new)
    monkeypatch.undo()
    assert (folder / JOURNAL).is_file() and (folder / "board-pack.xlsx").read_bytes() == b"new pack"
    assert finish_interrupted(folder) == (folder / "tables/kpis.csv",)
    assert _digests(folder) == {"board-pack.xlsx": b"new pack", "tables/kpis.csv": b"new kpis"}


def test_a_kill_before_the_journal_leaves_the_old_set_and_its_temporaries_are_cleaned(tmp_path, monkeypatch):
    folder = tmp_path / "M10"
    replace_all({folder / "board-pack.xlsx": b"old pack", folder / "tables/kpis.csv": b"old kpis"})

    def killed(*_args):
        raise SystemExit("killed")

    monkeypatch.setattr("finmodel.report.files.os.replace", killed)
    with pytest.raises(SystemExit):
        replace_all({folder / "board-pack.xlsx": b"new pack", folder / "tables/kpis.csv": b"new kpis"})
    monkeypatch.undo()
    assert _digests(folder) == {"board-pack.xlsx": b"old pack", "tables/kpis.csv": b"old kpis"}
    (folder / ".board-pack.xlsx.left-by-a-crash.tmp").write_bytes(b"half")  # as a SIGKILL mid-write would leave
    replace_all({folder / "board-pack.xlsx": b"newer pack"})
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["board-pack.xlsx", "kpis.csv"]


def test_the_findings_csv_never_hands_a_spreadsheet_a_formula(tmp_path):
    from finmodel.findings import Finding
    from finmodel.jobs.pack_files import findings_csv

    text = findings_csv([Finding("pay.xlsx", "pay", 7, "description", "negative_amount", "=HYPERLINK(\"x\")", "+1", "warning")]).decode()
    row = text.splitlines()[1]
    assert row.startswith("warning,pay.xlsx,pay,7,description,negative_amount,\"'=HYPERLINK(\"\"x\"\")\",'+1,")


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
import finmodel.report.files as files
folder = Path(sys.argv[1])
real, calls = os.replace, []
def replace(src, dst):
    real(src, dst)
    calls.append(dst)
    if len(calls) == 2:  # the journal, then the pack: now the process is killed before its tables
        (folder.parent / "ready").write_text("x")
        time.sleep(60)
files.os.replace = replace
files.replace_all({folder / "board-pack.xlsx": b"new pack", folder / "tables" / "kpis.csv": b"new kpis"})
"""


def test_a_real_kill_between_the_pack_and_its_tables_leaves_a_set_the_next_write_completes(tmp_path):
    import signal
    import sys
    import time

    folder = tmp_path / "M10"
    replace_all({folder / "board-pack.xlsx": b"old pack", folder / "tables/kpis.csv": b"old kpis"})
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(folder)], cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    while not (tmp_path / "ready").exists():
        assert child.poll() is None and time.monotonic() < deadline, "the writer did not get as far as the pack"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert (folder / "board-pack.xlsx").read_bytes() == b"new pack" and (folder / "tables/kpis.csv").read_bytes() == b"old kpis"
    replace_all({folder / "findings.csv": b"severity"})  # any next write of the folder rolls the set forward first
    assert _digests(folder) == {"board-pack.xlsx": b"new pack", "findings.csv": b"severity", "tables/kpis.csv": b"new kpis"}


def test_a_report_into_a_new_folder_writes_no_empty_findings_file(example_demo, tmp_path):
    # The history keeps no findings: a header-only findings.csv would read as a close
    # without a warning (the example's M10 has several).
    root, _ = example_demo
    shutil.copy(root / "finmodel.db", tmp_path / "finmodel.db")
    result = CliRunner().invoke(app, ["report", "2023/24", "M10", "--db", str(tmp_path / "finmodel.db"), "--out", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "new" / "2023-24" / "M10"
    assert (folder / "board-pack.xlsx").is_file() and not (folder / "findings.csv").exists()
    assert "no findings file" in result.output
    record = json.loads((folder / ".finmodel-pack.json").read_text())
    assert "findings.csv" not in record["files"]
    assert (root / "outputs" / "2023-24" / "M10" / "findings.csv").read_text().count("\n") > 1  # the close's own has them
