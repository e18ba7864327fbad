"""Outside states and non-state actors as sources of the shared threat (the ``_ext`` rows).

Hand-built panels: which source the balance-of-threat measure must pick, and its components,
are computed here by hand from the threats typed in; on the shipped panel, invariants that
any correct extension satisfies; and the run's main rows must not move when the extension is
added.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis.designs import bopbot as B
from walt_alliances.analysis.designs import outside as O

KIND = {"R1": "regional_state", "R2": "regional_state", "R3": "regional_state",
        "USA": "superpower", "RUS": "superpower"}
CINC = {"R1": 0.3, "R2": 0.1, "R3": 0.2, "USA": 0.5, "RUS": 0.6}
# threat of study state k to a, (a, k) -> value; 0.1 elsewhere. R1 threatens R2 and R3 most
# among the states (min 0.3) and its components towards them are typed in COMP.
T = {("R2", "R1"): 0.35, ("R3", "R1"): 0.3}
COMP = {("R2", "R1"): (0.2, 0.3, 0.4, 0.5), ("R3", "R1"): (0.25, 0.2, 0.45, 0.35)}


def toy_panel(non_state_acts: dict[str, int] | None = None) -> pd.DataFrame:
    rows = []
    for a, k in itertools.permutations(KIND, 2):
        c = COMP.get((a, k), (0.1, 0.1, 0.1, 0.1))
        rows.append({"actor1": a, "actor2": k, "kind1": KIND[a], "kind2": KIND[k],
                     "year": 1960, "cinc1": CINC[a], "threat_index": T.get((a, k), 0.1),
                     "threat_power": c[0], "threat_proximity": c[1], "threat_offense": c[2],
                     "threat_intent": c[3], "hostile_by_j_prev5": 0})
    for a in KIND:  # a non-state actor N: rows both ways, with no threat score (as shipped)
        acts = (non_state_acts or {}).get(a, 0)
        rows.append({"actor1": a, "actor2": "N", "kind1": KIND[a], "kind2": "non_state",
                     "year": 1960, "cinc1": CINC[a], "hostile_by_j_prev5": acts})
        rows.append({"actor1": "N", "actor2": a, "kind1": "non_state", "kind2": KIND[a],
                     "year": 1960, "hostile_by_j_prev5": 0})
    p = pd.DataFrame(rows)
    p["hostile_by_j_prev5"] = p["hostile_by_j_prev5"].astype("Int64")
    return p


def outside_table(values: dict[tuple[str, str], tuple[float, ...]]) -> pd.DataFrame:
    """(target, source) -> (index, power, proximity, offense, intent)."""
    return pd.DataFrame([{"actor1": a, "actor2": k, "year": 1960,
                          **dict(zip(O.THREAT_COLUMNS, v, strict=True))}
                         for (a, k), v in values.items()])


def pair(m: pd.DataFrame, a: str, b: str) -> pd.Series:
    return m.set_index(["actor1", "actor2"]).loc[(a, b)]


def test_an_outside_state_that_threatens_both_most_is_the_source_with_its_own_components():
    p = toy_panel()
    ot = outside_table({("R2", "COW:XXX"): (0.6, 0.7, 0.5, 0.2, 0.9),
                        ("R3", "COW:XXX"): (0.5, 0.6, 0.55, 0.3, 0.1),
                        ("R1", "COW:XXX"): (0.05, 0.1, 0.1, 0.0, 0.0)})
    base = pair(B.bop_bot_measures(p), "R2", "R3")
    assert base["bot_source"] == "R1" and base["bot_index"] == pytest.approx(0.3)
    m = B.bop_bot_measures(p, outside_threats=ot)
    r = pair(m, "R2", "R3")
    # min(0.6, 0.5) = 0.5 beats R1's min(0.35, 0.3) = 0.3
    assert r["bot_source"] == "COW:XXX" and r["bot_index"] == pytest.approx(0.5)
    # each component the min of the same outside state's components towards R2 and R3
    assert [r["bot_power"], r["bot_proximity"], r["bot_offense"], r["bot_intent"]] == \
        pytest.approx([0.6, 0.5, 0.2, 0.1])  # power, proximity, offense, intent
    # never a pair member; the pairs, BoP and superpower terms do not move
    assert not (m["actor1"].str.startswith("COW:") | m["actor2"].str.startswith("COW:")).any()
    b0 = B.bop_bot_measures(p)
    pd.testing.assert_frame_equal(m[["actor1", "actor2", "year", *B.BOP_TERMS,
                                     "bot_superpower", "bot_source_sp"]],
                                  b0[["actor1", "actor2", "year", *B.BOP_TERMS,
                                      "bot_superpower", "bot_source_sp"]])
    # R1-R2: the outside state threatens R1 little (min 0.05): R1 is in the pair, so the
    # shared threat is the best third state among the rest, unchanged by the extension
    assert pair(m, "R1", "R2")["bot_source"] == pair(b0, "R1", "R2")["bot_source"]


def test_a_study_state_wins_a_tie_with_an_outside_state():
    ot = outside_table({("R2", "COW:XXX"): (0.3, 0.1, 0.1, 0.1, 0.1),
                        ("R3", "COW:XXX"): (0.4, 0.1, 0.1, 0.1, 0.1)})
    r = pair(B.bop_bot_measures(toy_panel(), outside_threats=ot), "R2", "R3")
    assert r["bot_source"] == "R1"


def test_non_state_sources_only_when_enabled():
    p = toy_panel({"R2": 2, "R3": 1})
    off = pair(B.bop_bot_measures(p), "R2", "R3")
    assert off["bot_source"] == "R1"
    r = pair(B.bop_bot_measures(p, non_state=True), "R2", "R3")
    # intent 1 - exp(-acts): min(0.8647, 0.6321) beats R1's 0.3
    assert r["bot_source"] == "N"
    assert r["bot_index"] == pytest.approx(1 - np.exp(-1))
    assert [r["bot_power"], r["bot_proximity"], r["bot_offense"], r["bot_intent"]] == \
        pytest.approx([0.0, 0.0, 0.0, 1 - np.exp(-1)])
    m = B.bop_bot_measures(p, non_state=True)
    assert not ((m["actor1"] == "N") | (m["actor2"] == "N")).any()  # never a pair member
    # no coded acts (the shipped data): a non-state threat of 0 never beats a state's
    r0 = pair(B.bop_bot_measures(toy_panel(), non_state=True), "R2", "R3")
    assert r0["bot_source"] == "R1"


def test_non_state_threat_rule_by_hand():
    from walt_alliances.measures.threat import ThreatSpec

    np.testing.assert_allclose(O.non_state_threat(np.array([0.0, 1.0, 2.0, np.nan])),
                               [0.0, 1 - np.exp(-1), 1 - np.exp(-2), np.nan])
    spec = ThreatSpec(hostile_act_weight=2.0, intent_scale=4.0)
    np.testing.assert_allclose(O.non_state_threat(np.array([2.0]), spec), [1 - np.exp(-1)])


def test_partner_choice_uses_the_same_non_state_rule():
    from walt_alliances.analysis.designs import partner as P

    p = toy_panel({"R2": 2})
    p = p.assign(aligned=0, onset=0, cinc2=p["actor2"].map(CINC), log_capdist=1.0)
    att = P.partner_attributes(p, non_state=True)
    n = att[(att["actor1"] == "R2") & (att["actor2"] == "N")]
    assert n["threat_index"].tolist() == pytest.approx([1 - np.exp(-2)])


def test_an_outside_id_that_is_a_study_state_is_refused():
    ot = outside_table({("R2", "R1"): (0.9, 0.9, 0.9, 0.9, 0.9)})
    with pytest.raises(ValueError, match="never pair members"):
        B.bop_bot_measures(toy_panel(), outside_threats=ot)


def test_non_state_sources_need_the_hostile_acts_column():
    with pytest.raises(KeyError, match="hostile_by_j_prev5"):
        B.bop_bot_measures(toy_panel().drop(columns=["hostile_by_j_prev5"]), non_state=True)


def test_outside_table_without_components_is_refused():
    ot = outside_table({("R2", "COW:XXX"): (0.6, 0.7, 0.5, 0.2, 0.9)})
    with pytest.raises(KeyError, match="threat_power"):
        B.bop_bot_measures(toy_panel(), outside_threats=ot.drop(columns=["threat_power"]))


def test_shipped_panel_invariants_with_random_outside_threats():
    """Adding sources can only raise the shared threat; where it rises, the new source's
    threat to both members is exactly the new value; elsewhere nothing moves."""
    from walt_alliances.analysis.designs import build_panel
    from walt_alliances.panels.study import shipped_study

    p = build_panel(shipped_study())
    states = p[p["kind1"].isin(["regional_state", "outside_power", "superpower"])]
    targets = states.drop_duplicates(["actor1", "year"])[["actor1", "year"]]
    rng = np.random.default_rng(7)
    ot = pd.concat([targets.assign(actor2=src) for src in ("COW:AAA", "COW:BBB")],
                   ignore_index=True)
    ot = ot.assign(**{c: rng.uniform(0, 0.8, len(ot)) for c in O.THREAT_COLUMNS})
    m0 = B.bop_bot_measures(p)
    m = B.bop_bot_measures(p, outside_threats=ot)
    assert (m[["actor1", "actor2", "year"]].to_numpy() ==
            m0[["actor1", "actor2", "year"]].to_numpy()).all()
    ok = m0["bot_index"].notna().to_numpy()
    assert (m["bot_index"].to_numpy()[ok] >= m0["bot_index"].to_numpy()[ok]).all()
    moved = m["bot_source"] != m0["bot_source"]
    assert moved.any() and m.loc[moved, "bot_source"].str.startswith("COW:").all()
    th = ot.set_index(["actor1", "actor2", "year"])
    for r in m[moved].sample(50, random_state=1).itertuples(index=False):
        t1 = th.loc[(r.actor1, r.bot_source, r.year)]
        t2 = th.loc[(r.actor2, r.bot_source, r.year)]
        assert r.bot_index == pytest.approx(min(t1["threat_index"], t2["threat_index"]))
        assert r.bot_intent == pytest.approx(min(t1["threat_intent"], t2["threat_intent"]))
    same = ~moved.to_numpy()
    pd.testing.assert_frame_equal(m[same].reset_index(drop=True),
                                  m0[same].reset_index(drop=True))


def test_prediction_on_arrays_equals_the_frame_fits_to_the_bit():
    """The folds fit on arrays (faster); the probabilities must equal fitting each fold's frame
    with :func:`fit_logit_plain`, bit for bit (AUC ties depend on it)."""
    rng = np.random.default_rng(3)
    n = 400
    d = pd.DataFrame({"year": np.repeat(np.arange(1956, 1976), 20),
                      "contiguous": rng.integers(0, 2, n).astype(float),
                      "log_capdist": rng.normal(7, 1, n),
                      "superpower_in_pair": rng.integers(0, 2, n).astype(float),
                      "aligned_lag1": rng.integers(0, 2, n).astype(float),
                      **{t: rng.uniform(0, 1, n) for t in (*B.BOP_TERMS, *B.BOT_TERMS)}})
    d["aligned"] = (rng.uniform(size=n) < 0.3).astype("int64")
    folds = B.block_folds(d["year"].to_numpy(), B.CV_BLOCKS)
    got = pd.DataFrame(B._score_models(d, "aligned", "cv", folds, "_ext"))
    assert got["model"].tolist() == [f"{m}_ext_aligned" for m in B.MODELS]
    from walt_alliances.analysis.designs.scores import score_forecast

    for model, row in zip(B.MODELS, got.itertuples(index=False), strict=True):
        terms = B.model_terms(model, "aligned")
        ys, ps = [], []
        for train, test in folds:
            res = B.fit_logit_plain(d[train], "aligned", terms)
            ys.append(d["aligned"].to_numpy()[test])
            ps.append(B._predict(res, d[test], terms))
        want = score_forecast(np.concatenate(ys), np.concatenate(ps))
        assert row.auc == want["auc"] and row.log_score == want["log_score"]


@pytest.mark.slow
@pytest.mark.external
def test_main_rows_do_not_move_when_the_extension_is_added(external_dir):
    """run_designs with the outside threats adds rows (the partner-choice variant and the
    _ext rows); every other row, Holm p and verdict included, equals the run without."""
    from walt_alliances.analysis.designs import run_designs

    with_ext = run_designs(draws=0, outside=True)
    without = run_designs(draws=0, outside=False)
    r = with_ext.results
    extra = r["model_id"].str.endswith("_ext") | (
        r["model_id"] == "partner_choice_state_year_outside_threats")
    assert set(r.loc[extra, "model_id"]) == {
        "bot_redefined_aligned_ext", "bot_redefined_onset_ext",
        "h3_duration_pair_alignment_ext", "partner_choice_state_year_outside_threats"}
    pd.testing.assert_frame_equal(r[~extra].reset_index(drop=True), without.results)
    pe = with_ext.prediction
    ext = pe["model"].str.contains("_ext_")
    pd.testing.assert_frame_equal(pe[~ext].reset_index(drop=True), without.prediction)
    assert set(pe.loc[ext, "evaluation"]) == {"cv_5y_blocks", "holdout_1970_1979"}
    assert len(pe[ext]) == len(pe[~ext])
    c = with_ext.comparison
    pd.testing.assert_frame_equal(c[~c["outcome"].str.endswith("_ext")], without.comparison)
    assert c["outcome"].tolist()[-2:] == ["aligned_ext", "onset_ext"]
    for mid in ("bot_redefined_aligned_ext", "h3_duration_pair_alignment_ext"):
        assert mid in with_ext.samples
    assert any("outside state" in n and "non-state" in n for n in with_ext.notes)
    # readings: the main ones unchanged; the _ext ones quote the _ext numbers
    from walt_alliances.analysis.designs import design_readings

    rd = design_readings(with_ext)
    is_ext = rd["model_id"].str.endswith("_ext")
    rd0 = design_readings(without)
    keep = rd["model_id"] != "partner_choice_variants"  # quotes the outside partner variant
    pd.testing.assert_frame_equal(rd[~is_ext & keep].reset_index(drop=True),
                                  rd0[rd0["model_id"] != "partner_choice_variants"]
                                  .reset_index(drop=True))
    assert set(rd.loc[is_ext, "model_id"]) == {
        "threat_sources_ext", "bop_vs_bot_aligned_ext", "bop_vs_bot_onset_ext",
        "prediction_aligned_ext", "prediction_onset_ext", "h3_duration_pair_alignment_ext"}
    ts = with_ext.threat_sources  # the counts the readings and the report quote
    n_out = int(ts.loc[ts["kind"] == "outside_state", "pair_years"].sum())
    n_all = len(with_ext.samples["bot_redefined_aligned_ext"])
    assert any(f"the shared threat of {n_out} of {n_all} pair-years is an outside state" in n
               for n in with_ext.notes)
    assert without.threat_sources.empty
    text = rd.set_index("model_id")["reading"]
    hold = pe.set_index(["model", "evaluation"])
    auc = hold.loc[("bot_ext_aligned", "holdout_1970_1979"), "auc"]
    auc0 = hold.loc[("bot_aligned", "holdout_1970_1979"), "auc"]
    assert f"{auc:.3f}" in text["prediction_aligned_ext"]
    assert f"{auc0:.3f}" in text["prediction_aligned_ext"]
    v = c.set_index("outcome").loc["onset_ext", "vuong_statistic_bic"]
    assert f"statistic {v:.2f}" in text["bop_vs_bot_onset_ext"]


@pytest.mark.external
def test_outside_threats_carry_the_components_of_their_index(external_dir):
    """The old columns first; the default index is the mean of the four components."""
    from walt_alliances.analysis.designs import build_panel
    from walt_alliances.panels.study import shipped_study

    st = shipped_study()
    ot = O.outside_threats(st, build_panel(st), str(external_dir))
    assert list(ot.columns) == ["actor1", "actor2", "year", *O.THREAT_COLUMNS, "contig"]
    comps = ot[list(O.THREAT_COLUMNS[1:])].to_numpy()
    np.testing.assert_allclose(ot["threat_index"], comps.mean(axis=1), rtol=1e-12)
    assert set(ot["actor2"]) <= {f"COW:{a}" for a in O.OUTSIDE_STATES.values()}

