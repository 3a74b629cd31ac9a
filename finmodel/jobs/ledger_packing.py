"""The ledger packed for the close history in a second thread, while the results are computed.

Packing a million-row ledger (per-column codes, zlib, SHA-256) takes about half a second,
and it used to start only once every result was computed. zlib and hashlib let go of the
GIL while they work, so begun as soon as the ledger is built it runs on the second core
beside ``compute_results``. The blob is the one ``pack_ledger`` makes in the store: packing
is deterministic and reads the ledger only (no stage changes a frame).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

import pandas as pd

from finmodel.store.ledger_blob import PackedLedger, pack_ledger


class LedgerPacking:
    """``start`` is the pipeline's ``on_ledger``; ``pack`` is the store's ``pack``.

    Used as a context manager, so the thread never outlives the close job: on the way out
    (a refused pack folder, a custom table in error, any exception) the job is waited for.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="finmodel-ledger-pack")
        self._ledger: pd.DataFrame | None = None
        self._job: Future[PackedLedger] | None = None

    def start(self, ledger: pd.DataFrame) -> None:
        self._ledger, self._job = ledger, self._pool.submit(pack_ledger, ledger)

    def pack(self, ledger: pd.DataFrame) -> PackedLedger:
        """The packed ledger; its error, if packing failed, raised here as pack_ledger raises it.

        A ledger other than the one started (or none started) is packed here and now, so
        the store can never be handed another frame's blob."""
        if self._job is None or ledger is not self._ledger:
            return pack_ledger(ledger)
        return self._job.result()

    def __enter__(self) -> LedgerPacking:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self._pool.shutdown(wait=True)
