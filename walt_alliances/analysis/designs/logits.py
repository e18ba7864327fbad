"""Logit fits for the designs' dyad-year models, with the variances the results report.

The designs' logits (balance of power and of threat in sample, ideology on onset, penetration
instruments on onset, the multilateral weighting) are maximum-likelihood logits from statsmodels.
Their errors are dyadic-robust (Aronow, Samii and Assenova 2015;
:func:`walt_alliances.analysis.inference.vcov_dyadic`) with a t reference on G-1 degrees of
freedom (G = actors in the sample), the default of the hypothesis tests, and clustered by dyad
(CR1, statsmodels' ``cov_type="cluster"``, normal reference).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ._rows import coef_rows

__all__ = ["logit_rows", "fit_weighted_logit"]


def _dyadic(res: Any, X: np.ndarray, y: np.ndarray, a: np.ndarray, b: np.ndarray,
            weights: np.ndarray | None = None) -> np.ndarray:
    """Dyadic-robust covariance (:func:`walt_alliances.analysis.inference.vcov_dyadic`)."""
    from walt_alliances.analysis.inference import vcov_dyadic

    p = np.asarray(res.predict(X))
    w = np.ones(len(y)) if weights is None else weights
    scores = (w * (y - p))[:, None] * X
    bread = np.linalg.inv((X * (w * p * (1 - p))[:, None]).T @ X)
    return np.asarray(vcov_dyadic(scores, bread, a, b))


def logit_rows(d: pd.DataFrame, outcome: str, terms: list[str], *, model_id: str,
               hypothesis: str | Mapping[str, str], unit: str,
               expected: Mapping[str, int], weights: np.ndarray | None = None,
               cluster: str = "cluster") -> tuple[list[dict[str, Any]], Any]:
    """Fit a logit and return its ``results.csv`` rows (every variance) and the fit.

    Parameters
    ----------
    d : pandas.DataFrame
        Estimation sample with ``outcome``, ``terms``, ``actor_a``, ``actor_b`` and the
        ``cluster`` column.
    outcome : str
        0/1 column.
    terms : list of str
        Regressors (an intercept ``const`` is added).
    model_id, hypothesis, unit : str
        Labels for the rows (``hypothesis`` may map term -> hypothesis).
    expected : mapping
        Key terms and expected signs.
    weights : ndarray, optional
        Frequency-style weights (the multilateral sensitivity: 1/(k-1) per pair); the fit is a
        weighted GLM and the clustered errors are computed on the weighted scores.
    cluster : str
        Column with the cluster labels of the ``cluster_*`` variance.
    """
    y = d[outcome].to_numpy(dtype="float64")
    X = sm.add_constant(d[terms].to_numpy(dtype="float64"), has_constant="add")
    names = ["const", *terms]
    groups = pd.factorize(d[cluster])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if weights is None:
            res = sm.Logit(y, X).fit(disp=0, method="newton", maxiter=100,
                                     cov_type="cluster", cov_kwds={"groups": groups})
        else:
            res = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=weights).fit(
                cov_type="cluster", cov_kwds={"groups": groups})
    params = dict(zip(names, np.asarray(res.params), strict=True))
    sd = {t: float(d[t].astype("float64").std()) for t in terms}
    hyp = hypothesis if isinstance(hypothesis, str) else "designs"
    common: dict[str, Any] = {
        "model_id": model_id, "hypothesis": hyp, "outcome": outcome, "unit": unit,
        "expected": expected, "n": len(y), "events": int(y.sum()), "method": "logit",
        "loglik": float(res.llf), "sd": sd}
    rows = coef_rows(params=params, bse=dict(zip(names, np.asarray(res.bse), strict=True)),
                     se_type="cluster_dyad", df=None, n_clusters=int(groups.max() + 1),
                     **common)
    actors_a, actors_b = d["actor_a"].to_numpy(), d["actor_b"].to_numpy()
    vd = _dyadic(res, X, y, actors_a, actors_b, weights)
    g = len(set(actors_a) | set(actors_b))
    dv = np.diag(vd)  # the dyadic estimator need not be positive definite: <= 0 is missing
    se = np.sqrt(np.where(dv > 0, dv, np.nan))
    rows += coef_rows(params=params, bse=dict(zip(names, se, strict=True)),
                      se_type="dyadic", df=g - 1, n_clusters=g, **common)
    if not isinstance(hypothesis, str):
        for r in rows:
            r["hypothesis"] = hypothesis.get(r["term"], r["hypothesis"])
    return rows, res


def fit_weighted_logit(d: pd.DataFrame, outcome: str, terms: list[str],
                       weights: np.ndarray) -> Any:
    """Weighted logit (binomial GLM with variance weights), for the multilateral sensitivity."""
    X = sm.add_constant(d[terms].to_numpy(dtype="float64"), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(d[outcome].to_numpy(dtype="float64"), X, family=sm.families.Binomial(),
                      var_weights=weights).fit()
