"""The jobs finance staff run, composed from the pipeline, the store and the report.

- ``record_close``: validate and compute a close folder, record it in the close history,
  write its board pack. Validation runs first and nothing is written when it fails.
- ``rewrite_report``: the board pack of a stored close, from the database alone.
- ``run_demo``: the example ICS end to end.

Each step reports progress through a callback so the CLI can show it; nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from finmodel import __version__
from finmodel.calendar import FinancialYear, month_label
from finmodel.pipeline import CloseOutcome, close
from finmodel.report import PackInputs, write_board_pack
from finmodel.results import CloseResults, results_from_json, results_to_json
from finmodel.scenarios.summary import ScenarioSummary
from finmodel.store import CloseRecord, StoredClose, open_store
from finmodel.system_config import SystemConfig, parse_system

Progress = Callable[[str], None]
DEFAULT_OUT = Path("outputs")
DEMO_SEED = 20240131


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class CloseDone:
    outcome: CloseOutcome
    stored: StoredClose | None = None
    written: tuple[Path, ...] = ()


def close_folder(year: str, month: int, out: Path) -> Path:
    return out / FinancialYear.parse(year).folder / month_label(month)


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def standard_scenarios(results: CloseResults, system: SystemConfig, seed: int = DEMO_SEED) -> ScenarioSummary:
    from finmodel.scenarios.cases import standard_cases

    return standard_cases(results, system, None, seed=seed)


def _pack(stored: StoredClose, store) -> PackInputs:  # type: ignore[no-untyped-def]
    results = results_from_json(stored.results_json)
    system, _ = parse_system(stored.system_yaml)
    assert system is not None, "a stored close always has a valid system.yaml"
    previous = store.previous(stored.year, stored.month)
    return PackInputs(
        results=results,
        system=system,
        previous=results_from_json(previous.results_json) if previous else None,
        scenarios=standard_scenarios(results, system),
        made_at=stored.made_at,
        model_version=stored.model_version,
        input_files=stored.input_files,
    )


def record_close(
    folder: Path, db: str | Path, out: Path = DEFAULT_OUT, reopen: str | None = None,
    made_at: str | None = None, progress: Progress = _quiet,
) -> CloseDone:
    """Validate, compute, record atomically, then write the board pack from what was stored."""
    progress(f"Reading and validating {folder}")
    outcome = close(folder)
    if not outcome.ok:
        return CloseDone(outcome)
    inputs, results = outcome.inputs, outcome.results
    assert inputs is not None and results is not None and outcome.ledger is not None
    progress("Recording the close")
    record = CloseRecord(
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
    with open_store(db) as store:
        stored = store.record_close(record, reopen_reason=reopen)
        progress("Writing the board pack")
        written = write_board_pack(_pack(stored, store), close_folder(stored.year, stored.month, out))
    return CloseDone(outcome, stored, written)


def rewrite_report(db: str | Path, year: str, month: int, out: Path = DEFAULT_OUT) -> tuple[StoredClose, tuple[Path, ...]] | None:
    """The board pack of the current version of a stored close, from the database alone."""
    with open_store(db) as store:
        stored = store.latest(year, month)
        if stored is None:
            return None
        return stored, write_board_pack(_pack(stored, store), close_folder(year, month, out))
