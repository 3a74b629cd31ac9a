"""The close history's tables, and how a database is brought up to this version of them.

The schema is versioned by an ordered list of migrations: ``MIGRATIONS[n]`` takes a
database from schema version n to n + 1, and an empty database is version 0, so a new
database and an upgraded one are built by the same steps. ``finmodel_schema`` records each
step applied. A database newer than this code knows is refused, never guessed at.

To change the schema: append a migration (never edit a released one), and say in
docs/store.md what it does. A close is a record, so a migration that must rewrite closes
has to drop and recreate the triggers that guard them, inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from finmodel import __version__
from finmodel.store.backends import Backend
from finmodel.store.errors import StoreError

SCHEMA_TABLE = "finmodel_schema"
CLOSE_TABLES = ("closes", "close_input_files", "close_ledgers")
RUN_TABLES = ("scenario_runs",)  # schema version 3
_GUARDED_TABLES = CLOSE_TABLES
_IMMUTABLE_MESSAGE = "finmodel: a close is a record and cannot be changed or deleted; reopen it instead"
_RUN_IS_A_RECORD = "finmodel: a scenario run is a record and cannot be changed or deleted; run the scenario again instead"


def _create_version_1(db: Backend) -> None:
    db.execute(
        f"""CREATE TABLE {SCHEMA_TABLE} (
            version INTEGER NOT NULL PRIMARY KEY,
            applied_at TEXT NOT NULL,
            applied_by_finmodel TEXT NOT NULL
        )"""
    )
    db.execute(
        f"""CREATE TABLE closes (
            close_id {db.key_column},
            year TEXT NOT NULL,
            month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
            version INTEGER NOT NULL CHECK (version >= 1),
            system_name TEXT NOT NULL,
            made_at TEXT NOT NULL,
            made_by TEXT NOT NULL,
            model_version TEXT NOT NULL,
            system_yaml TEXT NOT NULL,
            results_json TEXT NOT NULL,
            reopen_reason TEXT,
            CONSTRAINT one_close_per_version UNIQUE (year, month, version),
            CONSTRAINT every_reopen_has_a_reason CHECK (
                (version = 1 AND reopen_reason IS NULL) OR (version > 1 AND reopen_reason IS NOT NULL)
            )
        )"""
    )
    db.execute(
        """CREATE TABLE close_input_files (
            close_id BIGINT NOT NULL REFERENCES closes (close_id),
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size_bytes BIGINT NOT NULL,
            PRIMARY KEY (close_id, file_name)
        )"""
    )
    db.execute(
        f"""CREATE TABLE close_ledgers (
            close_id BIGINT NOT NULL PRIMARY KEY REFERENCES closes (close_id),
            encoding TEXT NOT NULL,
            row_count BIGINT NOT NULL,
            payload_sha256 TEXT NOT NULL,
            data {db.blob_type} NOT NULL
        )"""
    )
    _guard_closes(db)


def _guard_closes(db: Backend) -> None:
    """Triggers that refuse UPDATE and DELETE on the close tables, whoever issues them.

    The PostgreSQL function is used by the TRUNCATE triggers of version 2 too.
    """
    if db.dialect == "sqlite":
        for table in _GUARDED_TABLES:
            for action in ("UPDATE", "DELETE"):
                db.execute(
                    f"""CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
                    BEGIN SELECT RAISE(ABORT, '{_IMMUTABLE_MESSAGE}'); END"""
                )
        return
    db.execute(
        f"""CREATE FUNCTION finmodel_close_is_a_record() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{_IMMUTABLE_MESSAGE}'; END $$"""
    )
    for table in _GUARDED_TABLES:
        db.execute(
            f"""CREATE TRIGGER {table}_are_records BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION finmodel_close_is_a_record()"""
        )


def _refuse_truncate_version_2(db: Backend) -> None:
    """PostgreSQL: refuse TRUNCATE too, which skips row triggers (even TRUNCATE closes CASCADE).

    SQLite has no TRUNCATE: its DELETE without WHERE is a truncate only on a table without
    triggers, so the DELETE triggers already cover it, and this step changes nothing there.
    """
    if db.dialect == "sqlite":
        return
    for table in _GUARDED_TABLES:
        db.execute(
            f"""CREATE TRIGGER {table}_are_not_truncated BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION finmodel_close_is_a_record()"""
        )


def _scenario_runs_version_3(db: Backend) -> None:
    """Scenario runs kept in the history beside the closes they overlay, as records too.

    A run keeps the scenario file's text (and its SHA-256), so every figure it showed can be
    traced to the exact file, and its results as the job serialised them (opaque here).
    """
    db.execute(
        """CREATE TABLE scenario_runs (
            run_id {key},
            close_id BIGINT NOT NULL REFERENCES closes (close_id),
            name TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_text TEXT NOT NULL,
            file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
            seed BIGINT NOT NULL CHECK (seed >= 0),
            iterations BIGINT NOT NULL CHECK (iterations >= 1),
            run_at TEXT NOT NULL,
            run_by TEXT NOT NULL,
            model_version TEXT NOT NULL,
            summary_json TEXT NOT NULL
        )""".format(key=db.key_column)
    )
    db.execute("CREATE INDEX scenario_runs_by_name ON scenario_runs (name, run_id)")
    if db.dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            db.execute(
                f"""CREATE TRIGGER scenario_runs_no_{action.lower()} BEFORE {action} ON scenario_runs
                BEGIN SELECT RAISE(ABORT, '{_RUN_IS_A_RECORD}'); END"""
            )
        return
    db.execute(
        f"""CREATE FUNCTION finmodel_scenario_run_is_a_record() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{_RUN_IS_A_RECORD}'; END $$"""
    )
    db.execute(
        """CREATE TRIGGER scenario_runs_are_records BEFORE UPDATE OR DELETE ON scenario_runs
        FOR EACH ROW EXECUTE FUNCTION finmodel_scenario_run_is_a_record()"""
    )
    db.execute(
        """CREATE TRIGGER scenario_runs_are_not_truncated BEFORE TRUNCATE ON scenario_runs
        FOR EACH STATEMENT EXECUTE FUNCTION finmodel_scenario_run_is_a_record()"""
    )


Migration = Callable[[Backend], None]
MIGRATIONS: list[Migration] = [_create_version_1, _refuse_truncate_version_2, _scenario_runs_version_3]


def current_version() -> int:
    return len(MIGRATIONS)


def stored_version(db: Backend) -> int:
    """The database's schema version: 0 when it holds no finmodel tables yet."""
    tables = db.table_names()
    if SCHEMA_TABLE not in tables:
        ours = tables & set(CLOSE_TABLES)
        # A SQLite file is one database: tables of another program mean a wrong --db path.
        # A PostgreSQL database may be shared with other applications' tables.
        foreign = tables if db.dialect == "sqlite" else ours
        if foreign:
            raise StoreError(
                f"{db.location} holds tables that are not a finmodel close history "
                f"({', '.join(sorted(foreign))}): point --db at a finmodel database or a new file"
            )
        return 0
    db.check_access("read", [SCHEMA_TABLE, *CLOSE_TABLES])  # scenario_runs: checked when runs are read
    rows = db.query(f"SELECT MAX(version) FROM {SCHEMA_TABLE}")
    version = rows[0][0] if rows else None
    if not isinstance(version, int) or version < 1:
        raise StoreError(f"{db.location}: the finmodel schema table is damaged (no version recorded)")
    return version


def bring_up_to_date(db: Backend) -> None:
    """Create or migrate the schema; refuse a database written by a newer finmodel."""
    found = stored_version(db)
    if found == current_version():
        return
    _refuse_if_newer(db, found)
    # Said as a missing grant now, rather than as a failed CREATE TABLE or CREATE TRIGGER.
    db.check_access("create" if found == 0 else "migrate", [SCHEMA_TABLE, *CLOSE_TABLES, *RUN_TABLES])
    with db.write_transaction():
        found = stored_version(db)  # again, under the write lock: another process may have migrated it
        _refuse_if_newer(db, found)
        for step in range(found, current_version()):
            MIGRATIONS[step](db)
            db.execute(
                f"INSERT INTO {SCHEMA_TABLE} (version, applied_at, applied_by_finmodel) VALUES (?, ?, ?)",
                (step + 1, _now(), __version__),
            )


def _refuse_if_newer(db: Backend, found: int) -> None:
    if found > current_version():
        raise StoreError(
            f"{db.location} was written by a newer finmodel (close history schema version {found}; "
            f"this finmodel {__version__} knows versions up to {current_version()}). "
            "Upgrade finmodel to use this database; it has not been changed."
        )


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
