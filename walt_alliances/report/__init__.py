"""Report: what people read. The reproduction report, its figures, and the codebook.

Owns the report (``report``: computes every table and test and writes HTML, Markdown, CSVs and a
manifest), the figures (``figures``) and the generated codebook (``codebook``).

May import: every layer below it. Only the CLI sits above it.
"""
