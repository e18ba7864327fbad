"""Designs matched to each of Walt's hypotheses, and a predictive test of balance of threat.

Each module builds the estimation sample of one design from the prepared directed dyad-year
panel and fits it with a maintained library (statsmodels):

- :mod:`.partner`: balancing against bandwagoning as a choice of partner (conditional logit);
- :mod:`.bopbot`: balance of power against balance of threat, redefined, compared in sample
  (Vuong) and out of sample (AUC, Brier and log scores; :mod:`.scores`);
- :mod:`.ideology` and :mod:`.duration`: ideology on onset, and pan-Arabism as a hazard of
  alignment termination (Cox model);
- :mod:`.aid`: the timing of aid around alignment onsets (event study, cross-lagged models);
- :mod:`.penetration`: instruments of penetration apart from security cooperation;
- :mod:`.uncertainty`: coding resamples and threat-index specifications.

:func:`run_designs` runs them all and returns :class:`DesignResults` (plain DataFrames:
``results``, ``prediction``, ``uncertainty`` ...); :func:`write_designs` writes them.
"""

from .readings import design_readings, summary_markdown
from .run import DesignResults, build_panel, run_designs, write_designs

__all__ = ["DesignResults", "build_panel", "design_readings", "run_designs", "summary_markdown",
           "write_designs"]
