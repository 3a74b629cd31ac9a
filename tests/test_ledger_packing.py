"""The ledger packed for the store in a thread beside compute_results (#21): the same bytes
stored as packing it afterwards, and the same error, at the same point, when it cannot be."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import finmodel.jobs.ledger_packing as ledger_packing
import finmodel.pipeline as pipeline
from finmodel.jobs import record_close
from finmodel.jobs.close import close_record
from finmodel.jobs.ledger_packing import LedgerPacking
from finmodel.jobs.pack import with_custom_tables
from finmodel.store import CloseRefused, open_store
from finmodel.store.ledger_blob import pack_ledger

MADE_AT = "2024-02-12T09:30:00Z"
FLOAT_REFUSED = "ledger column 'share' has dtype float64: the store keeps text and int64 columns only"


@pytest.fixture(scope="module")
def m10(example_ics) -> Path:
    return next(f for f in example_ics if f.name == "M10")  # only read: the outputs go to tmp_path


def _stored(db: Path) -> tuple:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT c.results_json, l.encoding, l.row_count, l.payload_sha256, l.data "
            "FROM closes c JOIN close_ledgers l ON l.close_id = c.close_id"
        ).fetchall()


def _recorded_without_the_thread(folder: Path, db: Path) -> None:
    """As the close job recorded before #21: the ledger packed by the store after the results."""
    outcome = with_custom_tables(pipeline.close(folder), folder.parent)
    with open_store(db) as store:
        store.record_close(close_record(outcome, MADE_AT))


def test_the_close_packs_its_ledger_beside_the_results_and_stores_the_same_bytes(m10, tmp_path, monkeypatch):
    started = threading.Event()
    threads: list[str] = []

    def pack_watched(ledger: pd.DataFrame):
        threads.append(threading.current_thread().name)
        started.set()
        return pack_ledger(ledger)

    real_results = pipeline.compute_results

    def results_awaiting_the_pack(inputs, ledger):
        results = real_results(inputs, ledger)
        # Packed only after the results (as before #21), the pack would never start here.
        assert started.wait(timeout=10), "the ledger's packing did not start before the results were done"
        return results

    monkeypatch.setattr(ledger_packing, "pack_ledger", pack_watched)
    monkeypatch.setattr(pipeline, "compute_results", results_awaiting_the_pack)
    done = record_close(m10, tmp_path / "overlap.db", tmp_path / "out", made_at=MADE_AT)
    assert done.stored is not None and done.written
    assert len(threads) == 1 and threads[0].startswith("finmodel-ledger-pack")
    monkeypatch.undo()

    _recorded_without_the_thread(m10, tmp_path / "after.db")
    overlap, after = _stored(tmp_path / "overlap.db"), _stored(tmp_path / "after.db")
    assert len(overlap) == 1 and overlap == after  # results_json, row count, SHA-256 and blob, byte for byte
    assert overlap[0][2] == len(done.outcome.ledger) and done.stored.ledger_sha256 == overlap[0][3]


def _with_a_float_share(build_ledger):
    def build(inputs):
        ledger = build_ledger(inputs)
        return ledger.assign(share=np.full(len(ledger), 0.5))  # results ignore it; the store cannot keep it

    return build


def test_a_ledger_the_store_refuses_fails_the_close_exactly_as_without_the_thread(m10, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "build_ledger", _with_a_float_share(pipeline.build_ledger))
    with pytest.raises(ValueError) as through_thread:
        record_close(m10, tmp_path / "overlap.db", tmp_path / "out", made_at=MADE_AT)
    with pytest.raises(ValueError) as without:
        _recorded_without_the_thread(m10, tmp_path / "after.db")
    assert type(through_thread.value) is type(without.value)
    assert str(through_thread.value) == str(without.value) and str(without.value).startswith(FLOAT_REFUSED)
    with open_store(tmp_path / "overlap.db") as store:
        assert store.history() == []
    assert not list((tmp_path / "out").rglob("*.xlsx")) and not list((tmp_path / "out").rglob("*.csv"))


def _small_ledger(**extra: object) -> pd.DataFrame:
    frame = pd.DataFrame({"org": ["ACUTE1", "ICB"], "actual": np.array([-149_999, 2_000_000_00], dtype="int64")})
    return frame.assign(**extra)


def _record(ledger: pd.DataFrame):
    from finmodel.store import CloseRecord

    return CloseRecord(
        year="2023/24", month=10, system_name="Tiny ICS", made_at=MADE_AT, made_by="asmith", model_version="0.1.0",
        system_yaml="year: 2023/24\n", input_files=(), results_json="{}", ledger=ledger,
    )


def test_the_stores_own_checks_still_come_before_a_failed_pack(tmp_path):
    bad = _small_ledger(share=np.array([0.5, 0.5]))
    with LedgerPacking() as packing, open_store(tmp_path / "h.db") as store:
        packing.start(bad)
        # A blank reopen reason is refused before the ledger is packed, with or without the thread.
        for pack in (packing.pack, pack_ledger):
            with pytest.raises(CloseRefused, match="a reopen needs a reason"):
                store.record_close(_record(bad), reopen_reason="  ", pack=pack)
        with pytest.raises(ValueError, match=FLOAT_REFUSED):
            store.record_close(_record(bad), pack=packing.pack)
        assert store.history() == []


def test_the_store_packs_with_the_function_it_is_given_once_and_keeps_its_blob(tmp_path):
    ledger, packed = _small_ledger(), []

    def pack(frame: pd.DataFrame):
        packed.append(frame)
        return pack_ledger(frame)

    with open_store(tmp_path / "h.db") as store:
        stored = store.record_close(_record(ledger), pack=pack)
        assert stored.ledger_rows == 2 and stored.ledger()[list(ledger.columns)].equals(ledger)
    assert len(packed) == 1 and packed[0] is ledger
    assert _stored(tmp_path / "h.db")[0][3:] == (pack_ledger(ledger).sha256, pack_ledger(ledger).data)


def test_only_the_ledger_started_is_taken_from_the_thread():
    started, other = _small_ledger(), _small_ledger(org=["ACUTE2", "ICB"])
    with LedgerPacking() as packing:
        assert packing.pack(started) == pack_ledger(started)  # nothing started yet: packed here
        packing.start(started)
        assert packing.pack(started) == pack_ledger(started)
        # A frame other than the one started is packed afresh, never given another's blob.
        assert packing.pack(other) == pack_ledger(other) != pack_ledger(started)
