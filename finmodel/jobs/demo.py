"""The example ICS end to end as a job, from a fresh clone with no network.

The demo keeps its own database beside its outputs and starts it afresh each run, so it
can be run again and again; a real close history is never touched. Its closes carry fixed
close times (the example's own calendar), so the demo's board packs are the same bytes on
every run and every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finmodel.example import write_example
from finmodel.jobs.close import CloseDone, record_close
from finmodel.jobs.progress import Progress, quiet

DEMO_DB = "finmodel-demo.db"
# When the example's closes were "made": working day 8 after each month end.
DEMO_CLOSE_TIMES = {9: "2024-01-11T09:00:00Z", 10: "2024-02-12T09:00:00Z"}


@dataclass(frozen=True)
class DemoDone:
    inputs: Path
    db: Path
    closes: tuple[CloseDone, ...]

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
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    progress("Writing the example ICS inputs")
    folders = write_example(inputs_dir)
    closes = []
    for folder in folders:
        month = int(folder.name.lstrip("M"))
        done = record_close(folder, db, out, made_at=DEMO_CLOSE_TIMES.get(month), progress=progress)
        if not done.outcome.ok:
            messages = "; ".join(f.message for f in done.outcome.errors[:5])
            raise RuntimeError(f"the example ICS failed validation, which is a bug in finmodel: {messages}")
        closes.append(done)
    return DemoDone(inputs_dir / folders[0].parent.name, db, tuple(closes))
