"""Estimation on statsmodels: logit, separation check, Firth fallback, temporal terms.

Maximum-likelihood logits are fitted by :class:`statsmodels.discrete.discrete_model.Logit`
and returned as statsmodels results (``params``, ``bse``, ``conf_int()``, ``summary()``,
``predict()``, ``get_margeff()``) with the chosen covariance attached
(:mod:`walt_alliances.analysis.inference`). What statsmodels lacks is kept here, small and
tested against R:

- :func:`detect_separation`: the linear-programming check of Konis (2007), run before every
  fit, so that the switch to Firth's estimator is never silent.
- Firth's penalized logit (Firth 1993), only when separation is found. It solves the same
  adjusted score equations as R's ``brglm2`` with ``type = "AS_mean"`` (for the logit link
  the mean-bias-reducing adjusted score is Firth's modified score), and is checked against
  ``brglm2`` in ``tests/analysis/reference/``. The estimate is wrapped in a statsmodels
  ``LogitResults`` (model-based covariance = inverse Fisher information at the estimate, as
  ``brglm2`` reports), and the Firth-modified score contributions are kept for the robust
  variances.
- :func:`time_since_event` and :func:`temporal_terms`: duration terms for onset models
  (cubic polynomial, Carter & Signorino 2010; restricted cubic spline, Harrell 2015).
- :func:`lr_test`: likelihood-ratio test of nested fits on the same rows.

References
----------
Albert, A. and Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
logistic regression models. *Biometrika* 71(1), 1-10.

Carter, D. B. and Signorino, C. S. (2010). Back to the future: modeling time dependence in
binary data. *Political Analysis* 18(3), 271-292.

Firth, D. (1993). Bias reduction of maximum likelihood estimates. *Biometrika* 80(1), 27-38.

Harrell, F. E. (2015). *Regression Modeling Strategies*, 2nd ed., section 2.4.5 (restricted
cubic splines). Springer.

Kosmidis, I. and Firth, D. (2021). Jeffreys-prior penalty, finiteness and shrinkage in
binomial-response generalized linear models. *Biometrika* 108(1), 71-82.

Konis, K. (2007). *Linear programming algorithms for detecting separated data in binary
logistic regression models*. DPhil thesis, University of Oxford.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
import statsmodels.api as sm
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from .inference import DEFAULT_SE, SEType, cov_for, n_clusters_for, with_cov

__all__ = [
    "FitMethod",
    "MethodUsed",
    "SeparationKind",
    "SeparationReport",
    "SeparationWarning",
    "TemporalKind",
    "detect_separation",
    "firth_params",
    "fit_logit",
    "lr_test",
    "cone_separated",
    "newton_logit",
    "overlap_certified",
    "passes_separation_screen",
    "screen_arrays",
    "stiemke_certified",
    "temporal_terms",
    "time_since_event",
]

FitMethod = Literal["auto", "logit", "firth"]
MethodUsed = Literal["logit", "firth"]
SeparationKind = Literal["none", "quasi", "complete"]
TemporalKind = Literal["cubic", "spline"]

_METHODS: tuple[str, ...] = ("auto", "logit", "firth")

# Largest absolute Newton step per iteration of the Firth fit (logistf's ``maxstep``).
_MAX_STEP = 5.0
_MAX_HALVINGS = 30
# Tolerance for the separation linear programs, on columns scaled to max |x| = 1 and
# directions bounded to |b_j| <= 1.
_LP_TOL = 1e-7


class SeparationWarning(UserWarning):
    """Ordinary maximum likelihood was forced on separated data; estimates are not finite."""


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


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
        coefficients whose maximum likelihood estimates are infinite.
    direction : pandas.Series or None
        One separating direction (in the original units of ``X``), or ``None``.
    """

    kind: SeparationKind
    terms: tuple[str, ...]
    direction: pd.Series | None


def _prepare(y: ArrayLike | pd.Series, X: pd.DataFrame, add_const: bool
             ) -> tuple[NDArray[np.float64], pd.DataFrame]:
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
    scale = np.abs(x_arr).max(axis=0)
    xs = x_arr / np.where(scale > 0, scale, 1.0)
    rank = np.linalg.matrix_rank(xs.T @ xs, hermitian=True)
    if rank < x_arr.shape[1]:
        raise ValueError(f"X (with const) has rank {rank} < {x_arr.shape[1]} columns {names}: "
                         "drop collinear or constant columns")
    return y_arr, pd.DataFrame(x_arr, columns=names, index=X.index)


# --------------------------------------------------------------------------------------
# Separation (Konis 2007)
# --------------------------------------------------------------------------------------


def _separation_arrays(
    y: NDArray[np.float64], x: NDArray[np.float64], names: Sequence[str], terms: bool = True
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
    for j, name in enumerate(names if terms else ()):
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
    y_arr, design = _prepare(y, X, add_const)
    return _separation_arrays(y_arr, design.to_numpy(), list(design.columns))


# --------------------------------------------------------------------------------------
# Firth's penalized logit (brglm2 AS_mean for the logit link)
# --------------------------------------------------------------------------------------


def _expit(eta: NDArray[np.float64]) -> NDArray[np.float64]:
    return cast(NDArray[np.float64], 0.5 * (1.0 + np.tanh(0.5 * eta)))


def _penalized(y: NDArray[np.float64], x: NDArray[np.float64], beta: NDArray[np.float64]
               ) -> float:
    eta = x @ beta
    p = _expit(eta)
    sign, logdet = np.linalg.slogdet((x * (p * (1.0 - p))[:, None]).T @ x)
    if sign <= 0:
        return -math.inf
    return float(np.sum(y * eta - np.logaddexp(0.0, eta))) + 0.5 * float(logdet)


def _firth_score(y: NDArray[np.float64], x: NDArray[np.float64], beta: NDArray[np.float64]
                 ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Firth-modified residuals ``y - p + h (1/2 - p)`` and the Fisher information."""
    p = _expit(x @ beta)
    w = p * (1.0 - p)
    info = (x * w[:, None]).T @ x
    h = w * np.einsum("ij,ji->i", x, np.linalg.solve(info, x.T))
    return y - p + h * (0.5 - p), info


def firth_params(y: ArrayLike, x: ArrayLike, start: ArrayLike | None = None, *,
                 maxiter: int = 200, tol: float = 1e-10) -> NDArray[np.float64]:
    """Firth's penalized maximum likelihood estimate of a logit.

    Parameters
    ----------
    y : array_like, shape (n,)
        0/1 outcome.
    x : array_like, shape (n, k)
        Design matrix (with the intercept column, if any).
    start : array_like, optional
        Starting values (default zeros).
    maxiter : int
        Largest number of Newton iterations.
    tol : float
        Convergence when a full step changes no coefficient by more than ``tol``.

    Returns
    -------
    numpy.ndarray
        The estimate solving ``X'(y - p + h (1/2 - p)) = 0`` (``h`` the hat values of
        ``W^{1/2} X``), i.e. maximizing ``l(b) + 1/2 log det I(b)``: R's
        ``brglm2::brglmFit(type = "AS_mean")`` and ``logistf`` for the logit link.

    Raises
    ------
    RuntimeError
        If Newton-Raphson (Fisher scoring, steps capped at 5 and halved while the penalized
        log-likelihood falls) does not converge.
    """
    yy = np.asarray(y, dtype=float)
    xx = np.asarray(x, dtype=float)
    beta = np.zeros(xx.shape[1]) if start is None else np.asarray(start, dtype=float).copy()
    current = _penalized(yy, xx, beta)
    for _ in range(maxiter):
        resid, info = _firth_score(yy, xx, beta)
        step = np.linalg.solve(info, xx.T @ resid)
        biggest = float(np.max(np.abs(step)))
        if biggest > _MAX_STEP:
            step *= _MAX_STEP / biggest
        halvings = 0
        cand = beta + step
        value = _penalized(yy, xx, cand)
        while not value >= current - 1e-12 * (1.0 + abs(current)) and halvings < _MAX_HALVINGS:
            step *= 0.5
            halvings += 1
            cand = beta + step
            value = _penalized(yy, xx, cand)
        beta, current = cand, value
        if halvings == 0 and float(np.max(np.abs(step))) <= tol:
            return beta
    raise RuntimeError(f"Firth's penalized logit did not converge in {maxiter} iterations")


def _firth_refit(y: NDArray[np.float64], x: NDArray[np.float64],
                 start: NDArray[np.float64]) -> NDArray[np.float64]:
    return firth_params(y, x, start)


# --------------------------------------------------------------------------------------
# fit_logit
# --------------------------------------------------------------------------------------


def fit_logit(y: ArrayLike | pd.Series, X: pd.DataFrame, *, actor_a: ArrayLike | None = None,
              actor_b: ArrayLike | None = None, se_type: SEType | Literal["nonrobust"] = DEFAULT_SE,
              method: FitMethod = "auto", add_const: bool = True,
              separation_check: Literal["always", "screen"] = "always",
              start_params: ArrayLike | None = None) -> Any:
    """Fit a logit on statsmodels, with Firth's estimator only under separation.

    Parameters
    ----------
    y : array_like or pandas.Series
        0/1 outcome, no missing values (a Series must share ``X``'s index).
    X : pandas.DataFrame
        Covariates with named columns (the term names), numeric, complete, full rank. An
        intercept column ``const`` is inserted first unless present or ``add_const=False``.
    actor_a, actor_b : array_like, optional
        The two actors of each row; required for every ``se_type`` but ``"nonrobust"``.
    se_type : {"dyadic", "cluster_dyad", "twoway", "jackknife_actor", "wild_actor", "nonrobust"}
        Covariance attached to the result (see :mod:`walt_alliances.analysis.inference`);
        t reference on ``G - 1`` df for the clustered types. ``"nonrobust"``: statsmodels'
        model-based covariance with normal reference.
    method : {"auto", "logit", "firth"}
        ``"auto"``: statsmodels maximum likelihood when :func:`detect_separation` finds
        overlap, Firth when it finds separation; ``"logit"`` forces maximum likelihood
        (with :class:`SeparationWarning` on separated data); ``"firth"`` forces Firth.
    add_const : bool
        Add the ``const`` column.
    separation_check : {"always", "screen"}
        ``"always"`` runs :func:`detect_separation` before fitting. ``"screen"`` (for the
        many refits of a specification curve) first fits by maximum likelihood and runs the
        linear programs only if that fit fails the screen: it did not converge, or its fitted
        probabilities do not certify that the data overlap (:func:`overlap_certified`; no
        separated design passes). With ``"screen"`` the report
        gives the kind of separation but not the terms involved (``terms`` is empty).
    start_params : array_like, optional
        Starting values for the maximum likelihood fit (e.g. a nearby model's estimate).

    Returns
    -------
    statsmodels.discrete.discrete_model.BinaryResultsWrapper
        A statsmodels ``Logit`` result. Besides statsmodels' attributes it carries
        ``fit_method`` (``"logit"`` or ``"firth"``), ``separation`` (a
        :class:`SeparationReport`), ``penalized_llf`` (Firth only, else ``nan``) and, for
        Firth fits, ``firth_scores`` (the modified score contributions the robust variances
        use). ``cov_type`` names the covariance and ``cov_kwds["n_clusters"]`` its clusters.

    Raises
    ------
    ValueError
        On bad input (missing values, non-0/1 or constant ``y``, rank-deficient ``X``,
        unknown options, missing actors for a clustered ``se_type``).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"x": [0.0, 0.0, 1.0, 1.0, 2.0, 2.0]})
    >>> res = fit_logit([0, 1, 0, 1, 1, 1], X, se_type="nonrobust")
    >>> res.fit_method, res.separation.kind
    ('logit', 'none')
    """
    _check_choice("method", method, _METHODS)
    y_arr, design = _prepare(y, X, add_const)
    x_arr = design.to_numpy()
    if se_type != "nonrobust" and (actor_a is None or actor_b is None):
        raise ValueError(f"se_type={se_type!r} needs actor_a and actor_b (the two actors of "
                         "each row); use se_type='nonrobust' for the model-based covariance")
    _check_choice("separation_check", separation_check, ("always", "screen"))
    model = sm.Logit(pd.Series(y_arr, index=design.index, name="y"), design, check_rank=False)
    screened = None
    if separation_check == "screen" and method == "auto":
        try:
            screened = _ml_fit(model, start_params)
        except np.linalg.LinAlgError:  # a diverging fit (separation) can end singular
            screened = None
        if screened is not None and not _passes_screen(screened, x_arr):
            screened = None
    if screened is not None:
        sep = SeparationReport(kind="none", terms=(), direction=None)
    else:  # the terms involved (two linear programs per term) only in the full check
        sep = _separation_arrays(y_arr, x_arr, list(design.columns),
                                 terms=separation_check == "always")
    used: MethodUsed = ("logit" if sep.kind == "none" else "firth") if method == "auto" \
        else cast(MethodUsed, method)
    if used == "logit":
        if sep.kind != "none":
            warnings.warn(f"ordinary logit forced on {sep.kind} separated data (terms: "
                          f"{', '.join(sep.terms)}); maximum likelihood estimates do not exist",
                          SeparationWarning, stacklevel=2)
        res = screened if screened is not None else _ml_fit(model, start_params)
        inner = res._results
        inner.firth_scores = None
        inner.penalized_llf = math.nan
        refit = None
    else:
        beta = firth_params(y_arr, x_arr)
        with warnings.catch_warnings():
            # statsmodels only wraps the estimate here (no iteration); its separation
            # warning is the reason Firth's estimator is used at all
            warnings.simplefilter("ignore")
            res = model.fit(start_params=beta, method="newton", maxiter=0, disp=0,
                            warn_convergence=False)
        inner = res._results
        resid, _ = _firth_score(y_arr, x_arr, beta)
        inner.firth_scores = x_arr * resid[:, None]
        inner.penalized_llf = _penalized(y_arr, x_arr, beta)
        inner.mle_retvals["converged"] = True
        refit = _firth_refit
    inner.fit_method = used
    inner.separation = sep
    if se_type == "nonrobust":
        return res
    cov = cov_for(res, se_type, actor_a, actor_b, refit=refit)  # type: ignore[arg-type]
    return with_cov(res, cov, se_type, n_clusters_for(se_type, actor_a, actor_b))  # type: ignore[arg-type]


def _ml_fit(model: Any, start_params: ArrayLike | None = None) -> Any:
    """Newton-Raphson; a start that leads astray (singular or not converged) is retried from 0."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=PerfectSeparationWarning)
        warnings.simplefilter("ignore", category=RuntimeWarning)  # overflow while diverging
        if start_params is not None:
            try:
                res = model.fit(method="newton", disp=0, maxiter=100, tol=1e-10,
                                warn_convergence=False, start_params=start_params)
                if res.mle_retvals.get("converged", False):
                    return res
            except np.linalg.LinAlgError:
                pass
        return model.fit(method="newton", disp=0, maxiter=100, tol=1e-10,
                         warn_convergence=False)



def newton_logit(y: np.ndarray, X: np.ndarray, start: np.ndarray | None = None, *,
                 maxiter: int = 50, tol: float = 1e-10) -> np.ndarray | None:
    """Maximum likelihood logit coefficients by Newton-Raphson, or None if it fails.

    For the many refits where only the point estimate is needed (influence refits, coding
    resamples): statsmodels' ``Logit.fit(method="newton")`` iteration (full steps from a
    start) on NumPy arrays, without the model and results wrappers that take most of the time
    of a small fit; tested against statsmodels.

    Parameters
    ----------
    y : ndarray (n,)
        0/1 outcome.
    X : ndarray (n, k)
        Design matrix (include the intercept column yourself).
    start : ndarray (k,), optional
        Start (default zeros).
    maxiter : int
        Newton steps at most.
    tol : float
        Convergence: the largest absolute change of a coefficient in the last step.

    Returns
    -------
    ndarray or None
        The estimates; None when the Hessian is singular, a value is not finite or the
        iterations did not converge. Convergence does not prove that an estimate exists:
        on separated data rounding can stop the steps at a point far out along the
        separating direction, so check the result with :func:`overlap_certified` (or
        :func:`detect_separation`).
    """
    b = np.zeros(X.shape[1]) if start is None else np.array(start, dtype=float)
    for _ in range(maxiter):
        p = special.expit(X @ b)
        try:
            step = np.linalg.solve((X * (p * (1.0 - p))[:, None]).T @ X, X.T @ (y - p))
        except np.linalg.LinAlgError:
            return None
        b = b + step
        if not np.all(np.isfinite(b)):
            return None
        if np.max(np.abs(step)) < tol:
            return b
    return None


def passes_separation_screen(res: Any, x: ArrayLike) -> bool:
    """Whether a maximum likelihood logit fit shows no sign of separation.

    Parameters
    ----------
    res : statsmodels results
        A ``Logit`` fit.
    x : array_like
        Its design matrix.

    Returns
    -------
    bool
        False when the fit did not converge or its fitted probabilities do not certify
        overlap (:func:`overlap_certified`; see ``separation_check="screen"`` of
        :func:`fit_logit`).
    """
    return _passes_screen(res, np.asarray(x, dtype=float))


def _passes_screen(res: Any, x: NDArray[np.float64]) -> bool:
    if not res.mle_retvals.get("converged", False):
        return False
    return screen_arrays(np.asarray(res.model.endog, dtype=float), x,
                         np.asarray(res.params, dtype=float))


def screen_arrays(y: NDArray[np.float64], x: NDArray[np.float64], b: NDArray[np.float64]
                  ) -> bool:
    """The separation screen of :func:`passes_separation_screen` for an estimate ``b``.

    Parameters
    ----------
    y, x : ndarray
        Outcome (0/1) and design matrix.
    b : ndarray
        A converged maximum likelihood estimate (e.g. from :func:`newton_logit`).

    Returns
    -------
    bool
        True when the fitted probabilities at ``b`` certify that the data are not separated
        (see :func:`overlap_certified`); False means "not certified" (the linear programs
        decide), not "separated".
    """
    return overlap_certified(y, x, b)


def overlap_certified(y: ArrayLike, x: ArrayLike, b: ArrayLike) -> bool:
    """Whether the fit at ``b`` proves that a binary-response design is not separated.

    Parameters
    ----------
    y : array_like (n,)
        0/1 outcome.
    x : array_like (n, k)
        Design matrix.
    b : array_like (k,)
        A candidate maximum likelihood estimate.

    Returns
    -------
    bool
        True only with a certificate of overlap; False otherwise (including every separated
        design).

    Notes
    -----
    With ``s_i = 2 y_i - 1`` and rows ``s_i x_i`` of ``Xbar``, Stiemke's lemma says that
    exactly one holds: some ``d != 0`` has ``Xbar d >= 0`` (the data are separated,
    completely or quasi-completely; :func:`detect_separation`), or some ``lam`` with every
    entry positive has ``Xbar' lam = 0``. At a finite maximum of the likelihood
    ``lam_i = |y_i - p_i|`` is positive and ``Xbar' lam`` is the score, zero: the fitted
    probabilities are such a ``lam``. Numerically the score ``g`` is only near zero, so
    :func:`stiemke_certified` corrects the weights to ``lam_i (1 - r_i u)`` with
    ``(Xbar' diag(lam) Xbar) u = g``, whose combination is exactly zero, and asks that they
    stay positive with room for the rounding of ``g`` and of the solve. Where the data are
    separated no finite ``b`` passes: the weights along a separating direction are tiny, so
    the weighted matrix is (numerically) singular in that direction, or the score is not near
    zero.
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    eta = x @ np.asarray(b, dtype=float)
    if not np.isfinite(eta).all():
        return False
    s = 2.0 * y - 1.0
    lam = special.expit(-s * eta)  # |y - p| without cancellation: 1 - p where y = 1, else p
    return stiemke_certified(s[:, None] * x, lam)


def stiemke_certified(rows: ArrayLike, weights: ArrayLike) -> bool:
    """Whether positive weights whose combination of rows is near zero prove overlap.

    Stiemke's lemma: no ``d != 0`` has ``rows @ d >= 0`` exactly when some strictly positive
    ``lam`` has ``rows' lam = 0``; this checks such a certificate, allowing for rounding.

    Parameters
    ----------
    rows : array_like (n, k)
        The rows of the separation cone: ``s_i x_i`` for a logit (:func:`overlap_certified`),
        chosen-minus-other differences for a conditional logit, failure-minus-at-risk
        differences for a Cox model.
    weights : array_like (n,)
        Positive weights whose combination of ``rows`` is the score at a candidate estimate.

    Returns
    -------
    bool
        True when the weights corrected to ``w_i (1 - r_i u)``, with
        ``(rows' diag(w) rows) u = g`` and ``g = rows' w`` (so that the combination is exactly
        zero), stay positive: every ``r_i u`` plus a bound on its error (the rounding of
        ``g`` and of the solve) is below 1/2. Then the corrected weights are an exact
        certificate that the estimate exists. False means "not certified".
    """
    r = np.asarray(rows, dtype=float)
    lam = np.asarray(weights, dtype=float)
    if r.shape[0] == 0 or not np.all(np.isfinite(lam)) or np.any(lam < 0) or lam.max() <= 0:
        return False
    # Any positive weights with a zero combination are a certificate; weights that underflow
    # to 0 (rows predicted surely) are raised to the smallest normal number.
    lam = np.maximum(lam, np.finfo(float).tiny)
    n, k = r.shape
    eps = np.finfo(float).eps
    g = r.T @ lam
    # Weighted correction: lam_i (1 - r_i u) with (r' diag(lam) r) u = g has a zero
    # combination, and stays positive while every r_i u < 1 (tiny weights stay tiny but
    # positive, unlike an additive correction).
    h = (r * lam[:, None]).T @ r
    try:
        hinv = np.linalg.inv(h)
        cond = float(np.linalg.cond(h))
    except np.linalg.LinAlgError:
        return False
    if not np.isfinite(cond) or cond * eps > 1e-3:
        return False
    u = hinv @ g
    # error of the computed u: the rounding of g (summation bound) and of the solve
    err = n * eps * (np.abs(r).T @ lam) + 10.0 * k * eps * cond * np.abs(g)
    du = np.abs(hinv) @ err
    return bool(np.all(r @ u + np.abs(r) @ du < 0.5))


def cone_separated(rows: ArrayLike) -> bool:
    """Whether some ``d != 0`` has ``rows @ d >= 0`` with a positive sum (linear program).

    The check of :func:`detect_separation` (Konis 2007) on rows given directly: for a
    conditional logit the rows are each chosen alternative's attributes minus those of an
    alternative not chosen in its stratum; the estimates exist only when this is False.
    """
    r = np.asarray(rows, dtype=float)
    names = [f"x{j}" for j in range(r.shape[1])]
    return _separation_arrays(np.ones(r.shape[0]), r, names, terms=False).kind != "none"


def lr_test(restricted: Any, full: Any) -> tuple[float, int, float]:
    """Likelihood-ratio test of a restricted fit against a full fit that nests it.

    Parameters
    ----------
    restricted, full : statsmodels results from :func:`fit_logit`
        Fits on the same rows by the same method, the restricted model's terms a strict
        subset of the full model's.

    Returns
    -------
    stat, df, p_value : float, int, float
        ``2 (llf_full - llf_restricted)`` (penalized log-likelihoods for Firth fits),
        the number of extra terms, and the chi-square upper tail.

    Raises
    ------
    ValueError
        If the terms are not nested, the numbers of rows or events differ, or the methods
        differ.
    """
    r_terms = set(map(str, restricted.params.index))
    f_terms = set(map(str, full.params.index))
    if not r_terms < f_terms:
        raise ValueError("models are not nested: the restricted model's terms must be a strict "
                         f"subset of the full model's (only in restricted: "
                         f"{sorted(r_terms - f_terms)})")
    if restricted.nobs != full.nobs or restricted.model.endog.sum() != full.model.endog.sum():
        raise ValueError(f"models use different samples: n = {restricted.nobs} vs {full.nobs}")
    m_r = getattr(restricted, "fit_method", "logit")
    m_f = getattr(full, "fit_method", "logit")
    if m_r != m_f:
        raise ValueError(f"cannot compare a {m_r} fit with a {m_f} fit")
    if m_r == "firth":
        stat = 2.0 * (full.penalized_llf - restricted.penalized_llf)
    else:
        stat = 2.0 * (float(full.llf) - float(restricted.llf))
    df = len(f_terms) - len(r_terms)
    stat = 0.0 if -1e-8 < stat < 0 else stat
    return float(stat), int(df), float(stats.chi2.sf(max(stat, 0.0), df))


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
