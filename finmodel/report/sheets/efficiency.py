"""Efficiency: CIP/QIPP delivery by organisation against plan, the recurrent share flagged
against the system's target, and every scheme."""

from __future__ import annotations

from finmodel.report import labels
from finmodel.results.kpis import below_target, recurrent_target
from finmodel.report.orgs import Entry, board_order, entries, memo_row
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SURPLUS_TERMS, org_rows, plan_actual_var, title
from finmodel.report.table import TOTAL, Coded, Column, Row, Table
from finmodel.results.cip import ICB_IMPACTING, CipScheme, CipSummary

BELOW_TARGET = "Below target"

COLUMNS = (
    Column("year_plan", "Plan", "gbp", "Full year"),
    *plan_actual_var("ytd", "Total YTD"),
    *plan_actual_var("recurrent_ytd", "Recurrent YTD"),
    Column("recurrent_pct", "% recurrent", "pct", "Recurrent YTD"),
    Column("recurrent_flag", "Against target", "text", "Recurrent YTD"),
    Column("risk_adjusted_fot", "Risk-adjusted FOT", "gbp", "Full year"),
)

SCHEME_COLUMNS = (
    Column("org", "Organisation", "text"),
    Column("impacts_org", "Saving lands in", "text"),
    Column("category", "Category", "text"),
    Column("recurrent", "Recurrent", "text"),
    Column("rating", "Rating", "text"),
    Column("year_plan", "Plan", "gbp", "Full year"),
    *plan_actual_var("ytd", "Year to date"),
    Column("risk_adjusted_fot", "Risk-adjusted FOT", "gbp", "Full year"),
)


def summary_table(pack: PackInputs) -> Table:
    r = pack.results
    target = recurrent_target(pack.system)
    by_row = {c.row: c for c in r.cip}
    last_icb = r.icb_codes[-1] if r.icb_codes else None

    def memo(code: str) -> list[Entry[CipSummary]]:
        if code != last_icb or ICB_IMPACTING not in by_row:
            return []
        return [memo_row(ICB_IMPACTING, "ICB schemes impacting providers (memo)", by_row[ICB_IMPACTING])]

    orgs = {code: c for code, c in by_row.items() if code != ICB_IMPACTING}
    rows = entries(r, orgs, "row", after=memo)

    def cells(c: CipSummary) -> tuple:
        return (
            c.year_plan, c.ytd_plan, c.ytd_actual, c.ytd_variance,
            c.recurrent_ytd_plan, c.recurrent_ytd_actual, c.recurrent_ytd_variance,
            c.recurrent_share, BELOW_TARGET if below_target(c.recurrent_share, target) else "", c.risk_adjusted_fot,
        )

    return Table(
        "efficiency",
        title(f"Efficiency (CIP/QIPP) delivery, YTD to M{r.month}", "£m"),
        "£m",
        COLUMNS,
        org_rows(rows, cells, adverse=lambda c: ("recurrent_pct",) if below_target(c.recurrent_share, target) else ()),
        notes=(
            f"% recurrent = recurrent YTD actual / total YTD actual, against a target of {target:.1%}.",
            "ICB schemes whose saving lands in a provider count in the ICB's row and once in the ICS total; their own row is a memo.",
            "Risk-adjusted FOT = YTD actual + remaining plan x the delivery probability of each scheme's rating.",
            SURPLUS_TERMS,
        ),
    )


def _scheme_cells(s: CipScheme, names: dict[str, str]) -> tuple:
    """Organisations, category and recurrence in words on the sheet; the CSV keeps their codes."""
    lands_in = Coded(s.impacts_org, names.get(s.impacts_org, s.impacts_org)) if s.impacts_org else ""
    return (
        Coded(s.org, names.get(s.org, s.org)), lands_in, Coded(s.category, labels.CIP_CATEGORIES.get(s.category, s.category)),
        Coded("yes" if s.recurrent else "no", labels.YES_NO[bool(s.recurrent)]), labels.CIP_RATINGS.get(s.rating, s.rating),
        s.year_plan, s.ytd_plan, s.ytd_actual, s.ytd_actual - s.ytd_plan, s.risk_adjusted_fot,
    )


def schemes_table(pack: PackInputs) -> Table:
    r = pack.results
    order = {o.code: i for i, o in enumerate(board_order(r))}
    schemes = sorted(r.cip_schemes, key=lambda s: (order.get(s.org, len(order)), s.scheme_id))
    names = {o.code: o.name for o in r.organisations}
    rows = [Row(s.scheme_id, s.scheme, _scheme_cells(s, names)) for s in schemes]
    if schemes:
        sums = [sum(getattr(s, f) for s in schemes) for f in ("year_plan", "ytd_plan", "ytd_actual")]
        risk_adjusted = sum(s.risk_adjusted_fot for s in schemes)
        rows.append(Row(TOTAL, "Total", ("", "", "", "", "", *sums, sums[2] - sums[1], risk_adjusted), total=True))
    return Table(
        "efficiency_schemes",
        title("Efficiency schemes", "£000"),
        "£000",
        SCHEME_COLUMNS,
        tuple(rows),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    return (summary_table(pack), schemes_table(pack))
