"""Putting the board pack's files in place all together, never half-written.

Every file is first written in full to a temporary file beside its final name, then each
is os.replace()d into place (atomic on one file system). If anything fails before that,
the temporaries are removed and the previous files are left as they were.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _file_mode() -> int:
    """What open() would give a new file: mkstemp's private 0600 is wrong for shared outputs."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def replace_all(contents: dict[Path, bytes]) -> tuple[Path, ...]:
    temps: dict[Path, Path] = {}
    mode = _file_mode()
    try:
        for final, data in contents.items():
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
            temps[final] = Path(name)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(name, mode)
        for final, temp in temps.items():
            os.replace(temp, final)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
    return tuple(contents)
