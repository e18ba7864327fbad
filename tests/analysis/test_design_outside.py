"""Which outside states count as a threat source (``outside.SOURCE_RULE``), and the count of
pair-years by outside or non-state source that the readings and the report quote."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis.designs import bopbot as B
from walt_alliances.analysis.designs import outside as O


def test_counts_as_source_by_hand():
    contig = np.array([0, 1, 5, 0, 0, np.nan, 0])
    intent = np.array([0.0, 0.0, 0.0, 0.01, np.nan, 0.0, -0.0])
    assert O.counts_as_source(contig, intent).tolist() == [False, True, True, True, False,
                                                           False, False]


def test_non_state_sources_without_hostile_acts_are_left_out():
    from tests.analysis.test_design_nonstate import toy_panel

    x = O.extra_threat_sources(toy_panel({"R2": 1}), non_state=True)
    # only R2 was acted against; R1, R3 and the superpowers face no threat from N at all
    assert x[["actor1", "actor2"]].values.tolist() == [["R2", "N"]]
    assert x["threat_index"].tolist() == pytest.approx([1 - np.exp(-1)])
    assert O.extra_threat_sources(toy_panel(), non_state=True).empty


@pytest.fixture(scope="module")
def shipped(external_dir):
    from walt_alliances.analysis.designs import build_panel
    from walt_alliances.panels.study import shipped_study

    st = shipped_study()
    p = build_panel(st)
    every = O.outside_threats(st, p, str(external_dir), rule=False)
    return st, p, every, O.outside_threats(st, p, str(external_dir))


@pytest.mark.external
def test_outside_threats_keep_neighbours_and_hostile_states_only(shipped):
    st, p, every, ot = shipped
    assert list(ot.columns) == ["actor1", "actor2", "year", *O.THREAT_COLUMNS, "contig"]
    # the rule, row by row; and everything it keeps is in the unfiltered table
    assert (ot["contig"].between(1, 5) | (ot["threat_intent"] > 0)).all()
    keep = every["contig"].between(1, 5) | (every["threat_intent"] > 0)
    pd.testing.assert_frame_equal(every[keep].reset_index(drop=True), ot)
    pairs = set(zip(ot["actor2"], ot["actor1"], strict=True))
    # the cases that motivated the extension still count ...
    for source, target in (("COW:IND", "PAK"), ("COW:GRC", "TUR"), ("COW:CYP", "TUR"),
                           ("COW:ETH", "SUD"), ("COW:AFG", "PAK"), ("COW:SPN", "MOR"),
                           ("COW:CHN", "PAK")):
        assert (source, target) in pairs, (source, target)
    # ... distant China with no hostile record towards Israel, Egypt or Jordan does not
    for target in ("ISR", "EGY", "JOR", "SYR", "IRQ"):
        assert ("COW:CHN", target) in set(zip(every["actor2"], every["actor1"], strict=True))
        assert ("COW:CHN", target) not in pairs
    # the proximity component could not carry the rule: it is positive at any distance
    far = every[(every["actor2"] == "COW:CHN") & (every["actor1"] == "ISR")]
    assert (far["threat_proximity"] > 0).all() and (far["threat_proximity"] < 0.05).all()


@pytest.mark.external
def test_shared_outside_threat_counts_for_both_members(shipped):
    st, p, every, ot = shipped
    m = B.bop_bot_measures(p, non_state=True, outside_threats=ot)
    out = m[m["bot_source"].str.startswith("COW:")]
    assert len(out)
    ok = set(zip(ot["actor1"], ot["actor2"], ot["year"], strict=True))
    for r in out.itertuples(index=False):
        assert (r.actor1, r.bot_source, r.year) in ok and (r.actor2, r.bot_source, r.year) in ok
    # the artifact is gone: China is no longer the shared threat of Israel, Egypt or Jordan
    # and the USSR (it was, through raw power and reach, before the rule)
    old = B.bop_bot_measures(p, non_state=True, outside_threats=every)
    for a in ("EGY", "ISR", "JOR"):
        sel = lambda d, a=a: d[(d["actor1"] == a) & (d["actor2"] == "RUS")]  # noqa: E731
        assert (sel(old)["bot_source"] == "COW:CHN").any()
        assert not (sel(m)["bot_source"] == "COW:CHN").any()
    assert (m["bot_source"] == "COW:CHN").sum() < (old["bot_source"] == "COW:CHN").sum() / 5


@pytest.mark.external
def test_threat_source_counts_on_the_shipped_data(shipped):
    st, p, every, ot = shipped
    bs = B.bop_bot_sample(p, measures=B.bop_bot_measures(p, non_state=True,
                                                          outside_threats=ot))
    c = O.threat_source_counts(st, bs["bot_source"])
    assert list(c.columns) == ["source", "name", "kind", "pair_years", "hostile_acts"]
    outs = c[c["kind"] == "outside_state"]
    assert set(outs["source"]) == {f"COW:{a}" for a in O.OUTSIDE_STATES.values()}
    counts = bs["bot_source"].astype(str).value_counts()
    for r in outs.itertuples(index=False):
        assert r.pair_years == counts.get(r.source, 0)
    assert outs["pair_years"].is_monotonic_decreasing
    ns = c[c["kind"] == "non_state"]
    actors = st["actors"]
    assert set(ns["source"]) == set(actors.loc[actors["kind"] == "non_state", "actor_id"])
    acts = st["hostile_acts"]
    for r in ns.itertuples(index=False):  # acts by or against it, counted here independently
        assert r.hostile_acts == int(((acts["actor_id"] == r.source)
                                      | (acts["target_id"] == r.source)).sum())
        assert r.pair_years == 0  # no coded act, no threat
