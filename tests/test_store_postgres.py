"""The close history against a real PostgreSQL server (FINMODEL_TEST_POSTGRES_URL; .ci/run starts one).

Each test gets a schema of its own (the postgres_url fixture in conftest.py), or a database
or role of its own, dropped afterwards.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import pytest
from typer.testing import CliRunner

import finmodel.store.schema as schema
from finmodel.cli import app
from finmodel.store import CloseExists, StoreBusy, StoreError, open_store
from finmodel.store.postgres import WRITE_LOCK_KEY
from tests.test_store import awkward_ledger, make_record, small_ledger

try:
    import psycopg
except ImportError:  # the fixtures skip, saying why (and in CI such a skip fails: conftest.py)
    psycopg = None
CLOSE_TABLES = ("closes", "close_input_files", "close_ledgers")
DASH_YAML = "year: 2023/24\nsystem: Tiny ICS — North\n"


def _with(url: str, *, user: str | None = None, database: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if user is not None:
        netloc = f"{user}@{netloc.rsplit('@', 1)[-1]}"
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit((parts.scheme, netloc, path, parts.query, parts.fragment))


def _schema_of(url: str) -> str:
    return url.rsplit("%3D", 1)[1]


# -- the same closes as SQLite, byte for byte ------------------------------------------------------


def test_postgres_keeps_closes_and_reopens_the_same_way(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        first = store.record_close(make_record())
        assert store.latest("2023/24", 10) == first
        pd.testing.assert_frame_equal(first.ledger(), small_ledger(), check_exact=True)
        with pytest.raises(CloseExists):
            store.record_close(make_record())
        second = store.record_close(make_record(made_by="bjones"), reopen_reason="resubmitted")
        store.record_close(make_record(month=9))
        assert [(c.month, c.version) for c in store.history()] == [(9, 1), (10, 1), (10, 2)]
        assert store.previous("2023/24", 10).month == 9
        assert second.ledger_sha256 == first.ledger_sha256
        awkward = store.record_close(make_record(month=11, ledger=awkward_ledger()))
        pd.testing.assert_frame_equal(awkward.ledger(), awkward_ledger(), check_exact=True)
    with open_store(postgres_url) as again:
        assert again.history()[1] == first


def test_postgres_stores_the_very_bytes_sqlite_stores(postgres_url: str, tmp_path: Path) -> None:
    record = make_record(ledger=awkward_ledger())
    with open_store(postgres_url) as pg, open_store(tmp_path / "f.db") as lite:
        in_pg, in_lite = pg.record_close(record), lite.record_close(record)
        assert in_pg.ledger_sha256 == in_lite.ledger_sha256
        assert in_pg.system_yaml == in_lite.system_yaml == record.system_yaml
    with psycopg.connect(postgres_url) as raw:
        (pg_blob,) = raw.execute("SELECT data FROM close_ledgers").fetchone()
    lite_raw = sqlite3.connect(tmp_path / "f.db")
    (lite_blob,) = lite_raw.execute("SELECT data FROM close_ledgers").fetchone()
    lite_raw.close()
    assert bytes(pg_blob) == bytes(lite_blob)


def test_text_travels_as_utf8_whatever_the_client_encoding_says(postgres_url: str, monkeypatch) -> None:
    monkeypatch.setenv("PGCLIENTENCODING", "LATIN1")  # libpq would otherwise send and expect LATIN1
    with open_store(postgres_url) as store:
        stored = store.record_close(make_record(system_yaml=DASH_YAML))
    with open_store(postgres_url) as again:
        assert again.history()[0].system_yaml == DASH_YAML == stored.system_yaml


# -- immutability --------------------------------------------------------------------------------


def test_the_owner_cannot_truncate_update_or_delete_a_close(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        recorded = store.record_close(make_record())
    # TRUNCATE closes alone is stopped by the foreign keys before any trigger; CASCADE is not.
    statements = ["TRUNCATE close_input_files", "TRUNCATE close_ledgers"]
    # (scenario_runs references closes too, since schema version 3: it is named or cascaded to.)
    statements += ["TRUNCATE closes CASCADE", "TRUNCATE closes, close_input_files, close_ledgers, scenario_runs"]
    statements += ["UPDATE closes SET made_by = 'x'", "DELETE FROM close_ledgers", "DELETE FROM close_input_files"]
    with psycopg.connect(postgres_url, autocommit=True) as owner:  # the tables' owner, a superuser even
        for statement in statements:
            with pytest.raises(psycopg.errors.RaiseException, match="a close is a record"):
                owner.execute(statement)
    with open_store(postgres_url) as again:
        assert again.history() == [recorded]


def test_a_version_1_database_is_migrated_to_refuse_truncate(postgres_url: str, monkeypatch) -> None:
    version_2 = schema.MIGRATIONS
    monkeypatch.setattr(schema, "MIGRATIONS", version_2[:1])
    with open_store(postgres_url) as old:
        recorded = old.record_close(make_record())
    monkeypatch.setattr(schema, "MIGRATIONS", version_2)
    with open_store(postgres_url) as store:
        assert store.history() == [recorded]
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        assert [v for (v,) in owner.execute("SELECT version FROM finmodel_schema ORDER BY version")] == [1, 2, 3]
        with pytest.raises(psycopg.errors.RaiseException, match="a close is a record"):
            owner.execute("TRUNCATE closes CASCADE")


# -- a database that cannot hold UTF-8 text ------------------------------------------------------


@contextmanager
def _database(admin_url: str, encoding: str) -> Iterator[str]:
    name = f"finmodel_test_{encoding.lower()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} ENCODING '{encoding}' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        yield _with(admin_url, database=name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _tables_in(url: str) -> list[str]:
    with psycopg.connect(url) as raw:
        rows = raw.execute("SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
        return [name for (name,) in rows]


@pytest.mark.parametrize("encoding", ["SQL_ASCII", "LATIN1"])
def test_a_database_that_cannot_hold_utf8_is_refused_before_anything_is_recorded(
    postgres_admin_url: str, encoding: str
) -> None:
    with _database(postgres_admin_url, encoding) as url:
        with pytest.raises(StoreError, match=rf"the {encoding}.* encoding, .*nothing was recorded.*ENCODING 'UTF8'"):
            open_store(url)
        assert _tables_in(url) == []
        with pytest.raises(StoreError, match="encoding"):  # and again: nothing half-made on the way
            open_store(url)


@pytest.fixture(scope="module")
def example_m09(example_ics, tmp_path_factory) -> Path:
    from tests.example_ics import copy_example

    folders = copy_example(example_ics, tmp_path_factory.mktemp("example") / "inputs")  # a copy: system.yaml edited
    folder = next(f for f in folders if f.name == "M09")
    system_yaml = folder.parent / "system.yaml"
    system_yaml.write_text(system_yaml.read_text(encoding="utf-8") + "# North — and South\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("encoding", ["SQL_ASCII", "LATIN1"])
def test_the_cli_reports_a_non_utf8_database_as_a_database_error(
    postgres_admin_url: str, example_m09: Path, tmp_path: Path, encoding: str
) -> None:
    with _database(postgres_admin_url, encoding) as url:
        for command in (["close", str(example_m09), "--out", str(tmp_path / "out")], ["history"]):
            result = CliRunner().invoke(app, [*command, "--db", url])
            assert result.exit_code == 5, result.output
            assert "UTF8 database" in result.output and "Traceback" not in result.output
        assert _tables_in(url) == []


# -- waiting for a colleague ---------------------------------------------------------------------


@contextmanager
def _colleague_writing(url: str) -> Iterator[None]:
    """Another connection inside a write, holding the writers' lock until the block ends."""
    with psycopg.connect(url) as colleague:
        colleague.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        yield
        colleague.rollback()


def test_a_close_waiting_for_a_colleague_gives_up_after_the_lock_timeout(postgres_url: str, monkeypatch) -> None:
    open_store(postgres_url).close()
    monkeypatch.setenv("FINMODEL_LOCK_TIMEOUT", "1")
    with open_store(postgres_url) as store:
        with _colleague_writing(postgres_url):
            started = time.monotonic()
            with pytest.raises(StoreBusy, match=r"is busy: .* more than 1 s, so nothing was recorded") as busy:
                store.record_close(make_record())
            assert 0.9 < time.monotonic() - started < 10
            assert busy.value.seconds == 1
        assert store.history() == []
        assert store.record_close(make_record()).version == 1  # the colleague has finished: it goes through


def test_a_lock_timeout_in_the_url_is_kept(postgres_url: str, monkeypatch) -> None:
    monkeypatch.delenv("FINMODEL_LOCK_TIMEOUT", raising=False)
    open_store(postgres_url).close()
    with open_store(f"{postgres_url}%20-clock_timeout%3D1500") as store, _colleague_writing(postgres_url):
        with pytest.raises(StoreBusy) as busy:
            store.record_close(make_record())
        assert busy.value.seconds == 1.5


# -- users with too few grants ------------------------------------------------------------------


@pytest.fixture
def clerk(postgres_admin_url: str) -> Iterator[str]:
    """A role that may only connect, as a new colleague's login would be."""
    name = f"finmodel_clerk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN")
    yield name
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        admin.execute(f"DROP OWNED BY {name}")
        admin.execute(f"DROP ROLE {name}")


def _grant(url: str, statement: str) -> None:
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute(statement)


def test_missing_grants_are_reported_as_missing_grants(postgres_url: str, clerk: str) -> None:
    with open_store(postgres_url) as owners:
        recorded = owners.record_close(make_record(month=9))
    schema_name, clerk_url = _schema_of(postgres_url), _with(postgres_url, user=clerk)
    with pytest.raises(StoreError, match=rf"you \({clerk}\) have no USAGE grant on schema {schema_name}.*GRANT USAGE"):
        open_store(clerk_url)
    _grant(postgres_url, f"GRANT USAGE ON SCHEMA {schema_name} TO {clerk}")
    with pytest.raises(StoreError, match=rf"you \({clerk}\) have no SELECT grant on .*closes.* ask the tables' owner"):
        open_store(clerk_url)
    _grant(postgres_url, f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema_name} TO {clerk}")
    with open_store(clerk_url) as store:
        assert store.history() == [recorded]  # reading needs SELECT only
        expected = rf"no INSERT grant on closes, close_input_files, close_ledgers .*GRANT INSERT ON .* TO {clerk}"
        with pytest.raises(StoreError, match=expected):
            store.record_close(make_record())
    _grant(postgres_url, f"GRANT INSERT ON closes, close_input_files, close_ledgers TO {clerk}")
    with open_store(clerk_url) as store:
        assert store.record_close(make_record()).made_by == "asmith"
    with psycopg.connect(clerk_url, autocommit=True) as raw:
        for statement in ("TRUNCATE closes CASCADE", "UPDATE closes SET made_by = 'x'", "DELETE FROM closes"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(statement)


def test_a_user_who_may_not_create_tables_is_told_who_must(postgres_url: str, clerk: str) -> None:
    _grant(postgres_url, f"GRANT USAGE ON SCHEMA {_schema_of(postgres_url)} TO {clerk}")
    with pytest.raises(StoreError, match=r"holds no finmodel close history yet .* may not create its tables"):
        open_store(_with(postgres_url, user=clerk))


def test_only_the_owner_may_migrate_and_the_database_is_left_unchanged(
    postgres_url: str, clerk: str, monkeypatch
) -> None:
    version_2 = schema.MIGRATIONS
    monkeypatch.setattr(schema, "MIGRATIONS", version_2[:1])
    open_store(postgres_url).close()
    monkeypatch.setattr(schema, "MIGRATIONS", version_2)
    schema_name = _schema_of(postgres_url)
    _grant(postgres_url, f"GRANT USAGE ON SCHEMA {schema_name} TO {clerk}")
    _grant(postgres_url, f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {schema_name} TO {clerk}")
    with pytest.raises(StoreError, match=r"must be upgraded .* only the owner of its tables \(\w+\) can do, not you"):
        open_store(_with(postgres_url, user=clerk))
    with psycopg.connect(postgres_url) as raw:
        assert raw.execute("SELECT MAX(version) FROM finmodel_schema").fetchone() == (1,)
