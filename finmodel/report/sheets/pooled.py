"""Pooled budgets: each fund's contributions and schemes, who bears what part of each share
rule's variance, and the effect on each NHS organisation's FOT. Only in a pack whose close
has a pooled fund or a share rule."""

from __future__ import annotations

from finmodel.report import labels
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import title
from finmodel.report.table import ICS, TOTAL, Coded, Column, Row, Table
from finmodel.results import CloseResults
from finmodel.results.board import ics_position
from finmodel.results.pooled import POOLED_LINE, PooledFund
from finmodel.results.pooled_shares import ShareOutcome

SHEET = "Pooled budgets"
COUNCILS = "PARTNERS"  # the row of the partners' shares outside the ICS (never in its total)
AGREEMENTS = {"bcf": "Better Care Fund", "s75": "Section 75"}

# Spend is shown positive on the fund and scheme tables (a fund's own accounts); the share
# tables are in surplus terms, as every other sheet.
FUND_COLUMNS = (
    Column("agreement", "Agreement", "text"),
    Column("host", "Host", "text"),
    Column("contributions", "Contributions", "gbp", "Full year"),
    Column("plan", "Schemes' plan", "gbp", "Full year"),
    Column("ytd_actual", "YTD actual", "gbp", "Spend"),
    Column("fot", "FOT", "gbp", "Spend"),
    Column("variance", "Variance", "gbp"),
)
CONTRIBUTION_COLUMNS = (Column("fund", "Fund", "text"), Column("partner_type", "NHS or outside", "text"), Column("plan", "Contribution", "gbp"))
SCHEME_COLUMNS = (
    Column("fund", "Fund", "text"),
    Column("year_plan", "Plan", "gbp", "Full year"),
    Column("ytd_plan", "YTD plan", "gbp", "Year to date"),
    Column("ytd_actual", "YTD actual", "gbp", "Year to date"),
    Column("fot", "FOT", "gbp", "Full year"),
    Column("variance", "Variance", "gbp", "Full year"),
)
SHARE_COLUMNS = (
    Column("subject", "Shares the variance of", "text"),
    Column("measure", "Contributions or baseline", "gbp"),
    Column("fot", "FOT spend", "gbp"),
    Column("variance", "Variance", "gbp"),
    Column("share", "Share", "gbp"),
)
EFFECT_COLUMNS = (
    Column("ledger_fot", "FOT before shares", "gbp", "Surplus/(deficit)"),
    Column("share", "Pooled budget risk share", "gbp", "Surplus/(deficit)"),
    Column("fot", "FOT", "gbp", "Surplus/(deficit)"),
)


def has_pools(results: CloseResults) -> bool:
    return bool(results.pooled_funds or results.pool_shares)


def partner_name(results: CloseResults, code: str) -> str:
    org = next((o for o in results.organisations if o.code == code), None)
    if org is not None:
        return org.name
    return next((p.name for p in results.partners if p.code == code), code)


def _is_nhs(results: CloseResults, code: str) -> bool:
    return any(o.code == code for o in results.organisations)


def _fund_row(r: CloseResults, f: PooledFund) -> Row:
    ytd = sum(s.ytd_actual for s in f.schemes)
    cells = (AGREEMENTS[f.agreement], Coded(f.host, partner_name(r, f.host)), f.contributed, f.plan, ytd, f.fot, f.variance)
    return Row(f.fund, f.name, cells)


def funds_tables(r: CloseResults) -> tuple[Table, ...]:
    if not r.pooled_funds:
        return ()
    rows = [_fund_row(r, f) for f in r.pooled_funds]
    total = ("", "", *(sum(row.values[i] for row in rows) for i in range(2, 7)))  # type: ignore[misc]
    rows.append(Row(TOTAL, "Total pooled funds", total, total=True))
    contributions = tuple(
        Row(f"{f.fund}.{p}", partner_name(r, p), (Coded(f.fund, f.name), "NHS" if _is_nhs(r, p) else "Outside the ICS", amount))
        for f in r.pooled_funds for p, amount in f.contributions
    )
    schemes = tuple(
        Row(f"{f.fund}.{s.scheme_id}", s.scheme, (Coded(f.fund, f.name), s.year_plan, s.ytd_plan, s.ytd_actual, s.fot, s.year_plan - s.fot))
        for f in r.pooled_funds for s in f.schemes
    )
    return (
        Table("pooled_funds", title(f"Pooled funds: contributions and spend, YTD to M{r.month} and forecast outturn", "£m"), "£m",
              FUND_COLUMNS, tuple(rows), notes=("Spend is shown positive; variance = contributions - FOT: an underspend is positive.",)),
        Table("pooled_contributions", title("Contributions by partner", "£m"), "£m", CONTRIBUTION_COLUMNS, contributions),
        Table("pooled_schemes", title(f"Schemes, YTD to M{r.month} and forecast outturn", "£m"), "£m", SCHEME_COLUMNS, schemes,
              notes=("Spend is shown positive; variance = plan - FOT, an underspend positive.",)),
    )


def _subject(r: CloseResults, s: ShareOutcome) -> str:
    if s.kind == "fund":
        return next((f.name for f in r.pooled_funds if f.fund == s.subject), s.subject)
    words = labels.PHC_SERVICES if s.kind == "service" else labels.LINE_GROUPS
    return words.get(s.subject, s.subject)


def _share_rows(r: CloseResults, n: int, s: ShareOutcome) -> list[Row]:
    rows = [Row(f"RULE{n}", s.rule, (_subject(r, s), s.measure, -s.fot, s.variance, s.shared), total=True)]
    for p in s.parts:
        via = f" ({p.via}' share)" if p.via.endswith("s") else f" ({p.via}'s share)" if p.via else ""
        where = "NHS" if _is_nhs(r, p.partner) else "Outside the ICS"
        rows.append(Row(f"RULE{n}.{p.partner}{'.' + p.via if p.via else ''}", f"{partner_name(r, p.partner)}{via}",
                        (where, None, None, None, p.amount), indent=1))
    return rows


def _effects_table(r: CloseResults) -> Table:
    rows = []
    for o in r.organisations:
        position = r.position(o.code)
        line = position.line(POOLED_LINE)
        if line is not None:
            share = line.as_surplus().fot
            rows.append(Row(o.code, o.name, (position.surplus.fot - share, share, position.surplus.fot)))
    ics = ics_position(r).surplus.fot
    shares = sum(row.values[1] for row in rows)  # type: ignore[misc]
    rows.append(Row(ICS, "ICS total", (ics - shares, shares, ics), total=True))
    outside = sum(p.amount for s in r.pool_shares for p in s.parts if not _is_nhs(r, p.partner))
    rows.append(Row(COUNCILS, "Partners outside the ICS (not in the ICS total)", (None, outside, None)))
    return Table(
        "pooled_fot_effect", title("Effect of the shares on each NHS organisation's FOT", "£m"), "£m", EFFECT_COLUMNS, tuple(rows),
        notes=(
            "A fund's spend is in no organisation's ledger, so an NHS partner's FOT moves by its whole share; a baselined "
            "service or line is in its ICB's ledger, so the ICB's FOT moves by what it passes to (or recovers from) the others.",
            "The adjustment is the line 'Pooled budget risk share': a forecast, with no plan or actual.",
        ),
    )


def shares_tables(r: CloseResults) -> tuple[Table, ...]:
    if not r.pool_shares:
        return ()
    rows = tuple(row for n, s in enumerate(r.pool_shares, 1) for row in _share_rows(r, n, s))
    return (
        Table("pooled_shares", title("Who bears each share rule's variance", "£m"), "£m", SHARE_COLUMNS, rows,
              notes=("Contributions or baseline + FOT spend (negative) = variance, in surplus terms: an underspend shared is "
                     "positive, an overspend borne in brackets.",
                     "A rule for one direction shares nothing of a variance the other way (an underspend rule, of an overspend).")),
        _effects_table(r),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    return (*funds_tables(r), *shares_tables(r))
