"""The `instructions` sheet of each template: the contract's rules and every column's meaning.

The text is docs/inputs.md's (both come from schema_docs), told of the system the workbook
is written for: its examples name this system's own organisations where the reference
names the bundled example ICS's, and a monthly sheet gets only the rules about the columns
it has (schema_docs.sheet_rules). Validation reads sheets by name and never reads this one.
"""

from __future__ import annotations

from finmodel.contract import Sheet, Workbook
from finmodel.schema_docs import GENERAL_RULES, KIND_WORDS, column_meaning, sheet_rules
from finmodel.system_config import SystemConfig
from finmodel.templates.drop_downs import drop_down

INSTRUCTIONS = "instructions"

# Where this system has no code of a role (or names none yet: init), a description, never a code.
NO_CODE = {"provider": "<provider code>", "icb": "<ICB code>", "partner": "<partner code>"}


def example_codes(system: SystemConfig, named: bool = True) -> dict[str, str]:
    """What each example role becomes in this system: its first provider, ICB and partner."""
    found = {
        "provider": next((o.code for o in (*system.providers, *system.organisations) if not o.is_icb), None),
        "icb": next((o.code for o in system.icbs), None),
        "partner": next((p.code for p in system.partners), None),
    }
    return {role: (code if named and code else NO_CODE[role]) for role, code in found.items()}


def _codes_line(system: SystemConfig, named: bool) -> str:
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
        meaning = column_meaning(sheet, column, examples)
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
        (False, (_codes_line(system, named),)),
        (False, ()),
        *((False, (rule,)) for rule in GENERAL_RULES),
    ]
    for sheet in workbook.sheets:
        rows += [(False, ()), (True, (f"sheet '{sheet.name}'",))]
        rows += [(False, (rule,)) for rule in sheet_rules(sheet, examples)]
        rows += [(False, ()), *_columns(sheet, system, named, examples)]
    return rows
