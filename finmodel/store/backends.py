"""The two databases a close history can live in, behind one small interface.

Everything above this module writes plain SQL with ``?`` placeholders; a backend runs it.
The few things that differ between SQLite and PostgreSQL are here and nowhere else: the
placeholder style, the type of a generated key and of a blob, how a writer gets the
database to itself, and how to list tables.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

from finmodel.store.errors import StoreError

_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")
_SQLITE_HEADER = b"SQLite format 3\x00"
# Seconds a writer waits for another writer (say a colleague's close) before giving up.
_BUSY_TIMEOUT_SECONDS = 60
# Key of the PostgreSQL advisory lock that makes writers take turns, as SQLite's
# BEGIN IMMEDIATE does: "finmodel" in ASCII, read as a 64-bit integer.
_POSTGRES_WRITE_LOCK = int.from_bytes(b"finmodel", "big")


class Backend(Protocol):
    dialect: str  # "sqlite" or "postgresql"
    location: str  # for messages; never shows a password
    key_column: str  # DDL of a generated integer primary key
    blob_type: str
    errors: tuple[type[Exception], ...]  # the driver's errors, to be reported as StoreError
    integrity_errors: tuple[type[Exception], ...]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def insert_returning_key(self, sql: str, params: Sequence[Any], key: str) -> int: ...
    def write_transaction(self) -> Any: ...  # context manager: all or nothing, one writer at a time
    def table_names(self) -> set[str]: ...
    def close(self) -> None: ...


def connect(location: str | Path) -> Backend:
    """A SQLite file for a path or ``sqlite:///path``; PostgreSQL for ``postgresql://...``."""
    if isinstance(location, Path):
        return SqliteBackend(location)
    text = str(location).strip()
    match = _URL.match(text)
    if match is None:
        return SqliteBackend(Path(text))
    scheme = match.group("scheme").lower()
    if scheme == "sqlite":
        # sqlite:///finmodel.db is relative to the working directory, sqlite:////srv/f.db absolute
        path = text[len("sqlite://") :]
        if not path.startswith("/") or path == "/":
            raise StoreError(
                f"{text!r}: a SQLite URL names a file, e.g. sqlite:///finmodel.db or sqlite:////srv/finmodel.db"
            )
        return SqliteBackend(Path(path[1:]))
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        return PostgresBackend(text)
    raise StoreError(
        f"database {_redacted(text)!r}: finmodel stores closes in SQLite (a file path) "
        "or PostgreSQL (postgresql://...)"
    )


class SqliteBackend:
    dialect = "sqlite"
    key_column = "INTEGER PRIMARY KEY"  # SQLite's rowid: generated, and never reused while rows exist
    blob_type = "BLOB"
    errors = (sqlite3.Error,)
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: Path) -> None:
        self.location = str(path)
        _check_sqlite_file(path)
        try:
            # isolation_level=None: no implicit transactions; write_transaction says where they are.
            self._connection = sqlite3.connect(path, isolation_level=None, timeout=_BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open database {path}: {error}") from None
        try:
            (mode,) = self._connection.execute("PRAGMA journal_mode=WAL").fetchone()
            if str(mode).lower() != "wal":
                raise StoreError(f"database {path} cannot use write-ahead logging (journal mode {mode})")
            # FULL: WAL is already safe against a killed process with NORMAL, but NORMAL can
            # lose the last commits on a power cut; a close is made once a month, so one
            # extra fsync per close is a small price for "recorded" meaning recorded.
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as error:
            self._connection.close()
            raise StoreError(f"{path} is not a usable SQLite database: {error}") from None
        except StoreError:
            self._connection.close()
            raise

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self._connection.execute(sql, tuple(params)).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._connection.execute(sql, tuple(params))

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._connection.executemany(sql, rows)

    def insert_returning_key(self, sql: str, params: Sequence[Any], key: str) -> int:
        # lastrowid rather than RETURNING, which needs SQLite 3.35 (2021).
        return int(self._connection.execute(sql, tuple(params)).lastrowid)

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock now, so two closers queue here rather than both
        # reading "no version yet" and racing to write version 1.
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._connection.execute("COMMIT")
        except BaseException:
            if self._connection.in_transaction:
                with suppress(sqlite3.Error):
                    self._connection.execute("ROLLBACK")
            raise

    def table_names(self) -> set[str]:
        return {name for (name,) in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def close(self) -> None:
        # The last connection to close folds the log back and removes -wal and -shm by
        # itself; checkpointing here also folds it back (as far as readers allow) while
        # another store is still open, so the .db file alone holds the recorded closes.
        with suppress(sqlite3.Error):
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._connection.close()


def _check_sqlite_file(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"database {path} is a folder: give the path of a file, e.g. {path / 'finmodel.db'}")
    if not path.parent.is_dir():
        raise StoreError(f"cannot create database {path}: folder {path.parent} does not exist")
    if path.is_file() and path.stat().st_size > 0:
        try:
            with path.open("rb") as handle:
                head = handle.read(len(_SQLITE_HEADER))
        except OSError as error:
            raise StoreError(f"cannot read database {path}: {error.strerror}") from None
        if head != _SQLITE_HEADER:
            raise StoreError(
                f"{path} is not a SQLite database, so it cannot hold finmodel closes "
                "(is --db pointing at the right file?)"
            )


class PostgresBackend:
    dialect = "postgresql"
    key_column = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    blob_type = "BYTEA"

    def __init__(self, url: str) -> None:
        self.location = _redacted(url)
        try:
            import psycopg  # only a team sharing one PostgreSQL database needs it
        except ImportError:
            raise StoreError(
                f"{self.location} is a PostgreSQL database, which needs the psycopg driver: "
                'pip install "psycopg[binary]"'
            ) from None
        self.errors = (psycopg.Error,)
        self.integrity_errors = (psycopg.IntegrityError,)
        # "postgresql+psycopg://" (SQLAlchemy's spelling) means the same server to libpq.
        libpq_url = re.sub(r"^postgres(ql)?(\+[A-Za-z0-9]+)?://", "postgresql://", url)
        try:
            # autocommit: reads see the latest closes; writes are explicit transactions below.
            self._connection = psycopg.connect(libpq_url, autocommit=True)
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to {self.location}: {str(error).strip()}") from None

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
        with self._connection.transaction():
            # Writers take turns, as with SQLite; the lock is released at commit or rollback.
            self.execute("SELECT pg_advisory_xact_lock(?)", (_POSTGRES_WRITE_LOCK,))
            yield

    def table_names(self) -> set[str]:
        rows = self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {name for (name,) in rows}

    def close(self) -> None:
        self._connection.close()


def _postgres_sql(sql: str) -> str:
    # The store's SQL has no literal ? or %, so this is the whole paramstyle adapter.
    return sql.replace("?", "%s")


def _redacted(url: str) -> str:
    """The URL as it may be shown: any password replaced by ***."""
    url = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&]*", r"\1***", url)
