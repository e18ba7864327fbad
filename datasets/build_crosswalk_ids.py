"""Build walt_alliances/data/crosswalk_ids.json: the alliance ids ATOP 5.1 and COW 4.1 define.

Usage: python datasets/build_crosswalk_ids.py [--external-dir DIR]
(default ../shared/external, or the WALT_EXTERNAL_DIR environment variable).

``walt-alliances validate`` checks every record's ``crosswalk.atop`` and ``crosswalk.cow`` id
against these lists, so a mistyped id (999999, -5) is an error instead of a silent non-match.

Only the ids are shipped, with each source file's name, dataset, version and sha256 (verified
against the registry before reading). Nothing else of either file is copied: no members, dates or
obligations. For COW's Formal Alliances this matters: its maintainer asked software not to
redistribute or facilitate use of the data (see ../shared/external/README.md), so the package
ships no COW alliance data. The list of valid ``version4id`` values (the integers 1 to 414 in
v4.1) says only how many alliances the dataset numbers; it is needed to check our own crosswalk
and carries none of the dataset's content.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from walt_alliances._io import atomic_write_bytes
from walt_alliances.sources.registry import get_raw_file, raw_path

OUT = Path(__file__).resolve().parents[1] / "walt_alliances" / "data" / "crosswalk_ids.json"

#: crosswalk field -> (registry key of the raw file, id column)
SOURCES = {"atop": ("atop_alliances", "atopid"), "cow": ("cow_alliance_member", "version4id")}


def read_ids(path: Path, column: str) -> list[int]:
    """The distinct integer ids in one column of a CSV file, sorted."""
    ids: set[int] = set()
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value = float(row[column])  # COW writes some ids as "1.0"
            if value != int(value):
                raise ValueError(f"{path}: {column} {row[column]!r} is not an integer id")
            ids.add(int(value))
    return sorted(ids)


def build(external_dir: str | None = None) -> dict[str, object]:
    """Return the crosswalk id document (verifies each raw file's sha256 first)."""
    doc: dict[str, object] = {
        "builder": "datasets/build_crosswalk_ids.py",
        "notes": "Alliance ids only, to check records' crosswalk ids. No other content of the "
                 "source files is shipped (COW Formal Alliances: ids only, at the maintainer's "
                 "request that the data not be redistributed through software).",
    }
    for name, (key, column) in SOURCES.items():
        rf = get_raw_file(key)
        ids = read_ids(raw_path(key, external_dir), column)
        doc[name] = {"dataset": rf.dataset, "version": rf.version, "file": rf.path,
                     "sha256": rf.sha256, "column": column, "count": len(ids), "ids": ids}
    return doc


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--external-dir", default=None)
    args = ap.parse_args()
    data = build(args.external_dir)
    atomic_write_bytes(OUT, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    print("wrote", OUT)
