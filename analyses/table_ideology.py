"""Ideology: similar and dissimilar alignments, their durations, and the unions (ours).

Writes ``output/table_ideology.csv`` / ``.md`` (one row per alignment),
``output/table_ideology_tally.csv`` / ``.md`` and ``output/table_ideology_unions.csv`` / ``.md``,
computed by :func:`walt_alliances.tables.book.ideology`, ``ideology_tally`` and
``pan_arab_unions`` (rules in their docstrings).
"""

from __future__ import annotations

from pathlib import Path

from walt_alliances.report.report import write_table
from walt_alliances.tables.book import ideology, ideology_tally, pan_arab_unions

OUT = Path(__file__).resolve().parent / "output"


def main(out_dir: Path = OUT) -> list[Path]:
    return (write_table(out_dir, "table_ideology", ideology(),
                        "Ideology: similar and dissimilar alignments and their durations (ours)")
            + write_table(out_dir, "table_ideology_tally", ideology_tally(),
                          "Ideology: tallies (ours)", table_id="ideology_tally")
            + write_table(out_dir, "table_ideology_unions", pan_arab_unions(),
                          "Unions of Arab states and how they ended (ours)",
                          table_id="pan_arab_unions"))


if __name__ == "__main__":
    for p in main():
        print(p)
