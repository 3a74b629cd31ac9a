"""Reading a close's workbooks on more than one core.

Parsing the sheet XML is most of a close at scale, and one workbook (pay.xlsx, usually)
is as big as all the others together. Threads do not help: typing the cells holds the GIL.
So this process reads the largest workbook while a worker process (``worker``) reads the
rest, and hands back their tables. Each workbook is read by ``workbook.read_one`` wherever
it runs, and the results are taken in contract order, so the inputs and findings are the
same whichever process read what.

The worker is a plain child interpreter (``worker``), not multiprocessing: multiprocessing's
spawn re-runs the caller's main script in the child (a user's script without an
``if __name__ == "__main__"`` guard would run twice), and fork is unsafe beside the CLI's
progress thread. It gets this process's interpreter flags, ``sys.path`` and decimal
context, and never the working directory on its path, so it runs the same code the same
way; its answers are unpickled with an allow-list of the classes they are made of. It costs about half a second to start (a fresh interpreter
importing pandas), so small closes are read here, one workbook after another. If the
worker cannot start, dies, or answers nonsense, its workbooks are read here instead:
slower, never different.
"""

from __future__ import annotations

import decimal
import io
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

from finmodel.validate.context import Context
from finmodel.validate.wire import BOOT, Answers, pack, unpack
from finmodel.validate.workbook import WorkbookRead, read_one

__all__ = ["PARALLEL_FROM_BYTES", "WorkbookRead", "pack", "plan", "read_workbooks", "unpack", "usable_cores"]

# Below this many bytes of workbooks to hand over, a worker's start-up would cost about
# as much as it saves (measured: ~0.4 s to start, ~0.25 s to read each MB of .xlsx).
PARALLEL_FROM_BYTES = 4 * 2**20


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on (Linux)
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def plan(sizes: dict[Path, int], workers: int, from_bytes: int = PARALLEL_FROM_BYTES) -> tuple[list[Path], list[Path]]:
    """(read here, hand to the worker): here the largest file, the worker the rest.

    Everything is read here with one worker, or too little to hand over.
    """
    ordered = sorted(sizes, key=lambda p: (-sizes[p], p.name))
    if workers < 2 or len(ordered) < 2 or sum(sizes[p] for p in ordered[1:]) < from_bytes:
        return ordered, []
    return ordered[:1], ordered[1:]


def read_workbooks(paths: list[Path], ctx: Context, workers: int | None = None) -> list[WorkbookRead]:
    """Every workbook read and typed, in the order of ``paths``.

    ``workers``: how many processes may read, this one included (default: the usable cores).
    Two is all a close can use: the largest workbook alone takes as long as the rest.
    """
    workers = usable_cores() if workers is None else workers
    here, elsewhere = plan({p: _size(p) for p in paths}, workers, PARALLEL_FROM_BYTES)
    worker = _Worker.start(elsewhere, ctx) if elsewhere else None
    try:
        reads = {p: read_one(p, ctx) for p in here}
        answered = worker.results() if worker else []
    except BaseException:  # Ctrl-C or out of memory here: the worker's answer is not wanted
        if worker is not None:
            worker.stop()
        raise
    by_name = {p.name: p for p in elsewhere}
    for read in answered:
        if read.filename in by_name:
            reads[by_name[read.filename]] = unpack(read)
    for path in elsewhere:
        if path not in reads:  # the worker failed: read it here
            reads[path] = read_one(path, ctx)
    return [reads[p] for p in paths]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was listed: read_one reports it against the file
        return 0


class _Worker:
    """A child process reading workbooks; its answers are drained by a thread as they come."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.answer = b""
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    @classmethod
    def start(cls, paths: list[Path], ctx: Context) -> _Worker | None:
        # The parent's interpreter flags (-I, -E, -W ...), -P so the working directory is not
        # importable, and the parent's sys.path sent first: the same code as this process.
        command = [sys.executable, *subprocess._args_from_interpreter_flags(), "-P", "-c", BOOT]
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except (OSError, ValueError):
            return None
        try:
            assert process.stdin is not None
            request = ([str(p) for p in paths], ctx, decimal.getcontext())
            process.stdin.write(pickle.dumps(list(sys.path), protocol=pickle.HIGHEST_PROTOCOL))
            process.stdin.write(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
            process.stdin.close()
        except Exception:  # noqa: BLE001 - it died at once (a broken pipe), or ctx would not pickle
            process.kill()
            process.wait()
            return None
        return cls(process)

    def _drain(self) -> None:
        # Read while this process works, so the worker never waits on a full pipe.
        assert self.process.stdout is not None
        self.answer = self.process.stdout.read()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()

    def results(self) -> list[WorkbookRead]:
        """The workbooks the worker finished; fewer (or none) if it failed part way."""
        self.reader.join()
        self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()
        reads: list[WorkbookRead] = []
        stream = io.BytesIO(self.answer)
        while stream.tell() < len(self.answer):
            try:
                read = Answers(stream).load()
            except Exception:  # noqa: BLE001 - a truncated or foreign answer: keep what came whole
                break
            if not isinstance(read, WorkbookRead):
                break
            reads.append(read)
        return reads
