"""Variance estimators for dyadic data with few actors.

A dyad-year involves two actors, and two dyads that share an actor (Egypt-Syria and
Egypt-Jordan) are not independent: a shock to Egypt moves both. Clustering by dyad ignores
that dependence. This module provides the dyadic-robust variance of Aronow, Samii and
Assenova (2015), the default of :mod:`walt_alliances.analysis.hypotheses`, and the
alternatives reported beside it.

Every estimator is a function of the per-observation score contributions ``u_m`` (an
``n x k`` array) and the bread ``A`` (the ``k x k`` inverse of the information, i.e. the
inverse of minus the Hessian of the log-likelihood), plus the two actors of each
observation:

``dyadic`` (default, :func:`vcov_dyadic`)
    ``V = c A M A`` with ``M = sum_{m, n} 1[m and n share an actor] u_m u_n'`` (Aronow,
    Samii & Assenova 2015, eq. 4; Cameron & Miller 2014). Computed in ``O(n k^2)`` as
    ``M = sum_a S_a S_a' - sum_d D_d D_d'``, where ``S_a`` sums the scores of the
    observations that involve actor ``a`` (on either side) and ``D_d`` those of the
    non-directed dyad ``d``: a pair of observations that shares one actor is counted once
    by the first sum, a pair in the same dyad (which shares both) twice, hence the
    correction. ``c = G/(G-1) * (n-1)/(n-k)`` with ``G`` the number of distinct actors (the
    CR1 factor with actors as clusters); ``small_sample=False`` sets ``c = 1``.
``cluster_dyad``
    CR1 with the non-directed dyad as the cluster
    (:func:`statsmodels.stats.sandwich_covariance.cov_cluster`, which equals R's
    ``sandwich::vcovCL(type = "HC1")``).
``twoway``
    Two-way clustering by ``actor_a`` and ``actor_b`` (Cameron, Gelbach & Miller 2011):
    ``V_a + V_b - V_ab``, each CR1
    (:func:`statsmodels.stats.sandwich_covariance.cov_cluster_2groups`).
``jackknife_actor``
    Delete-one-actor jackknife: drop every observation that involves actor ``g``, refit,
    ``V = (G-1)/G sum_g (b_(g) - mean b)(b_(g) - mean b)'``.
``wild_actor``
    Wild score bootstrap with actor-level Rademacher weights ``w_a`` (Kline & Santos 2012):
    draw ``b* = b + A sum_m u_m (w_{a(m)} + w_{b(m)})``, ``V`` = the mean of
    ``(b* - b)(b* - b)'`` over ``reps`` draws, with a fixed seed. Its expectation is
    ``A (sum_a S_a S_a') A``, which counts a pair of observations in the same dyad twice,
    so it is a conservative (larger) cousin of the dyadic variance rather than an
    independent check of it.

Inference uses a t reference distribution with ``G - 1`` degrees of freedom, ``G`` the
number of clusters of the variance: actors for ``dyadic``, ``jackknife_actor`` and
``wild_actor``, dyads for ``cluster_dyad``, the smaller of the two actor dimensions for
``twoway`` (as statsmodels does).

How well the default works is checked by Monte Carlo in ``tests/analysis/test_inference.py``
(logit with a known coefficient, actor-level shocks in both the regressor and the error): with
100 actors the dyadic 95% intervals cover 94-96% of 500 draws and the dyad-clustered ones
83-85%. With few actors the dyadic variance is biased downwards as well (about 87-91% coverage
with 26 actors and stronger actor shocks), so read it beside the actor jackknife.

References
----------
Aronow, P. M., Samii, C. and Assenova, V. A. (2015). Cluster-robust variance estimation
for dyadic data. *Political Analysis* 23(4), 564-577.

Cameron, A. C., Gelbach, J. B. and Miller, D. L. (2011). Robust inference with multiway
clustering. *Journal of Business & Economic Statistics* 29(2), 238-249.

Cameron, A. C. and Miller, D. L. (2014). Robust inference for dyadic data. Working paper,
University of California, Davis.

Kline, P. and Santos, A. (2012). A score based approach to wild bootstrap inference.
*Journal of Econometric Methods* 1(1), 23-41.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from statsmodels.stats import sandwich_covariance as sw

__all__ = [
    "DEFAULT_SE",
    "SEED",
    "SE_TYPES",
    "SEType",
    "cov_for",
    "n_clusters_for",
    "psd_fix",
    "score_and_bread",
    "vcov_cluster_dyad",
    "vcov_dyadic",
    "vcov_jackknife_actor",
    "vcov_twoway",
    "vcov_wild_actor",
    "with_cov",
]

SEType = Literal["dyadic", "cluster_dyad", "twoway", "jackknife_actor", "wild_actor"]
#: Every variance type, the default first.
SE_TYPES: tuple[SEType, ...] = ("dyadic", "cluster_dyad", "twoway", "jackknife_actor",
                                "wild_actor")
DEFAULT_SE: SEType = "dyadic"
#: Seed of the wild bootstrap (fixed, so outputs are byte-identical on re-run).
SEED = 20240101
#: Bootstrap draws of the wild bootstrap.
WILD_REPS = 999

Refit = Callable[[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
                 NDArray[np.float64]]


def _codes(actor_a: ArrayLike, actor_b: ArrayLike, n: int
           ) -> tuple[NDArray[np.intp], NDArray[np.intp], int]:
    a = np.asarray(actor_a)
    b = np.asarray(actor_b)
    if a.ndim != 1 or b.ndim != 1 or a.shape[0] != n or b.shape[0] != n:
        raise ValueError(f"actor_a and actor_b must be one-dimensional with {n} entries "
                         f"(one per observation); got {a.shape} and {b.shape}")
    if pd.isna(a).any() or pd.isna(b).any():
        raise ValueError("actor_a and actor_b must not have missing values")
    codes, uniques = pd.factorize(np.concatenate([a, b]), sort=True)
    ca, cb = codes[:n].astype(np.intp), codes[n:].astype(np.intp)
    if (ca == cb).any():
        i = int(np.flatnonzero(ca == cb)[0])
        raise ValueError(f"observation {i} pairs actor {a[i]!r} with itself; a dyad has two "
                         "distinct actors")
    g = len(uniques)
    if g < 3:
        raise ValueError(f"dyadic variance needs at least 3 actors; got {g}")
    return ca, cb, g


def _dyad_codes(ca: NDArray[np.intp], cb: NDArray[np.intp]) -> NDArray[np.intp]:
    lo, hi = np.minimum(ca, cb), np.maximum(ca, cb)
    codes, _ = pd.factorize(lo * (int(hi.max()) + 1) + hi, sort=True)
    return codes.astype(np.intp)


def _sums(u: NDArray[np.float64], codes: NDArray[np.intp], size: int) -> NDArray[np.float64]:
    """Column sums of ``u`` by group code (``size`` groups)."""
    return np.column_stack([np.bincount(codes, weights=u[:, j], minlength=size)
                            for j in range(u.shape[1])])


def _check(scores: ArrayLike, bread: ArrayLike) -> tuple[NDArray[np.float64],
                                                         NDArray[np.float64]]:
    u = np.asarray(scores, dtype=float)
    if u.ndim == 1:
        u = u[:, None]
    a = np.asarray(bread, dtype=float)
    if u.ndim != 2 or a.shape != (u.shape[1], u.shape[1]):
        raise ValueError(f"scores must be n x k and bread k x k; got {u.shape} and {a.shape}")
    if not (np.isfinite(u).all() and np.isfinite(a).all()):
        raise ValueError("scores and bread must be finite")
    return u, a


def _sym(v: NDArray[np.float64]) -> NDArray[np.float64]:
    return cast(NDArray[np.float64], 0.5 * (v + v.T))


def vcov_dyadic(scores: ArrayLike, bread: ArrayLike, actor_a: ArrayLike, actor_b: ArrayLike,
                *, small_sample: bool = True) -> NDArray[np.float64]:
    """Dyadic-robust covariance matrix (Aronow, Samii & Assenova 2015).

    Parameters
    ----------
    scores : array_like, shape (n, k)
        Per-observation score contributions at the estimate (for a logit,
        ``x_m (y_m - p_m)``).
    bread : array_like, shape (k, k)
        Inverse of the information matrix (inverse of minus the Hessian of the
        log-likelihood) at the estimate.
    actor_a, actor_b : array_like, shape (n,)
        The two actors of each observation (any hashable ids). Directed and non-directed
        dyads are treated alike: only which actors an observation involves matters.
    small_sample : bool, default True
        Multiply by ``G/(G-1) * (n-1)/(n-k)``, ``G`` the number of distinct actors.

    Returns
    -------
    numpy.ndarray, shape (k, k)
        ``c A M A`` with ``M`` the sum of ``u_m u_n'`` over every ordered pair of
        observations (including ``m = n``) that share at least one actor (see the module
        docstring).

    Raises
    ------
    ValueError
        On mismatched shapes, missing actors, an observation pairing an actor with itself,
        or fewer than 3 actors.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.array([[1.0], [-1.0], [0.5]])
    >>> vcov_dyadic(u, np.eye(1), ["A", "A", "B"], ["B", "C", "C"], small_sample=False)
    array([[0.25]])
    """
    u, bread_ = _check(scores, bread)
    n, k = u.shape
    ca, cb, g = _codes(actor_a, actor_b, n)
    s = _sums(u, ca, g) + _sums(u, cb, g)
    dy = _dyad_codes(ca, cb)
    d = _sums(u, dy, int(dy.max()) + 1)
    meat = s.T @ s - d.T @ d
    v = bread_ @ meat @ bread_
    if small_sample:
        v = v * (g / (g - 1.0) * (n - 1.0) / (n - k))
    return _sym(v)


def vcov_cluster_dyad(scores: ArrayLike, bread: ArrayLike, actor_a: ArrayLike,
                      actor_b: ArrayLike, *, small_sample: bool = True) -> NDArray[np.float64]:
    """CR1 covariance clustered by non-directed dyad (statsmodels ``cov_cluster``).

    Parameters and returns as :func:`vcov_dyadic`; the clusters are the unordered pairs
    ``{actor_a, actor_b}``, and ``small_sample`` applies ``G/(G-1) * (n-1)/(n-k)`` with
    ``G`` the number of dyads.
    """
    u, bread_ = _check(scores, bread)
    ca, cb, _ = _codes(actor_a, actor_b, u.shape[0])
    return _sym(np.asarray(sw.cov_cluster((u, bread_), _dyad_codes(ca, cb),
                                          use_correction=small_sample), dtype=float))


def vcov_twoway(scores: ArrayLike, bread: ArrayLike, actor_a: ArrayLike, actor_b: ArrayLike,
                *, small_sample: bool = True) -> NDArray[np.float64]:
    """Two-way CR1 covariance clustered by ``actor_a`` and by ``actor_b`` (CGM 2011).

    ``V_a + V_b - V_ab`` (statsmodels ``cov_cluster_2groups``), where ``V_ab`` clusters by
    the ordered pair. On a non-directed panel ``actor_a`` is the alphabetically first actor,
    so an actor's dyads split between the two dimensions; that is exactly the dependence the
    dyadic variance adds.
    """
    u, bread_ = _check(scores, bread)
    ca, cb, _ = _codes(actor_a, actor_b, u.shape[0])
    cov = sw.cov_cluster_2groups((u, bread_), ca, cb, use_correction=small_sample)[0]
    return _sym(np.asarray(cov, dtype=float))


def vcov_jackknife_actor(params: ArrayLike, endog: ArrayLike, exog: ArrayLike,
                         actor_a: ArrayLike, actor_b: ArrayLike, refit: Refit
                         ) -> NDArray[np.float64]:
    """Delete-one-actor jackknife covariance.

    Parameters
    ----------
    params : array_like, shape (k,)
        The full-sample estimate (used as the starting value of each refit).
    endog, exog : array_like
        The estimation sample (``n`` and ``n x k``).
    actor_a, actor_b : array_like, shape (n,)
        The two actors of each observation.
    refit : callable
        ``refit(y, X, start) -> params`` fitting the same estimator on a subsample.

    Returns
    -------
    numpy.ndarray, shape (k, k)
        ``(G-1)/G sum_g (b_(g) - bbar)(b_(g) - bbar)'``, ``b_(g)`` the estimate without every
        observation involving actor ``g``. All ``nan`` if some refit fails (e.g. a term is
        constant once an actor is dropped): the jackknife is then undefined.
    """
    y = np.asarray(endog, dtype=float)
    x = np.asarray(exog, dtype=float)
    b0 = np.asarray(params, dtype=float)
    ca, cb, g = _codes(actor_a, actor_b, y.shape[0])
    k = x.shape[1]
    draws = np.empty((g, k))
    for a in range(g):
        keep = (ca != a) & (cb != a)
        yk, xk = y[keep], x[keep]
        if yk.size == 0 or yk.min() == yk.max():
            return np.full((k, k), np.nan)
        try:
            draws[a] = refit(yk, xk, b0)
        except (np.linalg.LinAlgError, ValueError, RuntimeError):
            return np.full((k, k), np.nan)
    if not np.isfinite(draws).all():
        return np.full((k, k), np.nan)
    dev = draws - draws.mean(axis=0)
    return _sym((g - 1.0) / g * dev.T @ dev)


def vcov_wild_actor(scores: ArrayLike, bread: ArrayLike, actor_a: ArrayLike,
                    actor_b: ArrayLike, *, reps: int = WILD_REPS, seed: int = SEED
                    ) -> NDArray[np.float64]:
    """Wild score bootstrap covariance with actor-level Rademacher weights.

    Parameters
    ----------
    scores, bread, actor_a, actor_b
        As in :func:`vcov_dyadic`.
    reps : int
        Bootstrap draws.
    seed : int
        Seed of :func:`numpy.random.default_rng` (fixed for reproducible outputs).

    Returns
    -------
    numpy.ndarray, shape (k, k)
        The mean of ``(b* - b)(b* - b)'`` with ``b* - b = A sum_m u_m (w_a(m) + w_b(m))``.
    """
    u, bread_ = _check(scores, bread)
    ca, cb, g = _codes(actor_a, actor_b, u.shape[0])
    if reps < 2:
        raise ValueError("reps must be at least 2")
    s = _sums(u, ca, g) + _sums(u, cb, g)
    w = np.random.default_rng(seed).choice(np.array([-1.0, 1.0]), size=(reps, g))
    dev = (w @ s) @ bread_  # (reps, k): each row is (A S' w)'
    return _sym(dev.T @ dev / reps)


# --------------------------------------------------------------------------------------
# statsmodels results
# --------------------------------------------------------------------------------------


def score_and_bread(result: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-observation scores and the bread of a fitted statsmodels likelihood model.

    If the result carries ``firth_scores`` (see
    :func:`walt_alliances.analysis.estimation.fit_logit`), those Firth-modified scores are
    used; the bread is the inverse of minus the model's Hessian at ``params``.
    """
    inner = getattr(result, "_results", result)
    params = np.asarray(inner.params, dtype=float)
    scores = getattr(inner, "firth_scores", None)
    if scores is None:
        scores = inner.model.score_obs(params)
    bread = np.linalg.inv(-np.asarray(inner.model.hessian(params), dtype=float))
    return np.asarray(scores, dtype=float), _sym(bread)


def n_clusters_for(se_type: SEType, actor_a: ArrayLike, actor_b: ArrayLike) -> int:
    """Number of clusters behind a variance type (its t reference has this minus 1 df)."""
    n = np.asarray(actor_a).shape[0]
    ca, cb, g = _codes(actor_a, actor_b, n)
    if se_type == "cluster_dyad":
        return int(_dyad_codes(ca, cb).max()) + 1
    if se_type == "twoway":
        return int(min(np.unique(ca).size, np.unique(cb).size))
    if se_type in SE_TYPES:
        return g
    raise ValueError(f"se_type must be one of {', '.join(SE_TYPES)}; got {se_type!r}")


def _default_refit(model_class: Any) -> Refit:
    def refit(y: NDArray[np.float64], x: NDArray[np.float64],
              start: NDArray[np.float64]) -> NDArray[np.float64]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = model_class(y, x, check_rank=False).fit(
                start_params=start, method="newton", disp=0, maxiter=100,
                warn_convergence=False)
        if not res.mle_retvals.get("converged", True):
            raise RuntimeError("refit did not converge")
        return np.asarray(res.params, dtype=float)
    return refit


def psd_fix(cov: ArrayLike) -> NDArray[np.float64]:
    """Set the negative eigenvalues of a symmetric matrix to zero (CGM 2011, section 2.3).

    The dyadic and two-way variances are sums and differences of sandwiches and need not be
    positive semi-definite in a finite sample; this is the fix Cameron, Gelbach and Miller
    propose. A positive semi-definite input is returned unchanged.
    """
    v = _sym(np.asarray(cov, dtype=float))
    if not np.isfinite(v).all():
        return v
    w, q = np.linalg.eigh(v)
    if w.min() >= 0:
        return v
    return _sym((q * np.clip(w, 0.0, None)) @ q.T)


def cov_for(result: Any, se_type: SEType, actor_a: ArrayLike, actor_b: ArrayLike, *,
            small_sample: bool = True, refit: Refit | None = None, reps: int = WILD_REPS,
            seed: int = SEED, fix_psd: bool = False) -> NDArray[np.float64]:
    """Covariance matrix of one type for a fitted statsmodels model.

    Parameters
    ----------
    result : statsmodels results
        A fitted likelihood model (``Logit``, ``Probit``, ``GLM`` binomial ...).
    se_type : {"dyadic", "cluster_dyad", "twoway", "jackknife_actor", "wild_actor"}
        Variance type (see the module docstring).
    actor_a, actor_b : array_like
        The two actors of each observation of the estimation sample, in its order.
    small_sample : bool
        Small-sample factor for the sandwich types.
    refit : callable, optional
        Refit function for the jackknife (default: the result's model class, Newton,
        started at the estimate).
    reps, seed : int
        Wild bootstrap draws and seed.
    fix_psd : bool
        Apply :func:`psd_fix` to the dyadic and two-way variances when they have a negative
        eigenvalue. Off by default: when a variance's own diagonal is negative the standard
        error is reported as missing (not estimable) rather than made up by the fix, which
        can shrink it far below every other estimate.

    Returns
    -------
    numpy.ndarray
    """
    scores, bread = score_and_bread(result)
    if se_type == "dyadic":
        v = vcov_dyadic(scores, bread, actor_a, actor_b, small_sample=small_sample)
        return psd_fix(v) if fix_psd else v
    if se_type == "cluster_dyad":
        return vcov_cluster_dyad(scores, bread, actor_a, actor_b, small_sample=small_sample)
    if se_type == "twoway":
        v = vcov_twoway(scores, bread, actor_a, actor_b, small_sample=small_sample)
        return psd_fix(v) if fix_psd else v
    if se_type == "wild_actor":
        return vcov_wild_actor(scores, bread, actor_a, actor_b, reps=reps, seed=seed)
    if se_type == "jackknife_actor":
        inner = getattr(result, "_results", result)
        model = inner.model
        fn = refit if refit is not None else _default_refit(type(model))
        return vcov_jackknife_actor(inner.params, model.endog, model.exog, actor_a, actor_b,
                                    fn)
    raise ValueError(f"se_type must be one of {', '.join(SE_TYPES)}; got {se_type!r}")


def with_cov(result: Any, cov: ArrayLike, se_type: str, n_clusters: int) -> Any:
    """Return a copy of a statsmodels result with a covariance matrix attached.

    The copy reports ``bse``, ``tvalues``, ``pvalues``, ``conf_int()``, ``summary()``,
    ``t_test()`` and ``get_margeff()`` under ``cov``, with a t reference distribution on
    ``n_clusters - 1`` degrees of freedom (``df_resid_inference``, as statsmodels does for
    its own cluster-robust covariances). ``cov_type`` is set to ``se_type`` and
    ``cov_kwds["n_clusters"]`` to ``n_clusters``. A diagonal entry that is zero, negative or
    missing (possible for the dyadic and two-way variances when nearly every observation
    shares one of very few actors) is set to ``nan``, so that term's standard error, test and
    interval are reported as missing rather than as infinitely precise. The original result
    is not modified.

    Parameters
    ----------
    result : statsmodels results (or its wrapper)
    cov : array_like, shape (k, k)
    se_type : str
    n_clusters : int

    Returns
    -------
    statsmodels results wrapper of the same class.
    """
    inner = getattr(result, "_results", result)
    v = np.asarray(cov, dtype=float)
    k = len(np.asarray(inner.params))
    if v.shape != (k, k):
        raise ValueError(f"cov must be {k} x {k}; got {v.shape}")
    if n_clusters < 2:
        raise ValueError("n_clusters must be at least 2")
    v = v.copy()
    diag = np.diag(v).copy()
    bad = ~(diag > 0)
    if bad.any():  # a variance that is zero or negative is not an estimate: report it missing
        diag[bad] = np.nan
        np.fill_diagonal(v, diag)
    new = copy.copy(inner)
    new._cache = {}
    new.cov_params_default = v
    new.cov_type = se_type
    new.cov_kwds = {"description": f"{se_type} covariance, t reference on "
                                   f"{n_clusters - 1} df", "n_clusters": n_clusters}
    new.use_t = True
    new.df_resid_inference = n_clusters - 1
    wrapper = type(result) if hasattr(result, "_results") else None
    return wrapper(new) if wrapper is not None else new
