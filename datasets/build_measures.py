"""Build walt_alliances/data/measures/ (state_year.csv, dyad_year.csv, provenance.json) from
the raw external datasets. The logic lives in walt_alliances.measures.build, so that users can
rebuild measures for other actors and years from their own copies of the raw files.

Usage: python datasets/build_measures.py [--external-dir DIR] [--out-dir DIR]
"""

import sys

from walt_alliances.measures.build import main

if __name__ == "__main__":
    sys.exit(main())
