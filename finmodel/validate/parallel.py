"""Reading a close's workbooks on more than one core.

Parsing the sheet XML is most of a close at scale. Threads do not help: typing the cells
holds the GIL. So a worker process (``worker``) reads workbooks beside this one and hands
back their tables, and the frames it built from them. The two share the workbooks by what
they cost, as a small work queue: both go down one list, largest file first, and each takes
the next workbook the other has not taken (``wire.claim``). Whichever finishes a workbook
first takes the next, so neither waits for the other whatever the workbooks' sizes (one
pay.xlsx as big as all the rest, or four ledgers of a size) and however busy the machine.
Each workbook is read by ``workbook.read_one`` wherever it runs, and the results are taken
in contract order, so the inputs and findings are the same whichever process read what.

The worker is a plain child interpreter (``worker``), not multiprocessing: multiprocessing's
spawn re-runs the caller's main script in the child (a user's script without an
``if __name__ == "__main__"`` guard would run twice), and fork is unsafe beside the CLI's
progress thread. It gets this process's interpreter flags, ``sys.path`` and decimal
context, and never the working directory on its path, so it runs the same code the same
way; its answers are unpickled with an allow-list of the classes they are made of. It costs about half a second to start (a fresh interpreter
importing pandas), so small closes are read here, one workbook after another, unless the
close command started one beside its own imports (``worker_start``: then from 1 MB). If the
worker cannot start, dies, or answers nonsense, its workbooks are read here instead:
slower, never different.
"""

from __future__ import annotations

import decimal
import io
import os
import pickle
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from finmodel.close_inputs import TextCodes
from finmodel.validate.context import Context
from finmodel.validate.prebuild import frames_of, known_codes, text_codes
from finmodel.validate.prechecks import precheck
from finmodel.validate.wire import Answer, Answers, Hello, Request, claim, pack, unpack, unpack_frame
from finmodel.validate.workbook import WorkbookRead, read_one
from finmodel.worker_start import Spare, launch_worker, spare_ready, spare_worker, stop_spare_worker, take_spare_worker

__all__ = ["PARALLEL_FROM_BYTES", "Prebuilt", "WorkbookRead", "pack", "plan", "read_close", "read_workbooks", "unpack", "usable_cores"]

# Below this many bytes of workbooks beside the largest, a worker's start-up would cost
# about as much as it saves (measured: ~0.4 s to start, ~0.25 s to read each MB of .xlsx).
PARALLEL_FROM_BYTES = 4 * 2**20
# A worker started beside the command's imports (``worker_start``) has paid its start-up: it
# is worth sharing from much less (its answers still cost ~0.1 s per MB to pack and take).
SPARE_FROM_BYTES = 2**20


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on (Linux)
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def plan(sizes: dict[Path, int], workers: int, from_bytes: int = PARALLEL_FROM_BYTES) -> tuple[list[Path], bool]:
    """(the workbooks in the order they are taken, largest first; whether a worker shares them).

    One worker is all a close can use on two cores; none with one core, or when the
    workbooks beside the largest are too small for a worker to pay its start-up.
    """
    ordered = sorted(sizes, key=lambda p: (-sizes[p], p.name))
    shared = workers >= 2 and len(ordered) >= 2 and sum(sizes[p] for p in ordered[1:]) >= from_bytes
    return ordered, shared


@dataclass
class Prebuilt:
    """Frames the worker built (frame name -> frame) and the codes of their text columns."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    codes: dict[tuple[str, str], TextCodes] = field(default_factory=dict)


def read_workbooks(paths: list[Path], ctx: Context, workers: int | None = None) -> list[WorkbookRead]:
    """Every workbook read and typed, in the order of ``paths`` (``read_close`` without its frames)."""
    return read_close(paths, ctx, workers)[0]


def read_close(
    paths: list[Path], ctx: Context, workers: int | None = None, basis: str | None = None,
) -> tuple[list[WorkbookRead], Prebuilt]:
    """Every workbook read and typed, in the order of ``paths``, and the frames built beside.

    ``workers``: how many processes may read, this one included (default: the usable cores).
    ``basis``: what ``ctx`` was made from (``close_context.context_basis``); a worker already
    reading this folder (``worker_start``) is joined only if it made its context from the same.
    """
    workers = usable_cores() if workers is None else workers
    if workers < 2:
        _stop_reading_spare()
    early = _early_worker(paths, basis) if workers >= 2 else None
    ordered, shared = plan({p: _size(p) for p in paths}, workers, SPARE_FROM_BYTES if spare_ready() else PARALLEL_FROM_BYTES)
    shared = shared or early is not None
    claims = early.claims if early is not None else tempfile.mkdtemp(prefix="finmodel-claims-") if shared else None
    try:
        # The largest is claimed here before a waiting worker is told: it would otherwise race
        # for it, and its tables would then have to cross to this process. A worker already
        # reading took it a second before this process got here, unless it is larger than
        # all the rest together and than 8 MB (``worker.LEAVE_LARGEST_FROM_BYTES``): then it
        # is left for this process, and this loop takes it first.
        first = claims is not None and early is None and claim(claims, ordered[0].name)
        worker = _Worker(early.process) if early is not None else _Worker.start(ordered, claims, ctx) if claims else None
        try:
            reads: dict[Path, WorkbookRead] = {}
            for i, path in enumerate(ordered):  # each claimed only when this process is free to read it
                if worker is None or (i == 0 and first) or claim(claims, path.name):  # type: ignore[arg-type]
                    reads[path] = read_one(path, ctx)
            prebuilt = _prebuild(list(reads.values()), ctx)  # while the worker finishes its last
            hello, answered = worker.results() if worker else (None, [])
        except BaseException:  # Ctrl-C or out of memory here: the worker's answer is not wanted
            if worker is not None:
                worker.stop()
            raise
    finally:
        if claims:
            shutil.rmtree(claims, ignore_errors=True)
    if early is not None and (hello is None or hello.basis != basis):
        answered = []  # it made another context (system.yaml changed since it started): read here
    _take_answers(answered, {p.name: p for p in ordered if p not in reads}, reads, prebuilt)
    for path in ordered:
        if path not in reads:  # the worker claimed it but failed: read it here
            reads[path] = read_one(path, ctx)
    return [reads[p] for p in paths], prebuilt


def _early_worker(paths: list[Path], basis: str | None) -> Spare | None:
    """The spare worker, if it is already reading the folder of ``paths`` (and can be checked)."""
    spare = spare_worker()
    if spare is None or spare.folder is None:
        return None
    folders = {os.path.abspath(p.parent) for p in paths}
    if basis is None or folders - {spare.folder}:
        stop_spare_worker()  # reading something else, or nothing to check it against
        return None
    return take_spare_worker()


def _stop_reading_spare() -> None:
    """A spare worker sent a folder is reading it: with one process asked for, it is stopped,
    not left to take a core from this one until the program exits."""
    spare = spare_worker()
    if spare is not None and spare.folder is not None:
        stop_spare_worker()


def _prebuild(reads: list[WorkbookRead], ctx: Context) -> Prebuilt:
    prebuilt = Prebuilt()
    for read in reads:
        precheck(read, ctx)
        for name, frame in frames_of(read, ctx).items():
            prebuilt.frames[name] = frame
            prebuilt.codes.update(text_codes(name, frame, known_codes(read, name, frame)))
    return prebuilt


def _take_answers(answered: list[Answer], claimed: dict[str, Path], reads: dict[Path, WorkbookRead], prebuilt: Prebuilt) -> None:
    for answer in answered:
        if answer.read.filename not in claimed:
            continue
        reads[claimed[answer.read.filename]] = unpack(answer.read)
        for name, packed in answer.frames.items():
            try:
                frame, codes = unpack_frame(packed)
            except Exception:  # noqa: BLE001, S112 - not a frame after all: built here instead
                continue
            prebuilt.frames[name] = frame
            prebuilt.codes.update({(name, column): known for column, known in codes.items()})


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
    def start(cls, paths: list[Path], claims: str, ctx: Context) -> _Worker | None:
        # A spare worker started beside the command's imports, or a new one; either has been
        # sent this process's sys.path. Paths absolute: a spare may have started elsewhere.
        spare = take_spare_worker()
        process = spare.process if spare is not None else launch_worker()
        if process is None:
            return None
        try:
            assert process.stdin is not None
            request = Request([os.path.abspath(p) for p in paths], claims, ctx, decimal.getcontext(), ctx.system is not None and ctx.period is not None)
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

    def results(self) -> tuple[Hello | None, list[Answer]]:
        """(what a worker sent only the folder made its context from, the workbooks it finished;
        fewer, or none, if it failed part way)."""
        self.reader.join()
        self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()
        hello, answers = None, []
        stream = io.BytesIO(self.answer)
        while stream.tell() < len(self.answer):
            try:
                answer = Answers(stream).load()
            except Exception:  # noqa: BLE001 - a truncated or foreign answer: keep what came whole
                break
            if isinstance(answer, Hello) and hello is None and not answers:
                hello = answer
                continue
            if not isinstance(answer, Answer) or not isinstance(answer.read, WorkbookRead):
                break
            answers.append(answer)
        return hello, answers
