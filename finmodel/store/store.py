"""Closes in the database: record one atomically, read them back, list the history.

A close is a record. Recording the same year and month again needs a reason (a reopen),
which adds a new version and leaves the earlier ones exactly as they were. Every close is
written in one transaction, so a failure or a killed process at any point leaves the whole
close or none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from finmodel.calendar import close_label
from finmodel.ledger import with_defaults
from finmodel.store.backends import Backend, connect
from finmodel.store.errors import CloseExists, CloseRefused, NothingToReopen, StoreError
from finmodel.store.ledger_blob import ENCODING, LedgerFormatError, PackedLedger, pack_ledger, unpack_ledger
from finmodel.store.records import (
    CloseRecord,
    ScenarioRunRecord,
    StoredClose,
    StoredScenarioRun,
    canonical_year,
    check_month,
    checked_record,
    checked_run,
)
from finmodel.store.runs import SELECT_RUNS, insert_run, missing_closes, stored_run
from finmodel.store.schema import CLOSE_TABLES, RUN_TABLES, bring_up_to_date

DEFAULT_DB = "finmodel.db"  # relative to the working directory (docs/store.md)

_CLOSE_COLUMNS = (
    "c.close_id, c.year, c.month, c.version, c.system_name, c.made_at, c.made_by, c.model_version, "
    "c.system_yaml, c.results_json, c.reopen_reason, l.row_count, l.payload_sha256"
)
_SELECT_CLOSES = f"SELECT {_CLOSE_COLUMNS} FROM closes c LEFT JOIN close_ledgers l ON l.close_id = c.close_id"


def open_store(location: str | Path = DEFAULT_DB) -> Store:
    """Open (creating or migrating if needed) the close history at a path or database URL."""
    db = connect(location)
    try:
        with _reported(db, "open the close history"):
            bring_up_to_date(db)
    except BaseException:
        db.close()
        raise
    return Store(db)


class Store:
    def __init__(self, db: Backend) -> None:
        self._db: Backend | None = db

    @property
    def location(self) -> str:
        return self._connected().location

    def record_close(
        self, record: CloseRecord, reopen_reason: str | None = None,
        pack: Callable[[pd.DataFrame], PackedLedger] = pack_ledger,
    ) -> StoredClose:
        """Record a close in one transaction; with a reopen reason, as a new version of its month.

        ``pack`` packs the record's ledger, called where the store would call ``pack_ledger``
        (so its errors come in the same order); the close job's packs in a thread begun as
        soon as the ledger was built (finmodel/jobs/ledger_packing.py). It must return what
        ``pack_ledger`` would: the blob, its rows and hash are stored as given."""
        record = checked_record(record)
        reason = _checked_reason(reopen_reason)
        # Packed before the transaction: it is the slow part and needs no lock.
        ledger = pack(record.ledger)
        db = self._connected()
        action = f"record the close of {close_label(record.year, record.month)}"
        with _reported(db, action):
            db.check_access("write", CLOSE_TABLES)  # a missing INSERT grant, said as such
        try:
            with _reported(db, action), db.write_transaction():
                current = self._current_version(record.year, record.month)
                _refuse(record.year, record.month, current, reopening=reason is not None)
                version = 1 if current is None else current[0] + 1
                close_id = _insert_close(db, record, version, reason)
                _insert_input_files(db, close_id, record.input_files)
                _insert_ledger(db, close_id, ledger)
        except db.integrity_errors as error:
            # Writers take turns, so no second version 1 should get this far; if one does,
            # the database's UNIQUE rule stops it and the user is shown the close that won.
            current = self._current_version(record.year, record.month)
            if reason is None and current is not None:
                raise CloseExists(record.year, record.month, *current) from None
            raise StoreError(f"{db.location} refused the close of {close_label(record.year, record.month)}: {error}") from None
        return self._close_by_id(close_id)

    def check_recordable(self, year: str, month: int, reopening: bool) -> None:
        """Raise the refusal ``record_close`` would give (already closed; nothing to reopen),
        before the close is worked out or anything is written; it decides again as it records."""
        _refuse(year, month, self._current_version(canonical_year(year), check_month(month)), reopening)

    def latest(self, year: str, month: int) -> StoredClose | None:
        """The current (newest) version of that month's close."""
        rows = self._query(
            f"{_SELECT_CLOSES} WHERE c.year = ? AND c.month = ? ORDER BY c.version DESC LIMIT 1",
            (canonical_year(year), check_month(month)),
        )
        return self._with_files(rows)[0] if rows else None

    def previous(self, year: str, month: int) -> StoredClose | None:
        """The current version of the latest earlier close of the same financial year.

        That is normally month - 1; a skipped month is skipped. None at M1: the year's first
        close has nothing earlier in its year to move from.
        """
        rows = self._query(
            f"{_SELECT_CLOSES} WHERE c.year = ? AND c.month < ? ORDER BY c.month DESC, c.version DESC LIMIT 1",
            (canonical_year(year), check_month(month)),
        )
        return self._with_files(rows)[0] if rows else None

    def history(self) -> list[StoredClose]:
        """Every version of every close, by year, month and version (ledgers load on demand)."""
        closes = self._with_files(self._query(_SELECT_CLOSES))
        return sorted(closes, key=lambda close: (close.year, close.month, close.version))

    def record_scenario_runs(self, runs: Sequence[ScenarioRunRecord]) -> tuple[StoredScenarioRun, ...]:
        """Record the runs of one scenario command in one transaction: all of them or none."""
        runs = [checked_run(run) for run in runs]
        if not runs:
            return ()
        db = self._connected()
        with _reported(db, "record the scenario runs"):
            db.check_access("write", RUN_TABLES)
        try:
            with _reported(db, "record the scenario runs"), db.write_transaction():
                missing = missing_closes(db, [run.close_id for run in runs])
                if missing:
                    raise StoreError(f"{db.location} holds no close {missing[0]} for a scenario run to overlay")
                run_ids = [insert_run(db, run) for run in runs]
        except db.integrity_errors as error:
            raise StoreError(f"{db.location} refused the scenario runs: {error}") from None
        marks = ", ".join("?" * len(run_ids))
        rows = self._read_runs(f"{SELECT_RUNS} WHERE r.run_id IN ({marks}) ORDER BY r.run_id", run_ids)
        return tuple(stored_run(row) for row in rows)

    def scenario_runs(self, name: str | None = None, year: str | None = None) -> list[StoredScenarioRun]:
        """Every scenario run (of that name, on a close of that year), oldest first."""
        where, params = [], []
        if name is not None:
            where.append("r.name = ?")
            params.append(name)
        if year is not None:
            where.append("c.year = ?")
            params.append(canonical_year(year))
        sql = SELECT_RUNS + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY r.run_id"
        return [stored_run(row) for row in self._read_runs(sql, params)]

    def scenario_run(self, run_id: int) -> StoredScenarioRun | None:
        rows = self._read_runs(f"{SELECT_RUNS} WHERE r.run_id = ?", (int(run_id),))
        return stored_run(rows[0]) if rows else None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------

    def _current_version(self, year: str, month: int) -> tuple[int, str, str] | None:
        rows = self._connected().query(
            "SELECT version, made_at, made_by FROM closes WHERE year = ? AND month = ? ORDER BY version DESC LIMIT 1",
            (year, month),
        )
        return (int(rows[0][0]), rows[0][1], rows[0][2]) if rows else None

    def _close_by_id(self, close_id: int) -> StoredClose:
        return self._with_files(self._query(f"{_SELECT_CLOSES} WHERE c.close_id = ?", (close_id,)))[0]

    def _with_files(self, rows: list[tuple]) -> list[StoredClose]:
        if not rows:
            return []
        if len(rows) == 1:
            file_rows = self._query(
                "SELECT close_id, file_name, sha256, size_bytes FROM close_input_files WHERE close_id = ?",
                (rows[0][0],),
            )
        else:
            file_rows = self._query("SELECT close_id, file_name, sha256, size_bytes FROM close_input_files")
        files: dict[int, list[tuple[str, str, int]]] = {}
        for close_id, name, sha256, size in file_rows:
            files.setdefault(int(close_id), []).append((name, sha256, int(size)))
        # Sorted here, not by ORDER BY: PostgreSQL would sort names by its locale's rules.
        return [self._stored_close(row, tuple(sorted(files.get(int(row[0]), [])))) for row in rows]

    def _stored_close(self, row: tuple, input_files: tuple[tuple[str, str, int], ...]) -> StoredClose:
        (close_id, year, month, version, system_name, made_at, made_by, model_version,
         system_yaml, results_json, reopen_reason, ledger_rows, ledger_sha256) = row  # fmt: skip
        if ledger_rows is None:
            raise StoreError(
                f"{self.location}: close {close_label(year, month)} version {version} has no ledger; the database is damaged"
            )
        close_id = int(close_id)
        return StoredClose(
            close_id=close_id,
            year=year,
            month=int(month),
            version=int(version),
            system_name=system_name,
            made_at=made_at,
            made_by=made_by,
            model_version=model_version,
            system_yaml=system_yaml,
            input_files=input_files,
            results_json=results_json,
            reopen_reason=reopen_reason,
            ledger_rows=int(ledger_rows),
            ledger_sha256=ledger_sha256,
            _load_ledger=lambda: self._load_ledger(close_id),
        )

    def _load_ledger(self, close_id: int) -> pd.DataFrame:
        rows = self._query(
            "SELECT encoding, row_count, payload_sha256, data FROM close_ledgers WHERE close_id = ?", (close_id,)
        )
        if not rows:
            raise StoreError(f"{self.location}: close {close_id} has no ledger; the database is damaged")
        encoding, row_count, sha256, data = rows[0]
        if encoding != ENCODING:
            raise StoreError(
                f"{self.location}: close {close_id}'s ledger is stored as {encoding!r}, which this finmodel cannot read"
            )
        try:
            ledger = unpack_ledger(bytes(data), expected_sha256=sha256)
        except LedgerFormatError as error:
            raise StoreError(f"{self.location}: close {close_id}'s ledger cannot be read: {error}") from None
        if len(ledger) != row_count:
            raise StoreError(f"{self.location}: close {close_id}'s ledger has {len(ledger)} rows, not {row_count}")
        return with_defaults(ledger)  # a close stored before a column was added reads as having it

    def _read_runs(self, sql: str, params: Sequence[Any]) -> list[tuple]:
        db = self._connected()
        with _reported(db, "read the scenario runs"):
            db.check_access("read", RUN_TABLES)  # said as a missing grant, not a failed SELECT
            return db.query(sql, params)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        db = self._connected()
        with _reported(db, "read the close history"):
            return db.query(sql, params)

    def _connected(self) -> Backend:
        if self._db is None:
            raise StoreError("the close history has been closed; open it again with open_store()")
        return self._db


# -- writing -------------------------------------------------------------------------------


def _insert_close(db: Backend, record: CloseRecord, version: int, reason: str | None) -> int:
    return db.insert_returning_key(
        "INSERT INTO closes (year, month, version, system_name, made_at, made_by, model_version, "
        "system_yaml, results_json, reopen_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record.year, record.month, version, record.system_name, record.made_at, record.made_by,
         record.model_version, record.system_yaml, record.results_json, reason),  # fmt: skip
        key="close_id",
    )


def _insert_input_files(db: Backend, close_id: int, files: tuple[tuple[str, str, int], ...]) -> None:
    db.execute_many(
        "INSERT INTO close_input_files (close_id, file_name, sha256, size_bytes) VALUES (?, ?, ?, ?)",
        [(close_id, name, sha256, size) for name, sha256, size in files],
    )


def _insert_ledger(db: Backend, close_id: int, ledger: PackedLedger) -> None:
    db.execute(
        "INSERT INTO close_ledgers (close_id, encoding, row_count, payload_sha256, data) VALUES (?, ?, ?, ?, ?)",
        (close_id, ENCODING, ledger.rows, ledger.sha256, ledger.data),
    )


def _refuse(year: str, month: int, current: tuple[int, str, str] | None, reopening: bool) -> None:
    if current is not None and not reopening:
        raise CloseExists(year, month, *current)
    if current is None and reopening:
        raise NothingToReopen(year, month)


def _checked_reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    if not isinstance(reason, str) or not reason.strip():
        raise CloseRefused('a reopen needs a reason for the audit trail, e.g. --reopen "corrected pay figures"')
    return reason.strip()


@contextmanager
def _reported(db: Backend, action: str) -> Iterator[None]:
    """Database driver errors as StoreError, naming the database and what was being done."""
    try:
        yield
    except db.integrity_errors:
        raise
    except db.errors as error:
        raise StoreError(f"cannot {action} in {db.location}: {error}") from None
