"""Scenario runs in the close history: kept whole and unchanged, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

import finmodel.store.schema as schema
from finmodel.store import ScenarioRunRecord, StoreError, open_store
from tests.test_store import make_record
from tests.test_store_postgres import clerk  # noqa: F401  (a fixture)

# A file with what a database might not keep: a BOM, CRLF line ends, a dash, an accent.
FILE_TEXT = "\ufeffname: plan-b\r\ndescription: Recovery — plan B, Société\r\nregister: {}\r\n"
SUMMARY_JSON = '{"name":"plan-b","close":"2023/24 M10","seed":7,"iterations":200,"rows":[]}'


def run_record(close_id: int, **changes: object) -> ScenarioRunRecord:
    record = ScenarioRunRecord(
        close_id=close_id,
        name="plan-b",
        file_name="plan-b.yaml",
        file_text=FILE_TEXT,
        file_sha256=hashlib.sha256(FILE_TEXT.encode("utf-8")).hexdigest(),
        seed=2**63 - 1,  # the largest seed a file may set
        iterations=200,
        run_at="2024-02-19T10:15:00Z",
        run_by="asmith",
        model_version="0.1.0",
        summary_json=SUMMARY_JSON,
    )
    return replace(record, **changes)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "finmodel.db")
    return request.getfixturevalue("postgres_url")


def test_a_stored_run_reads_back_identically(location: str) -> None:
    with open_store(location) as store:
        close = store.record_close(make_record())
        reopened = store.record_close(make_record(made_by="bjones"), reopen_reason="late invoices")
        first, second = store.record_scenario_runs([run_record(close.close_id), run_record(reopened.close_id, name="plan-c")])
        assert (first.year, first.month, first.close_version, second.close_version) == ("2023/24", 10, 1, 2)
        expected = run_record(close.close_id)
        assert {k: getattr(first, k) for k in vars(expected)} == vars(expected)
        assert first.file_text.encode("utf-8").startswith(b"\xef\xbb\xbf") and "\r\n" in first.file_text
    with open_store(location) as again:
        assert again.scenario_runs() == [first, second]
        assert again.scenario_run(second.run_id) == second and again.scenario_run(second.run_id + 99) is None
        assert again.scenario_runs(name="plan-b") == [first]
        assert again.scenario_runs(year="2023-24") == [first, second] and again.scenario_runs(year="2024/25") == []
        assert hashlib.sha256(first.file_text.encode("utf-8")).hexdigest() == first.file_sha256


def test_the_runs_of_one_command_are_recorded_together_or_not_at_all(location: str) -> None:
    with open_store(location) as store:
        close = store.record_close(make_record())
        with pytest.raises(StoreError, match="no close 999"):
            store.record_scenario_runs([run_record(close.close_id), run_record(999)])
        assert store.scenario_runs() == []
        assert store.record_scenario_runs([]) == ()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"file_sha256": "0" * 64}, "not the SHA-256 of its file_text"),
        ({"run_at": "19 Feb 2024"}, "run_at must be an ISO-8601 UTC time"),
        ({"run_by": " "}, "run_by is blank"),
        ({"seed": -1}, "seed must be a whole number from 0"),
        ({"iterations": 0}, "iterations must be a whole number from 1"),
        ({"summary_json": None}, "summary_json must be text"),
    ],
)
def test_a_malformed_run_is_refused_before_anything_is_written(tmp_path: Path, changes: dict, message: str) -> None:
    with open_store(tmp_path / "finmodel.db") as store:
        close = store.record_close(make_record())
        with pytest.raises(ValueError, match=message):
            store.record_scenario_runs([run_record(close.close_id, **changes)])
        assert store.scenario_runs() == []


def test_runs_are_records_in_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "finmodel.db"
    with open_store(db) as store:
        close = store.record_close(make_record())
        (run,) = store.record_scenario_runs([run_record(close.close_id)])
    raw = sqlite3.connect(db)
    for statement in ("UPDATE scenario_runs SET seed = 1", "DELETE FROM scenario_runs"):
        with pytest.raises(sqlite3.IntegrityError, match="a scenario run is a record"):
            raw.execute(statement)
    raw.close()
    with open_store(db) as again:
        assert again.scenario_runs() == [run]


def test_runs_are_records_in_postgres(postgres_url: str) -> None:
    import psycopg

    with open_store(postgres_url) as store:
        close = store.record_close(make_record())
        (run,) = store.record_scenario_runs([run_record(close.close_id)])
    statements = ("UPDATE scenario_runs SET seed = 1", "DELETE FROM scenario_runs", "TRUNCATE scenario_runs",
                  "TRUNCATE closes CASCADE")
    with psycopg.connect(postgres_url, autocommit=True) as owner:  # the tables' owner, a superuser even
        for statement in statements:
            with pytest.raises(psycopg.errors.RaiseException, match="is a record"):
                owner.execute(statement)
    with open_store(postgres_url) as again:
        assert again.scenario_runs() == [run]


def test_a_version_2_database_gains_scenario_runs_and_keeps_its_closes(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "finmodel.db"
    version_3 = schema.MIGRATIONS
    monkeypatch.setattr(schema, "MIGRATIONS", version_3[:2])
    with open_store(db) as old:
        recorded = old.record_close(make_record())
    monkeypatch.setattr(schema, "MIGRATIONS", version_3)
    with open_store(db) as store:
        assert store.history() == [recorded]
        (run,) = store.record_scenario_runs([run_record(recorded.close_id)])
        assert run.close_id == recorded.close_id
    raw = sqlite3.connect(db)
    assert [v for (v,) in raw.execute("SELECT version FROM finmodel_schema ORDER BY version")] == [1, 2, 3]
    raw.close()


def test_a_user_without_a_grant_on_scenario_runs_is_told_which_one(postgres_url: str, clerk: str) -> None:
    """After the upgrade to version 3 the owner grants the new table too (docs/store.md)."""
    import psycopg

    from tests.test_store_postgres import _schema_of, _with

    with open_store(postgres_url) as owners:
        close = owners.record_close(make_record())
    schema_name, clerk_url = _schema_of(postgres_url), _with(postgres_url, user=clerk)
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute(f"GRANT USAGE ON SCHEMA {schema_name} TO {clerk}")
        owner.execute(f"GRANT SELECT, INSERT ON finmodel_schema, closes, close_input_files, close_ledgers TO {clerk}")
    with open_store(clerk_url) as store:
        assert [c.close_id for c in store.history()] == [close.close_id]  # closing and reading closes still work
        with pytest.raises(StoreError, match=rf"no SELECT grant on scenario_runs .*read its scenario runs.*GRANT SELECT ON scenario_runs TO {clerk}"):
            store.scenario_runs()
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute(f"GRANT SELECT ON scenario_runs TO {clerk}")
    with open_store(clerk_url) as store:
        with pytest.raises(StoreError, match=rf"no INSERT grant on scenario_runs .*record a scenario run"):
            store.record_scenario_runs([run_record(close.close_id)])
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute(f"GRANT INSERT ON scenario_runs TO {clerk}")
    with open_store(clerk_url) as store:
        (run,) = store.record_scenario_runs([run_record(close.close_id)])
        assert store.scenario_runs() == [run]
