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


def holm(p: Sequence[float] | np.ndarray) -> np.ndarray:
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


def add_holm_verdicts(results: pd.DataFrame, *, primary_se: Mapping[str, str],
                      variants: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Holm-adjust the key terms' p-values and give each key term a verdict.

    The family is every key term of the designs' main models under its model's primary
    variance (``primary_se``: model_id -> se_type). Only the rows under the primary variance
    carry ``p_holm`` and ``verdict``; rows of the same term under other variances keep their
    own ``p_value`` with ``p_holm`` missing and an empty verdict. A variant model
    (``variants``: variant model_id -> main model_id, e.g. the partner choice with non-state
    partners) is not a member of the family, so that robustness variants do not make the
    correction harsher: a variant's key term gets the Holm p it would have if it replaced the
    main model's same term in the family (as the hypothesis tests' specification curve does).
    Verdict (issue 11's rule): ``supported`` when the Holm p < 0.05 with the expected sign,
    ``contradicted`` with the opposite sign, otherwise ``no evidence either way``.
    """
    variants = variants or {}
    out = results.copy()
    prim = (out["key_term"] & (out["se_type"] == out["model_id"].map(primary_se))).to_numpy()
    is_var = out["model_id"].isin(list(variants)).to_numpy()
    fam = prim & ~is_var
    fam_keys = list(zip(out.loc[fam, "model_id"], out.loc[fam, "term"], strict=True))
    fam_p = out.loc[fam, "p_value"].to_numpy(dtype=float)
    adj = dict(zip(fam_keys, holm(fam_p), strict=True))
    for i in np.flatnonzero(prim & is_var):
        mid, term = out["model_id"].iloc[i], out["term"].iloc[i]
        pos = [k for k, key in enumerate(fam_keys) if key == (variants[mid], term)]
        p = fam_p.copy()
        if pos:
            p[pos[0]] = float(out["p_value"].iloc[i])
            adj[(mid, term)] = float(holm(p)[pos[0]])
        else:
            adj[(mid, term)] = float(holm(np.append(p, out["p_value"].iloc[i]))[-1])
    # only the rows under the primary variance carry the Holm p and the verdict: a row under
    # another variance has its own p_value, and the primary's Holm p beside it would read as
    # an adjustment of that p (it could even be smaller)
    out["p_holm"] = [adj.get((m, t), np.nan) if k else np.nan
                     for m, t, k in zip(out["model_id"], out["term"], prim, strict=True)]
    is_prim = dict(zip(out.index, prim, strict=True))

    def verdict(r: Any) -> str:
        if not r.key_term or not is_prim[r.Index]:
            return ""
        if not np.isfinite(r.p_holm) or r.p_holm >= ALPHA:
            return "no evidence either way"
        expected = 1 if r.expected_sign == "+" else -1
        return "supported" if np.sign(r.estimate) == expected else "contradicted"

    out["verdict"] = [verdict(r) for r in out.itertuples(index=True)]
    return out
