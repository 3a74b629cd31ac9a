"""The reference text of the inputs, and the generator of the docs made from it.

    python -m finmodel.schema_docs

writes docs/inputs.md (every workbook, sheet, column and code, from contract.py),
docs/system.schema.json (pydantic's JSON schema of system.yaml),
docs/scenario.schema.json (that of a scenario file, scenarios/file.py) and
docs/custom-table.schema.json (that of a custom table file, report/custom/file.py). A test checks the
committed files equal what this produces, so the docs cannot drift from the code. The
rules and notes below are also what `finmodel init` writes on each template's
instructions sheet: one text, so the docs and the templates say the same thing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from finmodel.contract import (
    AGENCY,
    CAPITAL,
    CIP,
    CONTINUING_CARE,
    ICB_INCOME_CATEGORIES,
    ICB_SERVICE_LINES,
    INCOME,
    LINE_COLUMNS,
    MONEY_COLUMNS,
    NONPAY,
    PAY,
    PHC,
    POOLED,
    RISKS,
    WORKBOOKS,
    Column,
    ColumnKind,
    Sheet,
)
from finmodel.prose import and_list
from finmodel.report.custom.file import CustomTableFile
from finmodel.scenarios.file import ScenarioFile
from finmodel.system_config import SystemConfig

GENERATE_COMMAND = "python -m finmodel.schema_docs"

KIND_WORDS: dict[ColumnKind, str] = {
    "org": "organisation code from system.yaml",
    "party": "organisation or partner code from system.yaml",
    "month": "1..12, M1..M12, M01..M12 or a date inside the year",
    "money": "pounds (at most two decimals; accounting text such as £1,234.50 or (1,234) is read and counted)",
    "code": "one of the codes listed",
    "text": "free text",
    "id": "text, unique in the sheet",
    "date": "a date (a date cell, or day-first text such as 15/01/2024)",
    "fraction": "a number from 0 to 1",
    "likelihood": "0..100 (%), or a word from system.yaml parameters.likelihood_pct",
    "count": "a whole number, 0 or more",
}

# The texts' examples name an organisation by its role; docs/inputs.md shows the bundled
# example ICS's codes, and each template's instructions its own system's (templates/instructions.py).
EXAMPLE_CODES = {"provider": "ACUTE1", "icb": "ICB", "partner": "LA_NORTH"}


def told(text: str, codes: dict[str, str] = EXAMPLE_CODES) -> str:
    """`text` with its example organisations ({provider}, {icb}, {partner}) as `codes` name them."""
    for role, code in codes.items():
        text = text.replace("{" + role + "}", code)
    return text


GENERAL_RULES = (
    "Row 1 holds the column names, lower case as written here; column order is free and extra columns are kept as detail.",
    "A workbook with only its header row means \"nothing of this kind\"; a required workbook that is missing is an error, "
    "so a forgotten file is never read as zero.",
    "Amounts are in pounds (at most two decimals), positive in their natural direction: income positive, spend positive. "
    "A negative amount is a credit and is reported as a warning.",
)

# For sheets with a month and an actual column; M is the close month, the folder's name.
_COPIES = (
    "Rows for the same line and month (one per cost centre, say) are added together; an exact copy of a row is an error "
    "(a copy-paste fault)."
)
_PLAN = "plan: every month of the year, 1..12; a blank plan is 0."
_WHOLE_YEAR = (
    "A line with a plan in any month needs a row for every month 1..12 (write 0 where nothing is planned): a missing month is "
    "an error, never read as zero. A line with no plan at all (an unplanned one-off) appears only in the months it happened."
)
_LINE = (
    "A line is the organisation and what is booked (the category, the staff group and pay type, the scheme, the service) and, "
    "where the sheet has a cost_centre column, its cost centre; driver, subjective, description and extra columns are detail. "
    + _WHOLE_YEAR
)
_ACTUAL = "actual: every month 1..M of the close (write 0 as 0), blank after M. M is the close month, the folder's name (M01 .. M12)."
_FORECAST = "forecast: only after M, the organisation's own forecast; a line with no forecast is forecast at plan."
_RECURRENCE = (
    "recurrence (income, pay, nonpay; optional): recurrent, the default where blank or where the column is absent, or "
    "non_recurrent for a one-off item that will not recur next year: a one-off receipt (income), a one-off cost (pay, nonpay). "
    "E.g. a row org {provider}, month M07, category national_funding, actual 250000, recurrence non_recurrent is £250,000 of "
    "one-off income: the Underlying position sheet takes it out of the FOT. Codes are exact (Non-recurrent is told to write "
    "non_recurrent). A CIP saving's recurrence is its scheme's (cip.xlsx recurrent): an efficiency row marked non_recurrent is "
    "counted as recurrent, with a warning, so a one-off saving is not taken out twice."
)
MONTHLY_RULES = (_COPIES, _PLAN, _LINE, _ACTUAL, _FORECAST, _RECURRENCE)
# A rule about one column, told only on a sheet that has it (recurrence is the ledgers' alone).
_RULE_COLUMN = {_PLAN: "plan", _ACTUAL: "actual", _FORECAST: "forecast", _RECURRENCE: "recurrence"}

SHEET_NOTES: dict[Sheet, str] = {
    AGENCY.sheet("agency"): "The agency detail: per organisation and month it must reconcile to the agency rows of pay.xlsx (to £1).",
    CIP.sheet("schemes"): "One row per efficiency (CIP) scheme; scheme_id is unique and links the scheme's delivery rows.",
    CIP.sheet("delivery"): "One row per scheme and month; there is no org column: the organisation comes from the scheme.",
    PHC.sheet("budget"): "The ICB's placement and healthcare (PHC) budget by service; rows carry the driver phc unless driver says otherwise.",
    PHC.sheet("packages"): "One row per care package, open or ended; the package forecast runs each open package to year end.",
    CAPITAL.sheet("capital"): "One row per organisation and programme: plan and forecast for the full year, actual_ytd to date. "
    "The system's IFRS 16 allocation is in system.yaml.",
    RISKS.sheet("register"): "The month's risks and mitigations, one row each: value is the full-year effect, positive.",
    POOLED.sheet("funds"): "One row per pooled fund (a Better Care Fund or a section 75 agreement), e.g. "
    "`BCF | Better Care Fund | {partner} | bcf`. The host and every partner are an organisation or a `partners` code of "
    "system.yaml; who bears what part of a fund's over- or underspend is a `share_rules` entry there (system-yaml.md).",
    POOLED.sheet("contributions"): "What each partner pays in, e.g. `BCF | {icb} | 24000000` and `BCF | {partner} | 9000000`: "
    "one full-year row per fund and partner, or one row per month (phased; every row then has its month). The fund's "
    "variance = contributions - the schemes' forecast spend. An NHS partner's contribution is in its own ledger as well "
    "(as spend, e.g. the ICB's community line): pooled.xlsx does not add it again.",
    POOLED.sheet("schemes"): "The fund's spend, one row per scheme and month, like a ledger line, e.g. "
    "`BCF | BCF05 | Intermediate care beds | 1 | 600000 | 672000 |`. A scheme with a plan needs a row for every month "
    "and an actual for every closed month. The spend is in no organisation's ledger: only the shares of its variance move FOTs.",
}

_COUNTERPARTY = (
    "e.g. `{icb}` on a trust's ICB contract income and `{provider}` on the ICB's acute contract with it, so the "
    "agreement of balances compares the two and gross ICS income and expenditure eliminate the flow; "
    "`NHS England` or `Council` (not an organisation's code) for a body outside; blank = outside or not known, never eliminated"
)
COLUMN_NOTES: dict[tuple[Sheet, str], str] = {
    (INCOME.sheet("income"), "category"): f"the ICB uses only {', '.join(ICB_INCOME_CATEGORIES)}; providers the others",
    (CIP.sheet("delivery"), "scheme_id"): "the scheme_id of a row of the schemes sheet",
    (NONPAY.sheet("nonpay"), "category"): f"ICB service lines: {', '.join(ICB_SERVICE_LINES)} "
    f"({CONTINUING_CARE} comes only from phc.xlsx)",
    **{(w.sheet(w.name), "counterparty"): _COUNTERPARTY for w in (INCOME, PAY, NONPAY)},
}


def is_monthly(sheet: Sheet) -> bool:
    names = {c.name for c in sheet.columns}
    return {"month", "actual"} <= names


def sheet_rules(sheet: Sheet, codes: dict[str, str] = EXAMPLE_CODES) -> tuple[str, ...]:
    """What a finance team needs to know to fill `sheet`, beyond its columns: its note, and on a
    monthly sheet the rules of MONTHLY_RULES about the columns it has, with what a line is there."""
    note = SHEET_NOTES.get(sheet)
    rules = (note,) if note else ()
    if is_monthly(sheet):
        names = {c.name for c in sheet.columns}
        rules += tuple(_line_rule(sheet) if r is _LINE else r for r in MONTHLY_RULES if _RULE_COLUMN.get(r, "month") in names)
    return tuple(told(r, codes) for r in rules)


def _line_rule(sheet: Sheet) -> str:
    """What a line is, in this sheet's own line and detail columns."""
    line = LINE_COLUMNS.get((sheet.workbook, sheet.name))
    if line is None:
        return _LINE
    names = [c.name for c in sheet.columns]
    line = (*line, *(("cost_centre",) if "cost_centre" in names else ()))
    detail = [n for n in names if n not in line and n != "month" and n not in MONEY_COLUMNS]
    verb = "are" if detail else "is"
    return f"A line is the row's {and_list(list(line))}; {and_list([*detail, 'any extra column'])} {verb} detail. {_WHOLE_YEAR}"


def column_meaning(sheet: Sheet, column: Column, codes: dict[str, str] = EXAMPLE_CODES) -> str:
    """The column's meaning, without repeating what its kind already says."""
    parts = [column.meaning if column.meaning != KIND_WORDS[column.kind] else "", COLUMN_NOTES.get((sheet, column.name), "")]
    return told("; ".join(p for p in parts if p), codes)


def _row(sheet: Sheet, column: Column) -> str:
    codes = ", ".join(f"`{c}`" for c in column.codes)
    meaning = "; ".join(x for x in (column_meaning(sheet, column), codes) if x)
    need = "required" if column.required else "optional"
    return f"| `{column.name}` | {need} | {KIND_WORDS[column.kind]} | {meaning} |"


def inputs_markdown() -> str:
    lines = [
        "# Input workbooks: the reference",
        "",
        f"Generated from `finmodel/contract.py` by `{GENERATE_COMMAND}`; do not edit by hand.",
        "`finmodel init` writes an empty template of each workbook, with drop-downs and these notes on an instructions sheet.",
        "`finmodel templates inputs/<year>/Mnn --force` writes a close folder's templates again from the current system.yaml "
        "(its codes in the drop-downs); `--carry-forward` starts a new month's folder from the last close's, with the plan, "
        "the known actuals and the later forecast carried, so only the new month's actuals are left to fill.",
        "See also [system-yaml.md](system-yaml.md) and [errors.md](errors.md).",
        "",
        "## Every workbook",
        "",
        *(f"- {rule}" for rule in GENERAL_RULES),
        "",
        "Sheets with a `month` and an `actual` column (the ledgers, cip `delivery`, phc `budget`) also follow:",
        "",
        *(f"- {told(rule)}" for rule in MONTHLY_RULES),
        "",
    ]
    for workbook in WORKBOOKS:
        need = "required" if workbook.required else "optional"
        lines += [f"## {workbook.filename} ({need})", ""]
        for sheet in workbook.sheets:
            lines += [f"### sheet `{sheet.name}`", ""]
            note = SHEET_NOTES.get(sheet)
            lines += [told(note), ""] if note else []
            lines += ["| column | | what it holds | meaning and codes |", "|---|---|---|---|"]
            lines += [_row(sheet, c) for c in sheet.columns]
            lines.append("")
    return "\n".join(lines)


def schema_json() -> str:
    return json.dumps(SystemConfig.model_json_schema(), indent=2, sort_keys=True, default=str) + "\n"


def scenario_schema_json() -> str:
    """The scenario file's keys as its models read them (by alias: the file says `register`)."""
    return json.dumps(ScenarioFile.model_json_schema(), indent=2, sort_keys=True, default=str) + "\n"


def custom_table_schema_json() -> str:
    return json.dumps(CustomTableFile.model_json_schema(), indent=2, sort_keys=True, default=str) + "\n"


def generated(docs: Path) -> dict[Path, str]:
    return {
        docs / "inputs.md": inputs_markdown(),
        docs / "system.schema.json": schema_json(),
        docs / "scenario.schema.json": scenario_schema_json(),
        docs / "custom-table.schema.json": custom_table_schema_json(),
    }


def main(argv: list[str] | None = None) -> None:
    docs = Path(argv[0] if argv else "docs")
    for path, text in generated(docs).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
