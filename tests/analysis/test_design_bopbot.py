"""Balance of power and of threat, redefined: measures by hand, Vuong by hand, evaluations."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis.designs import bopbot as B

KIND = {"R1": "regional_state", "R2": "regional_state", "R3": "regional_state",
        "O": "outside_power", "USA": "superpower", "RUS": "superpower"}
CINC = {"R1": 0.3, "R2": 0.1, "R3": 0.2, "O": 0.05, "USA": 0.5, "RUS": 0.6}
# threat of source k to target a, (a, k) -> value; 0.1 elsewhere
T = {("R2", "R1"): 0.5, ("R3", "R1"): 0.2, ("R2", "O"): 0.4, ("R3", "O"): 0.3,
     ("R2", "USA"): 0.6, ("R3", "USA"): 0.5, ("R2", "RUS"): 0.3, ("R3", "RUS"): 0.9}
# components of O's threat (the pair R2-R3's shared threat): distinct values per target
COMP = {("R2", "O"): (0.11, 0.21, 0.31, 0.41), ("R3", "O"): (0.12, 0.19, 0.35, 0.40)}


def toy_panel() -> pd.DataFrame:
    rows = []
    for a, k in itertools.permutations(KIND, 2):
        c = COMP.get((a, k), (0.1, 0.1, 0.1, 0.1))
        rows.append({"actor1": a, "actor2": k, "kind1": KIND[a], "kind2": KIND[k],
                     "year": 1960, "cinc1": CINC[a], "threat_index": T.get((a, k), 0.1),
                     "threat_power": c[0], "threat_proximity": c[1], "threat_offense": c[2],
                     "threat_intent": c[3]})
    return pd.DataFrame(rows)


def test_measures_by_hand():
    m = B.bop_bot_measures(toy_panel()).set_index(["actor1", "actor2"])
    r = m.loc[("R2", "R3")]
    # strongest regional state R1 (0.3): min(0.3/0.4, 0.3/0.5)
    assert r["bop_strongest_reg"] == "R1" and r["bop_reg"] == pytest.approx(0.6)
    assert r["bop_with_strongest_reg"] == 0
    # stronger superpower RUS (0.6): min(0.6/0.7, 0.6/0.8)
    assert r["bop_strongest_sp"] == "RUS" and r["bop_sp"] == pytest.approx(0.75)
    # shared threat: O (min 0.3) beats R1 (min 0.2); its four components, each a min
    assert r["bot_source"] == "O" and r["bot_index"] == pytest.approx(0.3)
    assert [r["bot_power"], r["bot_proximity"], r["bot_offense"], r["bot_intent"]] == \
        pytest.approx([0.11, 0.19, 0.31, 0.40])
    # superpowers apart: USA min 0.5 beats RUS min 0.3
    assert r["bot_source_sp"] == "USA" and r["bot_superpower"] == pytest.approx(0.5)
    s = m.loc[("R1", "R2")]
    assert s["bop_with_strongest_reg"] == 1 and s["bop_reg"] == 0
    assert m.loc[("RUS", "USA"), "bop_with_strongest_sp"] == 1


def test_vuong_by_hand():
    v = B.vuong_test(np.array([-1.0, -2.0, -0.5]), np.array([-0.5, -1.0, -1.0]), 2, 3)
    # m = (0.5, 1, -0.5): sum 1, population sd sqrt(42/108)
    sd = np.sqrt(42 / 108)
    assert v["statistic"] == pytest.approx(1 / (np.sqrt(3) * sd))
    assert v["statistic_bic"] == pytest.approx((1 - 0.5 * np.log(3)) / (np.sqrt(3) * sd))
    assert v["p_value"] == pytest.approx(0.3545, abs=1e-4)  # 2 * (1 - Phi(0.9258))


def test_evaluations_use_the_right_rows():
    rng = np.random.default_rng(3)
    n = 24 * 40
    years = np.repeat(np.arange(1956, 1980), 40)
    d = pd.DataFrame({c: rng.uniform(size=n) for c in (*B.CONTROLS, *B.BOP_TERMS,
                                                     *B.BOT_TERMS)})
    d["aligned_lag1"] = rng.integers(0, 2, n).astype(float)
    d["ever_aligned"] = rng.integers(0, 2, n).astype(float)
    d["aligned"] = rng.integers(0, 2, n)
    d["onset"] = np.where(d["aligned_lag1"] == 0, rng.integers(0, 2, n), np.nan)
    d["year"] = years
    d["actor_a"], d["actor_b"] = "IRN", "IRQ"
    out = B.predict_evaluations(d).set_index(["model", "evaluation"])
    assert out.loc[("bot_aligned", "cv_5y_blocks"), "n"] == n
    assert out.loc[("bot_aligned", "holdout_1970_1979"), "n"] == (years >= 1970).sum()
    at_risk = d["onset"].notna()
    assert out.loc[("lag_onset", "cv_5y_blocks"), "n"] == at_risk.sum()
    assert out.loc[("lag_onset", "holdout_1970_1979"), "events"] == \
        d.loc[at_risk & (years >= 1970), "onset"].sum()
    assert set(out.reset_index()["evaluation"]) == {"cv_5y_blocks", "holdout_1970_1979"}
    # noise predicts nothing: AUC near 0.5
    assert out["auc"].between(0.35, 0.65).all()
