"""The balance of world power: CINC of US- and Soviet-aligned states by year (ours).

Writes ``output/table_world_power.csv`` / ``.md``, computed by
:func:`walt_alliances.tables.book.world_power_balance` from our alignments and COW NMC CINC
(``walt_alliances.measures.shipped.load_state_years``).
"""

from __future__ import annotations

from pathlib import Path

from walt_alliances.report.report import write_table
from walt_alliances.tables.book import world_power_balance

OUT = Path(__file__).resolve().parent / "output"


def main(out_dir: Path = OUT) -> list[Path]:
    return write_table(out_dir, "table_world_power", world_power_balance(),
                       "The balance of world power: CINC of US- and Soviet-aligned states (ours)",
                       table_id="world_power_balance")


if __name__ == "__main__":
    for p in main():
        print(p)
