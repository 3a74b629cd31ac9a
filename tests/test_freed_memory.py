"""The allocator thresholds the reading commands set (``finmodel.freed_memory``)."""

from __future__ import annotations

import ctypes
import platform
import subprocess
import sys

import pytest

from finmodel import freed_memory

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


class _FakeMallopt:
    def __init__(self, answer: int = 1) -> None:
        self.calls: list[tuple[int, int]] = []
        self.answer = answer
        self.argtypes = self.restype = None

    def __call__(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return self.answer


class _FakeLibc:
    def __init__(self, mallopt: _FakeMallopt) -> None:
        self.mallopt = mallopt


def _with_fake_libc(monkeypatch: pytest.MonkeyPatch, answer: int = 1) -> _FakeMallopt:
    mallopt = _FakeMallopt(answer)
    monkeypatch.setattr(freed_memory.ctypes, "CDLL", lambda _name: _FakeLibc(mallopt))
    monkeypatch.setattr(freed_memory.sys, "platform", "linux")
    monkeypatch.setattr(freed_memory.platform, "libc_ver", lambda: ("glibc", "2.36"))
    monkeypatch.setattr(freed_memory, "_applied", [])
    return mallopt


def test_both_thresholds_are_set_trim_first(monkeypatch: pytest.MonkeyPatch) -> None:
    mallopt = _with_fake_libc(monkeypatch)
    assert freed_memory.keep_freed_memory() is True
    assert mallopt.calls == [(-1, 2**30), (-3, 32 * 2**20)]
    assert mallopt.argtypes == (ctypes.c_int, ctypes.c_int)


def test_set_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    mallopt = _with_fake_libc(monkeypatch)
    freed_memory.keep_freed_memory()
    freed_memory.keep_freed_memory()
    assert len(mallopt.calls) == 2


def test_a_refused_value_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_fake_libc(monkeypatch, answer=0)
    assert freed_memory.keep_freed_memory() is False


@pytest.mark.parametrize(("system", "libc"), [("darwin", ("", "")), ("linux", ("musl", "1.2")), ("win32", ("", ""))])
def test_left_alone_where_the_allocator_is_not_glibc(monkeypatch: pytest.MonkeyPatch, system: str, libc: tuple[str, str]) -> None:
    mallopt = _with_fake_libc(monkeypatch)
    monkeypatch.setattr(freed_memory.sys, "platform", system)
    monkeypatch.setattr(freed_memory.platform, "libc_ver", lambda: libc)
    assert freed_memory.keep_freed_memory() is False
    assert mallopt.calls == []


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt: this machine's C library is another")
def test_the_real_allocator_takes_the_values() -> None:
    # In a fresh interpreter: this one's allocator is left as the tests found it.
    code = "from finmodel.freed_memory import keep_freed_memory; print(keep_freed_memory())"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "True"


def test_importing_finmodel_leaves_the_allocator_alone() -> None:
    code = "import finmodel.pipeline, finmodel.jobs, finmodel.freed_memory as f; print(f._applied)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
