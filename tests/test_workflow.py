"""End to end: the demo, the close history through the CLI, and nothing written on failure.

Expected figures are recomputed here straight from the example's workbooks with pandas and
openpyxl, independently of finmodel's reader, validation and ledger.
"""

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from finmodel.cli import app

runner = CliRunner()
LEDGER_BOOKS = (("income", "income", +1), ("pay", "pay", -1), ("nonpay", "nonpay", -1), ("phc", "budget", -1))


def _month(value) -> int:
    return int(str(value).strip().lstrip("Mm"))


def surplus_by_org(folder: Path, close_month: int) -> dict[str, dict[str, Decimal]]:
    """YTD plan/actual and FOT of surplus per organisation, in pounds, read with openpyxl."""
    out: dict[str, dict[str, Decimal]] = {}
    for book, sheet, sign in LEDGER_BOOKS:
        frame = pd.read_excel(folder / f"{book}.xlsx", sheet_name=sheet, engine="openpyxl")
        if "org" not in frame.columns:
            frame["org"] = "ICB"
        frame["m"] = frame["month"].map(_month)
        for row in frame.itertuples(index=False):
            figures = out.setdefault(row.org, {"ytd_plan": Decimal(0), "ytd_actual": Decimal(0), "fot": Decimal(0)})
            money = lambda v: Decimal(0) if pd.isna(v) else Decimal(str(v))  # noqa: E731
            if row.m <= close_month:
                figures["ytd_plan"] += sign * money(row.plan)
                figures["ytd_actual"] += sign * money(row.actual)
                figures["fot"] += sign * money(row.actual)
            else:
                forecast = row.forecast if not pd.isna(row.forecast) else row.plan
                figures["fot"] += sign * money(forecast)
    return out


def bcf_share_of_the_icb(folder: Path, close_month: int) -> Decimal:
    """The example's BCF risk share (system.yaml): the ICB bears half of the fund's variance,
    contributions - forecast spend, read from pooled.xlsx with openpyxl."""
    contributions = pd.read_excel(folder / "pooled.xlsx", sheet_name="contributions", engine="openpyxl")
    schemes = pd.read_excel(folder / "pooled.xlsx", sheet_name="schemes", engine="openpyxl")
    money = lambda v: Decimal(0) if pd.isna(v) else Decimal(str(v))  # noqa: E731
    spend = sum(money(r.actual) if _month(r.month) <= close_month else money(r.plan if pd.isna(r.forecast) else r.forecast)
                for r in schemes.itertuples(index=False))
    return (sum(money(v) for v in contributions["plan"]) - spend) / 2


@pytest.fixture(scope="module")
def demo(example_demo):
    """The run's one demo (conftest.py): these tests only read it, but for
    test_scenario_command_on_the_demo, which records into a copy."""
    return example_demo


def _sheet_row(path: Path, sheet: str, label: str) -> tuple:
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    return next(r for r in ws.iter_rows(values_only=True) if r and r[0] == label)


def test_demo_board_pack_matches_figures_recomputed_from_the_inputs(demo):
    root, done = demo
    pack = root / "outputs" / "2023-24" / "M10" / "board-pack.xlsx"
    assert pack in done.board_packs and pack.is_file()
    expected = surplus_by_org(root / "inputs" / "2023-24" / "M10", 10)
    expected["ICB"]["fot"] += bcf_share_of_the_icb(root / "inputs" / "2023-24" / "M10", 10)  # a forecast only
    ics = {k: sum(org[k] for org in expected.values()) for k in ("ytd_plan", "ytd_actual", "fot")}
    row = _sheet_row(pack, "System I&E", "ICS total")
    # The sheet holds £m to full precision; the exact pounds are in the CSV beside it.
    for key in ("ytd_actual", "fot"):
        assert any(isinstance(v, float) and abs(v - float(ics[key]) / 1e6) < 1e-6 for v in row), key
    table = pd.read_csv(root / "outputs/2023-24/M10/tables/system_ie.csv", dtype=str)
    ics_rows = table[table["row"] == "ICS"].set_index("column")["value"]
    assert Decimal(ics_rows["ytd_surplus_actual"]) == ics["ytd_actual"]
    assert Decimal(ics_rows["ytd_surplus_plan"]) == ics["ytd_plan"]
    assert Decimal(ics_rows["fot"]) == ics["fot"]


def test_m10_movement_is_m10_minus_m09_computed_independently(demo):
    root, _ = demo
    m09 = surplus_by_org(root / "inputs/2023-24/M09", 9)
    m10 = surplus_by_org(root / "inputs/2023-24/M10", 10)
    kpis = pd.read_csv(root / "outputs/2023-24/M10/tables/kpis.csv", dtype=str)
    change = kpis[kpis["row"] == "ytd_var_change"].set_index("column")["value"]
    for org in ("ACUTE1", "ACUTE2", "CMH", "AMB", "ICB"):
        variance = lambda f: f[org]["ytd_actual"] - f[org]["ytd_plan"]  # noqa: E731
        assert Decimal(change[org]) == variance(m10) - variance(m09), org


def _digest(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths) if p.is_file()}


def test_history_report_and_failure_through_the_cli(demo, tmp_path):
    root, _ = demo
    db, out = tmp_path / "history.db", tmp_path / "outputs"
    m09, m10 = root / "inputs/2023-24/M09", root / "inputs/2023-24/M10"
    assert runner.invoke(app, ["close", str(m09), "--db", str(db), "--out", str(out)]).exit_code == 0
    # A broken M10: an unknown organisation in pay.xlsx. Validation fails, nothing is written.
    broken = tmp_path / "2023-24" / "M10"
    shutil.copytree(m10, broken)
    shutil.copy(root / "inputs/2023-24/system.yaml", broken.parent / "system.yaml")
    wb = openpyxl.load_workbook(broken / "pay.xlsx")
    wb["pay"]["A2"] = "NOWHERE"
    wb.save(broken / "pay.xlsx")
    before = _digest([db, *out.rglob("*")])
    failed = runner.invoke(app, ["close", str(broken), "--db", str(db), "--out", str(out)])
    assert failed.exit_code == 1 and "NOWHERE" in failed.output and "pay.xlsx" in failed.output
    assert _digest([db, *out.rglob("*")]) == before
    # The real M10 closes; closing it again is refused; --reopen keeps the first version.
    assert runner.invoke(app, ["close", str(m10), "--db", str(db), "--out", str(out)]).exit_code == 0
    pack = out / "2023-24/M10/board-pack.xlsx"
    first = pack.read_bytes()
    again = runner.invoke(app, ["close", str(m10), "--db", str(db), "--out", str(out)])
    assert again.exit_code == 3 and "--reopen" in again.output
    # Re-written from the database alone: the same bytes.
    pack.unlink()
    assert runner.invoke(app, ["report", "2023/24", "M10", "--db", str(db), "--out", str(out)]).exit_code == 0
    assert pack.read_bytes() == first
    reopened = runner.invoke(app, ["close", str(m10), "--db", str(db), "--out", str(out), "--reopen", "late PHC invoices"])
    assert reopened.exit_code == 0
    history = runner.invoke(app, ["history", "--db", str(db), "--json"])
    assert history.exit_code == 0 and '"late PHC invoices"' in history.output and history.output.count('"month": "M10"') == 2
    missing = runner.invoke(app, ["report", "2023/24", "M11", "--db", str(db), "--out", str(out)])
    assert missing.exit_code == 4
    exported = runner.invoke(app, ["export", "2023/24", "M10", "--db", str(db), "--out", str(out)])
    assert exported.exit_code == 0
    ledger = pd.read_csv(out / "2023-24/M10/export/ledger.csv", dtype=str)
    pay = pd.read_excel(m10 / "pay.xlsx", sheet_name="pay", engine="openpyxl")
    assert (ledger["source"] == "pay").sum() == len(pay)
    assert sum(Decimal(v) for v in ledger.loc[ledger["source"] == "pay", "actual"]) == sum(
        Decimal(str(v)) for v in pay["actual"].dropna())


def test_scenario_command_on_the_demo(demo, tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(demo[0], root)  # a copy: the run is recorded in the demo's database and outputs
    scenario = Path(__file__).parent.parent / "scenarios" / "example-recovery.yaml"
    result = runner.invoke(app, ["scenario", str(scenario), "--db", str(root / "finmodel.db"), "--out", str(root / "outputs"), "--json"])
    assert result.exit_code == 0, result.output
    assert (root / "outputs/2023-24/M10/scenarios/example-recovery.xlsx").is_file()
    assert '"seed"' in result.output


@pytest.mark.parametrize("command", ["demo", "init", "validate", "close", "history", "report", "export", "scenario"])
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and len(result.output) > 200 and "Exit codes" in result.output


def test_top_level_help_lists_exit_codes():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "Exit codes" in result.output and "3 refused" in result.output


def test_the_version_is_the_one_in_pyproject():
    import tomllib

    import finmodel

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert finmodel.__version__ == pyproject["project"]["version"]
