"""The close history: records kept whole and unchanged, reopens that keep the past."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import threading
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import finmodel.store.schema as schema
import finmodel.store.store as store_module
from finmodel.store import (
    DEFAULT_DB,
    CloseExists,
    CloseRecord,
    CloseRefused,
    NothingToReopen,
    StoreBusy,
    StoreError,
    open_store,
)
from finmodel.store.ledger_blob import LedgerFormatError, pack_ledger, unpack_ledger

SYSTEM_YAML = "year: 2023/24\nsystem: Tiny ICS\n# £ and “quotes” survive\n"


def small_ledger() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "org": ["ACUTE1", "ACUTE1", "ICB"],
            "month": np.array([9, 10, 10], dtype="int64"),
            "line": ["pay", "pay", "allocation"],
            "description": ["", "Ward 7, \"B\"", "línea\nnueva ✓"],
            "plan": np.array([-150_000, -150_000, 2_000_000_00], dtype="int64"),
            "actual": np.array([-149_999, -160_001, 2_000_000_00], dtype="int64"),
        }
    )


def make_record(month: int = 10, year: str = "2023/24", **changes: object) -> CloseRecord:
    record = CloseRecord(
        year=year,
        month=month,
        system_name="Tiny ICS",
        made_at="2024-02-12T09:30:00Z",
        made_by="asmith",
        model_version="0.1.0",
        system_yaml=SYSTEM_YAML,
        input_files=(
            ("income.xlsx", hashlib.sha256(b"income").hexdigest(), 5120),
            ("pay.xlsx", hashlib.sha256(b"pay").hexdigest(), 20480),
        ),
        results_json=json.dumps({"month": month, "surplus_pence": 1_234_567}, sort_keys=True),
        ledger=small_ledger(),
    )
    return replace(record, **changes)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "finmodel.db"


@pytest.fixture
def store(db_path: Path):
    with open_store(db_path) as opened:
        yield opened


# -- round trip ---------------------------------------------------------------------------


def test_a_recorded_close_reads_back_field_for_field(store) -> None:
    record = make_record()
    stored = store.record_close(record)
    latest = store.latest("2023/24", 10)

    assert latest == stored
    assert (latest.year, latest.month, latest.version, latest.reopen_reason) == ("2023/24", 10, 1, None)
    assert latest.system_name == "Tiny ICS"
    assert latest.made_at == "2024-02-12T09:30:00Z"
    assert latest.made_by == "asmith"
    assert latest.model_version == "0.1.0"
    assert latest.system_yaml == SYSTEM_YAML
    assert latest.results_json == record.results_json
    assert latest.input_files == record.input_files
    assert latest.ledger_rows == 3
    pd.testing.assert_frame_equal(latest.ledger(), small_ledger(), check_exact=True)


def test_the_year_folder_form_and_unsorted_files_are_stored_canonically(store) -> None:
    record = make_record(year="2023-24", input_files=(("pay.xlsx", "b" * 64, 2), ("income.xlsx", "a" * 64, 1)))
    stored = store.record_close(record)
    assert stored.year == "2023/24"
    assert stored.input_files == (("income.xlsx", "a" * 64, 1), ("pay.xlsx", "b" * 64, 2))
    assert store.latest("2023-24", 10) == stored


def test_a_month_never_closed_has_no_latest(store) -> None:
    store.record_close(make_record(month=10))
    assert store.latest("2023/24", 11) is None
    assert store.latest("2024/25", 10) is None


# -- the ledger blob ------------------------------------------------------------------------


def awkward_ledger() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "org": pd.Series(["", "RXH", "", "Zoë's trust", "comma, inside", "tab\there"], dtype="str"),
            "description": pd.Series(
                ['say "hi"', "line\nbreak", "\r\n", "emoji 🏥", "NUL \x00 byte", "lone \ud800 surrogate"], dtype=object
            ),
            "plan": np.array([2**53, 2**53 + 1, -(2**53) - 1, 0, -1, 9_007_199_254_740_993], dtype="int64"),
            "actual": np.array([np.iinfo(np.int64).max, np.iinfo(np.int64).min, 0, 1, -99, 5], dtype="int64"),
            "month": np.array([1, 2, 3, 10, 11, 12], dtype="int64"),
        }
    )


def test_an_awkward_ledger_round_trips_exactly_with_its_dtypes() -> None:
    ledger = awkward_ledger()
    back = unpack_ledger(pack_ledger(ledger).data)
    pd.testing.assert_frame_equal(back, ledger, check_exact=True)
    assert str(back["org"].dtype) == "str" and back["description"].dtype == object
    assert back["plan"].tolist()[:3] == [9_007_199_254_740_992, 9_007_199_254_740_993, -9_007_199_254_740_993]


def test_a_categorical_column_round_trips_with_its_categories_and_codes() -> None:
    # The ledger's text columns are Categoricals: stored as their categories and codes,
    # unused and unsorted categories included, and loaded back as the same Categorical.
    org = pd.Categorical(["ICB", "ACUTE1", "ICB"], categories=["ICB", "ACUTE1", "UNUSED"])
    ledger = small_ledger().assign(org=org, line=pd.Categorical(small_ledger()["line"]))
    back = unpack_ledger(pack_ledger(ledger).data)
    pd.testing.assert_frame_equal(back, ledger, check_exact=True)
    assert back["org"].cat.categories.tolist() == ["ICB", "ACUTE1", "UNUSED"]
    assert back["org"].cat.codes.tolist() == [0, 1, 0]
    with pytest.raises(ValueError, match="missing values"):
        pack_ledger(small_ledger().assign(org=pd.Categorical(["ICB", None, "ICB"])))


def test_many_distinct_values_and_an_empty_ledger_round_trip() -> None:
    wide = pd.DataFrame({"code": [f"C{i}" for i in range(70_000)], "pence": np.arange(70_000, dtype="int64") * -3})
    pd.testing.assert_frame_equal(unpack_ledger(pack_ledger(wide).data), wide, check_exact=True)
    empty = small_ledger().iloc[0:0].reset_index(drop=True)
    back = unpack_ledger(pack_ledger(empty).data)
    pd.testing.assert_frame_equal(back, empty, check_exact=True, check_index_type=False)
    assert list(back.columns) == list(empty.columns) and len(back) == 0


def test_packing_is_deterministic_and_the_index_is_not_kept() -> None:
    first, second = pack_ledger(awkward_ledger()), pack_ledger(awkward_ledger())
    assert first == second
    shifted = awkward_ledger().set_axis(range(100, 106))
    assert pack_ledger(shifted).sha256 == first.sha256


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (pd.Series([1.5, 2.0, 3.0]), "dtype float64"),
        (pd.Series(["a", None, "c"], dtype=object), "missing values"),
        (pd.Series(["a", 2, "c"], dtype=object), "mixes text"),
    ],
)
def test_a_ledger_column_the_store_cannot_keep_exactly_is_refused(column: pd.Series, message: str) -> None:
    ledger = small_ledger().assign(odd=column)
    with pytest.raises(ValueError, match=message):
        pack_ledger(ledger)


def test_a_damaged_ledger_blob_is_detected() -> None:
    packed = pack_ledger(small_ledger())
    payload = bytearray(zlib.decompress(packed.data))
    payload[-1] ^= 0xFF
    damaged = zlib.compress(bytes(payload))
    with pytest.raises(LedgerFormatError, match="SHA-256"):
        unpack_ledger(damaged, expected_sha256=packed.sha256)
    with pytest.raises(LedgerFormatError, match="decompress"):
        unpack_ledger(b"not zlib at all")


# -- a close is a record ----------------------------------------------------------------------


def test_closing_a_closed_month_again_is_refused_with_a_clear_message(store) -> None:
    first = store.record_close(make_record())
    with pytest.raises(CloseExists) as refused:
        store.record_close(make_record(made_at="2024-02-13T08:00:00Z", made_by="bjones"))
    error = refused.value
    assert (error.year, error.month, error.version) == ("2023/24", 10, 1)
    assert (error.made_at, error.made_by) == ("2024-02-12T09:30:00Z", "asmith")
    assert str(error) == (
        "2023/24 M10 is already closed (made 2024-02-12T09:30:00Z by asmith). A close is a record "
        'and is never overwritten: to close it again, give the reason, e.g. --reopen "corrected pay '
        'figures"; the earlier version is kept in the history.'
    )
    assert store.history() == [first]


def test_a_reopen_adds_a_version_and_keeps_the_earlier_one_untouched(store) -> None:
    first = store.record_close(make_record())
    corrected = make_record(
        made_at="2024-02-14T16:05:00Z",
        made_by="bjones",
        results_json=json.dumps({"month": 10, "surplus_pence": 1_000_000}),
        ledger=small_ledger().assign(actual=np.array([-149_999, -150_000, 2_000_000_00], dtype="int64")),
    )
    second = store.record_close(corrected, reopen_reason="  ACUTE1 resubmitted pay  ")

    assert (second.version, second.reopen_reason, second.made_by) == (2, "ACUTE1 resubmitted pay", "bjones")
    assert store.latest("2023/24", 10) == second
    assert store.history() == [first, second]
    earlier = store.history()[0]
    assert earlier == first
    pd.testing.assert_frame_equal(earlier.ledger(), small_ledger(), check_exact=True)
    assert second.ledger()["actual"].tolist() == [-149_999, -150_000, 2_000_000_00]
    with pytest.raises(CloseExists, match=r"\(version 2, made 2024-02-14T16:05:00Z by bjones\)"):
        store.record_close(make_record())


def test_reclosing_identical_inputs_stores_an_identical_result(store) -> None:
    first = store.record_close(make_record())
    again = store.record_close(make_record(made_at="2024-02-12T10:00:00Z"), reopen_reason="re-run to check")
    assert again.ledger_sha256 == first.ledger_sha256
    assert again.results_json == first.results_json
    assert again.input_files == first.input_files
    raw = sqlite3.connect(store.location)
    blobs = raw.execute("SELECT data FROM close_ledgers ORDER BY close_id").fetchall()
    raw.close()
    assert blobs[0] == blobs[1]


def test_a_reopen_needs_a_reason_and_something_to_reopen(store) -> None:
    with pytest.raises(NothingToReopen, match="2023/24 M10 has not been closed yet"):
        store.record_close(make_record(), reopen_reason="why not")
    store.record_close(make_record())
    with pytest.raises(CloseRefused, match="a reopen needs a reason"):
        store.record_close(make_record(), reopen_reason="   ")
    assert [close.version for close in store.history()] == [1]


def test_the_database_itself_refuses_a_second_version_1_and_any_change_to_a_close(store) -> None:
    store.record_close(make_record())
    raw = sqlite3.connect(store.location)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            raw.execute(
                "INSERT INTO closes (year, month, version, system_name, made_at, made_by, model_version, "
                "system_yaml, results_json) VALUES ('2023/24', 10, 1, 's', 't', 'u', 'v', '', '{}')"
            )
        with pytest.raises(sqlite3.IntegrityError, match="a close is a record"):
            raw.execute("UPDATE closes SET results_json = '{}'")
        with pytest.raises(sqlite3.IntegrityError, match="a close is a record"):
            raw.execute("DELETE FROM close_ledgers")
    finally:
        raw.close()


def test_two_closers_at_once_record_one_close_and_refuse_the_other(db_path: Path) -> None:
    open_store(db_path).close()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def close_month(user: str) -> None:
        with open_store(db_path) as own:
            start.wait()
            try:
                own.record_close(make_record(made_by=user))
                outcomes.append("recorded")
            except CloseExists:
                outcomes.append("refused")

    threads = [threading.Thread(target=close_month, args=(user,)) for user in ("asmith", "bjones")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["recorded", "refused"]
    with open_store(db_path) as store:
        assert [close.version for close in store.history()] == [1]


def test_a_writer_gives_up_after_the_lock_timeout_and_records_nothing(db_path: Path, monkeypatch) -> None:
    open_store(db_path).close()
    colleague = sqlite3.connect(db_path, isolation_level=None)
    colleague.execute("BEGIN IMMEDIATE")  # a colleague's close, mid-transaction
    monkeypatch.setenv("FINMODEL_LOCK_TIMEOUT", "0.3")
    try:
        with open_store(db_path) as store, pytest.raises(StoreBusy, match=r"held its write lock for more than 0.3 s"):
            store.record_close(make_record())
    finally:
        colleague.execute("ROLLBACK")
        colleague.close()
    with open_store(db_path) as store:
        assert store.history() == []


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan"])
def test_a_lock_timeout_that_is_not_a_number_of_seconds_is_refused(db_path: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv("FINMODEL_LOCK_TIMEOUT", value)
    with pytest.raises(StoreError, match="FINMODEL_LOCK_TIMEOUT"):
        open_store(db_path)


# -- movement comes from the previous close -----------------------------------------------------


def test_previous_is_the_current_version_of_the_latest_earlier_month_of_the_year(store) -> None:
    store.record_close(make_record(month=12, year="2022/23"))
    store.record_close(make_record(month=8))
    store.record_close(make_record(month=9))
    m9_reopened = store.record_close(make_record(month=9), reopen_reason="late agency invoices")
    store.record_close(make_record(month=10))

    assert store.previous("2023/24", 10) == m9_reopened
    assert store.previous("2023/24", 9).month == 8
    assert store.previous("2023/24", 12).month == 10  # M11 never closed: the latest earlier one
    assert store.previous("2023/24", 8) is None  # nothing earlier in 2023/24; 2022/23 M12 is another year
    assert store.previous("2023/24", 1) is None


def test_history_lists_every_version_in_order(store) -> None:
    store.record_close(make_record(month=2))
    store.record_close(make_record(month=1, year="2024/25"))
    store.record_close(make_record(month=11))
    store.record_close(make_record(month=2), reopen_reason="typo in income")
    listed = [(c.year, c.month, c.version, c.reopen_reason) for c in store.history()]
    assert listed == [
        ("2023/24", 2, 1, None),
        ("2023/24", 2, 2, "typo in income"),
        ("2023/24", 11, 1, None),
        ("2024/25", 1, 1, None),
    ]


# -- all or nothing -------------------------------------------------------------------------------


@pytest.mark.parametrize("interruption", [RuntimeError("disk said no"), KeyboardInterrupt()])
def test_a_failure_mid_close_leaves_no_trace(store, monkeypatch, interruption: BaseException) -> None:
    kept = store.record_close(make_record(month=9))
    seen_inside: list[int] = []

    def fail_after_the_close_row(db, close_id, ledger) -> None:
        # The close row and its input files are written by now, inside the transaction...
        seen_inside.append(db.query("SELECT COUNT(*) FROM closes")[0][0])
        seen_inside.append(db.query("SELECT COUNT(*) FROM close_input_files")[0][0])
        raise interruption

    monkeypatch.setattr(store_module, "_insert_ledger", fail_after_the_close_row)
    with pytest.raises(type(interruption)):
        store.record_close(make_record(month=10))
    with pytest.raises(type(interruption)):
        store.record_close(make_record(month=9), reopen_reason="second try")
    assert seen_inside == [2, 4, 2, 4]

    # ...and all of it is gone: no close, no input files, no ledger.
    assert store.history() == [kept]
    raw = sqlite3.connect(store.location)
    counts = [raw.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in schema.CLOSE_TABLES]
    raw.close()
    assert counts == [1, 2, 1]
    monkeypatch.undo()
    assert store.record_close(make_record(month=10)).version == 1


def test_closing_the_store_leaves_only_the_database_file(tmp_path: Path, db_path: Path) -> None:
    with open_store(db_path) as store:
        store.record_close(make_record())
        assert {p.name for p in tmp_path.iterdir()} <= {db_path.name, f"{db_path.name}-wal", f"{db_path.name}-shm"}
    assert [p.name for p in tmp_path.iterdir()] == [db_path.name]


# -- opening databases ------------------------------------------------------------------------------


def test_a_database_opened_twice_shares_the_same_closes(db_path: Path) -> None:
    with open_store(db_path) as first, open_store(db_path) as second:
        recorded = first.record_close(make_record())
        assert second.latest("2023/24", 10) == recorded
    with open_store(db_path) as reopened:
        assert reopened.history() == [recorded]
        pd.testing.assert_frame_equal(reopened.history()[0].ledger(), small_ledger(), check_exact=True)
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    raw.close()


def test_sqlite_urls_and_the_default_location(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert DEFAULT_DB == "finmodel.db"
    with open_store("sqlite:///relative.db") as store:
        store.record_close(make_record())
    with open_store(f"sqlite:///{tmp_path}/relative.db") as same_file:
        assert len(same_file.history()) == 1
    with open_store(DEFAULT_DB):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["finmodel.db", "relative.db"]


def test_a_closed_store_says_so(db_path: Path) -> None:
    store = open_store(db_path)
    stored = store.record_close(make_record())
    store.close()
    with pytest.raises(StoreError, match="has been closed"):
        store.history()
    with pytest.raises(StoreError, match="has been closed"):
        stored.ledger()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"year,month\n2023/24,10\n", "is not a SQLite database"),
        (b"SQLite format 3\x00" + b"\x13" * 2000, "is not a usable SQLite database"),
    ],
)
def test_a_file_that_is_not_a_close_history_gives_a_store_error(db_path: Path, content: bytes, message: str) -> None:
    db_path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        open_store(db_path)
    assert db_path.read_bytes() == content


def test_another_programs_sqlite_database_is_not_touched(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE invoices (id INTEGER)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match=r"holds tables that are not a finmodel close history \(invoices\)"):
        open_store(db_path)


def test_missing_folders_and_folders_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder .*nowhere does not exist"):
        open_store(tmp_path / "nowhere" / "finmodel.db")
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="SQLite .* or PostgreSQL"):
        open_store("mysql://finance:secret@db/finmodel")


def test_a_database_from_a_newer_finmodel_is_refused_unchanged(db_path: Path) -> None:
    open_store(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute("INSERT INTO finmodel_schema VALUES (99, '2030-01-01T00:00:00Z', '9.0')")
    raw.commit()
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=r"newer finmodel \(close history schema version 99; .* up to 3\)"):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_an_older_database_is_migrated_in_order_and_keeps_its_closes(db_path: Path, monkeypatch) -> None:
    with open_store(db_path) as store:
        recorded = store.record_close(make_record())

    def add_close_notes(db) -> None:
        db.execute("CREATE TABLE close_notes (close_id BIGINT NOT NULL REFERENCES closes (close_id), note TEXT)")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, add_close_notes])
    with open_store(db_path) as migrated:
        assert migrated.history() == [recorded]
    raw = sqlite3.connect(db_path)
    versions = [row[0] for row in raw.execute("SELECT version FROM finmodel_schema ORDER BY version")]
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.close()
    assert versions == [1, 2, 3, 4]
    assert "close_notes" in tables


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"month": 13}, "month must be 1..12"),
        ({"year": "2023"}, "not like 2023/24"),
        ({"made_at": "2024-02-12 09:30"}, "ISO-8601 UTC"),
        ({"input_files": (("pay.xlsx", "XYZ", 1),)}, "64 lower-case hex"),
        ({"input_files": (("pay.xlsx", "a" * 64, 1), ("pay.xlsx", "b" * 64, 2))}, "twice"),
        ({"made_by": " "}, "made_by is blank"),
    ],
)
def test_a_malformed_record_is_refused_before_anything_is_written(store, changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        store.record_close(make_record(**changes))
    assert store.history() == []


# -- PostgreSQL (the tests that need a server are in test_store_postgres.py) -----------------------


def test_a_postgres_url_without_the_driver_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(StoreError, match=r'pip install "psycopg\[binary\]"') as refused:
        open_store("postgresql://finance:s3cret@db.example/finmodel")
    assert "s3cret" not in str(refused.value)
