"""The example ICS: every workbook of the contract, consistent closes, and its story."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finmodel.contract import (
    DRIVERS,
    ICB_SERVICE_LINES,
    PHC_SERVICES,
    PROVIDER_INCOME_CATEGORIES,
    WORKBOOKS,
)
from finmodel.example import build_example, write_example
from finmodel.example.shape import REPHASE_ORG, REPHASE_PENCE
from finmodel.system_config import parse_system

CLOSES = {"M09": 9, "M10": 10}
LEDGERS = (("income", "income"), ("pay", "pay"), ("nonpay", "nonpay"), ("agency", "agency"), ("cip", "delivery"), ("phc", "budget"))
MONEY = ("plan", "actual", "forecast", "weekly_cost", "actual_ytd", "value")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    write_example(first)
    write_example(second)
    return first, second


@pytest.fixture(scope="module")
def year(runs: tuple[Path, Path]) -> Path:
    return runs[0] / "2023-24"


@pytest.fixture(scope="module")
def sheets(year: Path) -> dict[tuple[str, str, str], pd.DataFrame]:
    """(close, workbook, sheet) -> the sheet as pandas reads it with calamine."""
    found = {}
    for close in CLOSES:
        for workbook in WORKBOOKS:
            book = pd.read_excel(year / close / workbook.filename, sheet_name=None, engine="calamine")
            for name, frame in book.items():
                found[(close, workbook.name, name)] = frame
    return found


def pence(values: pd.Series) -> np.ndarray:
    return np.rint(values.fillna(0).to_numpy(dtype=float) * 100).astype(np.int64)


def test_the_same_call_writes_the_same_bytes(runs: tuple[Path, Path]) -> None:
    def digests(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = digests(runs[0]), digests(runs[1])
    assert len(first) == 1 + 2 * len(WORKBOOKS)
    assert first == second


def test_write_example_returns_the_close_folders(tmp_path: Path, year: Path) -> None:
    assert sorted(p.name for p in year.iterdir()) == ["M09", "M10", "system.yaml"]
    with pytest.raises(ValueError):
        write_example(tmp_path, scale=0)


def test_every_workbook_sheet_and_column_of_the_contract(sheets: dict, year: Path) -> None:
    for close in CLOSES:
        for workbook in WORKBOOKS:
            assert (year / close / workbook.filename).is_file()
            for sheet in workbook.sheets:
                frame = sheets[(close, workbook.name, sheet.name)]
                allowed = {c.name for c in sheet.columns}
                assert set(sheet.required) <= set(frame.columns), (workbook.name, sheet.name)
                assert set(frame.columns) <= allowed, (workbook.name, sheet.name, set(frame.columns) - allowed)
                assert len(frame) > 0


def test_system_yaml_is_valid_and_documented(year: Path, sheets: dict) -> None:
    text = (year / "system.yaml").read_text(encoding="utf-8")
    system, findings = parse_system(text)
    assert findings == [] and system is not None
    assert system.codes == ("ACUTE1", "ACUTE2", "CMH", "AMB", "ICB")
    assert [o.code for o in system.organisations if o.agency_cap is not None] == ["ACUTE1"]
    assert system.target_revisions and system.target_revisions[0].from_month in (7, 8)
    assert set(system.parameters.phc.growth) == set(PHC_SERVICES)
    assert set(system.parameters.phc.prior_year_outturn) == set(PHC_SERVICES)
    assert system.groups["Acute providers"] == ("ACUTE1", "ACUTE2")
    capital = sheets[("M10", "capital", "capital")]
    assert system.capital.ifrs16_allocation == pence(capital[capital.programme == "ifrs16"].plan).sum()
    # Every key line carries a comment, bar list items and names under a commented parent.
    keys = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "-"))]
    assert sum("#" in line for line in keys) >= 25


def test_codes_and_organisations_are_the_contracts(sheets: dict) -> None:
    codes = {"ACUTE1", "ACUTE2", "CMH", "AMB", "ICB"}
    for (close, workbook_name, sheet_name), frame in sheets.items():
        sheet = next(w for w in WORKBOOKS if w.name == workbook_name).sheet(sheet_name)
        for column in sheet.columns:
            if column.name not in frame:
                continue
            values = set(frame[column.name].dropna())
            if column.kind == "code":
                assert values <= set(column.codes), (workbook_name, column.name, values - set(column.codes))
            if column.kind == "org":
                assert values <= codes
    income = sheets[("M10", "income", "income")]
    assert set(income[income.org != "ICB"].category) == set(PROVIDER_INCOME_CATEGORIES)
    assert set(income[income.org == "ICB"].category) == {"allocation"}
    nonpay = sheets[("M10", "nonpay", "nonpay")]
    assert set(nonpay[nonpay.org == "ICB"].category) == set(ICB_SERVICE_LINES)
    assert set(nonpay[nonpay.category.isin(["Depreciation", "Interest", "PDC dividend"])].kind) == {"non_operating"}


def test_every_driver_tags_some_rows(sheets: dict) -> None:
    tagged = set()
    for workbook, sheet in LEDGERS:
        frame = sheets[("M10", workbook, sheet)]
        if "driver" in frame:
            tagged |= set(frame.driver.dropna())
    assert tagged == set(DRIVERS)


def test_actuals_run_to_the_close_and_forecasts_after_it(sheets: dict) -> None:
    for close, month in CLOSES.items():
        for workbook, sheet in LEDGERS:
            frame = sheets[(close, workbook, sheet)]
            months = frame.month.str[1:].astype(int) if frame.month.dtype != np.int64 else frame.month
            closed = months <= month
            assert frame.plan.notna().all()
            assert frame.actual[closed].notna().all() and frame.actual[~closed].isna().all(), (close, workbook)
            assert frame.forecast[closed].isna().all(), (close, workbook)
            assert frame.forecast[~closed].notna().any()
        for workbook in ("income", "pay", "nonpay"):
            frame = sheets[(close, workbook, workbook)]
            assert frame.forecast[frame.month > month].isna().any(), "some lines forecast at plan"
            assert (frame.actual[frame.month <= month] == 0).any(), "zero actuals are written as 0"


def test_cip_delivery_months_are_written_as_text_codes(sheets: dict) -> None:
    delivery = sheets[("M10", "cip", "delivery")]
    assert set(delivery.month) == {f"M{m:02d}" for m in range(1, 13)}
    assert (delivery.groupby("scheme_id").size() == 12).all()


def test_m09_and_m10_agree_on_every_month_they_share(sheets: dict) -> None:
    for workbook, sheet in LEDGERS:
        m09, m10 = sheets[("M09", workbook, sheet)], sheets[("M10", workbook, sheet)]
        labels = [c for c in m09.columns if c not in ("plan", "actual", "forecast", "shifts")]
        pd.testing.assert_frame_equal(m09[labels], m10[labels])
        months = m09.month.astype(str).str.lstrip("M").astype(int)
        shared = months <= 9
        assert (pence(m09.actual[shared]) == pence(m10.actual[shared])).all(), workbook
        if workbook != "nonpay":
            assert (pence(m09.plan) == pence(m10.plan)).all(), workbook
        assert (pence(m09.forecast[months > 10]) != pence(m10.forecast[months > 10])).any(), "organisations re-forecast"


def test_one_organisation_rephases_a_closed_month_between_the_closes(sheets: dict) -> None:
    m09, m10 = sheets[("M09", "nonpay", "nonpay")], sheets[("M10", "nonpay", "nonpay")]
    moved = pence(m10.plan) - pence(m09.plan)
    changed = m10[moved != 0]
    assert set(changed.org) == {REPHASE_ORG}
    assert changed.month.tolist() == [8, 11]
    assert moved[moved != 0].tolist() == [-REPHASE_PENCE, REPHASE_PENCE]
    assert changed.cost_centre.nunique() == 1 and changed.subjective.nunique() == 1


def test_agency_detail_reconciles_to_the_pay_agency_rows(sheets: dict) -> None:
    for close, month in CLOSES.items():
        detail = sheets[(close, "agency", "agency")]
        pay = sheets[(close, "pay", "pay")]
        pay = pay[pay.pay_type == "agency"]
        for measure in ("plan", "actual", "forecast"):
            def by_org_month(frame: pd.DataFrame) -> pd.Series:
                return frame.assign(p=pence(frame[measure])).groupby(["org", "month"]).p.sum()

            pd.testing.assert_series_equal(by_org_month(detail), by_org_month(pay), check_names=False)
        assert set(detail.framework) == {"on", "off"}
        assert detail.shifts[detail.month <= month].notna().all() and detail.shifts[detail.month > month].isna().all()


def test_amounts_are_whole_pence_and_rows_are_unique(sheets: dict) -> None:
    for key, frame in sheets.items():
        assert not frame.duplicated().any(), key
        for column in MONEY:
            if column in frame:
                values = frame[column].dropna().to_numpy(dtype=float) * 100
                assert np.abs(values - np.rint(values)).max(initial=0) < 1e-6, (key, column)
    for close in CLOSES:
        assert sheets[(close, "cip", "schemes")].scheme_id.is_unique
        assert sheets[(close, "risks", "register")].id.is_unique
        packages = sheets[(close, "phc", "packages")]
        assert packages.package_id.is_unique
        assert pd.api.types.is_datetime64_any_dtype(packages.start_date)
        ended = packages.end_date.notna()
        assert (packages.end_date[ended] >= packages.start_date[ended]).all()


def test_totals_are_the_size_of_an_ics(sheets: dict) -> None:
    income = sheets[("M10", "income", "income")]
    allocation = income[income.category == "allocation"].plan.sum()
    # The ICB's contracts with its providers are what the providers book as ICB income
    # (example/contracts.py), about £2.2bn of its £3.35bn.
    assert 3.0e9 < allocation < 3.5e9
    provider_income = income[income.org != "ICB"]
    assert 2.3e9 < provider_income.plan.sum() < 2.7e9
    assert provider_income.groupby("category").plan.sum().idxmax() == "clinical_icb"
    pay = sheets[("M10", "pay", "pay")].plan.sum()
    nonpay = sheets[("M10", "nonpay", "nonpay")]
    assert 0.60 < pay / (pay + nonpay[nonpay.org != "ICB"].plan.sum()) < 0.66
    ledger_rows = sum(len(sheets[("M10", w, w)]) for w in ("income", "pay", "nonpay"))
    assert 10_000 <= ledger_rows <= 30_000
    assert 2_500 <= len(sheets[("M10", "phc", "packages")]) <= 3_500
    assert 130 <= len(sheets[("M10", "cip", "schemes")]) <= 170
    assert 50 <= len(sheets[("M10", "risks", "register")]) <= 70


def _ytd_surplus(sheets: dict, close: str, measure: str) -> float:
    month = CLOSES[close]
    def ytd(workbook: str, sheet: str) -> float:
        frame = sheets[(close, workbook, sheet)]
        return frame[frame.month <= month][measure].sum()

    return ytd("income", "income") - ytd("pay", "pay") - ytd("nonpay", "nonpay") - ytd("phc", "budget")


def test_the_story_a_finance_director_would_recognise(sheets: dict) -> None:
    # The system is off plan by some tens of £m at M10.
    assert -100e6 < _ytd_surplus(sheets, "M10", "actual") < -20e6
    assert _ytd_surplus(sheets, "M10", "actual") < _ytd_surplus(sheets, "M09", "actual")
    # Agency is above 3.7% of planned pay at both acute trusts.
    pay = sheets[("M10", "pay", "pay")]
    ytd = pay[pay.month <= 10]
    for org in ("ACUTE1", "ACUTE2"):
        mine = ytd[ytd.org == org]
        assert mine[mine.pay_type == "agency"].actual.sum() > 0.037 * mine.plan.sum()
    # Industrial action was only part-funded.
    income = sheets[("M10", "income", "income")]
    cost = ytd[ytd.driver == "industrial_action_cost"].actual.sum()
    funding = income[(income.month <= 10) & (income.driver == "industrial_action_funding")].actual.sum()
    assert 0 < funding < cost
    # PHC overspends, with a high-cost cohort in every band.
    budget = sheets[("M10", "phc", "budget")]
    assert budget[budget.month <= 10].actual.sum() > budget[budget.month <= 10].plan.sum()
    packages = sheets[("M10", "phc", "packages")]
    bands = pd.cut(packages.weekly_cost, [7_550, 9_500, 11_500, 13_500, 15_500, np.inf], right=False)
    assert (bands.value_counts() > 0).all()
    assert set(packages.service) == set(PHC_SERVICES)
    assert (packages.icb_share.dropna() < 1).any()
    assert (packages.start_date < "2023-04-01").any() and (packages.start_date >= "2023-04-01").any()
    assert (packages.end_date.dropna().dt.day != packages.end_date.dropna().dt.days_in_month).any(), "ends mid-month"
    # CIP slips where schemes are not yet worked up.
    schemes, delivery = sheets[("M10", "cip", "schemes")], sheets[("M10", "cip", "delivery")]
    delivered = delivery[delivery.month <= "M10"].merge(schemes, on="scheme_id").groupby("rating")[["plan", "actual"]].sum()
    rate = delivered.actual / delivered.plan
    assert rate["fully_developed"] > 0.9 and rate["opportunity"] < 0.6 and rate["unidentified"] < 0.1
    assert set(schemes.impacts_org.dropna()) <= {"ACUTE1", "ACUTE2", "CMH", "AMB"}
    assert set(schemes[schemes.impacts_org.notna()].org) == {"ICB"}


def test_the_register_moves_between_closes(sheets: dict) -> None:
    m09, m10 = sheets[("M09", "risks", "register")], sheets[("M10", "risks", "register")]
    assert set(m09.id) < set(m10.id)
    words = {v for v in m10.likelihood if isinstance(v, str)}
    percentages = [v for v in m10.likelihood if not isinstance(v, str)]
    assert words == {"low", "medium", "high", "almost_certain"}
    assert percentages and all(0 < v < 100 for v in percentages)
    statuses = m09.merge(m10, on="id")[lambda d: d.type_x == "mitigation"]
    assert (statuses.status_x != statuses.status_y).any()
    assert set(m10.status.dropna()) == {"identified", "in_progress", "delivered"}
    assert m10[m10.type == "risk"].status.isna().all()


def test_detail_grows_in_proportion_to_scale() -> None:
    small, large = build_example(0.5), build_example(2.0)
    ledger = lambda e: len(e.income) + len(e.pay) + len(e.nonpay)  # noqa: E731
    assert 3.0 < ledger(large) / ledger(small) < 4.2
    assert 3.6 < len(large.phc.packages.package_id) / len(small.phc.packages.package_id) < 4.4
    assert 3.6 < len(large.cip.scheme_id) / len(small.cip.scheme_id) < 4.4
    # The budgets stay where they are: only the detail multiplies.
    assert large.pay.plan.sum() == small.pay.plan.sum()


def test_icb_contracts_agree_with_the_providers_but_for_one_mismatch(sheets: dict) -> None:
    """Both sides tag the ICB's contracts (counterparty); the ICB has not booked ACUTE2's
    £0.4m M5 CQUIN, so the trust books £400,000 more than the ICB, YTD and FOT."""
    for close, month in CLOSES.items():
        income, nonpay = sheets[(close, "income", "income")], sheets[(close, "nonpay", "nonpay")]
        for org in ("ACUTE1", "ACUTE2", "CMH", "AMB"):
            earned = income[(income.org == org) & (income.counterparty == "ICB")]
            spent = nonpay[(nonpay.org == "ICB") & (nonpay.counterparty == org)]
            assert len(earned) == len(spent) > 0
            ytd = pence(earned[earned.month <= month].actual).sum() - pence(spent[spent.month <= month].actual).sum()
            assert ytd == (40_000_000 if org == "ACUTE2" else 0), (close, org)
        assert set(income.counterparty.dropna()) == {"ICB", "NHS England"}
