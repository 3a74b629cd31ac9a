"""The code a user most likely meant: one typo away from what was typed.

Used wherever a code is checked against a known list (a workbook's organisation or
counterparty column, system.yaml's targets and groups), so every "did you mean" is worked
out the same way.
"""

from __future__ import annotations


def nearest_code(text: str, allowed: tuple[str, ...] | frozenset[str]) -> str | None:
    """The one code within a typo of ``text`` (a letter wrong, missing, extra or two swapped:
    'RHB' for 'RBH'); two letters for codes of more than four. None when none is, or two are."""
    typed = text.lower()
    limit = 1 if len(typed) <= 4 else 2
    distances = {code: typo_distance(typed, code.lower()) for code in allowed if abs(len(code) - len(typed)) <= limit}
    best = sorted(code for code, d in distances.items() if d <= limit and d == min(distances.values()))
    return best[0] if len(best) == 1 else None


def meant(text: str, allowed: tuple[str, ...] | frozenset[str]) -> str:
    """" (did you mean 'RBH'?)" after a list of choices, when one code is a typo away; else ""."""
    near = nearest_code(text, allowed)
    return f" (did you mean '{near}'?)" if near else ""


def typo_distance(a: str, b: str) -> int:
    """Edits from a to b, a swap of two neighbouring letters counting as one (optimal string alignment)."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]
