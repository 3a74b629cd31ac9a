"""What the pipeline hands to the store, and what comes back.

The store is at the edge: it never looks inside the results, which arrive already
serialised as JSON text, nor computes anything from the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from finmodel.calendar import FinancialYear

InputFiles = tuple[tuple[str, str, int], ...]  # (file name, sha256 hex, size in bytes), sorted by name
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CloseRecord:
    year: str  # "2023/24" (the folder form "2023-24" is accepted and stored as "2023/24")
    month: int  # 1..12
    system_name: str
    made_at: str  # ISO-8601 UTC, e.g. "2024-02-12T09:30:00Z"; set by the pipeline, not the store
    made_by: str  # user name, for the audit trail
    model_version: str
    system_yaml: str  # the file's text
    input_files: InputFiles
    results_json: str  # deterministic text serialised by the pipeline; opaque to the store
    ledger: pd.DataFrame = field(compare=False)  # str and int64 columns, money in pence


@dataclass(frozen=True)
class StoredClose:
    close_id: int
    year: str
    month: int
    version: int  # 1 for the first close of that month, 2 after one reopen...
    system_name: str
    made_at: str
    made_by: str
    model_version: str
    system_yaml: str
    input_files: InputFiles
    results_json: str
    reopen_reason: str | None  # why this version superseded the previous one (None for version 1)
    ledger_rows: int
    ledger_sha256: str  # SHA-256 of the packed ledger: equal for identical ledgers
    _load_ledger: Callable[[], pd.DataFrame] = field(repr=False, compare=False)

    def ledger(self) -> pd.DataFrame:
        """The close's ledger, read from the store now (it can be big, so it is not kept)."""
        return self._load_ledger()


def canonical_year(year: str) -> str:
    """``2023/24`` for ``2023/24`` or ``2023-24``; ValueError for anything else."""
    return FinancialYear.parse(year).label


def check_month(month: int) -> int:
    """The month as a plain int 1..12 (a numpy integer is accepted), or ValueError."""
    number = _whole_number(month)
    if number is None or not 1 <= number <= 12:
        raise ValueError(f"close month must be 1..12, got {month!r}")
    return number


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        return None


def checked_record(record: CloseRecord) -> CloseRecord:
    """The record with its year in canonical form and input files sorted, or ValueError.

    Checked here, before any write, so a malformed record fails with a message that names
    the field rather than as a database constraint deep inside a transaction.
    """
    for name in ("system_name", "made_by", "model_version", "system_yaml", "results_json"):
        if not isinstance(getattr(record, name), str):
            raise ValueError(f"close record {name} must be text, got {type(getattr(record, name)).__name__}")
    for name in ("system_name", "made_by", "model_version"):
        if not getattr(record, name).strip():
            raise ValueError(f"close record {name} is blank")
    _check_utc_time(record.made_at)
    if not isinstance(record.ledger, pd.DataFrame):
        raise ValueError(f"close record ledger must be a DataFrame, got {type(record.ledger).__name__}")
    files = tuple(sorted(_checked_file(entry) for entry in record.input_files))
    names = [name for name, _, _ in files]
    if len(set(names)) != len(names):
        raise ValueError(f"close record lists an input file twice: {names}")
    return CloseRecord(
        year=canonical_year(record.year),
        month=check_month(record.month),
        system_name=record.system_name,
        made_at=record.made_at,
        made_by=record.made_by,
        model_version=record.model_version,
        system_yaml=record.system_yaml,
        input_files=files,
        results_json=record.results_json,
        ledger=record.ledger,
    )


def _check_utc_time(text: object, what: str = "close record made_at") -> None:
    try:
        moment = dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() != dt.timedelta(0):
        raise ValueError(f"{what} must be an ISO-8601 UTC time like 2024-02-12T09:30:00Z, got {text!r}")


def _checked_file(entry: object) -> tuple[str, str, int]:
    try:
        name, sha256, size = entry  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ValueError(f"an input file must be (name, sha256, size), got {entry!r}") from None
    if not isinstance(name, str) or not name:
        raise ValueError(f"input file name must be text, got {name!r}")
    if not isinstance(sha256, str) or not _SHA256_HEX.match(sha256):
        raise ValueError(f"input file {name}: sha256 must be 64 lower-case hex digits, got {sha256!r}")
    number = _whole_number(size)
    if number is None or number < 0:
        raise ValueError(f"input file {name}: size must be a whole number of bytes, got {size!r}")
    return (name, sha256, number)


@dataclass(frozen=True)
class ScenarioRunRecord:
    """One scenario file's run on a stored close, as the scenario job hands it to the store."""

    close_id: int  # the stored close (its version) the scenario overlaid
    name: str  # the scenario's name: runs of the same name are the same scenario week by week
    file_name: str  # e.g. "plan-b.yaml"
    file_text: str  # the file's text exactly: its UTF-8 bytes are what file_sha256 hashes
    file_sha256: str
    seed: int  # the Monte Carlo seed and iterations the figures were made with
    iterations: int
    run_at: str  # ISO-8601 UTC, set by the job
    run_by: str
    model_version: str
    summary_json: str  # the results, deterministic text serialised by the job; opaque to the store


@dataclass(frozen=True)
class StoredScenarioRun:
    run_id: int
    close_id: int
    year: str  # the overlaid close: year, month and version
    month: int
    close_version: int
    name: str
    file_name: str
    file_text: str
    file_sha256: str
    seed: int
    iterations: int
    run_at: str
    run_by: str
    model_version: str
    summary_json: str


def checked_run(record: ScenarioRunRecord) -> ScenarioRunRecord:
    """The record as given, or ValueError naming the field, before anything is written.

    The hash must be of the text stored, so a stored run can always be traced to the exact
    file: re-hashing ``file_text`` gives ``file_sha256``.
    """
    for name in ("name", "file_name", "file_text", "run_by", "model_version", "summary_json"):
        if not isinstance(getattr(record, name), str):
            raise ValueError(f"scenario run {name} must be text, got {type(getattr(record, name)).__name__}")
    for name in ("name", "file_name", "run_by", "model_version", "summary_json"):
        if not getattr(record, name).strip():
            raise ValueError(f"scenario run {name} is blank")
    if "\x00" in record.file_text:
        raise ValueError("scenario run file_text holds a NUL character, which a database text column cannot keep")
    if hashlib.sha256(record.file_text.encode("utf-8")).hexdigest() != record.file_sha256:
        raise ValueError("scenario run file_sha256 is not the SHA-256 of its file_text")
    for name, least in (("close_id", 1), ("seed", 0), ("iterations", 1)):
        number = _whole_number(getattr(record, name))
        if number is None or number < least or number >= 2**63:
            raise ValueError(f"scenario run {name} must be a whole number from {least}, got {getattr(record, name)!r}")
    _check_utc_time(record.run_at, "scenario run run_at")
    return record
