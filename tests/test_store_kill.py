"""Killing a close at random points never leaves a partial close or a damaged database.

Each run starts a fresh Python process that records closes of a 200,000-row ledger, one
after another (a reopen when the month is already closed), and SIGKILLs it after a seeded
random delay. On even runs the delay is counted from start-up and spreads over the whole
cycle of a close (opening the database, packing the ledger, the transaction). Only about a
sixth of that cycle is the transaction, so on odd runs the delay is counted from the moment
a transaction starts writing a close and is a few milliseconds long: those kills land
inside the write and around the commit (the test checks that some did). After every kill
the database must pass SQLite's integrity check and every close in it must be whole.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import finmodel
from finmodel.store import open_store

RUNS = 24
ROWS = 200_000
INPUT_FILES = 3
SEED = 20240212

# The child process. Its ledger has random pence, which do not compress, so each close
# writes some megabytes and the transaction is a good part of the cycle a kill can hit.
CHILD = """
import sys
import numpy as np
import pandas as pd
import finmodel.store.store as store_module
from finmodel.store import CloseRecord, open_store

# Say when a transaction has started writing a close (so the test can aim a kill at it).
insert_close = store_module._insert_close
def announced_insert_close(*args, **kwargs):
    print("writing", flush=True)
    return insert_close(*args, **kwargs)
store_module._insert_close = announced_insert_close

path, run, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(run)
names = np.array(["R0A", "RXH", "QNQ", "", "a, \\"quoted\\"\\nline"], dtype=object)
ledger = pd.DataFrame({
    "org": names[rng.integers(0, len(names), rows)],
    "month": rng.integers(1, 13, rows).astype("int64"),
    "plan": rng.integers(-10**12, 10**12, rows).astype("int64"),
    "actual": rng.integers(-10**12, 10**12, rows).astype("int64"),
})
files = tuple((f"file{i}.xlsx", f"{i:064x}", 1000 + i) for i in range(3))
print("ready", flush=True)
with open_store(path) as store:
    close_number = 0
    while True:
        month = close_number % 12 + 1
        close_number += 1
        record = CloseRecord(
            year="2023/24", month=month, system_name="Kill test ICS", made_at="2024-02-12T09:30:00Z",
            made_by="tester", model_version="test", system_yaml="name: Kill test ICS\\n",
            input_files=files, results_json='{"month": %d, "run": %d}' % (month, run), ledger=ledger,
        )
        reason = None if store.latest("2023/24", month) is None else f"run {run} close {close_number}"
        store.record_close(record, reopen_reason=reason)
"""


def _start_child(db: Path, run: int) -> subprocess.Popen:
    # The child imports the same finmodel as this test, installed or not.
    source_root = str(Path(finmodel.__file__).resolve().parent.parent)
    python_path = os.pathsep.join(filter(None, [source_root, os.environ.get("PYTHONPATH")]))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(run), str(ROWS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=db.parent,
        env={**os.environ, "PYTHONPATH": python_path},
        text=True,
    )
    line = child.stdout.readline()
    assert line.strip() == "ready", f"child failed to start: {line!r} {child.stderr.read()}"
    return child


def _check_database(db: Path, checked: set[int]) -> int:
    """Assert the database is sound and every close in it whole; return the number of closes."""
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        # No close row without its ledger and all its input files, and no orphan rows.
        partial = raw.execute(
            """SELECT c.close_id FROM closes c
               LEFT JOIN close_ledgers l ON l.close_id = c.close_id
               WHERE l.close_id IS NULL
                  OR (SELECT COUNT(*) FROM close_input_files f WHERE f.close_id = c.close_id) != ?""",
            (INPUT_FILES,),
        ).fetchall()
        assert partial == []
        versions = raw.execute("SELECT month, version FROM closes ORDER BY month, version").fetchall()
    finally:
        raw.close()
    by_month: dict[int, list[int]] = {}
    for month, version in versions:
        by_month.setdefault(month, []).append(version)
    for month, seen in by_month.items():
        assert seen == list(range(1, len(seen) + 1)), f"M{month} versions {seen} have a gap"

    with open_store(db) as store:
        for close in store.history():
            if close.close_id in checked:
                continue
            ledger = close.ledger()  # also checks the ledger's SHA-256
            assert len(ledger) == ROWS
            assert list(ledger.columns) == ["org", "month", "plan", "actual"]
            results = json.loads(close.results_json)
            assert results["month"] == close.month
            assert (close.version == 1) == (close.reopen_reason is None)
            checked.add(close.close_id)
    return len(versions)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_killing_closes_at_random_points_never_leaves_a_partial_close(tmp_path: Path) -> None:
    db = tmp_path / "finmodel.db"
    randomness = random.Random(SEED)
    checked: set[int] = set()
    closes_before = 0
    killed_mid_write = 0
    for run in range(RUNS):
        child = _start_child(db, run)
        if run % 2 == 0:
            # Up to ~8 closes' worth of time after start-up.
            time.sleep(randomness.uniform(0.0, 0.8))
            in_flight = None
        else:
            in_flight = randomness.randint(1, 3)  # kill during (or just after) this close
            for _ in range(in_flight):
                assert child.stdout.readline().strip() == "writing"
            # Writing a close's rows and ledger and committing takes ~3-6 ms here.
            time.sleep(randomness.uniform(0.0, 0.003))
        assert child.poll() is None, f"child stopped by itself: {child.stderr.read()}"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stderr.close()

        stray = {p.name for p in tmp_path.iterdir()} - {db.name, f"{db.name}-wal", f"{db.name}-shm"}
        assert stray == set(), f"run {run} left files behind: {stray}"
        closes = _check_database(db, checked)
        if in_flight is not None and closes - closes_before == in_flight - 1:
            killed_mid_write += 1  # the close being written was rolled back whole
        closes_before = closes

    # The aimed kills did land inside transactions (and those closes vanished whole).
    assert killed_mid_write >= 3, killed_mid_write
    # Once the last store is closed the log is folded back: just the one database file.
    with open_store(db):
        pass
    assert [p.name for p in tmp_path.iterdir()] == [db.name]
