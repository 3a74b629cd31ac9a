"""`finmodel init`: a starter system.yaml and empty input workbooks finance staff fill in.

Every workbook has the contract's sheets with a frozen header row, a drop-down on every
coded column (so a typo is caught while typing, not at month end), and an `instructions`
sheet, which validation ignores because it reads only the contract's sheets by name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from finmodel.calendar import FinancialYear
from finmodel.contract import WORKBOOKS, Column, Sheet, Workbook
from finmodel.system_config import parse_system

TEMPLATE_ROWS = 10_000  # rows the drop-downs cover
CREATED = dt.datetime(2024, 1, 1)  # fixed, so templates are the same bytes every time
RULES = (
    "One row per organisation, line and month. Column names are lower case; column order is free; extra columns are kept.",
    "plan: the whole year, months 1..12. actual: months 1..M of the close (write 0 as 0), blank after M.",
    "forecast: only after M, the organisation's own forecast; a blank forecast means 'at plan'.",
    "Amounts in pounds, positive in their natural direction (income positive, spend positive); a credit may be negative.",
    "A workbook with only its header row means 'nothing of this kind'. A missing workbook is an error.",
)

STARTER_SYSTEM = """\
# system.yaml: one per financial year, at inputs/{folder}/system.yaml.
# Money is in pounds, exact: a whole number or at most two decimals ("_" may group digits).
# Percentages are numbers 0..100. Every key below `parameters` is optional; the value shown is its default.

year: {year}                  # the financial year; its folder is inputs/{folder}/
system: Example ICS           # shown on every sheet of the board pack

organisations:                # board-pack order
  - code: ACUTE1              # upper case, used in every workbook's `org` column
    name: Example Acute Hospitals NHS Foundation Trust
    type: acute               # acute | community_mh | ambulance | specialist | icb | other
    # agency_cap: 6_734_400   # optional: NHS England's annual agency cap, phased evenly; `none` = no cap;
                              #   absent = parameters.agency_cap_pct of planned pay
    # prior_year_outturn: 0   # optional: last year's surplus/(deficit)
  - code: ICB
    name: NHS Example Integrated Care Board
    type: icb

targets:                      # agreed full-year surplus/(deficit) for every organisation (0 = break-even)
  ACUTE1: 0
  ICB: 0
target_revisions: []          # optional: targets re-set from a month on, e.g.
                              #   - {{from_month: 7, reason: H2 plan, targets: {{ACUTE1: -600_000}}}}

groups: {{}}                    # optional named subtotals, e.g. {{Acute providers: [ACUTE1]}}

capital:
  ifrs16_allocation: 0        # the system's IFRS 16 capital allocation

parameters:
  agency_cap_pct: 3.7              # of planned pay, for organisations without agency_cap
  recurrent_efficiency_target_pct: 60
  materiality: 500_000             # movements smaller than this show ■
  forecast_method:                 # per line group: submitted | plan | run_rate | trend | seasonal
    default: submitted
  run_rate_months: 3               # months averaged by the run-rate forecast
  cip_probability_pct:             # risk-adjusted CIP forecast, by scheme rating
    fully_developed: 100
    plans_in_progress: 75
    opportunity: 50
    unidentified: 0
  likelihood_pct:                  # words allowed in risks.xlsx `likelihood`
    low: 25
    medium: 50
    high: 75
    almost_certain: 95
  phc:
    high_cost_weekly: 7_550        # a package at or above this weekly cost is high-cost
    bands: [9_500, 11_500, 13_500, 15_500]   # high-cost cohort band edges, weekly £
    price_uplift: {{pct: 0, from_month: 1}}    # applied to live packages from that month
    growth: {{}}                     # per service: {{new_per_month: 0, average_weekly: 0}}
    qipp: {{}}                       # per service: £ of savings still to come to year end
    prior_year_outturn: {{}}         # last year's PHC outturn by service, for growth on last year
"""


class TemplateExists(Exception):
    def __init__(self, paths: list[Path]) -> None:
        super().__init__("these files exist already and were left as they are: " + ", ".join(str(p) for p in paths))
        self.paths = paths


def starter_system_yaml(year: str) -> str:
    fy = FinancialYear.parse(year)
    return STARTER_SYSTEM.format(year=fy.label, folder=fy.folder)


def _choices(column: Column, orgs: tuple[str, ...], likelihoods: tuple[str, ...]) -> tuple[str, ...]:
    if column.kind == "code":
        return column.codes
    if column.kind == "org":
        return orgs
    if column.kind == "likelihood":
        return likelihoods
    return ()


def _write_sheet(book: xlsxwriter.Workbook, sheet: Sheet, orgs, likelihoods, header) -> None:  # type: ignore[no-untyped-def]
    ws = book.add_worksheet(sheet.name)
    for index, column in enumerate(sheet.columns):
        ws.write_string(0, index, column.name, header)
        ws.set_column(index, index, max(12, len(column.name) + 2))
        choices = _choices(column, orgs, likelihoods)
        if choices:
            ws.data_validation(1, index, TEMPLATE_ROWS, index, {
                "validate": "list", "source": list(choices),
                "error_title": column.name, "error_message": "Choose one of the listed codes.",
                # Likelihood also takes a number 0..100, so the list only suggests there.
                "error_type": "information" if column.kind == "likelihood" else "stop",
            })
    ws.freeze_panes(1, 0)


def _write_instructions(book: xlsxwriter.Workbook, workbook: Workbook, bold) -> None:  # type: ignore[no-untyped-def]
    ws = book.add_worksheet("instructions")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 4, 40)
    row = 0
    for rule in RULES:
        ws.write_string(row, 0, rule)
        row += 1
    for sheet in workbook.sheets:
        row += 1
        ws.write_string(row, 0, f"sheet '{sheet.name}'", bold)
        row += 1
        for column in sheet.columns:
            ws.write_string(row, 0, column.name)
            ws.write_string(row, 1, "required" if column.required else "optional")
            ws.write_string(row, 2, column.kind)
            ws.write_string(row, 3, column.meaning or ", ".join(column.codes))
            row += 1


def write_workbook_template(path: Path, workbook: Workbook, orgs: tuple[str, ...], likelihoods: tuple[str, ...]) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    book.set_properties({"created": CREATED})
    header = book.add_format({"bold": True, "bottom": 1})
    for sheet in workbook.sheets:
        _write_sheet(book, sheet, orgs, likelihoods, header)
    _write_instructions(book, workbook, header)
    book.close()
    return path


def write_templates(target: Path, year: str = "2024/25") -> tuple[Path, ...]:
    """Write target/<year>/system.yaml and target/<year>/M01/<workbook>.xlsx; never overwrite."""
    fy = FinancialYear.parse(year)
    folder = Path(target) / fy.folder
    text = starter_system_yaml(year)
    system, findings = parse_system(text)
    assert system is not None, findings  # the starter is ours: it must always parse
    paths = [folder / "system.yaml", *(folder / "M01" / w.filename for w in WORKBOOKS)]
    existing = [p for p in paths if p.exists()]
    if existing:
        raise TemplateExists(existing)
    (folder / "M01").mkdir(parents=True, exist_ok=True)
    paths[0].write_text(text, encoding="utf-8")
    likelihoods = tuple(system.parameters.likelihood_pct)
    for path, workbook in zip(paths[1:], WORKBOOKS):
        write_workbook_template(path, workbook, system.codes, likelihoods)
    return tuple(paths)
