"""Walt's five hypotheses as data, and one way to test them all.

Each hypothesis is a frozen :class:`HypothesisSpec`: the statement in our words, the dependent
variable, the terms (key predictors and controls), the expected sign of each key term, the
sample and the unit. :func:`fit_hypothesis` builds the estimation sample from a panel and fits
a logit (:func:`walt_alliances.analysis.estimation.fit_logit`: standard errors clustered by
dyad; Firth's
penalized logit when separation is detected, reported). :func:`run_all` fits every
specification, the balance-of-power against balance-of-threat comparison, and the robustness
checks, and returns tidy tables.

The statements are our paraphrases of the hypotheses as the literature summarises them (see
``../shared/DOMAIN.md``); they are not quotations of Walt (1987), and no page is cited because
none of us has seen the book.

Verdicts
--------
For each key term: ``supported`` if the estimate has the expected sign and p < 0.05;
``contradicted`` if it has the opposite sign and p < 0.05; ``not significant`` otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from walt_alliances._io import only_names
from walt_alliances.panels.study import Study, resolve_study
from walt_alliances.panels.verbs import add_alignment, add_all, create_dyad_years

ALPHA = 0.05
SUPERPOWERS = ("USA", "RUS")


@dataclass(frozen=True)
class HypothesisSpec:
    """One model specification.

    Attributes
    ----------
    model_id : str
        Stable id, used in file names and tables.
    hypothesis : str
        ``H1``..``H5``, ``BoP`` or ``BoT``.
    statement : str
        The hypothesis in our words (not a quotation).
    dv : str
        Dependent variable column (``aligned``, ``onset``, ``aligned_formal``).
    terms : tuple of str
        Right-hand-side columns (key predictors and controls; the intercept ``const`` is added).
    expected : dict
        Key term -> expected sign (+1 or -1).
    sample : str
        Name of a sample rule in :data:`SAMPLES`.
    temporal : bool
        Add a cubic polynomial of years since the dyad's last alignment (onset models).
    notes : str
        How the hypothesis maps to the terms.
    """

    model_id: str
    hypothesis: str
    statement: str
    dv: str
    terms: tuple[str, ...]
    expected: dict[str, int] = field(default_factory=dict)
    sample: str = "states"
    temporal: bool = False
    notes: str = ""


def _states(df: pd.DataFrame) -> pd.Series:
    return df["ccode1"].notna() & df["ccode2"].notna()


def _regional(df: pd.DataFrame) -> pd.Series:
    return (df["kind1"] == "regional_state") & (df["kind2"] == "regional_state")


#: Named sample rules: panel -> boolean mask.
SAMPLES: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "states": _states,
    "regional": _regional,
    "no_superpowers": lambda d: _states(d) & ~d["actor1"].isin(SUPERPOWERS)
    & ~d["actor2"].isin(SUPERPOWERS),
    "superpower_donor": lambda d: (d["kind1"] == "regional_state") & d["actor2"].isin(SUPERPOWERS),
}

_CONTROLS = ("contiguous", "log_capdist")

SPECS: tuple[HypothesisSpec, ...] = (
    HypothesisSpec(
        "h1_balancing", "H1",
        "Balancing: states ally with others that are threatened by the same actor, and not "
        "with the actor that threatens them most.",
        "aligned", ("common_threat", "threat_index", *_CONTROLS),
        {"common_threat": +1, "threat_index": -1},
        notes="common_threat is how much both are threatened by the same third state; "
        "threat_index is j's threat to i (Walt's four sources combined)."),
    HypothesisSpec(
        "h1_balancing_onset", "H1",
        "Balancing (onset): a shared threat makes a new alignment between two states more "
        "likely.",
        "onset", ("common_threat", "threat_index", *_CONTROLS),
        {"common_threat": +1}, temporal=True,
        notes="Onset of alignment, with a cubic polynomial in years since the dyad was last "
        "aligned (Carter and Signorino 2010)."),
    HypothesisSpec(
        "h2_bandwagoning", "H2",
        "Bandwagoning: states ally with the actor that threatens them.",
        "aligned", ("threat_index", "common_threat", *_CONTROLS),
        {"threat_index": +1},
        notes="The same threat_index term as in H1, with the opposite expected sign."),
    HypothesisSpec(
        "h3_ideology", "H3",
        "Ideology: states with similar regimes ally; pan-Arab regimes, whose ideology is "
        "divisive, do not.",
        "aligned", ("ideo_same_family", "ideo_pan_arab_pair", "common_threat", *_CONTROLS),
        {"ideo_same_family": +1, "ideo_pan_arab_pair": -1},
        notes="Regime families coded in datasets/regimes.yaml; pan-Arab = Nasserist or "
        "Ba'thist."),
    HypothesisSpec(
        "h4_aid", "H4",
        "Foreign aid: aid from a superpower in the previous year leads the recipient to align "
        "with it.",
        "aligned", ("aid_from_j_lag1", "threat_index", "common_threat", "log_capdist"),
        {"aid_from_j_lag1": +1}, sample="superpower_donor",
        notes="Directed dyads of a regional state (i) and a superpower (j); aid = US "
        "obligations > 0 (Greenbook) or coded Soviet aid, lagged one year."),
    HypothesisSpec(
        "h5_penetration", "H5",
        "Transnational penetration: penetration of a state's politics by another in the "
        "previous year leads it to align with the penetrator.",
        "aligned", ("pen_by_j_lag1", "threat_index", "common_threat", *_CONTROLS),
        {"pen_by_j_lag1": +1},
        notes="Coded penetration episodes (datasets/penetration.yaml), lagged one year."),
    HypothesisSpec(
        "bop", "BoP",
        "Balance of power: states ally when they face the same stronger third state "
        "(aggregate power alone).",
        "aligned", ("common_threat_power",), {"common_threat_power": +1},
        notes="Common threat from the power component alone; nested in 'bot' and compared "
        "by a likelihood-ratio test and information criteria."),
    HypothesisSpec(
        "bot", "BoT",
        "Balance of threat: states ally when they face the same third state that threatens "
        "them by Walt's four sources (power, proximity, offensive power, intentions).",
        "aligned", ("common_threat_power", "common_threat_proximity", "common_threat_offense",
                    "common_threat_intent"),
        {"common_threat_power": +1, "common_threat_proximity": +1, "common_threat_offense": +1,
         "common_threat_intent": +1},
        notes="Common threat from each of the four components."),
)


def prepare(panel: pd.DataFrame) -> pd.DataFrame:
    """Add the derived model columns (``contiguous``, ``log_capdist``) to a full panel."""
    out = panel.copy()
    out.attrs = panel.attrs
    if "contig" in out:
        out["contiguous"] = (out["contig"] == 1).astype("Int8").where(out["contig"].notna(),
                                                                      pd.NA)
    if "capdist_km" in out:
        out["log_capdist"] = np.log1p(out["capdist_km"].astype("Float64"))
    return out


def estimation_sample(panel: pd.DataFrame, spec: HypothesisSpec) -> tuple[pd.Series,
                                                                           pd.DataFrame,
                                                                           np.ndarray]:
    """Return (y, X, cluster) for a specification: the exact estimation sample.

    Rows outside the sample rule or with any missing value in the DV or a term are dropped
    (listwise). ``cluster`` is the non-directed dyad id.
    """
    from walt_alliances.analysis.estimation import temporal_terms, time_since_event

    df = panel[SAMPLES[spec.sample](panel).fillna(False).to_numpy()]
    cols = [spec.dv, *spec.terms]
    missing = [c for c in cols if c not in df]
    if missing:
        raise KeyError(f"{spec.model_id}: panel lacks columns {missing}; build it with add_all()")
    df = df.dropna(subset=cols)
    X = df[list(spec.terms)].astype("float64")
    if spec.temporal:
        base = panel.dropna(subset=["aligned"])[["dyad", "year", "aligned"]]
        base = base.drop_duplicates(["dyad", "year"])
        t = time_since_event(base, ["dyad"], "year", "aligned")
        tt = pd.Series(np.asarray(t, dtype=float), index=base.index)
        lookup = dict(zip(zip(base["dyad"], base["year"], strict=True), tt, strict=True))
        since = np.array([lookup[(d, y)] for d, y in zip(df["dyad"], df["year"], strict=True)])
        terms = temporal_terms(since, kind="cubic")
        for c in terms.columns:
            X[c] = np.asarray(terms[c], dtype=float)
    y = df[spec.dv].astype("int64")
    return y, X, df["dyad"].astype(str).to_numpy()


def verdict(estimate: float, p_value: float, expected: int) -> str:
    """Verdict for one key term (see the module docstring)."""
    if not np.isfinite(p_value) or p_value >= ALPHA:
        return "not significant"
    return "supported" if np.sign(estimate) == expected else "contradicted"


def fit_hypothesis(panel: pd.DataFrame, spec: HypothesisSpec, *, se_type: str = "cluster",
                   method: str = "auto") -> Any:
    """Fit one specification on a prepared panel.

    Returns
    -------
    walt_alliances.analysis.estimation.LogitResult
    """
    from walt_alliances.analysis.estimation import fit_logit

    y, X, cl = estimation_sample(panel, spec)
    if se_type == "cluster":
        return fit_logit(y, X, cluster=cl, se_type="cluster", method=method)  # type: ignore[arg-type]
    return fit_logit(y, X, se_type=se_type, method=method)  # type: ignore[arg-type]


def _key_rows(spec: HypothesisSpec, res: Any, variant: str) -> list[dict[str, Any]]:
    rows = []
    for term, sign in spec.expected.items():
        est, p = float(res.params[term]), float(res.pvalues[term])
        rows.append({"model_id": spec.model_id, "hypothesis": spec.hypothesis, "term": term,
                     "expected_sign": "+" if sign > 0 else "-", "variant": variant,
                     "estimate": est, "p_value": p, "n": res.n, "events": res.events,
                     "method": res.method, "verdict": verdict(est, p, sign)})
    return rows


@dataclass(frozen=True)
class StudyResults:
    """Everything :func:`run_all` produces."""

    results: pd.DataFrame  # tidy coefficient table (results.csv)
    verdicts: pd.DataFrame  # one row per key term of the main models
    comparison: pd.DataFrame  # BoP vs BoT
    robustness: pd.DataFrame  # key-term verdicts under every robustness variant
    samples: dict[str, pd.DataFrame]  # model_id -> y, terms, cluster
    summary_md: str


def _progress(msg: str, enabled: bool) -> None:
    if enabled:
        print(msg, file=sys.stderr, flush=True)


def run_all(study: Study | None = None, *, start: int = 1955, end: int | None = None,
            specs: Iterable[HypothesisSpec] = SPECS, robustness: bool = True,
            progress: bool = False) -> StudyResults:
    """Fit every specification, the BoP/BoT comparison and the robustness checks.

    Parameters
    ----------
    study : Study, optional
        The data (default: the shipped data).
    start, end : int
        Years of the panel (default: 1955 to the end of the coded period).
    specs : iterable of HypothesisSpec
        The models (default :data:`SPECS`).
    robustness : bool
        Also run the robustness variants (alternative threat index, regional actors only,
        without the superpowers, dropping low-confidence alignments, dropping one actor or one
        alignment at a time).
    progress : bool
        Print progress to stderr.

    Returns
    -------
    StudyResults
    """
    from walt_alliances.analysis.estimation import lr_test
    from walt_alliances.measures.threat import ThreatSpec

    st = resolve_study(study)
    end = end if end is not None else st.period_years[1]
    specs = tuple(specs)
    _progress(f"building the {start}-{end} directed dyad-year panel", progress)
    panel = prepare(add_all(create_dyad_years(start, end, study=st), study=st))
    fits: dict[str, Any] = {}
    frames, keyrows, samples = [], [], {}
    for i, spec in enumerate(specs, 1):
        _progress(f"[{i}/{len(specs)}] fitting {spec.model_id}", progress)
        res = fit_hypothesis(panel, spec)
        fits[spec.model_id] = res
        frames.append(res.to_frame(spec.model_id, spec.hypothesis))
        keyrows += _key_rows(spec, res, "main")
        y, X, cl = estimation_sample(panel, spec)
        samples[spec.model_id] = pd.DataFrame({"y": y.to_numpy(), "const": 1.0,
                                               **{c: X[c].to_numpy() for c in X.columns},
                                               "cluster": cl})
    results = pd.concat(frames, ignore_index=True)
    verdicts = pd.DataFrame(keyrows)
    comparison = _compare(panel, fits, specs, lr_test)
    rob = pd.DataFrame()
    if robustness:
        rob = _robustness(panel, st, start, end, specs, ThreatSpec, progress)
    summary = _summary_md(specs, verdicts, comparison, rob, fits)
    return StudyResults(results, verdicts, comparison, rob, samples, summary)


def _compare(panel: pd.DataFrame, fits: dict[str, Any], specs: tuple[HypothesisSpec, ...],
             lr_test: Callable[..., tuple[float, float, float]]) -> pd.DataFrame:
    ids = {s.model_id: s for s in specs}
    if not {"bop", "bot"} <= ids.keys():
        return pd.DataFrame()
    # refit both on the common (BoT) sample so they are nested
    bot = ids["bot"]
    common = panel.dropna(subset=[bot.dv, *bot.terms])
    common.attrs = panel.attrs
    rb = fit_hypothesis(common, ids["bop"])
    rt = fit_hypothesis(common, bot)
    stat, df, p = lr_test(rb, rt)
    rows = []
    for name, r in (("bop", rb), ("bot", rt)):
        rows.append({"model_id": name, "n": r.n, "events": r.events, "loglik": r.loglik,
                     "aic": r.aic, "bic": r.bic, "method": r.method})
    out = pd.DataFrame(rows)
    out["lr_stat"], out["lr_df"], out["lr_p_value"] = stat, df, p
    return out


def _robustness(panel: pd.DataFrame, st: Study, start: int, end: int,
                specs: tuple[HypothesisSpec, ...], ThreatSpec: Any,
                progress: bool) -> pd.DataFrame:
    main = [s for s in specs if s.hypothesis.startswith("H")]
    variants: list[tuple[str, pd.DataFrame, Callable[[HypothesisSpec], HypothesisSpec]]] = []
    same: Callable[[HypothesisSpec], HypothesisSpec] = lambda s: s  # noqa: E731
    _progress("robustness: alternative threat index (multiplicative)", progress)
    alt = prepare(add_all(create_dyad_years(start, end, study=st), study=st,
                          threat_spec=ThreatSpec(form="multiplicative")))
    variants.append(("threat_multiplicative", alt, same))
    variants.append(("regional_only", panel, lambda s: _with_sample(s, "regional")))
    variants.append(("no_superpowers", panel, lambda s: _with_sample(s, "no_superpowers")))
    _progress("robustness: dropping low-confidence alignments", progress)
    conf = _realign(panel, st, min_confidence="medium")
    variants.append(("min_confidence_medium", conf, same))
    for actor in sorted(panel.attrs["walt_panel"]["actors"]):
        keep = (panel["actor1"] != actor) & (panel["actor2"] != actor)
        sub = panel[keep.to_numpy()]
        sub.attrs = panel.attrs
        variants.append((f"drop_actor:{actor}", sub, same))
    for aid in sorted(st["alignments"]["alignment_id"]):
        variants.append((f"drop_alignment:{aid}", _realign(panel, st, exclude=[aid]), same))
    rows: list[dict[str, Any]] = []
    for k, (name, data, change) in enumerate(variants, 1):
        if progress and (k % 10 == 0 or k == len(variants)):
            _progress(f"robustness: {k}/{len(variants)} variants", progress)
        for spec in main:
            s2 = change(spec)
            try:
                res = fit_hypothesis(data, s2)
            except (ValueError, np.linalg.LinAlgError) as exc:
                rows += [{"model_id": spec.model_id, "hypothesis": spec.hypothesis, "term": t,
                          "expected_sign": "+" if g > 0 else "-", "variant": name,
                          "estimate": np.nan, "p_value": np.nan, "n": 0, "events": 0,
                          "method": "", "verdict": f"not estimable: {exc}"}
                         for t, g in spec.expected.items()]
                continue
            rows += _key_rows(spec, res, name)
    return pd.DataFrame(rows)


def _with_sample(spec: HypothesisSpec, sample: str) -> HypothesisSpec:
    from dataclasses import replace

    if spec.sample == "superpower_donor":
        return spec  # the aid model is about superpower donors by construction
    return replace(spec, sample=sample)


def _realign(panel: pd.DataFrame, st: Study, *, min_confidence: str | None = None,
             exclude: Iterable[str] = ()) -> pd.DataFrame:
    dv = ["aligned", "onset", "n_alignments", "alignment_ids", "aligned_formal"]
    dv += [c for c in panel.columns if c.startswith("aligned_")]
    base = panel.drop(columns=[c for c in dict.fromkeys(dv) if c in panel])
    base.attrs = panel.attrs
    return add_alignment(base, min_confidence=min_confidence, exclude_alignments=exclude,
                         study=st)


def _fmt(x: float, nd: int = 3) -> str:
    return "" if x is None or not np.isfinite(x) else f"{x:.{nd}f}"


def _summary_md(specs: tuple[HypothesisSpec, ...], verdicts: pd.DataFrame,
                comparison: pd.DataFrame, rob: pd.DataFrame, fits: dict[str, Any]) -> str:
    lines = ["# Tests of Walt's five hypotheses", "",
             "Logit models on directed dyad-years (1955 to the end of the coded period); "
             "standard errors clustered by dyad; Firth's penalized logit where separation was "
             "detected. Statements are our paraphrases, not quotations of Walt (1987). "
             f"Verdict: expected sign and p < {ALPHA} = supported; opposite sign and p < "
             f"{ALPHA} = contradicted; else not significant.", "",
             "| model | hypothesis | term | expected | estimate | odds ratio | p | n | events "
             "| method | verdict | robust |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in verdicts.itertuples(index=False):
        share = ""
        if len(rob):
            rr = rob[(rob["model_id"] == r.model_id) & (rob["term"] == r.term)]
            if len(rr):
                share = f"{(rr['verdict'] == r.verdict).mean():.0%} of {len(rr)}"
        lines.append(f"| {r.model_id} | {r.hypothesis} | {r.term} | {r.expected_sign} | "
                     f"{_fmt(r.estimate)} | {_fmt(float(np.exp(r.estimate)))} | "
                     f"{_fmt(r.p_value, 4)} | {r.n} | {r.events} | {r.method} | "
                     f"**{r.verdict}** | {share} |")
    lines += ["", "*robust*: share of robustness variants (alternative threat index, regional "
              "actors only, no superpowers, low-confidence alignments dropped, each actor and "
              "each alignment dropped in turn) that give the same verdict.", ""]
    if len(comparison):
        c = comparison.set_index("model_id")
        lines += ["## Balance of power against balance of threat", "",
                  "| model | n | log-likelihood | AIC | BIC |", "|---|---|---|---|---|"]
        for m in ("bop", "bot"):
            lines.append(f"| {m} | {c.loc[m, 'n']} | {_fmt(c.loc[m, 'loglik'], 2)} | "
                         f"{_fmt(c.loc[m, 'aic'], 2)} | {_fmt(c.loc[m, 'bic'], 2)} |")
        lines += ["", f"Likelihood-ratio test of BoP nested in BoT: statistic "
                  f"{_fmt(float(c['lr_stat'].iloc[0]), 2)} on {int(c['lr_df'].iloc[0])} df, "
                  f"p = {_fmt(float(c['lr_p_value'].iloc[0]), 4)}.", ""]
    if len(rob):
        changed = rob.merge(verdicts[["model_id", "term", "verdict"]],
                            on=["model_id", "term"], suffixes=("", "_main"))
        changed = changed[changed["verdict"] != changed["verdict_main"]]
        lines += ["## Verdicts that change under a robustness variant", ""]
        if changed.empty:
            lines.append("None.")
        else:
            lines += ["| model | term | variant | verdict | main verdict |",
                      "|---|---|---|---|---|"]
            for r in changed.itertuples(index=False):
                lines.append(f"| {r.model_id} | {r.term} | {r.variant} | {r.verdict} | "
                             f"{r.verdict_main} |")
        lines.append("")
    sep = [(k, f) for k, f in fits.items() if f.separation != "none"]
    if sep:
        lines += ["## Separation", ""]
        for k, f in sep:
            lines.append(f"- {k}: {f.separation} separation on {', '.join(f.separation_terms)}; "
                         f"fitted by {f.method}.")
        lines.append("")
    return "\n".join(lines)


def write_outputs(res: StudyResults, out_dir: Any, save_samples: bool = False) -> list[Any]:
    """Write the results of :func:`run_all` into a folder.

    Files: ``results.csv``, ``summary.md``, ``verdicts.csv``, ``comparison.csv``,
    ``robustness.csv`` and, with ``save_samples``, ``samples/<model_id>.csv``. The folder is
    replaced whole (staged beside it, then swapped in); an existing one must be empty or an
    earlier output of this function.
    """
    from pathlib import Path

    from walt_alliances._io import csv_bytes, write_folder

    out = Path(out_dir)
    files = {"results.csv": csv_bytes(_round(res.results)),
             "verdicts.csv": csv_bytes(_round(res.verdicts)),
             "comparison.csv": csv_bytes(_round(res.comparison)),
             "robustness.csv": csv_bytes(_round(res.robustness)),
             "summary.md": res.summary_md.encode()}
    if save_samples:
        for mid, df in res.samples.items():
            files[f"samples/{mid}.csv"] = csv_bytes(df)
    # staged and swapped in whole: the folder holds exactly this run's files
    return write_folder(out, files, what="hypotheses output", replaceable=OUTPUT_FOLDER)


#: An earlier output folder of :func:`write_outputs`: it holds only files that function writes.
OUTPUT_FOLDER = only_names(["results.csv", "verdicts.csv", "comparison.csv", "robustness.csv",
                            "summary.md", "samples/*.csv"])


def _round(df: pd.DataFrame) -> pd.DataFrame:
    """Round floats to 10 significant digits so outputs are stable across platforms."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].map(lambda v: float(f"{v:.10g}") if pd.notna(v) else v)
    return out
