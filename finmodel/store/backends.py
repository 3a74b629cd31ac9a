"""The two databases a close history can live in, behind one small interface.

Everything above this module writes plain SQL with ``?`` placeholders; a backend runs it.
The few things that differ between SQLite and PostgreSQL are here and nowhere else: the
placeholder style, the type of a generated key and of a blob, how a writer gets the
database to itself, how to list tables and who may use them. SQLite is here; PostgreSQL,
which has more to check on connecting (encoding, grants), is in ``postgres.py``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

from finmodel.store.errors import StoreBusy, StoreError
from finmodel.store.postgres import PostgresBackend, redacted
from finmodel.store.timeouts import lock_timeout_seconds

_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")
_SQLITE_HEADER = b"SQLite format 3\x00"


class Backend(Protocol):
    dialect: str  # "sqlite" or "postgresql"
    location: str  # for messages; never shows a password
    key_column: str  # DDL of a generated integer primary key
    blob_type: str
    errors: tuple[type[Exception], ...]  # the driver's errors, to be reported as StoreError
    integrity_errors: tuple[type[Exception], ...]
    lock_timeout: float  # seconds a writer waits for another before StoreBusy

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def insert_returning_key(self, sql: str, params: Sequence[Any], key: str) -> int: ...
    def write_transaction(self) -> Any: ...  # context manager: all or nothing, one writer at a time
    def table_names(self) -> set[str]: ...
    # Refuse, as a StoreError naming what to ask for, what this user may not do to these
    # tables: "read", "write", "create" (the first tables) or "migrate" (an older schema).
    def check_access(self, need: str, tables: Sequence[str]) -> None: ...
    def close(self) -> None: ...


def connect(location: str | Path) -> Backend:
    """A SQLite file for a path or ``sqlite:///path``; PostgreSQL for ``postgresql://...``."""
    path = _sqlite_path(location)
    return PostgresBackend(str(location).strip()) if path is None else SqliteBackend(path)


def check_location(location: str | Path) -> None:
    """Refuse, with the StoreError ``connect`` would give, a location that cannot work, and
    touch nothing: a SQLite file whose folder is missing, a folder, a file that is not
    SQLite, a URL of no database finmodel knows. A PostgreSQL URL is not connected to here."""
    path = _sqlite_path(location)
    if path is not None:
        _check_sqlite_file(path)


def not_created(location: str | Path) -> bool:
    """A SQLite file not made yet (nothing has been recorded there); False for a URL of a
    server's database, which may hold closes. Touches nothing."""
    path = _sqlite_path(location)
    return path is not None and not path.exists()


def _sqlite_path(location: str | Path) -> Path | None:
    """The SQLite file a location names; None for a PostgreSQL URL; StoreError otherwise."""
    if isinstance(location, Path):
        return location
    text = str(location).strip()
    match = _URL.match(text)
    if match is None:
        return Path(text)
    scheme = match.group("scheme").lower()
    if scheme == "sqlite":
        # sqlite:///finmodel.db is relative to the working directory, sqlite:////srv/f.db absolute
        path = text[len("sqlite://") :]
        if not path.startswith("/") or path == "/":
            raise StoreError(
                f"{text!r}: a SQLite URL names a file, e.g. sqlite:///finmodel.db or sqlite:////srv/finmodel.db"
            )
        return Path(path[1:])
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        return None
    raise StoreError(
        f"database {redacted(text)!r}: finmodel stores closes in SQLite (a file path) "
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
        self.lock_timeout = lock_timeout_seconds()
        _check_sqlite_file(path)
        try:
            # isolation_level=None: no implicit transactions; write_transaction says where they are.
            self._connection = sqlite3.connect(path, isolation_level=None, timeout=self.lock_timeout)
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
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreBusy(self.location, self.lock_timeout) from None
            raise
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

    def check_access(self, need: str, tables: Sequence[str]) -> None:
        pass  # a SQLite file has no grants: the file's own permissions give their own errors

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
