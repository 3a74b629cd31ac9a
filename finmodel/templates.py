"""`finmodel init`: a starter system.yaml and empty input workbooks finance staff fill in.

Every workbook has the contract's sheets with a bold frozen header row, a drop-down on
every coded column (so a typo is caught while typing, not at month end) and an
`instructions` sheet. Validation reads only the contract's sheets, by name, so the
instructions sheet (and the hidden `lists` sheet a long drop-down may need) are never read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from finmodel.calendar import MONTHS, FinancialYear, month_label
from finmodel.contract import WORKBOOKS, Column, Sheet, Workbook
from finmodel.schema_docs import GENERAL_RULES, KIND_WORDS, column_meaning, sheet_rules
from finmodel.system_config import SYSTEM_YAML, SystemConfig, parse_system
from finmodel.system_template import starter_system, system_yaml

FIRST_CLOSE = month_label(1)  # the close folder init writes: M01
TEMPLATE_ROWS = 10_000  # data rows the drop-downs cover (rows 2 .. 10,001)
CREATED = dt.datetime(2024, 1, 1)  # fixed, so templates are the same bytes every time
INSTRUCTIONS = "instructions"
LISTS = "lists"
EXCEL_LIST_LIMIT = 255  # Excel refuses a typed drop-down list longer than this

# Column formats: text columns are stored as text so a code such as 001 keeps its zeros
# and 1-2 is not turned into a date; the month column stays General so 7 stays a number.
NUMBER_FORMATS = {"money": "#,##0.00", "date": "dd/mm/yyyy", "count": "0", "text": "@", "id": "@", "code": "@", "org": "@"}
ErrorStyle = Literal["stop", "warning", "information"]


class TemplateExists(Exception):
    """init never overwrites: these files are there already and were left as they are."""

    def __init__(self, paths: list[Path]) -> None:
        listed = "\n".join(f"  {p}" for p in paths)
        super().__init__(f"{len(paths)} file(s) exist already and were left as they are:\n{listed}")
        self.paths = tuple(paths)


@dataclass(frozen=True)
class DropDown:
    choices: tuple[str, ...]
    # stop: only these; warning/information: these are suggested, other accepted forms
    # (a month as 7 or a date, a likelihood as a number) still go in after a prompt.
    style: ErrorStyle
    message: str


def drop_down(column: Column, system: SystemConfig) -> DropDown | None:
    """The drop-down of a coded column, or None for a column that takes free values."""
    if column.kind == "code":
        return DropDown(column.codes, "stop", "Choose one of the listed codes.")
    if column.kind == "org":
        return DropDown(system.codes, "stop", "Choose an organisation code of system.yaml.")
    if column.kind == "month":
        fy = system.financial_year
        message = f"M01 is {fy.month_name(1)}, M12 is {fy.month_name(12)}. A month number 1..12 or a date inside the year is accepted too."
        return DropDown(tuple(month_label(m) for m in MONTHS), "warning", message)
    if column.kind == "likelihood":
        words = tuple(system.parameters.likelihood_pct)
        return DropDown(words, "information", "A word of system.yaml parameters.likelihood_pct, or a number 0..100.")
    return None


def _fits_in_a_list(choices: tuple[str, ...]) -> bool:
    return len(",".join(choices)) <= EXCEL_LIST_LIMIT and not any("," in c or '"' in c for c in choices)


class _Book:
    """One template workbook being written: its formats and the hidden sheet of long lists."""

    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
        self.book.set_properties({"created": CREATED, "title": path.name, "comments": "written by finmodel init"})
        self.header = self.book.add_format({"bold": True, "bottom": 1})
        self.bold = self.book.add_format({"bold": True})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.formats = {kind: self.book.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()}
        self.long_lists: list[tuple[str, ...]] = []

    def list_source(self, choices: tuple[str, ...]) -> list[str] | str:
        if _fits_in_a_list(choices):
            return list(choices)
        # Too long for a typed list: Excel takes the choices from cells instead.
        if choices not in self.long_lists:
            self.long_lists.append(choices)
        column = xl_col_to_name(self.long_lists.index(choices))
        return f"={LISTS}!${column}$1:${column}${len(choices)}"

    def close(self) -> None:
        if self.long_lists:
            ws = self.book.add_worksheet(LISTS)
            for index, choices in enumerate(self.long_lists):
                ws.write_column(0, index, choices)
            ws.hide()
        self.book.close()


def _width(column: Column, choices: tuple[str, ...]) -> int:
    longest = max([len(column.name), *(len(c) for c in choices)])
    return min(40, max(12, longest + 3))


def _write_sheet(book: _Book, sheet: Sheet, system: SystemConfig) -> None:
    ws = book.book.add_worksheet(sheet.name)
    for index, column in enumerate(sheet.columns):
        ws.write_string(0, index, column.name, book.header)
        choices = drop_down(column, system)
        ws.set_column(index, index, _width(column, choices.choices if choices else ()), book.formats.get(column.kind))
        if choices:
            ws.data_validation(1, index, TEMPLATE_ROWS, index, {
                "validate": "list",
                "source": book.list_source(choices.choices),
                "error_type": choices.style,
                "error_title": column.name[:32],
                "error_message": choices.message[:255],
                "input_title": column.name[:32],
                "input_message": KIND_WORDS[column.kind][:255],
            })
    ws.freeze_panes(1, 0)


def instruction_rows(workbook: Workbook, system: SystemConfig) -> list[tuple[bool, tuple[str, ...]]]:
    """The instructions sheet's text, row by row: (bold?, cells)."""
    read = ", ".join(f"'{s.name}'" for s in workbook.sheets)
    need = "required: a missing file is an error" if workbook.required else "optional: leave it out if you have none"
    rows: list[tuple[bool, tuple[str, ...]]] = [
        (True, (f"{workbook.filename} ({need})",)),
        (False, (f"finmodel reads only the sheet(s) {read}, by name; it never reads this sheet.",)),
        (False, (f"Drop-downs list the codes of the contract and of system.yaml for {system.system} ({system.financial_year.label}).",)),
        (False, ()),
        *((False, (rule,)) for rule in GENERAL_RULES),
    ]
    for sheet in workbook.sheets:
        rows += [(False, ()), (True, (f"sheet '{sheet.name}'",)), *((False, (rule,)) for rule in sheet_rules(sheet)), (False, ())]
        rows.append((True, ("column", "need", "what it holds", "meaning", "drop-down")))
        for column in sheet.columns:
            choices = drop_down(column, system)
            rows.append((False, (
                column.name,
                "required" if column.required else "optional",
                KIND_WORDS[column.kind],
                column_meaning(sheet, column),
                ", ".join(choices.choices) if choices else "",
            )))
    return rows


def _write_instructions(book: _Book, workbook: Workbook, system: SystemConfig) -> None:
    ws: Worksheet = book.book.add_worksheet(INSTRUCTIONS)
    ws.set_tab_color("#808080")  # grey: not a data sheet
    ws.set_column(0, 0, 22)
    for index, width in enumerate((10, 40, 50, 50), start=1):
        ws.set_column(index, index, width, book.wrap)
    for row, (bold, cells) in enumerate(instruction_rows(workbook, system)):
        for col, text in enumerate(cells):
            if text:
                ws.write_string(row, col, text, book.bold if bold else None)


def write_workbook_template(path: Path, workbook: Workbook, system: SystemConfig) -> Path:
    """One empty workbook of the contract, drop-downs from `system`; overwrites `path`."""
    book = _Book(path)
    for sheet in workbook.sheets:
        _write_sheet(book, sheet, system)
    _write_instructions(book, workbook, system)
    book.close()
    return path


def template_paths(target: Path, year: str) -> tuple[Path, ...]:
    """system.yaml, then one workbook per contract workbook, in contract order."""
    folder = Path(target) / FinancialYear.parse(year).folder
    return (folder / SYSTEM_YAML, *(folder / FIRST_CLOSE / w.filename for w in WORKBOOKS))


def write_templates(target: Path, year: str = "2024/25", system: SystemConfig | None = None) -> tuple[Path, ...]:
    """Write target/<year>/system.yaml and target/<year>/M01/<workbook>.xlsx; never overwrite.

    Without `system` the starter system (placeholder organisations) is written. Raises
    TemplateExists, writing nothing, when any of the files is there already.
    """
    fy = FinancialYear.parse(year)
    if system is None:
        system = starter_system(fy.label)
    elif system.financial_year != fy:
        raise ValueError(f"the system is for {system.financial_year.label}, not {fy.label}")
    text = system_yaml(system)
    read_back, findings = parse_system(text)
    if read_back != system:  # a fault of system_template, never of the user's input
        raise ValueError(f"system.yaml would not read back as written: {[f.message for f in findings]}")
    paths = template_paths(target, fy.label)
    existing = [p for p in paths if p.exists()]
    if existing:
        raise TemplateExists(existing)
    paths[1].parent.mkdir(parents=True, exist_ok=True)
    paths[0].write_text(text, encoding="utf-8")
    for path, workbook in zip(paths[1:], WORKBOOKS):
        write_workbook_template(path, workbook, system)
    return paths
