"""Newton-Raphson for the binary logit, for resampling (thousands of refits).

statsmodels' ``Logit`` (used for every reported estimate) spends most of a small fit on its
model and results wrappers; the coding-uncertainty resamples refit five logits on each of 200
draws, where only the point estimates are needed. :func:`newton_logit` is the same
Newton-Raphson iteration (full steps from a start, as ``Logit.fit(method="newton")``) on
NumPy arrays, stopping when no coefficient moves by more than ``tol``. Tested against
statsmodels on simulated data and on the designs' own samples
(``tests/analysis/test_design_uncertainty.py``).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["newton_logit"]


def newton_logit(y: np.ndarray, X: np.ndarray, start: np.ndarray | None = None, *,
                 maxiter: int = 50, tol: float = 1e-10) -> np.ndarray | None:
    """Maximum likelihood logit coefficients by Newton-Raphson, or None if it fails.

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
        iterations did not converge (as under separation, where no estimate exists).
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
