"""How a job reports its steps: a callback the CLI turns into progress lines; nothing prints."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """The progress of a job run from a notebook or a test: nothing shown."""
