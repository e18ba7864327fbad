"""Newton-Raphson for the Cox model with delayed entry and Efron ties, for resampling.

statsmodels' ``PHReg`` (used for every reported hazard model, checked against R's ``coxph``)
prepares its risk sets in Python and takes about 10 ms per fit here; the coding-uncertainty
resamples refit the duration model on each of 200 draws and need only the point estimate.
:func:`efron_cox` maximises the same partial likelihood (counting-process rows: a row is at
risk at failure time t when ``start < t <= stop``, R's rule; Efron's approximation for tied
failures) with every failure time's sums computed at once. Tested against statsmodels and R
(``tests/analysis/test_design_uncertainty.py``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["efron_cox", "efron_loglik", "pair_certificate"]


class _RiskSets:
    """Risk and failure indicators of every failure time (rows: failure times)."""

    def __init__(self, start: np.ndarray, stop: np.ndarray, event: np.ndarray) -> None:
        ev = np.asarray(event) == 1
        times = np.unique(stop[ev])
        self.at_risk = ((start[None, :] < times[:, None])
                        & (stop[None, :] >= times[:, None])).astype(float)
        self.dead = (self.at_risk.astype(bool) & (stop[None, :] == times[:, None])
                     & ev[None, :]).astype(float)
        d = self.dead.sum(axis=1).astype(int)
        width = int(d.max()) if len(d) else 0
        ell = np.arange(width)[None, :]
        self.used = ell < d[:, None]  # (T, L): l = 0..d_t - 1
        self.frac = np.where(self.used, ell / np.maximum(d, 1)[:, None], 0.0)


def _sums(rs: _RiskSets, X: np.ndarray, beta: np.ndarray
          ) -> tuple[float, np.ndarray, np.ndarray]:
    eta = X @ beta
    r = np.exp(eta - eta.max())  # the partial likelihood is invariant to a common factor
    n, k = X.shape
    rx = r[:, None] * X
    rxx = (rx[:, :, None] * X[:, None, :]).reshape(n, k * k)
    s0, s1, s2 = rs.at_risk @ r, rs.at_risk @ rx, rs.at_risk @ rxx
    d0, d1, d2 = rs.dead @ r, rs.dead @ rx, rs.dead @ rxx
    f = rs.frac
    den = s0[:, None] - f * d0[:, None]  # (T, L)
    num1 = s1[:, None, :] - f[:, :, None] * d1[:, None, :]  # (T, L, k)
    num2 = s2[:, None, :] - f[:, :, None] * d2[:, None, :]  # (T, L, k*k)
    u = rs.used
    den_safe = np.where(u, den, 1.0)
    # log of each true denominator = log(den) + max(eta), one per term of the sum
    ll = float((rs.dead @ eta).sum() - np.log(den_safe)[u].sum() - eta.max() * u.sum())
    xbar = num1 / den_safe[:, :, None]
    grad = (rs.dead @ X).sum(axis=0) - (xbar * u[:, :, None]).sum(axis=(0, 1))
    second = num2 / den_safe[:, :, None] - (xbar[:, :, :, None] * xbar[:, :, None, :]
                                            ).reshape(*xbar.shape[:2], k * k)
    info = (second * u[:, :, None]).sum(axis=(0, 1)).reshape(k, k)
    return ll, grad, info


def efron_loglik(start: np.ndarray, stop: np.ndarray, event: np.ndarray, X: np.ndarray,
                 beta: np.ndarray) -> float:
    """Efron's partial log-likelihood at ``beta`` (counting-process rows, R's risk rule)."""
    rs = _RiskSets(np.asarray(start, float), np.asarray(stop, float), np.asarray(event))
    return _sums(rs, np.asarray(X, float), np.asarray(beta, float))[0]


def efron_cox(start: np.ndarray, stop: np.ndarray, event: np.ndarray, X: np.ndarray,
              beta0: np.ndarray | None = None, *, tol: float = 1e-10, maxiter: int = 50
              ) -> np.ndarray | None:
    """Maximum partial likelihood estimates by Newton-Raphson (step halving), or None.

    Parameters
    ----------
    start, stop : ndarray
        Entry and exit times of each row (at risk at t when ``start < t <= stop``).
    event : ndarray
        1 where the row ends with a failure.
    X : ndarray (n, k)
        Covariates (no intercept).
    beta0 : ndarray, optional
        Start (default zeros).
    tol : float
        Convergence: the largest absolute change of a coefficient that a full Newton step
        from the current point would make.
    maxiter : int
        Newton steps at most.

    Returns
    -------
    ndarray or None
        The estimates; None when there is no failure, the information is singular or the
        iterations do not converge.
    """
    X = np.asarray(X, float)
    rs = _RiskSets(np.asarray(start, float), np.asarray(stop, float), np.asarray(event))
    if rs.used.size == 0 or not rs.used.any():
        return None
    b = np.zeros(X.shape[1]) if beta0 is None else np.array(beta0, dtype=float)
    ll, g, info = _sums(rs, X, b)
    for _ in range(maxiter):
        try:
            full = np.linalg.solve(info, g)
        except np.linalg.LinAlgError:
            return None
        if np.max(np.abs(full)) < tol:  # the full Newton step, not a halved one
            return b
        step = full
        for _half in range(30):
            nb = b + step
            nll, ng, ninfo = _sums(rs, X, nb)
            if np.isfinite(nll) and nll >= ll - 1e-12 * max(1.0, abs(ll)):
                break
            step = step / 2
        else:
            return None
        b, ll, g, info = nb, nll, ng, ninfo
    return None


def pair_certificate(start: np.ndarray, stop: np.ndarray, event: np.ndarray, X: np.ndarray,
                     beta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Failure-minus-at-risk differences and positive weights whose combination is the score.

    At failure time t with d failures D and risk set R, Efron's score is
    ``sum_l (mean_{i in D} x_i - sum_r w_r^(l) x_r)`` with weights ``w^(l)`` summing to 1
    over R, which is ``sum_{i in D} sum_{r in R} ((1/d) sum_l w_r^(l)) (x_i - x_r)``: positive
    weights on the differences ``x_i - x_r``. The partial likelihood
    has a finite maximum only when no ``b != 0`` has ``(x_i - x_r) b >= 0`` for every such
    pair (a monotone likelihood otherwise), so these go to
    :func:`walt_alliances.analysis.estimation.stiemke_certified`. Pairs of a row with itself
    (a zero difference) are left out.

    Returns
    -------
    rows : ndarray (pairs, k)
    weights : ndarray (pairs,)
    """
    X = np.asarray(X, float)
    rs = _RiskSets(np.asarray(start, float), np.asarray(stop, float), np.asarray(event))
    eta = X @ np.asarray(beta, float)
    r = np.exp(eta - eta.max())
    rows: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for t in range(rs.at_risk.shape[0]):
        risk = np.flatnonzero(rs.at_risk[t] > 0)
        dead = np.flatnonzero(rs.dead[t] > 0)
        d = len(dead)
        is_dead = rs.dead[t, risk] > 0
        # mean over l = 0..d-1 of w^(l): c_r r_r / S_l, c = 1 (survivor) or 1 - l/d (dying)
        frac = np.arange(d) / d
        s_all, s_dead = r[risk].sum(), r[dead].sum()
        denom = s_all - frac * s_dead  # (d,)
        c = np.where(is_dead[None, :], 1.0 - frac[:, None], 1.0)  # (d, |R|)
        w = (c * r[risk][None, :] / denom[:, None]).mean(axis=0)  # (|R|,)
        ii = np.repeat(dead, len(risk))
        rr = np.tile(risk, d)
        keep = ii != rr
        rows.append(X[ii[keep]] - X[rr[keep]])
        weights.append(np.tile(w, d)[keep])
    if not rows:
        return np.zeros((0, X.shape[1])), np.zeros(0)
    return np.vstack(rows), np.concatenate(weights)
