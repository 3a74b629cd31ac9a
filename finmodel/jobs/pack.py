"""What the board pack of a stored close is written from, gathered from the close history."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from finmodel.close_inputs import InputFile
from finmodel.findings import errors
from finmodel.pipeline import CloseOutcome
from finmodel.jobs.scenario import recorded_runs
from finmodel.report import PackInputs
from finmodel.report.custom import check_custom_tables, read_custom_tables
from finmodel.report.tables import RESERVED_SHEETS
from finmodel.results import results_from_json
from finmodel.scenarios.cases import standard_cases
from finmodel.scenarios.file import DEFAULT_SEED
from finmodel.store import Store, StoredClose
from finmodel.system_config import parse_system


def pack_inputs(stored: StoredClose, store: Store) -> PackInputs:
    """A stored close, its previous close and its standard scenarios: all a pack shows.

    The standard scenarios run with the scenario files' default seed, so a pack re-written
    from the database alone is the same bytes as the close's own.
    """
    results = results_from_json(stored.results_json)
    system, _ = parse_system(stored.system_yaml)
    assert system is not None, "a stored close always has a valid system.yaml"
    previous = store.previous(stored.year, stored.month)
    return PackInputs(
        results=results,
        system=system,
        previous=results_from_json(previous.results_json) if previous else None,
        scenarios=standard_cases(results, system, None, seed=DEFAULT_SEED),
        made_at=stored.made_at,
        model_version=stored.model_version,
        input_files=stored.input_files,
        version=stored.version,
        reopen_reason=stored.reopen_reason,
        scenario_runs=recorded_runs(store, stored.year),
    )


def with_custom_tables(outcome: CloseOutcome, year_folder: Path) -> CloseOutcome:
    """The year's custom tables (``reports/*.yaml`` beside system.yaml) checked against the
    close, then kept with it: their text in its results, so ``finmodel report`` lays them out
    from the close history alone, and their SHA-256 among its input files. A fault in one
    stops the close, as a fault in system.yaml does: nothing is recorded or written."""
    if not outcome.ok:
        return outcome
    inputs, results = outcome.inputs, outcome.results
    assert inputs is not None and results is not None
    files, found = read_custom_tables(year_folder)
    found += check_custom_tables(files, inputs.system, results, RESERVED_SHEETS)
    findings = (*outcome.findings, *found)
    if errors(found):
        return CloseOutcome(findings)
    kept = replace(results, custom_tables=tuple((f.name, f.text) for f in files))
    listed = replace(inputs, files=(*inputs.files, *(InputFile(f.name, f.sha256, f.size) for f in files)))
    return CloseOutcome(findings, listed, outcome.ledger, kept)
