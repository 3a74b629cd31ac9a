"""The example ICS for the tests: written once a run (the ``example_ics`` fixture of
conftest.py), copied for a test that changes it.

Writing the example takes seconds; copying its files takes milliseconds. A test that only
reads the example's folders (validates or closes them, writing its outputs and database
elsewhere) may use the shared ``example_ics``. A test that writes into them (a workbook,
system.yaml, a reports/ folder) takes its own copy with ``copy_example``, never the shared
one: the run fails at its end if the shared files were changed. The tests of the writer
itself (tests/test_example.py) still call ``write_example``.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def copy_example(example_ics: tuple[Path, ...], dest: Path) -> tuple[Path, ...]:
    """A private copy of the shared example in ``dest``, laid out as ``write_example(dest)``
    writes it (dest/2023-24/system.yaml, M09, M10); returns its close folders, earliest first."""
    year = example_ics[0].parent
    shutil.copytree(year, Path(dest) / year.name)
    return tuple(Path(dest) / year.name / folder.name for folder in example_ics)


def digests(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
