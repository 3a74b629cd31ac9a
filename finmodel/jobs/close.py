"""The monthly close as a job: validate and compute a close folder, record it in the close
history, write its board pack; and the board pack of a stored close, re-written.

Validation runs first and nothing is written when it fails: the outcome then carries the
findings and nothing else.
"""

from __future__ import annotations

import datetime as dt
import getpass
import tempfile
from dataclasses import dataclass
from pathlib import Path

from finmodel import __version__
from finmodel.findings import Finding
from finmodel.gc_pause import collector_paused
from finmodel.jobs.ledger_packing import LedgerPacking
from finmodel.jobs.pack import pack_inputs, with_custom_tables
from finmodel.jobs.paths import DEFAULT_OUT, close_outputs
from finmodel.jobs.progress import Progress, quiet
from finmodel.pipeline import CloseOutcome, close
from finmodel.jobs.pack_files import edited_since_written, findings_csv, keep_edited, kept_findings, write_pack_set
from finmodel.report import PackInputs, remove_stale_tables
from finmodel.report.files import finish_interrupted
from finmodel.results import results_to_json
from finmodel.store import CloseRecord, NothingToReopen, StoredClose, check_location, not_created, open_store


@dataclass(frozen=True)
class CloseDone:
    """What a close job did: the model's outcome, and when valid the stored close and files.

    ``unwritable`` or ``refused``: nothing was recorded (the output folder cannot be written,
    or the pack there was annotated since finmodel wrote it). ``pack_error``: the close WAS
    recorded, but its pack could not be written (``finmodel report`` writes it again).
    """

    outcome: CloseOutcome
    stored: StoredClose | None = None
    written: tuple[Path, ...] = ()
    unwritable: str = ""
    refused: str = ""
    pack_error: str = ""
    kept: tuple[Path, ...] = ()  # annotated packs set aside (with force)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.outcome.findings


@dataclass(frozen=True)
class ReportDone:
    """A stored close's board pack re-written; ``stored`` is None when there is no such close."""

    stored: StoredClose | None
    written: tuple[Path, ...] = ()
    unwritable: str = ""
    refused: str = ""
    kept: tuple[Path, ...] = ()


def unwritable(folder: Path) -> str:
    """Why the pack could not be written to ``folder`` ("" when it can): checked before recording."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"cannot write the board pack to {folder}: {exc.strerror or exc}"
    return ""


def _ready(folder: Path, force: bool) -> tuple[str, str, tuple[Path, ...]]:
    """(why the folder cannot be written, why the write is refused, annotated packs set aside)."""
    problem = unwritable(folder)
    if problem:
        return problem, "", ()
    return ("", *_guard(folder, force))


def _guard(folder: Path, force: bool) -> tuple[str, tuple[Path, ...]]:
    """An annotated pack refuses the write, or with ``force`` is set aside beside the new one."""
    finish_interrupted(folder)
    edited = edited_since_written(folder)
    if not edited:
        return "", ()
    if not force:
        return f"{edited}. Pass --force to write the new pack; the annotated one is then kept beside it.", ()
    return "", (keep_edited(folder),)


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


@collector_paused()  # millions of objects, hardly a cycle among them: cycles wait until the close ends
def record_close(
    folder: Path, db: str | Path, out: Path = DEFAULT_OUT, reopen: str | None = None,
    made_at: str | None = None, progress: Progress = quiet, force: bool = False,
) -> CloseDone:
    """Validate, compute, record atomically, then write the board pack from what was stored.

    Everything that could stop the pack being written is checked before the close is
    recorded, so a close is never recorded without its pack for a reason known in advance;
    a SQLite location that cannot work is refused (StoreError) before the reading starts.
    """
    check_location(db)
    with LedgerPacking() as packing:  # the ledger packed for the store while results are computed
        progress(f"Reading and validating {folder}")
        outcome = with_custom_tables(close(folder, on_ledger=packing.start), Path(folder).parent)
        if not outcome.ok:
            return CloseDone(outcome)
        assert outcome.results is not None
        _refuse_early(db, outcome.results.year, outcome.results.month, reopen)
        target = close_outputs(out, outcome.results.year, outcome.results.month)
        problem, refusal, kept = _ready(target, force)
        if problem or refusal:
            return CloseDone(outcome, unwritable=problem, refused=refusal)
        progress("Recording the close")
        record = close_record(outcome, made_at)
        with open_store(db) as store:
            stored = store.record_close(record, reopen_reason=reopen, pack=packing.pack)
            progress("Writing the board pack")
            try:
                written = _write(pack_inputs(stored, store), stored, target, findings_csv(outcome.findings))
            except OSError as exc:
                return CloseDone(outcome, stored, pack_error=f"{exc.strerror or exc} ({exc.filename or target})", kept=kept)
    return CloseDone(outcome, stored, written, kept=kept)


def _refuse_early(db: str | Path, year: str, month: int, reopen: str | None) -> None:
    """The history's refusals (a month already closed, a reopening of one never closed)
    raised before the pack's folder or a database file is made, so a refused close writes
    nothing. The store decides again as it records: another close may come in between."""
    if not not_created(db):
        with open_store(db) as store:
            store.check_recordable(year, month, reopening=reopen is not None)
    elif reopen is not None:  # no history yet, so nothing in it to reopen
        raise NothingToReopen(year, month)


def _write(pack: PackInputs, stored: StoredClose, target: Path, findings: bytes | None) -> tuple[Path, ...]:
    written = write_pack_set(pack, stored, target, findings)
    remove_stale_tables(target, written)
    return written


def rewrite_report(db: str | Path, year: str, month: int, out: Path = DEFAULT_OUT, force: bool = False) -> ReportDone:
    """The board pack of the current version of a stored close, from the database alone
    (the findings file the close wrote is kept as it is: the history keeps no findings)."""
    target = close_outputs(out, year, month)
    with open_store(db) as store:
        stored = store.latest(year, month)
        if stored is None:
            return ReportDone(None)
        problem, refusal, kept = _ready(target, force)
        if problem or refusal:
            return ReportDone(stored, unwritable=problem, refused=refusal)
        return ReportDone(stored, _write(pack_inputs(stored, store), stored, target, kept_findings(target)), kept=kept)
