"""What the report says first: the hypothesis tests' results, read from their tidy output.

The analysis layer writes tidy frames with a fixed contract (issues 11 and 12 of the project):

``results``
    One row per model, term and variance type: :data:`RESULTS_COLUMNS`.
``specification_curve``
    Every variant with its key estimate, interval and verdict.
``influence``
    The units (alignments, actors) whose removal changes a verdict.
``prediction``
    Out-of-sample scores: :data:`PREDICTION_COLUMNS`.
``uncertainty``
    The spread of each key estimate over coding resamples and threat specifications.

This module reads those frames (from an object, a mapping or a folder of CSV files), checks
them against the contract and turns them into the short tables a reader sees first: one row per
hypothesis and design (:func:`headline`), balance of power against balance of threat
(:func:`bop_bot_in_sample`, :func:`prediction_table`) and what does not hold
(:func:`influence_table`). A frame that is absent stays ``None`` and the report prints a
visible *not run* note in its place; nothing is ever filled in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .fmt import fmt_ci, fmt_int, fmt_num, fmt_or, fmt_p, fmt_pp, humanize, is_missing

__all__ = [
    "AnalysisOutputs",
    "FRAMES",
    "PREDICTION_COLUMNS",
    "RESULTS_COLUMNS",
    "bop_bot_in_sample",
    "headline",
    "influence_table",
    "or_interval",
    "prediction_table",
    "read_outputs",
]

#: Columns of ``results.csv`` (the analysis layer's contract).
RESULTS_COLUMNS: tuple[str, ...] = (
    "model_id", "hypothesis", "outcome", "unit", "term", "key_term", "expected_sign",
    "estimate", "std_error", "se_type", "df", "statistic", "p_value", "p_holm", "ci_low",
    "ci_high", "or_per_sd", "ame", "ame_ci_low", "ame_ci_high", "n", "events", "n_clusters",
    "loglik", "method", "verdict")
#: Columns of ``prediction.csv``.
PREDICTION_COLUMNS: tuple[str, ...] = ("model", "evaluation", "auc", "brier", "log_score", "n",
                                       "events")
#: The contract's frames and the file each is read from.
FRAMES: dict[str, str] = {
    "results": "results.csv",
    "specification_curve": "specification_curve.csv",
    "influence": "influence.csv",
    "prediction": "prediction.csv",
    "uncertainty": "uncertainty.csv",
}
#: The default variance (the analysis layer's ``DEFAULT_SE``); used when a frame has it.
DEFAULT_SE = "dyadic"
_EVALUATIONS = {"in_sample": "in sample",
                "cv_5y_blocks": "leave-one-5-year-block-out CV",
                "holdout_1970_1979": "hold-out 1970-1979 (fit 1955-1969)",
                "gulf_1979_1990": "Gulf 1979-1990 (frozen parameters)"}
_EVALUATIONS_SHORT = {"cv_5y_blocks": "5-year-block CV", "holdout_1970_1979": "hold-out 1970-79",
                      "gulf_1979_1990": "Gulf 1979-90"}
_METHODS = {"logit": "logit", "firth": "Firth logit", "clogit": "conditional logit",
            "hazard": "hazard model", "event_study": "event study", "cox": "Cox model",
            "cross_lagged_logit": "cross-lagged logit", "cross_lagged_ols": "cross-lagged OLS"}


@dataclass
class AnalysisOutputs:
    """The hypothesis tests' tidy frames, as the report reads them.

    Attributes
    ----------
    results, specification_curve, influence, prediction, uncertainty : DataFrame or None
        The contract's frames; None when the analysis did not produce them.
    specs : DataFrame or None
        One row per model: ``model_id``, ``hypothesis``, ``statement`` (the hypothesis in our
        words), ``notes`` (how it is measured), from the analysis layer's specifications.
    samples : dict of str to DataFrame
        Estimation samples by model id (``y``, the terms, ``actor_a``, ``actor_b``, ...).
    extra : dict of str to DataFrame
        Any other frame the analysis returned (written as CSV, not shown in the summary).
    primary : tuple of str
        Model ids of the main hypothesis tests (shown first); the rest are further designs.
        Empty: every model is a main test.
    """

    results: pd.DataFrame | None = None
    specification_curve: pd.DataFrame | None = None
    influence: pd.DataFrame | None = None
    prediction: pd.DataFrame | None = None
    uncertainty: pd.DataFrame | None = None
    specs: pd.DataFrame | None = None
    samples: dict[str, pd.DataFrame] = field(default_factory=dict)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    primary: tuple[str, ...] = ()

    @classmethod
    def from_object(cls, obj: Any, specs: Any = None) -> AnalysisOutputs:
        """Collect the frames from a result object, a mapping or a ``(results, md)`` tuple.

        Parameters
        ----------
        obj : object, mapping or tuple
            What the analysis returned. Frames are looked up by the contract's names
            (attributes or keys); aliases ``spec_curve`` and ``robustness`` are not used, so
            an old-style result without a specification curve shows as *not run*.
        specs : iterable of specification objects, optional
            Objects with ``model_id``, ``hypothesis``, ``statement`` and ``notes``.
        """
        if isinstance(obj, tuple):
            obj = {"results": obj[0]}

        def get(name: str) -> Any:
            if isinstance(obj, Mapping):
                return obj.get(name)
            return getattr(obj, name, None)

        frames: dict[str, pd.DataFrame | None] = {}
        for name in FRAMES:
            value = get(name)
            frames[name] = value if isinstance(value, pd.DataFrame) else None
        samples = get("samples")
        extra: dict[str, pd.DataFrame] = {}
        for name, key in (("verdicts", "verdicts"), ("comparison", "comparison"),
                          ("predictions", "predicted"), ("events", "events")):
            value = get(name)
            if isinstance(value, pd.DataFrame) and len(value):
                extra[key] = value
        return cls(results=frames["results"],
                   specification_curve=frames["specification_curve"],
                   influence=frames["influence"], prediction=frames["prediction"],
                   uncertainty=frames["uncertainty"], specs=specs_frame(specs),
                   samples=dict(samples) if isinstance(samples, Mapping) else {}, extra=extra)


    def combine(self, other: AnalysisOutputs | None) -> AnalysisOutputs:
        """Both sets of frames in one (the hypothesis tests' and the designs').

        ``results`` and ``specs`` are stacked; for the other frames the first that is present
        is kept; samples and extra frames are merged (a clashing extra frame of ``other`` is
        kept as ``designs_<name>``).
        """
        if other is None:
            return self

        def stack(a: pd.DataFrame | None, b: pd.DataFrame | None) -> pd.DataFrame | None:
            frames = [f for f in (a, b) if f is not None and len(f)]
            if not frames:
                return a if a is not None else b
            return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

        extra = dict(self.extra)
        for k, v in other.extra.items():
            extra[k if k not in extra else f"designs_{k}"] = v
        return AnalysisOutputs(
            results=stack(self.results, other.results),
            specification_curve=self.specification_curve if self.specification_curve
            is not None else other.specification_curve,
            influence=self.influence if self.influence is not None else other.influence,
            prediction=self.prediction if self.prediction is not None else other.prediction,
            uncertainty=self.uncertainty if self.uncertainty is not None
            else other.uncertainty,
            specs=stack(self.specs, other.specs),
            samples={**other.samples, **self.samples}, extra=extra,
            primary=self.primary or (tuple(dict.fromkeys(self.results["model_id"].astype(str)))
                                     if self.results is not None else ()))


def specs_frame(specs: Any) -> pd.DataFrame | None:
    """One row per model specification (``model_id``, ``hypothesis``, ``statement``, ``notes``)."""
    if specs is None:
        return None
    if isinstance(specs, pd.DataFrame):
        return specs
    rows = [{"model_id": str(getattr(s, "model_id", "")),
             "hypothesis": str(getattr(s, "hypothesis", "")),
             "statement": str(getattr(s, "statement", "") or ""),
             "notes": str(getattr(s, "notes", "") or "")} for s in specs]
    return pd.DataFrame(rows, columns=["model_id", "hypothesis", "statement", "notes"])


def read_outputs(folder: str | Path) -> AnalysisOutputs:
    """Read the contract's CSV files from a folder (``walt-alliances hypotheses --out DIR``).

    A file that is absent gives None (shown as *not run*); ``samples/*.csv`` are read too.
    """
    root = Path(folder)
    frames: dict[str, pd.DataFrame | None] = {}
    for name, rel in FRAMES.items():
        path = root / rel
        frames[name] = pd.read_csv(path) if path.is_file() else None
    samples = {p.stem: pd.read_csv(p) for p in sorted((root / "samples").glob("*.csv"))}
    specs = root / "specs.csv"
    return AnalysisOutputs(results=frames["results"],
                           specification_curve=frames["specification_curve"],
                           influence=frames["influence"], prediction=frames["prediction"],
                           uncertainty=frames["uncertainty"], samples=samples,
                           specs=pd.read_csv(specs) if specs.is_file() else None)


def missing_columns(df: pd.DataFrame, needed: tuple[str, ...] | list[str]) -> list[str]:
    """Columns of ``needed`` that ``df`` lacks."""
    return [c for c in needed if c not in df.columns]


def _truthy(s: pd.Series) -> pd.Series:
    if s.dtype == bool:
        return s
    return s.astype(str).str.lower().isin(["true", "1", "yes"])


#: Variance types that are a model's primary one whenever the model has them (before its
#: first listed type): the wild cluster bootstrap of the aid designs (their Holm verdicts use
#: it).
PREFERRED_SE = ("wild_cluster_bootstrap",)


def default_rows(results: pd.DataFrame) -> pd.DataFrame:
    """Rows under the default variance (``dyadic``), else a preferred type, else the first.

    A model with ``dyadic`` rows shows them; a model without but with a variance of
    :data:`PREFERRED_SE` shows that (the one its verdict uses); any other model its first
    variance type.
    """
    if "se_type" not in results.columns:
        return results
    se = results["se_type"].astype(str)
    model = results["model_id"].astype(str)
    chosen: dict[str, str] = {}
    for m, types in se.groupby(model, sort=False):
        present = list(dict.fromkeys(types))
        chosen[m] = next((t for t in (DEFAULT_SE, *PREFERRED_SE) if t in present), present[0])
    keep = se.to_numpy() == model.map(chosen).to_numpy()
    return results[keep]


def key_rows(results: pd.DataFrame) -> pd.DataFrame:
    """The key terms under the default variance, in the frame's order."""
    res = default_rows(results)
    if "key_term" in res.columns:
        res = res[_truthy(res["key_term"]).to_numpy()]
    return res.reset_index(drop=True)


def or_interval(estimate: Any, ci_low: Any, ci_high: Any, or_per_sd: Any
                ) -> tuple[float, float]:
    """The 95% interval of a per-SD odds ratio from the interval of the raw coefficient.

    ``or_per_sd = exp(b * sd)``, so ``sd = log(or_per_sd) / b`` and the interval is
    ``exp(ci * sd)``: the same interval as the coefficient's, on the per-SD scale. NaN when
    the estimate is 0 or any input is missing.
    """
    vals = [estimate, ci_low, ci_high, or_per_sd]
    if any(is_missing(v) for v in vals) or float(estimate) == 0 or float(or_per_sd) <= 0:
        return (math.nan, math.nan)
    sd = math.log(float(or_per_sd)) / float(estimate)
    lo, hi = math.exp(float(ci_low) * sd), math.exp(float(ci_high) * sd)
    return (min(lo, hi), max(lo, hi))


def design_label(row: Mapping[str, Any]) -> str:
    """How a model is designed, in words: ``logit of onset on dyad-years``."""
    method = _METHODS.get(str(row.get("method", "")), str(row.get("method", "") or "model"))
    outcome = humanize(row.get("outcome", "")) if not is_missing(row.get("outcome")) else ""
    unit = str(row.get("unit", "") or "")
    unit = unit + "s" if unit and not unit.endswith("s") else unit
    parts = [method]
    if outcome:
        parts.append(f"of {outcome}")
    if unit:
        parts.append(f"on {unit}")
    return " ".join(parts)


def _curve_range(curve: pd.DataFrame | None, row: Mapping[str, Any]) -> str:
    if curve is None or curve.empty:
        return ""
    sel = curve
    for col in ("model_id", "term"):
        if col in sel.columns and not is_missing(row.get(col)):
            sub = sel[sel[col].astype(str) == str(row[col])]
            if col == "model_id" and sub.empty and "hypothesis" in sel.columns:
                sub = sel[sel["hypothesis"].astype(str) == str(row.get("hypothesis"))]
            sel = sub
    if sel.empty:
        return ""
    col = "or_per_sd" if "or_per_sd" in sel.columns and sel["or_per_sd"].notna().any() \
        else "estimate"
    if col not in sel.columns:
        return ""
    vals = sel[col].astype(float).dropna()
    if vals.empty:
        return ""
    scale = "OR/SD " if col == "or_per_sd" else "log-odds "
    text = (f"{scale}{(fmt_or if col == 'or_per_sd' else fmt_num)(vals.min())} to "
            f"{(fmt_or if col == 'or_per_sd' else fmt_num)(vals.max())} over {len(vals)} "
            "variants")
    if "verdict" in sel.columns and not is_missing(row.get("verdict")):
        same = (sel["verdict"].astype(str) == str(row["verdict"])).mean()
        text += f"; {same:.0%} give the same verdict"
    return text


def headline(out: AnalysisOutputs, primary: bool | None = None) -> pd.DataFrame | None:
    """One row per hypothesis and design: what the reader needs first.

    Returns
    -------
    pandas.DataFrame or None
        Columns ``hypothesis``, ``statement``, ``model_id``, ``measure``, ``design``,
        ``expected``, ``effect`` (average marginal effect in percentage points with its 95%
        interval), ``odds_ratio`` (per SD, with its 95% interval), ``p_holm``, ``n``,
        ``events``, ``clusters``, ``verdict``, ``curve`` (the range of the key estimate over
        the specification curve) and ``se_type``; every value formatted for reading. None
        when there are no results or they lack the contract's key columns.

    Other Parameters
    ----------------
    primary : bool, optional
        True: the main tests only (``out.primary``); False: the other designs only; None:
        every model.
    """
    res = out.results
    if res is None or res.empty:
        return None
    need = ["model_id", "hypothesis", "term", "estimate", "ci_low", "ci_high"]
    if missing_columns(res, need):
        return None
    keys = key_rows(res)
    if primary is not None and out.primary:
        inside = keys["model_id"].astype(str).isin(list(out.primary))
        keys = keys[(inside if primary else ~inside).to_numpy()]
    specs = out.specs.set_index("model_id") if out.specs is not None and len(out.specs) \
        else None
    rows = []
    for r in keys.to_dict("records"):
        mid = str(r["model_id"])
        statement = notes = ""
        if specs is not None and mid in specs.index:
            statement = str(specs.loc[mid, "statement"])
            notes = str(specs.loc[mid, "notes"]) if "notes" in specs.columns else ""
        lo, hi = or_interval(r.get("estimate"), r.get("ci_low"), r.get("ci_high"),
                             r.get("or_per_sd"))
        odds = fmt_or(r.get("or_per_sd"))
        if odds and not math.isnan(lo):
            odds += f" ({fmt_or(lo)} to {fmt_or(hi)})"
        effect = fmt_pp(r.get("ame"))
        if effect and not is_missing(r.get("ame_ci_low")):
            lo_pp, hi_pp = (fmt_pp(r.get(c)).removesuffix(" pp") for c in ("ame_ci_low",
                                                                           "ame_ci_high"))
            effect += f" ({lo_pp} to {hi_pp})"
        p = r.get("p_holm") if not is_missing(r.get("p_holm")) else r.get("p_value")
        rows.append({
            "hypothesis": str(r["hypothesis"]),
            "statement": statement,
            "model_id": mid,
            "measure": str(r["term"]),
            "measure_notes": notes,
            "design": design_label(r),
            "expected": {"+": "+", "-": "\u2212"}.get(str(r.get("expected_sign", "")),
                                                        str(r.get("expected_sign", "") or "")),
            "effect": effect,
            "odds_ratio": odds,
            "estimate": f"{fmt_num(r['estimate'])} ({fmt_ci(r['ci_low'], r['ci_high'])})",
            "p_holm": fmt_p(p),
            "n": fmt_int(r.get("n")),
            "events": fmt_int(r.get("events")),
            "clusters": fmt_int(r.get("n_clusters")),
            "verdict": "" if is_missing(r.get("verdict")) else str(r.get("verdict")),
            "curve": _curve_range(out.specification_curve, r),
            "se_type": "" if is_missing(r.get("se_type")) else str(r.get("se_type")),
        })
    return pd.DataFrame(rows)


def bop_bot_in_sample(out: AnalysisOutputs) -> pd.DataFrame | None:
    """Balance of power against balance of threat in sample: fit of each model.

    Rows of ``results`` whose hypothesis is ``BoP`` or ``BoT`` (one per model): n, events,
    log-likelihood, and the key terms with their per-SD odds ratios. None when absent.
    """
    res = out.results
    if res is None or res.empty or missing_columns(res, ["model_id", "hypothesis", "term"]):
        return None
    sub = default_rows(res[res["hypothesis"].astype(str).str.lower().isin(["bop", "bot"])])
    if sub.empty:
        return None
    rows = []
    for mid, g in sub.groupby("model_id", sort=False):
        first = g.iloc[0]
        keys = g[_truthy(g["key_term"]).to_numpy()] if "key_term" in g.columns else g
        terms = "; ".join(
            f"{t}: OR/SD {fmt_or(o)}, p {fmt_p(p)}" for t, o, p in zip(
                keys["term"], keys.get("or_per_sd", pd.Series(np.nan, index=keys.index)),
                keys.get("p_holm", keys.get("p_value", pd.Series(np.nan, index=keys.index))),
                strict=True))
        rows.append({"model": str(mid), "hypothesis": str(first["hypothesis"]),
                     "design": design_label(first.to_dict()),
                     "n": fmt_int(first.get("n")), "events": fmt_int(first.get("events")),
                     "loglik": fmt_num(first.get("loglik"), 5), "key_terms": terms})
    return pd.DataFrame(rows)


def prediction_table(out: AnalysisOutputs) -> pd.DataFrame | None:
    """Out-of-sample scores: one row per outcome and model, evaluations side by side.

    Model names of the form ``<model> <outcome>`` (``bot aligned``) are split; each evaluation
    gets three columns, AUC (higher is better), Brier score (lower is better) and log score
    (mean log predictive probability, higher is better, at most 0), rounded for reading.
    None when ``prediction`` is absent or lacks the contract's columns.
    """
    pred = out.prediction
    if pred is None or pred.empty or missing_columns(pred, ["model", "evaluation", "auc"]):
        return None
    pred = pred.copy()
    parts = pred["model"].astype(str).str.rsplit("_", n=1)
    outcomes = {"aligned", "onset", "accession"}
    pred["outcome"] = [p[1] if len(p) == 2 and p[1] in outcomes else "" for p in parts]
    pred["name"] = [p[0] if len(p) == 2 and p[1] in outcomes else "_".join(p) for p in parts]
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for r in pred.to_dict("records"):
        key = (str(r["outcome"]), str(r["name"]))
        row = rows.setdefault(key, {"outcome": key[0], "model": humanize(key[1])})
        ev = _EVALUATIONS_SHORT.get(str(r["evaluation"]), humanize(r["evaluation"]))
        row[f"{ev}: n / events"] = f"{fmt_int(r.get('n'))} / {fmt_int(r.get('events'))}"
        row[f"{ev}: AUC"] = "" if is_missing(r.get("auc")) else f"{float(r['auc']):.3f}"
        row[f"{ev}: Brier"] = "" if is_missing(r.get("brier")) else f"{float(r['brier']):.4f}"
        row[f"{ev}: log score"] = "" if is_missing(r.get("log_score")) else \
            f"{float(r['log_score']):.4f}".replace("-", "\u2212")
    frame = pd.DataFrame(list(rows.values())).fillna("")
    if not frame["outcome"].astype(bool).any():
        frame = frame.drop(columns=["outcome"])
    return frame


_UNIT_COLS = ("dropped", "unit_id", "left_out", "unit", "alignment_id", "actor_id", "variant")
_KIND_COLS = ("unit_type", "dropped_kind", "kind", "level")
_MAIN_COLS = ("verdict_main", "main_verdict", "baseline_verdict", "verdict_full")


def influence_table(out: AnalysisOutputs, names: Mapping[str, str] | None = None
                    ) -> pd.DataFrame | None:
    """The units whose removal changes a verdict, named (``influence``).

    Parameters
    ----------
    out : AnalysisOutputs
        The frames.
    names : mapping of str to str, optional
        Alignment and actor ids to their names (``unified-arab-command-1964`` -> *Unified
        Arab Command*).

    Returns
    -------
    pandas.DataFrame or None
        ``hypothesis``, ``model_id``, ``term``, ``dropped`` (the unit's name and id),
        ``kind``, ``estimate`` and ``p`` (Holm-adjusted where given) without it (floats),
        ``verdict`` without it and the main ``verdict_main``; None when ``influence`` is absent.
    """
    inf = out.influence
    if inf is None:
        return None
    if "se_type" in inf.columns and (inf["se_type"].astype(str) == DEFAULT_SE).any():
        inf = inf[(inf["se_type"].astype(str) == DEFAULT_SE).to_numpy()]
    if "changes_verdict" in inf.columns:  # every refit is listed; keep those that flip
        inf = inf[_truthy(inf["changes_verdict"]).to_numpy()]
    names = dict(names or {})
    unit_col = next((c for c in _UNIT_COLS if c in inf.columns), None)
    kind_col = next((c for c in _KIND_COLS if c in inf.columns), None)
    main_col = next((c for c in _MAIN_COLS if c in inf.columns), None)
    rows = []
    for r in inf.to_dict("records"):
        unit = "" if unit_col is None else str(r[unit_col])
        kind = "" if kind_col is None else str(r[kind_col])
        if ":" in unit and not kind:
            kind, unit = unit.split(":", 1)
            kind = kind.replace("drop_", "")
        label = f"{names[unit]} ({unit})" if unit in names else unit
        p = r.get("p_holm") if not is_missing(r.get("p_holm")) else r.get("p_value")
        rows.append({"hypothesis": str(r.get("hypothesis", "") or ""),
                     "model_id": str(r.get("model_id", "") or ""),
                     "term": str(r.get("term", "") or ""),
                     "dropped": label, "kind": humanize(kind),
                     "estimate": r.get("estimate"), "p": p,
                     "verdict": str(r.get("verdict", "") or ""),
                     "verdict_main": "" if main_col is None else str(r.get(main_col) or "")})
    out_cols = ["hypothesis", "model_id", "term", "dropped", "kind", "estimate", "p",
                "verdict", "verdict_main"]
    frame = pd.DataFrame(rows, columns=out_cols)
    for c in ("estimate", "p"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    return frame
