"""A pair aligned for a single day is aligned in that year (the UAR's EGY-SYR day).

Kills the mutant ``lo < hi`` for ``lo <= hi`` in ``alignment_dyad_years``. Syria is a member
of the UAR for its whole life (1 February 1958 to 28 September 1961, ``part_of_union``), but
the panels count a union member only on days it exists as a state, and the COW state system
ends Syria's first spell on 1 February 1958: Egypt and Syria then share exactly one day, so
their overlap starts and ends on the same day.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import yaml

from walt_alliances.panels.verbs import alignment_dyad_years

REPO = Path(__file__).resolve().parents[2]


def _one_day_by_hand() -> tuple[dt.date, dt.date]:
    """EGY-SYR overlap in the UAR, from the record and the COW spells (not the code under test)."""
    rec = yaml.safe_load((REPO / "datasets" / "alignments" / "uar.yaml").read_text())
    syr = next(m for m in rec["members"] if m["actor"] == "SYR")
    egy = next(m for m in rec["members"] if m["actor"] == "EGY")
    assert syr.get("part_of_union") is True
    a0 = dt.date.fromisoformat(rec["start"])
    a1 = dt.date.fromisoformat(rec["end"])
    s0 = max(a0, dt.date.fromisoformat(syr.get("start") or rec["start"]))
    s1 = min(a1, dt.date.fromisoformat(syr.get("end") or rec["end"]))
    e0 = max(a0, dt.date.fromisoformat(egy.get("start") or rec["start"]))
    e1 = min(a1, dt.date.fromisoformat(egy.get("end") or rec["end"]))
    with open(REPO / "walt_alliances" / "data" / "cow_state_system.csv", newline="") as fh:
        spells = [(dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"]))
                  for r in csv.DictReader(fh) if r["ccode"] == "652"]
    days = [(max(s0, e0, a), min(s1, e1, b)) for a, b in spells]
    return next((lo, hi) for lo, hi in days if lo <= hi)


def test_egypt_and_syria_share_one_day_in_the_uar():
    lo, hi = _one_day_by_hand()
    assert lo == hi == dt.date(1958, 2, 1)


def test_a_one_day_overlap_gives_an_aligned_year_in_both_directions():
    rows = alignment_dyad_years()
    uar = rows[rows["alignment_id"] == "uar"]
    for a, b in (("EGY", "SYR"), ("SYR", "EGY")):
        years = uar[(uar["actor1"] == a) & (uar["actor2"] == b)]["year"].tolist()
        assert years == [1958], (a, b, years)
