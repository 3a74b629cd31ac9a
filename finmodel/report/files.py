"""Putting a set of files in place all together: after a crash, the old set or the new set.

Every file is first written in full (and fsync'd) to a temporary file beside its final
name. Then a journal listing each temporary and its final name is put in place atomically,
the temporaries are os.replace()d over the finals one by one (each atomic on one file
system), and the journal is removed. A kill before the journal leaves the old set (its
temporaries are cleaned up by the next write); a kill after it leaves a journal that the
next write, or ``finish_interrupted``, rolls forward to the complete new set. So a board
pack and its tables never stay half old, half new.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

JOURNAL = ".finmodel-replacing.json"
_TEMP_SUFFIX = ".tmp"


def _file_mode() -> int:
    """What open() would give a new file: mkstemp's private 0600 is wrong for shared outputs."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _common_folder(paths: list[Path]) -> Path:
    return Path(os.path.commonpath([str(p.parent.resolve()) for p in paths]))


def _write_temp(final: Path, data: bytes, mode: int) -> Path:
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=_TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def finish_interrupted(folder: Path) -> tuple[Path, ...]:
    """Roll forward a set replacement a crash interrupted in ``folder``; the finals it completed."""
    journal = Path(folder) / JOURNAL
    if not journal.is_file():
        return ()
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except ValueError:
        pairs = []  # the journal itself was never put in place whole: the old set stands
    done = []
    for temp, final in pairs:
        if Path(temp).is_file():
            os.replace(temp, final)
            done.append(Path(final))
    journal.unlink()
    return tuple(done)


def clean_stale_temps(folder: Path) -> None:
    """Temporaries a crash left before its journal existed: never part of any set."""
    for path in Path(folder).rglob(f".*{_TEMP_SUFFIX}"):
        if path.is_file():
            path.unlink(missing_ok=True)


def replace_all(contents: dict[Path, bytes]) -> tuple[Path, ...]:
    finals = [Path(p) for p in contents]
    if not finals:
        return ()
    for final in finals:
        final.parent.mkdir(parents=True, exist_ok=True)
    folder = _common_folder(finals)
    finish_interrupted(folder)
    clean_stale_temps(folder)
    mode = _file_mode()
    temps: dict[Path, Path] = {}
    try:
        for final, data in contents.items():
            temps[Path(final)] = _write_temp(Path(final), data, mode)
        pairs = [[str(t), str(f)] for f, t in temps.items()]
        journal_temp = _write_temp(folder / JOURNAL, json.dumps(pairs).encode("utf-8"), mode)
        temps[folder / JOURNAL] = journal_temp
        os.replace(journal_temp, folder / JOURNAL)  # from here on, the new set is committed
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
    del temps[folder / JOURNAL]
    for final, temp in temps.items():
        os.replace(temp, final)
    (folder / JOURNAL).unlink()
    return tuple(contents)
