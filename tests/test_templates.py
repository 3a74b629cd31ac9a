"""`finmodel init` templates: the contract's sheets and drop-downs, a commented system.yaml
that reads back as written, and filled templates that validate and close."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from finmodel.contract import WORKBOOKS
from finmodel.pipeline import close
from finmodel.schema_docs import GENERAL_RULES
from finmodel.system_config import (
    Capital,
    Organisation,
    Parameters,
    PhcGrowth,
    PhcParameters,
    PriceUplift,
    SystemConfig,
    TargetRevision,
    parse_system,
)
from finmodel.system_template import starter_system, system_yaml
from finmodel.templates import TemplateExists, write_templates
from tests.builders import tiny_template_system

MONTH_CODES = [f"M{m:02d}" for m in range(1, 13)]  # written out here, not taken from the code under test
DOCS = Path(__file__).parent.parent / "docs"


def tiny_system() -> SystemConfig:
    return tiny_template_system()


@pytest.fixture
def templates(tmp_path) -> Path:
    write_templates(tmp_path, "2024/25")
    return tmp_path / "2024-25"


def _list(formula: str) -> list[str]:
    assert formula.startswith('"') and formula.endswith('"'), formula
    return formula[1:-1].split(",")


def _drop_downs(ws) -> dict[str, object]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_every_contract_sheet_and_column_in_order(templates):
    for workbook in WORKBOOKS:
        book = openpyxl.load_workbook(templates / "M01" / workbook.filename)
        assert book.sheetnames == [s.name for s in workbook.sheets] + ["instructions"]
        for sheet in workbook.sheets:
            ws = book[sheet.name]
            assert [c.value for c in ws[1]] == [c.name for c in sheet.columns]
            assert all(c.font.bold for c in ws[1])
            assert ws.freeze_panes == "A2"
            assert ws.max_row == 1  # header only: an unfilled template means "nothing of this kind"
            for index in range(1, len(sheet.columns) + 1):
                assert ws.column_dimensions[get_column_letter(index)].width >= 12


def test_drop_downs_on_every_coded_column(templates):
    config, _ = parse_system((templates / "system.yaml").read_text(encoding="utf-8"))
    for workbook in WORKBOOKS:
        book = openpyxl.load_workbook(templates / "M01" / workbook.filename)
        for sheet in workbook.sheets:
            found = _drop_downs(book[sheet.name])
            expected = {}
            for index, column in enumerate(sheet.columns):
                letter = get_column_letter(index + 1)
                if column.kind in ("org", "party") or (sheet.name, column.name) == ("nonpay", "category"):
                    # init's organisations are placeholders: no list of them, only a prompt (say
                    # how to get one); nonpay's category is providers' free text, the ICB's lines a prompt.
                    dv = found[f"{letter}2:{letter}10001"]
                    assert dv.type is None and dv.prompt, (workbook.name, column.name)
                    expected[f"{letter}2:{letter}10001"] = None
                    continue
                choices = {
                    "code": list(column.codes),
                    "month": MONTH_CODES,
                    "likelihood": ["low", "medium", "high", "almost_certain"],
                }.get(column.kind)
                if choices:
                    expected[f"{letter}2:{letter}10001"] = choices
                    dv = found[f"{letter}2:{letter}10001"]
                    assert dv.type == "list" and _list(dv.formula1) == choices, (workbook.name, column.name)
                    # A code or org outside the list is refused; a month as 7 or a likelihood as 60 may go in.
                    strict = column.kind in ("code", "org", "party")
                    assert (dv.errorStyle in (None, "stop")) == strict, (workbook.name, column.name)
            assert set(found) == set(expected), (workbook.name, sheet.name)
    assert list(config.parameters.likelihood_pct) == ["low", "medium", "high", "almost_certain"]


def test_recurrent_is_a_yes_no_drop_down(templates):
    ws = openpyxl.load_workbook(templates / "M01" / "cip.xlsx")["schemes"]
    assert [c.value for c in ws[1]].index("recurrent") == 4
    assert _list(_drop_downs(ws)["E2:E10001"].formula1) == ["yes", "no"]


def test_a_list_too_long_for_excel_goes_on_a_hidden_sheet(tmp_path):
    # 15 codes of 18 characters: 284 characters joined, over Excel's 255 for a typed list.
    codes = [f"PROVIDER_NUMBER_{i:02d}" for i in range(15)]
    system = SystemConfig(
        year="2024/25",
        system="Large ICS",
        organisations=(*(Organisation(code=c, name=c.title(), type="acute") for c in codes), Organisation(code="ICB", name="The ICB", type="icb")),
        targets={c: 0 for c in (*codes, "ICB")},
    )
    write_templates(tmp_path, "2024/25", system)
    book = openpyxl.load_workbook(tmp_path / "2024-25" / "M01" / "cip.xlsx")
    assert book.sheetnames == ["schemes", "delivery", "instructions", "lists"]
    assert book["lists"].sheet_state == "hidden"
    found = _drop_downs(book["schemes"])
    assert found["A2:A10001"].formula1 == "lists!$A$1:$A$16"
    assert found["G2:G10001"].formula1 == "lists!$B$1:$B$15"  # impacts_org: the providers alone
    assert [book["lists"].cell(row, 1).value for row in range(1, 17)] == [*codes, "ICB"]
    assert [book["lists"].cell(row, 2).value for row in range(1, 16)] == codes


def test_instructions_explain_every_column_and_the_rules(templates):
    for workbook in WORKBOOKS:
        ws = openpyxl.load_workbook(templates / "M01" / workbook.filename)["instructions"]
        first_cells = [row[0] for row in ws.iter_rows(values_only=True)]
        for rule in GENERAL_RULES:
            assert rule in first_cells
        assert any("never reads this sheet" in (text or "") for text in first_cells)
        for sheet in workbook.sheets:
            start = first_cells.index(f"sheet '{sheet.name}'")
            header = first_cells.index("column", start)
            listed = first_cells[header + 1 : header + 1 + len(sheet.columns)]
            assert listed == [c.name for c in sheet.columns]
    monthly = openpyxl.load_workbook(templates / "M01" / "pay.xlsx")["instructions"]
    texts = [row[0] or "" for row in monthly.iter_rows(values_only=True)]
    assert any(t.startswith("actual: every month 1..M") for t in texts)
    assert any(t.startswith("forecast: only after M") for t in texts)


def test_starter_system_parses_and_documents_every_key(templates):
    text = (templates / "system.yaml").read_text(encoding="utf-8")
    config, findings = parse_system(text)
    assert findings == []
    assert config.codes == ("ACUTE1", "CMH", "ICB") and config.year == "2024/25"
    assert config.targets == {"ACUTE1": 0, "CMH": 0, "ICB": 0}
    assert config.parameters == Parameters()  # every parameter at its default
    models = (SystemConfig, Organisation, TargetRevision, Capital, Parameters, PhcParameters, PriceUplift, PhcGrowth)
    for model in models:
        for key in model.model_fields:
            commented = [line for line in text.splitlines() if re.search(rf"\b{key}:", line) and "#" in line]
            assert commented, f"{model.__name__}.{key} has no comment in the starter"


def test_any_system_reads_back_as_written():
    # Models take pounds, as the file does (pence come out): "6_734_400.25" is £6,734,400.25.
    awkward = SystemConfig(
        year="2023-24",
        system="Dorset: ICS #1",
        organisations=(
            Organisation(code="NO", name="St Mary's: the No Trust", type="acute", agency_cap="6_734_400.25", prior_year_outturn=-4_200_000),
            Organisation(code="ON", name="On Trust", type="specialist", agency_cap="none"),
            Organisation(code="R2", name="2gether NHS Foundation Trust", type="community_mh"),
            Organisation(code="ICB", name="NHS Dorset ICB", type="icb", prior_year_outturn="0.01"),
        ),
        targets={"NO": "-1_234.56", "ON": 0, "R2": "0.05", "ICB": 1_000_000},
        target_revisions=(TargetRevision(from_month=8, reason="H2: re-set", targets={"NO": -600_000}),),
        groups={"Place: Bournemouth": ("NO", "R2"), "yes": ("ON",)},
        capital=Capital(ifrs16_allocation=7_500_000),
        parameters=Parameters(
            agency_cap_pct=Decimal("2.5"),
            materiality=250_000,
            forecast_method={"default": "plan", "prescribing": "run_rate"},
            likelihood_pct={"yes": Decimal(90), "remote, unlikely": Decimal("12.5")},
            phc=PhcParameters(
                price_uplift=PriceUplift(pct=Decimal("3.25"), from_month=4),
                growth={"adult_chc": PhcGrowth(new_per_month=Decimal("1.5"), average_weekly="2_000.50")},
                qipp={"fnc": 400_000},
                prior_year_outturn={"adult_chc": 31_000_000},
            ),
        ),
    )
    assert awkward.organisation("NO").agency_cap == 673_440_025 and awkward.targets["R2"] == 5
    text = system_yaml(awkward)
    assert "agency_cap: 6_734_400.25" in text and "targets: {NO: -600_000}" not in text  # NO is quoted: YAML reads NO as false
    for system in (awkward, starter_system("2025/26")):
        config, findings = parse_system(system_yaml(system))
        assert findings == [] and config == system


def test_the_given_system_is_written_and_its_codes_drive_the_drop_downs(tmp_path):
    system = tiny_system()
    write_templates(tmp_path, "2024/25", system)
    assert (tmp_path / "2024-25" / "system.yaml").read_text(encoding="utf-8") == system_yaml(system)
    ws = openpyxl.load_workbook(tmp_path / "2024-25" / "M01" / "income.xlsx")["income"]
    assert _list(_drop_downs(ws)["A2:A10001"].formula1) == ["ACUTE1", "ICB"]
    with pytest.raises(ValueError, match="2024/25, not 2023/24"):
        write_templates(tmp_path / "other", "2023/24", system)
    assert not (tmp_path / "other").exists()


def test_a_pooled_funds_host_and_partners_are_chosen_from_the_organisations_and_councils(tmp_path):
    from finmodel.pooled_config import Partner

    councils = (Partner(code="LA_NORTH", name="North Council", type="local_authority"), Partner(code="LA_SOUTH", name="South Council", type="local_authority"))
    system = tiny_system().model_copy(update={"partners": councils})
    write_templates(tmp_path, "2024/25", system)
    book = openpyxl.load_workbook(tmp_path / "2024-25" / "M01" / "pooled.xlsx")
    for sheet, column in (("funds", "C"), ("contributions", "B")):  # host; partner
        dv = _drop_downs(book[sheet])[f"{column}2:{column}10001"]
        assert _list(dv.formula1) == ["ACUTE1", "ICB", "LA_NORTH", "LA_SOUTH"] and dv.errorStyle in (None, "stop"), sheet
    assert [c.value for c in book["funds"][1]][2] == "host" and [c.value for c in book["contributions"][1]][1] == "partner"


def test_refuses_to_overwrite_and_writes_nothing(tmp_path, templates):
    before = {p: p.read_bytes() for p in templates.rglob("*") if p.is_file()}
    assert len(before) == 1 + len(WORKBOOKS)
    with pytest.raises(TemplateExists) as refused:
        write_templates(tmp_path, "2024/25", tiny_system())
    assert set(refused.value.paths) == set(before)
    assert "system.yaml" in str(refused.value) and "risks.xlsx" in str(refused.value)
    assert {p: p.read_bytes() for p in templates.rglob("*") if p.is_file()} == before

    # One file left from an earlier init is enough to refuse, and nothing else is written.
    lone = tmp_path / "again" / "2024-25" / "M01" / "pay.xlsx"
    lone.parent.mkdir(parents=True)
    lone.write_bytes(b"mine")
    with pytest.raises(TemplateExists) as refused:
        write_templates(tmp_path / "again", "2024/25")
    assert refused.value.paths == (lone,)
    assert [p.name for p in (tmp_path / "again").rglob("*") if p.is_file()] == ["pay.xlsx"]


def test_two_writes_give_the_same_bytes(tmp_path, templates):
    write_templates(tmp_path / "again", "2024/25")
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        again = tmp_path / "again" / path.relative_to(tmp_path)
        assert path.read_bytes() == again.read_bytes(), path.name


def _fill(folder: Path, name: str, sheet: str, rows: list[dict]) -> None:
    """Append rows under the template's header, as a finance team would, and save in place."""
    path = folder / f"{name}.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for row in rows:
        ws.append([row.get(column) for column in header])
    book.save(path)


def _monthly(close_month: int, plan: int, actual: int, **fixed) -> list[dict]:
    """A line for all 12 months, months typed as the drop-down writes them (M01 .. M12)."""
    return [
        {**fixed, "month": code, "plan": plan, "actual": actual if m <= close_month else None}
        for m, code in enumerate(MONTH_CODES, start=1)
    ]


@pytest.fixture
def filled(tmp_path) -> Path:
    """A tiny system at close M01: ACUTE1 and the ICB, every workbook of the contract filled."""
    write_templates(tmp_path, "2024/25", tiny_system())
    m01 = tmp_path / "2024-25" / "M01"
    _fill(m01, "income", "income",
          _monthly(1, 1000, 1010, org="ACUTE1", category="clinical_icb") + _monthly(1, 2000, 2000, org="ICB", category="allocation"))
    _fill(m01, "pay", "pay",
          _monthly(1, 550, 560, org="ACUTE1", staff_group="Nursing", pay_type="substantive")
          + _monthly(1, 50, 80, org="ACUTE1", staff_group="Nursing", pay_type="agency"))
    _fill(m01, "agency", "agency", _monthly(1, 50, 80, org="ACUTE1", staff_group="Nursing", framework="on"))
    _fill(m01, "nonpay", "nonpay",
          _monthly(1, 300, 290, org="ACUTE1", category="Drugs", kind="operating")
          + _monthly(1, 1900, 1950, org="ICB", category="acute", kind="operating"))
    _fill(m01, "cip", "schemes", [{"org": "ACUTE1", "scheme_id": "S1", "scheme": "Rostering", "category": "pay", "recurrent": "yes", "rating": "fully_developed"}])
    _fill(m01, "cip", "delivery", _monthly(1, 10, 8, scheme_id="S1"))
    _fill(m01, "phc", "budget", _monthly(1, 100, 120, service="adult_chc"))
    _fill(m01, "phc", "packages", [{"package_id": "P1", "service": "adult_chc", "weekly_cost": 700, "start_date": dt.datetime(2024, 4, 1)}])
    _fill(m01, "capital", "capital", [{"org": "ACUTE1", "programme": "cdel", "plan": 1200, "forecast": 1200, "actual_ytd": 100}])
    _fill(m01, "risks", "register", [{"id": "R1", "org": "ACUTE1", "type": "risk", "category": "inflation", "value": 40, "likelihood": "high"}])
    return m01


def test_filled_templates_validate(filled):
    from finmodel.validate import validate_close

    inputs, findings = validate_close(filled)
    assert findings == []  # not even a warning: the templates take clean input as it is
    assert inputs is not None and inputs.period.month == 1
    income = inputs.income.set_index(["org", "month"])
    assert income.loc[("ACUTE1", 1), "actual"] == 1010_00 and income.loc[("ACUTE1", 2), "actual"] == 0
    assert inputs.income.groupby("org")["plan"].sum().to_dict() == {"ACUTE1": 12_000_00, "ICB": 24_000_00}
    assert sorted(inputs.pay["month"].unique().tolist()) == list(range(1, 13))
    assert inputs.cip_schemes["recurrent"].tolist() == [True]
    assert inputs.phc_budget["org"].unique().tolist() == ["ICB"]
    assert inputs.risks["likelihood_pct"].tolist() == [Decimal(75)]
    assert inputs.capital["actual_ytd"].tolist() == [100_00]


def test_filled_templates_close(filled):
    outcome = close(filled)
    assert outcome.ok, [f.message for f in outcome.errors]
    # ACUTE1 M1: 1,010 - 560 - 80 - 290 = 80 against plan 1,000 - 600 - 300 = 100.
    acute = outcome.results.position("ACUTE1")
    assert acute.surplus.ytd_actual == 80_00 and acute.surplus.ytd_variance == -20_00
    # ICB M1: 2,000 - 1,950 - 120 (continuing care from phc.xlsx) = -70.
    assert outcome.results.position("ICB").surplus.ytd_actual == -70_00


def _yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.S)


def test_the_guides_complete_example_parses_and_its_h2_revision_applies_from_month_7():
    blocks = _yaml_blocks((DOCS / "system-yaml.md").read_text(encoding="utf-8"))
    complete = [b for b in blocks if b.startswith("year:")]
    assert len(complete) == 1
    config, findings = parse_system(complete[0])
    assert findings == []
    assert [config.target("ACUTE1", m) for m in (6, 7, 12)] == [0, -600_000_00, -600_000_00]
    assert config.target("CMH", 12) == 0  # not named by the revision: keeps its target
    assert config.organisation("ACUTE1").agency_cap == 6_734_400_00
