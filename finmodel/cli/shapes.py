"""The one JSON shape every command's ``--json`` speaks (docs/cli.md).

Money is pounds as a decimal string to the penny, as in the tidy CSV ("-1234.50"), so no
float ever rounds it; probabilities are numbers (0.42); a close is
``{"year": "2023/24", "month": "M10"}``; times are ISO 8601 UTC as stored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from finmodel.calendar import FinancialYear, month_label
from finmodel.money import pence_to_pounds
from finmodel.scenarios.summary import ScenarioSummary


def pounds(pence: int | None) -> str | None:
    return None if pence is None else f"{pence_to_pounds(pence):.2f}"


def close_ref(year: str, month: int) -> dict[str, str]:
    return {"year": FinancialYear.parse(year).label, "month": month_label(month)}


def probability(value: Decimal) -> float:
    # A share of iterations (k / n): a float carries it exactly enough for a reader.
    return float(value)


def stored_close(stored: Any) -> dict[str, Any]:
    return {
        "close": close_ref(stored.year, stored.month), "version": stored.version, "made_at": stored.made_at,
        "made_by": stored.made_by, "model_version": stored.model_version, "reopen_reason": stored.reopen_reason,
    }


def scenario_summary(summary: ScenarioSummary) -> dict[str, Any]:
    year, month = summary.close.split()
    return {
        "name": summary.name,
        "close": close_ref(year, int(month.lstrip("Mm"))),
        "seed": summary.seed,
        "iterations": summary.iterations,
        "file_sha256": summary.file_sha256,
        "rows": [
            {
                "row": r.row, "target": pounds(r.target), "scenario_fot": pounds(r.base_fot), "best": pounds(r.best),
                "likely": pounds(r.likely), "worst": pounds(r.worst), "p10": pounds(r.p10), "p50": pounds(r.p50),
                "p90": pounds(r.p90), "probability_meeting_target": probability(r.probability_meeting_target),
                "further_required_likely": pounds(r.further_required_likely),
                "further_required_p10": pounds(r.further_required_p90),
            }
            for r in summary.rows
        ],
        "bridge": [{"org": b.org, "overlay": b.overlay, "description": b.description, "amount": pounds(b.amount)}
                   for b in summary.bridge],
    }


def _ics(summary: ScenarioSummary) -> Any:
    return next((r for r in summary.rows if r.row == "ICS"), None)


def scenario_run(run: Any) -> dict[str, Any]:
    """A recorded run (scenarios.compare.RecordedRun): where it came from and the ICS headline."""
    year, month = run.close.split()
    ics = _ics(run.summary)
    return {
        "id": run.run_id, "name": run.name, "close": close_ref(year, int(month.lstrip("Mm"))),
        "close_version": run.close_version, "run_at": run.run_at, "run_by": run.run_by,
        "seed": run.summary.seed, "iterations": run.summary.iterations, "file_sha256": run.file_sha256,
        "ics_likely": pounds(ics.likely) if ics else None, "ics_p10": pounds(ics.p10) if ics else None,
    }


def _moved(value: Any) -> Any:
    return probability(value) if isinstance(value, Decimal) else pounds(value)


def run_comparison(comparison: Any) -> dict[str, Any]:
    """scenarios.compare.RunComparison: money in pounds, the chance of meeting the target a share (0.42)."""
    return {
        "before": scenario_run(comparison.before),
        "after": scenario_run(comparison.after),
        "movements": [
            {"row": m.row, "measure": m.measure, "before": _moved(m.before), "after": _moved(m.after), "change": _moved(m.change)}
            for m in comparison.movements
        ],
        "likely_bridge": [{"step": s.step, "amounts": {org: pounds(a) for org, a in s.amounts}} for s in comparison.likely_bridge],
        "file_changes": [{"kind": c.kind, "key": c.key, "what": c.what} for c in comparison.file_changes],
        "notes": list(comparison.notes),
    }
