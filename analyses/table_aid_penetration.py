"""Aid and penetration: did they come before or after the alignment? (ours).

Writes ``output/table_aid_penetration.csv`` / ``.md`` (one row per aid record, US aid onset or
penetration episode) and ``output/table_aid_penetration_tally.csv`` / ``.md``, computed by
:func:`walt_alliances.tables.book.aid_and_penetration` and ``aid_and_penetration_tally``.
"""

from __future__ import annotations

from pathlib import Path

from walt_alliances.report.report import write_table
from walt_alliances.tables.book import aid_and_penetration, aid_and_penetration_tally

OUT = Path(__file__).resolve().parent / "output"


def main(out_dir: Path = OUT) -> list[Path]:
    return (write_table(out_dir, "table_aid_penetration", aid_and_penetration(),
                        "Aid and penetration relative to alignment (ours)")
            + write_table(out_dir, "table_aid_penetration_tally", aid_and_penetration_tally(),
                          "Aid and penetration: tallies (ours)",
                          table_id="aid_and_penetration_tally"))


if __name__ == "__main__":
    for p in main():
        print(p)
