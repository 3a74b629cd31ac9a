"""The example ICS end to end as a job, from a fresh clone with no network.

The demo records into the close history the other commands read by default
(``finmodel.db`` in its folder), so `finmodel history`, `report`, `export` and `scenario`
work straight after it. It starts that history and the example's workbooks afresh each run,
so it can be run again and again, but only while they hold nothing but what a demo wrote:
a history with any other close (another system's, a reopening, another month) or a
scenario run, or an example workbook edited since, is work an analyst did in the folder
the README sends them to, and the demo refuses and leaves the folder as it was. Its closes
carry fixed close times (the example's own calendar), so the demo's board packs are the
same bytes on every run and every machine.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from finmodel.calendar import close_label

from finmodel.example import EXAMPLE_SYSTEM_NAME, write_example
from finmodel.jobs.close import CloseDone, record_close
from finmodel.jobs.progress import Progress, quiet
from finmodel.store import DEFAULT_DB, StoreError, open_store

EXAMPLE_SCENARIO = Path("scenarios") / "example-recovery.yaml"

DEMO_DB = DEFAULT_DB
# When the example's closes were "made": working day 8 after each month end.
DEMO_CLOSE_TIMES = {9: "2024-01-11T09:00:00Z", 10: "2024-02-12T09:00:00Z"}


@dataclass(frozen=True)
class DemoDone:
    inputs: Path
    db: Path
    closes: tuple[CloseDone, ...] = ()
    refused: str = ""  # why the demo left the folder as it was

    @property
    def next_commands(self) -> tuple[str, ...]:
        """What to run next, exactly as typed in the demo's folder."""
        if not self.closes or self.closes[-1].stored is None:
            return ()
        last = self.closes[-1].stored
        close = close_label(last.year, last.month)
        return ("finmodel history", f"finmodel report {close}", f"finmodel export {close}",
                f"finmodel scenario {EXAMPLE_SCENARIO.as_posix()}")

    @property
    def last(self) -> CloseDone:
        return self.closes[-1]

    @property
    def board_packs(self) -> tuple[Path, ...]:
        return tuple(p for c in self.closes for p in c.written if p.suffix == ".xlsx")


def run_demo(root: Path, progress: Progress = quiet) -> DemoDone:
    root = Path(root)
    inputs_dir, out = root / "inputs", root / "outputs"
    db = root / DEMO_DB
    work = _work_since_demo(db)
    if work:
        return DemoDone(inputs_dir, db, refused=(
            f"{db} holds {', '.join(work)}: the demo would replace that history. "
            "Run it in another folder (finmodel demo --out DEMO_FOLDER), or move that file away to start the demo afresh here"))
    progress("Writing the example ICS inputs")
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".finmodel-demo-") as fresh:
        written = write_example(Path(fresh))
        edited = _edited(Path(fresh), inputs_dir)
        if edited:
            shown = ", ".join(str(inputs_dir / e) for e in edited[:3]) + (f" and {len(edited) - 3} more" if len(edited) > 3 else "")
            return DemoDone(inputs_dir, db, refused=(
                f"{shown} changed since the demo wrote {'it' if len(edited) == 1 else 'them'}: the demo would overwrite "
                f"{'it' if len(edited) == 1 else 'them'}. Run it in another folder (finmodel demo --out DEMO_FOLDER), "
                f"or move {inputs_dir / written[0].parent.name} away to start the demo afresh here"))
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)
        _move_into(Path(fresh), inputs_dir)
    folders = tuple(inputs_dir / f.relative_to(fresh) for f in written)
    closes = []
    for folder in folders:
        month = int(folder.name.lstrip("M"))
        done = record_close(folder, db, out, made_at=DEMO_CLOSE_TIMES.get(month), progress=progress, force=True)
        if not done.outcome.ok:
            messages = "; ".join(f.message for f in done.outcome.errors[:5])
            raise RuntimeError(f"the example ICS failed validation, which is a bug in finmodel: {messages}")
        closes.append(done)
    return DemoDone(inputs_dir / folders[0].parent.name, db, tuple(closes))


def _work_since_demo(db: Path) -> list[str]:
    """What ``db`` holds that a demo did not record: other systems' closes, reopenings, other
    months, closes made at other times, scenario runs (none when there is no file)."""
    if not db.is_file():
        return []
    try:
        with open_store(db) as store:
            closes, runs = store.history(), store.scenario_runs()
    except StoreError:
        return [f"an unreadable database ({db})"]
    others = sorted({c.system_name for c in closes} - {EXAMPLE_SYSTEM_NAME})
    work = [f"closes of {', '.join(others)}"] if others else []
    for close in closes:
        if close.system_name != EXAMPLE_SYSTEM_NAME:
            continue
        label = close_label(close.year, close.month)
        if close.version > 1:
            work.append(f"{label} reopened (version {close.version})")
        elif DEMO_CLOSE_TIMES.get(close.month) != close.made_at:
            work.append(f"{label} closed on {close.made_at}")
    if runs:
        work.append(f"{len(runs)} scenario run{'s' if len(runs) > 1 else ''}")
    return work


def _edited(fresh: Path, inputs_dir: Path) -> list[str]:
    """The demo's files (as just written under ``fresh``) that exist under ``inputs_dir``
    with other bytes, as paths relative to both, in order."""
    edited = []
    for path in sorted(p for p in fresh.rglob("*") if p.is_file()):
        relative = path.relative_to(fresh)
        existing = inputs_dir / relative
        if existing.is_file() and existing.read_bytes() != path.read_bytes():
            edited.append(relative.as_posix())
        elif existing.exists() and not existing.is_file():
            edited.append(relative.as_posix())
    return edited


def _move_into(fresh: Path, inputs_dir: Path) -> None:
    """The demo's files into ``inputs_dir``, each replacing its old copy in one step (the
    temporary folder is on the same file system); other files there are left alone."""
    for path in sorted(p for p in fresh.rglob("*") if p.is_file()):
        target = inputs_dir / path.relative_to(fresh)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
