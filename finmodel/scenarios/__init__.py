"""Scenario overlays on a close: risks, mitigations, shocks, standard cases and Monte Carlo.

- ``fields``: the file's value types (money, months, likelihoods, codes).
- ``file``: the scenario file's schema; ``load_scenario`` reads one with located findings.
- ``shocks/``: one module per parameter shock (its model, key, label, check and money),
  registered in ``shocks.SHOCKS``: the file's keys and the checks come from that tuple.
- ``context``: what the checks and shocks need of a stored close (``CloseContext``).
- ``check``: does a file fit the close it is run on (ids, organisations, months)? Findings only.
- ``register``, ``sharing``: register changes and risk shares turned into money.
- ``overlays``: ``apply_overlays``, the scenario laid over a close (pure).
- ``montecarlo``: the seeded, exact simulation of the register.
- ``cases``: ``standard_cases``, best/likely/worst, P10/P50/P90 and the bridge (pure).
- ``summary``: what a run hands to the store and the workbooks.

docs/scenarios.md describes the file format and every method.
"""
