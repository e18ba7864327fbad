"""Panels: the units of analysis and the verbs that build them.

Owns the data a study runs on (``study``: shipped or extended records with their measures), the
``create_*``/``add_*`` verbs for dyad-years and state-years (``verbs``), the whole-system
directed dyad-year panel (``global_panel``) and exports of tables and panels for other tools
(``export``).

May import: ``walt_alliances.measures``, ``walt_alliances.records``, ``walt_alliances.sources``
and the leaf modules. Not analysis, tables, report or the CLI.
"""
