"""The report's figures: effects, specification curve, influence, timeline, networks, power.

Every figure is drawn with matplotlib's Agg backend under fixed settings (:data:`RC`: DejaVu
Sans, which ships with matplotlib, fixed sizes, a fixed SVG hash salt) and written by
:func:`render` without timestamps or software versions in the file, so that two runs give
byte-identical PNG, SVG and PDF files.

Each figure has a title that states its finding (computed from the data it shows), axis labels
with units, a legend, and a caption naming the data source. The ``*_figure`` functions return
``(figure, title, reading)``, ``reading`` being one line in plain words for the report, or a
string saying why the figure could not be drawn (the report shows it as a *not run* note; no
figure is ever drawn from invented numbers).

The figures show the project's codings and estimates ("ours"), never figures from the book.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from walt_alliances.tables import book as bt

from .fmt import humanize, is_missing
from .summary import AnalysisOutputs, default_rows, design_label, key_rows, or_interval

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from walt_alliances.panels.study import Study

__all__ = [
    "FIGURE_TITLES",
    "KIND_COLORS",
    "PERIODS",
    "RC",
    "coefficient_figure",
    "coefficient_plot",
    "influence_figure",
    "network_edges",
    "network_figure",
    "network_map",
    "predicted_figure",
    "predicted_probabilities",
    "render",
    "specification_curve_figure",
    "timeline",
    "timeline_figure",
    "world_power_figure",
]

#: Fixed matplotlib settings for every figure.
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "walt-alliances",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
KIND_COLORS: dict[str, str] = {
    "formal_treaty": "#0072B2",
    "informal_alignment": "#56B4E9",
    "union": "#CC79A7",
    "wartime_coalition": "#D55E00",
    "summit_commitment": "#E69F00",
    "unilateral_guarantee": "#009E73",
}
ACTOR_KIND_COLORS: dict[str, str] = {
    "superpower": "#000000",
    "outside_power": "#777777",
    "regional_state": "#009E73",
    "non_state": "#CC79A7",
}
VERDICT_COLORS: dict[str, str] = {"supported": "#0072B2", "contradicted": "#D55E00"}
_OTHER_VERDICT = "#999999"
#: Default periods of the network maps.
PERIODS: tuple[tuple[int, int], ...] = ((1955, 1959), (1960, 1966), (1967, 1973), (1974, 1979))
#: Fallback titles (used in *not run* notes).
FIGURE_TITLES: dict[str, str] = {
    "coefficients": "Effects on one scale: odds ratios per standard deviation",
    "predicted_probability": "Predicted probability over the key term",
    "specification_curve": "Specification curve",
    "influence": "Leave-one-out influence (alignments and actors)",
    "timeline": "Alignments over time",
    "networks": "Alignment networks by period",
    "world_power": "The balance of world power",
}
SOURCE_CODINGS = ("Source: walt_alliances codings (ours; datasets/), not figures from Walt "
                  "(1987).")
SOURCE_ESTIMATES = ("Source: walt_alliances estimates from the project's codings (ours; "
                    "hypotheses/results.csv), not from Walt (1987).")

Made = tuple["Figure", str, str] | str


def _mpl() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def render(fig: Figure, fmt: Literal["png", "svg", "pdf"] = "png", dpi: int = 150) -> bytes:
    """Write a figure to bytes deterministically (no dates or software versions inside).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    fmt : {"png", "svg", "pdf"}
        File format.
    dpi : int
        Resolution of a PNG.

    Returns
    -------
    bytes
        The file's content; identical for identical figures.
    """
    import matplotlib

    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    }[fmt]
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
    return buf.getvalue()


def _caption(fig: Figure, text: str) -> None:
    """The source line at the bottom (laid out by constrained layout when the figure has it)."""
    text = textwrap.fill(text, int(fig.get_figwidth() * 17))
    if fig.get_layout_engine() is not None:
        # constrained layout puts a legend placed "outside lower" at the very bottom, in the
        # caption's margin: blank lines under the caption, as many as the legend is high,
        # lift the caption above it
        rows = max((math.ceil(len(leg.get_texts()) / max(getattr(leg, "_ncols", 1), 1))
                    for leg in fig.legends), default=0)
        pad = "\n" * math.ceil(rows * 1.9) if rows else ""
        fig.supxlabel(text + pad, x=0.01, ha="left", fontsize=7, color="#444444")
    else:
        fig.text(0.01, 0.004, text, fontsize=7, color="#444444", ha="left", va="bottom")


def _title(fig: Figure, text: str, y: float | None = None) -> None:
    """The title stating the finding (placed by constrained layout unless ``y`` is given)."""
    kw: dict[str, Any] = {} if y is None else {"y": y, "va": "top"}
    fig.suptitle(textwrap.fill(text, int(fig.get_figwidth() * 12), break_on_hyphens=False),
                 x=0.01, ha="left", fontsize=11, fontweight="bold", **kw)


def _subplots(plt: Any, *args: Any, **kwargs: Any) -> Any:
    return plt.subplots(*args, layout="constrained", **kwargs)


_DROP = ("const", "Intercept", "(Intercept)")
_NICE = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 10, 20, 50, 100)


def _log_ticks(axis: Any, lo: float, hi: float) -> None:
    """Plain tick labels (0.5, 1, 2) on a log axis instead of powers of ten."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    inside = [t for t in _NICE if lo <= t <= hi]
    if len(inside) > 9:
        inside = [t for t in inside if t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20,
                                             50, 100)]
    axis.set_major_locator(FixedLocator(inside))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


# --------------------------------------------------------------------------------------------
# Effects
# --------------------------------------------------------------------------------------------

_CLOCK = re.compile(r"^(t\d?|since\d?|spline\d*|_?rcs\d*|time_since\w*)$")


def _or_rows(results: pd.DataFrame, controls_for: Sequence[str] | None = None) -> pd.DataFrame:
    res = default_rows(results)
    res = res[~res["term"].astype(str).isin(_DROP)
              & ~res["term"].astype(str).str.match(_CLOCK)].copy()
    if controls_for is not None and "key_term" in res.columns:
        key = res["key_term"].astype(str).str.lower().isin(["true", "1"])
        res = res[(key | res["model_id"].astype(str).isin(list(controls_for))).to_numpy()]
    if "or_per_sd" not in res.columns:
        return res.iloc[0:0]
    res = res[res["or_per_sd"].notna() & (res["or_per_sd"].astype(float) > 0)]
    los, his = [], []
    for r in res.to_dict("records"):
        lo, hi = or_interval(r["estimate"], r["ci_low"], r["ci_high"], r["or_per_sd"])
        los.append(lo)
        his.append(hi)
    res["or_low"], res["or_high"] = los, his
    key = res["key_term"] if "key_term" in res.columns else pd.Series(False, index=res.index)
    res["is_key"] = key.astype(str).str.lower().isin(["true", "1"])
    res["design"] = [design_label(r) for r in res.to_dict("records")]
    return res


def coefficient_plot(results: pd.DataFrame, title: str | None = None,
                     controls_for: Sequence[str] | None = None) -> Figure:
    """Per-SD odds ratios with 95% intervals on one log scale, one panel per design.

    Parameters
    ----------
    results : pandas.DataFrame
        ``results.csv`` rows (the contract's columns ``model_id``, ``term``, ``estimate``,
        ``ci_low``, ``ci_high``, ``or_per_sd``, ``key_term``, ``method``, ``outcome``,
        ``unit``, ``se_type``). Rows under the default variance are drawn; intercepts and terms
        without a per-SD odds ratio are left out.
    title : str, optional
        The figure's title (default: the share of key intervals that exclude 1).
    controls_for : sequence of str, optional
        Draw the control terms of these models only (other models: key terms only). Default:
        every term of every model. Duration terms (``t``, ``t2``, ``since`` ...) are never
        drawn.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When a column is missing or there is nothing to plot.

    Notes
    -----
    Key terms are drawn as filled dark points with bold labels; controls as open grey points.
    Every panel shares one x axis (log scale), so effects can be compared across designs.
    Intervals beyond the axis are cut at its edge and marked with an arrow head.
    """
    need = ["model_id", "term", "estimate", "ci_low", "ci_high", "or_per_sd"]
    missing = [c for c in need if c not in results.columns]
    if missing:
        raise ValueError(f"results lacks the column(s) {missing}; needs {need}")
    res = _or_rows(results, controls_for)
    if res.empty:
        raise ValueError("no terms to plot (no per-SD odds ratio outside the intercepts)")
    plt = _mpl()
    designs = list(dict.fromkeys(res["design"]))
    sizes = [int((res["design"] == d).sum()) for d in designs]
    vals = np.concatenate([res["or_per_sd"].astype(float).to_numpy(),
                           res["or_low"].dropna().to_numpy(), res["or_high"].dropna().to_numpy()])
    vals = vals[np.isfinite(vals) & (vals > 0)]
    lo_lim = max(min(vals.min(), 0.5) / 1.3, 0.1)
    hi_lim = min(max(vals.max(), 2.0) * 1.3, 10.0)
    height = sum(0.24 * s + 0.55 for s in sizes) + 1.3
    keys = res[res["is_key"]]
    excl = int(((keys["or_low"] > 1) | (keys["or_high"] < 1)).sum())
    title = title or (f"{excl} of {len(keys)} key effects have an unadjusted 95% interval "
                      "excluding odds ratio 1\n(verdicts use Holm-adjusted p; see Table 1)")
    with plt.rc_context(RC):
        fig, axes = _subplots(plt, len(designs), 1, figsize=(8.5, height), squeeze=False,
                                 sharex=True, gridspec_kw={"height_ratios": [s + 1.2 for s
                                                                            in sizes]})
        for ax, d in zip(axes[:, 0], designs, strict=True):
            r = res[res["design"] == d].reset_index(drop=True)
            y = np.arange(len(r))
            ax.axvline(1, color="#666666", linestyle="--", linewidth=0.8, zorder=1)
            for i, row in r.iterrows():
                col = "#0B3C6E" if row["is_key"] else "#8A8A8A"
                lo, hi = row["or_low"], row["or_high"]
                if not (is_missing(lo) or is_missing(hi)):
                    a, b = max(lo, lo_lim), min(hi, hi_lim)
                    ax.plot([a, b], [i, i], color=col, linewidth=1.8 if row["is_key"] else 1.1,
                            zorder=2)
                    if lo < lo_lim:
                        ax.plot([lo_lim], [i], marker="<", color=col, markersize=4, zorder=3)
                    if hi > hi_lim:
                        ax.plot([hi_lim], [i], marker=">", color=col, markersize=4, zorder=3)
                x = min(max(float(row["or_per_sd"]), lo_lim), hi_lim)
                ax.plot([x], [i], "o", color=col, markersize=5.5 if row["is_key"] else 4.5,
                        markerfacecolor=col if row["is_key"] else "white", zorder=4)
            labels = [f"{m}: {t}" for m, t in zip(r["model_id"], r["term"], strict=True)]
            ax.set_yticks(y, labels)
            for lab, k in zip(ax.get_yticklabels(), r["is_key"], strict=True):
                if k:
                    lab.set_fontweight("bold")
            ax.set_ylim(len(r) - 0.4, -0.6)
            ax.set_xscale("log")
            ax.set_xlim(lo_lim, hi_lim)
            _log_ticks(ax.xaxis, lo_lim, hi_lim)
            ax.set_title(textwrap.fill(d[:1].upper() + d[1:], 60), loc="left", fontsize=9.5)
            ax.grid(axis="x", which="major", color="#E5E5E5", linewidth=0.6)
            ax.set_axisbelow(True)
        axes[-1, 0].set_xlabel("Odds ratio per SD of the term (log scale), 95% interval; "
                               "1 = no effect")
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color="#0B3C6E", marker="o", label="key term of a hypothesis"),
                   Line2D([], [], color="#8A8A8A", marker="o", markerfacecolor="white",
                          label="control term"),
                   Line2D([], [], color="#666666", linestyle="--", label="no effect (1)")]
        fig.legend(handles=handles, loc="outside lower right", ncol=3, frameon=False)
        se = sorted(set(res.get("se_type", pd.Series(dtype=str)).dropna().astype(str)))
        _caption(fig, SOURCE_ESTIMATES + (f" Intervals: {', '.join(se)} variance." if se
                                          else ""))
        _title(fig, title)
    return fig


def coefficient_figure(an: AnalysisOutputs | None) -> Made:
    """The coefficient plot of the report, with its title and reading (or why not)."""
    if an is None or an.results is None:
        return "The hypothesis tests did not run."
    keyed = key_rows(an.results)["model_id"].astype(str)
    main = [m for m in an.primary if m in set(keyed)] if an.primary else None
    try:
        fig = coefficient_plot(an.results, controls_for=main)
    except ValueError as exc:
        return f"The coefficient plot could not be drawn: {exc}."
    title = fig.get_suptitle().replace("\n", " ")
    return (fig, title, "Points right of the dashed line raise the odds of alignment, left of "
            "it lower them; a key effect is clearly different from none when its whole "
            "interval stays on one side (controls drawn for the five main tests only).")


def predicted_probabilities(an: AnalysisOutputs, points: int = 41) -> pd.DataFrame:
    """Average predicted probability over the observed range of each key term, with a band.

    For each model whose estimation sample is in ``an.samples`` and whose key term has a
    coefficient for every column of the sample, the key term is set to each of ``points``
    values between its 1st and 99th percentile in the sample, every other term kept as
    observed, and the logit's predicted probabilities are averaged. The 95% band comes from
    the delta method with the model's default variance (the analysis layer's
    ``walt_alliances.analysis.inference.cov_for``, refitting the logit on the sample to get
    the scores), on a t reference with the result's degrees of freedom.

    Returns
    -------
    pandas.DataFrame
        ``model_id``, ``term``, ``outcome``, ``value``, ``probability``, ``ci_low``,
        ``ci_high`` and ``variance`` (the variance of the band: the model's own type when the
        analysis layer's ``cov_for`` computes it, else ``cluster_dyad``); empty when nothing
        could be computed.
    """
    import statsmodels.api as sm
    from scipy import stats

    res = an.results
    cols = ["model_id", "term", "outcome", "value", "probability", "ci_low", "ci_high",
            "variance"]
    if res is None or not an.samples:
        return pd.DataFrame(columns=cols)
    from walt_alliances.analysis.inference import cov_for

    out: list[dict[str, Any]] = []
    allrows = default_rows(res)
    for r in key_rows(res).to_dict("records"):
        mid, term = str(r["model_id"]), str(r["term"])
        if str(r.get("method", "logit")) not in ("logit", "firth") or mid not in an.samples:
            continue
        if any(o["model_id"] == mid for o in out):
            continue  # one key term per model
        sample = an.samples[mid]
        params = allrows[allrows["model_id"].astype(str) == mid].set_index("term")["estimate"]
        terms = [t for t in params.index if t in sample.columns]
        if len(terms) != len(params) or term not in terms or "y" not in sample.columns:
            continue
        X = sample[terms].astype(float).to_numpy()
        b = params[terms].astype(float).to_numpy()
        V = None
        band = ""
        fit = sm.Logit(sample["y"].astype(float).to_numpy(), X).fit(
            start_params=b, disp=0, maxiter=100)
        if np.allclose(fit.params, b, atol=1e-4, rtol=1e-4):
            se: Any = str(r.get("se_type") or "dyadic")
            if {"actor_a", "actor_b"} <= set(sample.columns):
                try:
                    V = np.asarray(cov_for(fit, se, sample["actor_a"].to_numpy(),
                                           sample["actor_b"].to_numpy()), dtype=np.float64)
                    band = se
                except (TypeError, ValueError):
                    V = None
            if V is None and "cluster" in sample.columns:
                codes = pd.factorize(sample["cluster"].astype(str))[0]
                V = np.asarray(sm.Logit(sample["y"].astype(float).to_numpy(), X).fit(
                    start_params=b, disp=0, maxiter=100, cov_type="cluster",
                    cov_kwds={"groups": codes}).cov_params(), dtype=float)
                band = "cluster_dyad"
        j = terms.index(term)
        x = X[:, j]
        grid = np.linspace(np.nanpercentile(x, 1), np.nanpercentile(x, 99), points)
        dfree = r.get("df")
        crit = float(stats.t.ppf(0.975, float(dfree))) if not is_missing(dfree) \
            else float(stats.norm.ppf(0.975))
        for g in grid:
            Xg = X.copy()
            Xg[:, j] = g
            p = 1 / (1 + np.exp(-(Xg @ b)))
            prob = float(p.mean())
            lo = hi = math.nan
            if V is not None:
                grad = (p * (1 - p)) @ Xg / len(p)
                sd = float(math.sqrt(max(grad @ V @ grad, 0.0)))
                lo, hi = max(prob - crit * sd, 0.0), min(prob + crit * sd, 1.0)
            out.append({"model_id": mid, "term": term, "outcome": str(r.get("outcome", "")),
                        "value": float(g), "probability": prob, "ci_low": lo, "ci_high": hi,
                        "variance": band})
    return pd.DataFrame(out, columns=cols)


def predicted_figure(an: AnalysisOutputs | None) -> Made:
    """Predicted probability of alignment over each key term, with its 95% band (or why not)."""
    if an is None or an.results is None:
        return "The hypothesis tests did not run."
    pred = an.extra.get("predicted")
    if pred is None:
        if not an.samples:
            return ("No estimation samples were returned by the hypothesis tests, so predicted "
                    "probabilities could not be computed.")
        pred = predicted_probabilities(an)
    if pred.empty:
        return ("No logit model with a key term and a complete estimation sample was found, "
                "so predicted probabilities could not be computed.")
    plt = _mpl()
    models = list(dict.fromkeys(pred["model_id"]))[:6]
    ncol = 3 if len(models) > 2 else len(models)
    nrow = math.ceil(len(models) / ncol)
    hyp: dict[str, str] = {}
    outcomes: dict[str, str] = {}
    if an.results is not None and "hypothesis" in an.results.columns:
        hyp = dict(zip(an.results["model_id"].astype(str), an.results["hypothesis"].astype(str),
                       strict=False))
    if an.results is not None and "outcome" in an.results.columns:
        outcomes = dict(zip(an.results["model_id"].astype(str),
                            an.results["outcome"].astype(str), strict=False))
    rises = 0
    with plt.rc_context(RC):
        fig, axes = _subplots(plt, nrow, ncol, figsize=(3.3 * ncol + 0.6, 2.9 * nrow + 1.2),
                                 squeeze=False)
        for k, m in enumerate(models):
            ax = axes[k // ncol][k % ncol]
            g = pred[pred["model_id"] == m]
            x, p = g["value"].to_numpy(float), g["probability"].to_numpy(float) * 100
            rises += int(p[-1] > p[0])
            if g["ci_low"].notna().all():
                ax.fill_between(x, g["ci_low"].to_numpy(float) * 100,
                                g["ci_high"].to_numpy(float) * 100, color="#56B4E9",
                                alpha=0.35, linewidth=0, label="95% interval")
            ax.plot(x, p, color="#0B3C6E", linewidth=1.8, label="predicted probability")
            term = str(g["term"].iloc[0])
            ax.set_title(f"{hyp.get(m, '')} {m}", loc="left", fontsize=9)
            ax.set_xlabel(f"{term} (observed range)")
            outcome = humanize(outcomes.get(m, "")) or "alignment"
            ax.set_ylabel(f"P({outcome}) per unit-year, %")
            ax.set_ylim(bottom=0)
            ax.grid(color="#EEEEEE", linewidth=0.6)
        for k in range(len(models), nrow * ncol):
            axes[k // ncol][k % ncol].axis("off")
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower right", ncol=2, frameon=False)
        title = (f"The predicted probability rises with the key term in {rises} of "
                 f"{len(models)} models")
        _title(fig, title)
        band_col = "variance" if "variance" in pred.columns else "se_type"
        bands = sorted({str(v) for v in pred.get(band_col, pd.Series(dtype=str)).dropna()
                        if str(v)})
        _caption(fig, SOURCE_ESTIMATES + " Other terms at their observed values; band: 95% "
                 f"delta-method interval ({', '.join(bands) or 'no'} variance).")
    return (fig, title, "Each line averages the model's predicted probability over the sample "
            "with the key term set to the value on the x axis; the shaded band is its 95% "
            "interval.")


def specification_curve_figure(an: AnalysisOutputs | None) -> Made:
    """The specification curve: every variant's key estimate, sorted, coloured by verdict."""
    curve = None if an is None else an.specification_curve
    if curve is None or curve.empty:
        return "No specification curve was produced (`specification_curve.csv` is absent)."
    if "estimate" not in curve.columns:
        return "The specification curve has no `estimate` column."
    plt = _mpl()
    use_or = "or_per_sd" in curve.columns and curve["or_per_sd"].notna().any()
    group_cols = [c for c in ("model_id", "term") if c in curve.columns] or ["hypothesis"]
    groups = list(curve.groupby(group_cols, sort=False))[:8]
    ncol = 2 if len(groups) > 1 else 1
    nrow = math.ceil(len(groups) / ncol)
    main = {}
    if an is not None and an.results is not None:
        for r in key_rows(an.results).to_dict("records"):
            main[(str(r["model_id"]), str(r["term"]))] = r
    stable = 0
    with plt.rc_context(RC):
        fig, axes = _subplots(plt, nrow, ncol, figsize=(5.2 * ncol, 2.6 * nrow + 1.3),
                                 squeeze=False)
        for k, (key, g) in enumerate(groups):
            ax = axes[k // ncol][k % ncol]
            col = "or_per_sd" if use_or else "estimate"
            g = g.sort_values(col, kind="mergesort").reset_index(drop=True)
            x = np.arange(1, len(g) + 1)
            v = g[col].astype(float).to_numpy()
            if {"ci_low", "ci_high"} <= set(g.columns):
                lo, hi = g["ci_low"].astype(float).to_numpy(), g["ci_high"].astype(float).to_numpy()
                if use_or:
                    lo = np.array([or_interval(e, a, b, o)[0] for e, a, b, o in zip(
                        g["estimate"], g["ci_low"], g["ci_high"], g["or_per_sd"], strict=True)])
                    hi = np.array([or_interval(e, a, b, o)[1] for e, a, b, o in zip(
                        g["estimate"], g["ci_low"], g["ci_high"], g["or_per_sd"], strict=True)])
                ax.vlines(x, lo, hi, color="#BBBBBB", linewidth=0.8, zorder=1)
            verdicts = g["verdict"].astype(str) if "verdict" in g.columns else pd.Series(
                [""] * len(g))
            colors = [VERDICT_COLORS.get(vv, _OTHER_VERDICT) for vv in verdicts]
            ax.scatter(x, v, c=colors, s=12, zorder=2)
            ax.axhline(1 if use_or else 0, color="#666666", linestyle="--", linewidth=0.8)
            keyt = key if isinstance(key, tuple) else (key,)
            m = main.get((str(keyt[0]), str(keyt[-1])))
            if m is not None:
                mv = float(m["or_per_sd"]) if use_or and not is_missing(m.get("or_per_sd")) \
                    else float(m["estimate"])
                ax.axhline(mv, color="#0B3C6E", linewidth=0.8, linestyle=":")
                same = float((verdicts == str(m.get("verdict"))).mean())
                stable += int(same >= 0.9)
            if use_or:
                ax.set_yscale("log")
                lo_y, hi_y = ax.get_ylim()
                _log_ticks(ax.yaxis, lo_y, hi_y)
            ax.set_title(" / ".join(str(t) for t in keyt) + f" ({len(g)} variants)", loc="left",
                         fontsize=9)
            ax.set_xlabel("variant, sorted by estimate")
            ax.set_ylabel("odds ratio per SD (log)" if use_or else "coefficient (log-odds)")
            ax.grid(axis="y", color="#EEEEEE", linewidth=0.6)
        for k in range(len(groups), nrow * ncol):
            axes[k // ncol][k % ncol].axis("off")
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker="o", linestyle="", color=c, label=v)
                   for v, c in VERDICT_COLORS.items()]
        handles += [Line2D([], [], marker="o", linestyle="", color=_OTHER_VERDICT,
                           label="no evidence either way"),
                    Line2D([], [], color="#BBBBBB", label="95% interval"),
                    Line2D([], [], color="#0B3C6E", linestyle=":", label="main model")]
        fig.legend(handles=handles, loc="outside lower right", ncol=5, frameon=False)
        title = (f"{stable} of {len(groups)} key tests keep their verdict in at least 90% of "
                 "the variants")
        _title(fig, title)
        _caption(fig, SOURCE_ESTIMATES.replace("results.csv", "specification_curve.csv"))
    return (fig, title, "Each point is one variant of a key test (another outcome, unit, "
            "variance, threat index or sample); a test is robust when its points keep one "
            "colour.")


_UNIT_COLS = ("dropped", "unit_id", "left_out", "unit", "alignment_id", "actor_id", "variant")


def influence_figure(an: AnalysisOutputs | None, names: Mapping[str, str] | None = None
                     ) -> Made:
    """Leave-one-out influence: the key estimate without each named unit (or why not)."""
    inf = None if an is None else an.influence
    if inf is None:
        return "No leave-one-out influence analysis was produced (`influence.csv` is absent)."
    if inf.empty:
        return "Dropping any single alignment or actor changes no verdict: nothing to show."
    unit_col = next((c for c in _UNIT_COLS if c in inf.columns), None)
    if unit_col is None or "estimate" not in inf.columns:
        return "`influence.csv` has no unit or estimate column."
    names = dict(names or {})
    plt = _mpl()
    if "se_type" in inf.columns and (inf["se_type"].astype(str) == "dyadic").any():
        inf = inf[(inf["se_type"].astype(str) == "dyadic").to_numpy()]
    group_cols = [c for c in ("model_id", "term") if c in inf.columns] or [unit_col]
    main = {}
    if an is not None and an.results is not None:
        for r in key_rows(an.results).to_dict("records"):
            main[(str(r["model_id"]), str(r["term"]))] = r
    groups = []
    for key, g in inf.groupby(group_cols, sort=False):
        keyt = key if isinstance(key, tuple) else (key,)
        m = main.get((str(keyt[0]), str(keyt[-1])))
        flips = (g["changes_verdict"].astype(str).str.lower().isin(["true", "1"])
                 if "changes_verdict" in g.columns else pd.Series(True, index=g.index))
        shift = (g["estimate"].astype(float) - float(m["estimate"])).abs() if m is not None \
            else pd.Series(0.0, index=g.index)
        # the units that flip a verdict, then the largest shifts, at most 12 per test
        order = pd.DataFrame({"flip": flips.astype(bool), "shift": shift})
        order = order.sort_values(["flip", "shift"], ascending=False, kind="mergesort")
        groups.append((key, g.loc[order.index[:12]]))
    groups = groups[:6]
    sizes = [min(len(g), 15) for _, g in groups]
    height = sum(0.24 * s + 0.8 for s in sizes) + 1.3
    with plt.rc_context(RC):
        fig, axes = _subplots(plt, len(groups), 1, figsize=(8.5, height), squeeze=False,
                                 gridspec_kw={"height_ratios": [s + 1.5 for s in sizes]})
        for ax, (key, g) in zip(axes[:, 0], groups, strict=True):
            g = g.reset_index(drop=True)
            labels = []
            for u in g[unit_col].astype(str):
                uid = u.split(":", 1)[-1]
                labels.append(f"{textwrap.shorten(names[uid], 40, placeholder=chr(8230))} "
                              f"({uid})" if uid in names else uid)
            y = np.arange(len(g))
            est = g["estimate"].astype(float).to_numpy()
            if {"ci_low", "ci_high"} <= set(g.columns):
                ax.hlines(y, g["ci_low"].astype(float), g["ci_high"].astype(float),
                          color="#999999", linewidth=1.2)
            colors = [VERDICT_COLORS.get(str(v), _OTHER_VERDICT)
                      for v in g.get("verdict", pd.Series([""] * len(g)))]
            ax.scatter(est, y, c=colors, s=22, zorder=3)
            keyt = key if isinstance(key, tuple) else (key,)
            m = main.get((str(keyt[0]), str(keyt[-1])))
            for yy in y[~np.isfinite(est)]:  # a refit that could not be estimated
                ax.text(0.01, yy, "not estimable", transform=ax.get_yaxis_transform(),
                        fontsize=7, color="#777777", va="center")
            if m is not None:
                ax.axvline(float(m["estimate"]), color="#0B3C6E", linestyle=":", linewidth=1,
                           label="with every unit")
            ax.axvline(0, color="#666666", linestyle="--", linewidth=0.8, label="no effect")
            ax.set_yticks(y, labels)
            ax.set_ylim(len(g) - 0.4, -0.6)
            ax.set_title(" / ".join(str(t) for t in keyt), loc="left", fontsize=9.5)
            ax.set_xlabel("key coefficient (log-odds) without the unit, 95% interval")
            ax.grid(axis="x", color="#EEEEEE", linewidth=0.6)
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker="o", linestyle="", color=c,
                          label=f"verdict without it: {v}") for v, c in VERDICT_COLORS.items()]
        handles += [Line2D([], [], marker="o", linestyle="", color=_OTHER_VERDICT,
                           label="no evidence either way"),
                    Line2D([], [], color="#0B3C6E", linestyle=":", label="with every unit")]
        fig.legend(handles=handles, loc="outside lower right", ncol=2, frameon=False)
        if "changes_verdict" in inf.columns:
            flipping = inf[inf["changes_verdict"].astype(str).str.lower().isin(["true", "1"])]
        else:
            flipping = inf
        n_units = flipping[unit_col].nunique()
        title = (f"{n_units} alignments or actors each change a verdict when left out" if
                 n_units else "No single alignment or actor changes a verdict when left out")
        _title(fig, title)
        _caption(fig, SOURCE_ESTIMATES.replace("results.csv", "influence.csv"))
    return (fig, title, "Each row re-estimates a key test without one alignment or actor; a "
            "point far from the dotted line (or of another colour) marks a unit the result "
            "rests on.")


# --------------------------------------------------------------------------------------------
# The data: timeline, networks, world power
# --------------------------------------------------------------------------------------------

def _frac_year(ts: pd.Timestamp) -> float:
    start = pd.Timestamp(year=ts.year, month=1, day=1)
    days = 366 if ts.is_leap_year else 365
    return ts.year + (ts - start).days / days


def _abbr(data: Any) -> dict[str, str]:
    act = data["actors"]
    ab = act["abbreviation"].astype("string").fillna(act["actor_id"].astype("string"))
    return dict(zip(act["actor_id"].astype(str), ab.astype(str), strict=True))


#: Width of one label character in years on the timeline (7 pt DejaVu Sans, 25 years across
#: about 10.3 inches).
_YEARS_PER_CHAR = 0.14


def timeline(data: bt.BookData | Study | None = None) -> Figure:
    """Every alignment as a labelled bar over time, coloured by its kind.

    Parameters
    ----------
    data : BookData or Study, optional
        The coded tables (default: the shipped data).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    One row per alignment, ordered by start date (then id). Each bar runs from the first to
    the last day of the alignment, clipped to the coded period; its label (the alignment's name
    and its members' abbreviations) stands beside the bar: right of it when it fits before the
    period's end, else left of its start, else (a long bar) inside it in white. A triangle
    marks a bar that began before the period or continues past it.
    """
    plt = _mpl()
    data = bt._data(data)
    al = data["alignments"]
    ms = bt._members(data)
    abbr = _abbr(data)
    p0, p1 = data.period_start, data.period_end
    x0, x1 = float(p0.year), float(p1.year + 1)
    rows = []
    for a in al.itertuples(index=False):
        m = ms[ms["alignment_id"] == a.alignment_id]
        if m.empty:
            continue
        start = m["start_first_day"].min()
        end = m["end_last_day"].max() if m["end_last_day"].notna().all() else pd.NaT
        s = _frac_year(start)
        open_end = pd.isna(end) or end > pd.Timestamp(p1)
        e = x1 if open_end else _frac_year(end + pd.Timedelta(days=1))
        if e < x0 or s > x1:
            continue
        mem = sorted({abbr.get(str(x), str(x)) for x in m["actor_id"]})
        members = " ".join(mem if len(mem) <= 7 else [*mem[:6], f"+{len(mem) - 6}"])
        rows.append((s, str(a.alignment_id), str(a.name), str(a.kind), max(s, x0),
                     max(e, max(s, x0) + 0.1), open_end, s < x0, members))
    rows.sort(key=lambda r: (r[0], r[1]))
    unit = 0.2
    plot_h = max(len(rows), 1) * unit
    top, bottom = 0.95, 0.75
    fig_h = plot_h + top + bottom
    with plt.rc_context(RC):
        fig = plt.figure(figsize=(11, fig_h))
        ax = fig.add_axes((0.03, bottom / fig_h, 0.94, plot_h / fig_h))
        for i, (_s, _aid, name, kind, s, e, open_end, early, members) in enumerate(rows):
            ax.broken_barh([(s, e - s)], (i - 0.36, 0.72), facecolors=KIND_COLORS.get(
                kind, "#999999"), edgecolor="none", zorder=2)
            if open_end:
                ax.plot([x1 - 0.08], [i], marker=">", markersize=3.5, color="#222222",
                        clip_on=False, zorder=3)
            if early:
                ax.plot([x0 + 0.08], [i], marker="<", markersize=3.5, color="#222222",
                        clip_on=False, zorder=3)
            label = textwrap.shorten(name, 70, placeholder="\u2026") + f"  [{members}]"
            per_char = _YEARS_PER_CHAR * (x1 - x0) / 25
            width = len(label) * per_char
            right, left, inside = x1 - e - 0.15, s - x0 - 0.15, e - s - 0.3
            if width <= right:
                ax.text(e + 0.15, i, label, va="center", ha="left", fontsize=7, zorder=4)
            elif width <= left:
                ax.text(s - 0.15, i, label, va="center", ha="right", fontsize=7, zorder=4)
            elif width * 1.12 <= inside:  # a long bar: the label goes inside it, in white
                ax.text(s + 0.2, i, label, va="center", ha="left", fontsize=7, zorder=4,
                        color="white", fontweight="bold")
            else:  # shorten the name to fit the roomier side
                room = max(right, left)
                keep = max(int(room / per_char) - len(members) - 4, 12)
                short = textwrap.shorten(name, keep, placeholder="\u2026") + f"  [{members}]"
                if right >= left:
                    ax.text(e + 0.15, i, short, va="center", ha="left", fontsize=7, zorder=4)
                else:
                    ax.text(s - 0.15, i, short, va="center", ha="right", fontsize=7, zorder=4)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlim(x0, x1)
        ax.set_xticks([t for t in range(int(x0), int(x1) + 1) if t % 5 == 0])
        ax.xaxis.set_minor_locator(plt.MultipleLocator(1))
        ax.grid(axis="x", which="major", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel("Year (bars from the first to the last day of each alignment)")
        from matplotlib.patches import Patch

        kinds = [k for k in KIND_COLORS if any(r[3] == k for r in rows)]
        kinds += sorted({r[3] for r in rows} - set(kinds))
        fig.legend(handles=[Patch(color=KIND_COLORS.get(k, "#999999"),
                                  label=k.replace("_", " ")) for k in kinds],
                   loc="upper left", bbox_to_anchor=(0.03, 1 - 0.42 / fig_h), ncol=6,
                   frameon=False, title="Kind of alignment", title_fontsize=8,
                   alignment="left")
        n_open = sum(r[6] for r in rows)
        _title(fig, f"{len(rows)} alignments, {p0.year}-{p1.year}; {n_open} still in force at "
               f"the end of {p1.year}", y=1 - 0.06 / fig_h)
        _caption(fig, SOURCE_CODINGS + f" Labels: name [members]. \u25c2 began before "
                 f"{p0.year}; \u25b8 continues past {p1.year}.")
    return fig


def timeline_figure(data: Any) -> Made:
    """The labelled alignment timeline with its title and reading."""
    fig = timeline(data)
    title = fig.get_suptitle().replace("\n", " ")
    return (fig, title, "Read down the page in time: each bar is one alignment, its colour the "
            "kind, its label the name and the members.")


def network_edges(data: bt.BookData | Study | None = None,
                  periods: Sequence[tuple[int, int]] = PERIODS) -> pd.DataFrame:
    """List the edges of the network maps: pairs sharing an alignment per period.

    Returns
    -------
    pandas.DataFrame
        ``period`` (``1955-1959``), ``actor_a``, ``actor_b`` (sorted ids), ``shared`` (number
        of alignments in which the two were members at the same time on some day of the
        period) and ``alignments`` (their ids, ``;``-separated).
    """
    data = bt._data(data)
    ms = bt._members(data)
    rows = []
    joint: dict[tuple[str, str], list[tuple[str, pd.Timestamp, pd.Timestamp]]] = {}
    for _, g in ms.groupby("alignment_id", sort=True):
        recs = list(g.itertuples(index=False))
        for x in recs:
            for y in recs:
                a, b = str(x.actor_id), str(y.actor_id)
                if a >= b:
                    continue
                start = max(x.start_first_day, y.start_first_day)
                ends = [e for e in (x.end_last_day, y.end_last_day) if not pd.isna(e)]
                end = min(ends) if ends else pd.NaT
                if pd.isna(end) or start <= end:
                    joint.setdefault((a, b), []).append((str(x.alignment_id), start, end))
    for p0, p1 in periods:
        lo, hi = pd.Timestamp(p0, 1, 1), pd.Timestamp(p1, 12, 31)
        for (a, b), spells in sorted(joint.items()):
            shared = sorted({j[0] for j in spells
                             if j[1] <= hi and (pd.isna(j[2]) or j[2] >= lo)})
            if shared:
                rows.append({"period": f"{p0}-{p1}", "actor_a": a, "actor_b": b,
                             "shared": len(shared), "alignments": ";".join(shared)})
    return pd.DataFrame(rows, columns=["period", "actor_a", "actor_b", "shared", "alignments"])


#: The map's frame (degrees): capitals outside it are placed on its edge, marked "off map".
MAP_LON = (-12.0, 66.0)
MAP_LAT = (10.0, 48.0)


def _capitals(data: Any) -> pd.DataFrame:
    try:
        cap = data["capitals"]
    except (KeyError, TypeError):
        from walt_alliances.records.load import load_table

        cap = load_table("capitals")
    cap = cap.sort_values(["actor_id", "start"], kind="mergesort")
    return cap.drop_duplicates("actor_id", keep="first").set_index("actor_id")


def network_positions(data: Any, ids: Sequence[str]) -> dict[str, tuple[float, float, bool]]:
    """Fixed map positions: (longitude, latitude, off_map) of each actor's first capital.

    Capitals outside :data:`MAP_LON` x :data:`MAP_LAT` (Washington, Moscow, London, Paris,
    Karachi) are pulled onto the frame's edge along the line from the frame's centre and
    flagged ``off_map``; actors without a capital (non-state actors) are spaced along the
    bottom edge, also flagged.
    """
    cap = _capitals(data)
    cx, cy = (MAP_LON[0] + MAP_LON[1]) / 2, (MAP_LAT[0] + MAP_LAT[1]) / 2
    pos: dict[str, tuple[float, float, bool]] = {}
    loose = []
    for a in ids:
        if a in cap.index and not is_missing(cap.loc[a, "lon"]):
            lon, lat = float(cap.loc[a, "lon"]), float(cap.loc[a, "lat"])
            inside = MAP_LON[0] <= lon <= MAP_LON[1] and MAP_LAT[0] <= lat <= MAP_LAT[1]
            if not inside:
                dx, dy = lon - cx, lat - cy
                t = min((MAP_LON[1] - cx) / abs(dx) if dx else math.inf,
                        (MAP_LAT[1] - cy) / abs(dy) if dy else math.inf)
                lon, lat = cx + dx * t, cy + dy * t
            pos[a] = (lon, lat, not inside)
        else:
            loose.append(a)
    for k, a in enumerate(loose):
        lon = MAP_LON[0] + 4 + k * (MAP_LON[1] - MAP_LON[0] - 8) / max(len(loose) - 1, 1)
        pos[a] = (lon, MAP_LAT[0], True)
    return _declutter(pos)


def _declutter(pos: dict[str, tuple[float, float, bool]], min_dist: float = 4.0,
               rounds: int = 200) -> dict[str, tuple[float, float, bool]]:
    """Nudge capitals closer than ``min_dist`` degrees apart, deterministically.

    Beirut, Damascus, Amman and Jerusalem lie within two degrees of each other, and London and
    Paris meet on the frame's edge.
    """
    ids = sorted(pos)
    xy = np.array([[pos[a][0], pos[a][1]] for a in ids], dtype=float)
    fixed = np.array([pos[a][2] for a in ids])
    for _ in range(rounds):
        moved = False
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                d = xy[j] - xy[i]
                dist = float(np.hypot(*d))
                if dist >= min_dist:
                    continue
                if dist < 1e-9:
                    d, dist = np.array([math.cos(i), math.sin(i)]), 1.0
                push = (min_dist - dist) / 2 * d / dist
                xy[i] -= push
                xy[j] += push
                moved = True
        if not moved:
            break
    return {a: (float(xy[k, 0]), float(xy[k, 1]), bool(fixed[k])) for k, a in enumerate(ids)}


def _period_members(ms: pd.DataFrame, p0: int, p1: int) -> dict[str, list[str]]:
    """Members of each alignment whose membership overlaps the period (sorted ids)."""
    lo, hi = pd.Timestamp(p0, 1, 1), pd.Timestamp(p1, 12, 31)
    on = (ms["start_first_day"] <= hi) & (ms["end_last_day"].isna() | (ms["end_last_day"] >= lo))
    out: dict[str, list[str]] = {}
    for aid, g in ms[on.to_numpy()].groupby("alignment_id", sort=True):
        out[str(aid)] = sorted(set(g["actor_id"].astype(str)))
    return out


#: Alignments with at least this many members in a period are drawn as a hub with spokes.
HUB_MEMBERS = 4


def network_map(data: bt.BookData | Study | None = None,
                periods: Sequence[tuple[int, int]] = PERIODS) -> Figure:
    """Alignment networks by period on a fixed map-like layout.

    Parameters
    ----------
    data : BookData or Study, optional
        The coded tables (default: the shipped data).
    periods : sequence of (first year, last year)
        One panel per period (default 1955-59, 1960-66, 1967-73, 1974-79).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Each actor sits at its capital's longitude and latitude (:func:`network_positions`), the
    same place in every panel, so the panels read like maps. An alignment with
    :data:`HUB_MEMBERS` or more members in the period is drawn as a diamond (hub) joined to each
    member, so a 14-member summit is 14 spokes rather than 91 pair lines; members of smaller
    alignments are joined pair by pair, the line's width growing with the number of such
    alignments they shared. Blue: the alignment includes the USA; vermilion: the USSR; grey:
    neither. Node colour is the actor's kind, node size the number of partners
    (:func:`network_edges`); a pale node had no alignment in the period.
    """
    plt = _mpl()
    data = bt._data(data)
    ms = bt._members(data)
    act = data["actors"]
    act = act[act["actor_id"].isin(ms["actor_id"])].copy()
    ids = sorted(act["actor_id"].astype(str))
    kind = dict(zip(act["actor_id"].astype(str), act["kind"].astype(str), strict=True))
    abbr = _abbr(data)
    cc = dict(zip(act["actor_id"].astype(str), act["ccode"], strict=True))
    us = next((a for a in ids if not is_missing(cc[a]) and int(cc[a]) == 2), "USA")
    su = next((a for a in ids if not is_missing(cc[a]) and int(cc[a]) == 365), "RUS")
    pos = network_positions(data, ids)
    edges = network_edges(data, periods)
    n = len(periods)
    ncol = 2 if n > 1 else 1
    nrow = math.ceil(n / ncol)
    busiest = max(((f"{p0}-{p1}", int((edges["period"] == f"{p0}-{p1}").sum()))
                   for p0, p1 in periods), key=lambda t: t[1], default=("", 0))
    with plt.rc_context(RC):
        fig, axes = _subplots(plt, nrow, ncol, figsize=(6.2 * ncol, 4.0 * nrow + 1.6),
                                 squeeze=False)
        for k, (p0, p1) in enumerate(periods):
            ax = axes[k // ncol][k % ncol]
            e = edges[edges["period"] == f"{p0}-{p1}"]
            active = set(e["actor_a"]) | set(e["actor_b"])
            degree = pd.concat([e["actor_a"], e["actor_b"]]).value_counts()
            groups = _period_members(ms, p0, p1)
            hubs = {a: m for a, m in groups.items() if len(m) >= HUB_MEMBERS}
            small: dict[tuple[str, str], int] = {}
            for m in groups.values():
                if 2 <= len(m) < HUB_MEMBERS:
                    for i, a in enumerate(m):
                        for b in m[i + 1:]:
                            small[(a, b)] = small.get((a, b), 0) + 1
            for h, (_aid, m) in enumerate(sorted(hubs.items())):
                hx = float(np.mean([pos[a][0] for a in m])) + 1.2 * math.cos(h * 2.4)
                hy = float(np.mean([pos[a][1] for a in m])) + 1.2 * math.sin(h * 2.4)
                col = ("#0072B2" if us in m else "#D55E00" if su in m else "#6F6F6F")
                for a in m:
                    ax.plot([hx, pos[a][0]], [hy, pos[a][1]], color=col, linewidth=0.7,
                            alpha=0.55 if col == "#6F6F6F" else 0.75, zorder=1)
                ax.scatter([hx], [hy], marker="D", s=22, color=col, edgecolors="white",
                           linewidths=0.5, zorder=2)
            order = sorted(small.items(), key=lambda kv: (us in kv[0] or su in kv[0], kv[1]))
            for (a, b), nshared in order:
                (xa, ya, _), (xb, yb, _) = pos[a], pos[b]
                col = ("#0072B2" if us in (a, b) else "#D55E00" if su in (a, b)
                       else "#6F6F6F")
                ax.plot([xa, xb], [ya, yb], color=col, linewidth=0.9 + 1.1 * (nshared - 1),
                        alpha=0.85, solid_capstyle="round", zorder=1)
            for a in ids:
                x, y, off = pos[a]
                on = a in active
                size = 25 + 9 * float(degree.get(a, 0))
                ax.scatter([x], [y], s=size, color=ACTOR_KIND_COLORS.get(kind[a], "#777777"),
                           alpha=1.0 if on else 0.18, zorder=3, edgecolors="white",
                           linewidths=0.6, marker="s" if off else "o")
                ax.annotate(abbr.get(a, a), (x, y), xytext=(4, 3), textcoords="offset points",
                            fontsize=7, color="#000000" if on else "#AAAAAA", zorder=4,
                            fontstyle="italic" if off else "normal")
            ax.set_title(f"{p0}-{p1}: {len(e)} linked pairs; {len(hubs)} alignments of "
                         f"{HUB_MEMBERS}+ members", loc="left", fontsize=9.5)
            ax.set_xlim(MAP_LON[0] - 2, MAP_LON[1] + 4)
            ax.set_ylim(MAP_LAT[0] - 2, MAP_LAT[1] + 2)
            ax.set_aspect(1 / math.cos(math.radians(30)))
            ax.set_xlabel("longitude (\u00b0E)", fontsize=7.5)
            ax.set_ylabel("latitude (\u00b0N)", fontsize=7.5)
            ax.tick_params(labelsize=7)
            for side in ("top", "right"):
                ax.spines[side].set_visible(True)
            for sp in ax.spines.values():
                sp.set_color("#CCCCCC")
        for k in range(n, nrow * ncol):
            axes[k // ncol][k % ncol].axis("off")
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color="#0072B2", linewidth=1.5,
                          label="with the USA as a member"),
                   Line2D([], [], color="#D55E00", linewidth=1.5,
                          label="with the USSR as a member"),
                   Line2D([], [], color="#6F6F6F", linewidth=1.5, label="neither superpower"),
                   Line2D([], [], color="#333333", linewidth=0.9,
                          label="pair in 1 bi- or trilateral alignment"),
                   Line2D([], [], color="#333333", linewidth=3.1, label="pair in 3 of them"),
                   Line2D([], [], color="#6F6F6F", marker="D", linewidth=0.7,
                          label=f"alignment of {HUB_MEMBERS}+ members: hub and spokes"),
                   *[Line2D([], [], marker="o", linestyle="", color=c,
                            label=k.replace("_", " ")) for k, c in ACTOR_KIND_COLORS.items()],
                   Line2D([], [], marker="o", linestyle="", color="#009E73", alpha=0.2,
                          label="no alignment in the period"),
                   Line2D([], [], marker="s", linestyle="", color="#777777",
                          label="off the map (edge) or no capital (bottom)")]
        fig.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False,
                   fontsize=7.5)
        _title(fig, f"Alignments by period on a map of capitals: busiest {busiest[0]} with "
               f"{busiest[1]} linked pairs")
        _caption(fig, SOURCE_CODINGS + " Positions: capitals' longitude and latitude "
                 "(tables/capitals); node size grows with the number of partners.")
    return fig


def network_figure(data: Any) -> Made:
    """The network maps with their title and reading."""
    fig = network_map(data)
    title = fig.get_suptitle().replace("\n", " ")
    return (fig, title, "Each panel is a period; a line joins two actors that were in the same "
            "alignment, thicker for more alignments, blue with the USA and vermilion with the "
            "USSR.")


def world_power_figure(table: pd.DataFrame | None) -> Made:
    """The balance of world power (Appendix 2 style) as lines over time (or why not).

    Parameters
    ----------
    table : pandas.DataFrame or None
        ``walt_alliances.tables.book.world_power_balance`` output (``year``, ``us_cinc``,
        ``soviet_cinc``, ``us_region_cinc``, ``soviet_region_cinc``).
    """
    need = ["year", "us_cinc", "soviet_cinc", "us_region_cinc", "soviet_region_cinc"]
    if table is None or table.empty:
        return ("The balance of world power was not computed (it needs the shipped measures "
                "of national capabilities).")
    if any(c not in table.columns for c in need):
        return "The world power table lacks the columns " + ", ".join(need) + "."
    plt = _mpl()
    t = table.sort_values("year")
    yrs = t["year"].astype(int).to_numpy()
    us = t["us_cinc"].astype(float).to_numpy() * 100
    su = t["soviet_cinc"].astype(float).to_numpy() * 100
    known = np.isfinite(us) & np.isfinite(su)
    ahead = int((us[known] > su[known]).sum())
    with plt.rc_context(RC):
        fig, (a1, a2) = _subplots(plt, 2, 1, figsize=(8.5, 6.4), sharex=True,
                                     gridspec_kw={"height_ratios": [3, 2]})
        a1.plot(yrs, us, color="#0072B2", linewidth=2, label="US and its aligned states")
        a1.plot(yrs, su, color="#D55E00", linewidth=2, label="USSR and its aligned states")
        a1.set_ylabel("share of world capabilities\n(sum of CINC, %)")
        a1.set_ylim(bottom=0)
        a1.legend(loc="lower left", frameon=False)
        a1.set_title("Each superpower with its partners in this dataset's Middle East "
                     "alignments", loc="left", fontsize=9.5)
        a2.plot(yrs, t["us_region_cinc"].astype(float).to_numpy() * 100, color="#0072B2",
                linewidth=1.6, linestyle="--", label="regional states aligned with the US")
        a2.plot(yrs, t["soviet_region_cinc"].astype(float).to_numpy() * 100, color="#D55E00",
                linewidth=1.6, linestyle="--", label="regional states aligned with the USSR")
        a2.set_ylabel("share of world\ncapabilities (%)")
        a2.set_ylim(bottom=0)
        a2.set_xlabel("year")
        a2.legend(loc="upper left", frameon=False)
        a2.set_title("The region only: the superpowers' regional partners", loc="left",
                     fontsize=9.5)
        for ax in (a1, a2):
            ax.grid(color="#EEEEEE", linewidth=0.6)
        gap = (f"; no CINC for {int((~known).sum())} years" if (~known).any() else "")
        title = (f"The US-aligned bloc held more of the world's capabilities than the "
                 f"Soviet-aligned bloc in {ahead} of {int(known.sum())} years "
                 f"({yrs[0]}-{yrs[-1]}{gap})")
        _title(fig, title)
        _caption(fig, "Source: COW National Material Capabilities 6.0 (CINC) and walt_alliances "
                 "codings of who aligned with whom (ours); tables/world_power_balance.csv.")
    return (fig, title, "Each line sums the capability index of a superpower and the states "
            "aligned with it that year in this dataset, which codes Middle East alignments "
            "only: NATO, the Warsaw Pact and other alliances outside the region are not "
            "counted (the UK, for instance, counts in the US bloc only from the year the two "
            "share a coded alignment).")
