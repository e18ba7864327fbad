"""Small frames that follow the analysis layer's output contract (issues 11 and 12).

Made up for tests of the report: nothing here is a result of the project. ``results`` comes
from real statsmodels fits on a simulated dyadic sample (so predicted probabilities can be
recomputed from the saved sample); the other frames are hand-written rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from walt_alliances.report.summary import RESULTS_COLUMNS, AnalysisOutputs

ACTORS = [f"A{i:02d}" for i in range(12)]


def sample(seed: int, beta: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pairs = [(a, b) for i, a in enumerate(ACTORS) for b in ACTORS[i + 1:]]
    rows = []
    for year in range(1955, 1965):
        for a, b in pairs:
            x = rng.normal(0.4, 0.1)
            c = rng.normal()
            p = 1 / (1 + np.exp(-(-2.0 + beta * (x - 0.4) / 0.1 + 0.3 * c)))
            rows.append({"y": int(rng.random() < p), "const": 1.0, "common_threat": x,
                         "contiguous": c, "actor_a": a, "actor_b": b, "year": year,
                         "cluster": f"{a}-{b}"})
    return pd.DataFrame(rows)


def _fit(model_id: str, hyp: str, smp: pd.DataFrame, key: str, sign: str, verdict: str,
         p_holm: float) -> list[dict[str, object]]:
    import statsmodels.api as sm

    terms = ["const", "common_threat", "contiguous"]
    fit = sm.Logit(smp["y"], smp[terms]).fit(disp=0)
    rows = []
    for se_type, scale in (("dyadic", 1.5), ("cluster_dyad", 1.0)):
        for t in terms:
            est, se = float(fit.params[t]), float(fit.bse[t]) * scale
            sd = float(smp[t].std()) if t != "const" else np.nan
            rows.append({
                "model_id": model_id, "hypothesis": hyp, "outcome": "onset",
                "unit": "dyad-year", "term": t, "key_term": t == key,
                "expected_sign": sign if t == key else "", "estimate": est,
                "std_error": se, "se_type": se_type, "df": 11, "statistic": est / se,
                "p_value": 0.0004 if t == key else 0.3, "p_holm": p_holm if t == key else np.nan,
                "ci_low": est - 2.2 * se, "ci_high": est + 2.2 * se,
                "or_per_sd": float(np.exp(est * sd)) if t != "const" else np.nan,
                "ame": 0.021 if t == key else 0.004, "ame_ci_low": 0.004 if t == key else -0.01,
                "ame_ci_high": 0.038 if t == key else 0.02, "n": len(smp),
                "events": int(smp["y"].sum()), "n_clusters": 12 if se_type == "dyadic" else 66,
                "loglik": float(fit.llf), "method": "logit",
                "verdict": verdict if t == key else ""})
    return rows


def contract_outputs() -> AnalysisOutputs:
    s1, s2 = sample(1, 0.6), sample(2, 0.0)
    rows = _fit("h1_onset", "H1", s1, "common_threat", "+", "supported", 0.0012)
    rows += _fit("h3_onset", "H3", s2, "common_threat", "+", "no evidence either way", 0.41)
    rows += _fit("bot", "BoT", s1, "common_threat", "+", "supported", 0.002)
    results = pd.DataFrame(rows, columns=list(RESULTS_COLUMNS))
    curve = pd.DataFrame({
        "model_id": ["h1_onset"] * 4 + ["h3_onset"] * 3,
        "term": ["common_threat"] * 7,
        "variant": ["main", "cluster_dyad", "regional", "threat_multiplicative",
                    "main", "regional", "twoway"],
        "estimate": [5.9, 5.1, 2.0, 6.3, 0.1, -0.4, 0.2],
        "ci_low": [2.0, 3.0, -1.0, 2.1, -2.0, -2.9, -1.5],
        "ci_high": [9.8, 7.2, 5.0, 10.5, 2.2, 2.1, 1.9],
        "or_per_sd": [1.8, 1.66, 1.22, 1.88, 1.01, 0.96, 1.02],
        "verdict": ["supported", "supported", "no evidence either way", "supported",
                    "no evidence either way", "no evidence either way",
                    "no evidence either way"]})
    influence = pd.DataFrame({
        "model_id": ["h1_onset", "h1_onset"], "hypothesis": ["H1", "H1"],
        "term": ["common_threat", "common_threat"],
        "dropped": ["unified-arab-command-1964", "EGY"], "unit_type": ["alignment", "actor"],
        "estimate": [2.1, 3.0], "ci_low": [-0.3, -0.1], "ci_high": [4.5, 6.1],
        "p_holm": [0.06, 0.052],
        "verdict": ["no evidence either way", "no evidence either way"],
        "verdict_main": ["supported", "supported"]})
    prediction = pd.DataFrame({
        "model": ["bop", "bot", "baseline_controls", "baseline_lag"] * 2,
        "evaluation": ["cv_5y_blocks"] * 4 + ["holdout_1970_1979"] * 4,
        "auc": [0.61, 0.68, 0.55, 0.9, 0.6, 0.66, 0.52, 0.88],
        "brier": [0.051, 0.049, 0.052, 0.03, 0.06, 0.058, 0.061, 0.04],
        "log_score": [0.2, 0.19, 0.21, 0.12, 0.22, 0.21, 0.23, 0.15],
        "n": [5860] * 4 + [2300] * 4, "events": [97] * 4 + [31] * 4})
    uncertainty = pd.DataFrame({
        "model_id": ["h1_onset", "h1_onset"], "term": ["common_threat"] * 2,
        "source": ["coding_resamples", "threat_specifications"], "draws": [200, 12],
        "q025": [1.2, 2.5], "q50": [5.5, 5.8], "q975": [8.9, 7.7]})
    specs = pd.DataFrame({
        "model_id": ["h1_onset", "h3_onset", "bot"], "hypothesis": ["H1", "H3", "BoT"],
        "statement": ["Balancing: states align against a shared threat.",
                      "Ideology: states with similar regimes align.",
                      "Balance of threat: states align against the most threatening state."],
        "notes": ["", "", ""]})
    return AnalysisOutputs(results=results, specification_curve=curve, influence=influence,
                           prediction=prediction, uncertainty=uncertainty, specs=specs,
                           samples={"h1_onset": s1, "h3_onset": s2})
