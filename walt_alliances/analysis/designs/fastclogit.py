"""A vectorised exact conditional logit for resampling (hundreds of refits).

statsmodels' ``ConditionalLogit`` (used for every reported estimate, checked against R) loops
over strata in Python and takes about half a second per fit here; the coding-uncertainty
resamples refit the partner-choice model hundreds of times. This module computes the same exact
conditional log-likelihood and its analytic gradient for all strata at once, with the strata
padded to one length, and maximises it with scipy's BFGS from a warm start.

The likelihood of stratum s with weights ``w_r = exp(x_r b)`` and ``m_s`` chosen alternatives is
``prod_{chosen} w_r / e_{m_s}(w)``, where ``e_m`` is the elementary symmetric polynomial of
degree m (the sum over every set of m alternatives). ``e_m`` comes from the forward recursion
``E[r+1, k] = E[r, k] + w_r E[r, k-1]``; the probability that alternative r is among the chosen,
``w_r e_{m-1}(w without r) / e_m(w)``, from a forward and a backward pass, without subtraction.
Tested against statsmodels on the reference sample (``tests/analysis/test_design_partner.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

__all__ = ["PaddedStrata", "fit_fast_clogit", "information", "newton_clogit", "pad_strata",
           "pair_certificate", "stratum_scores"]


@dataclass(frozen=True)
class PaddedStrata:
    """Choice sets padded to a common length: X (S, L, k), chosen (S, L), mask (S, L), m (S)."""

    X: np.ndarray
    chosen: np.ndarray
    mask: np.ndarray
    m: np.ndarray


def pad_strata(y: np.ndarray, X: np.ndarray, strata: np.ndarray) -> PaddedStrata:
    """Group rows by stratum (strata without variation in ``y`` are dropped)."""
    codes, uniq = pd.factorize(strata, sort=False)
    S = len(uniq)
    order = np.argsort(codes, kind="mergesort")
    c = codes[order]
    sizes = np.bincount(c, minlength=S)
    pos = np.arange(len(c)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    L = int(sizes.max())
    Xp = np.zeros((S, L, X.shape[1]))
    ch = np.zeros((S, L))
    mask = np.zeros((S, L), dtype=bool)
    Xp[c, pos] = X[order]
    ch[c, pos] = y[order]
    mask[c, pos] = True
    m = ch.sum(axis=1)
    keep = (m > 0) & (m < sizes)
    return PaddedStrata(Xp[keep], ch[keep], mask[keep], m[keep].astype(int))


def _loglik_grad_pi(beta: np.ndarray, d: PaddedStrata
                    ) -> tuple[float, np.ndarray, np.ndarray]:
    eta = d.X @ beta
    eta = np.where(d.mask, eta, -np.inf)
    c = eta.max(axis=1)
    w = np.exp(eta - c[:, None])  # 0 for padding
    S, L = w.shape
    M = int(d.m.max())
    E = np.zeros((L + 1, S, M + 1))
    E[0, :, 0] = 1.0
    for r in range(L):
        E[r + 1] = E[r]
        E[r + 1, :, 1:] += w[:, r, None] * E[r, :, :-1]
    F = np.zeros((L + 2, S, M + 1))
    F[L, :, 0] = 1.0
    F[L + 1, :, 0] = 1.0
    for r in range(L - 1, -1, -1):
        F[r] = F[r + 1]
        F[r, :, 1:] += w[:, r, None] * F[r + 1, :, :-1]
    idx = np.arange(S)
    denom = E[L, idx, d.m]
    # e_{m-1}(w without r) = sum_a E[r, a] F[r+1, m-1-a]
    loo = np.zeros((S, L))
    for a in range(M):
        b = d.m - 1 - a
        ok = b >= 0
        bb = np.where(ok, b, 0)
        loo += np.where(ok[:, None], E[:L, idx, a].T * F[1:L + 1, idx, bb].T, 0.0)
    pi = w * loo / denom[:, None]
    ll = float((d.chosen * np.where(d.mask, eta, 0.0)).sum()
               - (np.log(denom) + d.m * c).sum())
    grad = ((d.chosen - pi)[:, :, None] * d.X).sum(axis=(0, 1))
    return ll, grad, pi


def _loglik_grad(beta: np.ndarray, d: PaddedStrata) -> tuple[float, np.ndarray]:
    ll, grad, _ = _loglik_grad_pi(beta, d)
    return ll, grad


def fit_fast_clogit(y: np.ndarray, X: np.ndarray, strata: np.ndarray,
                    start: np.ndarray | None = None, hess_inv0: np.ndarray | None = None
                    ) -> tuple[np.ndarray, float]:
    """Maximise the exact conditional log-likelihood; return (estimates, log-likelihood).

    Parameters
    ----------
    y : ndarray
        1 for chosen alternatives.
    X : ndarray (n, k)
        Attributes.
    strata : ndarray
        Stratum label of each row.
    start : ndarray, optional
        Warm start (default zeros).
    hess_inv0 : ndarray, optional
        Initial inverse Hessian of BFGS (e.g. the covariance of a fit to similar data, from
        :func:`information`): the first steps are then close to Newton's.
    """
    d = pad_strata(np.asarray(y, float), np.asarray(X, float), np.asarray(strata))
    b0 = np.zeros(X.shape[1]) if start is None else np.asarray(start, float)

    def f(b: np.ndarray) -> tuple[float, np.ndarray]:
        ll, g = _loglik_grad(b, d)
        return -ll, -g

    opts: dict[str, object] = {"gtol": 1e-7, "maxiter": 200}
    if hess_inv0 is not None:  # scipy wants it exactly symmetric
        opts["hess_inv0"] = (np.asarray(hess_inv0) + np.asarray(hess_inv0).T) / 2
    res = minimize(f, b0, jac=True, method="BFGS", options=opts)
    return np.asarray(res.x), float(-res.fun)


def information(y: np.ndarray, X: np.ndarray, strata: np.ndarray, beta: np.ndarray,
                step: float = 1e-5) -> np.ndarray:
    """Observed information (minus the Hessian) at ``beta``.

    Central differences of the analytic gradient.
    """
    d = pad_strata(np.asarray(y, float), np.asarray(X, float), np.asarray(strata))
    return _information_padded(d, np.asarray(beta, float), step)


def _information_padded(d: PaddedStrata, beta: np.ndarray, step: float = 1e-5) -> np.ndarray:
    k = len(beta)
    H = np.zeros((k, k))
    for j in range(k):
        e = np.zeros(k)
        e[j] = step
        H[:, j] = (_loglik_grad(beta + e, d)[1] - _loglik_grad(beta - e, d)[1]) / (2 * step)
    return -(H + H.T) / 2


def newton_clogit(y: np.ndarray, X: np.ndarray, strata: np.ndarray,
                  start: np.ndarray | None = None, *, tol: float = 1e-10, maxiter: int = 50
                  ) -> tuple[np.ndarray, float, np.ndarray]:
    """Newton-Raphson on the exact conditional likelihood, from BFGS's optimum.

    Returns
    -------
    beta : ndarray
        Estimates (the last Newton step moved no coefficient by more than ``tol``).
    loglik : float
        Log-likelihood at ``beta``.
    information : ndarray
        Observed information at ``beta`` (see :func:`information`).

    Raises
    ------
    RuntimeError
        If Newton's method does not converge.
    """
    b, _ = fit_fast_clogit(y, X, strata, start)
    d = pad_strata(np.asarray(y, float), np.asarray(X, float), np.asarray(strata))
    ll, g = _loglik_grad(b, d)
    for _ in range(maxiter):
        info = _information_padded(d, b)
        try:
            full = np.linalg.solve(info, g)
        except np.linalg.LinAlgError:
            break
        if np.max(np.abs(full)) < tol:  # converged: the full Newton step moves nothing
            return b, ll, info
        step = full
        for _half in range(30):  # step halving keeps the likelihood from falling
            nll, ng = _loglik_grad(b + step, d)
            if np.isfinite(nll) and nll >= ll - 1e-12 * max(1.0, abs(ll)):
                break
            step = step / 2
        else:
            break
        b, ll, g = b + step, nll, ng
    raise RuntimeError("newton_clogit: Newton's method did not converge (are the choice "
                       "data separated? see pair_certificate)")


def stratum_scores(y: np.ndarray, X: np.ndarray, strata: np.ndarray, beta: np.ndarray
                   ) -> np.ndarray:
    """Score contribution of each stratum at ``beta`` (rows: strata by first appearance).

    Strata without variation in ``y`` contribute nothing and are left out.
    """
    d = pad_strata(np.asarray(y, float), np.asarray(X, float), np.asarray(strata))
    _, _, pi = _loglik_grad_pi(np.asarray(beta, float), d)
    return ((d.chosen - pi)[:, :, None] * d.X).sum(axis=1)  # type: ignore[no-any-return]


def pair_certificate(y: np.ndarray, X: np.ndarray, strata: np.ndarray, beta: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Chosen-minus-other differences and positive weights whose combination is the score.

    For a stratum with chosen set C, the score at ``beta`` is
    ``sum_{c in C} (1 - pi_c) x_c - sum_{r not in C} pi_r x_r``, which equals
    ``sum_{c, r} (1 - pi_c) pi_r / T (x_c - x_r)`` with ``T = sum_{r not in C} pi_r``: positive
    weights on the differences. The exact conditional likelihood has a finite maximum only
    when no ``d != 0`` has ``(x_c - x_r) d >= 0`` for every such pair (otherwise moving along
    ``d`` never lowers it), so these rows and weights go to
    :func:`walt_alliances.analysis.estimation.stiemke_certified` (and the differences to
    :func:`~walt_alliances.analysis.estimation.cone_separated`).

    Returns
    -------
    rows : ndarray (pairs, k)
    weights : ndarray (pairs,)
    """
    d = pad_strata(np.asarray(y, float), np.asarray(X, float), np.asarray(strata))
    _, _, pi = _loglik_grad_pi(np.asarray(beta, float), d)
    chosen = (d.chosen == 1) & d.mask
    other = (d.chosen == 0) & d.mask
    total = np.where(other, pi, 0.0).sum(axis=1)
    s, c, r = np.nonzero(chosen[:, :, None] & other[:, None, :])
    rows = d.X[s, c] - d.X[s, r]
    weights = (1.0 - pi[s, c]) * pi[s, r] / total[s]
    return rows, weights
