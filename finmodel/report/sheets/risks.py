"""Risks: the register at full value by organisation and by category, and every item."""

from __future__ import annotations

from finmodel.contract import RISK_CATEGORIES
from finmodel.report import labels
from finmodel.report.orgs import board_order, entries
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SUBMITTED_FOT, org_rows, title
from finmodel.report.table import TOTAL, Coded, Column, Row, Table
from finmodel.results.lines import add_up
from finmodel.results.risks import RiskItem, RiskSummary

COLUMNS = (
    Column("potential_risk", "Potential risk"),
    Column("mitigations", "Mitigations"),
    Column("net_impact", "Net mitigated impact"),
    Column("fot", "FOT"),
    Column("risk_adjusted_fot", "Risk-adjusted FOT"),
    Column("target", "Agreed target"),
    Column("further_mitigations", "Further mitigations required"),
)
CATEGORY_COLUMNS = COLUMNS[:3]
REGISTER_COLUMNS = (
    Column("org", "Organisation", "text"),
    Column("type", "Type", "text"),
    Column("category", "Category", "text"),
    Column("value", "Value"),
    Column("likelihood", "Likelihood", "pct"),
    Column("status", "Status", "text"),
)


def _cells(s: RiskSummary) -> tuple:
    return (s.potential_risk, s.mitigations, s.net_impact, s.fot, s.risk_adjusted_fot, s.target, s.further_mitigations_required)


def _register_cells(i: RiskItem, names: dict[str, str]) -> tuple:
    """Organisation, type and status in words on the sheet; the CSV keeps their codes."""
    status = Coded(i.status, labels.MITIGATION_STATUSES.get(i.status, i.status)) if i.status else ""
    return (
        Coded(i.org, names.get(i.org, i.org)), Coded(i.type, labels.RISK_TYPES.get(i.type, i.type)),
        labels.RISK_CATEGORIES.get(i.category, i.category), i.value, i.likelihood_pct / 100, status,
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    rows = entries(r, {s.row: s for s in r.risks}, "row")
    categories = [Row(s.row, labels.RISK_CATEGORIES[s.row], (s.potential_risk, s.mitigations, s.net_impact)) for s in r.risk_categories]
    if r.risk_categories:
        total = add_up(r.risk_categories, row=TOTAL)
        categories.append(Row(TOTAL, "Total", (total.potential_risk, total.mitigations, total.net_impact), total=True))
    order = {o.code: i for i, o in enumerate(board_order(r))}
    register = sorted(r.risk_register, key=lambda i: (order.get(i.org, len(order)), i.id))
    known = set(RISK_CATEGORIES)
    names = {o.code: o.name for o in r.organisations}
    return (
        Table(
            "risks",
            title("Risks and mitigations by organisation, full-year effect", "£m"),
            "£m",
            COLUMNS,
            org_rows(rows, _cells),
            notes=(
                "Potential risk and mitigations at full value, as boards report them; net impact = risk - mitigations.",
                "Risk-adjusted FOT = FOT - net impact; further mitigations = what must still be found to meet the agreed target "
                "(a total is worked out on the total, so one organisation's headroom offsets another's gap).",
                SUBMITTED_FOT,
            ),
        ),
        Table("risk_categories", title("Risks and mitigations by category", "£m"), "£m", CATEGORY_COLUMNS, tuple(categories),
              notes=() if all(s.row in known for s in r.risk_categories) else ("Unknown categories are shown by code.",)),
        Table(
            "risk_register",
            title("Risk register", "£m"),
            "£m",
            REGISTER_COLUMNS,
            tuple(Row(i.id, i.description, _register_cells(i, names)) for i in register),
            notes=("The likelihood-weighted view is the scenarios' likely case.",),
        ),
    )
