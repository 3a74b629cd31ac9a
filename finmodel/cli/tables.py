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
from finmodel.report.run_comparison import KIND_LABELS, MEASURE_LABELS, STEP_LABELS
from finmodel.results.board import ICS, ics_position
from finmodel.scenarios.compare import MEASURES, RecordedRun, RunComparison
from finmodel.scenarios.summary import ScenarioSummary


def _table(title: str, columns: Sequence[str], left: int = 1, wraps: Sequence[str] | None = None) -> TerminalTable:
    """Figures right-aligned; the first ``left`` columns (labels, text) left-aligned. Given
    ``wraps``, only those columns wrap in a narrow terminal: a close label or a figure broken
    over lines is harder to read than a name or a reason."""
    table = TerminalTable(title=Text(title))
    for i, column in enumerate(columns):
        wrapping = wraps is None or column in wraps
        table.add_column(Text(column), justify="left" if i < left else "right", no_wrap=not wrapping, overflow="fold" if wrapping else "ellipsis")
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


def pack_words(status: str) -> str:
    return {"current": "current", "missing": "none on record", "": ""}.get(status, status)


def history_table(closes: Sequence[object], packs: dict[int, str] | None = None) -> TerminalTable:
    """``packs``: by close id, what the board pack in --out shows (the latest versions only)."""
    table = _table("Close history (times are local)", ("Close", "Version", "Made", "By", "Reopened because", "Board pack"), left=6,
                   wraps=("By", "Reopened because", "Board pack"))
    for c in closes:
        table.add_row(*(Text(v) for v in (
            close_label(c.year, c.month), str(c.version), local_time(c.made_at), c.made_by,  # type: ignore[attr-defined]
            c.reopen_reason or "", pack_words((packs or {}).get(c.close_id, "")),  # type: ignore[attr-defined]
        )))
    return table




def runs_table(runs: Sequence[RecordedRun]) -> TerminalTable:
    """Every recorded scenario run: what it was, on which close, and where it put the ICS."""
    # Eight columns: in 80 the name, the close and the time wrap (a date and its time on two
    # lines), and no column is cut off.
    table = _table("Scenario runs (times are local; the ICS's outturn, £m)", ("Id", "Scenario", "Close", "Run", "By", "Seed", "Likely", "P10"),
                   left=5, wraps=("Scenario", "Close", "Run", "By"))
    for run in runs:
        ics = next((r for r in run.summary.rows if r.row == ICS), None)
        close = run.close if run.close_version == 1 else f"{run.close} v{run.close_version}"
        figures = (format_millions(ics.likely), format_millions(ics.p10)) if ics else ("", "")
        table.add_row(*(Text(v) for v in (str(run.run_id), run.name, close, local_time(run.run_at), run.run_by,
                                          str(run.summary.seed), *figures)))
    return table


def _change(value: int | Decimal | None, share: bool = False) -> str:
    if value is None:
        return "-"
    if share:
        return f"{value * 100:+.0f} pts" if value else "-"
    return format_millions(int(value))


def comparison_tables(c: RunComparison) -> list[TerminalTable]:
    """The ICS before and after, the movement by organisation, what moved the likely case, what the file changed."""
    before, after = (f"Run {r.run_id} ({local_time(r.run_at)})" for r in (c.before, c.after))
    ics = _table(f"{c.after.name}: the ICS since run {c.before.run_id} (£m)", ("", before, after, "Movement"))
    for code, _ in MEASURES:
        m = c.movement(ICS, code)
        share = code == "probability_meeting_target"
        shown = [chance(v) if share and v is not None else _change(v) for v in (m.before, m.after)]
        ics.add_row(Text(MEASURE_LABELS[code]), *(Text(v) for v in (*shown, _change(m.change, share))))
    codes = ("scenario_fot", "likely", "p10", "p50", "p90", "probability_meeting_target", "further_required_p10")
    orgs = _table("Movement by organisation (£m)", ("", "Scenario FOT", "Likely", "P10", "P50", "P90", "Chance", "Further (P10)"))
    for row in dict.fromkeys(m.row for m in c.movements):
        orgs.add_row(Text(row), *(Text(_change(c.movement(row, code).change, code == "probability_meeting_target")) for code in codes),
                     style="bold" if row == ICS else "")
    steps = _table("What moved the ICS likely case (£m)", ("Step", "ICS"))
    for step in c.likely_bridge:
        steps.add_row(Text(STEP_LABELS.get(step.step, step.step)), Text(_change(dict(step.amounts)[ICS])))
    steps.add_row(Text("Movement in the likely case"), Text(_change(c.movement(ICS, "likely").change)), style="bold")
    tables = [ics, orgs, steps]
    if c.file_changes:
        changes = _table("What the scenario file says differently", ("Change", "Item or key", "What"), left=3)
        for f in c.file_changes:
            changes.add_row(Text(KIND_LABELS.get(f.kind, f.kind)), Text(f.key), Text(f.what))
        tables.append(changes)
    return tables
