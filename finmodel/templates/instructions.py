"""The `instructions` sheet of each template: the contract's rules and every column's meaning.

The text is docs/inputs.md's (both come from schema_docs), told of the system the workbook
is written for: the reference's examples name the bundled example ICS's codes (ACUTE1, ICB,
LA_NORTH), which here become this system's own, and a rule about a column (recurrence, say)
appears only on a sheet that has that column. Validation reads sheets by name and never
reads this one.
"""

from __future__ import annotations

import re

from finmodel.contract import LINE_COLUMNS, MONEY_COLUMNS, WORKBOOKS, Sheet, Workbook
from finmodel.schema_docs import GENERAL_RULES, KIND_WORDS, column_meaning, sheet_rules
from finmodel.system_config import SystemConfig
from finmodel.templates.drop_downs import drop_down

INSTRUCTIONS = "instructions"

# The reference text's example codes, those of the bundled example ICS. "ICB" is also the
# word for the commissioner, so it is a code only as a cell of an example: `ICB`, | ICB |.
EXAMPLE_CODES = re.compile(r"\bACUTE1\b|\bLA_NORTH\b|(?<=`)ICB(?=`)|(?<=\| )ICB(?= \|)")
ROLE = {"ACUTE1": "provider", "ICB": "icb", "LA_NORTH": "partner"}
# Where this system has no code of a role (or names none yet: init), a description, never a code.
NO_CODE = {"provider": "<provider code>", "icb": "<ICB code>", "partner": "<partner code>"}
_COLUMN_NAMES = frozenset(c.name for w in WORKBOOKS for s in w.sheets for c in s.columns)
_RULE_ABOUT = re.compile(r"^([a-z_]+)(?::| \()")  # "forecast: ...", "recurrence (income, ...): ..."
_LINE_RULE, _DETAIL_END = "A line is the organisation and what is booked", "are detail. "


def example_codes(system: SystemConfig, named: bool = True) -> dict[str, str]:
    """What each example role becomes in this system: its first provider, ICB and partner."""
    found = {
        "provider": next((o.code for o in (*system.providers, *system.organisations) if not o.is_icb), None),
        "icb": next((o.code for o in system.icbs), None),
        "partner": next((p.code for p in system.partners), None),
    }
    return {role: (code if named and code else NO_CODE[role]) for role, code in found.items()}


def own_codes(text: str, examples: dict[str, str]) -> str:
    """`text` with the reference's example codes replaced by this system's."""
    return EXAMPLE_CODES.sub(lambda m: examples[ROLE[m.group()]], text)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _line_rule(sheet: Sheet, rule: str) -> str:
    """The rule of what a line is, with this sheet's own line and detail columns."""
    line = LINE_COLUMNS.get((sheet.workbook, sheet.name))
    if line is None or not rule.startswith(_LINE_RULE) or _DETAIL_END not in rule:
        return rule
    names = [c.name for c in sheet.columns]
    line = (*line, *(("cost_centre",) if "cost_centre" in names else ()))
    detail = [n for n in names if n not in line and n != "month" and n not in MONEY_COLUMNS]
    rest = rule.split(_DETAIL_END, 1)[1]
    verb = "are" if detail else "is"
    return f"A line is the row's {_and(list(line))}; {_and([*detail, 'any extra column'])} {verb} detail. {rest}"


def own_rules(sheet: Sheet) -> tuple[str, ...]:
    """The sheet's rules, less those about a column it has not."""
    names = {c.name for c in sheet.columns}
    kept = []
    for rule in sheet_rules(sheet):
        about = _RULE_ABOUT.match(rule)
        if about and about.group(1) in _COLUMN_NAMES and about.group(1) not in names:
            continue
        kept.append(_line_rule(sheet, rule))
    return tuple(kept)


def _whose(system: SystemConfig, named: bool) -> str:
    """The line saying whose codes the drop-downs hold."""
    if not named:
        return ("The organisation columns offer no code yet: system.yaml's organisations are placeholders. Name yours "
                "there, then write these workbooks again with: finmodel templates <this folder> --force")
    orgs = ", ".join(f"{o.code} ({o.type})" for o in system.organisations)
    partners = "".join(f", {p.code} (partner)" for p in system.partners)
    return (f"Drop-downs list the codes of the contract and of system.yaml for {system.system} "
            f"({system.financial_year.label}): {orgs}{partners}.")


def _columns(sheet: Sheet, system: SystemConfig, named: bool, examples: dict[str, str]) -> list[tuple[bool, tuple[str, ...]]]:
    rows: list[tuple[bool, tuple[str, ...]]] = [(True, ("column", "need", "what it holds", "meaning", "drop-down"))]
    for column in sheet.columns:
        choices = drop_down(sheet, column, system, named)
        offered = (", ".join(choices.choices) or choices.prompt) if choices else ""
        need = "required" if column.required else "optional"
        meaning = own_codes(column_meaning(sheet, column), examples)
        rows.append((False, (column.name, need, KIND_WORDS[column.kind], meaning, offered)))
    return rows


def instruction_rows(workbook: Workbook, system: SystemConfig, named: bool = True) -> list[tuple[bool, tuple[str, ...]]]:
    """The instructions sheet's text, row by row: (bold?, cells).

    `named` False: system.yaml's organisations are init's placeholders, so none is named.
    """
    read = ", ".join(f"'{s.name}'" for s in workbook.sheets)
    need = "required: a missing file is an error" if workbook.required else "optional: leave it out if you have none"
    examples = example_codes(system, named)
    rows: list[tuple[bool, tuple[str, ...]]] = [
        (True, (f"{workbook.filename} ({need})",)),
        (False, (f"finmodel reads only the sheet(s) {read}, by name; it never reads this sheet.",)),
        (False, (_whose(system, named),)),
        (False, ()),
        *((False, (rule,)) for rule in GENERAL_RULES),
    ]
    for sheet in workbook.sheets:
        rows += [(False, ()), (True, (f"sheet '{sheet.name}'",))]
        rows += [(False, (own_codes(rule, examples),)) for rule in own_rules(sheet)]
        rows += [(False, ()), *_columns(sheet, system, named, examples)]
    return rows
