"""SHA-256 of what a close computes, to show a change to the code left the figures alone.

    python benchmarks/close_hashes.py FOLDER [FOLDER ...]

For each close folder it prints one JSON line: the hash of ``results_to_json(results)``,
of the packed ledger (the bytes the close history stores), of every input frame (values,
dtypes and column order) and of the findings: every field (``findings``), and the eight a
finding has always had (``findings_located``: where, what, what was expected, how severe),
so the findings of two versions compare even when one gives a finding a new field. Run it before and after a change (e.g. with
``PYTHONPATH`` pointing at an export of the earlier commit) and compare the lines.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, fields
from pathlib import Path

import pandas as pd

from finmodel.findings import Finding
from finmodel.pipeline import close
from finmodel.results import results_to_json
from finmodel.store.ledger_blob import pack_ledger


def _frame_sha(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256(repr([(c, str(frame[c].dtype)) for c in frame.columns]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


LOCATED = ("workbook", "sheet", "row", "column", "kind", "value", "expected", "severity")


def _findings_sha(findings: tuple[Finding, ...], names: tuple[str, ...] | None = None) -> str:
    as_dicts = [asdict(f) if names is None else {n: getattr(f, n) for n in names} for f in findings]
    return hashlib.sha256(json.dumps(as_dicts, sort_keys=True).encode()).hexdigest()


def hashes(folder: Path) -> dict[str, object]:
    outcome = close(folder)
    assert outcome.ok and outcome.inputs is not None and outcome.ledger is not None and outcome.results is not None
    frames = {f.name: _frame_sha(getattr(outcome.inputs, f.name)) for f in fields(outcome.inputs) if isinstance(getattr(outcome.inputs, f.name), pd.DataFrame)}
    return {
        "folder": str(folder),
        "results_json": hashlib.sha256(results_to_json(outcome.results).encode()).hexdigest(),
        "ledger_packed": pack_ledger(outcome.ledger).sha256,
        "findings": _findings_sha(outcome.findings),
        "findings_located": _findings_sha(outcome.findings, LOCATED),
        "frames": hashlib.sha256(json.dumps(frames, sort_keys=True).encode()).hexdigest(),
    }


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(json.dumps(hashes(Path(name))), flush=True)
