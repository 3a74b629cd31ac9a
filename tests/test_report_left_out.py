"""A system that lacks a kind of organisation gets a pack without the sheets it has nothing
for, and Contents says which and why: a provider collaborative's pack (no ICB) has no ICB
or PHC sheet, a commissioner's pack (no NHS provider) no provider sheets, instead of pages
of column headers over no rows. The IFRS 16 allocation is shown even when no organisation
reports capital: an allocation nobody spends is a figure the board should see."""

from __future__ import annotations

import openpyxl

from finmodel.ledger import build_ledger
from finmodel.report import PackInputs, write_board_pack
from finmodel.report.sheets.capital import IFRS16_ALLOCATION
from finmodel.report.tables import build_sheets
from finmodel.results import compute_results
from tests import report_fixture as rf
from tests.builders import make_inputs, system

MONTH = 4
EVERY_STANDARD_SHEET = (
    "Contents", "KPIs", "System I&E", "Provider subjective", "ICB", "Drivers", "Efficiency", "Underlying position",
    "Agency", "Risks", "Capital", "PHC", "Provider summaries", "Forecast challenge", "Agreement of balances",
)


def _system_without(codes: set[str], text: str = rf.REPORT_SYSTEM) -> str:
    lines = [line for line in text.splitlines() if not any(f"code: {c}," in line for c in codes)]
    text = "\n".join(lines)
    targets = {"ACUTE1": "-3_000_000", "CMH": "0", "ICB": "0", "HOSPICE": "0"}
    kept = ", ".join(f"{c}: {v}" for c, v in targets.items() if c not in codes)
    text = text.replace("targets: {ACUTE1: -3_000_000, CMH: 0, ICB: 0, HOSPICE: 0}", f"targets: {{{kept}}}")
    group = [c for c in ("ACUTE1", "CMH", "HOSPICE") if c not in codes]
    return text.replace("[ACUTE1, CMH, HOSPICE]", "[" + ", ".join(group) + "]")


def _pack_without(codes: set[str], system_text: str | None = None) -> PackInputs:
    """The report fixture's M4 close with the organisations ``codes`` taken out of the system
    and of every input (their rows, their schemes, their packages)."""
    text = system_text or _system_without(codes)
    ledgers = {name: [r for r in rows if r["org"] not in codes] for name, rows in rf._ledgers(MONTH, True).items()}
    schemes = [s for s in rf.SCHEMES if s["org"] not in codes and s.get("impacts_org", "") not in codes]
    kept = {s["scheme_id"] for s in schemes}
    delivery = [row for sid, (plan, actuals) in rf.DELIVERY.items() if sid in kept for row in rf._delivery(sid, plan, actuals[:MONTH])]
    packages = [] if "ICB" in codes else [
        {**p, "start_date": rf.d(p["start_date"]), "end_date": rf.d(p["end_date"]) if "end_date" in p else None} for p in rf.PACKAGES
    ]
    inputs = make_inputs(
        MONTH, **ledgers, cip_schemes=schemes, cip_delivery=delivery, phc_packages=packages,
        capital=[c for c in rf.CAPITAL if c["org"] not in codes], risks=[r for r in rf.RISKS if r["org"] not in codes],
        system_text=text,
    )
    results = compute_results(inputs, build_ledger(inputs))
    return PackInputs(results=results, system=system(text), previous=None, scenarios=None,
                      made_at=rf.MADE_AT[MONTH], model_version="0.1.0", input_files=())


def _sheet_names(pack: PackInputs) -> list[str]:
    return [s.name for s in build_sheets(pack)]


def _contents_notes(pack: PackInputs) -> tuple[str, ...]:
    contents = build_sheets(pack)[0]
    return next(t for t in contents.tables if t.key == "contents").notes


def test_a_complete_system_has_every_standard_sheet_and_no_left_out_note() -> None:
    pack = rf.pack(scenarios=False)
    assert [n for n in _sheet_names(pack) if n in EVERY_STANDARD_SHEET] == list(EVERY_STANDARD_SHEET)
    assert not any(n.startswith("Not in this pack") for n in _contents_notes(pack))


def test_a_system_without_an_icb_has_no_icb_or_phc_sheet_and_contents_says_why() -> None:
    pack = _pack_without({"ICB"})
    names = _sheet_names(pack)
    assert "ICB" not in names and "PHC" not in names
    assert [n for n in EVERY_STANDARD_SHEET if n not in names] == ["ICB", "PHC"]
    assert _contents_notes(pack)[0] == "Not in this pack: ICB and PHC (the system has no ICB)."


def test_a_system_without_providers_has_no_provider_sheets_and_keeps_the_ifrs16_allocation() -> None:
    pack = _pack_without({"ACUTE1", "CMH"})
    names = _sheet_names(pack)
    assert [n for n in EVERY_STANDARD_SHEET if n not in names] == ["Provider subjective", "Agency", "Provider summaries"]
    assert _contents_notes(pack)[0] == (
        "Not in this pack: Provider subjective, Agency and Provider summaries (the system has no NHS provider)."
    )
    # Only the providers reported capital: none is left, and the system's £3,000,000 IFRS 16
    # allocation is set against a forecast of nothing, all of it unspent.
    capital = next(s for s in build_sheets(pack) if s.name == "Capital").tables[0]
    (row,) = capital.rows
    assert row.code == IFRS16_ALLOCATION
    assert row.values[-3:] == (300_000_000, 0, 300_000_000)


def test_capital_is_left_out_only_when_there_is_neither_capital_nor_an_allocation() -> None:
    text = _system_without({"ACUTE1", "CMH"}).replace("capital: {ifrs16_allocation: 3_000_000}\n", "")
    pack = _pack_without({"ACUTE1", "CMH"}, system_text=text)
    assert "Capital" not in _sheet_names(pack)
    assert "Capital (no organisation reports capital and the system has no IFRS 16 allocation)" in _contents_notes(pack)[0]


def test_the_written_pack_links_only_to_sheets_it_has(tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_board_pack(_pack_without({"ICB"}), tmp_path)
    book = openpyxl.load_workbook(tmp_path / "board-pack.xlsx")
    assert "ICB" not in book.sheetnames and "PHC" not in book.sheetnames
    links = [c.hyperlink.location or c.hyperlink.target for row in book["Contents"].iter_rows() for c in row if c.hyperlink]
    assert links, "Contents links to its sheets"
    targets = {link.split("!")[0].strip("'") for link in links}
    assert targets <= set(book.sheetnames)
    assert not (tmp_path / "tables" / "icb.csv").exists() and not (tmp_path / "tables" / "phc.csv").exists()
    texts = [c.value for row in book["Contents"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Not in this pack: ICB and PHC (the system has no ICB)." in texts
