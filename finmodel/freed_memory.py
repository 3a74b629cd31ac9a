"""The C allocator told to keep the memory a close frees, for reuse, instead of giving it back.

Reading a million-row sheet makes and frees blocks of megabytes again and again (a chunk of
XML, the arrays the safety scan compares it with, a block of rows, a typed column). glibc's
malloc gives a block over its threshold to the kernel as soon as it is freed (unmapped, or
trimmed off the top of the heap) and the next one is mapped afresh, so every page of it is
faulted in again: a process reading pay.xlsx at 1M rows took 650,000 page faults and 1.0 s
of system time, against 260,000 and 0.4 s for python-calamine's read of the same sheet
alone. With large blocks served from the heap and the heap not trimmed, it took 265,000
faults, 0.6 s less CPU, and the same peak memory (``benchmarks/bench_read_one.py``;
``docs/performance.md``, seventh round).

Only the commands that read a close call this (and the worker that reads beside them): their
process ends soon after, so memory kept for reuse is never memory held from the machine for
long. A program using finmodel as a library keeps its allocator as it was.
"""

from __future__ import annotations

import ctypes
import platform
import sys

# glibc's mallopt parameters (malloc.h) and the values set.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD_BYTES = 32 * 2**20  # the highest that glibc's own sliding threshold reaches on 64-bit
TRIM_THRESHOLD_BYTES = 2**30  # free memory above the heap's top given back only beyond this

_applied: list[bool] = []


def keep_freed_memory() -> bool:
    """Set glibc's thresholds for this process (once); False where it is not glibc (macOS,
    Windows, musl), which keep their own allocators' ways and lose nothing but this speed."""
    if _applied:
        return _applied[0]
    _applied.append(_set_thresholds())
    return _applied[0]


def _set_thresholds() -> bool:
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    # mallopt answers 1 when it took the value; the order matters: setting either turns
    # glibc's sliding thresholds off, and the trim threshold must not be left at its default.
    return mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1 and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
