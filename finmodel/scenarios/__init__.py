"""Scenario overlays on a close: risks, mitigations, shocks, standard cases and Monte Carlo."""
