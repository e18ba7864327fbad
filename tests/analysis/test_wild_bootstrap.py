"""Tests for the restricted wild cluster bootstrap (``inference.wild_cluster_bootstrap``).

Where the expected values come from:

* ``wildboottest`` (PyPI, the Python port of R ``fwildclusterboot``; an optional test
  dependency, skipped when absent): its ``WildboottestCL`` WCR "11" test, a different
  algorithm (explicit cluster loops), fed the same weights.
* An exact bootstrap distribution by hand: with 4 clusters and Rademacher weights all 16 sign
  vectors are enumerated; each bootstrap sample ``y* = X b_r + v u_r`` is built from the
  restricted fit (the regression without the tested term, or with the two terms merged for a
  difference) and refitted with statsmodels OLS (cluster-robust CR1).
* A Monte Carlo with a known null (few treated clusters): the bootstrap rejects at about the
  nominal rate while the cluster-robust t on G-1 df over-rejects.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from walt_alliances.analysis import inference as inf


def _panel(seed: int, g: int = 12, t: int = 15, treated: int = 3, effect: float = 0.0
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster-year panel: treatment after 2/3 of the years in the first ``treated``
    clusters, cluster and year dummies, a cluster-level shock to the treated periods."""
    rng = np.random.default_rng(seed)
    cl = np.repeat(np.arange(g), t)
    yr = np.tile(np.arange(t), g)
    d = ((cl < treated) & (yr >= 2 * t // 3)).astype(float)
    x1 = rng.normal(size=g * t) + 0.5 * rng.normal(size=g)[cl]
    fe_c = (cl[:, None] == np.arange(1, g)).astype(float)
    fe_y = (yr[:, None] == np.arange(1, t)).astype(float)
    x = np.column_stack([np.ones(g * t), d, x1, fe_c, fe_y])
    shock = rng.normal(size=g)[cl] * (yr >= 2 * t // 3) + rng.normal(size=g)[cl]
    y = effect * d + 0.3 * x1 + shock + rng.normal(size=g * t) * (1 + cl % 3)
    return x, y, cl


@pytest.mark.parametrize("contrast", ["single", "combination"])
def test_matches_wildboottest_draw_by_draw(contrast: str) -> None:
    wildboottest = pytest.importorskip("wildboottest.wildboottest")
    x, y, cl = _panel(7)
    r = np.zeros(x.shape[1])
    if contrast == "single":
        r[1] = 1.0
    else:  # a mean of two coefficients, as the event study's contrasts
        r[1], r[2] = 0.5, 0.5
    wb = wildboottest.WildboottestCL(X=x, Y=y, cluster=cl, R=r, B=999, seed=11,
                                     parallel=False)
    wb.get_scores(bootstrap_type="11", impose_null=True)
    v, _, _ = wb.get_weights(weights_type="webb")
    wb.get_numer()
    wb.get_denom()
    wb.get_tboot()
    wb.get_vcov()
    wb.get_tstat()
    wb.get_pvalue(pval_type="two-tailed")
    got = inf.wild_cluster_bootstrap(x, y, cl, r, weights=np.asarray(v).T, ci=False)[0]
    np.testing.assert_allclose(got.t_boot, wb.t_boot, rtol=1e-9, atol=1e-12)
    assert got.statistic == pytest.approx(float(np.squeeze(wb.t_stat)), rel=1e-9)
    assert got.p_value == pytest.approx(float(wb.pvalue), abs=1e-12)


def test_statistic_is_statsmodels_cluster_t() -> None:
    x, y, cl = _panel(3)
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": cl, "df_correction": True})
    got = inf.wild_cluster_bootstrap(x, y, cl, np.eye(x.shape[1])[1:3], ci=False)
    for j, t in zip((1, 2), got, strict=True):
        assert t.estimate == pytest.approx(fit.params[j], rel=1e-10)
        assert t.std_error == pytest.approx(fit.bse[j], rel=1e-9)
        assert t.statistic == pytest.approx(fit.tvalues[j], rel=1e-9)


def _by_hand(x: np.ndarray, y: np.ndarray, cl: np.ndarray, r: np.ndarray,
             x_restricted: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Sample t, and t* for every Rademacher sign vector (rows of ``signs``), by refitting."""
    kw = {"cov_type": "cluster", "cov_kwds": {"groups": cl, "df_correction": True}}
    full = sm.OLS(y, x).fit(**kw)
    t = float(r @ full.params / np.sqrt(r @ full.cov_params() @ r))
    rest = sm.OLS(y, x_restricted).fit()
    fitted, resid = rest.fittedvalues, rest.resid
    g = len(np.unique(cl))
    signs = np.array(list(itertools.product([-1.0, 1.0], repeat=g)))
    tb = []
    for v in signs:
        boot = sm.OLS(fitted + v[cl] * resid, x).fit(**kw)
        tb.append(r @ boot.params / np.sqrt(r @ boot.cov_params() @ r))
    return t, signs, np.array(tb)


@pytest.mark.parametrize("contrast", ["single", "difference"])
def test_exact_enumeration_with_four_clusters(contrast: str) -> None:
    rng = np.random.default_rng(5)
    cl = np.repeat(np.arange(4), [6, 9, 5, 8])
    n = len(cl)
    x1, x2 = rng.normal(size=n) + rng.normal(size=4)[cl], rng.normal(size=n)
    x = np.column_stack([np.ones(n), x1, x2, (cl == 1).astype(float)])
    y = 0.3 * x1 + 0.2 * x2 + rng.normal(size=4)[cl] + rng.normal(size=n) * (1 + cl)
    if contrast == "single":  # H0: b1 = 0 -> drop x1
        r = np.array([0.0, 1.0, 0.0, 0.0])
        xr = x[:, [0, 2, 3]]
    else:  # H0: b1 = b2 -> one coefficient on x1 + x2
        r = np.array([0.0, 1.0, -1.0, 0.0])
        xr = np.column_stack([x[:, 0], x1 + x2, x[:, 3]])
    t, signs, tb = _by_hand(x, y, cl, r, xr)
    got = inf.wild_cluster_bootstrap(x, y, cl, r, weights=signs, ci=False)[0]
    np.testing.assert_allclose(got.t_boot, tb, rtol=1e-8, atol=1e-10)
    assert got.statistic == pytest.approx(t, rel=1e-9)
    # all-equal signs reproduce the sample: a tie, not more extreme
    assert abs(tb[0]) == pytest.approx(abs(t), rel=1e-9)
    assert abs(tb[-1]) == pytest.approx(abs(t), rel=1e-9)
    exact = np.mean(np.abs(tb) > abs(t) * (1 + 1e-8))
    assert got.p_value == pytest.approx(exact, abs=1e-12)
    assert got.p_value * 16 == round(got.p_value * 16)


def test_interval_inverts_the_test() -> None:
    x, y, cl = _panel(9, effect=0.8)
    r = np.eye(x.shape[1])[1]
    t = inf.wild_cluster_bootstrap(x, y, cl, r)[0]
    assert t.ci_low < t.estimate < t.ci_high
    for bound in (t.ci_low, t.ci_high):
        eps = 1e-6 * t.std_error
        inside = bound + eps if bound < t.estimate else bound - eps
        outside = bound - eps if bound < t.estimate else bound + eps
        p_in = inf.wild_cluster_bootstrap(x, y, cl, r, null=inside, ci=False)[0].p_value
        p_out = inf.wild_cluster_bootstrap(x, y, cl, r, null=outside, ci=False)[0].p_value
        assert p_in >= 0.05 > p_out
    # the sample's own null: the p-value from ``null`` agrees with the statistic's
    same = inf.wild_cluster_bootstrap(x, y, cl, r, null=0.0, ci=False)[0]
    assert same.p_value == t.p_value


def test_deterministic_and_seeded() -> None:
    x, y, cl = _panel(2)
    r = np.eye(x.shape[1])[1]
    a = inf.wild_cluster_bootstrap(x, y, cl, r)[0]
    b = inf.wild_cluster_bootstrap(x, y, cl, r)[0]
    c = inf.wild_cluster_bootstrap(x, y, cl, r, seed=inf.SEED + 1)[0]
    assert (a.p_value, a.ci_low, a.ci_high) == (b.p_value, b.ci_low, b.ci_high)
    assert not np.array_equal(a.t_boot, c.t_boot)
    assert a.reps == 999 and a.n_clusters == 12


def test_webb_weights_have_mean_zero_and_unit_variance() -> None:
    w = inf.WEBB_WEIGHTS
    assert len(set(w)) == 6
    assert w.mean() == pytest.approx(0.0, abs=1e-15)
    assert (w**2).mean() == pytest.approx(1.0)


def test_degenerate_and_bad_input() -> None:
    x, y, cl = _panel(4)
    # an exact fit: zero standard error, no test
    t = inf.wild_cluster_bootstrap(x, x @ np.linspace(0, 1, x.shape[1]), cl,
                                   np.eye(x.shape[1])[1])[0]
    assert np.isnan(t.p_value) and np.isnan(t.ci_low)
    with pytest.raises(ValueError, match="contrasts must have"):
        inf.wild_cluster_bootstrap(x, y, cl, [1.0, 0.0])
    with pytest.raises(ValueError, match="at least 2 clusters"):
        inf.wild_cluster_bootstrap(x, y, np.zeros(len(y)), np.eye(x.shape[1])[1])
    with pytest.raises(ValueError, match="weights must be"):
        inf.wild_cluster_bootstrap(x, y, cl, np.eye(x.shape[1])[1], weights="mammen")
    with pytest.raises(ValueError, match="weights must be"):
        inf.wild_cluster_bootstrap(x, y, cl, np.eye(x.shape[1])[1], weights=np.ones((5, 3)))
    with pytest.raises(ValueError, match="clusters must"):
        inf.wild_cluster_bootstrap(x, y, cl[:-1], np.eye(x.shape[1])[1])


@pytest.mark.parametrize(("treated", "crve_above"), [(3, 0.09), (9, None)])
def test_size_with_few_treated_clusters(treated: int, crve_above: float | None) -> None:
    """Under the null (no effect), 21 clusters, cluster-level shocks to the treated periods.

    With 3 treated clusters the cluster-robust t on G-1 df over-rejects (about 11% at 5%) while
    the bootstrap does not (it is conservative there, about 2%, as MacKinnon & Webb 2018 find
    for WCR with very few treated clusters); with 9 treated both reject about 3%."""
    sims, hits_boot, hits_crve = 400, 0, 0
    q = sps.t.ppf(0.975, 20)
    for s in range(sims):
        x, y, cl = _panel(1000 + s, g=21, t=12, treated=treated)
        t = inf.wild_cluster_bootstrap(x, y, cl, np.eye(x.shape[1])[1], reps=199,
                                       seed=s, ci=False)[0]
        hits_boot += t.p_value < 0.05
        hits_crve += abs(t.statistic) > q
    # binomial sd at 5% over 400 draws is 1.1 points
    assert 0.01 <= hits_boot / sims <= 0.08
    if crve_above is not None:
        assert hits_crve / sims > crve_above
