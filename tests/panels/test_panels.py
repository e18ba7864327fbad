"""Panels: units, part-year rule, coverage, symmetry, metadata, and known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import walt_alliances as wa
from walt_alliances.panels.verbs import PanelError, great_circle_km


@pytest.fixture(scope="module")
def full():
    return wa.add_all(wa.create_dyad_years(1955, 1979))


def test_row_count_equals_independent_count_from_spells():
    spells = wa.load_actor_spells()
    act = wa.load_actors()  # outside states (named only as threats) are not in the universe
    spells = spells[spells["actor_id"].isin(act.loc[act["kind"] != "outside_state", "actor_id"])]
    n_by_year = {}
    for r in spells.itertuples(index=False):
        y0 = max(1955, r.start_first_day.year)
        y1 = min(1979, r.end_last_day.year if not pd.isna(r.end_last_day) else 9999)
        for y in range(y0, y1 + 1):
            n_by_year.setdefault(y, set()).add(r.actor_id)
    expected = sum(len(a) * (len(a) - 1) for a in n_by_year.values())
    assert len(wa.create_dyad_years(1955, 1979)) == expected
    assert len(wa.create_dyad_years(1955, 1979, directed=False)) == expected // 2
    assert len(wa.create_state_years(1955, 1979)) == sum(len(a) for a in n_by_year.values())


def test_add_functions_never_change_rows_and_keep_metadata(full):
    base = wa.create_dyad_years(1955, 1979)
    assert len(full) == len(base)
    info = wa.panel_info(full)
    assert info["unit"] == "directed-dyad-year"
    assert set(info["measures"]) == {"alignment", "capabilities", "ideology", "proximity",
                                     "conflict", "threat", "aid", "penetration"}
    assert (full[["actor1", "actor2", "year"]].to_numpy() ==
            base[["actor1", "actor2", "year"]].to_numpy()).all()


@settings(max_examples=15, deadline=None)
@given(start=st.integers(1955, 1979), span=st.integers(0, 6),
       n=st.integers(2, 8), seed=st.integers(0, 10_000),
       directed=st.booleans())
def test_property_one_row_per_dyad_year(start, span, n, seed, directed):
    end = min(1979, start + span)
    act = wa.load_actors()
    ids = sorted(act.loc[act["kind"] != "outside_state", "actor_id"])  # threats-only excluded
    rng = np.random.default_rng(seed)
    pick = list(rng.choice(ids, size=n, replace=False))
    p = wa.create_dyad_years(start, end, directed=directed, actors=pick)
    q = wa.add_all(p)
    assert len(q) == len(p)
    assert not p.duplicated(["actor1", "actor2", "year"]).any()
    if not directed:
        assert (p["actor1"] < p["actor2"]).all()


SYMMETRIC = ["aligned", "n_alignments", "contig", "capdist_km", "capdist_gc_km",
             "common_threat", "ideo_same_family", "ideo_pan_arab_pair", "mid_ongoing",
             "war_ongoing", "ideo_polity_absdiff"]


@pytest.mark.parametrize("col", SYMMETRIC)
def test_symmetric_measures_are_symmetric(full, col):
    a = full.set_index(["actor1", "actor2", "year"])[col]
    b = full.set_index(["actor2", "actor1", "year"])[col]
    b.index = b.index.set_names(["actor1", "actor2", "year"])
    joined = pd.concat([a, b.reindex(a.index)], axis=1, keys=["ab", "ba"])
    both_na = joined["ab"].isna() & joined["ba"].isna()
    same = (joined["ab"] == joined["ba"]).fillna(False)
    assert (both_na | same).all(), joined[~(both_na | same)].head()


def test_metadata_lost_gives_a_clear_error():
    p = wa.create_dyad_years(1960, 1961)
    bare = pd.DataFrame(p.to_dict("list"))
    with pytest.raises(PanelError, match="create_dyad_years"):
        wa.add_alignment(bare)


def test_unit_misuse_is_an_error():
    sy = wa.create_state_years(1960, 1961)
    with pytest.raises(PanelError, match="directed-dyad-year"):
        wa.add_aid(sy)
    with pytest.raises(PanelError, match="dyad"):
        wa.add_threat(sy)


def test_years_outside_coverage_are_an_error_or_missing():
    with pytest.raises(PanelError, match="cover 1950-1979"):
        wa.add_capabilities(wa.create_dyad_years(1945, 1950))
    p = wa.add_alignment(wa.create_dyad_years(1950, 1956))
    # alignment data are coded for 1955-1979 only: missing before, never a false zero
    assert p.loc[p["year"] < 1955, "aligned"].isna().all()
    assert p.loc[p["year"] >= 1955, "aligned"].notna().all()
    # onset needs the year before: missing in the first coded year
    assert p.loc[p["year"] == 1955, "onset"].isna().all()
    assert p.loc[p["year"] == 1956, "onset"].notna().all()


def test_bad_arguments():
    with pytest.raises(PanelError, match="after end"):
        wa.create_dyad_years(1970, 1960)
    with pytest.raises(PanelError, match="unknown actor"):
        wa.create_dyad_years(1960, 1961, actors=["XXX"])
    with pytest.raises(PanelError, match="integers"):
        wa.create_dyad_years("1960", 1961)


def test_kuwait_uk_onset_in_1961(full):
    # Exchange of notes 19 Jun 1961; Kuwait entered the state system that day.
    pair = full[(full["actor1"] == "KUW") & (full["actor2"] == "UKG")].set_index("year")
    assert pair.index.min() == 1961
    assert pair.loc[1961, "aligned"] == 1 and pair.loc[1961, "onset"] == 1
    assert pair.loc[1962, "onset"] == 0


def test_min_confidence_drops_low_confidence_alignments():
    al = wa.load_alignments()
    low = set(al.loc[al["confidence"] == "low", "alignment_id"])
    p = wa.add_alignment(wa.create_dyad_years(1955, 1979), min_confidence="medium")
    ids = set(";".join(p["alignment_ids"].dropna()).split(";")) - {""}
    assert ids and not ids & low


def test_exclude_alignment():
    p = wa.add_alignment(wa.create_dyad_years(1971, 1976),
                         exclude_alignments=["soviet-egyptian-treaty-1971"])
    ids = ";".join(p["alignment_ids"].dropna())
    assert "soviet-egyptian-treaty-1971" not in ids


def test_capabilities_equal_the_measures_table(full):
    from walt_alliances.measures.shipped import load_state_years

    sy = load_state_years().set_index(["ccode", "year"])["cinc"]
    row = full[(full["actor1"] == "EGY") & (full["actor2"] == "ISR") & (full["year"] == 1967)]
    assert row["cinc1"].iloc[0] == sy.loc[(651, 1967)]
    assert row["cinc2"].iloc[0] == sy.loc[(666, 1967)]


def test_non_state_actor_has_missing_state_measures(full):
    plo = full[full["actor1"] == "PLO"]
    assert len(plo) and plo["cinc1"].isna().all() and plo["threat_index"].isna().all()


def _law_of_cosines(lat1, lon1, lat2, lon2, r=6371.0088):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    d = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(d)
    return r * math.acos(max(-1.0, min(1.0, c)))


def test_great_circle_matches_an_independent_formula():
    caps = wa.load_capitals()
    pts = list(zip(caps["lat"], caps["lon"], strict=True))
    for (a, b), (c, d) in zip(pts, pts[1:], strict=False):
        assert great_circle_km(a, b, c, d) == pytest.approx(_law_of_cosines(a, b, c, d),
                                                            abs=0.01)


def test_capital_distances_agree_with_gleditsch(full):
    # Our capitals differ from Gleditsch's static list by design for Israel (Jerusalem),
    # Pakistan (Karachi, then Rawalpindi, before Islamabad) and Yemen (Ta'izz before 1962);
    # elsewhere only the coordinate points differ, so distances agree closely.
    d = full.dropna(subset=["capdist_gc_km", "capdist_km"])
    d = d[(d["capdist_km"] > 300) & ~d["actor1"].isin(["ISR", "PAK", "YAR"])
          & ~d["actor2"].isin(["ISR", "PAK", "YAR"])]
    rel = (d["capdist_gc_km"].astype(float) / d["capdist_km"].astype(float) - 1).abs()
    assert len(d) > 5000
    assert (rel < 0.10).mean() > 0.98 and (rel < 0.05).mean() > 0.95


def test_building_a_panel_does_not_load_the_modelling_stack():
    import subprocess
    import sys

    code = ("import sys, walt_alliances as wa; wa.add_all(wa.create_dyad_years(1960, 1961)); "
            "print('statsmodels' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"


def test_hostile_acts_columns_match_the_records(full):
    acts = wa.load_hostile_acts()
    expected = set()
    for r in acts.itertuples(index=False):
        y0 = int(r.start[:4])
        y1 = int(r.end[:4]) if isinstance(r.end, str) else y0
        expected |= {(r.target_id, r.actor_id, y) for y in range(max(y0, 1955), min(y1, 1979) + 1)}
    got = full[full["hostile_by_j"] == 1]
    assert set(zip(got["actor1"], got["actor2"], got["year"], strict=True)) == expected
    # prev5 counts act-years of the five previous years (EGY against JOR, 1961: 1956-1960)
    row = full[(full["actor1"] == "JOR") & (full["actor2"] == "EGY") & (full["year"] == 1961)]
    n = sum(1 for (t, a, y) in expected if (t, a) == ("JOR", "EGY") and 1956 <= y <= 1960)
    assert row["hostile_by_j_prev5"].iloc[0] == n
