"""Estimation engine: logistic regression with separation checks, Firth fallback and clustering.

This module is self-contained: it needs numpy, pandas and scipy, and nothing else from
``walt_alliances``. The rest of the package imports it lazily, so building panels never
requires it.

Public API
----------
fit_logit
    Ordinary or Firth-penalized logit with cluster-robust, robust or model-based standard
    errors, after a linear-programming check for separation.
detect_separation
    The separation check on its own (Konis 2007).
LogitResult
    Frozen result record with a tidy :meth:`LogitResult.to_frame`.
lr_test, information_criteria
    Likelihood-ratio test for nested models and an AIC/BIC comparison table.
time_since_event, temporal_terms
    Temporal-dependence terms for onset models (Beck, Katz & Tucker 1998; Carter & Signorino
    2010).

References
----------
Albert, A. and Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
logistic regression models. *Biometrika* 71(1), 1-10.

Beck, N., Katz, J. N. and Tucker, R. (1998). Taking time seriously: time-series-cross-section
analysis with a binary dependent variable. *American Journal of Political Science* 42(4),
1260-1288.

Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
*Journal of Human Resources* 50(2), 317-372.

Carter, D. B. and Signorino, C. S. (2010). Back to the future: modeling time dependence in
binary data. *Political Analysis* 18(3), 271-292.

Firth, D. (1993). Bias reduction of maximum likelihood estimates. *Biometrika* 80(1), 27-38.

Harrell, F. E. (2015). *Regression Modeling Strategies*, 2nd ed., section 2.4.5 (restricted
cubic splines). Springer.

Heinze, G. and Schemper, M. (2002). A solution to the problem of separation in logistic
regression. *Statistics in Medicine* 21(16), 2409-2419.

Konis, K. (2007). *Linear programming algorithms for detecting separated data in binary
logistic regression models*. DPhil thesis, University of Oxford.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, stats

__all__ = [
    "CIMethod",
    "FitMethod",
    "LogitResult",
    "MethodUsed",
    "SEType",
    "SeparationKind",
    "SeparationReport",
    "SeparationWarning",
    "TemporalKind",
    "TIDY_COLUMNS",
    "detect_separation",
    "fit_logit",
    "information_criteria",
    "lr_test",
    "temporal_terms",
    "time_since_event",
]

SEType = Literal["cluster", "robust", "nonrobust"]
FitMethod = Literal["auto", "logit", "firth"]
MethodUsed = Literal["logit", "firth"]
SeparationKind = Literal["none", "quasi", "complete"]
CIMethod = Literal["wald", "profile"]
TemporalKind = Literal["cubic", "spline"]

_SE_TYPES: tuple[str, ...] = ("cluster", "robust", "nonrobust")
_METHODS: tuple[str, ...] = ("auto", "logit", "firth")
_CI_METHODS: tuple[str, ...] = ("wald", "profile")

#: Columns of :meth:`LogitResult.to_frame`, in order.
TIDY_COLUMNS: tuple[str, ...] = (
    "model_id",
    "hypothesis",
    "term",
    "estimate",
    "std_error",
    "se_type",
    "z",
    "p_value",
    "ci_low",
    "ci_high",
    "odds_ratio",
    "n",
    "events",
    "loglik",
    "converged",
    "method",
)

# Largest absolute Newton step per iteration (logistf's ``maxstep`` default is 5).
_MAX_STEP = 5.0
# Largest number of step halvings within one iteration.
_MAX_HALVINGS = 30
# Tolerance for the separation linear programs, on columns scaled to max |x| = 1 and
# directions bounded to |b_j| <= 1.
_LP_TOL = 1e-7


class SeparationWarning(UserWarning):
    """Ordinary maximum likelihood was forced on separated data; estimates are not finite."""


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


# --------------------------------------------------------------------------------------
# Result record
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SeparationReport:
    """Outcome of :func:`detect_separation`.

    Attributes
    ----------
    kind : {"none", "quasi", "complete"}
        ``"complete"``: some direction ``b`` classifies every observation strictly,
        ``s_i x_i'b > 0`` with ``s_i = 2 y_i - 1``. ``"quasi"``: no such direction, but some
        ``b != 0`` has ``s_i x_i'b >= 0`` for all ``i``. ``"none"``: overlap, so the maximum
        likelihood estimate exists and is finite (Albert & Anderson 1984).
    terms : tuple of str
        Terms with a non-zero coefficient in at least one separating direction: the
        coefficients whose maximum likelihood estimates are infinite. Empty when ``kind`` is
        ``"none"``.
    direction : pandas.Series or None
        One separating direction (scaled back to the original units of ``X``), or ``None``.
    """

    kind: SeparationKind
    terms: tuple[str, ...]
    direction: pd.Series | None


@dataclass(frozen=True, eq=False)
class LogitResult:
    """A fitted logit (ordinary or Firth), as returned by :func:`fit_logit`.

    All per-term attributes are :class:`pandas.Series` indexed by term name, in the column
    order of the design matrix (``const`` first when it was added).

    Attributes
    ----------
    params, bse, z, pvalues : pandas.Series
        Estimates, standard errors (of the kind named by ``se_type``), Wald z statistics
        ``params / bse`` and two-sided normal p-values.
    ci_low, ci_high : pandas.Series
        Confidence limits at level ``1 - alpha``: Wald limits ``params -/+ z_{1-alpha/2} bse``
        unless ``ci_method == "profile"``.
    odds_ratios : pandas.Series
        ``exp(params)``.
    cov_params : pandas.DataFrame
        Estimated covariance matrix of the estimates (``bse`` is the root of its diagonal).
    n, events : int
        Number of observations and of observations with ``y == 1``.
    loglik, llnull : float
        Ordinary (unpenalized) Bernoulli log-likelihood at the reported estimates, for this
        model and for the intercept-only model fitted by the same method. For a Firth fit
        these are *not* maximized log-likelihoods (the Firth estimate maximizes the penalized
        one), so ``loglik`` is below what ordinary logit would reach.
    penalized_loglik, penalized_llnull : float
        Firth's penalized log-likelihood ``loglik + 0.5 * log det I(beta)`` for the model and
        for the intercept-only model; ``nan`` for ordinary logit.
    aic, bic : float
        ``-2 loglik + 2 k`` and ``-2 loglik + k log(n)``, with ``k`` the number of terms.
    converged : bool
        Whether Newton-Raphson met the tolerance within ``maxiter`` iterations.
    iterations : int
        Newton-Raphson iterations used.
    method : {"logit", "firth"}
        Estimator actually used.
    se_type : {"cluster", "robust", "nonrobust"}
        Kind of covariance matrix.
    n_clusters : int or None
        Number of clusters when ``se_type == "cluster"``.
    separation : {"none", "quasi", "complete"}
        Result of the separation check run before fitting.
    separation_terms : tuple of str
        Terms involved in the separation (see :class:`SeparationReport`).
    alpha : float
        One minus the confidence level of ``ci_low`` / ``ci_high``.
    ci_method : {"wald", "profile"}
        How the confidence limits were computed.
    """

    params: pd.Series
    bse: pd.Series
    z: pd.Series
    pvalues: pd.Series
    ci_low: pd.Series
    ci_high: pd.Series
    odds_ratios: pd.Series
    cov_params: pd.DataFrame
    n: int
    events: int
    loglik: float
    llnull: float
    penalized_loglik: float
    penalized_llnull: float
    aic: float
    bic: float
    converged: bool
    iterations: int
    method: MethodUsed
    se_type: SEType
    n_clusters: int | None
    separation: SeparationKind
    separation_terms: tuple[str, ...]
    alpha: float
    ci_method: CIMethod

    @property
    def terms(self) -> tuple[str, ...]:
        """Term names, in design-matrix order."""
        return tuple(str(t) for t in self.params.index)

    @property
    def k(self) -> int:
        """Number of estimated coefficients (including ``const``)."""
        return len(self.params)

    def to_frame(self, model_id: str, hypothesis: str) -> pd.DataFrame:
        """Return one tidy row per term.

        Parameters
        ----------
        model_id : str
            Identifier of the model specification (repeated on every row).
        hypothesis : str
            Hypothesis the model tests, e.g. ``"H1"`` (repeated on every row).

        Returns
        -------
        pandas.DataFrame
            Columns exactly :data:`TIDY_COLUMNS`: ``model_id, hypothesis, term, estimate,
            std_error, se_type, z, p_value, ci_low, ci_high, odds_ratio, n, events, loglik,
            converged, method``. Model-level values repeat on each row.
        """
        terms = list(self.terms)
        frame = pd.DataFrame(
            {
                "model_id": model_id,
                "hypothesis": hypothesis,
                "term": terms,
                "estimate": self.params.to_numpy(dtype=float),
                "std_error": self.bse.to_numpy(dtype=float),
                "se_type": self.se_type,
                "z": self.z.to_numpy(dtype=float),
                "p_value": self.pvalues.to_numpy(dtype=float),
                "ci_low": self.ci_low.to_numpy(dtype=float),
                "ci_high": self.ci_high.to_numpy(dtype=float),
                "odds_ratio": self.odds_ratios.to_numpy(dtype=float),
                "n": self.n,
                "events": self.events,
                "loglik": self.loglik,
                "converged": self.converged,
                "method": self.method,
            },
            index=pd.RangeIndex(len(terms)),
        )
        return frame.loc[:, list(TIDY_COLUMNS)]


# --------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------


def _prepare(
    y: ArrayLike | pd.Series, X: pd.DataFrame, add_const: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[str], pd.Index]:
    if not isinstance(X, pd.DataFrame):
        raise TypeError("X must be a pandas DataFrame with named columns")
    if X.columns.has_duplicates:
        dup = sorted({str(c) for c in X.columns[X.columns.duplicated()]})
        raise ValueError(f"X has duplicated column names: {dup}")
    if isinstance(y, pd.Series):
        if not y.index.equals(X.index):
            raise ValueError("y and X must have the same index")
        y_arr = y.to_numpy(dtype=float, na_value=np.nan)
    else:
        y_arr = np.asarray(y, dtype=float).ravel()
    if y_arr.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y_arr.shape[0]} rows but X has {X.shape[0]}")
    if X.shape[0] == 0:
        raise ValueError("no observations")
    if np.isnan(y_arr).any():
        raise ValueError("y has missing values; drop incomplete rows before fitting")
    if not np.isin(y_arr, (0.0, 1.0)).all():
        raise ValueError("y must contain only 0 and 1")
    if y_arr.min() == y_arr.max():
        raise ValueError("y has no variation (all 0 or all 1)")

    design = X.copy()
    if add_const and "const" not in design.columns:
        design.insert(0, "const", 1.0)
    try:
        x_arr = design.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"X must be numeric: {exc}") from exc
    bad = [str(c) for c, m in zip(design.columns, np.isnan(x_arr).any(axis=0), strict=True) if m]
    if bad:
        raise ValueError(f"X has missing values in {bad}; drop incomplete rows before fitting")
    if not np.isfinite(x_arr).all():
        raise ValueError("X has infinite values")
    names = [str(c) for c in design.columns]
    rank = np.linalg.matrix_rank(x_arr)
    if rank < x_arr.shape[1]:
        raise ValueError(
            f"X (with const) has rank {rank} < {x_arr.shape[1]} columns {names}: "
            "drop collinear or constant columns"
        )
    return y_arr, x_arr, names, X.index


def _cluster_codes(cluster: ArrayLike | pd.Series, index: pd.Index, n: int) -> NDArray[np.intp]:
    if isinstance(cluster, pd.Series):
        if not cluster.index.equals(index):
            raise ValueError("cluster and X must have the same index")
        values = cluster.to_numpy()
    else:
        values = np.asarray(cluster)
    if values.ndim != 1 or values.shape[0] != n:
        raise ValueError(f"cluster must be one-dimensional with {n} entries")
    if pd.isna(values).any():
        raise ValueError("cluster has missing values")
    codes, uniques = pd.factorize(values, sort=True)
    if len(uniques) < 2:
        raise ValueError("cluster-robust standard errors need at least 2 clusters")
    return codes.astype(np.intp)


# --------------------------------------------------------------------------------------
# Separation (Konis 2007)
# --------------------------------------------------------------------------------------


def _separation_arrays(
    y: NDArray[np.float64], x: NDArray[np.float64], names: Sequence[str]
) -> SeparationReport:
    n, k = x.shape
    scale = np.abs(x).max(axis=0)
    scale[scale == 0] = 1.0
    xs = x / scale
    xbar = (2.0 * y - 1.0)[:, None] * xs  # row i: s_i x_i
    bounds = [(-1.0, 1.0)] * k
    a_ub = -xbar  # xbar b >= 0  <=>  -xbar b <= 0
    b_ub = np.zeros(n)

    # (1) Any separating direction?  max 1'xbar b  s.t. xbar b >= 0, |b| <= 1.
    res = optimize.linprog(-xbar.sum(axis=0), A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0:  # pragma: no cover - the LP is always feasible (b = 0) and bounded
        raise RuntimeError(f"separation check failed: {res.message}")
    if -res.fun <= _LP_TOL * n:
        return SeparationReport(kind="none", terms=(), direction=None)
    direction = pd.Series(res.x / scale, index=list(names))

    # (2) Which coefficients can move in a separating direction?  For each j, max and min b_j
    # over the same cone. A term is involved if either optimum is non-zero.
    involved: list[str] = []
    for j, name in enumerate(names):
        for sign in (1.0, -1.0):
            c = np.zeros(k)
            c[j] = -sign
            r = optimize.linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
            if r.status == 0 and -r.fun > _LP_TOL:
                involved.append(name)
                break

    # (3) Complete separation?  max t  s.t. xbar b >= t, |b| <= 1, 0 <= t <= 1.
    c = np.zeros(k + 1)
    c[-1] = -1.0
    a3 = np.hstack([-xbar, np.ones((n, 1))])
    r3 = optimize.linprog(c, A_ub=a3, b_ub=b_ub, bounds=[*bounds, (0.0, 1.0)], method="highs")
    complete = r3.status == 0 and -r3.fun > _LP_TOL
    kind: SeparationKind = "complete" if complete else "quasi"
    return SeparationReport(kind=kind, terms=tuple(involved), direction=direction)


def detect_separation(
    y: ArrayLike | pd.Series, X: pd.DataFrame, *, add_const: bool = True
) -> SeparationReport:
    """Check a binary-response design for complete or quasi-complete separation.

    Parameters
    ----------
    y : array_like or pandas.Series
        Binary response (0/1).
    X : pandas.DataFrame
        Covariates with named columns; a ``const`` column is added first unless present
        (or ``add_const=False``).
    add_const : bool, default True
        Add an intercept column named ``const`` when ``X`` has none of that name.

    Returns
    -------
    SeparationReport
        ``kind`` ("none", "quasi", "complete"), the terms involved and one separating
        direction.

    Notes
    -----
    This is the linear-programming check of Konis (2007), solved with
    :func:`scipy.optimize.linprog` (HiGHS). With ``s_i = 2 y_i - 1`` and the matrix
    ``Xbar`` whose rows are ``s_i x_i``, the data are separated (complete or quasi-complete,
    Albert & Anderson 1984) iff some ``b != 0`` satisfies ``Xbar b >= 0``. Because ``X`` has
    full column rank, such a ``b`` exists iff the bounded LP
    ``max 1'Xbar b  s.t.  Xbar b >= 0, -1 <= b_j <= 1`` has a positive optimum. Columns are
    first scaled to ``max |x_ij| = 1`` (this rescales the cone of separating directions
    coordinate-wise and so leaves the answer unchanged) and the optimum is compared with a
    tolerance of ``1e-7 * n``.

    The terms reported are those ``j`` for which ``max b_j`` or ``max -b_j`` over the same
    cone is positive (two LPs per term): exactly the coefficients whose maximum likelihood
    estimates diverge. Separation is *complete* when, in addition,
    ``max t  s.t.  Xbar b >= t, |b_j| <= 1`` has ``t > 0``, i.e. every observation is
    classified strictly; otherwise it is *quasi-complete*.
    """
    y_arr, x_arr, names, _ = _prepare(y, X, add_const)
    return _separation_arrays(y_arr, x_arr, names)


# --------------------------------------------------------------------------------------
# Newton-Raphson for ordinary and Firth-penalized logit
# --------------------------------------------------------------------------------------


def _expit(eta: NDArray[np.float64]) -> NDArray[np.float64]:
    return cast(NDArray[np.float64], 0.5 * (1.0 + np.tanh(0.5 * eta)))


def _loglik(y: NDArray[np.float64], eta: NDArray[np.float64]) -> float:
    # sum y*eta - log(1 + exp(eta)), stable for large |eta|
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


def _information(x: NDArray[np.float64], p: NDArray[np.float64]) -> NDArray[np.float64]:
    w = p * (1.0 - p)
    return cast(NDArray[np.float64], (x * w[:, None]).T @ x)


def _objective(
    y: NDArray[np.float64], x: NDArray[np.float64], beta: NDArray[np.float64], firth: bool
) -> float:
    eta = x @ beta
    ll = _loglik(y, eta)
    if not firth:
        return ll
    sign, logdet = np.linalg.slogdet(_information(x, _expit(eta)))
    if sign <= 0:
        return -math.inf
    return ll + 0.5 * float(logdet)


def _score_and_info(
    y: NDArray[np.float64], x: NDArray[np.float64], beta: NDArray[np.float64], firth: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return per-observation (modified) score residuals, the score and the information."""
    p = _expit(x @ beta)
    info = _information(x, p)
    resid = y - p
    if firth:
        # Hat values h_i = w_i x_i' I^{-1} x_i of W^{1/2} X (X'WX)^{-1} X' W^{1/2}.
        w = p * (1.0 - p)
        sol = np.linalg.solve(info, x.T)  # I^{-1} x_i as columns
        h = w * np.einsum("ij,ji->i", x, sol)
        resid = resid + h * (0.5 - p)
    return resid, x.T @ resid, info


def _newton(
    y: NDArray[np.float64],
    x: NDArray[np.float64],
    *,
    firth: bool,
    maxiter: int,
    tol: float,
    beta0: NDArray[np.float64] | None = None,
    free: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.float64], bool, int]:
    """Maximize the (penalized) log-likelihood over the ``free`` coordinates.

    Newton-Raphson on the (modified) score with the expected information, steps capped at
    ``_MAX_STEP`` in absolute value, and step halving whenever the objective would fall.
    Converged when a full step changes no coefficient by more than ``tol``.
    """
    k = x.shape[1]
    beta = np.zeros(k) if beta0 is None else beta0.astype(float).copy()
    free_idx = np.arange(k) if free is None else np.flatnonzero(free)
    current = _objective(y, x, beta, firth)
    for it in range(1, maxiter + 1):
        try:
            _, score, info = _score_and_info(y, x, beta, firth)
            step_free = np.linalg.solve(info[np.ix_(free_idx, free_idx)], score[free_idx])
        except np.linalg.LinAlgError:
            return beta, False, it
        biggest = float(np.max(np.abs(step_free))) if step_free.size else 0.0
        if biggest > _MAX_STEP:
            step_free *= _MAX_STEP / biggest
        step = np.zeros(k)
        step[free_idx] = step_free
        halvings = 0
        candidate = beta + step
        value = _objective(y, x, candidate, firth)
        while not (value >= current - 1e-12 * (1.0 + abs(current))) and halvings < _MAX_HALVINGS:
            step *= 0.5
            halvings += 1
            candidate = beta + step
            value = _objective(y, x, candidate, firth)
        beta, current = candidate, value
        if halvings == 0 and float(np.max(np.abs(step), initial=0.0)) <= tol:
            return beta, True, it
    return beta, False, maxiter


def _null_logliks(y: NDArray[np.float64], firth: bool) -> tuple[float, float]:
    """Ordinary and penalized log-likelihood of the intercept-only model (closed form)."""
    n = float(y.size)
    n1 = float(y.sum())
    # ML: p = n1/n. Firth: the modified score n1 - n p + (0.5 - p) = 0 gives
    # p = (n1 + 1/2) / (n + 1), i.e. half an event and half a non-event added.
    p = (n1 + 0.5) / (n + 1.0) if firth else n1 / n
    ll = n1 * math.log(p) + (n - n1) * math.log1p(-p)
    if not firth:
        return ll, math.nan
    return ll, ll + 0.5 * math.log(n * p * (1.0 - p))


# --------------------------------------------------------------------------------------
# Covariance
# --------------------------------------------------------------------------------------


def _covariance(
    x: NDArray[np.float64],
    resid: NDArray[np.float64],
    info: NDArray[np.float64],
    se_type: SEType,
    codes: NDArray[np.intp] | None,
) -> NDArray[np.float64]:
    bread = np.linalg.inv(info)
    if se_type == "nonrobust":
        return cast(NDArray[np.float64], bread)
    scores = x * resid[:, None]  # per-observation score contributions
    if se_type == "robust":
        meat = scores.T @ scores
        factor = 1.0
    else:
        assert codes is not None
        n_groups = int(codes.max()) + 1
        sums = np.zeros((n_groups, x.shape[1]))
        np.add.at(sums, codes, scores)
        meat = sums.T @ sums
        n, k = x.shape
        factor = n_groups / (n_groups - 1.0) * (n - 1.0) / (n - k)
    cov = factor * bread @ meat @ bread
    return cast(NDArray[np.float64], 0.5 * (cov + cov.T))


# --------------------------------------------------------------------------------------
# Profile-likelihood confidence limits
# --------------------------------------------------------------------------------------


def _profile_limit(
    y: NDArray[np.float64],
    x: NDArray[np.float64],
    beta_hat: NDArray[np.float64],
    j: int,
    sign: float,
    width: float,
    *,
    firth: bool,
    top: float,
    crit: float,
    maxiter: int,
    tol: float,
) -> float:
    """One (penalized) profile-likelihood limit for coefficient ``j`` on side ``sign``."""
    free = np.ones(beta_hat.size, dtype=bool)
    free[j] = False
    start = beta_hat.copy()

    def gap(b: float) -> float:
        start[j] = b
        fitted, _, _ = _newton(y, x, firth=firth, maxiter=maxiter, tol=tol, beta0=start, free=free)
        start[:] = fitted  # warm start for the next evaluation
        return 2.0 * (top - _objective(y, x, fitted, firth)) - crit

    inner = float(beta_hat[j])
    for _ in range(40):
        outer = float(beta_hat[j]) + sign * width
        if gap(outer) > 0:
            start[:] = beta_hat
            return float(optimize.brentq(gap, inner, outer, xtol=1e-10, rtol=1e-12))
        inner = outer
        width *= 2.0
        if abs(outer) > 1e6:
            break
    return sign * math.inf


def _profile_limits(
    y: NDArray[np.float64],
    x: NDArray[np.float64],
    beta_hat: NDArray[np.float64],
    bse: NDArray[np.float64],
    *,
    firth: bool,
    alpha: float,
    maxiter: int,
    tol: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Profile-likelihood limits for every coefficient.

    A limit is where ``2 (l(b_hat) - max l | b_j = c)`` reaches the chi-square(1) quantile;
    ``l`` is the penalized log-likelihood for Firth fits, whose penalty always uses the full
    design (as in ``logistf``).
    """
    top = _objective(y, x, beta_hat, firth)
    crit = float(stats.chi2.ppf(1.0 - alpha, 1))
    k = x.shape[1]
    low = np.empty(k)
    high = np.empty(k)
    for j in range(k):
        width = max(float(bse[j]), 1e-3) if np.isfinite(bse[j]) else 1.0
        for sign, out in ((-1.0, low), (1.0, high)):
            out[j] = _profile_limit(
                y,
                x,
                beta_hat,
                j,
                sign,
                width,
                firth=firth,
                top=top,
                crit=crit,
                maxiter=maxiter,
                tol=tol,
            )
    return low, high


# --------------------------------------------------------------------------------------
# fit_logit
# --------------------------------------------------------------------------------------


def fit_logit(
    y: ArrayLike | pd.Series,
    X: pd.DataFrame,
    *,
    cluster: ArrayLike | pd.Series | None = None,
    se_type: SEType = "cluster",
    method: FitMethod = "auto",
    alpha: float = 0.05,
    maxiter: int = 100,
    tol: float = 1e-10,
    ci_method: CIMethod = "wald",
    add_const: bool = True,
) -> LogitResult:
    """Fit a logit by maximum likelihood, or by Firth's penalized likelihood under separation.

    Parameters
    ----------
    y : array_like or pandas.Series
        Binary response coded 0/1, no missing values. A Series must share ``X``'s index.
    X : pandas.DataFrame
        Covariates with named columns (the names become the term names), numeric, no missing
        values, full column rank. **An intercept column named ``const`` is inserted as the
        first column unless ``X`` already has a column called ``const``** (pass
        ``add_const=False`` to fit without an intercept).
    cluster : array_like or pandas.Series, optional
        Cluster identifiers (e.g. dyad ids), one per row. Required when
        ``se_type="cluster"``, and refused otherwise.
    se_type : {"cluster", "robust", "nonrobust"}, default "cluster"
        Covariance estimator, see Notes.
    method : {"auto", "logit", "firth"}, default "auto"
        ``"auto"``: ordinary logit when the separation check finds overlap, Firth's
        penalized logit when it finds complete or quasi-complete separation. ``"firth"``:
        always Firth. ``"logit"``: always ordinary maximum likelihood; on separated data
        this emits :class:`SeparationWarning` and the estimates are not finite (the fit
        will usually report ``converged=False``).
    alpha : float, default 0.05
        Confidence intervals have level ``1 - alpha``.
    maxiter : int, default 100
        Maximum Newton-Raphson iterations.
    tol : float, default 1e-10
        Convergence tolerance on the largest absolute change of a coefficient.
    ci_method : {"wald", "profile"}, default "wald"
        ``"wald"``: ``params -/+ z_{1-alpha/2} * bse`` using the chosen ``se_type``.
        ``"profile"``: (penalized) profile-likelihood limits, which are model-based and
        therefore require ``se_type="nonrobust"``.
    add_const : bool, default True
        Whether to add the ``const`` column.

    Returns
    -------
    LogitResult
        Estimates, standard errors, tests, intervals and the record of the separation check
        and of the method used.

    Raises
    ------
    ValueError
        On bad inputs: ``se_type="cluster"`` without ``cluster`` (or ``cluster`` with
        another ``se_type``), fewer than two clusters, missing values, ``y`` not 0/1 or
        without variation, rank-deficient ``X``, unknown option values.

    Warns
    -----
    SeparationWarning
        When ``method="logit"`` is forced on separated data.

    Notes
    -----
    **Separation.** :func:`detect_separation` (the LP check of Konis 2007) always runs
    first; its verdict and the terms involved are recorded in ``separation`` and
    ``separation_terms`` whatever the method, so the switch to Firth is never silent.

    **Estimation.** Newton-Raphson with the expected information ``I(b) = X'WX``,
    ``W = diag(p_i (1 - p_i))``, starting at zero, with each step capped at 5 in absolute
    value and halved while the objective would decrease. For Firth's method (Firth 1993;
    Heinze & Schemper 2002) the score is replaced by the modified score
    ``U*(b) = X'(y - p + h (1/2 - p))``, where ``h_i`` are the diagonal elements of
    ``W^{1/2} X (X'WX)^{-1} X' W^{1/2}``; the objective is the penalized log-likelihood
    ``l(b) + 1/2 log det I(b)``, as in R's ``logistf``. With the expected
    information as the Newton matrix the Firth iteration converges linearly, hence the
    tight default ``tol``.

    **Covariance** (``V``, ``bse = sqrt(diag(V))``), with bread ``A = I(b_hat)^{-1}``:

    - ``"nonrobust"``: ``V = A``, the inverse Fisher information at the estimate. For Firth
      fits this is what ``logistf`` reports.
    - ``"robust"``: ``V = A (sum_i u_i u_i') A`` with score contributions
      ``u_i = x_i r_i`` (HC0, no small-sample factor; statsmodels' ``cov_type="HC0"``;
      Stata's ``vce(robust)`` multiplies this by ``n / (n - 1)``).
    - ``"cluster"``: CR1, ``V = c A (sum_g U_g U_g') A`` with ``U_g = sum_{i in g} u_i`` and
      ``c = G/(G-1) * (N-1)/(N-K)`` (``G`` clusters, ``N`` observations, ``K`` terms). This
      is statsmodels' ``cov_type="cluster"`` default (``use_correction=True``). Stata's
      ``logit, vce(cluster)`` uses ``c = G/(G-1)`` only; multiply ``V`` by ``(N-K)/(N-1)``
      to reproduce it.

    Here ``r_i = y_i - p_i`` for ordinary logit and, for Firth fits, the modified residual
    ``r_i = y_i - p_i + h_i (1/2 - p_i)``, so the sandwich is built from the Firth-modified
    scores (which sum to zero at the Firth estimate) with hat values treated as fixed; its
    bread ignores the derivative of the penalty. This is a documented approximation, not a
    result from the Firth literature.

    **Intervals.** Wald by default. Note that ``logistf`` reports *profile penalized
    likelihood* intervals by default (``pl=TRUE``), which are asymmetric and usually differ
    from Wald intervals under separation; ``ci_method="profile"`` computes those
    (model-based, hence only with ``se_type="nonrobust"``). The p-values are always Wald
    p-values from ``bse``; ``logistf``'s default p-values are penalized likelihood-ratio
    tests and also differ.

    **Log-likelihoods** are reported unpenalized (see :class:`LogitResult`); the penalized
    values are in ``penalized_loglik`` / ``penalized_llnull``.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"x": [0.0, 0.0, 1.0, 1.0, 2.0, 2.0]})
    >>> res = fit_logit([0, 1, 0, 1, 1, 1], X, se_type="nonrobust")
    >>> res.method, res.separation
    ('logit', 'none')
    """
    _check_choice("se_type", se_type, _SE_TYPES)
    _check_choice("method", method, _METHODS)
    _check_choice("ci_method", ci_method, _CI_METHODS)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1); got {alpha!r}")
    if maxiter < 1:
        raise ValueError("maxiter must be at least 1")
    if se_type == "cluster" and cluster is None:
        raise ValueError(
            "se_type='cluster' (the default) needs cluster=...; pass the cluster ids "
            "(e.g. the dyad id), or choose se_type='robust' or 'nonrobust'"
        )
    if se_type != "cluster" and cluster is not None:
        raise ValueError(f"cluster was given but se_type={se_type!r}; use se_type='cluster'")
    if ci_method == "profile" and se_type != "nonrobust":
        raise ValueError(
            "profile-likelihood intervals are model-based; use se_type='nonrobust' with "
            "ci_method='profile'"
        )

    y_arr, x_arr, names, index = _prepare(y, X, add_const)
    codes = _cluster_codes(cluster, index, y_arr.size) if cluster is not None else None

    sep = _separation_arrays(y_arr, x_arr, names)
    if method == "auto":
        used: MethodUsed = "logit" if sep.kind == "none" else "firth"
    else:
        used = cast(MethodUsed, method)
    if used == "logit" and sep.kind != "none":
        warnings.warn(
            f"ordinary logit forced on {sep.kind} separated data (terms: "
            f"{', '.join(sep.terms)}); maximum likelihood estimates do not exist",
            SeparationWarning,
            stacklevel=2,
        )
    firth = used == "firth"

    beta, converged, iterations = _newton(y_arr, x_arr, firth=firth, maxiter=maxiter, tol=tol)
    resid, _, info = _score_and_info(y_arr, x_arr, beta, firth)
    try:
        cov = _covariance(x_arr, resid, info, se_type, codes)
    except np.linalg.LinAlgError:
        cov = np.full((len(names), len(names)), np.nan)
    bse = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        zval = beta / bse
    pval = 2.0 * stats.norm.sf(np.abs(zval))
    if ci_method == "wald":
        q = float(stats.norm.ppf(1.0 - alpha / 2.0))
        low, high = beta - q * bse, beta + q * bse
    else:
        low, high = _profile_limits(
            y_arr, x_arr, beta, bse, firth=firth, alpha=alpha, maxiter=maxiter, tol=tol
        )

    eta = x_arr @ beta
    loglik = _loglik(y_arr, eta)
    pen = _objective(y_arr, x_arr, beta, True) if firth else math.nan
    if add_const and "const" in names:
        llnull, pen_null = _null_logliks(y_arr, firth)
    else:
        llnull, pen_null = math.nan, math.nan
    n = int(y_arr.size)
    k = len(names)

    def series(values: NDArray[np.float64]) -> pd.Series:
        return pd.Series(values, index=pd.Index(names, name="term"), dtype=float)

    return LogitResult(
        params=series(beta),
        bse=series(bse),
        z=series(zval),
        pvalues=series(pval),
        ci_low=series(low),
        ci_high=series(high),
        odds_ratios=series(np.exp(beta)),
        cov_params=pd.DataFrame(cov, index=names, columns=names),
        n=n,
        events=int(y_arr.sum()),
        loglik=loglik,
        llnull=llnull,
        penalized_loglik=pen,
        penalized_llnull=pen_null,
        aic=-2.0 * loglik + 2.0 * k,
        bic=-2.0 * loglik + k * math.log(n),
        converged=converged,
        iterations=iterations,
        method=used,
        se_type=se_type,
        n_clusters=None if codes is None else int(codes.max()) + 1,
        separation=sep.kind,
        separation_terms=sep.terms,
        alpha=alpha,
        ci_method=ci_method,
    )


# --------------------------------------------------------------------------------------
# Model comparison
# --------------------------------------------------------------------------------------


def lr_test(restricted: LogitResult, full: LogitResult) -> tuple[float, int, float]:
    """Likelihood-ratio test of a restricted model against a full model that nests it.

    Parameters
    ----------
    restricted, full : LogitResult
        Fits on the same observations (same ``n`` and ``events``), by the same method, the
        restricted model's terms a strict subset of the full model's.

    Returns
    -------
    stat : float
        ``2 (loglik_full - loglik_restricted)``. For Firth fits the *penalized*
        log-likelihoods are used (the penalized LR statistic of Heinze & Schemper 2002).
    df : int
        Number of extra terms in the full model.
    p_value : float
        Upper tail of the chi-square distribution with ``df`` degrees of freedom.

    Raises
    ------
    ValueError
        If the terms are not strictly nested, ``n`` or ``events`` differ, or the methods
        differ.

    Notes
    -----
    Only the term names, ``n`` and ``events`` can be checked; fitting both models on the
    same rows is the caller's job. For Firth fits each model carries its own penalty, so
    the statistic is not guaranteed to be non-negative; ``logistf::logistftest`` instead
    refits the restricted model inside the full model's penalty. A warning is issued if
    either model did not converge or the statistic is negative.
    """
    r_terms, f_terms = set(restricted.terms), set(full.terms)
    if not r_terms < f_terms:
        extra = sorted(r_terms - f_terms)
        raise ValueError(
            "models are not nested: the restricted model's terms must be a strict subset of "
            f"the full model's (terms only in the restricted model: {extra})"
        )
    if restricted.n != full.n:
        raise ValueError(f"models use different samples: n = {restricted.n} vs {full.n}")
    if restricted.events != full.events:
        raise ValueError(
            f"models use different samples: events = {restricted.events} vs {full.events}"
        )
    if restricted.method != full.method:
        raise ValueError(
            f"cannot compare a {restricted.method} fit with a {full.method} fit; refit both "
            "with the same method"
        )
    if restricted.method == "firth":
        stat = 2.0 * (full.penalized_loglik - restricted.penalized_loglik)
    else:
        stat = 2.0 * (full.loglik - restricted.loglik)
    df = full.k - restricted.k
    if not (restricted.converged and full.converged):
        warnings.warn("lr_test: at least one model did not converge", RuntimeWarning, stacklevel=2)
    if stat < 0:
        if stat > -1e-8:
            stat = 0.0
        else:
            warnings.warn(f"lr_test: negative statistic {stat:.6g}", RuntimeWarning, stacklevel=2)
    p_value = float(stats.chi2.sf(max(stat, 0.0), df))
    return float(stat), int(df), p_value


def information_criteria(results: Mapping[str, LogitResult]) -> pd.DataFrame:
    """Tabulate log-likelihood, AIC and BIC for several fits.

    Parameters
    ----------
    results : mapping of str to LogitResult
        Fits keyed by model id. Compare only models fitted on the same observations.

    Returns
    -------
    pandas.DataFrame
        One row per model with ``model_id, method, n, k, loglik, aic, bic, delta_aic,
        delta_bic`` (differences from the smallest value). Raises ``ValueError`` when the
        fits have different ``n``.
    """
    if not results:
        raise ValueError("no results given")
    ns = {r.n for r in results.values()}
    if len(ns) > 1:
        raise ValueError(f"information criteria need a common sample; got n = {sorted(ns)}")
    frame = pd.DataFrame(
        [
            {
                "model_id": key,
                "method": r.method,
                "n": r.n,
                "k": r.k,
                "loglik": r.loglik,
                "aic": r.aic,
                "bic": r.bic,
            }
            for key, r in results.items()
        ]
    )
    frame["delta_aic"] = frame["aic"] - frame["aic"].min()
    frame["delta_bic"] = frame["bic"] - frame["bic"].min()
    return frame


# --------------------------------------------------------------------------------------
# Temporal dependence
# --------------------------------------------------------------------------------------


def time_since_event(
    df: pd.DataFrame,
    unit_cols: str | Sequence[str],
    time_col: str,
    event_col: str,
    *,
    left_censored: Literal["start", "nan"] = "start",
) -> pd.Series:
    """Count periods since each unit's most recent earlier event (peace-years style).

    Parameters
    ----------
    df : pandas.DataFrame
        Panel with one row per unit and period.
    unit_cols : str or sequence of str
        Column(s) identifying the unit, e.g. ``["ccode1", "ccode2"]`` for dyads.
    time_col : str
        Integer period, e.g. ``"year"``. Gaps are allowed and counted as elapsed time.
    event_col : str
        0/1 (or boolean) event indicator, e.g. alliance onset.
    left_censored : {"start", "nan"}, default "start"
        Value for rows with no earlier event of the unit in the panel, see Notes.

    Returns
    -------
    pandas.Series
        Integer-valued counts aligned with ``df.index`` (float when ``left_censored="nan"``),
        named ``"t_since_event"``.

    Raises
    ------
    ValueError
        On missing keys or events, duplicated unit-period rows or a non-0/1 event column.

    Notes
    -----
    For a row of unit ``u`` in period ``t`` the value is ``t - e``, with ``e`` the latest
    period *strictly before* ``t`` in which ``u`` had an event. The row's own event does not
    reset its value (it is the outcome being modelled); the clock restarts from the next
    row, so the period right after an event has value 1.

    **Left-censoring rule.** Rows before the unit's first observed event have no known last
    event: the panel start (or the unit's later entry) hides any earlier one. With
    ``left_censored="start"`` the clock starts at the unit's first observed period, so those
    rows get ``t - t0`` (0 in the first observed period), which understates the true
    duration; with ``"nan"`` they are left missing (and drop out of a fit that uses them).
    Either way the rule applies per unit, so a dyad entering the panel late (a new state)
    starts its clock at entry.

    Examples
    --------
    >>> panel = pd.DataFrame({"dyad": ["a"] * 5, "year": [1955, 1956, 1957, 1958, 1959],
    ...                       "onset": [0, 1, 0, 0, 1]})
    >>> time_since_event(panel, "dyad", "year", "onset").tolist()
    [0, 1, 1, 2, 3]
    """
    units = [unit_cols] if isinstance(unit_cols, str) else list(unit_cols)
    _check_choice("left_censored", left_censored, ("start", "nan"))
    missing = [c for c in [*units, time_col, event_col] if c not in df.columns]
    if missing:
        raise ValueError(f"columns not in df: {missing}")
    keys = df[[*units, time_col]]
    if keys.isna().to_numpy().any():
        raise ValueError("unit or time columns have missing values")
    if keys.duplicated().any():
        dup = keys[keys.duplicated(keep=False)].head(6).to_dict("records")
        raise ValueError(f"duplicated unit-time rows, e.g. {dup}")
    event = df[event_col]
    if event.isna().any():
        raise ValueError(f"{event_col!r} has missing values")
    event_num = event.astype(float)
    if not event_num.isin((0.0, 1.0)).all():
        raise ValueError(f"{event_col!r} must be 0/1")

    work = pd.DataFrame(
        {
            "_time": df[time_col].to_numpy(),
            "_event": event_num.to_numpy(),
            "_pos": np.arange(len(df)),
        }
    )
    for i, col in enumerate(units):
        work[f"_u{i}"] = df[col].to_numpy()
    ucols = [f"_u{i}" for i in range(len(units))]
    work = work.sort_values([*ucols, "_time"], kind="mergesort")
    groups = work.groupby(ucols, sort=False, dropna=False)
    event_time = work["_time"].where(work["_event"] == 1.0)
    # latest event strictly before each row: shift within unit, then forward-fill
    last = event_time.groupby([work[c] for c in ucols], sort=False).shift(1)
    last = last.groupby([work[c] for c in ucols], sort=False).ffill()
    first = groups["_time"].transform("min")
    value = (work["_time"] - last).astype(float)
    censored = last.isna()
    if left_censored == "start":
        value = value.where(~censored, (work["_time"] - first).astype(float))
    out = np.empty(len(df))
    out[work["_pos"].to_numpy()] = value.to_numpy()
    result = pd.Series(out, index=df.index, name="t_since_event")
    if left_censored == "start" and np.all(np.equal(np.mod(out, 1), 0)):
        return result.astype(np.int64)
    return result


def _rcs_basis(t: NDArray[np.float64], knots: NDArray[np.float64]) -> NDArray[np.float64]:
    """Restricted (natural) cubic spline terms of Harrell (2015), excluding the linear term."""
    kk = knots.size
    k_last, k_pen = knots[-1], knots[-2]
    norm = (k_last - knots[0]) ** 2

    def cube(v: NDArray[np.float64]) -> NDArray[np.float64]:
        return cast(NDArray[np.float64], np.clip(v, 0.0, None) ** 3)

    cols = []
    for j in range(kk - 2):
        kj = knots[j]
        col = (
            cube(t - kj)
            - cube(t - k_pen) * (k_last - kj) / (k_last - k_pen)
            + cube(t - k_last) * (k_pen - kj) / (k_last - k_pen)
        ) / norm
        cols.append(col)
    return np.column_stack(cols) if cols else np.empty((t.size, 0))


def temporal_terms(
    t: ArrayLike | pd.Series,
    kind: TemporalKind = "cubic",
    knots: Sequence[float] | None = None,
    *,
    prefix: str = "t",
) -> pd.DataFrame:
    """Build temporal-dependence regressors from a time-since-event count.

    Parameters
    ----------
    t : array_like or pandas.Series
        Time since the last event (e.g. from :func:`time_since_event`), no missing values.
    kind : {"cubic", "spline"}, default "cubic"
        ``"cubic"``: ``t, t^2, t^3`` (Carter & Signorino 2010). ``"spline"``: a natural cubic
        spline basis (Beck, Katz & Tucker 1998), see Notes.
    knots : sequence of float, optional
        Spline knots, at least 3, strictly increasing. When omitted for ``"spline"``, three
        knots at the 10th, 50th and 90th percentiles of ``t`` (Harrell's default), which
        must be distinct. Ignored (must be ``None``) for ``"cubic"``.
    prefix : str, default "t"
        Column-name prefix.

    Returns
    -------
    pandas.DataFrame
        For ``"cubic"``: columns ``{prefix}``, ``{prefix}2``, ``{prefix}3``. For
        ``"spline"``: ``{prefix}`` followed by ``{prefix}_s1 ... {prefix}_s{K-2}`` for ``K``
        knots. Indexed like ``t`` when it is a Series.

    Notes
    -----
    The spline basis is Harrell's restricted cubic spline: with knots
    ``k_1 < ... < k_K`` and ``(u)_+ = max(u, 0)``, term ``j = 1..K-2`` is::

        [(t-k_j)_+^3 - (t-k_{K-1})_+^3 (k_K-k_j)/(k_K-k_{K-1})
                     + (t-k_K)_+^3 (k_{K-1}-k_j)/(k_K-k_{K-1})] / (k_K-k_1)^2

    Together with ``t`` these span the natural cubic splines with those knots (cubic between
    knots, linear beyond the boundary knots), so fits equal those from any other natural
    spline basis with the same knots. The output is a deterministic function of ``t`` and
    the knots. Carter & Signorino recommend the cubic polynomial for its simplicity; both
    enter the model alongside ``const``.
    """
    index = t.index if isinstance(t, pd.Series) else None
    arr = np.asarray(t, dtype=float).ravel()
    if np.isnan(arr).any():
        raise ValueError("t has missing values")
    _check_choice("kind", kind, ("cubic", "spline"))
    if kind == "cubic":
        if knots is not None:
            raise ValueError("knots apply only to kind='spline'")
        data = {prefix: arr, f"{prefix}2": arr**2, f"{prefix}3": arr**3}
        return pd.DataFrame(data, index=index)
    if knots is None:
        kn = np.percentile(arr, [10.0, 50.0, 90.0])
    else:
        kn = np.asarray(knots, dtype=float).ravel()
    if kn.size < 3:
        raise ValueError("a natural cubic spline needs at least 3 knots")
    if not np.all(np.diff(kn) > 0):
        raise ValueError(f"knots must be strictly increasing; got {kn.tolist()}")
    basis = _rcs_basis(arr, kn)
    data = {prefix: arr}
    for j in range(basis.shape[1]):
        data[f"{prefix}_s{j + 1}"] = basis[:, j]
    return pd.DataFrame(data, index=index)
