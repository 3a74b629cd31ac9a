"""What the board pack of a stored close is written from, gathered from the close history."""

from __future__ import annotations

from finmodel.jobs.scenario import recorded_runs
from finmodel.report import PackInputs
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
