"""The templates speak of the system they are written for: each drop-down offers exactly what
validation accepts in its column (by organisation type and sheet), the instructions name the
system's own codes and only the sheet's own columns, and init's workbooks name no placeholder.

Everything is read back from real workbooks with openpyxl, for systems with codes of their
own (the bundled example's ACUTE1, CMH, ICB appear in none of them): a system is started
with `finmodel init`, its system.yaml edited, and `finmodel templates --force` run, as an
analyst does; which codes validation accepts is found by filling the workbooks and validating.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from finmodel.cli import app
from finmodel.contract import ICB_SERVICE_LINES, INCOME_CATEGORIES, PROVIDER_INCOME_CATEGORIES, WORKBOOKS
from finmodel.pooled_config import Partner
from finmodel.system_config import Organisation, SystemConfig
from finmodel.system_template import system_yaml
from finmodel.templates import write_templates
from finmodel.validate import validate_close

MONTH_CODES = [f"M{m:02d}" for m in range(1, 13)]
# The codes of the bundled example ICS and of init's starter: none belongs to these systems.
FOREIGN = re.compile(r"\b(ACUTE1|ACUTE2|CMH|AMB|LA_NORTH|LA_SOUTH)\b|`ICB`|\| ICB \|")


def _system(name: str, *orgs: tuple[str, str]) -> SystemConfig:
    organisations = tuple(Organisation(code=code, name=f"{code} body", type=kind) for code, kind in orgs)
    return SystemConfig(year="2024/25", system=name, organisations=organisations, targets={c: 0 for c, _ in orgs})


# The reviewer's system: two trusts and their ICB, no ambulance trust.
OWN = _system("Wessex ICS", ("RXX", "acute"), ("RYY", "community_mh"), ("QZZ", "icb"))
PROVIDERS_ONLY = _system("Provider Collaborative", ("RXX", "acute"), ("RYY", "community_mh"))
# Commissioners before 2022: several ICB-type bodies, and a regional team that is neither.
TWO_ICBS = _system("Old CCGs", ("RXX", "acute"), ("QAA", "icb"), ("QBB", "icb"), ("Y99", "other"))


def run(*args: str):
    result = CliRunner().invoke(app, [*map(str, args)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


def own_month(tmp_path: Path, system: SystemConfig) -> Path:
    """M01 as an analyst gets it: init, system.yaml edited, the workbooks written again."""
    run("init", tmp_path, "--year", "2024/25")
    (tmp_path / "2024-25" / "system.yaml").write_text(system_yaml(system), encoding="utf-8")
    m01 = tmp_path / "2024-25" / "M01"
    run("templates", m01, "--force")
    return m01


def validations(path: Path, sheet: str) -> dict[str, object]:
    """The data validation of each column of a sheet, by column name."""
    ws = openpyxl.load_workbook(path)[sheet]
    header = {get_column_letter(i + 1): c.value for i, c in enumerate(ws[1])}
    return {header[str(dv.sqref).split(":")[0].rstrip("0123456789")]: dv for dv in ws.data_validations.dataValidation}


def offered(dv) -> list[str] | None:
    """The typed list a drop-down offers, or None where it has none (a prompt alone)."""
    if dv.type != "list":
        return None
    assert dv.formula1.startswith('"') and dv.formula1.endswith('"'), dv.formula1
    return dv.formula1[1:-1].split(",")


def instruction_text(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)["instructions"]
    return [" | ".join(str(c) for c in row if c) for row in ws.iter_rows(values_only=True)]


def _fill(folder: Path, name: str, sheet: str, rows: list[dict]) -> int:
    """Append rows under the header, as a finance team would; the first one's Excel row."""
    path = folder / f"{name}.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header, first = [c.value for c in ws[1]], ws.max_row + 1
    for row in rows:
        ws.append([row.get(column) for column in header])
    book.save(path)
    return first


def _line(plan: int, **fixed) -> list[dict]:
    return [{**fixed, "month": code, "plan": plan, "actual": plan if m == 1 else None} for m, code in enumerate(MONTH_CODES, start=1)]


def fill_valid(m01: Path, system: SystemConfig) -> None:
    """The rows every organisation must have, so that what a probe adds is all that is judged."""
    others = [o.code for o in system.organisations if not o.is_icb]
    icbs = [o.code for o in system.icbs]
    providers = [o.code for o in system.providers]
    _fill(m01, "income", "income", [r for o in others for r in _line(1000, org=o, category="clinical_icb")]
          + [r for o in icbs for r in _line(2000, org=o, category="allocation")])
    _fill(m01, "pay", "pay", [r for o in providers for r in _line(500, org=o, staff_group="Nursing", pay_type="substantive")])
    _fill(m01, "nonpay", "nonpay", [r for o in providers for r in _line(300, org=o, category="Drugs", kind="operating")]
          + [r for o in icbs for r in _line(1900, org=o, category="acute", kind="operating")])


def _month_row(**cells) -> dict:
    return {"month": "M01", "actual": 0, **cells}  # an unplanned one-off: only the month it happened


# (workbook, sheet, column) -> the row that puts `value` in that column; values are codes, or
# (org, value) where what the row accepts depends on its org.
Row = Callable[[object], dict]
PROBES: dict[tuple[str, str, str], Row] = {
    ("income", "income", "org"): lambda v: _month_row(org=v, category="other_operating", description=v),
    ("income", "income", "category"): lambda v: _month_row(org=v[0], category=v[1]),
    ("pay", "pay", "org"): lambda v: _month_row(org=v, staff_group="Admin", pay_type="bank"),
    ("nonpay", "nonpay", "org"): lambda v: _month_row(org=v, category="acute", kind="operating"),
    ("agency", "agency", "org"): lambda v: _month_row(org=v, staff_group="Admin", framework="on"),
    ("cip", "schemes", "org"): lambda v: {"org": v, "scheme_id": f"S{v}", "scheme": "s", "category": "pay", "recurrent": "yes", "rating": "opportunity"},
    ("cip", "schemes", "impacts_org"): lambda v: {
        "org": v[0], "scheme_id": f"S{v[0]}{v[1]}", "scheme": "s", "category": "pay", "recurrent": "no", "rating": "opportunity", "impacts_org": v[1],
    },
    ("phc", "budget", "org"): lambda v: _month_row(org=v, service="fnc"),
    ("phc", "packages", "org"): lambda v: {"package_id": f"P{v}", "org": v, "service": "fnc", "weekly_cost": 100, "start_date": dt.datetime(2024, 4, 1)},
    ("capital", "capital", "org"): lambda v: {"org": v, "programme": "cdel", "plan": 1, "forecast": 1},
    ("risks", "register", "org"): lambda v: {"id": f"R{v}", "org": v, "type": "risk", "category": "other", "value": 1, "likelihood": "low"},
    ("pooled", "funds", "host"): lambda v: {"fund": f"F{v}", "name": "a fund", "host": v, "agreement": "bcf"},
}
BY_ORG = {("income", "income", "category"): INCOME_CATEGORIES}  # the values tried on each org's row


def _tried(key: tuple[str, str, str], system: SystemConfig) -> list[object]:
    codes = list(system.codes)
    if key in BY_ORG:
        return [(org, value) for org in codes for value in BY_ORG[key]]
    if key[2] == "impacts_org":  # every organisation's scheme, pointing at every organisation
        return [(org, target) for org in codes for target in codes]
    return codes


def accepted(m01: Path, system: SystemConfig, key: tuple[str, str, str]) -> list[str]:
    """The values validation takes in the column, on at least one organisation's row."""
    tried = _tried(key, system)
    first = _fill(m01, key[0], key[1], [PROBES[key](v) for v in tried])
    _, findings = validate_close(m01, workers=1)
    refused = {f.row for f in findings if f.severity == "error" and (f.workbook, f.sheet, f.column) == (f"{key[0]}.xlsx", key[1], key[2])}
    found = [v[1] if isinstance(v, tuple) else v for row, v in enumerate(tried, start=first) if row not in refused]
    return list(dict.fromkeys(found))


CASES = [(OWN, key) for key in PROBES] + [
    (PROVIDERS_ONLY, ("income", "income", "category")),
    (PROVIDERS_ONLY, ("phc", "budget", "org")),
    (PROVIDERS_ONLY, ("cip", "schemes", "impacts_org")),
    (TWO_ICBS, ("income", "income", "category")),
    (TWO_ICBS, ("phc", "budget", "org")),
    (TWO_ICBS, ("phc", "packages", "org")),
    (TWO_ICBS, ("cip", "schemes", "impacts_org")),
]


@pytest.mark.parametrize("system, key", CASES, ids=[f"{s.system}-{'.'.join(k)}" for s, k in CASES])
def test_each_drop_down_offers_exactly_what_validation_accepts(tmp_path, system, key):
    m01 = own_month(tmp_path, system)
    dv = validations(m01 / f"{key[0]}.xlsx", key[1])[key[2]]
    fill_valid(m01, system)
    taken = accepted(m01, system, key)
    if taken:
        assert offered(dv) == taken and dv.errorStyle in (None, "stop")
    else:  # nothing of this system is accepted: no list, a prompt saying why
        assert offered(dv) is None and dv.prompt


def test_the_reviewers_system_gets_the_icb_in_phc_and_the_providers_in_impacts_org(tmp_path):
    m01 = own_month(tmp_path, OWN)
    for sheet in ("budget", "packages"):
        org = validations(m01 / "phc.xlsx", sheet)["org"]
        assert offered(org) == ["QZZ"] and org.errorStyle in (None, "stop"), sheet
        assert "blank is QZZ" in org.prompt  # the column is optional where there is one ICB
    schemes = validations(m01 / "cip.xlsx", "schemes")
    assert offered(schemes["org"]) == ["RXX", "RYY", "QZZ"]
    assert offered(schemes["impacts_org"]) == ["RXX", "RYY"]
    assert "QZZ" in schemes["impacts_org"].prompt  # only on the ICB's schemes
    # agency.xlsx takes the ICB too: validation accepts it, and an ICB's agency pay must reconcile.
    assert offered(validations(m01 / "agency.xlsx", "agency")["org"]) == ["RXX", "RYY", "QZZ"]


def test_a_category_that_depends_on_the_org_says_whose_is_whose(tmp_path):
    m01 = own_month(tmp_path, OWN)
    income = validations(m01 / "income.xlsx", "income")["category"]
    assert offered(income) == [*PROVIDER_INCOME_CATEGORIES, "allocation"]
    assert "QZZ" in income.prompt and "allocation only" in income.prompt
    # Providers write free text in nonpay's category: the ICB's service lines are a prompt, not a list.
    nonpay = validations(m01 / "nonpay.xlsx", "nonpay")["category"]
    assert offered(nonpay) is None and "QZZ" in nonpay.prompt
    assert all(line in nonpay.prompt for line in ICB_SERVICE_LINES)
    # Both prompts are shown on selecting a cell; the drop-down column of the instructions says the same.
    assert income.showInputMessage and nonpay.showInputMessage
    table = [t for t in instruction_text(m01 / "nonpay.xlsx") if t.startswith("category | required")]
    assert len(table) == 1 and table[0].endswith(nonpay.prompt)


def test_a_provider_only_system_is_offered_no_allocation_and_no_phc_commissioner(tmp_path):
    m01 = own_month(tmp_path, PROVIDERS_ONLY)
    assert offered(validations(m01 / "income.xlsx", "income")["category"]) == list(PROVIDER_INCOME_CATEGORIES)
    phc = validations(m01 / "phc.xlsx", "budget")["org"]
    assert offered(phc) is None and "No ICB in system.yaml" in phc.prompt
    assert offered(validations(m01 / "cip.xlsx", "schemes")["impacts_org"]) is None
    assert "category" not in validations(m01 / "nonpay.xlsx", "nonpay")  # every category is free text


def _section(texts: list[str], sheet: str) -> list[str]:
    """The rules of one sheet on the instructions sheet: from its title to its column table."""
    start = texts.index(f"sheet '{sheet}'")
    return texts[start + 1 : texts.index("column | need | what it holds | meaning | drop-down", start)]


def test_the_instructions_name_the_systems_own_codes(tmp_path):
    m01 = own_month(tmp_path, OWN)
    for workbook in WORKBOOKS:
        texts = instruction_text(m01 / workbook.filename)
        assert [t for t in texts if FOREIGN.search(t)] == [], workbook.filename
        assert any("Wessex ICS" in t and "RXX (acute), RYY (community_mh), QZZ (icb)" in t for t in texts)
    income = " ".join(instruction_text(m01 / "income.xlsx"))
    assert "a row org RXX, month M07" in income  # the recurrence example
    assert "e.g. `QZZ` on a trust's ICB contract income and `RXX` on the ICB's acute contract" in income  # counterparty
    pooled = " ".join(instruction_text(m01 / "pooled.xlsx"))
    assert "`BCF | QZZ | 24000000` and `BCF | <partner code> | 9000000`" in pooled  # no partner in system.yaml yet


def test_a_pooled_example_names_the_systems_own_partner(tmp_path):
    system = OWN.model_copy(update={"partners": (Partner(code="WCC", name="Wessex County Council", type="local_authority"),)})
    write_templates(tmp_path, "2024/25", system)
    pooled = instruction_text(tmp_path / "2024-25" / "M01" / "pooled.xlsx")
    assert any("`BCF | Better Care Fund | WCC | bcf`" in t for t in pooled)
    assert any("`BCF | QZZ | 24000000` and `BCF | WCC | 9000000`" in t for t in pooled)
    assert [t for t in pooled if FOREIGN.search(t)] == []


RECURRENCE_RULE = "recurrence (income, pay, nonpay; optional)"


def test_a_rule_about_a_column_is_only_on_a_sheet_that_has_it(tmp_path):
    m01 = own_month(tmp_path, OWN)
    for workbook in WORKBOOKS:
        texts = instruction_text(m01 / workbook.filename)
        for sheet in workbook.sheets:
            rules = _section(texts, sheet.name)
            has = "recurrence" in {c.name for c in sheet.columns}
            assert any(r.startswith(RECURRENCE_RULE) for r in rules) == has, (workbook.name, sheet.name)
    delivery = _section(instruction_text(m01 / "cip.xlsx"), "delivery")
    line = next(r for r in delivery if r.startswith("A line is"))
    assert line.startswith("A line is the row's scheme_id; any extra column is detail.")
    phc = next(r for r in _section(instruction_text(m01 / "phc.xlsx"), "budget") if r.startswith("A line is"))
    assert phc.startswith("A line is the row's org and service; driver and any extra column are detail.")
    assert "subjective" not in " ".join(delivery + [phc])


def _every_text(path: Path) -> list[str]:
    """Every cell and every drop-down list and prompt of a workbook, hidden sheets too."""
    book = openpyxl.load_workbook(path)
    found = []
    for ws in book.worksheets:
        found += [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
        for dv in ws.data_validations.dataValidation:
            found += [dv.formula1 or "", dv.prompt or "", dv.error or ""]
    return found


def test_init_writes_workbooks_that_name_no_placeholder(tmp_path):
    result = run("init", tmp_path, "--year", "2024/25")
    m01 = tmp_path / "2024-25" / "M01"
    assert f"finmodel templates {m01} --force" in result.output
    starter_codes = re.compile(r"\b(ACUTE1|CMH)\b|`ICB`|\| ICB \||(?<=[\",])ICB(?=[\",])")
    for workbook in WORKBOOKS:
        path = m01 / workbook.filename
        assert [t for t in _every_text(path) if starter_codes.search(t) or FOREIGN.search(t)] == [], workbook.filename
        book = openpyxl.load_workbook(path)
        for sheet in workbook.sheets:
            assert book[sheet.name].max_row == 1  # no rows
            found = validations(path, sheet.name)
            for column in sheet.columns:
                if column.kind in ("org", "party"):  # no list: the prompt says how to get one
                    assert offered(found[column.name]) is None and "finmodel templates" in found[column.name].prompt
    # Once system.yaml names the analyst's organisations, the workbooks name them and no other.
    (tmp_path / "2024-25" / "system.yaml").write_text(system_yaml(OWN), encoding="utf-8")
    run("templates", m01, "--force")
    for workbook in WORKBOOKS:
        texts = _every_text(m01 / workbook.filename)
        assert [t for t in texts if starter_codes.search(t) or FOREIGN.search(t)] == [], workbook.filename
    assert offered(validations(m01 / "income.xlsx", "income")["org"]) == ["RXX", "RYY", "QZZ"]
