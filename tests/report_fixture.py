"""A small but complete close for the board pack tests: two providers (one with no agency
cap), an ICB, an organisation of type "other", a group, CIP schemes, PHC packages, capital
and a risk register; the M4 close and its M3 predecessor, with one plan re-phased between
them; and a scenario summary made by hand.

Input text that must never become a formula is planted on purpose: a scheme named
=HYPERLINK(...), an organisation named "@Home Hospice", risk descriptions starting with =,
@ and -. At the end, helpers to find a table's cells in a written workbook (openpyxl).
"""

from __future__ import annotations

from decimal import Decimal

from finmodel.ledger import build_ledger
from finmodel.money import EXCEL_FORMAT_MILLIONS, EXCEL_FORMAT_THOUSANDS
from finmodel.report import PackInputs, Sheet, Table
from finmodel.report.workbook import CHART_DATA, CHART_DATA_TABLES, chart_data_sheet
from finmodel.results import CloseResults, compute_results
from finmodel.scenarios.summary import ScenarioRow, ScenarioSummary
from tests.builders import d, make_inputs, system
from tests.builders import year_rows as _months

INJECTED_SCHEME = '=HYPERLINK("http://x","y")'
INJECTED_ORG = "@Home Hospice"
MADE_AT = {3: "2023-07-12T09:00:00Z", 4: "2023-08-10T09:30:00Z"}
REPHASED = 100_000  # pounds of ACUTE1's energy plan moved from M2 (closed at M3) to M9

REPORT_SYSTEM = f"""
year: 2023/24
system: Report ICS
organisations:
  - {{code: ACUTE1, name: Acute One, type: acute, prior_year_outturn: -2_500_000}}
  - {{code: CMH, name: Community and Mental Health, type: community_mh, agency_cap: none}}
  - {{code: ICB, name: The ICB, short_name: ICB, type: icb, prior_year_outturn: 1_000_000}}
  - {{code: HOSPICE, name: "{INJECTED_ORG}", type: other}}
targets: {{ACUTE1: -3_000_000, CMH: 0, ICB: 0, HOSPICE: 0}}
groups:
  Providers and hospice: [ACUTE1, CMH, HOSPICE]
capital: {{ifrs16_allocation: 3_000_000}}
parameters:
  agency_cap_pct: 3.7
  materiality: 500_000
  recurrent_efficiency_target_pct: 60
  phc:
    high_cost_weekly: 7_550
    bands: [9_500, 11_500]
    growth:
      adult_chc: {{new_per_month: 1, average_weekly: 2_000}}
    qipp: {{adult_chc: 50_000}}
    prior_year_outturn: {{adult_chc: 17_000_000, fnc: 3_500_000}}
"""

ACTUALS = {  # pounds by month, the first four months of the year
    "acute_clinical": [10_000_000, 10_200_000, 9_900_000, 10_100_000],
    "acute_erf": [400_000, 450_000, 500_000, 300_000],
    "acute_ia_funding": [0, 200_000, 0, 0],
    "acute_substantive": [6_700_000, 6_800_000, 6_600_000, 6_900_000],
    "acute_agency": [300_000, 350_000, 320_000, 400_000],
    "acute_strike": [0, 500_000, 0, 300_000],
    "acute_drugs": [3_300_000, 3_400_000, 3_200_000, 3_500_000],
    "acute_energy": [400_000, 300_000, 400_000, 400_000],
    "cmh_income": [5_000_000, 5_050_000, 4_950_000, 5_000_000],
    "cmh_substantive": [3_400_000, 3_450_000, 3_500_000, 3_420_000],
    "cmh_agency": [180_000, 200_000, 150_000, 170_000],
    "cmh_nonpay": [1_400_000, 1_400_000, 1_450_000, 1_400_000],
    "icb_acute": [15_000_000, 15_400_000, 15_200_000, 15_300_000],  # beside its contract with ACUTE1
    # The ICB's contract with ACUTE1 as the ICB books it: £300,000 less than ACUTE1's
    # clinical income in M2 (the agreement of balances' one mismatch).
    "icb_acute1": [10_000_000, 9_900_000, 9_900_000, 10_100_000],
    "icb_prescribing": [3_750_000, 3_800_000, 3_700_000, 3_900_000],
    "icb_chc": [1_600_000, 1_650_000, 1_620_000, 1_700_000],
    "hospice_income": [200_000, 200_000, 200_000, 210_000],
    "hospice_nonpay": [190_000, 205_000, 200_000, 200_000],
}


def _ledgers(month: int, rephased: bool) -> dict[str, list[dict]]:
    a = {k: v[:month] for k, v in ACTUALS.items()}
    energy = {2: 400_000 - REPHASED, 9: 400_000 + REPHASED} if rephased else None
    income = (
        _months("ACUTE1", 10_000_000, a["acute_clinical"], category="clinical_icb", counterparty="ICB")
        + _months("ACUTE1", 500_000, a["acute_erf"], category="erf", driver="erf")
        + _months("ACUTE1", 0, a["acute_ia_funding"], category="national_funding", driver="industrial_action_funding", recurrence="non_recurrent")
        + _months("CMH", 5_000_000, a["cmh_income"], category="clinical_icb", counterparty="ICB")
        + _months("ICB", 40_000_000, [40_000_000] * month, category="allocation", counterparty="NHS England")
        + _months("HOSPICE", 200_000, a["hospice_income"], category="other_operating", counterparty="ICB")  # the ICB tags none
    )
    pay = (
        _months("ACUTE1", 6_600_000, a["acute_substantive"], staff_group="Nursing", pay_type="substantive", driver="vacancies")
        + _months("ACUTE1", 200_000, a["acute_agency"], 350_000, staff_group="Medical", pay_type="agency", driver="agency_escalation")
        + _months("ACUTE1", 0, a["acute_strike"], staff_group="Medical", pay_type="bank", driver="industrial_action_cost", recurrence="non_recurrent")
        + _months("CMH", 3_450_000, a["cmh_substantive"], staff_group="Nursing", pay_type="substantive")
        + _months("CMH", 150_000, a["cmh_agency"], staff_group="Nursing", pay_type="agency", driver="agency_escalation")
    )
    nonpay = (
        _months("ACUTE1", 3_200_000, a["acute_drugs"], category="Drugs", kind="operating", driver="inflation")
        + _months("ACUTE1", 400_000, a["acute_energy"], plans=energy, category="Energy", kind="operating")
        + _months("ACUTE1", 600_000, [600_000] * month, category="Depreciation", kind="non_operating")
        + _months("ACUTE1", -250_000, [0] * month, category="CIP target", kind="operating", driver="efficiency")
        + _months("CMH", 1_400_000, a["cmh_nonpay"], category="Premises", kind="operating")
        + _months("ICB", 15_000_000, a["icb_acute"], category="acute")
        + _months("ICB", 10_000_000, a["icb_acute1"], category="acute", counterparty="ACUTE1", cost_centre="ICB contract")
        + _months("ICB", 5_000_000, [5_000_000] * month, category="mental_health", counterparty="CMH")
        + _months("ICB", 4_000_000, [4_050_000] * month, category="primary_care")
        + _months("ICB", 3_700_000, a["icb_prescribing"], category="prescribing")
        + _months("ICB", 400_000, [390_000] * month, category="running_costs")
        + _months("HOSPICE", 200_000, a["hospice_nonpay"], category="Supplies", kind="operating")
    )
    agency = [
        {**{k: v for k, v in r.items() if k not in ("pay_type", "driver")}, "framework": "on" if r["org"] == "ACUTE1" else "off"}
        for r in pay
        if r["pay_type"] == "agency"
    ]
    phc = _months("ICB", 1_600_000, a["icb_chc"], service="adult_chc") + _months("ICB", 300_000, [300_000] * month, service="fnc")
    return {"income": income, "pay": pay, "nonpay": nonpay, "agency": agency, "phc_budget": phc}


def _delivery(scheme_id: str, plan: float, actuals: list[float]) -> list[dict]:
    return [{"scheme_id": scheme_id, "month": m, "plan": plan, **({"actual": actuals[m - 1]} if m <= len(actuals) else {})} for m in range(1, 13)]


SCHEMES = [
    {"org": "ACUTE1", "scheme_id": "A1-01", "scheme": "Rostering", "category": "pay", "recurrent": True, "rating": "fully_developed"},
    {"org": "ACUTE1", "scheme_id": "A1-02", "scheme": INJECTED_SCHEME, "category": "non_pay", "recurrent": False, "rating": "opportunity"},
    {"org": "CMH", "scheme_id": "C-01", "scheme": "Estates", "category": "non_pay", "recurrent": True, "rating": "plans_in_progress"},
    {"org": "ICB", "scheme_id": "I-01", "scheme": "Pathway redesign", "category": "non_pay", "recurrent": True,
     "rating": "plans_in_progress", "impacts_org": "ACUTE1"},
    {"org": "ICB", "scheme_id": "I-02", "scheme": "Prescribing switches", "category": "non_pay", "recurrent": False, "rating": "fully_developed"},
]
DELIVERY = {
    "A1-01": (150_000, [150_000, 150_000, 150_000, 150_000]),
    "A1-02": (100_000, [50_000, 60_000, 40_000, 50_000]),
    "C-01": (50_000, [20_000, 20_000, 20_000, 20_000]),
    "I-01": (80_000, [80_000, 80_000, 80_000, 80_000]),
    "I-02": (100_000, [120_000, 120_000, 120_000, 120_000]),
}

PACKAGES = [
    {"package_id": "P1", "service": "adult_chc", "weekly_cost": 8_000, "start_date": "2023-01-01"},
    {"package_id": "P2", "service": "adult_chc", "weekly_cost": 10_000, "start_date": "2023-06-15"},
    {"package_id": "P3", "service": "adult_chc", "weekly_cost": 12_000, "start_date": "2023-07-10"},
    {"package_id": "P4", "service": "adult_chc", "weekly_cost": 1_200, "start_date": "2022-11-01"},
    {"package_id": "P5", "service": "adult_chc", "weekly_cost": 9_000, "start_date": "2022-10-01", "end_date": "2023-05-31"},
    {"package_id": "P6", "service": "fnc", "weekly_cost": 250, "start_date": "2023-02-01"},
]

CAPITAL = [
    {"org": "ACUTE1", "programme": "cdel", "plan": 12_000_000, "forecast": 11_500_000},
    {"org": "ACUTE1", "programme": "ifrs16", "plan": 2_000_000, "forecast": 2_400_000},
    {"org": "ACUTE1", "programme": "other", "plan": 1_000_000, "forecast": 1_000_000},
    {"org": "CMH", "programme": "cdel", "plan": 3_000_000, "forecast": 3_200_000},
    {"org": "CMH", "programme": "ifrs16", "plan": 500_000, "forecast": 500_000},
]

RISKS = [
    {"id": "R1", "org": "ACUTE1", "type": "risk", "category": "inflation", "value": 2_000_000, "likelihood_pct": 50, "description": "Drug price inflation"},
    {"id": "R2", "org": "ACUTE1", "type": "risk", "category": "cip_delivery", "value": 1_500_000, "likelihood_pct": 70, "description": "=SUM(A1:A2)"},
    {"id": "M1", "org": "ACUTE1", "type": "mitigation", "category": "other", "value": 1_000_000, "likelihood_pct": 80,
     "status": "in_progress", "description": "Vacancy control"},
    {"id": "R3", "org": "ICB", "type": "risk", "category": "phc", "value": 1_000_000, "likelihood_pct": 60, "description": "@risk CHC growth"},
    {"id": "M2", "org": "CMH", "type": "mitigation", "category": "other", "value": 300_000, "likelihood_pct": 100,
     "status": "delivered", "description": "-Estates disposal"},
]


def close_results(month: int, rephased: bool, copies: tuple[str, ...] = (), system_text: str = REPORT_SYSTEM) -> CloseResults:
    """``copies``: more acute providers whose ledgers are ACUTE1's (a wider system)."""
    delivery = [row for sid, (plan, actuals) in DELIVERY.items() for row in _delivery(sid, plan, actuals[:month])]
    packages = [{**p, "start_date": d(p["start_date"]), "end_date": d(p["end_date"]) if "end_date" in p else None} for p in PACKAGES]
    ledgers = {
        name: rows + [{**r, "org": code} for code in copies for r in rows if r["org"] == "ACUTE1"]
        for name, rows in _ledgers(month, rephased).items()
    }
    inputs = make_inputs(
        month, **ledgers, cip_schemes=SCHEMES, cip_delivery=delivery, phc_packages=packages,
        capital=CAPITAL, risks=RISKS, system_text=system_text,
    )
    return compute_results(inputs, build_ledger(inputs))


# A system of six providers with long names, as a board secretary meets them: the widest pack.
MORE_ACUTE = {
    "NORTH": "Northern Lakes and Moorland Teaching Hospitals NHS Foundation Trust",
    "SOUTH": "Southern Coast University Hospitals NHS Foundation Trust",
    "EAST": "East Riverside Hospitals NHS Trust",
    "WEST": "West Valley and Hills Hospitals NHS Foundation Trust",
}
SIX_PROVIDER_SYSTEM = REPORT_SYSTEM.replace(
    "  - {code: CMH,", "".join(f"  - {{code: {c}, name: {n}, type: acute}}\n" for c, n in MORE_ACUTE.items()) + "  - {code: CMH,"
).replace("targets: {ACUTE1: -3_000_000,", "targets: {ACUTE1: -3_000_000, " + ", ".join(f"{c}: -1_000_000" for c in MORE_ACUTE) + ",")


def six_provider_pack() -> PackInputs:
    copies = tuple(MORE_ACUTE)
    results = close_results(4, rephased=True, copies=copies, system_text=SIX_PROVIDER_SYSTEM)
    return PackInputs(
        results=results,
        system=system(SIX_PROVIDER_SYSTEM),
        previous=close_results(3, rephased=False, copies=copies, system_text=SIX_PROVIDER_SYSTEM),
        scenarios=scenario_summary(results),
        made_at=MADE_AT[4],
        model_version="0.1.0",
        input_files=(("income.xlsx", "a" * 64, 12_345),),
    )


def scenario_summary(results: CloseResults) -> ScenarioSummary:
    """Made by hand around each organisation's submitted FOT (pence), so every figure is known."""
    rows = []
    for p in results.positions:
        fot = p.surplus.fot
        rows.append(ScenarioRow(p.org, p.target, fot, fot + 50_000_000, fot - 30_000_000, fot - 120_000_000,
                                fot - 90_000_000, fot - 25_000_000, fot + 20_000_000, Decimal("0.25")))
    ics_fot = sum(p.surplus.fot for p in results.positions)
    ics_target = sum(p.target for p in results.positions)
    rows.append(ScenarioRow("ICS", ics_target, ics_fot, ics_fot + 200_000_000, ics_fot - 120_000_000, ics_fot - 480_000_000,
                            ics_fot - 360_000_000, ics_fot - 100_000_000, ics_fot + 80_000_000, Decimal("0.35")))
    return ScenarioSummary("Standard cases", f"{results.year} M{results.month}", 20240131, 1_000, tuple(rows))


def pack(previous: bool = True, scenarios: bool = True) -> PackInputs:
    results = close_results(4, rephased=True)
    return PackInputs(
        results=results,
        system=system(REPORT_SYSTEM),
        previous=close_results(3, rephased=False) if previous else None,
        scenarios=scenario_summary(results) if scenarios else None,
        made_at=MADE_AT[4],
        model_version="0.1.0",
        input_files=(("income.xlsx", "a" * 64, 12_345), ("=cmd.xlsx", "b" * 64, 99)),
    )


# ---- Reading a written board pack back (openpyxl) -----------------------------------------

SCALE = {"£m": Decimal(100_000_000), "£000": Decimal(100_000)}
FORMATS = {"£m": EXCEL_FORMAT_MILLIONS, "£000": EXCEL_FORMAT_THOUSANDS}


def find_title(ws, title: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == title:
                return cell.row, cell.column
    raise AssertionError(f"table {title!r} not on sheet {ws.title}")


def shown(table: Table) -> list:
    """The columns laid out as columns (a ``below`` column is printed under the table)."""
    return [c for c in table.columns if not c.below]


def laid_out(book, sheet_name: str, table: Table) -> tuple:
    """(worksheet, table) where a table is laid out: a chart's data on the hidden Chart data
    sheet, as ordered there (the scenario range worst to best); any other on its own sheet."""
    if table.key not in CHART_DATA_TABLES:
        return book[sheet_name], table
    return book[CHART_DATA], next(t for t in chart_data_sheet((Sheet("", "", (table,)),), "").tables)


def first_data_row(ws, table: Table) -> tuple[int, int]:
    """(first data row, label column) of a table, found from its title: one header row,
    plus one band row when any column has a band."""
    r, c = find_title(ws, table.title)
    return r + 1 + (2 if any(col.band for col in shown(table)) else 1), c


def cell_of(ws, table: Table, row: str, column: str):
    r, c = first_data_row(ws, table)
    return ws.cell(r + [x.code for x in table.rows].index(row), c + 1 + [x.code for x in shown(table)].index(column))


def money(cell, scale: str) -> Decimal:
    assert isinstance(cell.value, float | int), (cell.coordinate, cell.value)
    assert cell.number_format == FORMATS[scale], (cell.coordinate, cell.number_format)
    return Decimal(repr(cell.value))


def close_to(sheet_value: Decimal, pence: int, scale: str) -> bool:
    return abs(sheet_value - Decimal(pence) / SCALE[scale]) < Decimal("1e-9")
