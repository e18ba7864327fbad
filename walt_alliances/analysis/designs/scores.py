"""Scores of probability forecasts of a binary outcome: AUC, Brier score, log score.

Short enough to write with numpy; ``tests/analysis/test_design_scores.py`` checks them against
scikit-learn (``roc_auc_score``, ``brier_score_loss``, ``log_loss``) and against brute-force
pair counting.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata

__all__ = ["EPS", "auc", "brier", "log_score", "score_forecast"]

#: Predicted probabilities are clipped to [EPS, 1 - EPS] in the log score (as scikit-learn does
#: with the float64 machine epsilon), so one confident miss costs about 36 nats, not infinity.
EPS = float(np.finfo(np.float64).eps)


def _check(y: ArrayLike, p: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    yy = np.asarray(y, dtype=float)
    pp = np.asarray(p, dtype=float)
    if yy.shape != pp.shape or yy.ndim != 1:
        raise ValueError(f"y and p must be 1-d arrays of the same length ({yy.shape}, {pp.shape})")
    if not np.isin(yy, (0.0, 1.0)).all():
        raise ValueError("y must be 0 or 1")
    if np.isnan(pp).any() or (pp < 0).any() or (pp > 1).any():
        raise ValueError("p must be probabilities in [0, 1] without missing values")
    return yy, pp


def auc(y: ArrayLike, p: ArrayLike) -> float:
    """Area under the ROC curve (Mann-Whitney form; ties count one half).

    Parameters
    ----------
    y : array_like of {0, 1}
        Observed outcomes.
    p : array_like of float
        Predicted probabilities (any score that orders the cases works).

    Returns
    -------
    float
        The probability that a random event gets a higher score than a random non-event; NaN
        when there are no events or no non-events.
    """
    yy, pp = _check(y, p)
    n1 = yy.sum()
    n0 = len(yy) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = rankdata(pp)  # average ranks: ties count 1/2
    return float((r[yy == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def brier(y: ArrayLike, p: ArrayLike) -> float:
    """Brier score: mean squared difference between forecast and outcome (lower is better)."""
    yy, pp = _check(y, p)
    return float(np.mean((pp - yy) ** 2))


def log_score(y: ArrayLike, p: ArrayLike) -> float:
    """Mean log predictive probability of what happened (higher is better, at most 0).

    ``mean(y log p + (1 - y) log(1 - p))`` with ``p`` clipped to ``[EPS, 1 - EPS]``; the
    negative of scikit-learn's ``log_loss``.
    """
    yy, pp = _check(y, p)
    pc = np.clip(pp, EPS, 1 - EPS)
    return float(np.mean(yy * np.log(pc) + (1 - yy) * np.log1p(-pc)))


def score_forecast(y: ArrayLike, p: ArrayLike) -> dict[str, float]:
    """AUC, Brier score, log score, n and events of one forecast, as a dict."""
    yy, pp = _check(y, p)
    return {"auc": auc(yy, pp), "brier": brier(yy, pp), "log_score": log_score(yy, pp),
            "n": int(len(yy)), "events": int(yy.sum())}
