"""The example ICS's scenario figures are the reviewed golden ones (tests/golden/scenarios/).

A change to any case, Monte Carlo figure or bridge step of the standard scenario or of
scenarios/example-recovery.yaml on the example's M10 close fails here; when the change is
meant, regenerate with ``python -m tests.regen_scenario_golden`` and review the diff.
"""

from __future__ import annotations

import pytest

from tests.regen_scenario_golden import GOLDEN, example_summaries, golden_files


@pytest.fixture(scope="module")
def produced(example_ics) -> dict[str, str]:
    return golden_files(example_summaries(example_ics[-1]))  # the shared example, only read


@pytest.mark.parametrize("name", ["cases.csv", "bridge.csv"])
def test_the_example_scenarios_match_the_golden_figures(produced, name):
    assert (GOLDEN / name).read_text(encoding="utf-8") == produced[name], (
        f"{name} changed: if meant, run python -m tests.regen_scenario_golden and review the diff")
