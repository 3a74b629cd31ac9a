"""Forecast challenge: each organisation's submitted FOT beside the model's, by line group."""

from __future__ import annotations

from finmodel.contract import FORECAST_METHODS
from finmodel.report import labels
from finmodel.report.orgs import board_order
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import EXPENDITURE_NEGATIVE, title
from finmodel.report.table import ICS, Column, Row, Table
from finmodel.results.forecast import ChallengeRow
from finmodel.results.lines import add_up

MODEL_METHODS = tuple(m for m in FORECAST_METHODS if m != "submitted")
COLUMNS = (
    Column("submitted_fot", "Submitted FOT", "gbp", "Submitted"),
    *(Column(f"fot_{m}", labels.FORECAST_METHODS[m], "gbp", "Model FOT by method") for m in MODEL_METHODS),
    Column("method", "Method chosen", "text", "Model FOT"),
    Column("model_fot", "Model FOT", "gbp", "Model FOT"),
    Column("difference", "Model - submitted", "gbp", "Model FOT"),
)


def _cells(c: ChallengeRow) -> tuple:
    fots = dict(c.method_fots)
    return (
        c.sign * c.submitted_fot,
        *(c.sign * fots[m] for m in MODEL_METHODS),
        labels.FORECAST_METHODS.get(c.method, c.method),
        c.sign * c.model_fot,
        c.difference,
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    rows = []
    for org in board_order(r):
        for c in (c for c in r.challenge if c.org == org.code):
            surplus = c.line_group == "surplus"
            rows.append(Row(f"{org.code}.{c.line_group}", f"{org.name}: {labels.LINE_GROUPS[c.line_group]}", _cells(c), surplus))
    bottom = [c for c in r.challenge if c.line_group == "surplus"]
    if bottom:
        ics = add_up(bottom, org=ICS, line_group="surplus", sign=1, method="model")
        rows.append(Row(ICS, f"{labels.ICS_TOTAL}: {labels.LINE_GROUPS['surplus']}", _cells(ics), True))
    return (
        Table(
            "forecast_challenge",
            title("Forecast challenge: submitted FOT against the model's, by organisation and line", "£m"),
            "£m",
            COLUMNS,
            tuple(rows),
            notes=(
                EXPENDITURE_NEGATIVE,
                "Model - submitted in surplus terms: negative means the submitted forecast looks optimistic against the evidence.",
                "A surplus row's model FOT adds up each line's chosen method.",
                *(("Submitted FOT here is the ledgers' forecast, before the pooled budget shares that the other sheets' FOT "
                   "includes: the model forecasts ledger lines only.",) if pack.results.pool_shares else ()),
            ),
        ),
    )
