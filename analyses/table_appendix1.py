"""Appendix 1: alignments 1955-1979 with members, years, threats and motives (ours).

Writes ``output/table_appendix1.csv`` / ``.md`` (one row per alignment) and
``output/table_appendix1_members.csv`` / ``.md`` (one row per membership spell), computed by
:func:`walt_alliances.tables.book.appendix1` from the project's codings.
"""

from __future__ import annotations

from pathlib import Path

from walt_alliances.report.report import write_table
from walt_alliances.tables.book import appendix1

OUT = Path(__file__).resolve().parent / "output"


def main(out_dir: Path = OUT) -> list[Path]:
    return (write_table(out_dir, "table_appendix1", appendix1(),
                        "Appendix 1: alignments with members, years, threats and motives (ours)",
                        table_id="appendix1")
            + write_table(out_dir, "table_appendix1_members", appendix1(level="member"),
                          "Appendix 1, member level (ours)"))


if __name__ == "__main__":
    for p in main():
        print(p)
