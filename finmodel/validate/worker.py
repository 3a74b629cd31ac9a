"""The worker process of ``parallel``.

Started as ``python -P -c <wire.BOOT>``: ``-P`` keeps the working directory off ``sys.path`` (a
``pandas.py`` or ``finmodel/`` lying there must not be imported), and the first thing read
from stdin is this process's ``sys.path``, so the worker imports exactly what its parent
imported. Then a pickled ``wire.Request`` follows. The worker goes down its list of
workbooks, largest first, and reads each one it can claim (``wire.claim``; the parent
claims from the same list), writing back one pickled ``wire.Answer`` for each as soon as it
is read: the packed read and, when the sheet is free of errors so far, its frame, built
here so the parent does not have to.

The answers go to a private copy of stdout's descriptor and stdout itself is pointed at
stderr (discarded), so nothing a library prints can land in the answer stream.
"""

from __future__ import annotations

import decimal
import os
import pickle
import sys
from pathlib import Path


def main() -> None:
    from finmodel.validate.wire import Answer, claim, pack
    from finmodel.gc_pause import collector_paused
    from finmodel.validate.workbook import read_one

    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    request = pickle.load(sys.stdin.buffer)
    decimal.setcontext(request.numbers)  # parse amounts and shares exactly as the parent would
    with answers, collector_paused():  # it reads, answers and exits: nothing for the collector
        for index, path in enumerate(request.paths):
            if not claim(request.claims, index):
                continue
            read = read_one(Path(path), request.ctx)
            frames = prebuilt_frames(read, request.ctx) if request.build_frames else {}
            pickle.dump(Answer(pack(read), frames), answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()


def prebuilt_frames(read, ctx) -> dict:  # type: ignore[no-untyped-def]
    """The frames of the workbook's sheets (``prebuild``), packed; one that will not pack is
    left for the parent to build."""
    from finmodel.validate.prebuild import frames_of
    from finmodel.validate.wire import pack_frame

    packed = {name: pack_frame(frame) for name, frame in frames_of(read, ctx).items()}
    return {name: frame for name, frame in packed.items() if frame is not None}
