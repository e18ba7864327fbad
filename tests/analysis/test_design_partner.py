"""Partner choice: attributes by hand on a toy panel; the conditional logit against R."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis.designs import partner as P

REF = Path(__file__).parent / "reference" / "designs"
# Newton's method stops within about 1e-8 of the optimum; R's clogit (survival 3.5) uses its own
# convergence rule, and its printed values have 15 digits.
RTOL_COEF, RTOL_SE = 1e-6, 1e-5

THREAT = {  # (threatened i, source j): threat of j to i
    ("A", "B"): 0.9, ("A", "C"): 0.2, ("A", "U"): 0.5,
    ("B", "A"): 0.3, ("B", "C"): 0.8, ("B", "U"): 0.4,
    ("C", "A"): 0.1, ("C", "B"): 0.7, ("C", "U"): 0.2,
    ("U", "A"): 0.1, ("U", "B"): 0.1, ("U", "C"): 0.1,
}
CINC = {"A": 0.1, "B": 0.2, "C": 0.3, "U": 0.4}
KIND = {"A": "regional_state", "B": "regional_state", "C": "regional_state", "U": "superpower"}


def toy_panel() -> pd.DataFrame:
    rows = []
    for year in (1960, 1961):
        for (i, j), t in THREAT.items():
            onset = int(year == 1961 and {i, j} == {"A", "C"})
            rows.append({"actor1": i, "actor2": j, "kind1": KIND[i], "kind2": KIND[j],
                         "year": year, "aligned": onset, "onset": onset if year == 1961 else pd.NA,
                         "cinc1": CINC[i], "cinc2": CINC[j], "threat_index": t,
                         "log_capdist": 7.0})
    return pd.DataFrame(rows)


def test_attributes_by_hand():
    att = P.partner_attributes(toy_panel())
    a = att[att["year"] == 1961].set_index(["actor1", "actor2"])
    # A's top threat is B (0.9); C's top threat is B too; U's is A (ties: alphabetical)
    assert a.loc[("A", "B"), "is_top_threat"] == 1 and a.loc[("A", "C"), "is_top_threat"] == 0
    assert a.loc[("A", "C"), "shares_top_threat"] == 1  # C also fears B most
    assert a.loc[("A", "U"), "shares_top_threat"] == 0  # U fears A most
    assert a.loc[("A", "B"), "shares_top_threat"] == 0  # B is the threat itself
    assert a.loc[("C", "A"), "shares_top_threat"] == 1
    assert a.loc[("U", "A"), "is_top_threat"] == 1
    assert a.loc[("A", "U"), "cap_share_j"] == pytest.approx(0.4)  # 0.4 / (0.1+0.2+0.3+0.4)
    # regional median share 0.2: A weak, B and C not
    assert a.loc[("A", "B"), "i_weak"] == 1 and a.loc[("B", "A"), "i_weak"] == 0
    assert a.loc[("A", "B"), "allies_available"] == 1  # only C shares A's top threat
    assert a.loc[("A", "B"), "top_x_weak"] == 1 and a.loc[("A", "B"), "top_x_few"] == 1
    assert a.loc[("A", "C"), "top_x_weak"] == 0


def test_choice_sets():
    s = P.partner_choice_sample(toy_panel())
    # 1961: A chose C among B, C, U; C chose A among A, B, U. No onset in 1960 (first year).
    assert sorted(s["stratum"].unique()) == ["A:1961", "C:1961"]
    a = s[s["stratum"] == "A:1961"].set_index("actor_b")
    assert list(a.index) == ["B", "C", "U"] and a["y"].tolist() == [0, 1, 0]
    assert set(s.columns) >= {"y", "stratum", "actor_a", "actor_b", "year", "cluster",
                              *P.PARTNER_TERMS}
    with pytest.raises(ValueError, match="design"):
        P.partner_choice_sample(toy_panel(), design="bogus")  # type: ignore[arg-type]


def _r(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name).set_index("term")


def test_clogit_matches_r_exact():
    d = pd.read_csv(REF / "clogit_sample.csv")
    fit = P.fit_clogit(d)
    r = _r("clogit_R.csv")
    np.testing.assert_allclose(fit.params[r.index], r["estimate"], rtol=RTOL_COEF)
    np.testing.assert_allclose(fit.bse_model[r.index], r["std_error"], rtol=RTOL_SE)
    assert fit.loglik == pytest.approx(r["loglik"].iloc[0], rel=1e-9)
    assert fit.n_strata == d["stratum"].nunique() and fit.events == d["y"].sum()


def test_cluster_sandwich_matches_r_robust():
    # R's robust (dfbeta) variance exists only for single-event strata; it has no G/(G-1).
    d = pd.read_csv(REF / "clogit_one_event_sample.csv")
    terms = ("shares_top_threat", "threat_index", "cap_share_j", "log_capdist")
    fit = P.fit_clogit(d, terms)
    r = _r("clogit_one_event_R.csv")
    np.testing.assert_allclose(fit.params[r.index], r["estimate"], rtol=RTOL_COEF)
    G = fit.n_clusters
    np.testing.assert_allclose(fit.bse_cluster[r.index] / np.sqrt(G / (G - 1)), r["robust_se"],
                               rtol=RTOL_SE)


def test_cluster_sandwich_by_hand():
    scores = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    cov = np.diag([2.0, 0.5])
    v = P.cluster_sandwich(scores, cov, np.array(["a", "a", "b"]), small_sample=False)
    # cluster sums: a = (1, 2), b = (1, 1); meat = [[2, 3], [3, 5]]
    np.testing.assert_allclose(v, cov @ np.array([[2.0, 3.0], [3.0, 5.0]]) @ cov)
    v2 = P.cluster_sandwich(scores, cov, np.array(["a", "a", "b"]))
    np.testing.assert_allclose(v2, 2 * v)


def test_non_state_partners_follow_the_documented_rule():
    p = toy_panel()
    p["hostile_by_j_prev5"] = 0
    extra = []
    for year in (1960, 1961):
        for i in ("A", "B", "C", "U"):
            extra.append({"actor1": i, "actor2": "N", "kind1": KIND[i], "kind2": "non_state",
                          "year": year, "aligned": 0, "onset": 0 if year == 1961 else pd.NA,
                          "cinc1": CINC[i], "cinc2": np.nan, "threat_index": np.nan,
                          "log_capdist": np.nan, "hostile_by_j_prev5": 2 if i == "A" else 0})
    p = pd.concat([p, pd.DataFrame(extra)], ignore_index=True)
    plain = P.partner_attributes(p)
    assert "N" not in set(plain["actor2"])
    att = P.partner_attributes(p, non_state=True)
    n = att[(att["actor2"] == "N") & (att["year"] == 1961)].set_index("actor1")
    assert n.loc["A", "threat_index"] == pytest.approx(1 - np.exp(-2))  # two act-years
    assert n.loc["B", "threat_index"] == 0
    assert (n["cap_share_j"] == 0).all() and (n["non_state"] == 1).all()
    assert n.loc["A", "log_capdist"] == pytest.approx(7.0)  # mean distance to the states
    assert (n["shares_top_threat"] == 0).all()


def test_stratum_scores_and_information_equal_statsmodels_at_any_point():
    from statsmodels.discrete.conditional_models import ConditionalLogit

    from walt_alliances.analysis.designs.fastclogit import information, stratum_scores

    d = pd.read_csv(REF / "clogit_sample.csv")
    terms = list(P.PARTNER_TERMS)
    y, X, s = d["y"].to_numpy(float), d[terms].to_numpy(float), d["stratum"].to_numpy()
    model = ConditionalLogit(y, d[terms], groups=s)
    beta = np.array([0.3, -0.2, 0.5, -1.0, -0.4, 0.2, 0.1])  # away from the optimum
    ours = stratum_scores(y, X, s, beta)
    theirs = np.vstack([model.score_grp(i, beta) for i in range(model._n_groups)])
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    # statsmodels' Hessian is a forward difference of its score (error ~1e-5 relative here);
    # ours a central difference of the analytic gradient
    np.testing.assert_allclose(information(y, X, s, beta), -model.hessian(beta), rtol=1e-4)


def test_separated_choice_data_give_a_clear_error():
    from walt_alliances.errors import EstimationError

    d = pd.read_csv(REF / "clogit_sample.csv")
    d["never"] = np.where(d["y"] == 1, 0.0, (np.arange(len(d)) % 3 == 0).astype(float))
    with pytest.raises(EstimationError, match="separated"):
        P.fit_clogit(d, ("threat_index", "never"))


def test_partner_effects_drop_never_chosen_partners_and_add_one_constant_each():
    d = pd.DataFrame({
        "stratum": ["s1"] * 3 + ["s2"] * 3 + ["s3"] * 2,
        "actor_a": ["A"] * 3 + ["B"] * 3 + ["C"] * 2,
        "actor_b": ["X", "Y", "Z", "X", "Y", "Z", "X", "Z"],
        "y": [1, 0, 0, 0, 1, 0, 1, 0],
        "t": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    })
    out, terms = P.with_partner_effects(d, ("t",))
    # Z is never chosen: its rows go; X (chosen twice) is the reference; Y gets a constant.
    # s3 is then left with its chosen alternative alone and goes too.
    assert terms == ("t", "pfe_Y")
    assert sorted(out["stratum"].unique()) == ["s1", "s2"]
    assert "Z" not in set(out["actor_b"])
    assert out["pfe_Y"].tolist() == [0.0, 1.0, 0.0, 1.0]
