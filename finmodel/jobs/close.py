"""The monthly close as a job: validate and compute a close folder, record it in the close
history, write its board pack; and the board pack of a stored close, re-written.

Validation runs first and nothing is written when it fails: the outcome then carries the
findings and nothing else.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

from finmodel import __version__
from finmodel.findings import Finding
from finmodel.jobs.pack import pack_inputs
from finmodel.jobs.paths import DEFAULT_OUT, close_outputs
from finmodel.jobs.progress import Progress, quiet
from finmodel.pipeline import CloseOutcome, close
from finmodel.report import write_board_pack
from finmodel.results import results_to_json
from finmodel.store import CloseRecord, StoredClose, open_store


@dataclass(frozen=True)
class CloseDone:
    """What a close job did: the model's outcome, and when valid the stored close and files."""

    outcome: CloseOutcome
    stored: StoredClose | None = None
    written: tuple[Path, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.outcome.findings


@dataclass(frozen=True)
class ReportDone:
    """A stored close's board pack re-written; ``stored`` is None when there is no such close."""

    stored: StoredClose | None
    written: tuple[Path, ...] = ()


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def close_record(outcome: CloseOutcome, made_at: str | None = None) -> CloseRecord:
    """The close as it is kept in the history: inputs' fingerprints, results and ledger."""
    inputs, results = outcome.inputs, outcome.results
    assert inputs is not None and results is not None and outcome.ledger is not None
    return CloseRecord(
        year=results.year,
        month=results.month,
        system_name=results.system_name,
        made_at=made_at or now_utc(),
        made_by=getpass.getuser(),
        model_version=__version__,
        system_yaml=inputs.system_yaml,
        input_files=tuple(sorted((f.name, f.sha256, f.size) for f in inputs.files)),
        results_json=results_to_json(results),
        ledger=outcome.ledger,
    )


def record_close(
    folder: Path, db: str | Path, out: Path = DEFAULT_OUT, reopen: str | None = None,
    made_at: str | None = None, progress: Progress = quiet,
) -> CloseDone:
    """Validate, compute, record atomically, then write the board pack from what was stored."""
    progress(f"Reading and validating {folder}")
    outcome = close(folder)
    if not outcome.ok:
        return CloseDone(outcome)
    progress("Recording the close")
    record = close_record(outcome, made_at)
    with open_store(db) as store:
        stored = store.record_close(record, reopen_reason=reopen)
        progress("Writing the board pack")
        written = write_board_pack(pack_inputs(stored, store), close_outputs(out, stored.year, stored.month))
    return CloseDone(outcome, stored, written)


def rewrite_report(db: str | Path, year: str, month: int, out: Path = DEFAULT_OUT) -> ReportDone:
    """The board pack of the current version of a stored close, from the database alone."""
    with open_store(db) as store:
        stored = store.latest(year, month)
        if stored is None:
            return ReportDone(None)
        return ReportDone(stored, write_board_pack(pack_inputs(stored, store), close_outputs(out, year, month)))
