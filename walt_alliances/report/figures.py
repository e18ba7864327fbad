"""Figures: a timeline of alignments, network snapshots by period, and a coefficient plot.

Every figure is drawn with matplotlib's Agg backend under fixed settings (:data:`RC`: DejaVu
Sans, which ships with matplotlib, fixed sizes, a fixed SVG hash salt) and written by
:func:`render` without timestamps or software versions in the file, so that two runs give
byte-identical PNG, SVG and PDF files. Matplotlib is an optional dependency
(``pip install walt-alliances[plot]``).

The figures show the project's codings ("ours"), never figures from the book; each says so in
its caption line.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from walt_alliances.tables import book as bt

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from walt_alliances.panels.study import Study

__all__ = [
    "MOTIVE_COLORS",
    "PERIODS",
    "RC",
    "coefficient_plot",
    "network_snapshots",
    "render",
    "timeline",
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
MOTIVE_COLORS: dict[str, str] = {
    "balancing": "#0072B2",
    "bandwagoning": "#D55E00",
    "ideology": "#CC79A7",
    "aid": "#E69F00",
    "penetration": "#009E73",
    "other": "#999999",
}
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
#: Default periods of the network snapshots.
PERIODS: tuple[tuple[int, int], ...] = ((1955, 1959), (1960, 1966), (1967, 1973), (1974, 1979))
_CAPTION = "Values: the walt_alliances project's codings (ours), not figures from Walt (1987)."


def _mpl() -> Any:
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("figures need matplotlib: pip install 'walt-alliances[plot]'") from exc
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


def _caption(fig: Figure, text: str = _CAPTION) -> None:
    fig.text(0.01, 0.005, text, fontsize=7, color="#444444", ha="left", va="bottom")


def _lanes(spells: list[tuple[float, float]]) -> list[int]:
    """Greedy lane assignment so that overlapping spells of one actor do not hide each other."""
    ends: list[float] = []
    lanes = []
    for s, e in spells:
        for i, last in enumerate(ends):
            if s >= last:
                ends[i] = e
                lanes.append(i)
                break
        else:
            ends.append(e)
            lanes.append(len(ends) - 1)
    return lanes


def _frac_year(ts: pd.Timestamp) -> float:
    start = pd.Timestamp(year=ts.year, month=1, day=1)
    days = 366 if ts.is_leap_year else 365
    return ts.year + (ts - start).days / days


def timeline(data: bt.BookData | Study | None = None,
             color_by: Literal["primary_motive", "kind"] = "primary_motive") -> Figure:
    """Membership spells of every actor, 1955-1979: one row per actor, one bar per spell.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).
    color_by : {"primary_motive", "kind"}
        Colour each bar by the member's primary motive (default) or the alignment's kind.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Actors are ordered by kind (superpowers, outside powers, regional states, non-state
    actors), then by COW code. Spells of one actor that overlap in time are drawn in separate
    thin lanes of its row. Spells are clipped to the coded period; a small triangle marks a
    spell that began before it or continues past it.
    """
    plt = _mpl()
    data = bt._data(data)
    ms = bt._members(data)
    al = data["alignments"].set_index("alignment_id")
    act = data["actors"]
    rank = {"superpower": 0, "outside_power": 1, "regional_state": 2, "non_state": 3}
    act = act[act["actor_id"].isin(ms["actor_id"])].copy()
    act["_r"] = act["kind"].astype(str).map(rank)
    act["_c"] = act["ccode"].fillna(10_000).astype(int)
    act = act.sort_values(["_r", "_c", "actor_id"], kind="mergesort")
    p0, p1 = data.period_start, data.period_end
    x0, x1 = float(p0.year), float(p1.year + 1)
    colors = MOTIVE_COLORS if color_by == "primary_motive" else KIND_COLORS
    rows = []
    for a in act.itertuples(index=False):
        m = ms[ms["actor_id"] == a.actor_id]
        spells = []
        for r in m.itertuples(index=False):
            early = _frac_year(r.start_first_day) < x0
            s = max(_frac_year(r.start_first_day), x0)
            open_end = pd.isna(r.end_last_day) or r.end_last_day > pd.Timestamp(p1)
            e = x1 if open_end else _frac_year(r.end_last_day + pd.Timedelta(days=1))
            key = (str(r.primary_motive) if color_by == "primary_motive"
                   else str(al.loc[r.alignment_id, "kind"]))
            spells.append((s, max(e, s + 0.08), key, open_end, early))
        spells.sort(key=lambda z: (z[0], z[1]))
        rows.append((a, spells, _lanes([(sp[0], sp[1]) for sp in spells])))
    heights = [max(lanes, default=0) + 1 for _, _, lanes in rows]
    unit = 0.16  # inches per lane
    gap = 0.12  # inches between actors
    plot_h = sum(h * unit + gap for h in heights) or 1.0
    top, bottom = 0.45, 0.85  # inches: title above, axis, legend and caption below
    fig_h = plot_h + top + bottom
    with plt.rc_context(RC):
        fig = plt.figure(figsize=(10, fig_h))
        ax = fig.add_axes((0.24, bottom / fig_h, 0.73, plot_h / fig_h))
        y = 0.0
        ticks, labels = [], []
        for i, ((a, spells, lanes), h) in enumerate(zip(rows, heights, strict=True)):
            band = h * unit
            start = y
            if i % 2 == 0:
                ax.axhspan(start - gap / 2, start + band + gap / 2, color="#F4F4F4", zorder=0,
                           linewidth=0)
            for (s, e, key, open_end, early), lane in zip(spells, lanes, strict=True):
                yy = start + lane * unit + 0.01
                ax.broken_barh([(s, e - s)], (yy, unit * 0.82),
                               facecolors=colors.get(key, "#999999"), edgecolor="white",
                               linewidth=0.3, zorder=2)
                if open_end:
                    ax.plot([x1 - 0.05], [yy + unit * 0.41], marker=">", markersize=3,
                            color="#333333", clip_on=False, zorder=3)
                if early:
                    ax.plot([x0 + 0.05], [yy + unit * 0.41], marker="<", markersize=3,
                            color="#333333", clip_on=False, zorder=3)
            ticks.append(start + band / 2)
            label = (f"{a.name} ({a.abbreviation})" if pd.notna(a.abbreviation)
                     and a.abbreviation != a.name else str(a.name))
            labels.append(textwrap.fill(label, 30))
            y += band + gap
        ax.set_ylim(y - gap / 2, -gap / 2)
        ax.set_yticks(ticks, labels)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(x0, x1)
        step = 5
        ax.set_xticks([t for t in range(int(x0), int(x1) + 1) if t % step == 0])
        ax.xaxis.set_minor_locator(plt.MultipleLocator(1))
        ax.grid(axis="x", which="major", color="#CCCCCC", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.suptitle("Alignment memberships by actor, "
                     f"{p0.year}-{p1.year} (colour: "
                     f"{'primary motive' if color_by == 'primary_motive' else 'alignment kind'})",
                     x=0.01, y=1 - 0.12 / fig_h, ha="left", va="top", fontsize=11)
        from matplotlib.patches import Patch

        used = sorted({z[2] for _, sp, _ in rows for z in sp},
                      key=lambda k: list(colors).index(k) if k in colors else 99)
        fig.legend(handles=[Patch(color=colors.get(k, "#999999"), label=k.replace("_", " "))
                            for k in used], loc="lower left",
                   bbox_to_anchor=(0.24, 0.22 / fig_h), ncol=6, frameon=False)
        _caption(fig, _CAPTION + f" \u25c2: began before {p0.year}; \u25b8: continues past "
                 f"{p1.year}.")
    return fig


def _circle_layout(ids: Sequence[str]) -> dict[str, tuple[float, float]]:
    n = len(ids)
    return {a: (math.cos(math.pi / 2 - 2 * math.pi * i / n),
                math.sin(math.pi / 2 - 2 * math.pi * i / n)) for i, a in enumerate(ids)}


def network_edges(data: bt.BookData | Study | None = None,
                  periods: Sequence[tuple[int, int]] = PERIODS) -> pd.DataFrame:
    """List the edges of :func:`network_snapshots`: pairs sharing an alignment per period.

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


def network_snapshots(data: bt.BookData | Study | None = None,
                      periods: Sequence[tuple[int, int]] = PERIODS) -> Figure:
    """Alignment networks by period: actors as nodes, shared alignments as edges.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).
    periods : sequence of (first year, last year)
        One panel per period (default 1955-59, 1960-66, 1967-73, 1974-79).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Layout: every actor that is ever a member sits at a fixed place on one circle in every
    panel (ordered by kind, then COW code), so panels can be compared by eye; no layout
    algorithm, nothing random. Two actors are joined when they were members of the same
    alignment at the same time on some day of the period (:func:`network_edges`); the line's
    width grows with the number of such alignments. Lines touching the USA are blue, the
    USSR red, others grey. Actors with no edge in a period are drawn pale.
    """
    plt = _mpl()
    data = bt._data(data)
    ms = bt._members(data)
    act = data["actors"]
    act = act[act["actor_id"].isin(ms["actor_id"])].copy()
    rank = {"superpower": 0, "outside_power": 1, "regional_state": 2, "non_state": 3}
    act["_r"] = act["kind"].astype(str).map(rank)
    act["_c"] = act["ccode"].fillna(10_000).astype(int)
    act = act.sort_values(["_r", "_c", "actor_id"], kind="mergesort")
    ids = act["actor_id"].astype(str).tolist()
    kind = dict(zip(ids, act["kind"].astype(str), strict=True))
    abbr = dict(zip(ids, act["abbreviation"].fillna(act["actor_id"]).astype(str), strict=True))
    pos = _circle_layout(ids)
    edges = network_edges(data, periods)
    cc = dict(zip(ids, act["ccode"], strict=True))
    us = next((a for a in ids if not pd.isna(cc[a]) and int(cc[a]) == 2), "USA")
    su = next((a for a in ids if not pd.isna(cc[a]) and int(cc[a]) == 365), "RUS")
    n = len(periods)
    ncol = 2 if n > 1 else 1
    nrow = math.ceil(n / ncol)
    with plt.rc_context(RC):
        fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol, 5.2 * nrow + 0.6),
                                 squeeze=False)
        for k, (p0, p1) in enumerate(periods):
            ax = axes[k // ncol][k % ncol]
            e = edges[edges["period"] == f"{p0}-{p1}"]
            active = set(e["actor_a"]) | set(e["actor_b"])
            for r in e.itertuples(index=False):
                (xa, ya), (xb, yb) = pos[r.actor_a], pos[r.actor_b]
                col = ("#0072B2" if us in (r.actor_a, r.actor_b)
                       else "#D55E00" if su in (r.actor_a, r.actor_b) else "#888888")
                ax.plot([xa, xb], [ya, yb], color=col, linewidth=0.6 + 0.9 * (r.shared - 1),
                        alpha=0.5 if col == "#888888" else 0.85, solid_capstyle="round",
                        zorder=1)
            for a in ids:
                x, y = pos[a]
                on = a in active
                ax.scatter([x], [y], s=70, color=ACTOR_KIND_COLORS.get(kind[a], "#777777"),
                           alpha=1.0 if on else 0.2, zorder=2, edgecolors="white",
                           linewidths=0.5)
                ax.text(1.14 * x, 1.14 * y, abbr[a], ha="center", va="center", fontsize=7.5,
                        color="#000000" if on else "#BBBBBB", zorder=3)
            ax.set_title(f"{p0}-{p1}: {len(e)} linked pairs", fontsize=10)
            ax.set_xlim(-1.3, 1.3)
            ax.set_ylim(-1.3, 1.3)
            ax.set_aspect("equal")
            ax.axis("off")
        for k in range(n, nrow * ncol):
            axes[k // ncol][k % ncol].axis("off")
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color="#0072B2", label="with the USA"),
                   Line2D([], [], color="#D55E00", label="with the USSR"),
                   Line2D([], [], color="#888888", label="other pairs"),
                   *[Line2D([], [], marker="o", linestyle="", color=c,
                            label=k.replace("_", " ")) for k, c in ACTOR_KIND_COLORS.items()]]
        fig.legend(handles=handles, loc="lower center", ncol=7, frameon=False,
                   bbox_to_anchor=(0.5, 0.025))
        fig.suptitle("Who shared an alignment with whom (line width: number of alignments)",
                     x=0.02, ha="left", fontsize=11)
        fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.08, wspace=0.05,
                            hspace=0.12)
        _caption(fig)
    return fig


def coefficient_plot(results: pd.DataFrame,
                     drop_terms: Sequence[str] = ("Intercept", "const", "(Intercept)")) -> Figure:
    """Point estimates with confidence intervals, one panel per model.

    Parameters
    ----------
    results : pandas.DataFrame
        Columns ``model_id``, ``term``, ``estimate``, ``ci_low``, ``ci_high`` (one row per
        model and term; other columns are ignored).
    drop_terms : sequence of str
        Terms left out (intercepts by default).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When a column is missing or there is nothing to plot.

    Notes
    -----
    Models appear in the order of their first row in ``results``, terms in their order within
    the model. A dashed line marks zero. Missing intervals are drawn as points only.
    """
    need = ["model_id", "term", "estimate", "ci_low", "ci_high"]
    missing = [c for c in need if c not in results.columns]
    if missing:
        raise ValueError(f"results lacks the column(s) {missing}; needs {need}")
    res = results[~results["term"].astype(str).isin(drop_terms)]
    if res.empty:
        raise ValueError("no terms to plot")
    plt = _mpl()
    models = list(dict.fromkeys(res["model_id"].astype(str)))
    sizes = [int((res["model_id"].astype(str) == m).sum()) for m in models]
    height = sum(0.28 * s + 0.55 for s in sizes) + 0.7
    with plt.rc_context(RC):
        fig, axes = plt.subplots(len(models), 1, figsize=(7.5, height), squeeze=False,
                                 gridspec_kw={"height_ratios": [s + 1.6 for s in sizes]})
        for ax, m in zip(axes[:, 0], models, strict=True):
            r = res[res["model_id"].astype(str) == m].reset_index(drop=True)
            y = list(range(len(r)))
            est = r["estimate"].astype(float)
            lo = r["ci_low"].astype(float)
            hi = r["ci_high"].astype(float)
            ax.axvline(0, color="#666666", linestyle="--", linewidth=0.8)
            for i in y:
                if pd.notna(lo[i]) and pd.notna(hi[i]):
                    ax.plot([lo[i], hi[i]], [i, i], color="#0072B2", linewidth=1.6)
            ax.plot(est, y, "o", color="#0072B2", markersize=4.5)
            ax.set_yticks(y, [str(t) for t in r["term"]])
            ax.set_ylim(len(r) - 0.4, -0.6)
            hyp = (f" ({r['hypothesis'].iloc[0]})" if "hypothesis" in r.columns
                   and pd.notna(r["hypothesis"].iloc[0]) else "")
            ax.set_title(f"Model {m}{hyp}", loc="left", fontsize=9.5)
            ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
            ax.set_axisbelow(True)
        axes[-1, 0].set_xlabel("Estimate with confidence interval")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        _caption(fig, "Estimates from the project's data (ours), not from Walt (1987).")
    return fig
