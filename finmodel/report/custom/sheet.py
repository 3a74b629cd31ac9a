"""A custom table laid out: its rows and columns as a Table, one sheet each.

Each cell is a figure the results already hold (results/previous.py's Figures): a plan,
actual, outturn or variance of a line at this close or the previous one, last year's
outturn, growth on it or the movement since last month. Nothing is computed here.
"""

from __future__ import annotations

from finmodel.report.custom.checks import sheet_name, table_key
from finmodel.report.custom.file import ColumnSpec, CustomTableFile, parse_custom_table
from finmodel.report.custom.rows import Context, CustomRow, custom_rows
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SURPLUS_TERMS, title
from finmodel.report.table import Column, Row, Sheet, Table, Value
from finmodel.results.lines import Line

_MEASURE_WORDS = {"plan": "Plan", "actual": "Actual", "variance": "Variance", "growth": "Growth on last year", "movement": "Movement"}
_PERIOD_WORDS = {"ytd": "Year to date", "year": "Full year"}
_OF_WORDS = {"income": "Income", "expenditure": "Expenditure"}
DASH_NOTE = "A dash: no previous close this year (last month's figures), or no prior-year outturn given (or it is nil)."
GROSS_NOTE = "Rows that add up several organisations leave gross income and expenditure empty: flows between them would count twice."
GROSS_ELIMINATED_NOTE = (
    "Rows that add up several organisations show this close's gross income and expenditure with the flows between them "
    "that both sides tag eliminated (sheet Agreement of balances); other closes' are left empty: flows would count twice."
)


def column_label(c: ColumnSpec) -> str:
    if c.label:
        return c.label
    if c.measure == "outturn":
        return "Prior-year outturn" if c.close == "prior_year" else "FOT last month" if c.close == "previous" else "FOT"
    return _MEASURE_WORDS[c.measure] + (" last month" if c.close == "previous" else "")


def column_band(c: ColumnSpec) -> str:
    if c.band:
        return c.band
    period = _PERIOD_WORDS[c.period]
    return f"{_OF_WORDS[c.of]}: {period.lower()}" if c.of in _OF_WORDS else period


def cell(c: ColumnSpec, row: CustomRow) -> Value:
    f = row.record
    if c.of != "surplus" and row.several:
        if row.gross is None or c.close != "this" or c.measure not in ("plan", "actual", "outturn", "variance"):
            return ""  # left empty on purpose, as in System I&E (GROSS_NOTE)
        return _picked(c, (row.gross.income if c.of == "income" else row.gross.expenditure).as_surplus())
    if c.measure == "growth":
        return f.growth
    if c.measure == "movement":
        return f.movement(c.of, ytd=c.period == "ytd")
    if c.close == "prior_year":
        return f.prior_year_outturn
    line = f.line(c.of, previous=c.close == "previous")
    return None if line is None else _picked(c, line)


def _picked(c: ColumnSpec, line: Line) -> int:
    ytd = c.period == "ytd"
    picked = {
        "plan": line.ytd_plan if ytd else line.year_plan,
        "actual": line.ytd_actual,
        "outturn": line.fot,
        "variance": line.ytd_variance if ytd else line.fot_variance,
    }
    return picked[c.measure]


def _title(pack: PackInputs, table: CustomTableFile) -> str:
    r = pack.results
    words = {"{close}": pack.close_label, "{month}": f"M{r.month}", "{year}": r.year}
    text = table.title
    for placeholder, value in words.items():
        text = text.replace(placeholder, value)
    return title(text, table.unit)


def custom_table(pack: PackInputs, file_name: str, table: CustomTableFile) -> Table:
    ctx = Context(pack.results, pack.comparable_previous, pack.system, table.names == "short")
    rows = custom_rows(table, ctx)
    uses = {(c.close, c.measure, c.of != "surplus") for c in table.columns}
    notes = list(table.notes) + [SURPLUS_TERMS]
    if any(close != "this" or measure in ("growth", "movement") for close, measure, _ in uses):
        notes.append(DASH_NOTE)
    if any(gross for *_, gross in uses) and any(r.several for r in rows):
        notes.append(GROSS_ELIMINATED_NOTE if any(r.gross for r in rows if r.several) else GROSS_NOTE)
    return Table(
        table_key(file_name),
        _title(pack, table),
        table.unit,
        tuple(Column(c.column_code, column_label(c), "gbp", column_band(c)) for c in table.columns),
        tuple(Row(r.code, r.label, tuple(cell(c, r) for c in table.columns), r.total, indent=int(r.kind == "segment")) for r in rows),
        notes=tuple(notes),
    )


def parsed_tables(pack: PackInputs) -> list[tuple[str, CustomTableFile]]:
    """The close's custom tables as kept with its results, by file name. They were checked
    when the close was made; one the model can no longer read is left out, not guessed."""
    out = []
    for file_name, text in pack.results.custom_tables:
        table, _ = parse_custom_table(text, file_name)
        if table is not None:
            out.append((file_name, table))
    return out


def custom_sheets(pack: PackInputs, heading) -> tuple[Sheet, ...]:  # type: ignore[no-untyped-def]
    """One sheet per custom table, in the order of their file names; ``heading(sheet name)``."""
    sheets = []
    for file_name, table in parsed_tables(pack):
        name = sheet_name(table, file_name)
        sheets.append(Sheet(name, heading(name), (custom_table(pack, file_name, table),)))
    return tuple(sheets)
