"""Scenario runs in the close history: written with the closes' rules, read back whole.

A run is a record, as a close is: triggers refuse any change to it (schema version 3).
Each run names the stored close it overlaid by its key, so its year, month and version
always come from that close and cannot disagree with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from finmodel.store.backends import Backend
from finmodel.store.records import ScenarioRunRecord, StoredScenarioRun

_RUN_COLUMNS = (
    "r.run_id, r.close_id, c.year, c.month, c.version, r.name, r.file_name, r.file_text, r.file_sha256, "
    "r.seed, r.iterations, r.run_at, r.run_by, r.model_version, r.summary_json"
)
SELECT_RUNS = f"SELECT {_RUN_COLUMNS} FROM scenario_runs r JOIN closes c ON c.close_id = r.close_id"


def insert_run(db: Backend, run: ScenarioRunRecord) -> int:
    return db.insert_returning_key(
        "INSERT INTO scenario_runs (close_id, name, file_name, file_text, file_sha256, seed, iterations, "
        "run_at, run_by, model_version, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (run.close_id, run.name, run.file_name, run.file_text, run.file_sha256, int(run.seed), int(run.iterations),
         run.run_at, run.run_by, run.model_version, run.summary_json),  # fmt: skip
        key="run_id",
    )


def missing_closes(db: Backend, close_ids: Sequence[int]) -> list[int]:
    """The close keys given that no stored close has (a run must overlay a stored close)."""
    wanted = sorted(set(int(c) for c in close_ids))
    found = {int(c) for (c,) in db.query(f"SELECT close_id FROM closes WHERE close_id IN ({', '.join('?' * len(wanted))})", wanted)}
    return [c for c in wanted if c not in found]


def stored_run(row: tuple) -> StoredScenarioRun:
    (run_id, close_id, year, month, version, name, file_name, file_text, file_sha256,
     seed, iterations, run_at, run_by, model_version, summary_json) = row  # fmt: skip
    return StoredScenarioRun(
        run_id=int(run_id), close_id=int(close_id), year=year, month=int(month), close_version=int(version),
        name=name, file_name=file_name, file_text=file_text, file_sha256=file_sha256, seed=int(seed),
        iterations=int(iterations), run_at=run_at, run_by=run_by, model_version=model_version,
        summary_json=summary_json,
    )
