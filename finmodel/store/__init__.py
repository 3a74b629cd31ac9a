"""The close history: every close, kept unchanged, in SQLite or PostgreSQL.

    from finmodel.store import open_store
    with open_store("finmodel.db") as store:
        for close in store.history():
            print(close.year, close.month, close.version, close.made_by, close.reopen_reason)

See docs/store.md for where the database lives, its tables and how it is kept safe.
"""

from finmodel.store.backends import check_location, not_created
from finmodel.store.errors import CloseExists, CloseRefused, NothingToReopen, StoreBusy, StoreError
from finmodel.store.records import CloseRecord, ScenarioRunRecord, StoredClose, StoredScenarioRun
from finmodel.store.store import DEFAULT_DB, Store, open_store

__all__ = [
    "DEFAULT_DB",
    "CloseExists",
    "CloseRefused",
    "CloseRecord",
    "NothingToReopen",
    "ScenarioRunRecord",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoredClose",
    "StoredScenarioRun",
    "check_location",
    "not_created",
    "open_store",
]
