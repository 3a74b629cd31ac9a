"""The one entry that runs the model: a close folder -> validated inputs -> ledger -> results.

Nothing else knows the order of the stages. This function writes nothing: recording the
close and writing the board pack are the workflow's job (workflow.py), so an analyst can
call it from a notebook and look at the figures without touching the close history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finmodel.close_inputs import CloseInputs
from finmodel.findings import Finding, errors
from finmodel.ledger import build_ledger
from finmodel.results import CloseResults, compute_results
from finmodel.results.agreement_findings import agreement_findings
from finmodel.results.segments import segment_findings
from finmodel.validate import validate_close


@dataclass(frozen=True)
class CloseOutcome:
    findings: tuple[Finding, ...]  # every error and warning, located
    inputs: CloseInputs | None = None  # None when any finding is an error
    ledger: pd.DataFrame | None = None
    results: CloseResults | None = None

    @property
    def ok(self) -> bool:
        return self.results is not None

    @property
    def errors(self) -> list[Finding]:
        return errors(self.findings)


OnLedger = Callable[[pd.DataFrame], object]


def compute(inputs: CloseInputs, on_ledger: OnLedger | None = None) -> tuple[pd.DataFrame, CloseResults]:
    """Validated inputs -> (ledger, results): pure computation.

    ``on_ledger`` is handed the ledger as soon as it is built, before the results: a caller
    can start work of its own on it (the close job packs it for the store in a thread).
    Nothing here depends on what the callback does; it must not change the ledger."""
    ledger = build_ledger(inputs)
    if on_ledger is not None:
        on_ledger(ledger)
    return ledger, compute_results(inputs, ledger)


def close(folder: str | Path, on_ledger: OnLedger | None = None) -> CloseOutcome:
    """Read, validate and compute one close folder (e.g. ``inputs/2023-24/M10``); see
    ``compute`` for ``on_ledger`` (called only when the close is valid)."""
    inputs, findings = validate_close(Path(folder))
    if inputs is None or errors(findings):
        return CloseOutcome(tuple(findings))
    ledger, results = compute(inputs, on_ledger)
    findings += segment_findings(ledger, inputs.system)  # segments of system.yaml against the data: warnings
    findings += agreement_findings(results.agreement)  # flows whose two sides disagree: warnings
    return CloseOutcome(tuple(findings), inputs, ledger, results)
