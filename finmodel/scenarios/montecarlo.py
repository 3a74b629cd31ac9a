"""Monte Carlo run of a risk register: where each organisation ends the year.

Each iteration, every item crystallises (a risk) or lands (a mitigation) with its
likelihood, independently of the others, except that the items of a correlation group
share one random number: they crystallise together (an item with a higher likelihood
whenever one with a lower likelihood does, so each keeps its own likelihood).

Reproducible and exact:
- each item draws its uniforms from its own stream, derived from the run's seed and the
  item's id (a correlation group's from its name; finmodel.scenarios.streams), so adding,
  removing or changing one item leaves every other item's outcome in every iteration as it
  was, and the register's row order changes nothing;
- uniform numbers are drawn in chunks of iterations (bounded memory); a chunk continues
  each stream, so the chunk size changes nothing either;
- money is int64 pence throughout: the 0/1 outcomes times the signed values as an integer
  product, never a float sum;
- percentiles are order statistics of those integers (the inverted empirical CDF), so
  they are amounts some iteration actually reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from finmodel.results.risks import RiskItem
from finmodel.scenarios.register import signed_value
from finmodel.scenarios.streams import GROUP, ITEM, stream

CHUNK = 10_000  # iterations drawn at once: 10,000 x 300 items is 24 MB of uniforms


def _streams(
    items: Sequence[RiskItem], seed: int, groups: Sequence[tuple[str, Sequence[str]]]
) -> list[tuple[np.random.Generator, list[int]]]:
    """Each stream with the rows (items) it decides: a group's one stream decides all its items."""
    row_of = {item.id: row for row, item in enumerate(items)}
    group_of = {item_id: name for name, ids in sorted(groups) for item_id in ids if item_id in row_of}
    members: dict[str, list[int]] = {}
    for item_id, name in group_of.items():
        members.setdefault(name, []).append(row_of[item_id])
    alone = [(stream(seed, ITEM, i.id), [row_of[i.id]]) for i in items if i.id not in group_of]
    return alone + [(stream(seed, GROUP, name), sorted(rows)) for name, rows in sorted(members.items())]


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
    org_index = {o: k for k, o in enumerate(orgs)}
    # An item worth nothing, or that can never happen, draws nothing. The rest are held by
    # organisation, so each organisation's money is one product over its own items only.
    items = sorted((i for i in register if i.value != 0 and i.likelihood_pct != 0), key=lambda i: (org_index[i.org], i.id))
    if len({i.id for i in items}) != len(items):
        raise ValueError("item ids must be unique: an item's id names its random numbers")
    out = np.zeros((iterations, len(orgs)), dtype=np.int64)
    if not items:
        return out
    streams = _streams(items, seed, groups)
    likelihood = np.array([float(i.likelihood_pct / 100) for i in items], dtype=np.float64)[:, None]
    signed = np.array([signed_value(i) for i in items], dtype=np.int64)
    bounds = np.searchsorted([org_index[i.org] for i in items], np.arange(len(orgs) + 1))
    width = min(chunk, iterations)
    uniform = np.empty((len(items), width), dtype=np.float64)
    moved = np.empty((len(orgs), width), dtype=np.int64)
    for start in range(0, iterations, chunk):
        n = min(chunk, iterations - start)
        drawn = uniform[:, :n]
        for rng, rows in streams:
            rng.random(out=drawn[rows[0]])  # a row of the buffer is contiguous: filled in place
            drawn[rows[1:]] = drawn[rows[0]]
        # 0/1 outcomes (as int8) x signed pence (int64): an exact integer product.
        happened = (drawn < likelihood).view(np.int8)
        for k in range(len(orgs)):
            np.matmul(signed[bounds[k]:bounds[k + 1]], happened[bounds[k]:bounds[k + 1]], out=moved[k, :n])
        out[start:start + n] = moved[:, :n].T
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
