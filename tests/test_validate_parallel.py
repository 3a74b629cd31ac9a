"""Workbooks read in a worker process: the same inputs and findings as reading them all here.

A close only goes to two processes at scale (``PARALLEL_FROM_BYTES``); these tests lower the
threshold to 0 so small real workbooks take the worker's path, including its failures.
"""

from __future__ import annotations

import dataclasses
import decimal
import io
import datetime as dt
import os
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finmodel.contract import WORKBOOKS
from finmodel.findings import Finding
from finmodel.validate import validate_close
from finmodel.validate import parallel, wire
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.table import Table
from finmodel import worker_start
from tests.example_ics import copy_example
from tests.malformed import set_cell, tiny, write_close


@pytest.fixture
def racing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker for any close, both processes taking workbooks as they come."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(parallel, "SPARE_FROM_BYTES", 0)


@pytest.fixture
def always_parallel(racing: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``racing``, but this process leaves every workbook after the first to the worker
    (waiting up to 60 s in all for it to start and claim them), so the worker's path is always taken:
    small workbooks would otherwise all be read here before the worker has started."""
    real_claim = parallel.claim
    deadlines: dict[str, float] = {}  # per read: from its first claim

    def claim(folder: str, name: str) -> bool:
        first = folder not in deadlines
        deadline = deadlines.setdefault(folder, time.monotonic() + 60)
        while not first and not os.path.exists(os.path.join(folder, name)) and time.monotonic() < deadline:
            time.sleep(0.005)
        return real_claim(folder, name)

    monkeypatch.setattr(parallel, "claim", claim)


def _same_inputs(a, b) -> None:  # type: ignore[no-untyped-def]
    assert (a is None) == (b is None)
    if a is None:
        return
    for field in dataclasses.fields(a):
        if not field.compare:  # text_codes: a cache of what the frames hold
            continue
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
        else:
            assert x == y, field.name


def test_the_plan_orders_the_workbooks_largest_first_and_shares_them_when_worth_it():
    sizes = {Path("risks.xlsx"): 1, Path("nonpay.xlsx"): 9, Path("pay.xlsx"): 25, Path("agency.xlsx"): 7}
    assert parallel.plan(sizes, workers=2, from_bytes=10) == (
        [Path("pay.xlsx"), Path("nonpay.xlsx"), Path("agency.xlsx"), Path("risks.xlsx")], True,
    )
    # one core, or too little beside the largest for a worker to pay its start-up: all here
    assert parallel.plan(sizes, workers=1, from_bytes=10)[1] is False
    assert parallel.plan(sizes, workers=2, from_bytes=18)[1] is False
    assert parallel.plan({Path("pay.xlsx"): 25}, workers=2, from_bytes=0) == ([Path("pay.xlsx")], False)


def test_a_claim_is_taken_once(tmp_path: Path):
    assert wire.claim(str(tmp_path), "pay.xlsx") is True
    assert wire.claim(str(tmp_path), "pay.xlsx") is False  # the other process has it
    assert wire.claim(str(tmp_path), "nonpay.xlsx") is True
    assert wire.claim(str(tmp_path / "gone"), "income.xlsx") is False  # the parent finished: nothing to claim


def test_the_example_close_is_the_same_read_in_two_processes(tmp_path: Path, always_parallel: None, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    sequential, seq_findings = validate_close(folder, workers=1)
    two, two_findings = validate_close(folder, workers=2)
    assert sequential is not None and len(sequential.pay) > 1000
    _same_inputs(sequential, two)
    assert seq_findings == two_findings


def test_the_worker_reads_what_it_claims_and_each_workbook_is_read_once(tmp_path: Path, always_parallel: None, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    paths = [folder / w.filename for w in WORKBOOKS]
    reads = parallel.read_workbooks(paths, Context(None, None, None), workers=2)
    largest = max(paths, key=lambda p: p.stat().st_size)
    here = {r.filename for r in reads if r.pid == os.getpid()}
    assert here == {largest.name}  # this process took the first workbook of the list, the worker the rest
    assert [r.filename for r in reads] == [p.name for p in paths]
    assert all(r.file is not None and r.tables for r in reads)


def test_racing_for_the_workbooks_changes_nothing(tmp_path: Path, racing: None, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    sequential, seq_findings = validate_close(folder, workers=1)
    for _ in range(2):  # whichever process gets which workbook
        two, two_findings = validate_close(folder, workers=2)
        _same_inputs(sequential, two)
        assert seq_findings == two_findings


def test_the_worker_builds_the_frames_of_what_it_read(tmp_path: Path, always_parallel: None, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    sequential, _ = validate_close(folder, workers=1)
    assert sequential is not None
    ctx = Context(sequential.system, sequential.period, sequential.period.year)
    reads, prebuilt = parallel.read_close([folder / w.filename for w in WORKBOOKS], ctx, workers=2)
    there = {r.filename for r in reads if r.pid != os.getpid()}
    assert there and prebuilt.frames
    for name, frame in prebuilt.frames.items():
        pd.testing.assert_frame_equal(frame, getattr(sequential, name), check_exact=True)
    for (name, column), known in prebuilt.codes.items():  # the codes say what the column says
        values = prebuilt.frames[name][column]
        assert known.array is values.array and known.uniques.tolist() == sorted(set(values))
        assert (known.uniques[known.codes] == values.to_numpy(dtype=object)).all()


def test_faults_in_several_workbooks_are_found_alike_in_two_processes(tmp_path: Path, always_parallel: None):
    books = tiny()
    set_cell(books, "pay", "pay", 2, "plan", "lots")
    set_cell(books, "pay", "pay", 3, "org", "NOPE")
    set_cell(books, "income", "income", 2, "month", 13)
    set_cell(books, "nonpay", "nonpay", 2, "actual", "(1,234.50)")  # read, with a warning
    folder = write_close(tmp_path, books)
    (folder / "capital.xlsx").write_bytes(b"not a zip at all")
    sequential = validate_close(folder, workers=1)
    two = validate_close(folder, workers=2)
    assert sequential[0] is None and two[0] is None
    kinds = {(f.workbook, f.kind) for f in two[1]}
    assert {("pay.xlsx", "not_a_number"), ("pay.xlsx", "unknown_org"), ("income.xlsx", "bad_month"),
            ("nonpay.xlsx", "text_read_as_number"), ("capital.xlsx", "not_a_workbook")} <= kinds, kinds
    assert sequential[1] == two[1]


# A worker that takes every workbook it can and dies before answering for any of them.
_CLAIMS_ALL_AND_DIES = (
    "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); from finmodel.validate.wire import claim; "
    "import os; request = pickle.load(sys.stdin.buffer); [claim(request.claims, os.path.basename(p)) for p in request.paths]; sys.exit(3)"
)


@pytest.mark.parametrize("broken", ["no such interpreter", "a worker that dies at once", "a worker that claims all and dies"])
def test_a_worker_that_cannot_start_or_dies_changes_nothing(tmp_path: Path, racing: None, monkeypatch: pytest.MonkeyPatch, broken: str, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    expected = validate_close(folder, workers=1)
    if broken == "no such interpreter":
        monkeypatch.setattr(worker_start.sys, "executable", str(tmp_path / "no-python-here"))
    elif broken == "a worker that dies at once":
        monkeypatch.setattr(worker_start, "BOOT", "import sys; sys.exit(3)")
    else:
        monkeypatch.setattr(worker_start, "BOOT", _CLAIMS_ALL_AND_DIES)
    got = validate_close(folder, workers=2)
    _same_inputs(expected[0], got[0])
    assert expected[1] == got[1]


def test_a_spare_worker_started_elsewhere_reads_a_relative_folder_as_a_new_one_would(tmp_path: Path, always_parallel: None, monkeypatch: pytest.MonkeyPatch, example_ics: tuple[Path, ...]):
    # The close command starts the worker before it imports the model; the reading takes it.
    # It was started in another working directory: the folder given relative to this one
    # must still be read, and the same.
    folder = copy_example(example_ics, tmp_path / "ics")[-1]
    expected = validate_close(folder, workers=1)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    try:
        worker_start.start_spare_worker()
        assert worker_start.spare_ready()
        monkeypatch.chdir(tmp_path)
        got = validate_close(folder.relative_to(tmp_path), workers=2)
        assert not worker_start.spare_ready()  # taken
    finally:
        worker_start.stop_spare_worker()
    _same_inputs(expected[0], got[0])
    assert expected[1] == got[1]


def test_a_spare_worker_that_died_is_not_waited_for(tmp_path: Path, racing: None, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    expected = validate_close(folder, workers=1)
    try:
        worker_start.start_spare_worker()
        worker_start._spare[0].process.kill()
        worker_start._spare[0].process.wait()
        assert not worker_start.spare_ready()
        got = validate_close(folder, workers=2)  # a new worker, or this process alone
    finally:
        worker_start.stop_spare_worker()
    _same_inputs(expected[0], got[0])
    assert expected[1] == got[1]


def test_merged_logs_keep_the_cap_and_the_count():
    here, there = FindingLog(cap=3), FindingLog(cap=3)
    for row in range(2, 4):
        here.add(Finding("pay.xlsx", "pay", row, "plan", "not_a_number", "x", "a number"))
    for row in range(10, 15):
        there.add(Finding("pay.xlsx", "pay", row, "plan", "not_a_number", "x", "a number"))
    there.add(Finding("income.xlsx", "income", 2, "month", "bad_month", "13", "a month", "warning"))
    here.merge(there)
    findings = here.findings()
    rows = [f.row for f in findings if f.kind == "not_a_number"]
    assert rows == [2, 3, 10, None]  # three listed, then the summary
    summary = [f for f in findings if f.row is None][0]
    assert summary.value == "4 more like these"  # 7 found, 3 listed
    assert here.has_errors and [f.severity for f in findings if f.kind == "bad_month"] == ["warning"]


_CELLS = st.one_of(
    st.text(max_size=6), st.sampled_from(["", "1", "TRUE", "ACUTE1"]), st.booleans(), st.floats(allow_nan=False),
    st.integers(-3, 3), st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2025, 1, 1)), st.decimals(allow_nan=False, places=2),
)


@given(st.lists(_CELLS, max_size=30), st.lists(st.text(max_size=4), max_size=30))
def test_a_table_crosses_between_processes_unchanged(mixed: list[object], texts: list[str]):
    n = min(len(mixed), len(texts))
    column = np.empty(n, dtype=object)
    column[:] = mixed[:n]
    text = np.array(texts[:n], dtype=object)
    values = {"mixed": column, "text": text, "pence": np.arange(n, dtype="int64")}
    masks = {k: np.zeros(n, dtype=bool) for k in values}
    table = Table("pay.xlsx", "pay", np.arange(2, n + 2), dict(values), masks, dict(masks), tuple(values))
    read = parallel.WorkbookRead("pay.xlsx", {("pay.xlsx", "pay"): table}, FindingLog(), None, 0)
    back = parallel.unpack(pickle.loads(pickle.dumps(parallel.pack(read))))
    for name, original in values.items():
        got = back.tables[("pay.xlsx", "pay")].values[name]
        assert got.dtype == original.dtype
        # exact: the same types as well as equal values (True is not 1.0, Decimal is not float)
        assert [(type(v), v) for v in got.tolist()] == [(type(v), v) for v in original.tolist()]


def test_the_worker_is_stopped_when_reading_here_fails(tmp_path: Path, always_parallel: None, monkeypatch: pytest.MonkeyPatch, example_ics: tuple[Path, ...]):
    folder = copy_example(example_ics, tmp_path)[-1]
    paths = [folder / w.filename for w in WORKBOOKS]
    started: list[parallel._Worker] = []
    real_start = parallel._Worker.start

    def start(*args):  # type: ignore[no-untyped-def]
        worker = real_start(*args)
        started.append(worker)
        return worker

    def interrupted(path: Path, ctx: Context):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel._Worker, "start", start)
    monkeypatch.setattr(parallel, "read_one", interrupted)
    with pytest.raises(KeyboardInterrupt):
        parallel.read_workbooks(paths, Context(None, None, None), workers=2)
    assert len(started) == 1 and started[0].process.poll() is not None  # ended, not left running


def test_the_worker_never_imports_from_the_working_directory(tmp_path: Path, always_parallel: None, monkeypatch: pytest.MonkeyPatch, example_ics: tuple[Path, ...]):
    # python -m would put the working directory first on the worker's path: a pandas.py
    # (or a finmodel/ folder) lying there would run in the worker. -P and the parent's
    # sys.path keep it out.
    folder = copy_example(example_ics, tmp_path / "close")[-1]
    here = tmp_path / "downloads"
    here.mkdir()
    marker = tmp_path / "shadow-ran"
    for shadow in ("pandas.py", "_compat_pickle.py"):  # _compat_pickle: imported first of all, by pickle
        (here / shadow).write_text(f"open({str(marker)!r}, 'w').close()\nraise ImportError('shadow')\n")
    monkeypatch.chdir(here)
    paths = [folder / w.filename for w in WORKBOOKS]
    reads = parallel.read_workbooks(paths, Context(None, None, None), workers=2)
    assert not marker.exists()
    assert {r.pid for r in reads} != {os.getpid()}  # the worker still read its share


def test_the_worker_parses_numbers_in_the_callers_decimal_context(tmp_path: Path, always_parallel: None):
    books = tiny()
    set_cell(books, "risks", "register", 2, "likelihood", "12.3456")
    folder = write_close(tmp_path, books)
    with decimal.localcontext() as numbers:
        numbers.prec = 3
        sequential, two = validate_close(folder, workers=1), validate_close(folder, workers=2)
    assert sequential[0] is not None and sequential[0].risks["likelihood_pct"].iloc[0] == decimal.Decimal("12.3")
    _same_inputs(sequential[0], two[0])
    assert sequential[1] == two[1]


def test_an_answer_that_names_anything_else_is_refused_before_it_is_built():
    with pytest.raises(pickle.UnpicklingError, match="not part of a worker's answer"):
        wire.Answers(io.BytesIO(pickle.dumps(os.getcwd))).load()


def test_a_workbook_is_claimed_only_when_this_process_is_free_to_read_it(tmp_path: Path, racing: None, monkeypatch: pytest.MonkeyPatch, example_ics: tuple[Path, ...]):
    # A work queue, not a split made up front: while this process is busy on one workbook,
    # the worker takes the next ones. Here this process reads slowly (2 s a workbook), so the
    # worker, once started, takes every workbook left.
    folder = copy_example(example_ics, tmp_path)[-1]
    paths = [folder / w.filename for w in WORKBOOKS]
    real = parallel.read_one

    def slow(path: Path, ctx: Context):  # type: ignore[no-untyped-def]
        time.sleep(2)
        return real(path, ctx)

    monkeypatch.setattr(parallel, "read_one", slow)
    reads = parallel.read_workbooks(paths, Context(None, None, None), workers=2)
    here = {r.filename for r in reads if r.pid == os.getpid()}
    largest = max(paths, key=lambda p: p.stat().st_size)
    assert largest.name in here and len(here) <= 2, here  # the first, and perhaps one more while the worker started
    assert [r.filename for r in reads] == [p.name for p in paths]
