"""Build walt_alliances/data/cow_state_system.csv from the raw COW state list.

Usage: python datasets/build_state_system.py [--external-dir DIR]
(default ../shared/external, or the WALT_EXTERNAL_DIR environment variable).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from walt_alliances.sources.derived import build_all

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--external-dir", default=None)
    args = ap.parse_args()
    out = Path(__file__).resolve().parents[1] / "walt_alliances" / "data"
    for p in build_all(out, args.external_dir):
        print("wrote", p)
