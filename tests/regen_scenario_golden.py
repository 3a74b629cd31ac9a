"""Regenerate the golden scenario figures of the example ICS: ``python -m tests.regen_scenario_golden``.

The standard scenario (the register as it stands, the board pack's) and
scenarios/example-recovery.yaml on the example ICS's M10 close, as the demo runs them
(10,000 iterations, the default seed and the file's own): every case and Monte Carlo
figure by organisation and for the ICS, and every step of the example's bridge, in pence.
Run it after a deliberate change to a scenario figure, and review the diff of
tests/golden/scenarios/ like code: a library upgrade that moves a Monte Carlo figure
(numpy's generator, its percentiles) shows there as a changed line.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from finmodel.example import write_example
from finmodel.pipeline import close
from finmodel.scenarios.cases import standard_cases
from finmodel.scenarios.file import load_scenario
from finmodel.scenarios.summary import ScenarioSummary
from finmodel.system_config import parse_system

GOLDEN = Path(__file__).parent / "golden" / "scenarios"
EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "example-recovery.yaml"
CASES = ("target", "base_fot", "best", "likely", "worst", "p10", "p50", "p90", "probability_meeting_target")


def _csv(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def example_summaries(m10: Path | None = None) -> tuple[ScenarioSummary, ScenarioSummary]:
    """(standard, example-recovery) on the example ICS's M10 close: the folder ``m10`` (only
    read), or, without it, the example written afresh."""
    if m10 is not None:
        outcome = close(m10)
    else:
        with tempfile.TemporaryDirectory() as folder:
            outcome = close(write_example(Path(folder))[-1])
    assert outcome.ok and outcome.results is not None and outcome.inputs is not None
    system, _ = parse_system(outcome.inputs.system_yaml)
    scenario, findings = load_scenario(EXAMPLE)
    assert system is not None and scenario is not None and findings == [], findings
    return standard_cases(outcome.results, system), standard_cases(outcome.results, system, scenario)


def golden_files(summaries: tuple[ScenarioSummary, ...]) -> dict[str, str]:
    """{file name: CSV text}: the cases of every summary, and the bridge of each."""
    cases = [(s.name, s.close, s.iterations, s.seed, r.row, *(getattr(r, c) for c in CASES)) for s in summaries for r in s.rows]
    bridge = [(s.name, i, b.org, b.overlay, b.description, b.amount) for s in summaries for i, b in enumerate(s.bridge)]
    return {
        "cases.csv": _csv(("scenario", "close", "iterations", "seed", "row", *CASES), cases),
        "bridge.csv": _csv(("scenario", "step", "org", "overlay", "description", "amount"), bridge),
    }


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    wanted = golden_files(example_summaries())
    for name, text in wanted.items():
        (GOLDEN / name).write_text(text, encoding="utf-8", newline="")
    print(f"wrote {len(wanted)} golden scenario tables to {GOLDEN}")


if __name__ == "__main__":
    main()
