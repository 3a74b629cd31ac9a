"""The close history in a PostgreSQL database shared by a team (docs/store.md).

Besides running the store's SQL, this backend refuses, before anything is written, a
database it cannot use safely: one that cannot hold UTF-8 text, and one whose tables the
user may not read or write, said as missing grants rather than as a failed CREATE TABLE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from finmodel.store.errors import StoreBusy, StoreError
from finmodel.store.timeouts import DEFAULT_LOCK_TIMEOUT_SECONDS, lock_timeout_from_environment

# Key of the PostgreSQL advisory lock that makes writers take turns, as SQLite's
# BEGIN IMMEDIATE does: "finmodel" in ASCII, read as a 64-bit integer.
WRITE_LOCK_KEY = int.from_bytes(b"finmodel", "big")
_CREATE_UTF8 = "CREATE DATABASE finmodel ENCODING 'UTF8' TEMPLATE template0"
# What a user needs on each table, by what the command is about to do.
_NEEDS = {"read": ("SELECT",), "write": ("SELECT", "INSERT")}


class PostgresBackend:
    dialect = "postgresql"
    key_column = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    blob_type = "BYTEA"

    def __init__(self, url: str) -> None:
        self.location = redacted(url)
        try:
            import psycopg  # only a team sharing one PostgreSQL database needs it
        except ImportError:
            raise StoreError(
                f"{self.location} is a PostgreSQL database, which needs the psycopg driver: "
                'pip install "psycopg[binary]"'
            ) from None
        self.errors = (psycopg.Error,)
        self.integrity_errors = (psycopg.IntegrityError,)
        self._busy_errors = (psycopg.errors.LockNotAvailable,)
        # "postgresql+psycopg://" (SQLAlchemy's spelling) means the same server to libpq.
        libpq_url = re.sub(r"^postgres(ql)?(\+[A-Za-z0-9]+)?://", "postgresql://", url)
        try:
            # autocommit: reads see the latest closes; writes are explicit transactions below.
            # client_encoding: text always travels as UTF-8, whatever PGCLIENTENCODING says.
            self._connection = psycopg.connect(libpq_url, autocommit=True, client_encoding="UTF8")
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to {self.location}: {str(error).strip()}") from None
        try:
            self._refuse_unless_utf8()
            self.lock_timeout = self._set_lock_timeout()
        except psycopg.Error as error:
            self._connection.close()
            raise StoreError(f"cannot use {self.location}: {str(error).strip()}") from None
        except BaseException:
            self._connection.close()
            raise

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        cursor = self._connection.execute(_postgres_sql(sql), tuple(params) or None)
        return cursor.fetchall() if cursor.description else []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._connection.execute(_postgres_sql(sql), tuple(params) or None)

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._connection.cursor() as cursor:
            cursor.executemany(_postgres_sql(sql), [tuple(row) for row in rows])

    def insert_returning_key(self, sql: str, params: Sequence[Any], key: str) -> int:
        (row,) = self.query(f"{sql} RETURNING {key}", params)
        return int(row[0])

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        try:
            with self._connection.transaction():
                # Writers take turns, as with SQLite; the lock is released at commit or rollback.
                # Waiting for it (or for any lock) ends after lock_timeout.
                self.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))
                yield
        except self._busy_errors:
            raise StoreBusy(self.location, self.lock_timeout) from None

    def table_names(self) -> set[str]:
        # pg_class, not information_schema.tables: that one hides the tables a user has no
        # grant on, and finmodel would then try to create tables that are there.
        schema = self._schema()
        rows = self.query(
            "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            (schema,),
        )
        return {name for (name,) in rows}

    def check_access(self, need: str, tables: Sequence[str]) -> None:
        """Refuse, naming the grant to ask for, what this user may not do: read, write, create, migrate."""
        if need == "create":
            self._check_can_create()
            return
        rows = self.query(
            "SELECT c.relname, pg_catalog.pg_get_userbyid(c.relowner), "
            "pg_catalog.pg_has_role(c.relowner, 'USAGE'), "
            "pg_catalog.has_table_privilege(c.oid, 'SELECT'), pg_catalog.has_table_privilege(c.oid, 'INSERT') "
            "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ? AND c.relname = ANY(?)",
            (self._schema(), list(tables)),
        )
        rows.sort(key=lambda row: list(tables).index(row[0]))
        if need == "migrate":
            _check_owner(self.location, self._user(), rows)
            return
        for privilege in _NEEDS[need]:
            missing = [name for name, _, _, select, insert in rows if not (select, insert)[privilege == "INSERT"]]
            if missing:
                owners = sorted({owner for _, owner, _, _, _ in rows})
                raise StoreError(_no_grant_message(self.location, self._user(), privilege, missing, owners, need))

    def close(self) -> None:
        self._connection.close()

    # -- checks made on connecting ------------------------------------------------------

    def _refuse_unless_utf8(self) -> None:
        (encoding,) = self.query("SHOW server_encoding")[0]
        if str(encoding).upper() in ("UTF8", "UTF-8"):
            return
        kind = "SQL_ASCII (bytes with no character set)" if encoding == "SQL_ASCII" else str(encoding)
        raise StoreError(
            f"{self.location} is a database with the {kind} encoding, which cannot hold all the text a "
            "close may contain (a '—' or an accented name in system.yaml, say), so finmodel has not used it "
            f"and nothing was recorded. finmodel needs a UTF8 database: {_CREATE_UTF8} "
            "(or createdb --encoding=UTF8 --template=template0 finmodel), then point --db at it."
        )

    def _set_lock_timeout(self) -> float:
        """FINMODEL_LOCK_TIMEOUT; else a lock_timeout already set (URL options, ALTER ROLE); else 60 s."""
        seconds = lock_timeout_from_environment()
        if seconds is None:
            (setting,) = self.query("SELECT setting FROM pg_catalog.pg_settings WHERE name = 'lock_timeout'")[0]
            if int(setting) > 0:
                return int(setting) / 1000
            seconds = DEFAULT_LOCK_TIMEOUT_SECONDS
        milliseconds = max(1, round(seconds * 1000))  # SET takes no parameters; this is an int
        self.execute(f"SET lock_timeout = {milliseconds}")
        return milliseconds / 1000

    def _schema(self) -> str:
        rows = self.query("SELECT current_schema()")
        if rows and rows[0][0] is not None:
            return str(rows[0][0])
        (search_path,) = self.query("SHOW search_path")[0]
        user = self._user()
        named = [part.strip().strip('"').replace("$user", user) for part in str(search_path).split(",")]
        locked = [name for (name,) in self.query(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(?) "
            "AND NOT pg_catalog.has_schema_privilege(oid, 'USAGE')", (named,)
        )]  # fmt: skip
        if locked:
            raise StoreError(
                f"you ({user}) have no USAGE grant on schema {locked[0]} in {self.location}, so finmodel cannot "
                f"see its close history there; ask the schema's owner to run: GRANT USAGE ON SCHEMA {locked[0]} "
                f"TO {user}"
            )
        raise StoreError(
            f"{self.location}: no schema on the search path ({search_path}) exists; create it "
            "(CREATE SCHEMA finmodel) or fix the URL's search_path option"
        )

    def _user(self) -> str:
        return str(self.query("SELECT current_user")[0][0])

    def _check_can_create(self) -> None:
        schema = self._schema()
        (allowed,) = self.query("SELECT pg_catalog.has_schema_privilege(?, 'CREATE')", (schema,))[0]
        if not allowed:
            raise StoreError(
                f"{self.location} holds no finmodel close history yet (schema {schema}), and you "
                f"({self._user()}) may not create its tables there. Ask the database owner to run one finmodel "
                "command against it first (e.g. finmodel history --db ...), which creates the tables, and to "
                "grant you SELECT and INSERT on them (docs/store.md, A team sharing PostgreSQL)."
            )


def _no_grant_message(location: str, user: str, privilege: str, missing: list[str], owners: list[str], need: str) -> str:
    tables = ", ".join(missing)
    doing = "read the close history" if need == "read" else "record a close"
    if "scenario_runs" in missing:
        doing = "read its scenario runs" if need == "read" else "record a scenario run"
    return (
        f"you ({user}) have no {privilege} grant on {tables} in {location}, so finmodel cannot {doing} there; "
        f"ask the tables' owner ({', '.join(owners)}) to run: GRANT {privilege} ON {tables} TO {user}"
    )


def _check_owner(location: str, user: str, rows: list[tuple]) -> None:
    not_owned = sorted({owner for _, owner, member, _, _ in rows if not member})
    if not_owned:
        raise StoreError(
            f"the close history in {location} must be upgraded for this finmodel, which only the owner of its "
            f"tables ({', '.join(not_owned)}) can do, not you ({user}): ask them to run one finmodel command "
            "against it (e.g. finmodel history --db ...); it has not been changed."
        )


def _postgres_sql(sql: str) -> str:
    # The store's SQL has no literal ? or %, so this is the whole paramstyle adapter.
    return sql.replace("?", "%s")


def redacted(url: str) -> str:
    """The URL as it may be shown: any password replaced by ***."""
    url = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&]*", r"\1***", url)
