"""Forecast scores checked against scikit-learn and against brute-force pair counting."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from walt_alliances.analysis.designs import scores as S


def _auc_pairs(y, p):
    """AUC by counting every (event, non-event) pair: 1 if ordered right, 1/2 if tied."""
    pos = [pi for yi, pi in zip(y, p, strict=True) if yi == 1]
    neg = [pi for yi, pi in zip(y, p, strict=True) if yi == 0]
    wins = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_known_answers():
    y = [0, 0, 1, 1]
    p = [0.1, 0.4, 0.35, 0.8]
    assert S.auc(y, p) == pytest.approx(0.75)  # 3 of 4 pairs ordered right
    assert S.brier(y, p) == pytest.approx((0.01 + 0.16 + 0.4225 + 0.04) / 4)
    expected = (np.log(0.9) + np.log(0.6) + np.log(0.35) + np.log(0.8)) / 4
    assert S.log_score(y, p) == pytest.approx(expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_against_sklearn_and_pair_counting(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 200)
    p = np.round(rng.uniform(size=200), 2)  # rounding makes ties
    assert S.auc(y, p) == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert S.auc(y, p) == pytest.approx(_auc_pairs(y, p), abs=1e-12)
    assert S.brier(y, p) == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    q = np.clip(p, 0.01, 0.99)
    assert S.log_score(y, q) == pytest.approx(-log_loss(y, q), abs=1e-12)


def test_degenerate_and_bad_input():
    assert np.isnan(S.auc([1, 1], [0.2, 0.3]))
    assert S.log_score([1], [0.0]) == pytest.approx(np.log(S.EPS))
    with pytest.raises(ValueError, match="0 or 1"):
        S.auc([2, 0], [0.1, 0.2])
    with pytest.raises(ValueError, match="probabilities"):
        S.brier([1, 0], [1.2, 0.2])
    with pytest.raises(ValueError, match="same length"):
        S.brier([1, 0], [0.2])
