"""Balancing vs bandwagoning: alliances and national commitments, by group (ours).

Writes ``output/table_balancing_vs_bandwagoning.csv`` / ``.md``, computed by
:func:`walt_alliances.tables.book.balancing_vs_bandwagoning` (rules in its docstring).
"""

from __future__ import annotations

from pathlib import Path

from walt_alliances.report.report import write_table
from walt_alliances.tables.book import balancing_vs_bandwagoning

OUT = Path(__file__).resolve().parent / "output"


def main(out_dir: Path = OUT) -> list[Path]:
    return write_table(out_dir, "table_balancing_vs_bandwagoning", balancing_vs_bandwagoning(),
                       "Balancing vs bandwagoning: alliances and national commitments (ours)",
                       table_id="balancing_vs_bandwagoning")


if __name__ == "__main__":
    for p in main():
        print(p)
