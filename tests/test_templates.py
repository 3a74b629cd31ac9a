"""`finmodel init` templates: the contract's sheets and drop-downs, and a filled template closes."""

import hashlib
from pathlib import Path

import openpyxl
import pytest

from finmodel.contract import WORKBOOKS
from finmodel.pipeline import close
from finmodel.system_config import parse_system
from finmodel.templates import TemplateExists, write_templates


@pytest.fixture
def templates(tmp_path) -> Path:
    write_templates(tmp_path, "2024/25")
    return tmp_path / "2024-25"


def test_every_contract_sheet_and_column_in_order(templates):
    for workbook in WORKBOOKS:
        book = openpyxl.load_workbook(templates / "M01" / workbook.filename)
        assert book.sheetnames == [s.name for s in workbook.sheets] + ["instructions"]
        for sheet in workbook.sheets:
            ws = book[sheet.name]
            assert [c.value for c in ws[1]] == [c.name for c in sheet.columns]
            assert ws.freeze_panes == "A2"


def test_drop_downs_on_every_coded_column(templates):
    for workbook in WORKBOOKS:
        book = openpyxl.load_workbook(templates / "M01" / workbook.filename)
        for sheet in workbook.sheets:
            ws = book[sheet.name]
            lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
            for index, column in enumerate(sheet.columns):
                cell = f"{openpyxl.utils.get_column_letter(index + 1)}2"
                if column.kind == "code":
                    assert lists[cell] == '"' + ",".join(column.codes) + '"', (workbook.name, column.name)
                elif column.kind == "org":
                    assert lists[cell] == '"ACUTE1,ICB"'
                else:
                    assert cell not in lists or column.kind == "likelihood"


def test_starter_system_parses_and_templates_are_stable(tmp_path, templates):
    config, findings = parse_system((templates / "system.yaml").read_text())
    assert findings == [] and config.codes == ("ACUTE1", "ICB")
    other = tmp_path / "again"
    write_templates(other, "2024/25")
    for workbook in WORKBOOKS:
        a = (templates / "M01" / workbook.filename).read_bytes()
        b = (other / "2024-25" / "M01" / workbook.filename).read_bytes()
        assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()


def test_refuses_to_overwrite(tmp_path, templates):
    before = (templates / "system.yaml").read_bytes()
    with pytest.raises(TemplateExists) as refused:
        write_templates(tmp_path, "2024/25")
    assert "system.yaml" in str(refused.value)
    assert (templates / "system.yaml").read_bytes() == before


def _fill(folder: Path, name: str, sheet: str, rows: list[dict]) -> None:
    path = folder / f"{name}.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for row in rows:
        ws.append([row.get(column) for column in header])
    book.save(path)


def test_filled_templates_close(templates):
    m01 = templates / "M01"
    months = range(1, 13)
    # ACUTE1: income 1,000 a month, pay 600 (of which agency 50), non-pay 300; M1 actuals shown.
    _fill(m01, "income", "income", [
        {"org": "ACUTE1", "month": m, "category": "clinical_icb", "plan": 1000, "actual": 1010 if m == 1 else None} for m in months
    ] + [{"org": "ICB", "month": m, "category": "allocation", "plan": 2000, "actual": 2000 if m == 1 else None} for m in months])
    _fill(m01, "pay", "pay", [
        {"org": "ACUTE1", "month": m, "staff_group": "Nursing", "pay_type": "substantive", "plan": 550, "actual": 560 if m == 1 else None} for m in months
    ] + [{"org": "ACUTE1", "month": m, "staff_group": "Nursing", "pay_type": "agency", "plan": 50, "actual": 80 if m == 1 else None} for m in months])
    _fill(m01, "agency", "agency", [
        {"org": "ACUTE1", "month": m, "staff_group": "Nursing", "framework": "on", "plan": 50, "actual": 80 if m == 1 else None} for m in months
    ])
    _fill(m01, "nonpay", "nonpay", [
        {"org": "ACUTE1", "month": m, "category": "Drugs", "kind": "operating", "plan": 300, "actual": 290 if m == 1 else None} for m in months
    ] + [{"org": "ICB", "month": m, "category": "acute", "kind": "operating", "plan": 1900, "actual": 1950 if m == 1 else None} for m in months])
    _fill(m01, "cip", "schemes", [{"org": "ACUTE1", "scheme_id": "S1", "scheme": "Rostering", "category": "pay", "recurrent": "yes", "rating": "fully_developed"}])
    _fill(m01, "cip", "delivery", [{"scheme_id": "S1", "month": m, "plan": 10, "actual": 8 if m == 1 else None} for m in months])
    _fill(m01, "phc", "budget", [{"service": "adult_chc", "month": m, "plan": 100, "actual": 120 if m == 1 else None} for m in months])
    outcome = close(m01)
    assert outcome.ok, [f.message for f in outcome.errors]
    # ACUTE1 M1: 1,010 - 560 - 80 - 290 = 80 against plan 1,000 - 600 - 300 = 100.
    acute = outcome.results.position("ACUTE1")
    assert acute.surplus.ytd_actual == 80_00 and acute.surplus.ytd_variance == -20_00
    # ICB M1: 2,000 - 1,950 - 120 (continuing care from phc.xlsx) = -70.
    assert outcome.results.position("ICB").surplus.ytd_actual == -70_00
