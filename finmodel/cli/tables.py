"""Terminal tables: the position after a close, the scenario headline, the history.

Figures come from results/ and scenarios/ as they are; these only lay them out in £m.
Every cell is a rich Text, so nothing typed in an input is read as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from rich.table import Table as TerminalTable
from rich.text import Text

from finmodel.calendar import close_label
from finmodel.money import format_millions
from finmodel.results import CloseResults
from finmodel.results.board import ICS, ics_position
from finmodel.scenarios.summary import ScenarioSummary


def _table(title: str, columns: Sequence[str]) -> TerminalTable:
    table = TerminalTable(title=Text(title))
    for i, column in enumerate(columns):
        table.add_column(Text(column), justify="left" if i == 0 else "right")
    return table


def position_table(results: CloseResults) -> TerminalTable:
    table = _table(f"{results.system_name} — {close_label(results.year, results.month)} (£m)",
                   ("Organisation", "YTD variance", "FOT", "Agreed target", "Gap to target"))
    for p in results.positions:
        table.add_row(Text(p.org), *(Text(format_millions(v)) for v in (p.surplus.ytd_variance, p.surplus.fot, p.target, p.gap_to_target)))
    ics = ics_position(results)
    table.add_row(Text("ICS total"), *(Text(format_millions(v)) for v in (ics.surplus.ytd_variance, ics.surplus.fot, ics.target, ics.gap_to_target)),
                  style="bold")
    return table


HEADLINE_ROWS = ("Scenario FOT", "Best", "Likely", "Worst", "P10 (adverse)", "P50", "P90",
                 "Chance of meeting the target", "Further mitigations needed (likely)", "Further mitigations needed (P10)")


def scenario_headline(summaries: Sequence[ScenarioSummary]) -> TerminalTable:
    """The ICS in each scenario, one column a scenario: where the year ends, the range, and
    what is still to find (a measure a row, so several scenarios fit a terminal)."""
    close = summaries[0].close if summaries else ""
    table = _table(f"Scenarios on {close}: the ICS (£m)", ("", *(s.name for s in summaries)))
    columns = []
    for s in summaries:
        r = next(row for row in s.rows if row.row == ICS)
        money = [format_millions(v) for v in (r.base_fot, r.best, r.likely, r.worst, r.p10, r.p50, r.p90)]
        further = [format_millions(v) for v in (r.further_required_likely, r.further_required_p90)]
        columns.append([*money, chance(r.probability_meeting_target), *further])
    for i, label in enumerate(HEADLINE_ROWS):
        table.add_row(Text(label), *(Text(c[i]) for c in columns))
    return table


def chance(probability: Decimal) -> str:
    """A share of iterations as a person says it: a rare but possible outcome is not "0%"."""
    if 0 < probability < Decimal("0.005"):
        return "under 1%"
    if Decimal("0.995") < probability < 1:
        return "over 99%"
    return f"{probability * 100:.0f}%"


def local_time(iso_utc: str) -> str:
    """``2024-02-12T09:00:00Z`` as this machine's local time: ``12 Feb 2024 09:00``."""
    try:
        moment = dt.datetime.strptime(iso_utc, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return iso_utc
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def history_table(closes: Sequence[object]) -> TerminalTable:
    table = _table("Close history (times are local)", ("Close", "Version", "Made", "By", "Model", "Reopened because"))
    for c in closes:
        table.add_row(*(Text(v) for v in (
            close_label(c.year, c.month), str(c.version), local_time(c.made_at), c.made_by,  # type: ignore[attr-defined]
            c.model_version, c.reopen_reason or "",  # type: ignore[attr-defined]
        )))
    return table


