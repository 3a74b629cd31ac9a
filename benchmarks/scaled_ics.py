"""A scaled Example ICS for benchmarks: one size knob, cached on disk.

    python benchmarks/scaled_ics.py --rows 1000000 --cache /tmp/finmodel-bench

The knob is the number of *ledger rows*: the rows of the four ledger workbooks
(income.xlsx, pay.xlsx, nonpay.xlsx, agency.xlsx) of the one close written (M10). The
other detail follows the same fraction of the full size the issue describes, so 1,000,000
ledger rows come with 20,000 PHC packages, 300 risks and mitigations and 1,500 CIP schemes:

    fraction = rows / 1,000,000
    packages = 20,000 x fraction, risks = 300 x fraction, schemes = 1,500 x fraction

(each at least the handful the example needs so every kind still appears). The ICS has six
organisations: the example's five and a third acute trust, ACUTE3, generated from ACUTE1's
shape under its own code, cost-centre prefix and random stream.

Everything comes from ``finmodel.example``'s own generators (only the scales differ, and
the sixth trust), so the files are as deterministic as the example's: the same ``--rows``
writes the same bytes. A folder is reused when its ``generated.json`` says it was written
completely for the same sizes; that marker is written last.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import shutil
import time
from pathlib import Path

from finmodel.calendar import month_label
from finmodel.contract import AGENCY, INCOME, NONPAY, PAY
from finmodel.example.build import Example, close_workbooks, rephasing_line, with_recurrence
from finmodel.example.cip import schemes
from finmodel.example.icb import icb_ledger
from finmodel.example.lines import concat
from finmodel.example.phc import phc, phc_tables
from finmodel.example.providers import provider_ledger
from finmodel.example.risks import register, register_table
from finmodel.example.shape import CLOSE_MONTHS, PROVIDERS, REPHASE_FROM_MONTH, REPHASE_PENCE, REPHASE_TO_MONTH, YEAR
from finmodel.example.system_yaml import system_yaml_text
from finmodel.example.sheet_data import write_workbook
from finmodel.system_config import SYSTEM_YAML

from shapes import SHAPES, Shape, with_extra_orgs

FULL_ROWS = 1_000_000
FULL_PACKAGES = 20_000
FULL_RISKS = 300
FULL_SCHEMES = 1_500
CLOSE = CLOSE_MONTHS[-1]
LEDGER_WORKBOOKS = (INCOME.filename, PAY.filename, NONPAY.filename, AGENCY.filename)
MARKER = "generated.json"
# Bumped when the generator changes, so an old cache is not mistaken for this one.
GENERATOR_VERSION = 2  # 2: the ICB's contracts mirror its providers' income, recurrence tagged, as the example

@dataclasses.dataclass(frozen=True)
class Sizes:
    """The example scales that give the wanted counts (found by measuring, see ``sizes_for``)."""

    rows: int  # the knob
    ledger_scale: float
    phc_scale: float
    risk_scale: float
    cip_scale: float


def build_scaled(sizes: Sizes, shape: Shape = SHAPES["scaled"]) -> Example:
    """The example year with the shape's organisations and each part at its own scale."""
    providers = [provider_ledger(p, sizes.ledger_scale) for p in shape.providers]
    spend_scale = sizes.ledger_scale * shape.spend_mix
    # Income and non-pay from the same providers at their own scale (the same ledgers when the mix is 1).
    spending = providers if shape.spend_mix == 1.0 else [provider_ledger(p, spend_scale) for p in shape.providers]
    phc_year = phc(sizes.phc_scale)
    provider_income = concat([p.income for p in spending])
    icb = icb_ledger(spend_scale, int(phc_year.budget.plan.sum()), provider_income)
    nonpay = concat([p.nonpay for p in spending] + [icb.nonpay])
    line = rephasing_line(nonpay)
    return Example(  # as ``build_example`` builds it, at these scales
        income=with_recurrence(concat([provider_income, icb.income])),
        pay=with_recurrence(concat([p.pay for p in providers])),
        nonpay=nonpay,
        nonpay_rephased=nonpay.with_plan_moved(line, REPHASE_FROM_MONTH, REPHASE_TO_MONTH, REPHASE_PENCE),
        agency=concat([p.agency for p in providers]),
        cip=schemes(sizes.cip_scale),
        phc=phc_year,
        risks=tuple(register(sizes.risk_scale)),
        system_yaml=with_extra_orgs(system_yaml_text(phc_year), shape.providers[len(PROVIDERS):]),
    )


def counts(example: Example) -> dict[str, int]:
    """Rows of every sheet of the close, by 'workbook:sheet'."""
    return {f"{name}:{table.sheet}": table.rows for name, tables in close_workbooks(example, CLOSE) for table in tables}


def ledger_rows(sheet_rows: dict[str, int]) -> int:
    return sum(n for key, n in sheet_rows.items() if key.split(":")[0] in LEDGER_WORKBOOKS)


def _fit(target: int, measure, start: float) -> float:  # type: ignore[no-untyped-def]
    """The scale whose count is nearest `target`: counts grow about linearly with scale,
    so two proportional corrections land within a fraction of a percent."""
    scale = start
    for _ in range(2):
        got = measure(scale)
        scale *= target / max(got, 1)
    return scale


def sizes_for(rows: int, shape: Shape = SHAPES["scaled"]) -> Sizes:
    fraction = rows / FULL_ROWS
    base = Sizes(rows, 1.0, 1.0, 1.0, 1.0)
    example = build_scaled(base, shape)
    at_1 = counts(example)
    rows_at = lambda s: ledger_rows(counts(build_scaled(dataclasses.replace(base, ledger_scale=s), shape)))  # noqa: E731
    ledger_scale = _fit(rows, rows_at, rows / ledger_rows(at_1))
    packages = max(int(round(FULL_PACKAGES * fraction)), 1)
    risks = max(int(round(FULL_RISKS * fraction)), 1)
    schemes_wanted = max(int(round(FULL_SCHEMES * fraction)), 1)
    phc_scale = _fit(packages, lambda s: phc_tables(phc(s), CLOSE)[1].rows, packages / at_1["phc.xlsx:packages"])
    risk_scale = _fit(risks, lambda s: register_table(register(s), CLOSE).rows, risks / at_1["risks.xlsx:register"])
    cip_scale = _fit(schemes_wanted, lambda s: len(schemes(s).scheme_id), schemes_wanted / at_1["cip.xlsx:schemes"])
    return Sizes(rows, round(ledger_scale, 4), round(phc_scale, 4), round(risk_scale, 4), round(cip_scale, 4))


def cache_root(cache: Path, rows: int, shape: str = "scaled") -> Path:
    # The scaled shape keeps the folder it always had, so an existing cache is still used.
    return Path(cache) / (str(rows) if shape == "scaled" else f"{shape}-{rows}")


def close_folder(cache: Path, rows: int, shape: str = "scaled") -> Path:
    return cache_root(cache, rows, shape) / YEAR.folder / month_label(CLOSE)


def _marker(folder: Path) -> dict | None:
    path = folder / MARKER
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def ensure_scaled_ics(cache: Path, rows: int, log=print, shape: str = "scaled") -> tuple[Path, dict]:  # type: ignore[no-untyped-def]
    """The close folder for `rows` ledger rows of the named shape (``shapes.SHAPES``) under
    `cache`, written unless already there.
    Returns (close folder, the generation record: sizes, sheet rows, seconds to write)."""
    folder = close_folder(cache, rows, shape)
    marker = _marker(folder)
    if marker is not None and marker.get("generator_version") == GENERATOR_VERSION:
        return folder, marker
    root = cache_root(cache, rows, shape)
    if root.exists():
        shutil.rmtree(root)  # a half-written or stale cache
    start = time.perf_counter()
    sizes = sizes_for(rows, SHAPES[shape])
    example = build_scaled(sizes, SHAPES[shape])
    log(f"writing {rows:,} ledger rows into {folder} ({dataclasses.asdict(sizes)})")
    folder.mkdir(parents=True)
    (folder.parent / SYSTEM_YAML).write_text(example.system_yaml, encoding="utf-8")
    sheet_rows: dict[str, int] = {}
    for filename, tables in close_workbooks(example, CLOSE):
        write_workbook(folder / filename, tables)
        sheet_rows.update({f"{filename}:{t.sheet}": t.rows for t in tables})
    record = {
        "generator_version": GENERATOR_VERSION,
        "sizes": dataclasses.asdict(sizes),
        "shape": shape,
        "organisations": len(SHAPES[shape].providers) + 1,
        "ledger_rows": ledger_rows(sheet_rows),
        "sheet_rows": sheet_rows,
        "bytes": {p.name: p.stat().st_size for p in sorted(folder.glob("*.xlsx"))},
        "seconds_to_write": round(time.perf_counter() - start, 1),
    }
    (folder / MARKER).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return folder, record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append", help="ledger rows (repeat for several sizes)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/finmodel-bench"))
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append", help="ICS shape (repeat for several; default scaled)")
    args = parser.parse_args()
    for rows, shape in itertools.product(args.rows or [10_000], args.shape or ["scaled"]):
        folder, record = ensure_scaled_ics(args.cache, rows, shape=shape)
        print(folder)
        print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
