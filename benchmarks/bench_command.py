"""The close as a user runs it: the whole ``finmodel close`` command, timed from outside.

    python benchmarks/bench_command.py --rows 1000000 --shape scaled --shape balanced --shape many_orgs
    python benchmarks/bench_command.py --rows 100000 --rounds 5 --baseline /tmp/finmodel-before

For each shape (``shapes.py``) and size, the runs are interleaved, one round after another,
so a change in the machine's load falls on all of them alike:

- ``raw``: a fresh ``python`` running the raw read (``timing.raw_read``: python-calamine,
  every sheet of every workbook, one after another). Its wall time is the whole process;
  it also reports the read alone, without interpreter start-up and imports;
- ``command``: ``finmodel close FOLDER --db ... --out ...`` into a fresh history and output
  folder: interpreter start-up, imports, validation (with its worker process), ledger,
  results, the SQLite history and the board pack;
- ``in_process``: ``record_close`` timed inside a fresh process after its imports
  (``bench_close.py``'s child), what ``bench_close.py`` reports as the close;
- ``baseline`` (with ``--baseline DIR``): the command again with ``PYTHONPATH=DIR``, an
  export of an earlier commit's ``finmodel/`` package, for before-and-after.

Peak memory is sampled every 10 ms as the sum of the resident sets of the command's
process and its children (the close and validation's worker, which run at once), and also
given as the largest single process's peak (``RUSAGE_CHILDREN``). The CPU seconds of the
command's own process and of its worker are sampled the same way: on a machine whose cores
are taken by other work, two processes do not get two cores, and the close's own CPU time
against the raw read's (``command_main_cpu_over_raw_cpu``) is what the wall-clock ratio
would be with a core each. The medians of the rounds are printed and every run is written
to ``--out``/<date>-command-<shape>-<rows>.json.

The packages timed are byte-compiled first (``byte_compile``), as an installed package is.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scaled_ics import ensure_scaled_ics  # noqa: E402
from shapes import SHAPES  # noqa: E402

RAW = (
    "import sys, time, pathlib; sys.path.insert(0, {here!r}); import timing; start = time.perf_counter(); "
    "timing.raw_read(pathlib.Path({folder!r})); print('SECONDS', time.perf_counter() - start)"
)


TICK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int, cpu: dict[int, float]) -> int:
    """Resident kB of a process and all its descendants; each one's CPU seconds so far into ``cpu``."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            fields = Path(f"/proc/{current}/stat").read_text().rpartition(")")[2].split()
            cpu[current] = max(cpu.get(current, 0.0), (int(fields[11]) + int(fields[12])) / TICK)  # utime + stime
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except (OSError, StopIteration, ValueError, IndexError):
            continue
    return total


def run(command: list[str], env: dict[str, str] | None = None) -> dict:
    """Wall seconds, CPU seconds, the tree's sampled peak and the largest child's peak."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]
    cpu: dict[int, float] = {}

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree(process.pid, cpu))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3),
        "peak_tree_mb": round(peak[0] / 1024, 1),
        "peak_process_mb": round(after.ru_maxrss / 1024, 1),  # the largest child so far: see docs
        "returncode": process.returncode,
        # CPU of the command's own process and of its children (validation's worker), as last
        # sampled: on an idle machine the close's own process is its critical path.
        "cpu_main_seconds": round(cpu.get(process.pid, 0.0), 2),
        "cpu_children_seconds": round(sum(v for k, v in cpu.items() if k != process.pid), 2),
    }
    for line in out.splitlines():
        if line.startswith("SECONDS "):
            figures["inside_seconds"] = round(float(line.split()[1]), 3)
        elif line.startswith("RESULT "):
            figures["inside_seconds"] = round(json.loads(line[len("RESULT "):])["seconds"], 3)
    if process.returncode != 0:
        figures["error"] = (err or out).strip().splitlines()[-3:]
    return figures


def one_round(folder: Path, baseline: str | None, code: str | None) -> dict[str, dict]:
    finmodel = str(Path(sys.executable).with_name("finmodel"))
    env = {**os.environ, "PYTHONPATH": code} if code else None
    with tempfile.TemporaryDirectory(prefix="bench-command-") as work:
        runs = {"raw": run([sys.executable, "-c", RAW.format(here=str(HERE), folder=str(folder))], env)}
        runs["command"] = run([finmodel, "close", str(folder), "--db", f"{work}/a.db", "--out", f"{work}/a"], env)
        runs["in_process"] = run([sys.executable, str(HERE / "bench_close.py"), "--child", "close", "--folder", str(folder), "--work", work], env)
        if baseline:
            env = {**os.environ, "PYTHONPATH": baseline}
            runs["baseline"] = run([finmodel, "close", str(folder), "--db", f"{work}/b.db", "--out", f"{work}/b"], env)
    return runs


def summary(rounds: list[dict[str, dict]]) -> dict[str, dict]:
    kinds = rounds[0].keys()
    med = lambda kind, key: statistics.median(r[kind][key] for r in rounds if key in r[kind])  # noqa: E731
    out = {kind: {key: med(kind, key) for key in ("wall_seconds", "cpu_seconds", "cpu_main_seconds", "cpu_children_seconds", "peak_tree_mb", "inside_seconds") if any(key in r[kind] for r in rounds)} for kind in kinds}
    raw_wall, raw_inside = out["raw"]["wall_seconds"], out["raw"].get("inside_seconds")
    ratios = {"command_over_raw_process": [r["command"]["wall_seconds"] / r["raw"]["wall_seconds"] for r in rounds]}
    if raw_inside:
        ratios["command_over_raw_read"] = [r["command"]["wall_seconds"] / r["raw"]["inside_seconds"] for r in rounds]
        ratios["in_process_over_raw_read"] = [r["in_process"]["inside_seconds"] / r["raw"]["inside_seconds"] for r in rounds]
    ratios["command_main_cpu_over_raw_cpu"] = [r["command"]["cpu_main_seconds"] / r["raw"]["cpu_seconds"] for r in rounds]
    if "baseline" in kinds:
        ratios["baseline_over_raw_read"] = [r["baseline"]["wall_seconds"] / r["raw"]["inside_seconds"] for r in rounds]
    out["ratios_median"] = {k: round(statistics.median(v), 3) for k, v in ratios.items()}
    out["ratios_each_round"] = {k: [round(x, 3) for x in v] for k, v in ratios.items()}
    out["raw_wall_median"], out["raw_inside_median"] = raw_wall, raw_inside
    return out


def byte_compile(code: str | None, baseline: str | None) -> None:
    """Byte-compile the packages timed, as ``pip install`` does: with PYTHONDONTWRITEBYTECODE
    set (as on the benchmark machine) each command would otherwise compile finmodel's ~160
    modules from source, ~0.5 s of CPU that an installed finmodel never spends."""
    spec = importlib.util.find_spec("finmodel")
    installed = list(spec.submodule_search_locations or []) if spec else []
    for folder in [*(str(Path(c) / "finmodel") for c in (code, baseline) if c), *([] if code else installed)]:
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append", help="ledger rows (repeat; default 100000)")
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append", help="ICS shape (repeat; default all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="an exported finmodel/ package's parent folder, timed as the command too")
    parser.add_argument("--code", help="time this exported finmodel/ package's parent folder (PYTHONPATH) instead of the installed one")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/finmodel-bench"))
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    byte_compile(args.code, args.baseline)
    date = dt.date.today().isoformat()
    for rows in args.rows or [100_000]:
        for shape in args.shape or sorted(SHAPES):
            folder, record = ensure_scaled_ics(args.cache, rows, shape=shape)
            rounds = []
            for number in range(args.rounds):
                rounds.append(one_round(folder, args.baseline, args.code))
                print(f"{shape} {rows:,} round {number + 1}: " + ", ".join(f"{k} {v['wall_seconds']:.2f} s" for k, v in rounds[-1].items()), flush=True)
            figures = {"shape": shape, "rows": rows, "bytes": record.get("bytes"), "rounds": rounds, "median": summary(rounds)}
            print(json.dumps(figures["median"], indent=1), flush=True)
            path = args.out / f"{date}-command-{shape}-{rows}.json"
            path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
