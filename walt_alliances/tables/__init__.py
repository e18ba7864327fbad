"""Tables: the book's tables computed from the data, and their published counterparts.

Owns the book-style tables (``book``), the transcribed published tables and their cell-by-cell
comparison (``published``), the Appendix 1 style listing (``listing``) and the cross-check of
the records against ATOP (``crosscheck``).

May import: ``walt_alliances.analysis`` and every layer below it. Not report or the CLI.
"""
