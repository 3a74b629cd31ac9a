"""Lists in a sentence, as the pack and the templates write them to a reader."""

from __future__ import annotations

from collections.abc import Sequence


def and_list(items: Sequence[str]) -> str:
    """'ICB', 'ICB and PHC', 'Agency, Capital and PHC'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
