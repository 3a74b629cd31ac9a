"""Validation's worker process, started early: beside the close command's own imports.

The worker (``validate.worker``) is a fresh interpreter that imports pandas and the reader
before it can read a workbook: about half a second. Started when reading begins, that half
second is on the close's critical path, and it is why a small close was read in one
process. The close command starts it first thing (``start_spare_worker``), before it
imports the model, so the two interpreters import at once on two cores; the reading then
hands the waiting worker its request (``take_spare_worker``, from ``validate.parallel``).
A spare never taken (a close too small to share, or one that failed before reading) is
stopped at exit. Only the standard library here: importing this module must cost nothing.
"""

from __future__ import annotations

import atexit
import os
import pickle
import subprocess
import sys

# Run as `python -P -c BOOT`: take the parent's sys.path from stdin, then the worker's main(),
# which waits on stdin for its request (``validate.wire.Request``).
BOOT = "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); from finmodel.validate.worker import main; main()"

_spare: list[subprocess.Popen[bytes]] = []


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


def start_spare_worker() -> None:
    """Start a worker to be taken by the next close's reading (one at most; none on one core)."""
    if _spare or _cores() < 2:
        return
    process = launch_worker()
    if process is not None:
        if not _spare_registered:
            atexit.register(stop_spare_worker)
            _spare_registered.append(True)
        _spare.append(process)


_spare_registered: list[bool] = []


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on (Linux)
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def spare_ready() -> bool:
    """A spare worker is waiting (its start-up already paid)."""
    return any(p.poll() is None for p in _spare)


def take_spare_worker() -> subprocess.Popen[bytes] | None:
    """The spare worker, still waiting for its request; None when there is none (or it died)."""
    while _spare:
        process = _spare.pop()
        if process.poll() is None:
            return process
        _close(process)
    return None


def stop_spare_worker() -> None:
    while _spare:
        process = _spare.pop()
        process.kill()
        _close(process)


def _close(process: subprocess.Popen[bytes]) -> None:
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass
