"""Analysis: estimation and the tests of Walt's hypotheses.

Owns the estimation engine (``estimation``: statsmodels logits, separation check, Firth
fallback, duration terms), the variances for dyadic data (``inference``: dyadic-robust,
dyad-clustered, two-way, actor jackknife, wild actor bootstrap) and the hypothesis
specifications with the code that fits and summarises them (``hypotheses``). Designs added
later (partner choice, duration, prediction) live here too.

May import: ``walt_alliances.panels`` and every layer below it. Not tables, report or the CLI.
"""
