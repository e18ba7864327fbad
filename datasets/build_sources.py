"""Build walt_alliances/data/sources/ (the whole state system's source tables) from raw files.

Usage::

    python datasets/build_sources.py [--external-dir DIR] [--out-dir DIR]

Reads every raw file the measures need (verified against the registry's size and sha256) and
writes one Parquet file per source (zstd, pandas metadata) plus ``provenance.json`` recording
each source's name, version and sha256, the builder, row counts, year coverage and the sha256 of
every file written. The COW formal alliance files are never read or written. See
:mod:`walt_alliances.sources.shipped`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from walt_alliances.sources.registry import resolve_external_dir
from walt_alliances.sources.shipped import write_source_tables

OUT_DIR = Path(__file__).resolve().parents[1] / "walt_alliances" / "data" / "sources"

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--external-dir", default=None,
                    help="raw datasets folder (default: WALT_EXTERNAL_DIR or ../shared/external)")
    ap.add_argument("--out-dir", default=str(OUT_DIR), help="output folder")
    args = ap.parse_args()
    ext = resolve_external_dir(args.external_dir)
    for p in write_source_tables(args.out_dir, ext, builder="datasets/build_sources.py"):
        print("wrote", p, p.stat().st_size, "bytes")
