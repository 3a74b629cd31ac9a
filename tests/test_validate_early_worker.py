"""A worker sent the close folder at once (``worker_start.start_spare_worker(folder)``) starts
reading before the close's process has imported the model: the close is the same, and a
worker that made its context from something else is not believed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from finmodel import worker_start
from finmodel.validate import parallel, validate_close
from tests.example_ics import copy_example
from tests.malformed import TINY_SYSTEM, write_close
from tests.test_validate_parallel import _same_inputs


@pytest.fixture
def spare():  # type: ignore[no-untyped-def]
    yield
    worker_start.stop_spare_worker()


def _read_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The workbooks this process reads itself, as it reads them."""
    here: list[str] = []
    real = parallel.read_one

    def read_one(path, ctx):  # type: ignore[no-untyped-def]
        here.append(path.name)
        return real(path, ctx)

    monkeypatch.setattr(parallel, "read_one", read_one)
    return here


def _claimed(claims: str, timeout: float = 60) -> set[str]:
    """Wait until the worker has claimed a workbook (it has made its context by then)."""
    deadline = time.monotonic() + timeout
    while not os.listdir(claims) and time.monotonic() < deadline:
        time.sleep(0.01)
    return set(os.listdir(claims))


def test_a_worker_sent_the_folder_reads_from_the_start_and_the_close_is_the_same(tmp_path: Path, spare: None, monkeypatch: pytest.MonkeyPatch, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    expected = validate_close(folder, workers=1)
    worker_start.start_spare_worker(folder)
    started = worker_start.spare_worker()
    assert started is not None and started.folder == os.path.abspath(folder)
    first = _claimed(started.claims)  # type: ignore[arg-type]
    largest = max(folder.glob("*.xlsx"), key=lambda p: p.stat().st_size).name
    assert largest in first  # it went for the largest, before this process got to reading
    here = _read_here(monkeypatch)
    got = validate_close(folder, workers=2)
    assert largest not in here and len(here) < len(list(folder.glob("*.xlsx")))
    assert worker_start.spare_worker() is None  # taken
    assert not os.path.exists(started.claims)  # type: ignore[arg-type]
    _same_inputs(expected[0], got[0])
    assert expected[1] == got[1]


def test_a_worker_whose_system_yaml_changed_since_is_not_believed(tmp_path: Path, spare: None, monkeypatch: pytest.MonkeyPatch):
    folder = write_close(tmp_path)
    worker_start.start_spare_worker(folder)
    started = worker_start.spare_worker()
    assert started is not None
    _claimed(started.claims)  # type: ignore[arg-type]
    # The organisation is renamed after the worker read system.yaml: its context is stale.
    (folder.parent / "system.yaml").write_text(TINY_SYSTEM.replace("ACUTE1, name: Acute One", "ACUTE1, name: Acute Uno"), encoding="utf-8")
    here = _read_here(monkeypatch)
    got = validate_close(folder, workers=2)
    read_here = list(here)
    expected = validate_close(folder, workers=1)
    assert sorted(read_here) == sorted(p.name for p in folder.glob("*.xlsx"))  # every workbook read again here
    _same_inputs(expected[0], got[0])
    assert expected[1] == got[1]
    assert got[0] is not None and got[0].system.organisations[0].name == "Acute Uno"


def test_a_worker_reading_another_folder_is_stopped_and_not_used(tmp_path: Path, spare: None, monkeypatch: pytest.MonkeyPatch):
    other = write_close(tmp_path / "other")
    folder = write_close(tmp_path / "this")
    worker_start.start_spare_worker(other)
    started = worker_start.spare_worker()
    assert started is not None
    expected = validate_close(folder, workers=1)
    got = validate_close(folder, workers=2)
    assert started.process.poll() is not None  # stopped
    _same_inputs(expected[0], got[0])
    assert expected[1] == got[1]


def test_a_worker_sent_a_folder_that_does_not_exist_waits_to_be_told(tmp_path: Path, spare: None):
    worker_start.start_spare_worker(tmp_path / "no such folder")
    started = worker_start.spare_worker()
    assert started is not None and started.folder is None and started.claims is None


def _sized(folder: Path, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        (folder / name).write_bytes(b"x" * size)  # only the sizes matter to the order


def test_the_worker_goes_for_the_largest_unless_it_outweighs_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from finmodel.validate import worker

    folder = write_close(tmp_path, books={})
    monkeypatch.setattr(worker, "LEAVE_LARGEST_FROM_BYTES", 1000)
    _sized(folder, {"pay.xlsx": 1400, "nonpay.xlsx": 900, "income.xlsx": 600})  # 1400 < 900 + 600
    assert [p.name for p in worker.from_folder(folder)[2]] == ["pay.xlsx", "nonpay.xlsx", "income.xlsx"]
    _sized(folder, {"pay.xlsx": 1600})  # more than the rest together, and over the threshold: left for last
    assert [p.name for p in worker.from_folder(folder)[2]] == ["nonpay.xlsx", "income.xlsx", "pay.xlsx"]
    monkeypatch.setattr(worker, "LEAVE_LARGEST_FROM_BYTES", 2000)  # under the threshold: it crosses cheaply
    assert [p.name for p in worker.from_folder(folder)[2]] == ["pay.xlsx", "nonpay.xlsx", "income.xlsx"]


def test_a_workbook_the_worker_leaves_is_read_here_first(tmp_path: Path, spare: None, monkeypatch: pytest.MonkeyPatch, example_ics: tuple[Path, ...]):
    # The worker leaves a workbook that outweighs the rest (and 8 MB) to this process: this
    # process must then take it first, not only what the worker has not reached.
    import zipfile

    from finmodel.validate.worker import LEAVE_LARGEST_FROM_BYTES

    folder = copy_example(example_ics, tmp_path)[-1]
    sizes = {p.name: p.stat().st_size for p in folder.glob("*.xlsx")}
    largest = max(sizes, key=sizes.__getitem__)
    padding = max(LEAVE_LARGEST_FROM_BYTES, sum(sizes.values())) + 4096
    with zipfile.ZipFile(folder / largest, "a", zipfile.ZIP_STORED) as book:  # a part the reader ignores
        book.writestr("docProps/padding.bin", os.urandom(padding))
    expected = validate_close(folder, workers=1)
    assert expected[0] is not None
    worker_start.start_spare_worker(folder)
    here = _read_here(monkeypatch)
    got = validate_close(folder, workers=2)
    assert here[:1] == [largest]
    _same_inputs(expected[0], got[0])
    assert expected[1] == got[1]


def test_one_process_asked_for_stops_a_worker_already_reading(tmp_path: Path, spare: None, monkeypatch: pytest.MonkeyPatch, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    expected = validate_close(folder, workers=1)
    worker_start.start_spare_worker(folder)
    started = worker_start.spare_worker()
    assert started is not None
    _claimed(started.claims)  # type: ignore[arg-type]  # it is reading
    here = _read_here(monkeypatch)
    got = validate_close(folder, workers=1)
    assert started.process.poll() is not None  # stopped, not left reading beside this process
    assert worker_start.spare_worker() is None and not os.path.exists(started.claims)  # type: ignore[arg-type]
    assert sorted(here) == sorted(p.name for p in folder.glob("*.xlsx"))  # every workbook read here
    _same_inputs(got[0], expected[0])
    assert got[1] == expected[1]
