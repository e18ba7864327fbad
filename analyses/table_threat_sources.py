"""Sources of threat coded, by alignment and member, and their tallies (ours).

Writes ``output/table_threat_sources.csv`` / ``.md`` (one row per member and threat) and
``output/table_threat_sources_tally.csv`` / ``.md``, computed by
:func:`walt_alliances.tables.book.threat_sources` and ``threat_sources_tally``.
"""

from __future__ import annotations

from pathlib import Path

from walt_alliances.report.report import write_table
from walt_alliances.tables.book import threat_sources, threat_sources_tally

OUT = Path(__file__).resolve().parent / "output"


def main(out_dir: Path = OUT) -> list[Path]:
    return (write_table(out_dir, "table_threat_sources", threat_sources(),
                        "Sources of threat by alignment, member and threat (ours)")
            + write_table(out_dir, "table_threat_sources_tally", threat_sources_tally(),
                          "Sources of threat: tallies (ours)", table_id="threat_sources_tally"))


if __name__ == "__main__":
    for p in main():
        print(p)
