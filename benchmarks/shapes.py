"""The shapes of ICS a benchmark can be run on: how the ledger rows are spread.

The speed of a close depends on how its rows are spread over workbooks and organisations,
not only on how many there are, so the benchmarks run on more than one shape:

- ``scaled``: the example ICS with a sixth trust (ACUTE3), every part at one scale: pay.xlsx
  holds nearly 60 % of the ledger rows, so one workbook dominates;
- ``balanced``: the same six organisations with income and non-pay lines at 3 times the
  scale of pay and agency, so the four ledgers are of similar size (at 1M rows: non-pay
  the largest, then pay, income, agency, as in the ICS that reported issue #21);
- ``many_orgs``: 40 providers (the example's four trusts and 36 more cloned from them in
  turn, each with its own code, cost-centre prefix and random stream) and the ICB, each
  small.

A shape is a list of providers and the scale of income and non-pay against pay; everything
else comes from ``finmodel.example``'s generators, so a shape's files are deterministic.
"""

from __future__ import annotations

import dataclasses

from finmodel.example.shape import PROVIDERS, TARGETS, ProviderShape


@dataclasses.dataclass(frozen=True)
class Shape:
    name: str
    providers: tuple[ProviderShape, ...]
    spend_mix: float = 1.0  # income and non-pay lines at this multiple of pay's scale
    about: str = ""


def _clone(base: ProviderShape, number: int) -> ProviderShape:
    code = f"TRUST{number:02d}"
    letters = chr(ord("A") + number // 26) + chr(ord("A") + number % 26)  # unique two-letter prefix
    return dataclasses.replace(base, code=code, name=f"Trust {number:02d} ({base.name})", prefix=f"Z{letters}")


SIXTH = dataclasses.replace(PROVIDERS[0], code="ACUTE3", name="Eastmoor Hospitals NHS Trust", prefix="EM")
MANY = 40

SHAPES = {
    "scaled": Shape("scaled", (*PROVIDERS, SIXTH), 1.0, "the example's mix: pay.xlsx is ~60 % of the ledger rows"),
    "balanced": Shape("balanced", (*PROVIDERS, SIXTH), 3.0, "income and non-pay at 3 x pay's scale: four ledgers of similar size"),
    "many_orgs": Shape(
        "many_orgs", (*PROVIDERS, *(_clone(PROVIDERS[i % len(PROVIDERS)], i + 1) for i in range(len(PROVIDERS), MANY))),
        1.0, f"{MANY} small providers and the ICB",
    ),
}


def target_of(shape: ProviderShape) -> int:
    """A provider's agreed target: the example's own, or that of the trust it was cloned from."""
    if shape.code in TARGETS:
        return TARGETS[shape.code]
    return next(TARGETS[p.code] for p in PROVIDERS if p.pay == shape.pay and p.type == shape.type)


def with_extra_orgs(text: str, extra: tuple[ProviderShape, ...]) -> str:
    """The example's system.yaml with the extra providers listed before the ICB, each with a target."""
    icb = "  - code: ICB\n"
    # after ACUTE1's target, where the benchmark has always put ACUTE3's (the same bytes as before)
    last_target = f"  {PROVIDERS[0].code}: {TARGETS[PROVIDERS[0].code]:_}\n"
    assert text.count(icb) == 1 and text.count(last_target) == 1, "the example's system.yaml changed shape"
    orgs = targets = ""
    for shape in extra:
        orgs += f"  - code: {shape.code}\n    name: {shape.name}\n    type: {shape.type}\n"
        if shape.agency_cap is not None:
            orgs += f"    agency_cap: {shape.agency_cap}\n"
        orgs += f"    prior_year_outturn: {shape.prior_year_outturn}\n"
        targets += f"  {shape.code}: {target_of(shape):_}\n"
    return text.replace(icb, orgs + icb).replace(last_target, last_target + targets)
