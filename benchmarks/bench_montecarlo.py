"""The Monte Carlo run of a risk register against the bare cost of its random numbers.

    python benchmarks/bench_montecarlo.py                       # 100,000 iterations x 300 items
    python benchmarks/bench_montecarlo.py --iterations 1000000 --items 500 --groups 20

The baseline is what any simulation must pay: numpy drawing iterations x items uniform
float64s in one call (``rng.random((100_000, 300))``). The Monte Carlo run draws as many,
but from one stream per item (300 generators seeded from the seed and each item's id, each
filling its row of a buffer in chunks of iterations: finmodel.scenarios.streams), compares
each draw with its item's likelihood, turns the outcomes into integer pence per
organisation with an int64 product over that organisation's items, adds the ICS iteration
by iteration, and takes P10/P50/P90 and the probability of meeting the target for every
organisation and the ICS. The ratio says what all that costs on top of the random numbers (target <= 3x).
Each is timed as the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
from decimal import Decimal

import numpy as np

from timing import best_of

from finmodel.results.risks import RiskItem
from finmodel.scenarios.montecarlo import percentile, probability_at_least, simulate

ORGS = ("ACUTE1", "ACUTE2", "CMH", "AMB", "ICB")


def register(items: int, seed: int = 1) -> list[RiskItem]:
    """A register like a real one: lognormal values (£10k..£10m), likelihoods 5..95%, a third mitigations."""
    rng = np.random.default_rng(seed)
    out = []
    for n in range(items):
        kind = "mitigation" if n % 3 == 2 else "risk"
        value = int(min(max(rng.lognormal(np.log(2e7), 1.0), 1e6), 1e9))  # pence
        likelihood = Decimal(int(rng.integers(5, 96)))
        out.append(RiskItem(f"{ORGS[n % len(ORGS)]}-{n:04d}", ORGS[n % len(ORGS)], kind, "other", "", value, likelihood,
                            "delivered" if kind == "mitigation" and n % 2 else "in_progress"))
    return out


def groups(items: list[RiskItem], count: int) -> list[tuple[str, list[str]]]:
    """``count`` correlation groups of four items each."""
    return [(f"g{g}", [i.id for i in items[4 * g: 4 * g + 4]]) for g in range(count) if 4 * g + 4 <= len(items)]


def monte_carlo(items: list[RiskItem], iterations: int, seed: int, grouped: list[tuple[str, list[str]]]) -> dict[str, tuple]:
    outcomes = simulate(items, ORGS, iterations, seed, grouped)
    columns = {org: outcomes[:, k] for k, org in enumerate(ORGS)}
    columns["ICS"] = outcomes.sum(axis=1, dtype=np.int64)
    return {row: (percentile(v, 10), percentile(v, 50), percentile(v, 90), probability_at_least(v, 0)) for row, v in columns.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--groups", type=int, default=0, help="correlation groups of four items")
    parser.add_argument("--seed", type=int, default=20240131)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    items = register(args.items)
    grouped = groups(items, args.groups)
    rng = np.random.default_rng(args.seed)
    raw_seconds, _ = best_of(args.repeat, lambda: rng.random((args.iterations, args.items)))
    mc_seconds, result = best_of(args.repeat, lambda: monte_carlo(items, args.iterations, args.seed, grouped))
    assert isinstance(result, dict)
    p10, p50, p90, _ = result["ICS"]
    print(f"iterations       {args.iterations:,}")
    print(f"items            {args.items:,} over {len(ORGS)} organisations ({len(grouped)} correlation groups)")
    print(f"numpy draw       {raw_seconds:8.3f} s   rng.random(({args.iterations:_}, {args.items}))")
    print(f"Monte Carlo      {mc_seconds:8.3f} s   draws, outcomes, int64 pence, percentiles")
    print(f"ratio            {mc_seconds / raw_seconds:8.2f}   (target <= 3)")
    print(f"ICS P10/P50/P90  £{p10 / 100:,.0f} / £{p50 / 100:,.0f} / £{p90 / 100:,.0f} (register effect)")


if __name__ == "__main__":
    main()
