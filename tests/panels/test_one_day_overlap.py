"""A pair aligned for a single day is aligned in that year (the UAR's EGY-SYR day).

Kills the mutant ``lo < hi`` for ``lo <= hi`` in ``alignment_dyad_years``: the UAR record gives
Syria's membership as one day, 1 February 1958 (COW drops Syria from the system on that day), so
the overlap of Egypt's and Syria's spells starts and ends on the same day.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from walt_alliances.panels.verbs import alignment_dyad_years

REPO = Path(__file__).resolve().parents[2]


def test_the_uar_record_gives_syria_a_one_day_membership():
    # the known answer, read from the record itself (not from the code under test)
    rec = yaml.safe_load((REPO / "datasets" / "alignments" / "uar.yaml").read_text())
    syr = next(m for m in rec["members"] if m["actor"] == "SYR")
    assert rec["start"] == "1958-02-01" and syr.get("end") == "1958-02-01"
    assert syr.get("start") in (None, "1958-02-01")


def test_a_one_day_overlap_gives_an_aligned_year_in_both_directions():
    rows = alignment_dyad_years()
    uar = rows[rows["alignment_id"] == "uar"]
    for a, b in (("EGY", "SYR"), ("SYR", "EGY")):
        years = uar[(uar["actor1"] == a) & (uar["actor2"] == b)]["year"].tolist()
        assert years == [1958], (a, b, years)
