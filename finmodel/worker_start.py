"""Validation's worker process, started early: beside the close command's own imports.

The worker (``validate.worker``) is a fresh interpreter that imports pandas and the reader
before it can read a workbook: about half a second. Started when reading begins, that half
second is on the close's critical path, and it is why a small close was read in one
process. The close command starts it first thing (``start_spare_worker``), before it
imports the model, so the two interpreters import at once on two cores; the reading then
hands the waiting worker its request (``take_spare_worker``, from ``validate.parallel``).

Given the close folder (``start_spare_worker(folder)``), the worker is sent it at once with
a fresh folder for claims, and starts reading as soon as its own imports are done: it works
out the close's context itself (``validate.close_context``) and begins on the largest
workbook, about a second before this process has imported the model. The reading then
joins it, claiming workbooks by name from the same folder, and believes its answers only
if it made its context from the same basis (``context_basis``).

A spare never taken (a close too small to share, or one that failed before reading) is
stopped at exit. Only the standard library here: importing this module must cost nothing.
"""

from __future__ import annotations

import atexit
import decimal
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

# Run as `python -P -c BOOT`: take the parent's sys.path from stdin, then the worker's main(),
# which waits on stdin for its request (``validate.wire.Request``).
BOOT = "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); from finmodel.validate.worker import main; main()"



@dataclass(frozen=True)
class Spare:
    process: subprocess.Popen[bytes]
    folder: str | None = None  # the close folder it was sent and is reading (absolute), if any
    claims: str | None = None  # where the workbooks of that folder are claimed


_spare: list[Spare] = []


def launch_worker() -> subprocess.Popen[bytes] | None:
    """A worker that has been sent this process's ``sys.path``; None when it cannot start.

    The parent's interpreter flags (-I, -E, -W ...), and -P so the working directory is not
    importable: the worker runs the same code as this process.
    """
    command = [sys.executable, *subprocess._args_from_interpreter_flags(), "-P", "-c", BOOT]
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except (OSError, ValueError):
        return None
    try:
        assert process.stdin is not None
        process.stdin.write(pickle.dumps(list(sys.path), protocol=pickle.HIGHEST_PROTOCOL))
        process.stdin.flush()
    except OSError:  # it died at once (a broken pipe)
        process.kill()
        process.wait()
        return None
    return process


def start_spare_worker(folder: str | os.PathLike[str] | None = None) -> None:
    """Start a worker to be taken by the next close's reading (one at most; none on one core);
    given the close folder, it starts reading that folder's workbooks at once."""
    if _spare or _cores() < 2:
        return
    process = launch_worker()
    if process is None:
        return
    if not _spare_registered:
        atexit.register(stop_spare_worker)
        _spare_registered.append(True)
    if folder is None or not os.path.isdir(folder):
        _spare.append(Spare(process))
        return
    claims = tempfile.mkdtemp(prefix="finmodel-claims-")
    early = {"folder": os.path.abspath(folder), "claims": claims, "numbers": decimal.getcontext()}
    try:
        assert process.stdin is not None
        process.stdin.write(pickle.dumps(early, protocol=pickle.HIGHEST_PROTOCOL))
        process.stdin.close()
    except OSError:  # it died at once
        process.kill()
        _close(process)
        shutil.rmtree(claims, ignore_errors=True)
        return
    _spare.append(Spare(process, early["folder"], claims))


_spare_registered: list[bool] = []


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on (Linux)
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def spare_ready() -> bool:
    """A spare worker is waiting (its start-up already paid)."""
    return any(s.process.poll() is None for s in _spare)


def spare_worker() -> Spare | None:
    """The spare worker, if it is still running (not taken)."""
    return next((s for s in _spare if s.process.poll() is None), None)


def take_spare_worker() -> Spare | None:
    """The spare worker, still running; None when there is none (or it died)."""
    while _spare:
        spare = _spare.pop()
        if spare.process.poll() is None:
            return spare
        _end(spare)
    return None


def stop_spare_worker() -> None:
    while _spare:
        spare = _spare.pop()
        spare.process.kill()
        _end(spare)


def _end(spare: Spare) -> None:
    _close(spare.process)
    if spare.claims:
        shutil.rmtree(spare.claims, ignore_errors=True)


def _close(process: subprocess.Popen[bytes]) -> None:
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass
