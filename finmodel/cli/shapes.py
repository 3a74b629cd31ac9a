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
