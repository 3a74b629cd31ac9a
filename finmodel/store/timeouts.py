"""How long a command waits for another writer (say a colleague's close) before giving up.

Both databases use the same wait: SQLite's busy timeout, PostgreSQL's ``lock_timeout``.
``FINMODEL_LOCK_TIMEOUT`` (seconds) changes it; docs/store.md says more.
"""

from __future__ import annotations

import math
import os

from finmodel.store.errors import StoreError

LOCK_TIMEOUT_VARIABLE = "FINMODEL_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_SECONDS = 60.0


def lock_timeout_from_environment() -> float | None:
    """The seconds given by FINMODEL_LOCK_TIMEOUT, or None when it is not set."""
    text = os.environ.get(LOCK_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise StoreError(
            f"{LOCK_TIMEOUT_VARIABLE}={text!r}: give the seconds to wait for another finmodel command, "
            "a number above 0, e.g. 60"
        )
    return seconds


def lock_timeout_seconds() -> float:
    """FINMODEL_LOCK_TIMEOUT, or 60 seconds."""
    seconds = lock_timeout_from_environment()
    return DEFAULT_LOCK_TIMEOUT_SECONDS if seconds is None else seconds
