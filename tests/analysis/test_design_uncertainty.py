"""The coding resamples' fast paths against independent implementations, and the recoding."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from walt_alliances.analysis.designs import bopbot, duration
from walt_alliances.analysis.designs.ideology import peace_years
from walt_alliances.analysis.designs.run import build_panel, resolve_study
from walt_alliances.analysis.designs.uncertainty import (
    _Realigner,
    coding_uncertainty,
    recoded_panel,
)
from walt_alliances.analysis.estimation import newton_logit


@pytest.fixture(scope="module")
def study():
    return resolve_study(None)


@pytest.fixture(scope="module")
def panel(study):
    return build_panel(study, *study.period_years)


# ---------------------------------------------------------------------------------------------
# Newton logit against statsmodels
# ---------------------------------------------------------------------------------------------

def test_newton_logit_matches_statsmodels_on_simulated_data() -> None:
    rng = np.random.default_rng(11)
    X = sm.add_constant(rng.normal(size=(2000, 4)))
    y = (rng.uniform(size=2000) < 1 / (1 + np.exp(-(X @ [-1.0, 0.5, -0.3, 0.8, 0.0])))).astype(
        float)
    ref = sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    for start in (None, np.asarray(ref.params) + 0.3):
        b = newton_logit(y, X, start)
        assert b is not None
        np.testing.assert_allclose(b, ref.params, rtol=1e-9, atol=1e-11)


def test_newton_logit_gives_up_under_separation() -> None:
    x = np.arange(10.0)
    X = sm.add_constant(x)
    y = (x > 4.5).astype(float)  # complete separation: no estimate exists
    assert newton_logit(y, X) is None


def test_newton_logit_matches_statsmodels_on_the_designs_samples(panel) -> None:
    bs = bopbot.bop_bot_sample(panel)
    for model in ("bop", "bot"):
        terms = bopbot.model_terms(model, "aligned")
        X = sm.add_constant(bs[terms].to_numpy(dtype=float), has_constant="add")
        y = bs["aligned"].to_numpy(dtype=float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
        np.testing.assert_allclose(newton_logit(y, X), ref.params, rtol=1e-7, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# peace years and spells against pandas implementations
# ---------------------------------------------------------------------------------------------

def _peace_years_pandas(pair, year, aligned):
    year = np.asarray(year, dtype=float)
    ly = pd.Series(np.where(np.asarray(aligned) == 1, year, np.nan))
    g = pd.Series(pair)
    last = ly.groupby(g).cummax().groupby(g).ffill().groupby(g).shift(1).to_numpy()
    first = pd.Series(year).groupby(g).transform("min").to_numpy()
    return np.where(np.isnan(last), year - first, year - 1 - last)


def test_peace_years_equal_a_groupby_implementation() -> None:
    rng = np.random.default_rng(5)
    for trial in range(200):
        rows = []
        for p in range(int(rng.integers(1, 6))):
            y0, n = int(rng.integers(1950, 1960)), int(rng.integers(1, 12))
            rows += [(f"p{p}", y, rng.integers(0, 2) if rng.uniform() < 0.9 else np.nan)
                     for y in range(y0, y0 + n)]
        df = pd.DataFrame(rows, columns=["pair", "year", "al"])
        if trial % 2:  # pairs interleaved, years in order within each pair
            df = df.sample(frac=1, random_state=trial).sort_values("year", kind="stable")
        args = (df["pair"].to_numpy(), df["year"].to_numpy(), df["al"].to_numpy())
        np.testing.assert_array_equal(peace_years(*args), _peace_years_pandas(*args))


def _spells_pandas(base, aligned, multilateral, first_start, period, terms):
    """The earlier groupby implementation of duration.spells_from, kept as the reference."""
    p0, p1 = period
    al = np.asarray(aligned, dtype=bool)
    prev_al = np.concatenate([[False], al[:-1]]) & base["same_pair"].to_numpy()
    spell_no = np.cumsum(al & ~prev_al)
    d = base[al].assign(spell=spell_no[al], multilateral=np.asarray(multilateral)[al],
                        _first_start=np.asarray(first_start, dtype=float)[al])
    last = ~d["spell"].eq(d["spell"].shift(-1)).to_numpy()
    d["event"] = (last & (d["year"].to_numpy() < p1)).astype("int64")
    first_year = d.groupby("spell")["year"].transform("min")
    left = first_year == p0
    origin = np.where(left & (d["year"] == p0),
                      np.fmin(d["_first_start"].to_numpy(), p0), first_year).astype(float)
    origin = pd.Series(origin, index=d.index).where(d["year"] == first_year)
    origin = origin.groupby(d["spell"]).transform("max")
    d["left_censored"] = left.astype("int64")
    d["start"] = (d["year"] - origin).astype("float64")
    d["stop"] = d["start"] + 1.0
    bi = d["bot_index"]
    d["threat_fading"] = bi.groupby(d["spell"]).transform("first") - bi
    d = d.rename(columns={"actor1": "actor_a", "actor2": "actor_b"})
    d["cluster"] = d["actor_a"] + "-" + d["actor_b"]
    d = d.dropna(subset=list(terms))
    cols = ["start", "stop", "event", *terms, "actor_a", "actor_b", "year", "cluster", "spell",
            "left_censored"]
    return d[cols].reset_index(drop=True)


def test_spells_equal_the_groupby_implementation_under_random_statuses(panel, study) -> None:
    measures = bopbot.bop_bot_measures(panel)
    base = duration.spell_base(panel, measures, period=study.period_years)
    re = _Realigner(panel, study)
    rng = np.random.default_rng(2)
    rows = base["_row"].to_numpy()
    for draw in range(12):
        keep = rng.uniform(size=len(re.ids)) >= (0.0 if draw == 0 else 0.3)
        st = re.status(keep)
        args = (base, st["aligned"][rows] == 1, st["multilateral"][rows],
                st["first_start"][rows])
        if draw == 1:  # missing common threats at some spells' first rows
            b2 = base.copy()
            b2.loc[b2.index[::7], "bot_index"] = np.nan
            args = (b2, *args[1:])
        new = duration.spells_from(*args, period=study.period_years)
        ref = _spells_pandas(*args, study.period_years, duration.DURATION_TERMS)
        pd.testing.assert_frame_equal(new, ref)


# ---------------------------------------------------------------------------------------------
# Recoded hostile acts and regimes
# ---------------------------------------------------------------------------------------------

def test_recoded_panel_equals_a_panel_rebuilt_without_the_dropped_codings(panel, study) -> None:
    from dataclasses import replace

    acts, regimes = study["hostile_acts"], study["regimes"]
    assert recoded_panel(panel, study, np.ones(len(acts), bool),
                         np.ones(len(regimes), bool)) is panel
    keep_acts = np.ones(len(acts), bool)
    keep_acts[[0, 3, 5]] = False
    keep_regimes = np.ones(len(regimes), bool)
    keep_regimes[[1, 2]] = False
    got = recoded_panel(panel, study, keep_acts, keep_regimes)
    # independent path: the whole panel built again from a study without those codings
    reg = regimes.copy()
    reg["family"] = reg["family"].where(keep_regimes)
    sub = replace(study, tables={**study.tables, "hostile_acts": acts[keep_acts].reset_index(
        drop=True), "regimes": reg})
    want = build_panel(sub, *study.period_years)
    pd.testing.assert_frame_equal(got, want, check_like=False)
    # and the recoding did change what it should
    changed = (got["threat_intent"].astype(float).fillna(-1)
               != panel["threat_intent"].astype(float).fillna(-1))
    assert changed.any()
    dropped = regimes[~keep_regimes]
    for r in dropped.itertuples(index=False):
        rows = (got["actor1"] == r.actor_id) & (got["year"] == r.start_first_day.year + 1)
        if r.end_last_day is pd.NaT or pd.isna(r.end_last_day) or \
                r.end_last_day.year > r.start_first_day.year + 1:
            assert got.loc[rows, "family1"].isna().all()


def test_resamples_do_not_depend_on_the_number_of_workers(panel, study) -> None:
    a = coding_uncertainty(study, panel, draws=4, specs=[], workers=1)
    b = coding_uncertainty(study, panel, draws=4, specs=[], workers=2)
    pd.testing.assert_frame_equal(a, b)
    assert (a.loc[a["source"] == "threat_specs", "draws"] == 0).all()  # none asked for
    c = a[a["source"] == "coding_resamples"]
    assert c["draws"].between(3, 4).all()


# ---------------------------------------------------------------------------------------------
# Efron Cox against R and statsmodels
# ---------------------------------------------------------------------------------------------

def test_efron_cox_matches_r_coxph() -> None:
    from pathlib import Path

    from walt_alliances.analysis.designs.fastcox import efron_cox, efron_loglik

    ref = Path(__file__).parent / "reference" / "designs"
    d = pd.read_csv(ref / "cox_sample.csv")
    r = pd.read_csv(ref / "cox_R.csv").set_index("term")
    terms = list(duration.DURATION_TERMS)
    args = (d["start"].to_numpy(float), d["stop"].to_numpy(float), d["event"].to_numpy(),
            d[terms].to_numpy(float))
    for start in (None, r["estimate"].to_numpy() + 0.2):
        b = efron_cox(*args, start)
        assert b is not None
        np.testing.assert_allclose(b, r.loc[terms, "estimate"], rtol=1e-7, atol=1e-9)
    assert efron_loglik(*args, b) == pytest.approx(r["loglik"].iloc[0], rel=1e-10)
    # and statsmodels' PHReg (the reported fits) on the same rows
    sm_fit = duration.fit_cox(d.assign(spell=range(len(d))), point_only=True)
    np.testing.assert_allclose(b, sm_fit.params.to_numpy(), rtol=1e-7, atol=1e-9)


def test_efron_cox_with_ties_and_late_entry_equals_statsmodels() -> None:
    from walt_alliances.analysis.designs.fastcox import efron_cox

    rng = np.random.default_rng(8)
    n = 400
    start = rng.integers(0, 5, size=n).astype(float)
    stop = start + rng.integers(1, 6, size=n)
    X = rng.normal(size=(n, 3))
    event = (rng.uniform(size=n) < 1 / (1 + np.exp(-X @ [0.8, -0.5, 0.0]))).astype(int)
    d = pd.DataFrame({"start": start, "stop": stop, "event": event, "a": X[:, 0],
                      "b": X[:, 1], "c": X[:, 2], "spell": range(n), "cluster": range(n)})
    sm_fit = duration.fit_cox(d, ("a", "b", "c"), point_only=True)  # ties on integer times
    b = efron_cox(start, stop, event, X)
    np.testing.assert_allclose(b, sm_fit.params.to_numpy(), rtol=1e-7, atol=1e-9)
    assert efron_cox(start, stop, np.zeros(n, int), X) is None  # no failure: no estimate


# ---------------------------------------------------------------------------------------------
# Draws whose estimates do not exist are left out
# ---------------------------------------------------------------------------------------------

def test_pair_certificates_combine_to_the_score_at_any_point() -> None:
    from pathlib import Path

    from walt_alliances.analysis.designs import partner
    from walt_alliances.analysis.designs.fastclogit import _loglik_grad, pad_strata
    from walt_alliances.analysis.designs.fastclogit import pair_certificate as clogit_pairs
    from walt_alliances.analysis.designs.fastcox import _RiskSets, _sums
    from walt_alliances.analysis.designs.fastcox import pair_certificate as cox_pairs

    ref = Path(__file__).parent / "reference" / "designs"
    c = pd.read_csv(ref / "clogit_sample.csv")
    terms = list(partner.PARTNER_TERMS)
    y, X, s = c["y"].to_numpy(float), c[terms].to_numpy(float), c["stratum"].to_numpy()
    b = np.linspace(-0.5, 0.5, len(terms))
    rows, w = clogit_pairs(y, X, s, b)
    assert (w > 0).all()
    np.testing.assert_allclose(rows.T @ w, _loglik_grad(b, pad_strata(y, X, s))[1],
                               rtol=1e-9, atol=1e-10)
    d = pd.read_csv(ref / "cox_sample.csv")
    dt = list(duration.DURATION_TERMS)
    args = (d["start"].to_numpy(float), d["stop"].to_numpy(float), d["event"].to_numpy(),
            d[dt].to_numpy(float))
    bc = np.array([0.3, -0.2, 0.1, 0.4])
    rows, w = cox_pairs(*args, bc)
    assert (w > 0).all()
    np.testing.assert_allclose(rows.T @ w, _sums(_RiskSets(*args[:3]), args[3], bc)[1],
                               rtol=1e-9, atol=1e-10)


def test_a_separated_clogit_draw_is_not_certified_and_the_lp_finds_it() -> None:
    from walt_alliances.analysis.designs.fastclogit import fit_fast_clogit
    from walt_alliances.analysis.designs.fastclogit import pair_certificate as clogit_pairs
    from walt_alliances.analysis.estimation import cone_separated, stiemke_certified

    rng = np.random.default_rng(4)
    S, L = 60, 6
    strata = np.repeat(np.arange(S), L)
    x1 = rng.normal(size=S * L)
    flag = (rng.uniform(size=S * L) < 0.2).astype(float)
    util = x1 + rng.gumbel(size=S * L) - 50 * flag  # a flagged alternative is never chosen
    y = np.zeros(S * L)
    for k in range(S):
        y[k * L + int(np.argmax(util[k * L:(k + 1) * L]))] = 1.0
    X = np.column_stack([x1, flag])
    b, _ = fit_fast_clogit(y, X, strata)
    rows, w = clogit_pairs(y, X, strata, b)
    assert not stiemke_certified(rows, w) and cone_separated(rows)
    # without the flag the estimate exists and is certified
    b1, _ = fit_fast_clogit(y, X[:, :1], strata)
    rows1, w1 = clogit_pairs(y, X[:, :1], strata, b1)
    assert stiemke_certified(rows1, w1) and not cone_separated(rows1)


def test_no_resampled_estimate_comes_from_separated_data(panel, study) -> None:
    # in these seeded draws some partner-choice samples are separated (a term that no chosen
    # partner takes): they must be left out, not reported at -20 to -35
    u = coding_uncertainty(study, panel, draws=40, specs=[], workers=1)
    c = u[(u["source"] == "coding_resamples")].set_index(["model_id", "term"])
    few = c.loc[("partner_choice_state_year", "top_x_few")]
    assert few["draws"] < 40
    assert few["q025"] > -10


def test_recoded_panel_refuses_a_non_default_threat_spec(study) -> None:
    from walt_alliances.measures.threat import ThreatSpec

    other = build_panel(study, *study.period_years, threat_spec=ThreatSpec(form="multiplicative"))
    keep = np.ones(len(study["hostile_acts"]), bool)
    keep[0] = False
    with pytest.raises(ValueError, match="non-default"):
        recoded_panel(other, study, keep, np.ones(len(study["regimes"]), bool))
