"""Contents: the summary in words, a link to every sheet, and where the close came from."""

from __future__ import annotations

from finmodel.calendar import FinancialYear, close_label, month_label
from finmodel.prose import and_list
from finmodel.report.narrative import narrative_items
from finmodel.report.pack import PackInputs
from finmodel.report.table import Column, Row, Sheet, Table

SHEET = "Contents"

WHAT_EACH_SHOWS = {
    "KPIs": "Headline figures by organisation, movement since last month and notes",
    "Plan changes": "Full-year plans re-based since last month, line by line",
    "System I&E": "Income, expenditure and surplus/(deficit) by organisation, YTD and forecast outturn",
    "Provider subjective": "All providers and each provider: income by category, pay, non-pay, EBITDA and its margin, non-operating items",
    "ICB": "The ICB by service line, with continuing care and running costs",
    "Drivers": "What explains each organisation's YTD variance",
    "Efficiency": "CIP/QIPP delivery, recurrent share against the target, every scheme",
    "Underlying position": "FOT without one-off items, and the exit run rate carried into next year",
    "Agency": "Agency spend against plan and the NHSE cap, by staff group and framework, run rate",
    "Risks": "Risks and mitigations, risk-adjusted outturn, further mitigations required",
    "Capital": "CDEL, other capital and IFRS 16 against plan and allocation",
    "PHC": "Personal health commissioning by service and the high-cost cohort",
    "Provider summaries": "One block per provider: drivers beside its I&E, EBITDA, agency and efficiencies",
    "Forecast challenge": "Submitted forecast outturn against the model's, by method",
    "Agreement of balances": "Flows between organisations as both sides report them, and what gross ICS figures eliminate",
    "Scenarios": "Best, likely and worst cases and the Monte Carlo range",
    "Scenario history": "The latest run of each scenario, and the ICS outturn of every run this year",
}


# Why a standard sheet can have nothing to show: what the system lacks (its sheet module
# returns no tables only then).
_NO_PROVIDER, _NO_ICB = "the system has no NHS provider", "the system has no ICB"
WHY_LEFT_OUT = {
    "Provider subjective": _NO_PROVIDER,
    "Agency": _NO_PROVIDER,
    "Provider summaries": _NO_PROVIDER,
    "ICB": _NO_ICB,
    "PHC": _NO_ICB,
    "Capital": "no organisation reports capital and the system has no IFRS 16 allocation",
}


def left_out_note(names: tuple[str, ...]) -> str:
    """'Not in this pack: ICB and PHC (the system has no ICB).' One clause per reason."""
    by_reason: dict[str, list[str]] = {}
    for name in names:
        by_reason.setdefault(WHY_LEFT_OUT.get(name, "nothing to show for this close"), []).append(name)
    clauses = [f"{and_list(sheets)} ({reason})" for reason, sheets in by_reason.items()]
    return "Not in this pack: " + "; ".join(clauses) + "."


def _first_title(sheet: Sheet) -> str:
    """A custom table's sheet says what it shows by its table's own title."""
    return sheet.tables[0].title if sheet.tables else ""


def version_text(pack: PackInputs) -> str:
    """``1``, or ``2 (reopened: late PHC invoices)``: a reopened close's pack says so."""
    return f"{pack.version} (reopened: {pack.reopen_reason})" if pack.reopen_reason else str(pack.version)


def tables(pack: PackInputs, sheets: tuple[Sheet, ...], left_out: tuple[str, ...] = ()) -> tuple[Table, ...]:
    """``left_out``: standard sheets this pack has not, as the system has nothing for them."""
    r = pack.results
    fy = FinancialYear.parse(r.year)
    previous = pack.comparable_previous
    text = (Column("text", "", "text"),)
    return (
        Table(
            "summary",
            "Summary of the financial position",
            "",
            text,
            tuple(Row(code, topic, (sentence,)) for code, topic, sentence in narrative_items(pack)),
        ),
        Table(
            "contents",
            "Contents",
            "",
            (Column("shows", "What it shows", "text"),),
            tuple(Row(s.csv_name, s.name, (WHAT_EACH_SHOWS.get(s.name) or _first_title(s),)) for s in sheets),
            link_labels=True,
            notes=(
                *((left_out_note(left_out),) if left_out else ()),
                "The figures each chart draws are on the hidden sheet 'Chart data' (not printed) and in the tables' CSV.",
            ),
        ),
        Table(
            "close",
            "The close",
            "",
            text,
            (
                Row("system", "System", (r.system_name,)),
                Row("year", "Financial year", (r.year,)),
                Row("month", "Close month", (f"{month_label(r.month)} ({fy.month_name(r.month)})",)),
                Row("version", "Version", (version_text(pack),)),
                Row("made_at", "Made at", (pack.made_at,)),
                Row("model_version", "Model version", (pack.model_version,)),
                Row("previous", "Movement against", (close_label(previous.year, previous.month) if previous else "none: first close",)),
                Row("scenarios", "Scenarios", (pack.scenarios.name if pack.scenarios else "not run",)),
            ),
        ),
        Table(
            "input_files",
            "Input files",
            "",
            (Column("sha256", "SHA-256", "text"), Column("size", "Bytes", "count")),
            tuple(Row(name, name, (sha, size)) for name, sha, size in pack.input_files),
            notes=() if pack.input_files else ("No input files recorded.",),
        ),
    )
