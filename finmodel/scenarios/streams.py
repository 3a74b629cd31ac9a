"""Where the Monte Carlo's random numbers come from: one stream per item, named by its id.

A run has one seed (stored with its results). Each item's uniforms come from its own
PCG64 stream, and a correlation group's from one stream of its own, each derived from the
seed and the item's id (or the group's name) alone:

    SeedSequence(entropy=seed, spawn_key=(int.from_bytes(sha256(b"item:" + id).digest(), "big"),))

(``b"group:" + name`` for a group; UTF-8 text). So an item's draws depend on nothing else
on the register: adding, removing or changing one item leaves every other item's outcome
in every iteration as it was. SHA-256, not Python's ``hash()``, which is salted per process:
the streams are the same on every run and every machine. The ``item:``/``group:`` prefix
keeps an item and a group that share a name on different streams.
"""

from __future__ import annotations

import hashlib

import numpy as np

ITEM = "item"
GROUP = "group"


def stream_key(kind: str, name: str) -> int:
    """The stream's name as a 256-bit integer: SHA-256 of ``"<kind>:<name>"`` (UTF-8), big-endian."""
    return int.from_bytes(hashlib.sha256(f"{kind}:{name}".encode("utf-8")).digest(), "big")


def stream(seed: int, kind: str, name: str) -> np.random.Generator:
    """The generator of one item (kind ITEM, by id) or correlation group (kind GROUP, by name)."""
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(stream_key(kind, name),))
    return np.random.Generator(np.random.PCG64(sequence))
