"""One workbook read as the close reads it (``read_one``), in a fresh process per run: CPU,
system time and page faults, with glibc's allocator as the close command sets it or as
Python leaves it.

    python benchmarks/bench_read_one.py --rows 1000000 --workbook pay.xlsx --rounds 3

Each round runs both ways, one after the other (``freed_memory.keep_freed_memory`` called
first, or not), so a change in the machine's load falls on both alike. The figures are the
child's own, from ``getrusage`` after the read (its imports and the context excluded).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CHILD = """
import json, resource, sys, time
from pathlib import Path
keep = sys.argv[3] == "keep"
if keep:
    from finmodel.freed_memory import keep_freed_memory
    assert keep_freed_memory()
from finmodel.validate.close_context import close_context
from finmodel.validate.log import FindingLog
from finmodel.validate.workbook import read_one
folder = Path(sys.argv[1])
ctx, _, _ = close_context(folder, FindingLog())
before, start = resource.getrusage(resource.RUSAGE_SELF), time.process_time()
read_one(folder / sys.argv[2], ctx)
after, cpu = resource.getrusage(resource.RUSAGE_SELF), time.process_time() - start
print(json.dumps({"cpu_seconds": round(cpu, 3), "system_seconds": round(after.ru_stime - before.ru_stime, 3),
                  "page_faults": after.ru_minflt - before.ru_minflt, "peak_mb": round(after.ru_maxrss / 1024, 1)}))
"""


def main() -> None:
    from scaled_ics import ensure_scaled_ics
    from shapes import SHAPES

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="scaled")
    parser.add_argument("--workbook", default="pay.xlsx")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/finmodel-bench"))
    args = parser.parse_args()
    folder, _ = ensure_scaled_ics(args.cache, args.rows, shape=args.shape)
    runs: dict[str, list[dict]] = {"as_python_leaves_it": [], "freed_memory_kept": []}
    for number in range(args.rounds):
        for name, how in (("as_python_leaves_it", "leave"), ("freed_memory_kept", "keep")):
            out = subprocess.run([sys.executable, "-c", CHILD, str(folder), args.workbook, how], capture_output=True, text=True, check=True)
            runs[name].append(json.loads(out.stdout))
        print(f"round {number + 1}: " + "; ".join(f"{k} {v[-1]}" for k, v in runs.items()), flush=True)
    medians = {name: {key: statistics.median(r[key] for r in rs) for key in rs[0]} for name, rs in runs.items()}
    print(json.dumps({"workbook": args.workbook, "shape": args.shape, "rows": args.rows, "median": medians}, indent=1))


if __name__ == "__main__":
    main()
