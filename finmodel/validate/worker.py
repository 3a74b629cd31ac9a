"""The worker process of ``parallel``.

Started as ``python -P -c <wire.BOOT>``: ``-P`` keeps the working directory off ``sys.path`` (a
``pandas.py`` or ``finmodel/`` lying there must not be imported), and the first thing read
from stdin is this process's ``sys.path``, so the worker imports exactly what its parent
imported. Then its request follows: a pickled ``wire.Request`` (the workbooks and the
close's context), or, from ``worker_start`` before the parent has imported the model, just
the close folder, from which the worker works out the same context itself
(``close_context``) and says what it made it from (``wire.Hello``) before any answer.

The worker goes down its list of workbooks, largest first, and reads each one it can claim
(``wire.claim``; the parent claims from the same folder), writing back one pickled
``wire.Answer`` for each as soon as it is read: the packed read, with its sheets' own checks
run (``prechecks``) and, when the sheet is free of errors so far, its frame, built here so
the parent does not have to.

The answers go to a private copy of stdout's descriptor and stdout itself is pointed at
stderr (discarded), so nothing a library prints can land in the answer stream.
"""

from __future__ import annotations

import decimal
import os
import pickle
import sys
from pathlib import Path

# A workbook larger than all the others together, and than this, is left to the parent
# (``from_folder``); a smaller one crosses in well under the second this worker starts ahead.
LEAVE_LARGEST_FROM_BYTES = 8 * 2**20


def main() -> None:
    from finmodel.freed_memory import keep_freed_memory
    from finmodel.gc_pause import collector_paused
    from finmodel.validate.wire import Answer, Hello, claim, pack
    from finmodel.validate.workbook import read_one
    from finmodel.validate.prechecks import precheck

    keep_freed_memory()  # as the close command does: it exits once it has read
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    request = pickle.load(sys.stdin.buffer)
    with answers, collector_paused():  # it reads, answers and exits: nothing for the collector
        if isinstance(request, dict):  # the folder alone, sent by worker_start
            decimal.setcontext(request["numbers"])
            ctx, basis, paths = from_folder(Path(request["folder"]))
            claims, build_frames = request["claims"], ctx.system is not None and ctx.period is not None
            pickle.dump(Hello(basis), answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
        else:
            decimal.setcontext(request.numbers)  # parse amounts and shares exactly as the parent would
            ctx, paths, claims, build_frames = request.ctx, request.paths, request.claims, request.build_frames
        for path in paths:
            if not claim(claims, Path(path).name):
                continue
            read = read_one(Path(path), ctx)
            precheck(read, ctx)
            frames = prebuilt_frames(read, ctx) if build_frames else {}
            pickle.dump(Answer(pack(read), frames), answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()


def from_folder(folder: Path):  # type: ignore[no-untyped-def]
    """(the close's context, what it was made from, its workbooks largest first), as the parent makes them."""
    from finmodel.validate.close_context import close_context, context_basis, workbook_paths
    from finmodel.validate.log import FindingLog

    ctx, system_file, _ = close_context(folder, FindingLog())
    sizes = {p: p.stat().st_size for p in workbook_paths(folder)}
    paths = sorted(sizes, key=lambda p: (-sizes[p], p.name))
    if len(paths) > 1 and sizes[paths[0]] > max(sum(sizes[p] for p in paths[1:]), LEAVE_LARGEST_FROM_BYTES):
        # Larger than all the rest together: whoever reads it finishes last, and its tables
        # would then cross to the parent (~0.06 s a MB), more than this head start saves. It
        # is left for the parent, which takes the largest first; taken here only if still free.
        paths = paths[1:] + paths[:1]
    return ctx, context_basis(folder, system_file, decimal.getcontext()), paths


def prebuilt_frames(read, ctx) -> dict:  # type: ignore[no-untyped-def]
    """The frames of the workbook's sheets (``prebuild``), packed; one that will not pack is
    left for the parent to build."""
    from finmodel.validate.prebuild import frames_of, known_codes
    from finmodel.validate.wire import pack_frame

    packed = {name: pack_frame(frame, known_codes(read, name, frame)) for name, frame in frames_of(read, ctx).items()}
    return {name: frame for name, frame in packed.items() if frame is not None}
