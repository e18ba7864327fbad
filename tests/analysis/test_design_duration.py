"""Duration of alignments: spells by hand on a toy panel; the Cox model against R."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis.designs import duration as D

REF = Path(__file__).parent / "reference" / "designs"


def toy() -> tuple[pd.DataFrame, pd.DataFrame]:
    # A-B aligned 1955-1957 (in "old", begun 1950), not in 1958, again 1959-1960 ("new").
    status = {1955: "old", 1956: "old", 1957: "old", 1958: "", 1959: "new", 1960: "new"}
    fam = {1955: "baathist", 1956: "baathist", 1957: "military", 1958: "military",
           1959: "other", 1960: "other"}
    rows, meas = [], []
    for y, ids in status.items():
        for a1, a2 in (("A", "B"), ("B", "A")):
            rows.append({"actor1": a1, "actor2": a2, "kind1": "regional_state",
                         "kind2": "regional_state", "year": y, "aligned": int(bool(ids)),
                         "alignment_ids": ids or pd.NA, "family1": fam[y], "family2": fam[y],
                         "ideo_pan_arab_pair": int(fam[y] == "baathist")})
        meas.append({"actor1": "A", "actor2": "B", "year": y, "bot_index": 0.5 - 0.1 * (y - 1955)})
    return pd.DataFrame(rows), pd.DataFrame(meas)


def test_spells_by_hand():
    panel, meas = toy()
    s = D.alignment_spells(panel, meas, {"old": 1950, "new": 1959}, {"old": 2, "new": 3},
                           period=(1955, 1960))
    assert s["year"].tolist() == [1955, 1956, 1957, 1959, 1960]
    assert s["start"].tolist() == [5, 6, 7, 0, 1]  # the first spell began in 1950: late entry
    assert s["stop"].tolist() == [6, 7, 8, 1, 2]
    assert s["event"].tolist() == [0, 0, 1, 0, 0]  # ends 1957; the second is censored in 1960
    assert s["left_censored"].tolist() == [1, 1, 1, 0, 0]
    assert s["pan_arab_pair"].tolist() == [1, 1, 0, 0, 0]
    # "military" and "other" never count as the same family
    assert s["same_family"].tolist() == [1, 1, 0, 0, 0]
    np.testing.assert_allclose(s["threat_fading"], [0, 0.1, 0.2, 0, 0.1], atol=1e-12)
    assert s["multilateral"].tolist() == [0, 0, 0, 1, 1]


def test_cox_matches_r():
    d = pd.read_csv(REF / "cox_sample.csv").assign(spell=lambda x: range(len(x)))
    fit = D.fit_cox(d)
    r = pd.read_csv(REF / "cox_R.csv").set_index("term")
    np.testing.assert_allclose(fit.params[r.index], r["estimate"], rtol=1e-6)
    np.testing.assert_allclose(fit.bse_model[r.index], r["std_error"], rtol=1e-5)
    np.testing.assert_allclose(fit.bse_cluster[r.index], r["robust_se"], rtol=1e-5)
    assert fit.loglik == pytest.approx(r["loglik"].iloc[0], rel=1e-8)


def test_score_residuals_sum_to_zero_at_the_optimum():
    d = pd.read_csv(REF / "cox_sample.csv")
    X = d[list(D.DURATION_TERMS)].to_numpy(float)
    fit = D.fit_cox(d.assign(spell=range(len(d))))
    r = D.cox_score_residuals(d["start"].to_numpy(float), d["stop"].to_numpy(float),
                              d["event"].to_numpy(float), X, fit.params.to_numpy())
    np.testing.assert_allclose(r.sum(axis=0), 0, atol=1e-6)


def test_non_integer_times_rejected():
    d = pd.read_csv(REF / "cox_sample.csv").assign(spell=0)
    d["stop"] = d["stop"].astype(float)
    d.loc[0, "stop"] = d.loc[0, "stop"] + 0.5
    with pytest.raises(ValueError, match="whole numbers"):
        D.fit_cox(d)


def test_peace_years_by_hand():
    from walt_alliances.analysis.designs.ideology import peace_years

    pair = np.array(["A-B"] * 6 + ["A-C"] * 3)
    year = np.array([1955, 1956, 1957, 1958, 1959, 1960, 1960, 1961, 1962])
    al = np.array([0, 1, 1, 0, 0, 1, 0, 0, 0])
    # A-B: never before 1956 (0, 1 years since its first row), aligned 1956-57, then 0, 1, 2
    np.testing.assert_array_equal(peace_years(pair, year, al), [0, 1, 0, 0, 1, 2, 0, 1, 2])


def test_membership_spells_by_hand():
    # alignment "al": A from 1953 (before the period) to 1957, B from 1955, C from 1956 to 1956
    ms = pd.DataFrame({"alignment_id": ["al", "al", "al"], "actor_id": ["A", "B", "C"],
                       "start_first_day": pd.to_datetime(["1953-05-01", "1955-01-01",
                                                          "1956-02-01"]),
                       "end_last_day": pd.to_datetime(["1957-06-30", pd.NaT, "1956-12-31"])})
    fam = {"A": "baathist", "B": "pan_arab_nationalist", "C": "traditional_monarchy"}
    rows = [{"actor1": a, "actor2": "X", "year": y, "family1": fam[a]}
            for a in fam for y in range(1955, 1959)]
    panel = pd.DataFrame(rows)
    meas = pd.DataFrame([{"actor1": a, "actor2": b, "year": y, "bot_index": 0.5 - 0.1 * (y - 1955)}
                         for a, b in (("A", "B"), ("A", "C"), ("B", "C"))
                         for y in range(1955, 1959)])
    s = D.membership_spells(panel, meas, ms, period=(1955, 1958))
    a = s[s["actor_a"] == "A"].set_index("year")
    assert a["start"].tolist() == [2, 3, 4]  # began 1953: enters late
    assert a["event"].tolist() == [0, 0, 1]  # left in 1957
    assert a["pan_arab_member"].tolist() == [1, 1, 1]  # with B, also pan-Arab
    assert a["multilateral"].tolist() == [0, 1, 0]  # C is a member in 1956 only
    np.testing.assert_allclose(a["threat_fading"], [0, 0.1, 0.2], atol=1e-12)
    b = s[s["actor_a"] == "B"].set_index("year")
    # 1958: B alone (no partner, no shared threat: left out); never ended: censored
    assert b.index.tolist() == [1955, 1956, 1957] and b["event"].sum() == 0
    assert b.loc[1957, "pan_arab_member"] == 1
    c = s[s["actor_a"] == "C"]
    assert c["pan_arab_member"].tolist() == [0] and c["event"].tolist() == [1]
