"""Scenario overlays on a close: risks, mitigations, shocks, standard cases and Monte Carlo.

- ``file``: the scenario file's schema; ``load_scenario`` reads one with located findings.
- ``check``: does a file fit the close it is run on (ids, organisations, months)?
- ``register``, ``shocks``, ``sharing``: each kind of overlay turned into money.
- ``overlays``: ``apply_overlays``, the scenario laid over a close (pure).
- ``montecarlo``: the seeded, exact simulation of the register.
- ``cases``: ``standard_cases``, best/likely/worst, P10/P50/P90 and the bridge (pure).
- ``summary``: what a run hands to the store and the workbooks.

docs/scenarios.md describes the file format and every method.
"""
