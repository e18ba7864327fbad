"""Rows of ``results.csv`` for the designs, in the column order of the logits' contract."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

#: Columns of ``results.csv`` (issue 11's contract); designs fill what applies, NaN otherwise.
RESULT_COLUMNS: tuple[str, ...] = (
    "model_id", "hypothesis", "outcome", "unit", "term", "key_term", "expected_sign",
    "estimate", "std_error", "se_type", "df", "statistic", "p_value", "p_holm", "ci_low",
    "ci_high", "or_per_sd", "ame", "ame_ci_low", "ame_ci_high", "n", "events", "n_clusters",
    "loglik", "method", "verdict",
)

ALPHA = 0.05


def coef_rows(*, model_id: str, hypothesis: str, outcome: str, unit: str,
              params: Mapping[str, float], bse: Mapping[str, float], se_type: str,
              df: float | None, expected: Mapping[str, int], n: int, events: int,
              n_clusters: int | None, loglik: float, method: str,
              sd: Mapping[str, float] | None = None) -> list[dict[str, Any]]:
    """One row per term: estimate, standard error, test and interval.

    ``df`` None means a normal reference distribution; otherwise Student t on ``df`` degrees of
    freedom. ``or_per_sd`` is ``exp(estimate * sd[term])`` (an odds ratio for logit and
    conditional logit, a hazard ratio for Cox models) where ``sd`` gives the term's standard
    deviation in the estimation sample. ``p_holm`` and ``verdict`` are filled by
    :func:`add_holm_verdicts`.
    """
    rows = []
    for term, est in params.items():
        se = float(bse[term])
        z = float(est) / se if se > 0 else float("nan")
        if df is None:
            p = float(2 * stats.norm.sf(abs(z)))
            q = float(stats.norm.ppf(1 - ALPHA / 2))
        else:
            p = float(2 * stats.t.sf(abs(z), df))
            q = float(stats.t.ppf(1 - ALPHA / 2, df))
        sign = expected.get(term)
        s = (sd or {}).get(term, float("nan"))
        rows.append({
            "model_id": model_id, "hypothesis": hypothesis, "outcome": outcome, "unit": unit,
            "term": term, "key_term": sign is not None,
            "expected_sign": "" if sign is None else ("+" if sign > 0 else "-"),
            "estimate": float(est), "std_error": se, "se_type": se_type,
            "df": float("nan") if df is None else float(df), "statistic": z, "p_value": p,
            "p_holm": float("nan"), "ci_low": float(est) - q * se,
            "ci_high": float(est) + q * se,
            "or_per_sd": float(np.exp(float(est) * s)) if np.isfinite(s) else float("nan"),
            "ame": float("nan"), "ame_ci_low": float("nan"), "ame_ci_high": float("nan"),
            "n": int(n), "events": int(events),
            "n_clusters": -1 if n_clusters is None else int(n_clusters),
            "loglik": float(loglik), "method": method, "verdict": "",
        })
    return rows


def holm(p: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN stays NaN and is not counted)."""
    pv = np.asarray(p, dtype=float)
    out = np.full(pv.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(pv))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(pv[ok], kind="mergesort")]
    adj = np.maximum.accumulate((m - np.arange(m)) * pv[order])
    out[order] = np.minimum(adj, 1.0)
    return out


def add_holm_verdicts(results: pd.DataFrame, *, primary_se: Mapping[str, str]) -> pd.DataFrame:
    """Holm-adjust the key terms' p-values and give each key term a verdict.

    The family is every key term of the designs under its model's primary variance
    (``primary_se``: model_id -> se_type); rows under other variances get the p_holm of the
    same term under the primary one. Verdict (issue 11's rule): ``supported`` when the Holm
    p < 0.05 with the expected sign, ``contradicted`` with the opposite sign, otherwise
    ``no evidence either way``.
    """
    out = results.copy()
    prim = out["key_term"] & (out["se_type"] == out["model_id"].map(primary_se))
    out.loc[prim, "p_holm"] = holm(out.loc[prim, "p_value"].to_numpy())
    key = out.loc[prim].set_index(["model_id", "term"])["p_holm"]
    idx = pd.MultiIndex.from_frame(out[["model_id", "term"]])
    out["p_holm"] = np.where(out["key_term"], key.reindex(idx).to_numpy(), np.nan)

    def verdict(r: Any) -> str:
        if not r.key_term:
            return ""
        if not np.isfinite(r.p_holm) or r.p_holm >= ALPHA:
            return "no evidence either way"
        expected = 1 if r.expected_sign == "+" else -1
        return "supported" if np.sign(r.estimate) == expected else "contradicted"

    out["verdict"] = [verdict(r) for r in out.itertuples(index=False)]
    return out
