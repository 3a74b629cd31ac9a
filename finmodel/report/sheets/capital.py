"""Capital: CDEL excluding IFRS 16, other capital and IFRS 16 against the system allocation."""

from __future__ import annotations

from finmodel.contract import CAPITAL_PROGRAMMES
from finmodel.report.orgs import entries, providers
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import title
from finmodel.report.table import Column, Row, Table
from finmodel.results.capital import CapitalOrg

IFRS16_ALLOCATION = "IFRS16_ALLOCATION"
_BANDS = {"cdel": "CDEL excluding IFRS 16", "other": "Other capital", "ifrs16": "IFRS 16"}
ORDER = ("cdel", "other", "ifrs16")
assert set(ORDER) == set(CAPITAL_PROGRAMMES)

COLUMNS = tuple(
    Column(f"{p}_{kind}", label, "gbp", _BANDS[p])
    for p in ORDER
    for kind, label in (("plan", "Plan"), ("forecast", "Forecast"), ("var", "Variance"))
)


def _cells(c: CapitalOrg) -> tuple:
    return tuple(v for p in ORDER for v in (getattr(c, f"{p}_plan"), getattr(c, f"{p}_forecast"), c.variance(p)))


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    records = {c.org: c for c in r.capital}
    provider_codes = {o.code for o in providers(r)}
    others = any(code not in provider_codes for code in records)
    rows = entries(r, records, "org", ics_total=others)
    table_rows = [Row(e.code, e.label, _cells(e.record), e.total) for e in rows]
    totals = [e.record for e in rows if e.total]
    allocation = r.ifrs16_allocation
    if not totals and not allocation:
        return ()  # no capital and no allocation: the pack leaves the sheet out
    # The widest total: ICS when there is one, else providers; an allocation with no
    # capital rows at all is set against a forecast of nothing, not left off.
    ifrs16 = totals[-1].ifrs16_forecast if totals else 0
    table_rows.append(
        Row(IFRS16_ALLOCATION, "IFRS 16 allocation (system)", (None,) * 6 + (allocation, ifrs16, allocation - ifrs16))
    )
    return (
        Table(
            "capital",
            title("Capital: full-year plan and forecast", "£m"),
            "£m",
            COLUMNS,
            tuple(table_rows),
            notes=("Variance = plan - forecast: an underspend is positive.",
                   "The IFRS 16 allocation line sets the system's allocation against the total IFRS 16 forecast."),
        ),
    )
