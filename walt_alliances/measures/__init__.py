"""Measures: state-year and dyad-year covariates, and the threat index.

Owns the shipped derived measures and their coverage (``shipped``), the configurable dyadic
threat index and common threat (``threat``), and the builder that makes the measures from the raw
external files (``build``).

May import: ``walt_alliances.records``, ``walt_alliances.sources`` and the leaf modules
(``errors``, ``_io``). Not panels, analysis, tables, report or the CLI.
"""
