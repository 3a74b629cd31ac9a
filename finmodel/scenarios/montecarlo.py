"""Monte Carlo run of a risk register: where each organisation ends the year.

Each iteration, every item crystallises (a risk) or lands (a mitigation) with its
likelihood, independently of the others, except that the items of a correlation group
share one random number: they crystallise together (an item with a higher likelihood
whenever one with a lower likelihood does, so each keeps its own likelihood).

Reproducible and exact:
- one numpy Generator from ``SeedSequence(seed)``; items are sorted by id first, so the
  register's row order changes nothing;
- uniform numbers are drawn in chunks of iterations (bounded memory); a chunk continues
  the same stream, so the chunk size changes nothing either;
- money is int64 pence throughout: the 0/1 outcomes times the signed values as an integer
  matrix product, never a float sum;
- percentiles are order statistics of those integers (the inverted empirical CDF), so
  they are amounts some iteration actually reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from finmodel.results.risks import RiskItem
from finmodel.scenarios.register import signed_value

CHUNK = 10_000  # iterations drawn at once: 10,000 x 300 items is 24 MB of uniforms


def simulate(
    register: Sequence[RiskItem],
    orgs: Sequence[str],
    iterations: int,
    seed: int,
    groups: Sequence[tuple[str, Sequence[str]]] = (),
    chunk: int = CHUNK,
) -> np.ndarray:
    """The register's effect on each organisation's outturn, per iteration: int64 pence,
    shape (iterations, organisations), in surplus terms."""
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    # An item worth nothing, or that can never happen, draws no random number: adding one
    # (or zeroing one) leaves every other item's draws, and so the results, as they were.
    items = sorted((i for i in register if i.value != 0 and i.likelihood_pct != 0), key=lambda i: i.id)
    known = {i.id for i in items}
    kept = sorted((name, [i for i in ids if i in known]) for name, ids in groups)
    kept = [(name, ids) for name, ids in kept if ids]  # a group left with no items draws nothing
    group_of = {item_id: g for g, (_, ids) in enumerate(kept) for item_id in ids}
    # Columns of uniforms: one per group (by name), then one per other item (by id).
    grouped = [i for i in items if i.id in group_of]
    alone = [i for i in items if i.id not in group_of]
    width = len(kept) + len(alone)
    org_index = {o: k for k, o in enumerate(orgs)}

    def values(part: list[RiskItem]) -> np.ndarray:
        out = np.zeros((len(part), len(orgs)), dtype=np.int64)
        for row, item in enumerate(part):
            out[row, org_index[item.org]] = signed_value(item)
        return out

    def likelihoods(part: list[RiskItem]) -> np.ndarray:
        return np.array([float(i.likelihood_pct / 100) for i in part], dtype=np.float64)

    group_cols = np.array([group_of[i.id] for i in grouped], dtype=np.intp)
    grouped_values, grouped_p = values(grouped), likelihoods(grouped)
    alone_values, alone_p = values(alone), likelihoods(alone)
    out = np.zeros((iterations, len(orgs)), dtype=np.int64)
    if not items:
        return out
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    for start in range(0, iterations, chunk):
        n = min(chunk, iterations - start)
        uniform = rng.random((n, width))
        # 0/1 outcomes (as int8) x signed pence (int64): an exact integer product.
        moved = (uniform[:, len(kept):] < alone_p).view(np.int8) @ alone_values
        if grouped:
            moved += (uniform[:, group_cols] < grouped_p).view(np.int8) @ grouped_values
        out[start:start + n] = moved
    return out


def percentile(outcomes: np.ndarray, pct: int) -> int:
    """The smallest outcome with at least pct% of iterations at or below it.

    numpy's method="inverted_cdf": an exact order statistic, ceil(pct/100 x N)-th smallest.
    """
    n = len(outcomes)
    rank = max(-(-pct * n // 100), 1)  # ceil without floats
    return int(np.partition(outcomes, rank - 1)[rank - 1])


def probability_at_least(outcomes: np.ndarray, target: int) -> Decimal:
    """Share of iterations whose outturn meets the target (>= target), as an exact Decimal."""
    return Decimal(int(np.count_nonzero(outcomes >= target))) / Decimal(len(outcomes))
