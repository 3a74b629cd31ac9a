"""Reading and validating a close against the raw calamine read of the same files.

    python benchmarks/bench_validate.py                 # the example M10 close, scale 1
    python benchmarks/bench_validate.py --scale 80      # ~1M pay rows (writing takes minutes)
    python benchmarks/bench_validate.py --folder inputs/2023-24/M10

The baseline is what any reader must pay: python-calamine loading every sheet of every
workbook of the close into Python values (``to_python``). ``validate_close`` does that
plus the file-safety scan, typing, every rule and building the frames; the ratio says
what validation costs on top of reading. It is timed as it runs (two processes for a large
close) and on one core (``workers=1``). Each is timed as the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from timing import best_of, raw_read

from finmodel.findings import errors
from finmodel.validate import validate_close


def measure(folder: Path, repeat: int) -> None:
    raw_seconds, (_, cells) = best_of(repeat, lambda: raw_read(folder))
    one_process_seconds, _ = best_of(repeat, lambda: validate_close(folder, workers=1))
    validate_seconds, (inputs, findings) = best_of(repeat, lambda: validate_close(folder))  # type: ignore[misc]
    rows = 0 if inputs is None else sum(len(getattr(inputs, n)) for n in ("income", "pay", "nonpay", "agency"))
    print(f"folder           {folder}")
    print(f"cells read       {cells:,}  (ledger rows {rows:,})")
    print(f"raw calamine     {raw_seconds:8.3f} s")
    print(f"validate, 1 core {one_process_seconds:8.3f} s   ratio {one_process_seconds / raw_seconds:5.2f}")
    print(f"validate_close   {validate_seconds:8.3f} s   ratio {validate_seconds / raw_seconds:5.2f}"
          "   (a large close reads its other workbooks in a worker process)")
    print(f"findings         {len(findings):,} ({len(errors(findings)):,} errors)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", type=Path, help="a close folder to measure (default: write the example)")
    parser.add_argument("--scale", type=float, default=1.0, help="example scale when writing it")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.folder:
        measure(args.folder, args.repeat)
        return
    from finmodel.example import write_example

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        folders = write_example(Path(tmp), args.scale)
        print(f"example written  {time.perf_counter() - start:8.3f} s (scale {args.scale:g})")
        measure(folders[-1], args.repeat)


if __name__ == "__main__":
    main()
