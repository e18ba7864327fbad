"""Records: the coded data, from YAML files to validated, typed tables.

Owns the closed vocabularies (``vocab``), partial dates (``dates``), the pydantic record models
(``models``), the bibliography reader (``bib``), reading records from YAML with located errors
(``read``), the shipped tables' columns and dtypes (``schema``), the rules across records
(``validate``), compiling records into package data (``build``), the loaders of the shipped
tables (``load``) and citation (``cite``).

May import: ``walt_alliances.errors``, ``walt_alliances._io`` and ``walt_alliances.sources``
(the COW state system that says when an actor exists). Nothing above it.
"""
