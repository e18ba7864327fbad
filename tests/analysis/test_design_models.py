"""Designs' building blocks by hand: aid event study, penetration, weights, logits, fast clogit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from walt_alliances.analysis.designs import aid as A
from walt_alliances.analysis.designs import penetration as P
from walt_alliances.analysis.designs.fastclogit import fit_fast_clogit
from walt_alliances.analysis.designs.logits import logit_rows
from walt_alliances.analysis.designs.partner import PARTNER_TERMS
from walt_alliances.analysis.designs.run import multilateral_weights

REF = Path(__file__).parent / "reference" / "designs"


def aid_toy() -> pd.DataFrame:
    """Five recipients; R1 aligns with the USA in 1960, R2 in 1965; US aid jumps by e^2."""
    rows = []
    onsets = {"R1": 1960, "R2": 1965}
    for i, r in enumerate(["R1", "R2", "R3", "R4", "R5"]):
        for y in range(1955, 1976):
            e = onsets.get(r)
            al = int(e is not None and y >= e)
            log_aid = 1.0 + 0.3 * i + 0.05 * (y - 1955) + (2.0 if al else 0.0)
            for donor in ("USA", "RUS"):
                rows.append({"actor1": r, "actor2": donor, "kind1": "regional_state",
                             "year": y, "aligned": al if donor == "USA" else 0,
                             "onset": int(al and y == e) if donor == "USA" else 0,
                             "aid_us_oblig_constant": np.expm1(log_aid) * 1e6
                             if donor == "USA" else np.nan,
                             "aid_soviet": pd.NA if donor == "USA" else 0})
    return pd.DataFrame(rows)


def test_event_study_recovers_a_step_after_onset():
    a = A.aid_panel(aid_toy())
    sample, res, contrasts = A.event_study(a, "USA", "log_us_aid")
    names = ["const", *A._event_terms()]
    est = dict(zip(names, np.asarray(res.params)[: len(names)], strict=True))
    for k in ("event_p0", "event_p1", "event_p5"):
        assert est[k] == pytest.approx(2.0, abs=1e-8)
    for k in ("event_m5", "event_m2"):
        assert est[k] == pytest.approx(0.0, abs=1e-8)
    c = contrasts.set_index("term")["estimate"]
    assert c["pre_rise"] == pytest.approx(0.0, abs=1e-8)
    assert c["post_rise"] == pytest.approx(2.0, abs=1e-8)
    assert sample["event_year"].dropna().unique().tolist() == [1960, 1965]


def test_soviet_bound_fills_only_the_pre_onset_years():
    toy = aid_toy()
    rus = (toy["actor2"] == "RUS") & (toy["actor1"] == "R3")
    toy.loc[rus & (toy["year"] == 1970), ["aligned", "onset"]] = 1
    a = A.aid_panel(toy).set_index(["actor_a", "actor_b", "year"]).sort_index()
    up = a.loc[("R3", "RUS"), "soviet_aid_upper"]
    lo = a.loc[("R3", "RUS"), "soviet_aid_lower"]
    assert (lo == 0).all()
    # the unrecorded year just before the first Soviet onset counts as aid
    assert up[up == 1].index.tolist() == [1969]


def test_penetration_instruments_apart_from_security_cooperation():
    ep = pd.DataFrame({"episode_id": ["x-party", "x-advisers"], "penetrator_id": ["B", "B"],
                       "target_id": ["A", "A"], "type": ["party_links", "advisers"],
                       "start_first_day": pd.to_datetime(["1960-01-01", "1962-01-01"]),
                       "end_last_day": pd.to_datetime(["1961-12-31", pd.NaT])})
    rows = []
    for y in range(1958, 1966):
        for a1, a2 in (("A", "B"), ("B", "A")):
            rows.append({"actor1": a1, "actor2": a2, "kind1": "regional_state",
                         "kind2": "regional_state", "year": y, "aligned": int(y >= 1962),
                         "onset": int(y == 1962), "dyad": "A-B", "contiguous": 1.0,
                         "log_capdist": 6.0, "threat_index": 0.3})
    panel = pd.DataFrame(rows)
    s = P.penetration_onset_sample(panel, ep)
    a = s[s["actor_a"] == "A"].set_index("year")
    # the party links of 1960-61 count in 1961-62 (lagged); at risk until the 1962 onset
    assert a["pen_instrument_lag1"].to_dict() == {1959: 0.0, 1960: 0.0, 1961: 1.0, 1962: 1.0}
    assert a["pen_security_lag1"].sum() == 0  # advisers from 1962: never at risk, never tested
    ev = P.penetration_events(panel, ep).set_index("episode_id")
    assert bool(ev.loc["x-party", "instrument"]) and not bool(ev.loc["x-advisers", "instrument"])
    assert ev.loc["x-party", "onset_years"] == "1962"
    assert ev.loc["x-advisers", "aligned_before"] == 0


def test_multilateral_weights_by_hand():
    panel = pd.DataFrame({"actor1": ["A", "A", "A"], "actor2": ["B", "C", "D"],
                          "year": [1960, 1960, 1960],
                          "alignment_ids": ["pact;summit", "summit", pd.NA]})
    sample = pd.DataFrame({"actor_a": ["A", "A", "A"], "actor_b": ["B", "C", "D"],
                           "year": [1960] * 3, "aligned": [1, 1, 0],
                           "cluster": ["A-B", "A-C", "A-D"]})
    w, cl = multilateral_weights(panel, sample, {"pact": 2, "summit": 14})
    np.testing.assert_allclose(w, [1 / 13, 1 / 13, 1.0])  # the largest shared alignment
    assert cl.tolist() == ["pact", "summit", "A-D"]


def test_logit_rows_dyadic_matches_the_inference_module():
    from walt_alliances.analysis.inference import cov_for

    rng = np.random.default_rng(7)
    actors = np.array(list("ABCDEFGH"))
    ia, ib = np.triu_indices(8, 1)
    n = len(ia) * 6
    d = pd.DataFrame({"actor_a": np.tile(actors[ia], 6), "actor_b": np.tile(actors[ib], 6),
                      "x": rng.normal(size=n)})
    d["y"] = (rng.uniform(size=n) < 1 / (1 + np.exp(-0.5 - d["x"]))).astype(int)
    d["cluster"] = d["actor_a"] + "-" + d["actor_b"]
    rows, res = logit_rows(d, "y", ["x"], model_id="m", hypothesis="H1", unit="dyad-year",
                           expected={"x": 1})
    dy = {r["term"]: r for r in rows if r["se_type"] == "dyadic"}
    ref = sm.Logit(d["y"], sm.add_constant(d[["x"]])).fit(disp=0)
    v = cov_for(ref, "dyadic", d["actor_a"], d["actor_b"])
    assert dy["x"]["std_error"] == pytest.approx(np.sqrt(v[1, 1]), rel=1e-8)
    assert dy["x"]["df"] == 7 and dy["x"]["n_clusters"] == 8
    # unit weights: the weighted fit is the plain one
    rows_w, _ = logit_rows(d, "y", ["x"], model_id="m", hypothesis="H1", unit="dyad-year",
                           expected={}, weights=np.ones(n))
    assert rows_w[1]["estimate"] == pytest.approx(rows[1]["estimate"], rel=1e-8)


def test_fast_clogit_matches_r():
    d = pd.read_csv(REF / "clogit_sample.csv")
    r = pd.read_csv(REF / "clogit_R.csv").set_index("term")
    b, ll = fit_fast_clogit(d["y"].to_numpy(), d[list(PARTNER_TERMS)].to_numpy(),
                            d["stratum"].to_numpy())
    np.testing.assert_allclose(b, r.loc[list(PARTNER_TERMS), "estimate"], rtol=1e-6)
    assert ll == pytest.approx(r["loglik"].iloc[0], rel=1e-10)


def test_pre_rise_is_positive_when_aid_comes_first():
    toy = aid_toy()
    onsets = {"R1": 1960, "R2": 1965}
    bump = [(r in onsets and y == onsets[r] - 1) for r, y in zip(toy["actor1"], toy["year"],
                                                                   strict=True)]
    us = toy["actor2"] == "USA"
    log_aid = np.log1p(toy["aid_us_oblig_constant"] / 1e6) + np.where(bump, 1.0, 0.0)
    toy.loc[us, "aid_us_oblig_constant"] = np.expm1(log_aid[us]) * 1e6
    _, _, c = A.event_study(A.aid_panel(toy), "USA", "log_us_aid")
    c = c.set_index("term")["estimate"]
    # aid one unit higher in the year before the alignment than in years -5..-2
    assert c["pre_rise"] == pytest.approx(1.0, abs=1e-8)
    assert c["post_rise"] == pytest.approx(1.0, abs=1e-8)  # 2 after, minus 1 the year before


def test_result_columns_are_the_logits_contract():
    from walt_alliances.analysis.designs._rows import RESULT_COLUMNS
    from walt_alliances.analysis.hypotheses import RESULT_COLUMNS as LOGITS

    assert RESULT_COLUMNS == LOGITS


def test_fast_clogit_information_matches_r_standard_errors():
    from walt_alliances.analysis.designs.fastclogit import information

    d = pd.read_csv(REF / "clogit_sample.csv")
    r = pd.read_csv(REF / "clogit_R.csv").set_index("term")
    X = d[list(PARTNER_TERMS)].to_numpy()
    b = r.loc[list(PARTNER_TERMS), "estimate"].to_numpy()
    se = np.sqrt(np.diag(np.linalg.inv(information(d["y"].to_numpy(), X,
                                                   d["stratum"].to_numpy(), b))))
    np.testing.assert_allclose(se, r.loc[list(PARTNER_TERMS), "std_error"], rtol=1e-5)
    # a warm start with that curvature lands on the same optimum
    b2, _ = fit_fast_clogit(d["y"].to_numpy(), X, d["stratum"].to_numpy(), start=b + 0.2,
                            hess_inv0=np.linalg.inv(information(d["y"].to_numpy(), X,
                                                                d["stratum"].to_numpy(), b)))
    np.testing.assert_allclose(b2, b, rtol=1e-6)


def test_un_distance_by_hand():
    from walt_alliances.analysis.designs.ideology import add_un_distance

    panel = pd.DataFrame({"actor1": ["EGY", "SYR"], "ccode1": [651, 652]})
    sample = pd.DataFrame({"actor_a": ["EGY", "EGY"], "actor_b": ["SYR", "SYR"],
                           "year": [1963, 1964]})
    ideal = pd.DataFrame({"ccode": [651, 652, 651], "year": [1963, 1963, 1964],
                          "idealpoint": [-0.5, 0.25, -0.4]})
    d = add_un_distance(sample, panel, ideal)
    assert d["un_distance"].iloc[0] == pytest.approx(0.75)
    assert np.isnan(d["un_distance"].iloc[1])  # Syria has no ideal point in 1964: missing


def test_holm_family_and_variants_by_hand():
    from walt_alliances.analysis.designs._rows import add_holm_verdicts, holm

    np.testing.assert_allclose(holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])
    r = pd.DataFrame({"model_id": ["a", "a", "b", "v", "a"], "term": ["x", "y", "x", "x", "z"],
                      "key_term": [True, True, True, True, False],
                      "expected_sign": ["+", "-", "+", "+", ""],
                      "estimate": [1.0, 1.0, -1.0, 1.0, 1.0],
                      "p_value": [0.01, 0.04, 0.03, 0.001, 0.5],
                      "se_type": ["s"] * 5, "p_holm": np.nan, "verdict": ""})
    out = add_holm_verdicts(r, primary_se={"a": "s", "b": "s", "v": "s"}, variants={"v": "a"})
    # family: a.x 0.01, a.y 0.04, b.x 0.03 -> 0.03, 0.06, 0.06
    np.testing.assert_allclose(out["p_holm"].iloc[:3], [0.03, 0.06, 0.06])
    # the variant replaces a.x: 0.001, 0.04, 0.03 -> 0.003
    assert out["p_holm"].iloc[3] == pytest.approx(0.003)
    assert np.isnan(out["p_holm"].iloc[4])
    assert out["verdict"].tolist() == ["supported", "no evidence either way",
                                       "no evidence either way", "supported", ""]
