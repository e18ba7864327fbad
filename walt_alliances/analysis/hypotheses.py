"""Walt's five hypotheses as data, tested the way a methods reviewer would accept.

Each hypothesis is a frozen :class:`HypothesisSpec` with **one pre-declared key term** and its
expected sign. :func:`run_all` builds the panel once, derives every outcome from it, fits each
model on statsmodels (:func:`walt_alliances.analysis.estimation.fit_logit`), attaches five
variances (:mod:`walt_alliances.analysis.inference`), adjusts the key tests for multiplicity
(Holm), and returns tidy tables: results, verdicts, predicted probabilities, the
balance-of-power against balance-of-threat comparison, a specification curve and the
leave-one-alignment-out and leave-one-actor-out influence of every key estimate.

The statements are our paraphrases of the hypotheses as the literature summarises them; they
are not quotations of Walt (1987), and no page is cited because none of us has seen the book.

Units and outcomes
------------------
- **Onset** (``onset``, non-directed ``dyad-year``: one row per pair and year, because a pair's
  alignment is the same in both directions). A pair-year is *at risk* only if the pair was not
  aligned on any day of *t-1*; onset = 1 if it is aligned on some day of *t*. A pair that starts
  several alignments in one year has one onset. The first coded year (1955) is left out because
  *t-1* is not coded (left censoring of the outcome); a pair that enters the system later (a new
  state) is at risk from its first year.
- **Accession** (``accession``, ``directed-dyad-year``): in year *t*, actor i (``actor_a``)
  becomes a member of an alignment of which j (``actor_b``) is a member on i's first day, so i
  joins an alignment that already contains j or the two found it together (built from the
  members' start dates). Same risk set as onset, in each direction.
- **Prevalence** (``aligned``, ``dyad-year``) is kept only as a *descriptive* model with last
  year's alignment as a regressor; it is not a test of why alignments form.

Duration dependence enters every formation model as a cubic in the years since the pair was
last aligned (Carter & Signorino 2010); the specification curve swaps it for a restricted
cubic spline. A pair never aligned since the start of the panel has no observed last alignment
(left censoring): its clock counts from its first year in the panel (1955 or entry).

Verdicts
--------
Under the default (dyadic-robust) variance, with Holm-adjusted p-values over the five key terms
(H1-H5): ``supported`` if the key estimate has the expected sign and the adjusted p < 0.05,
``contradicted`` if it has the opposite sign and the adjusted p < 0.05, otherwise ``no evidence
either way``, reported with the minimum detectable effect at 80% power.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from walt_alliances._io import only_names
from walt_alliances.analysis._threads import single_blas_thread
from walt_alliances.analysis.estimation import (
    firth_params,
    fit_logit,
    lr_test,
    newton_logit,
    screen_arrays,
    temporal_terms,
)
from walt_alliances.analysis.inference import (
    DEFAULT_SE,
    SE_TYPES,
    SEED,
    SEType,
    cov_for,
    n_clusters_for,
    vcov_dyadic,
    with_cov,
)
from walt_alliances.panels.study import Study, resolve_study
from walt_alliances.panels.verbs import (
    _member_spells,
    add_all,
    add_threat,
    alignment_dyad_years,
    create_dyad_years,
)

__all__ = [
    "ALPHA",
    "POWER",
    "RESULT_COLUMNS",
    "SAMPLES",
    "SPECS",
    "HypothesisSpec",
    "average_marginal_effects",
    "StudyResults",
    "holm",
    "minimum_detectable_effect",
    "run_all",
    "verdict",
    "write_outputs",
]

ALPHA = 0.05
POWER = 0.80
SUPERPOWERS = ("USA", "RUS")
NO_EVIDENCE = "no evidence either way"

Outcome = Literal["onset", "accession", "aligned"]
UnitName = Literal["dyad-year", "directed-dyad-year"]
Temporal = Literal["cubic", "spline", "none"]

#: Columns of ``results.csv``, in order (the output contract).
RESULT_COLUMNS: tuple[str, ...] = (
    "model_id", "hypothesis", "outcome", "unit", "term", "key_term", "expected_sign",
    "estimate", "std_error", "se_type", "df", "statistic", "p_value", "p_holm", "ci_low",
    "ci_high", "or_per_sd", "ame", "ame_ci_low", "ame_ci_high", "n", "events", "n_clusters",
    "loglik", "method", "verdict",
)


@dataclass(frozen=True)
class HypothesisSpec:
    """One model specification.

    Attributes
    ----------
    model_id : str
        Stable id, used in file names and tables.
    hypothesis : str
        ``H1``..``H5``; ``descriptive`` for the prevalence model; ``BoP``/``BoT`` for the
        comparison.
    statement : str
        The hypothesis in our words (not a quotation).
    outcome : {"onset", "accession", "aligned"}
        Dependent variable (see the module docstring).
    unit : {"dyad-year", "directed-dyad-year"}
        Unit of observation.
    key_term : str or None
        The one pre-declared term whose sign tests the hypothesis (None: no test).
    expected_sign : int
        +1 or -1 (0 when there is no key term).
    controls : tuple of str
        Other regressors (the intercept ``const`` and the duration terms are added).
    sample : str
        Name of a sample rule in :data:`SAMPLES`.
    temporal : {"cubic", "spline", "none"}
        Duration terms in years since the pair was last aligned.
    notes : str
        How the hypothesis maps to the terms.
    """

    model_id: str
    hypothesis: str
    statement: str
    outcome: Outcome
    unit: UnitName
    key_term: str | None
    expected_sign: int
    controls: tuple[str, ...] = ()
    sample: str = "states"
    temporal: Temporal = "cubic"
    notes: str = ""

    @property
    def terms(self) -> tuple[str, ...]:
        """Regressors without the intercept and the duration terms, key term first."""
        head = (self.key_term,) if self.key_term else ()
        return (*head, *self.controls)

    @property
    def is_test(self) -> bool:
        """Whether the model tests one of H1-H5."""
        return self.key_term is not None and self.hypothesis.startswith("H")


def _states(d: pd.DataFrame) -> pd.Series:
    return d["ccode1"].notna() & d["ccode2"].notna()


def _regional(d: pd.DataFrame) -> pd.Series:
    return (d["kind1"] == "regional_state") & (d["kind2"] == "regional_state")


def _no_superpowers(d: pd.DataFrame) -> pd.Series:
    return _states(d) & ~d["actor1"].isin(SUPERPOWERS) & ~d["actor2"].isin(SUPERPOWERS)


def _superpower_donor(d: pd.DataFrame) -> pd.Series:
    return (d["kind1"] == "regional_state") & d["actor2"].isin(SUPERPOWERS)


#: Named sample rules: panel -> boolean mask (applied to the directed panel's columns).
SAMPLES: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "states": _states,
    "regional": _regional,
    "no_superpowers": _no_superpowers,
    "superpower_donor": _superpower_donor,
}

_GEO = ("contiguous", "log_capdist")

SPECS: tuple[HypothesisSpec, ...] = (
    HypothesisSpec(
        "h1_balancing", "H1",
        "Balancing: two states threatened by the same third state are more likely to form an "
        "alignment.",
        "onset", "dyad-year", "common_threat", +1, ("threat_max", *_GEO),
        notes="common_threat: max over third states k of min(threat of k to i, threat of k to "
        "j); threat_max: the larger of the two states' threats to each other."),
    HypothesisSpec(
        "h2_bandwagoning", "H2",
        "Bandwagoning: a state is more likely to join an alignment with the state that "
        "threatens it.",
        "accession", "directed-dyad-year", "threat_index", +1, ("common_threat", *_GEO),
        notes="threat_index: j's threat to i (Walt's four sources combined); the outcome is i "
        "joining an alignment that contains j (or founding one with j). Walt expects "
        "bandwagoning to be rare, so a negative sign contradicts H2."),
    HypothesisSpec(
        "h3_ideology", "H3",
        "Ideology: states with regimes of the same family are more likely to form an "
        "alignment.",
        "onset", "dyad-year", "ideo_same_family", +1,
        ("ideo_pan_arab_pair", "common_threat", *_GEO),
        notes="Regime families coded in datasets/regimes.yaml; both pan-Arab (Nasserist or "
        "Ba'thist) is a control, since Walt calls that ideology divisive."),
    HypothesisSpec(
        "h4_aid", "H4",
        "Foreign aid: aid from a superpower in the previous year makes the recipient more "
        "likely to join an alignment with it.",
        "accession", "directed-dyad-year", "aid_from_j_lag1", +1,
        ("threat_index", "common_threat", "log_capdist"), sample="superpower_donor",
        notes="Directed dyads of a regional state (i) and a superpower (j); aid = US "
        "obligations > 0 (Greenbook) or coded Soviet aid, in t-1. Every pair includes one of "
        "two superpowers, so the dyadic variance rests on two clusters on that side: it is "
        "not positive for the main model and unreliable (often far too small) for its "
        "variants; read the dyad-clustered and wild bootstrap columns beside it."),
    HypothesisSpec(
        "h5_penetration", "H5",
        "Transnational penetration: penetration of a state's politics by another in the "
        "previous year makes it more likely to join an alignment with the penetrator.",
        "accession", "directed-dyad-year", "pen_by_j_lag1", +1,
        ("threat_index", "common_threat", *_GEO),
        notes="Coded penetration episodes (datasets/penetration.yaml) of i by j, in t-1."),
    HypothesisSpec(
        "prevalence_descriptive", "descriptive",
        "Descriptive only: how alignment in a year relates to last year's alignment and to "
        "the threat measures. Not a test of why alignments form.",
        "aligned", "dyad-year", None, 0,
        ("aligned_lag1", "common_threat", "threat_max", *_GEO), temporal="none",
        notes="Prevalence with a lagged dependent variable; most aligned pair-years were "
        "aligned the year before."),
    HypothesisSpec(
        "bop", "BoP",
        "Balance of power: states form alignments when they face the same stronger third "
        "state (aggregate power alone).",
        "onset", "dyad-year", None, 0, ("common_threat_power", *_GEO),
        notes="Nested in 'bot'; compared by a likelihood-ratio test and information "
        "criteria on the same pair-years."),
    HypothesisSpec(
        "bot", "BoT",
        "Balance of threat: states form alignments when they face the same third state that "
        "threatens them by Walt's four sources.",
        "onset", "dyad-year", None, 0,
        ("common_threat_power", "common_threat_proximity", "common_threat_offense",
         "common_threat_intent", *_GEO),
        notes="Common threat from each of the four components."),
)

_DURATION = {"cubic": ("t", "t2", "t3")}
_TEMPORAL_PREFIX = "t"


# ======================================================================================
# Panel and outcomes
# ======================================================================================


@dataclass
class _Alignments:
    """Row-level alignment data on the directed panel, for fast recoding."""

    rows: np.ndarray  # panel row of each (pair-year, alignment) record
    ids: np.ndarray  # alignment id of each record
    acc_rows: np.ndarray  # panel row of each accession event
    acc_ids: np.ndarray  # alignment id of each accession event


@dataclass
class _Panel:
    """The directed panel with its measures and the index arrays the outcomes need."""

    frame: pd.DataFrame
    study: Study
    p0: int
    prev: np.ndarray  # row of (i, j, t-1), -1 if none
    pair: np.ndarray  # non-directed pair code of each row
    undirected: np.ndarray  # bool: actor1 < actor2
    align: _Alignments
    meta: dict[str, Any]
    actor1: np.ndarray
    actor2: np.ndarray
    year: np.ndarray
    dyad: np.ndarray
    code1: np.ndarray  # integer actor codes (fast grouping in the variances)
    code2: np.ndarray
    cache: dict[Any, Any] = field(default_factory=dict)


def _row_lookup(frame: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    idx = pd.MultiIndex.from_frame(frame[["actor1", "actor2", "year"]])
    pos = idx.get_indexer(pd.MultiIndex.from_frame(keys[["actor1", "actor2", "year"]]))
    return np.asarray(pos, dtype=np.int64)


def _alignment_rows(frame: pd.DataFrame, st: Study, min_confidence: str | None) -> _Alignments:
    ad = alignment_dyad_years(st, min_confidence=min_confidence)
    pos = _row_lookup(frame, ad)
    keep = pos >= 0
    ms = _member_spells(st, min_confidence, ())
    pairs = ms.merge(ms, on=["alignment_id"], suffixes=("_i", "_j"))
    pairs = pairs[pairs["actor_id_i"] != pairs["actor_id_j"]]
    si, sj = pairs["s_i"].to_numpy("datetime64[D]"), pairs["s_j"].to_numpy("datetime64[D]")
    ej = pairs["e_j"].to_numpy("datetime64[D]")
    joined = (sj <= si) & (si <= ej)
    ev = pd.DataFrame({"actor1": pairs["actor_id_i"].to_numpy()[joined],
                       "actor2": pairs["actor_id_j"].to_numpy()[joined],
                       "year": si[joined].astype("datetime64[Y]").astype(int) + 1970,
                       "alignment_id": pairs["alignment_id"].to_numpy()[joined]})
    ev = ev.drop_duplicates()
    apos = _row_lookup(frame, ev)
    ok = apos >= 0
    return _Alignments(pos[keep], ad["alignment_id"].to_numpy()[keep], apos[ok],
                       ev["alignment_id"].to_numpy()[ok])


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame
    out["contiguous"] = (out["contig"] == 1).astype("Float64").where(out["contig"].notna())
    out["log_capdist"] = np.log1p(out["capdist_km"].astype("Float64"))
    return out


def _build_panel(st: Study, start: int, end: int) -> _Panel:
    frame = add_all(create_dyad_years(start, end, study=st), study=st)
    meta = frame.attrs.get("walt_panel", {})
    frame = _prepare(frame).reset_index(drop=True)
    frame.attrs = {}
    keys = frame[["actor1", "actor2", "year"]]
    prev = _row_lookup(frame, keys.assign(year=keys["year"] - 1))
    rev = _row_lookup(frame, keys.rename(columns={"actor1": "actor2", "actor2": "actor1"}))
    if (rev < 0).any():  # pragma: no cover - create_dyad_years makes both orders
        raise AssertionError("directed panel lacks reverse rows")
    frame["threat_max"] = np.fmax(frame["threat_index"].to_numpy(dtype=float, na_value=np.nan),
                                  frame["threat_index"].to_numpy(dtype=float,
                                                                 na_value=np.nan)[rev])
    pair = pd.factorize(frame["dyad"])[0]
    p0 = st.period_years[0]
    return _Panel(frame, st, p0, prev, pair, (frame["actor1"] < frame["actor2"]).to_numpy(),
                  _alignment_rows(frame, st, None), meta,
                  frame["actor1"].astype(str).to_numpy(), frame["actor2"].astype(str).to_numpy(),
                  frame["year"].to_numpy(), frame["dyad"].astype(str).to_numpy(),
                  *_actor_codes(frame))


def _actor_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(frame)
    codes, _ = pd.factorize(np.concatenate([frame["actor1"].astype(str).to_numpy(),
                                            frame["actor2"].astype(str).to_numpy()]), sort=True)
    return codes[:n].astype(np.int64), codes[n:].astype(np.int64)


@dataclass(frozen=True)
class _Outcomes:
    aligned: np.ndarray  # float, nan outside coverage
    lag: np.ndarray  # aligned in t-1 (nan in the first coded year)
    onset: np.ndarray
    accession: np.ndarray
    since: np.ndarray  # years since last aligned (left-censored clock from entry)


def _outcomes(pn: _Panel, al: _Alignments, exclude: str | None = None) -> _Outcomes:
    n = len(pn.frame)
    rows, acc = al.rows, al.acc_rows
    if exclude is not None:
        rows = rows[al.ids != exclude]
        acc = acc[al.acc_ids != exclude]
    aligned = (np.bincount(rows, minlength=n) > 0).astype(float)
    covered = pn.frame["year"].between(*pn.study.period_years).to_numpy()
    aligned[~covered] = np.nan
    lag = np.where(pn.prev >= 0, aligned[np.maximum(pn.prev, 0)], 0.0)
    lag[pn.frame["year"].to_numpy() <= pn.p0] = np.nan
    onset = np.where(np.isnan(lag), np.nan, ((aligned == 1) & (lag == 0)).astype(float))
    accession = (np.bincount(acc, minlength=n) > 0).astype(float)
    accession[np.isnan(lag)] = np.nan
    # years since last aligned, within the directed pair's own series
    year = pn.frame["year"].to_numpy()
    since = _last_event(pn.pair, year, aligned)
    return _Outcomes(aligned, lag, onset, accession, since)


def _last_event(key: np.ndarray, year: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Years since the latest earlier event of the same unit (clock from entry if none)."""
    df = pd.DataFrame({"k": key, "y": year, "e": np.where(event == 1, year, np.nan)})
    order = np.lexsort((year, key))
    d = df.iloc[order]
    g = d.groupby("k", sort=False)
    last = g["e"].shift(1)
    last = last.groupby(d["k"]).ffill()
    first = g["y"].transform("min")
    since = np.where(last.isna(), d["y"] - first, d["y"] - last)
    out = np.empty(len(df))
    out[order] = since
    return out


# ======================================================================================
# Estimation samples and fits
# ======================================================================================


@dataclass(frozen=True)
class _Sample:
    y: np.ndarray
    X: pd.DataFrame  # with const first
    actor_a: np.ndarray
    actor_b: np.ndarray
    year: np.ndarray
    cluster: np.ndarray
    rows: np.ndarray  # panel rows
    ca: np.ndarray  # integer actor codes of actor_a and actor_b
    cb: np.ndarray

    @property
    def key(self) -> str:
        h = hashlib.sha256()
        h.update(self.y.tobytes())
        h.update(",".join(self.X.columns).encode())
        h.update(np.ascontiguousarray(self.X.to_numpy()).tobytes())
        return h.hexdigest()


def _column(pn: _Panel, f: pd.DataFrame, term: str) -> np.ndarray:
    key = ("col", id(f), term)
    if key not in pn.cache:
        pn.cache[key] = f[term].to_numpy(dtype=float, na_value=np.nan)
    return pn.cache[key]  # type: ignore[no-any-return]


def _sample_mask(pn: _Panel, f: pd.DataFrame, sample: str) -> np.ndarray:
    key = ("sample", id(f), sample)
    if key not in pn.cache:
        pn.cache[key] = SAMPLES[sample](f).fillna(False).to_numpy(dtype=bool)
    return pn.cache[key]  # type: ignore[no-any-return]


def _design(pn: _Panel, oc: _Outcomes, spec: HypothesisSpec, frame: pd.DataFrame | None = None,
            drop_actor: str | None = None) -> _Sample:
    f = pn.frame if frame is None else frame
    y_all = {"onset": oc.onset, "accession": oc.accession, "aligned": oc.aligned}[spec.outcome]
    mask = _sample_mask(pn, f, spec.sample).copy()
    if spec.unit == "dyad-year":
        mask &= pn.undirected
    mask &= ~np.isnan(oc.lag)
    if spec.outcome in ("onset", "accession"):
        mask &= oc.lag == 0  # the risk set: not aligned on any day of t-1
    if drop_actor is not None:
        mask &= (pn.actor1 != drop_actor) & (pn.actor2 != drop_actor)
    cols = {t: (oc.lag if t == "aligned_lag1" else _column(pn, f, t)) for t in spec.terms}
    mask &= ~np.isnan(y_all)
    for v in cols.values():
        mask &= ~np.isnan(v)
    rows = np.flatnonzero(mask)
    X = pd.DataFrame({"const": np.ones(rows.size), **{t: v[rows] for t, v in cols.items()}})
    if spec.temporal != "none":
        since = oc.since[rows]
        knots: list[float] | None = None
        if spec.temporal == "spline":
            kn = np.unique(np.percentile(since, [10.0, 50.0, 90.0]))
            if kn.size < 3:
                kn = np.array([since.min(), np.median(since), since.max()], dtype=float)
            knots = [float(k) for k in kn]
        tt = temporal_terms(since, kind=spec.temporal, knots=knots)
        for c in tt.columns:
            X[c] = tt[c].to_numpy()
    return _Sample(y_all[rows].astype(float), X, pn.actor1[rows], pn.actor2[rows],
                   pn.year[rows], pn.dyad[rows], rows, pn.code1[rows], pn.code2[rows])


@dataclass
class _Fit:
    spec: HypothesisSpec
    sample: _Sample
    base: Any  # statsmodels result, model-based covariance
    by_se: dict[str, Any]  # se_type -> result with that covariance

    @property
    def method(self) -> str:
        return str(self.base.fit_method)


def _refit_for(base: Any) -> Callable[..., np.ndarray] | None:
    if base.fit_method == "firth":
        return lambda y, x, s: firth_params(y, x, s)
    return None


def _fit(spec: HypothesisSpec, s: _Sample, se_types: Sequence[SEType] = SE_TYPES,
         start: _Fit | None = None) -> _Fit:
    """Fit a sample; ``start`` (a nearby fit) gives starting values and the fast screen."""
    sp = None
    if start is not None and list(start.sample.X.columns) == list(s.X.columns):
        sp = np.asarray(start.base.params, dtype=float)
    base = fit_logit(s.y, s.X, se_type="nonrobust", add_const=False,
                     separation_check="always" if start is None else "screen",
                     start_params=sp)
    out: dict[str, Any] = {}
    refit = _refit_for(base)
    for se in se_types:
        cov = cov_for(base, se, s.ca, s.cb, refit=refit)
        out[se] = with_cov(base, cov, se, n_clusters_for(se, s.ca, s.cb))
    return _Fit(spec, s, base, out)


# ======================================================================================
# Effects, multiplicity, verdicts
# ======================================================================================


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (nan entries are left out and stay nan).

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="mergesort")]
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adj, 1.0)
    return out


def verdict(estimate: float, p_holm: float, expected: int) -> str:
    """Verdict for one key term from its Holm-adjusted p-value (see the module docstring)."""
    if not np.isfinite(p_holm) or not np.isfinite(estimate) or p_holm >= ALPHA:
        return NO_EVIDENCE
    return "supported" if np.sign(estimate) == expected else "contradicted"


def minimum_detectable_effect(std_error: float, df: float, *, alpha: float = ALPHA,
                              power: float = POWER) -> float:
    """Smallest ``|coefficient|`` a two-sided t test at level ``alpha`` detects with ``power``.

    ``(t_{1-alpha/2, df} + t_{power, df}) * std_error`` (Bloom 1995).

    Examples
    --------
    >>> round(minimum_detectable_effect(1.0, 1e9), 3)  # normal: 1.960 + 0.842
    2.802
    """
    return float((stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)) * std_error)


def average_marginal_effects(result: Any, X: pd.DataFrame) -> dict[str, tuple[float, Any]]:
    """Average marginal effects of a logit and their gradients in the coefficients.

    Continuous terms: ``AME_j = mean(p (1 - p)) b_j`` (statsmodels ``get_margeff`` with
    ``at="overall", method="dydx"``). Terms coded 0/1: the average discrete change
    ``mean(p(x_j = 1) - p(x_j = 0))`` (``dummy=True``). The intercept and the duration terms
    (``t``, ``t2``, ``t3``, spline terms, whose effects only make sense jointly) are left out.

    Parameters
    ----------
    result : statsmodels results
        A fitted logit.
    X : pandas.DataFrame
        Its design matrix (with ``const``).

    Returns
    -------
    dict
        term -> (AME, gradient with respect to the coefficients). The delta-method variance
        under a covariance ``V`` is ``g' V g``.
    """
    x = X.to_numpy(dtype=float)
    b = np.asarray(result.params, dtype=float)
    p = 1.0 / (1.0 + np.exp(-(x @ b)))
    w = p * (1.0 - p)
    out: dict[str, tuple[float, Any]] = {}
    for j, t in enumerate(X.columns):
        if t == "const" or _is_duration(str(t)):
            continue
        if np.isin(x[:, j], (0.0, 1.0)).all():
            x1, x0 = x.copy(), x.copy()
            x1[:, j], x0[:, j] = 1.0, 0.0
            p1 = 1.0 / (1.0 + np.exp(-(x1 @ b)))
            p0 = 1.0 / (1.0 + np.exp(-(x0 @ b)))
            grad = ((p1 * (1 - p1)) @ x1 - (p0 * (1 - p0)) @ x0) / len(p)
            out[str(t)] = (float(np.mean(p1 - p0)), grad)
        else:
            e = np.zeros(len(b))
            e[j] = 1.0
            grad = w.mean() * e + b[j] * ((w * (1.0 - 2.0 * p)) @ x) / len(p)
            out[str(t)] = (float(w.mean() * b[j]), grad)
    return out


def _is_duration(term: str) -> bool:
    return term in ("t", "t2", "t3") or term.startswith("t_s")


def _term_rows(fit: _Fit, se: str) -> list[dict[str, Any]]:
    res = fit.by_se[se]
    spec, s = fit.spec, fit.sample
    df = float(res.df_resid_inference)
    q = float(stats.t.ppf(1 - ALPHA / 2, df))
    ci = np.asarray(res.conf_int(alpha=ALPHA))
    names = [str(c) for c in s.X.columns]
    sd = s.X.std(ddof=1).to_numpy()
    ame = {t: (np.nan, np.nan, np.nan) for t in names}
    cov = np.asarray(res.cov_params(), dtype=float)
    for t, (m, grad) in average_marginal_effects(fit.base, s.X).items():
        var = float(grad @ cov @ grad)
        e = np.sqrt(var) if var >= 0 else np.nan
        ame[t] = (m, m - q * e, m + q * e)
    params = np.asarray(res.params, dtype=float)
    bse = np.asarray(res.bse, dtype=float)
    rows = []
    for j, t in enumerate(names):
        key = t == spec.key_term
        rows.append({
            "model_id": spec.model_id, "hypothesis": spec.hypothesis, "outcome": spec.outcome,
            "unit": spec.unit, "term": t, "key_term": bool(key),
            "expected_sign": ("+" if spec.expected_sign > 0 else "-") if key else "",
            "estimate": params[j], "std_error": bse[j], "se_type": se, "df": df,
            "statistic": params[j] / bse[j] if bse[j] > 0 else np.nan,
            "p_value": float(np.asarray(res.pvalues)[j]), "p_holm": np.nan,
            "ci_low": ci[j, 0], "ci_high": ci[j, 1],
            "or_per_sd": float(np.exp(params[j] * sd[j])) if t != "const" else np.nan,
            "ame": ame[t][0], "ame_ci_low": ame[t][1], "ame_ci_high": ame[t][2],
            "n": int(s.y.size), "events": int(s.y.sum()),
            "n_clusters": int(res.cov_kwds["n_clusters"]), "loglik": float(fit.base.llf),
            "method": fit.method, "verdict": "",
        })
    return rows


def _predictions(fit: _Fit, points: int = 11) -> pd.DataFrame:
    """Average predicted probability over the key term's range (others as observed)."""
    spec, s = fit.spec, fit.sample
    if spec.key_term is None:
        return pd.DataFrame()
    res = fit.by_se[DEFAULT_SE]
    x = s.X.to_numpy(dtype=float)
    j = list(s.X.columns).index(spec.key_term)
    lo, hi = float(x[:, j].min()), float(x[:, j].max())
    grid = np.unique([lo, hi]) if np.isin(x[:, j], (0.0, 1.0)).all() else np.linspace(lo, hi,
                                                                                      points)
    b = np.asarray(res.params, dtype=float)
    v = np.asarray(res.cov_params(), dtype=float)
    df = float(res.df_resid_inference)
    q = float(stats.t.ppf(1 - ALPHA / 2, df))
    rows = []
    for g in grid:
        xg = x.copy()
        xg[:, j] = g
        p = 1.0 / (1.0 + np.exp(-(xg @ b)))
        grad = (p * (1 - p)) @ xg / len(p)
        se = float(np.sqrt(max(grad @ v @ grad, 0.0)))
        m = float(p.mean())
        rows.append({"model_id": spec.model_id, "hypothesis": spec.hypothesis,
                     "term": spec.key_term, "value": float(g), "probability": m,
                     "ci_low": max(m - q * se, 0.0), "ci_high": min(m + q * se, 1.0),
                     "se_type": DEFAULT_SE})
    return pd.DataFrame(rows)


# ======================================================================================
# run_all
# ======================================================================================


@dataclass(frozen=True)
class StudyResults:
    """Everything :func:`run_all` produces (tidy frames)."""

    results: pd.DataFrame  # results.csv: one row per model, term and variance type
    verdicts: pd.DataFrame  # one row per hypothesis: key estimate, interval, verdict, MDE
    predictions: pd.DataFrame  # predicted probabilities over each key term's range
    comparison: pd.DataFrame  # BoP against BoT
    specification_curve: pd.DataFrame
    influence: pd.DataFrame  # every leave-one-out refit; changes_verdict marks flips
    samples: dict[str, pd.DataFrame]
    summary_md: str
    seed: int = SEED

    @property
    def robustness(self) -> pd.DataFrame:
        """The specification curve (name kept for older callers)."""
        return self.specification_curve


def _progress(msg: str, enabled: bool) -> None:
    if enabled:
        print(msg, file=sys.stderr, flush=True)


def _sample_frame(s: _Sample) -> pd.DataFrame:
    out = pd.DataFrame({"y": s.y.astype(int)})
    for c in s.X.columns:
        out[c] = s.X[c].to_numpy()
    out["actor_a"], out["actor_b"] = s.actor_a, s.actor_b
    out["year"], out["cluster"] = s.year, s.cluster
    return out


@single_blas_thread
def run_all(study: Study | None = None, *, start: int = 1955, end: int | None = None,
            specs: Iterable[HypothesisSpec] = SPECS, robustness: bool = True,
            progress: bool = False) -> StudyResults:
    """Fit every specification, the comparison, the specification curve and the influence.

    Parameters
    ----------
    study : Study, optional
        The data (default: the shipped data).
    start, end : int
        Years of the panel (default: 1955 to the end of the coded period).
    specs : iterable of HypothesisSpec
        The models (default :data:`SPECS`).
    robustness : bool
        Also compute the specification curve and the leave-one-out influence.
    progress : bool
        Print progress to stderr.

    Returns
    -------
    StudyResults
    """
    st = resolve_study(study)
    end = end if end is not None else st.period_years[1]
    specs = tuple(specs)
    _progress(f"building the {start}-{end} dyad-year panel", progress)
    pn = _build_panel(st, start, end)
    oc = _outcomes(pn, pn.align)
    fits: dict[str, _Fit] = {}
    for i, spec in enumerate(specs, 1):
        _progress(f"[{i}/{len(specs)}] fitting {spec.model_id}", progress)
        fits[spec.model_id] = _fit(spec, _design(pn, oc, spec))
    rows = [r for f in fits.values() for se in SE_TYPES for r in _term_rows(f, se)]
    results = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    tests = [s for s in specs if s.is_test]
    results = _apply_holm(results, [s.model_id for s in tests])
    verdicts = _verdicts(results, fits, tests)
    predictions = pd.concat([_predictions(fits[s.model_id]) for s in tests] or [pd.DataFrame()],
                            ignore_index=True)
    comparison = _compare(pn, oc, {s.model_id: s for s in specs})
    curve = pd.DataFrame()
    influence = pd.DataFrame()
    if robustness:
        _progress("specification curve", progress)
        curve = _curve(pn, oc, fits, tests, results)
        _progress("leave-one-alignment-out and leave-one-actor-out influence", progress)
        influence = _influence(pn, oc, fits, tests, results)
    samples = {k: _sample_frame(f.sample) for k, f in fits.items()}
    summary = _summary_md(verdicts, comparison, curve, influence, fits)
    return StudyResults(results, verdicts, predictions, comparison, curve, influence, samples,
                        summary)


def _apply_holm(results: pd.DataFrame, test_ids: Sequence[str]) -> pd.DataFrame:
    out = results.copy()
    key = out["key_term"] & out["model_id"].isin(test_ids)
    for se in SE_TYPES:
        m = key & (out["se_type"] == se)
        out.loc[m, "p_holm"] = holm(out.loc[m, "p_value"].to_numpy())
    d = key & (out["se_type"] == DEFAULT_SE)
    sign = out.loc[d, "expected_sign"].map({"+": 1, "-": -1})
    out.loc[d, "verdict"] = [verdict(e, p, g) for e, p, g in
                             zip(out.loc[d, "estimate"], out.loc[d, "p_holm"], sign, strict=True)]
    return out


def _main_p(results: pd.DataFrame, se: str, test_ids: Sequence[str]) -> dict[str, float]:
    r = results[results["key_term"] & (results["se_type"] == se)
                & results["model_id"].isin(test_ids)]
    return dict(zip(r["model_id"], r["p_value"], strict=True))


def _holm_with(main_p: dict[str, float], model_id: str, p: float) -> float:
    ids = sorted(main_p)
    vals = [p if k == model_id else main_p[k] for k in ids]
    return float(holm(vals)[ids.index(model_id)])


def _verdicts(results: pd.DataFrame, fits: dict[str, _Fit],
              tests: Sequence[HypothesisSpec]) -> pd.DataFrame:
    r = results[results["key_term"] & (results["se_type"] == DEFAULT_SE)
                & results["model_id"].isin([s.model_id for s in tests])]
    m = len(r)
    out = r[["model_id", "hypothesis", "outcome", "unit", "term", "expected_sign", "estimate",
             "std_error", "df", "ci_low", "ci_high", "p_value", "p_holm", "or_per_sd", "ame",
             "ame_ci_low", "ame_ci_high", "n", "events", "n_clusters", "method",
             "verdict"]].copy()
    out.insert(list(out.columns).index("std_error") + 1, "se_type", DEFAULT_SE)
    out["mde"] = [minimum_detectable_effect(se, df, alpha=ALPHA / max(m, 1))
                  for se, df in zip(out["std_error"], out["df"], strict=True)]
    sds = [float(fits[k].sample.X[t].std(ddof=1)) for k, t in zip(out["model_id"], out["term"],
                                                                 strict=True)]
    out["mde_or_per_sd"] = np.exp(out["mde"].to_numpy(dtype=float) * np.asarray(sds))
    out["note"] = ["" if np.isfinite(se) else
                   "the dyadic variance of the key term is not positive (not estimable): "
                   "nearly every pair shares one of very few actors" for se in out["std_error"]]
    out["statement"] = [fits[k].spec.statement for k in out["model_id"]]
    return out.reset_index(drop=True)


def _compare(pn: _Panel, oc: _Outcomes, specs: dict[str, HypothesisSpec]) -> pd.DataFrame:
    if not {"bop", "bot"} <= specs.keys():
        return pd.DataFrame()
    bot = specs["bot"]
    s_bot = _design(pn, oc, bot)
    s_bop = replace(s_bot, X=s_bot.X.drop(columns=[c for c in bot.controls
                                                   if c not in specs["bop"].controls]))
    rb = fit_logit(s_bop.y, s_bop.X, se_type="nonrobust", add_const=False)
    rt = fit_logit(s_bot.y, s_bot.X, se_type="nonrobust", add_const=False)
    stat, df, p = lr_test(rb, rt)
    rows = []
    for name, r, s in (("bop", rb, s_bop), ("bot", rt, s_bot)):
        rows.append({"model_id": name, "outcome": bot.outcome, "unit": bot.unit,
                     "n": int(s.y.size), "events": int(s.y.sum()),
                     "n_clusters": n_clusters_for(DEFAULT_SE, s.ca, s.cb),
                     "k": int(s.X.shape[1]), "loglik": float(r.llf), "aic": float(r.aic),
                     "bic": float(r.bic), "method": str(r.fit_method)})
    out = pd.DataFrame(rows)
    out["lr_stat"], out["lr_df"], out["lr_p_value"] = stat, df, p
    return out


# ======================================================================================
# Specification curve and influence
# ======================================================================================


def _key_record(fit: _Fit, se: str, main_p: dict[str, float]) -> dict[str, Any]:
    spec = fit.spec
    res = fit.by_se[se]
    j = list(fit.sample.X.columns).index(spec.key_term)
    est = float(np.asarray(res.params)[j])
    p = float(np.asarray(res.pvalues)[j])
    ci = np.asarray(res.conf_int(alpha=ALPHA))[j]
    ph = _holm_with(main_p, spec.model_id, p)
    return {"model_id": spec.model_id, "hypothesis": spec.hypothesis, "outcome": spec.outcome,
            "unit": spec.unit, "term": spec.key_term, "se_type": se,
            "estimate": est, "std_error": float(np.asarray(res.bse)[j]),
            "df": float(res.df_resid_inference), "p_value": p, "p_holm": ph,
            "ci_low": float(ci[0]), "ci_high": float(ci[1]), "n": int(fit.sample.y.size),
            "events": int(fit.sample.y.sum()), "n_clusters": int(res.cov_kwds["n_clusters"]),
            "method": fit.method, "verdict": verdict(est, ph, spec.expected_sign)}


def _quick_key(spec: HypothesisSpec, s: _Sample, main: _Fit,
               main_p: dict[str, float]) -> dict[str, Any]:
    """Key-term record of a refit under the default variance, without results wrappers.

    The refit is Newton-Raphson on arrays (:func:`~.estimation.newton_logit`, the iteration
    of statsmodels' ``Logit.fit(method="newton")``) started at the main estimate; when the
    design differs from the main model's, the main fit was Firth's, the iterations do not
    converge or the fit fails the separation screen, the full path (:func:`fit_logit` with the
    linear-programming check) is taken instead.
    """
    cols = list(s.X.columns)
    if cols == list(main.sample.X.columns) and main.method == "logit":
        x = s.X.to_numpy(dtype=float)
        y = np.asarray(s.y, dtype=float)
        try:
            b = newton_logit(y, x, np.asarray(main.base.params, dtype=float), maxiter=100)
            if b is not None and screen_arrays(y, x, b):
                p = 1.0 / (1.0 + np.exp(-(x @ b)))
                bread = np.linalg.inv((x * (p * (1 - p))[:, None]).T @ x)
                v = vcov_dyadic(x * (s.y - p)[:, None], bread, s.ca, s.cb)
                g = n_clusters_for(DEFAULT_SE, s.ca, s.cb)
                j = cols.index(str(spec.key_term))
                est = float(b[j])
                se = float(np.sqrt(v[j, j])) if v[j, j] > 0 else np.nan
                df = float(g - 1)
                pv = float(2 * stats.t.sf(abs(est / se), df)) if se > 0 else np.nan
                q = float(stats.t.ppf(1 - ALPHA / 2, df))
                ph = _holm_with(main_p, spec.model_id, pv)
                return {"model_id": spec.model_id, "hypothesis": spec.hypothesis,
                        "outcome": spec.outcome, "unit": spec.unit, "term": spec.key_term,
                        "se_type": DEFAULT_SE, "estimate": est, "std_error": se, "df": df,
                        "p_value": pv, "p_holm": ph, "ci_low": est - q * se,
                        "ci_high": est + q * se, "n": int(s.y.size),
                        "events": int(s.y.sum()), "n_clusters": g, "method": "logit",
                        "verdict": verdict(est, ph, spec.expected_sign)}
        except (np.linalg.LinAlgError, ValueError):
            pass
    f = _fit(spec, s, (DEFAULT_SE,), start=main)
    return _key_record(f, DEFAULT_SE, main_p)


def _variants(spec: HypothesisSpec) -> list[tuple[str, str, HypothesisSpec]]:
    out: list[tuple[str, str, HypothesisSpec]] = [
        ("duration: restricted cubic spline", "temporal", replace(spec, temporal="spline")),
        ("duration: none", "temporal", replace(spec, temporal="none")),
    ]
    if spec.sample != "superpower_donor":
        out += [("sample: regional states only", "sample", replace(spec, sample="regional")),
                ("sample: without the superpowers", "sample",
                 replace(spec, sample="no_superpowers"))]
    if spec.unit == "dyad-year":
        out.append(("outcome: accession, directed-dyad-year", "outcome",
                    replace(spec, outcome="accession", unit="directed-dyad-year",
                            controls=tuple("threat_index" if c == "threat_max" else c
                                           for c in spec.controls))))
    elif spec.sample == "superpower_donor":
        out.append(("outcome: onset (each pair once)", "outcome", replace(spec, outcome="onset")))
    return out


def _curve(pn: _Panel, oc: _Outcomes, fits: dict[str, _Fit], tests: Sequence[HypothesisSpec],
           results: pd.DataFrame) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    ids = [t.model_id for t in tests]
    main_p = {se: _main_p(results, se, ids) for se in SE_TYPES}
    threat = _threat_frame(pn)
    conf = pn.cache.get("conf")
    if conf is None:
        conf = _outcomes(pn, _alignment_rows(pn.frame, pn.study, "medium"))
        pn.cache["conf"] = conf
    for spec in tests:
        main = fits[spec.model_id]
        seen = {main.sample.key}
        for se in SE_TYPES[1:]:
            rec = _key_record(main, se, main_p[se])
            rows.append({"variant": f"variance: {se}", "dimension": "variance", **rec})
        cands = [(name, dim, sp, oc, None) for name, dim, sp in _variants(spec)]
        cands.append(("threat index: multiplicative", "threat", spec, oc, threat))
        cands.append(("alignments: medium or high confidence only", "sample", spec, conf, None))
        for name, dim, sp, outc, frame in cands:
            s = _design(pn, outc, sp, frame=frame)
            if s.key in seen:
                continue  # an exact repeat of a model already in the curve
            seen.add(s.key)
            try:
                f = _fit(sp, s, (DEFAULT_SE,), start=main)
            except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:
                rows.append({"variant": name, "dimension": dim, "model_id": spec.model_id,
                             "hypothesis": spec.hypothesis, "outcome": sp.outcome,
                             "unit": sp.unit, "term": spec.key_term, "se_type": DEFAULT_SE,
                             "verdict": f"not estimable: {exc}"})
                continue
            rows.append({"variant": name, "dimension": dim,
                         **_key_record(f, DEFAULT_SE, main_p[DEFAULT_SE])})
    cols = ["model_id", "hypothesis", "variant", "dimension", "outcome", "unit", "term",
            "se_type", "estimate", "std_error", "df", "ci_low", "ci_high", "p_value", "p_holm",
            "n", "events", "n_clusters", "method", "verdict"]
    return _int_cols(pd.DataFrame(rows).reindex(columns=cols))


def _int_cols(df: pd.DataFrame) -> pd.DataFrame:
    for c in ("n", "events", "n_clusters"):
        if c in df:
            df[c] = df[c].astype("Int64")
    return df


def _threat_frame(pn: _Panel) -> pd.DataFrame:
    from walt_alliances.measures.threat import ThreatSpec

    if "threat" in pn.cache:
        return pn.cache["threat"]  # type: ignore[no-any-return]
    meta = pn.meta
    base = create_dyad_years(meta["start"], meta["end"], study=pn.study)
    alt = add_threat(base, ThreatSpec(form="multiplicative"), study=pn.study)
    alt.attrs = {}
    keys = ["actor1", "actor2", "year"]
    if not alt[keys].reset_index(drop=True).equals(pn.frame[keys].reset_index(drop=True)):
        raise AssertionError("threat variant rows differ from the panel")  # pragma: no cover
    frame = pn.frame.copy()
    for c in alt.columns:
        if c.startswith(("threat_", "common_threat")):
            frame[c] = alt[c].to_numpy()
    rev = _row_lookup(frame, frame[keys].rename(columns={"actor1": "actor2",
                                                         "actor2": "actor1"}))
    ti = frame["threat_index"].to_numpy(dtype=float, na_value=np.nan)
    frame["threat_max"] = np.fmax(ti, ti[rev])
    pn.cache["threat"] = frame
    return frame


def _influence(pn: _Panel, oc: _Outcomes, fits: dict[str, _Fit],
               tests: Sequence[HypothesisSpec], results: pd.DataFrame) -> pd.DataFrame:
    main_p = _main_p(results, DEFAULT_SE, [t.model_id for t in tests])
    rows: list[dict[str, Any]] = []
    ids = sorted(set(pn.align.ids) | set(pn.align.acc_ids))
    recoded = {a: _outcomes(pn, pn.align, exclude=a) for a in ids}
    for spec in tests:
        main = fits[spec.model_id]
        mv = verdict(float(main.by_se[DEFAULT_SE].params[spec.key_term]),
                     _holm_with(main_p, spec.model_id, main_p[spec.model_id]),
                     spec.expected_sign)
        drops: list[tuple[str, str, _Sample]] = []
        for a in ids:
            s = _design(pn, recoded[a], spec)
            if s.key != main.sample.key:
                drops.append(("alignment", a, s))
        for actor in sorted(set(main.sample.actor_a) | set(main.sample.actor_b)):
            drops.append(("actor", actor, _design(pn, oc, spec, drop_actor=actor)))
        for kind, name, s in drops:
            try:
                rec = _quick_key(spec, s, main, main_p)
            except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:
                rec = {"model_id": spec.model_id, "hypothesis": spec.hypothesis,
                       "term": spec.key_term, "se_type": DEFAULT_SE,
                       "verdict": f"not estimable: {exc}"}
            rows.append({"dropped_kind": kind, "dropped": name, **rec, "main_verdict": mv})
    cols = ["model_id", "hypothesis", "term", "dropped_kind", "dropped", "se_type", "estimate",
            "std_error", "ci_low", "ci_high", "p_value", "p_holm", "n", "events", "n_clusters",
            "method", "verdict", "main_verdict", "changes_verdict"]
    out = pd.DataFrame(rows)
    if len(out):
        out["changes_verdict"] = out["verdict"] != out["main_verdict"]
    return _int_cols(out.reindex(columns=cols))


# ======================================================================================
# Summary and files
# ======================================================================================


def _fmt(x: Any, nd: int = 3) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return ""
    return f"{v:.{nd}f}" if np.isfinite(v) else ""


def _summary_md(verdicts: pd.DataFrame, comparison: pd.DataFrame, curve: pd.DataFrame,
                influence: pd.DataFrame, fits: dict[str, _Fit]) -> str:
    m = len(verdicts)
    lines = [
        "# Tests of Walt's five hypotheses", "",
        "Logit models fitted by statsmodels. Symmetric outcomes (alignment onset) on "
        "non-directed dyad-years, directed outcomes (accession: i joins an alignment with j) "
        "on directed dyad-years; pairs at risk only if not aligned on any day of the year "
        "before; duration dependence as a cubic in years since the pair was last aligned. "
        "Default variance: dyadic-robust (Aronow, Samii & Assenova 2015), t reference on "
        "G-1 df with G the actors in the sample. One pre-declared key term per hypothesis; "
        f"p-values Holm-adjusted over the {m} key terms. Verdict: supported or contradicted "
        f"only if the adjusted p < {ALPHA} (expected or opposite sign); otherwise no evidence "
        "either way, with the minimum detectable effect (MDE, log-odds per unit of the key "
        f"term) at {POWER:.0%} power and level {ALPHA}/{m}. Statements are our paraphrases, "
        "not quotations of Walt (1987).", "",
        "| hypothesis | outcome (unit) | key term | expected | estimate | 95% CI | OR per SD "
        "| AME | p | Holm p | n (events, actors) | verdict | MDE |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in verdicts.itertuples(index=False):
        lines.append(
            f"| {r.hypothesis} | {r.outcome} ({r.unit}) | {r.term} | {r.expected_sign} | "
            f"{_fmt(r.estimate)} | [{_fmt(r.ci_low)}, {_fmt(r.ci_high)}] | "
            f"{_fmt(r.or_per_sd, 2)} | {_fmt(r.ame, 4)} | {_fmt(r.p_value, 4)} | "
            f"{_fmt(r.p_holm, 4)} | {r.n} ({r.events}, {r.n_clusters}) | **{r.verdict}** | "
            f"{_fmt(r.mde, 2) if r.verdict == NO_EVIDENCE else ''} |")
    for r in verdicts.itertuples(index=False):
        if r.note:
            lines += ["", f"{r.hypothesis}: {r.note}; the other variances are in "
                      "results.csv and the specification curve."]
    lines += ["", "The prevalence model (alignment in t with alignment in t-1 as a regressor) "
              "is descriptive only and tests nothing; see results.csv "
              "(model_id prevalence_descriptive).", ""]
    if len(comparison):
        c = comparison.set_index("model_id")
        lines += ["## Balance of power against balance of threat", "",
                  f"Onset on non-directed dyad-years (n = {int(c.loc['bot', 'n'])}, "
                  f"{int(c.loc['bot', 'events'])} onsets).", "",
                  "| model | log-likelihood | AIC | BIC |", "|---|---|---|---|"]
        for k in ("bop", "bot"):
            lines.append(f"| {k} | {_fmt(c.loc[k, 'loglik'], 2)} | {_fmt(c.loc[k, 'aic'], 2)} "
                         f"| {_fmt(c.loc[k, 'bic'], 2)} |")
        lines += ["", f"Likelihood-ratio test of BoP nested in BoT: statistic "
                  f"{_fmt(float(c['lr_stat'].iloc[0]), 2)} on {int(c['lr_df'].iloc[0])} df, "
                  f"p = {_fmt(float(c['lr_p_value'].iloc[0]), 4)}.", ""]
    if len(curve):
        lines += ["## Specification curve", "",
                  "Each hypothesis's key estimate under other variances, duration terms, "
                  "samples, threat index and outcome (exact repeats of the main model "
                  "left out).", "", "| hypothesis | variants | same verdict | range of "
                  "estimates |", "|---|---|---|---|"]
        for v in verdicts.itertuples(index=False):
            cc = curve[curve["model_id"] == v.model_id]
            same = int((cc["verdict"] == v.verdict).sum())
            lines.append(f"| {v.hypothesis} | {len(cc)} | {same} | "
                         f"{_fmt(cc['estimate'].min())} to {_fmt(cc['estimate'].max())} |")
        lines.append("")
    if len(influence):
        flips = influence[influence["changes_verdict"].fillna(False).astype(bool)]
        lines += ["## Influence: single alignments and actors that change a verdict", ""]
        if flips.empty:
            lines.append("None: no single alignment or actor, dropped alone, changes a verdict.")
        else:
            lines += ["| hypothesis | dropped | estimate | Holm p | verdict | main verdict |",
                      "|---|---|---|---|---|---|"]
            for r in flips.itertuples(index=False):
                lines.append(f"| {r.hypothesis} | {r.dropped_kind} {r.dropped} | "
                             f"{_fmt(r.estimate)} | {_fmt(r.p_holm, 4)} | {r.verdict} | "
                             f"{r.main_verdict} |")
        lines.append("")
    sep = [(k, f) for k, f in fits.items() if f.base.separation.kind != "none"]
    if sep:
        lines += ["## Separation", ""]
        for k, f in sep:
            lines.append(f"- {k}: {f.base.separation.kind} separation on "
                         f"{', '.join(f.base.separation.terms)}; fitted by Firth's penalized "
                         "likelihood.")
        lines.append("")
    return "\n".join(lines)


def write_outputs(res: StudyResults, out_dir: Any, save_samples: bool = False,
                  designs: Any = None, origin: Any = None) -> list[Any]:
    """Write the results of :func:`run_all` (and of the designs, if given) into a folder.

    Files: ``results.csv`` (the contract: :data:`RESULT_COLUMNS`), ``verdicts.csv``,
    ``predictions.csv``, ``comparison.csv``, ``specification_curve.csv``, ``influence.csv``
    (only the alignments and actors whose removal changes a verdict), ``influence_all.csv``
    (every leave-one-out refit), ``summary.md`` and, with ``save_samples``,
    ``samples/<model_id>.csv`` (``y``, one column per term, ``actor_a``, ``actor_b``,
    ``year``, ``cluster``). The folder is replaced whole (staged beside it, then swapped in);
    an existing one must be empty or an earlier output of this function.

    With ``designs`` (the :class:`~walt_alliances.analysis.designs.DesignResults` of
    :func:`~walt_alliances.analysis.designs.run_designs`), its rows are appended to
    ``results.csv`` (same columns; the designs' ``p_holm`` is adjusted within the designs' own
    family) and its files are written beside: ``prediction.csv``, ``uncertainty.csv``,
    ``design_results.csv``, ``design_comparison.csv``, ``design_events.csv``,
    ``design_readings.csv``, ``design_summary.md`` and its samples.

    With ``origin`` (a mapping such as :attr:`walt_alliances.panels.study.Study.data_origin`),
    ``data.json`` records which data the results come from (shipped, or modified with the
    records' folders and sha256).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    from pathlib import Path

    from walt_alliances._io import csv_bytes, write_folder

    out = Path(out_dir)
    infl = res.influence
    flips = infl[infl["changes_verdict"].fillna(False).astype(bool)] if len(infl) else infl
    files = {"results.csv": csv_bytes(_round(res.results)),
             "verdicts.csv": csv_bytes(_round(res.verdicts)),
             "predictions.csv": csv_bytes(_round(res.predictions)),
             "comparison.csv": csv_bytes(_round(res.comparison)),
             "specification_curve.csv": csv_bytes(_round(res.specification_curve)),
             "influence.csv": csv_bytes(_round(flips)),
             "influence_all.csv": csv_bytes(_round(infl)),
             "summary.md": res.summary_md.encode()}
    if save_samples:
        for mid, df in res.samples.items():
            files[f"samples/{mid}.csv"] = csv_bytes(df)
    if origin is not None:
        import json

        files["data.json"] = (json.dumps(dict(origin), indent=2, sort_keys=True, default=str)
                              + "\n").encode()
    if designs is not None:
        from walt_alliances.analysis.designs.run import design_files

        files.update(design_files(designs, save_samples=save_samples))
        both = pd.concat([_round(res.results), _round(designs.results)], ignore_index=True)
        files["results.csv"] = csv_bytes(both[list(res.results.columns)])
    # staged and swapped in whole: the folder holds exactly this run's files
    return write_folder(out, files, what="hypotheses output", replaceable=OUTPUT_FOLDER)


#: An earlier output folder of :func:`write_outputs`: it holds only files that function writes.
OUTPUT_FOLDER = only_names(["results.csv", "verdicts.csv", "predictions.csv", "comparison.csv",
                            "specification_curve.csv", "influence.csv", "influence_all.csv",
                            "robustness.csv", "summary.md", "samples/*.csv", "data.json",
                            # the designs' files (issue 12), when the designs ran
                            "design_results.csv", "prediction.csv", "uncertainty.csv",
                            "design_comparison.csv", "design_events.csv",
                            "design_readings.csv", "design_summary.md"])


def _round(df: pd.DataFrame) -> pd.DataFrame:
    """Round floats to 10 significant digits and 12 decimals (stable across platforms).

    The decimals cut matters for numbers near zero such as ``est - q * se``, whose last
    significant digits depend on the BLAS thread count.
    """
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].map(lambda v: round(float(f"{v:.10g}"), 12) if pd.notna(v) else v)
    return out
