"""The example ICS end to end as a job, from a fresh clone with no network.

The demo records into the close history the other commands read by default
(``finmodel.db`` in its folder), so `finmodel history`, `report`, `export` and `scenario`
work straight after it. It starts that history afresh each run, so it can be run again
and again, and refuses to touch one that holds any other system's closes: a real close
history is never replaced by the example's. Its closes carry fixed
close times (the example's own calendar), so the demo's board packs are the same bytes on
every run and every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finmodel.calendar import month_label

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
        close = f"{last.year} {month_label(last.month)}"
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
    others = _other_systems(db)
    if others:
        return DemoDone(inputs_dir, db, refused=(
            f"{db} holds closes of {', '.join(others)}: the demo would replace that history. "
            "Run it in another folder: finmodel demo --out DEMO_FOLDER"))
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    progress("Writing the example ICS inputs")
    folders = write_example(inputs_dir)
    closes = []
    for folder in folders:
        month = int(folder.name.lstrip("M"))
        done = record_close(folder, db, out, made_at=DEMO_CLOSE_TIMES.get(month), progress=progress, force=True)
        if not done.outcome.ok:
            messages = "; ".join(f.message for f in done.outcome.errors[:5])
            raise RuntimeError(f"the example ICS failed validation, which is a bug in finmodel: {messages}")
        closes.append(done)
    return DemoDone(inputs_dir / folders[0].parent.name, db, tuple(closes))


def _other_systems(db: Path) -> list[str]:
    """Systems other than the example's with closes in ``db`` (none when there is no file)."""
    if not db.is_file():
        return []
    try:
        with open_store(db) as store:
            names = {c.system_name for c in store.history()}
    except StoreError:
        return [f"an unreadable database ({db})"]
    return sorted(names - {EXAMPLE_SYSTEM_NAME})
