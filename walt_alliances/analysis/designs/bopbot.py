"""Balance of power against balance of threat, redefined, compared in sample and predicted.

The measures
------------
Both are scores of an undirected pair (i, j) of states in year *t*, built from the directed
threat panel (j's threat to i, :mod:`walt_alliances.measures.threat`).

Balance of power: aligning against the strongest state. Regional states and the superpowers
are handled separately: ``S_reg`` is the regional state with the largest CINC in *t*, ``S_sp``
the superpower with the larger CINC.

- ``bop_reg`` = min(share_i, share_j), where share_x = CINC_S / (CINC_S + CINC_x) is the
  strongest regional state's power advantage over x; 0 when S_reg is i or j.
- ``bop_with_strongest_reg`` = 1 when S_reg is i or j (aligning *with* the strongest).
- ``bop_sp`` and ``bop_with_strongest_sp``: the same for the stronger superpower.

Balance of threat: aligning against the single most threatening state, with all four components
from that same state, the superpowers again apart. ``bot_source`` is the third state k (k != i,
j; any state of the panel but the two superpowers) that maximises min(threat k->i, threat
k->j): the state that threatens both most. Then ``bot_power`` ... ``bot_intent`` = min over i
and j of k's power, proximity, offensive-power and intentions components towards them (the
``common_threat_*`` columns of the panel each pick their own k, so their four terms can come
from four different states; these cannot); ``bot_index`` is that min for the threat index
itself (used by the duration model). ``bot_superpower`` is the same min of the threat
index for the superpower that threatens both more (``bot_source_sp``). Without the split the
superpowers' power and reach make the USSR the shared threat of half the pairs.

Extension: outside states and non-state actors as the shared threat
--------------------------------------------------------------------
``bop_bot_measures(panel, non_state=True, outside_threats=...)`` lets two more kinds of actor
be the source k of the shared threat, for the threat calculation only (they are never i or j,
and the pairs, the BoP terms and the superpower term are unchanged): the states outside the
study (:data:`.outside.OUTSIDE_STATES`; their threat index and four components rebuilt from the
raw datasets by :func:`.outside.outside_threats`), and the non-state actors, whose threat to a
state is their coded hostile acts against it with power, proximity and offense counted 0
(:data:`.outside.NON_STATE_SOURCE_RULE`, the partner-choice rule). Either counts as a threat to
a state only where it borders it or has a hostile record towards it
(:data:`.outside.SOURCE_RULE`, applied by :func:`.outside.outside_threats` and, for the
non-state actors, by :func:`.outside.extra_threat_sources`): a distant power with no such
record is no threat, so it cannot be the shared threat of a pair on power and reach alone. A
study state wins a tie.
Non-state actors do not enter as pair members: a threat *to* a non-state actor, its power
relative to the strongest state and the controls (capital distance, contiguity) would all rest
on made-up values. The models fitted on these measures are reported beside the main ones with
the suffix ``_ext`` (``bot_redefined_aligned_ext`` in ``results.csv``, ``bot_ext_aligned`` in
``prediction.csv``); they are evaluated in sample (Vuong) and by the cross-validation and the
temporal hold-out, not on the Gulf extension (its outside threats would need a second rebuild).

The models (logit, undirected dyad-years of states, 1956 to the end of the coded period)
--------------------------------------------------------------------------------------------
``controls`` (contiguity, log capital distance, a superpower in the pair), ``lag`` (controls
and last year's alignment: the persistence baseline), ``bop`` (controls + the four BoP terms),
``bot`` (controls, the four BoT components and ``bot_superpower``). Outcomes: ``aligned`` (is
the pair aligned in *t*) and ``onset`` (a new alignment in *t* among pairs not aligned in
*t-1*; the persistence baseline is then constant, so it is replaced by ``history``: the pair
was aligned at some time before *t*). All models of one outcome are fitted on the same rows
(complete cases).

Comparison
----------
In sample: Vuong's (1989) test for non-nested models on the pointwise log-likelihoods, with the
Schwarz (BIC) correction for the number of parameters; positive favours BoT. It treats
pair-years as independent, which they are not, so read it with the out-of-sample results.
Out of sample (:func:`predict_evaluations`): leave-one-5-year-block-out cross-validation
(1956-1959, 1960-1964, ..., 1975-1979), a temporal hold-out (fit 1956-1969, predict
1970-1979), and the Gulf extension (fit 1956-1979, parameters frozen, predict 1980-1989 for
pairs with a Gulf or Southwest Asian state).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from .outside import THREAT_COLUMNS
from .scores import score_forecast

__all__ = [
    "BOP_TERMS",
    "BOT_TERMS",
    "CONTROLS",
    "GULF_STATES",
    "MODELS",
    "bop_bot_measures",
    "bop_bot_sample",
    "fit_logit_plain",
    "predict_evaluations",
    "vuong_test",
]

SUPERPOWERS = ("USA", "RUS")
CONTROLS: tuple[str, ...] = ("contiguous", "log_capdist", "superpower_in_pair")
BOP_TERMS: tuple[str, ...] = ("bop_reg", "bop_with_strongest_reg", "bop_sp",
                              "bop_with_strongest_sp")
BOT_TERMS: tuple[str, ...] = ("bot_power", "bot_proximity", "bot_offense", "bot_intent",
                              "bot_superpower")
_COMP = ("threat_power", "threat_proximity", "threat_offense", "threat_intent")

#: Model name -> (terms per outcome). ``lag`` is ``aligned_lag1`` for ``aligned`` and
#: ``ever_aligned`` (the pair's history) for ``onset``.
MODELS: dict[str, tuple[str, ...]] = {
    "controls": CONTROLS,
    "lag": (*CONTROLS, "LAG"),
    "bop": (*CONTROLS, *BOP_TERMS),
    "bot": (*CONTROLS, *BOT_TERMS),
}
LAG_TERM = {"aligned": "aligned_lag1", "onset": "ever_aligned"}

#: Gulf and Southwest Asian states: the extension's thematic scope (its README).
GULF_STATES = ("IRN", "IRQ", "SAU", "KUW", "BAH", "QAT", "UAE", "OMA", "YAR", "YPR", "YEM",
               "AFG", "PAK")

#: Expected signs of the key terms (BoP: against the strongest; BoT: against the shared threat).
EXPECTED: dict[str, int] = {"bop_reg": +1, "bop_sp": +1, "bop_with_strongest_reg": -1,
                            "bop_with_strongest_sp": -1, "bot_power": +1, "bot_proximity": +1,
                            "bot_offense": +1, "bot_intent": +1, "bot_superpower": +1}


def bop_bot_measures(panel: pd.DataFrame, *, non_state: bool = False,
                     outside_threats: pd.DataFrame | None = None) -> pd.DataFrame:
    """BoP and BoT scores of every undirected state pair-year (module docstring).

    Parameters
    ----------
    panel : pandas.DataFrame
        Directed dyad-year panel with ``kind1``, ``kind2``, ``cinc1``, the four threat
        components and ``threat_index`` (and ``hostile_by_j_prev5`` when ``non_state``).
    non_state : bool
        Let non-state actors be the source ``bot_source`` of the shared threat
        (:data:`.outside.NON_STATE_SOURCE_RULE`); never pair members.
    outside_threats : pandas.DataFrame, optional
        Threats of states outside the study with their components
        (:func:`.outside.outside_threats`): candidates for ``bot_source``; never pair
        members. With neither option the result is the states-only measure.

    Returns
    -------
    pandas.DataFrame
        ``actor1`` < ``actor2``, ``year``, the BoP and BoT terms, ``bop_strongest_reg``,
        ``bop_strongest_sp``, ``bot_source`` and ``bot_source_sp`` (actor ids; an outside
        state is ``COW:<abbreviation>``).
    """
    extra = None
    if non_state or outside_threats is not None:
        from .outside import extra_threat_sources

        extra = extra_threat_sources(panel, non_state=non_state,
                                     outside_threats=outside_threats)
    kinds = ("regional_state", "outside_power", "superpower")
    ok = (panel["kind1"].isin(kinds) & panel["kind2"].isin(kinds)).to_numpy()
    names, codes = np.unique(np.concatenate([panel["actor1"].to_numpy()[ok].astype(str),
                                             panel["actor2"].to_numpy()[ok].astype(str)]),
                             return_inverse=True)
    n_ok = int(ok.sum())
    c1, c2 = codes[:n_ok], codes[n_ok:]
    yr = panel["year"].to_numpy()[ok]
    def num(c: str) -> np.ndarray:
        return panel[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan)[ok]
    vals = np.column_stack([num(c) for c in ("threat_index", *_COMP)])  # k's threat to a
    cinc1 = num("cinc1")
    kind = np.empty(len(names), dtype=object)
    kind[c1] = panel["kind1"].to_numpy()[ok]
    is_sp = np.isin(names, SUPERPOWERS)
    cols: dict[str, list[np.ndarray]] = {}
    for year in np.unique(yr):
        sel = yr == year
        present = np.unique(np.concatenate([c1[sel], c2[sel]]))
        n = len(present)
        local = np.full(len(names), -1)
        local[present] = np.arange(n)
        src_names = names[present]
        T = np.full((n, n, len(_COMP) + 1), np.nan)  # T[k, a]: k's threat to a
        T[local[c2[sel]], local[c1[sel]]] = vals[sel]
        if extra is not None:  # sources that are never pair members, after the states
            T, src_names = _add_sources(T, src_names, names, local, extra, int(year))
        cinc = np.full(n, np.nan)
        cinc[local[c1[sel]]] = cinc1[sel]
        knd = kind[present]
        ii, jj = np.triu_indices(n, 1)
        pr = np.arange(len(ii))
        out: dict[str, np.ndarray] = {"actor1": names[present][ii],
                                      "actor2": names[present][jj],
                                      "year": np.full(len(ii), int(year))}
        for tag, group in (("reg", "regional_state"), ("sp", "superpower")):
            cand = np.flatnonzero((knd == group) & np.isfinite(cinc))
            s = cand[np.argmax(cinc[cand])] if len(cand) else -1
            with np.errstate(invalid="ignore", divide="ignore"):
                share = cinc[s] / (cinc[s] + cinc) if s >= 0 else np.full(n, np.nan)
            inpair = (ii == s) | (jj == s)
            out[f"bop_{tag}"] = np.where(inpair, 0.0, np.minimum(share[ii], share[jj]))
            out[f"bop_with_strongest_{tag}"] = inpair.astype("float64")
            out[f"bop_strongest_{tag}"] = np.full(len(ii), names[present][s] if s >= 0 else "",
                                                  dtype=object)
        Tm = np.where(np.isnan(T[:, :, 0]), -np.inf, T[:, :, 0])
        M = np.minimum(Tm[:, ii], Tm[:, jj])  # [k, pair]: both feel k's threat
        M[ii, pr] = -np.inf
        M[jj, pr] = -np.inf
        sp = np.zeros(len(src_names), dtype=bool)
        sp[:n] = is_sp[present]
        Mr = np.where(sp[:, None], -np.inf, M)  # sources other than the superpowers
        k = Mr.argmax(axis=0)
        found = np.isfinite(Mr[k, pr])
        out["bot_source"] = np.where(found, src_names[k], "").astype(object)
        out["bot_index"] = np.where(found, M[k, pr], np.nan)
        for m, comp in enumerate(_COMP, start=1):
            v = np.minimum(T[k, ii, m], T[k, jj, m])
            out[comp.replace("threat_", "bot_")] = np.where(found, v, np.nan)
        Ms = np.where(sp[:, None], M, -np.inf)
        best = Ms.max(axis=0)
        out["bot_superpower"] = np.where(np.isfinite(best), best, np.nan)
        out["bot_source_sp"] = np.where(np.isfinite(best), src_names[Ms.argmax(axis=0)],
                                        "").astype(object)
        for key, v in out.items():
            cols.setdefault(key, []).append(v)
    return pd.DataFrame({key: np.concatenate(v) for key, v in cols.items()})


def _add_sources(T: np.ndarray, src_names: np.ndarray, names: np.ndarray, local: np.ndarray,
                 extra: pd.DataFrame, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Append to ``T[k, a]`` the extra sources' threats in ``year`` to the pair members."""
    x = extra[(extra["year"] == year).to_numpy()]
    pos = np.searchsorted(names, x["actor1"].to_numpy().astype(str))
    pos = np.minimum(pos, len(names) - 1)
    hit = names[pos] == x["actor1"].to_numpy().astype(str)
    a = np.where(hit, local[pos], -1)
    keep = a >= 0  # threatened actor is a pair member this year
    x, a = x[keep], a[keep]
    if not len(x):
        return T, src_names
    new, k = np.unique(x["actor2"].to_numpy().astype(str), return_inverse=True)
    clash = sorted(set(new) & set(names))
    if clash:
        raise ValueError(f"bop_bot_measures: extra threat sources {clash} are also states of "
                         "the panel; outside and non-state sources are never pair members")
    n = T.shape[1]
    E = np.full((len(new), n, T.shape[2]), np.nan)
    E[k, a] = x[list(THREAT_COLUMNS)].to_numpy(dtype=float)
    return np.concatenate([T, E]), np.concatenate([src_names, new])


def bop_bot_sample(panel: pd.DataFrame, *, first_year: int | None = None,
                   measures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Undirected state pair-years with the outcomes, controls, baselines and BoP/BoT terms.

    Parameters
    ----------
    panel : pandas.DataFrame
        Directed dyad-year panel from
        :func:`walt_alliances.analysis.designs.build_panel`.
    first_year : int, optional
        Drop earlier years (default: the panel's first year + 1, so that last year's
        alignment is known).
    measures : pandas.DataFrame, optional
        :func:`bop_bot_measures` of ``panel`` when already computed (they do not depend on
        alignment status, so resamples reuse them).

    Returns
    -------
    pandas.DataFrame
        ``actor_a``, ``actor_b``, ``year``, ``cluster`` (pair id), ``aligned``, ``onset``
        (missing where the pair was aligned in *t-1*), ``aligned_lag1``, ``ever_aligned``,
        the controls, BoP and BoT terms; rows with every term observed; ``_row`` and
        ``_prev``: positions in ``panel`` of the pair-year and of its previous year.
    """
    und = (panel["actor1"] < panel["actor2"]).to_numpy()
    base = panel[und]
    base = base[["actor1", "actor2", "year", "aligned", "onset", "contiguous",
                 "log_capdist"]].copy()
    base["_row"] = np.flatnonzero(und)
    m = bop_bot_measures(panel) if measures is None else measures
    d = base.merge(m, on=["actor1", "actor2", "year"], how="inner")
    lag = base[["actor1", "actor2", "year", "aligned"]].assign(year=base["year"] + 1)
    d = d.merge(lag.rename(columns={"aligned": "aligned_lag1"}),
                on=["actor1", "actor2", "year"], how="left")
    prev = base[["actor1", "actor2", "year", "_row"]].assign(year=base["year"] + 1)
    d = d.merge(prev.rename(columns={"_row": "_prev"}), on=["actor1", "actor2", "year"],
                how="left")
    d["_prev"] = d["_prev"].fillna(-1).astype("int64")
    d = d.sort_values(["actor1", "actor2", "year"], kind="mergesort")
    al = d["aligned"].astype("float64").fillna(0)
    before = al.groupby([d["actor1"], d["actor2"]]).cumsum() - al
    d["ever_aligned"] = (before > 0).astype("float64")
    d["superpower_in_pair"] = (d["actor1"].isin(SUPERPOWERS)
                               | d["actor2"].isin(SUPERPOWERS)).astype("float64")
    start = first_year if first_year is not None else int(panel["year"].min()) + 1
    d = d[(d["year"] >= start).to_numpy()]
    terms = list(dict.fromkeys([*CONTROLS, *BOP_TERMS, *BOT_TERMS, "aligned_lag1"]))
    d = d.dropna(subset=["aligned", *terms])
    for c in terms:
        d[c] = d[c].astype("float64")
    d["aligned"] = d["aligned"].astype("int64")
    d["onset"] = d["onset"].astype("float64").where(d["aligned_lag1"] == 0)
    d = d.rename(columns={"actor1": "actor_a", "actor2": "actor_b"})
    d["cluster"] = d["actor_a"] + "-" + d["actor_b"]
    return d.sort_values(["year", "actor_a", "actor_b"], kind="mergesort").reset_index(drop=True)


def model_terms(model: str, outcome: str) -> list[str]:
    """The terms of ``model`` (a key of :data:`MODELS`) for ``outcome``."""
    return [LAG_TERM[outcome] if t == "LAG" else t for t in MODELS[model]]


def outcome_rows(sample: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The rows of ``sample`` where ``outcome`` is defined (the at-risk set for onset)."""
    d = sample[sample[outcome].notna().to_numpy()].copy()
    d[outcome] = d[outcome].astype("int64")
    return d


def fit_logit_plain(d: pd.DataFrame, outcome: str, terms: list[str]) -> Any:
    """Maximum-likelihood logit (statsmodels, Newton) with an intercept; no separation fix.

    The model-based variance is attached; inference for reporting is added by the caller.
    """
    return _fit_xy(d[outcome].to_numpy(dtype="float64"), d[terms].to_numpy(dtype="float64"))


def _fit_xy(y: np.ndarray, X: np.ndarray) -> Any:
    """:func:`fit_logit_plain` on arrays (``X`` without the intercept).

    ``X`` is made column-major, the layout of a frame's ``to_numpy()``: the BLAS sums then run
    in the same order, so the fit and its predictions are the same to the last bit (ties in
    the AUC depend on it).
    """
    Xc = sm.add_constant(np.asfortranarray(X), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.Logit(y, Xc, check_rank=False).fit(disp=0, method="newton", maxiter=100)


def _predict(res: Any, d: pd.DataFrame, terms: list[str]) -> np.ndarray:
    return _predict_x(res, d[terms].to_numpy(dtype="float64"))


def _predict_x(res: Any, X: np.ndarray) -> np.ndarray:
    return np.asarray(res.predict(sm.add_constant(np.asfortranarray(X), has_constant="add")))


def vuong_test(ll1: np.ndarray, ll2: np.ndarray, k1: int, k2: int) -> dict[str, float]:
    """Vuong's (1989) non-nested test of model 2 against model 1.

    Parameters
    ----------
    ll1, ll2 : ndarray
        Pointwise log-likelihoods of the two models on the same observations.
    k1, k2 : int
        Numbers of parameters.

    Returns
    -------
    dict
        ``statistic`` (positive favours model 2) and two-sided ``p_value`` under the
        standard normal, both uncorrected and with the Schwarz (BIC) correction
        ``(k2 - k1) / 2 * log(n)`` subtracted from the summed differences
        (``statistic_bic``, ``p_value_bic``); ``n``.
    """
    m = np.asarray(ll2, float) - np.asarray(ll1, float)
    n = len(m)
    sd = m.std(ddof=0)  # Vuong's omega-hat: the population form
    z = m.sum() / (np.sqrt(n) * sd)
    zb = (m.sum() - (k2 - k1) / 2 * np.log(n)) / (np.sqrt(n) * sd)
    return {"statistic": float(z), "p_value": float(2 * stats.norm.sf(abs(z))),
            "statistic_bic": float(zb), "p_value_bic": float(2 * stats.norm.sf(abs(zb))),
            "n": float(n)}


def pointwise_loglik(res: Any, d: pd.DataFrame, outcome: str, terms: list[str]) -> np.ndarray:
    """Log-likelihood of each observation under a fitted logit."""
    p = np.clip(_predict(res, d, terms), 1e-300, 1 - 1e-16)
    y = d[outcome].to_numpy(dtype="float64")
    return np.asarray(y * np.log(p) + (1 - y) * np.log1p(-p))


def block_folds(years: np.ndarray, blocks: Iterable[tuple[int, int]]
                ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Leave-one-block-out folds: (train mask, test mask) per block of years."""
    out = []
    for lo, hi in blocks:
        test = (years >= lo) & (years <= hi)
        out.append((~test, test))
    return out


CV_BLOCKS = ((1956, 1959), (1960, 1964), (1965, 1969), (1970, 1974), (1975, 1979))


def predict_evaluations(sample: pd.DataFrame, gulf_sample: pd.DataFrame | None = None,
                        outcomes: Iterable[str] = ("aligned", "onset"), *,
                        suffix: str = "") -> pd.DataFrame:
    """``prediction.csv``: every model under every evaluation.

    Parameters
    ----------
    sample : pandas.DataFrame
        :func:`bop_bot_sample` of the study (1956-1979).
    gulf_sample : pandas.DataFrame, optional
        :func:`bop_bot_sample` of the study with the Gulf extension (1956-1990); omitted, the
        ``gulf_1979_1990`` rows are left out.
    outcomes : iterable of str
        ``aligned`` and/or ``onset``.
    suffix : str
        Appended to the model's name (``bot_ext_aligned`` with ``suffix="_ext"``).

    Returns
    -------
    pandas.DataFrame
        ``model`` (``<model><suffix>_<outcome>``), ``evaluation`` (``cv_5y_blocks``,
        ``holdout_1970_1979``, ``gulf_1979_1990``), ``auc``, ``brier``, ``log_score``,
        ``n``, ``events``.
    """
    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        d = outcome_rows(sample, outcome)
        yrs = d["year"].to_numpy()
        rows += _score_models(d, outcome, "cv_5y_blocks", block_folds(yrs, CV_BLOCKS), suffix)
        rows += _score_models(d, outcome, "holdout_1970_1979",
                              [(yrs <= 1969, yrs >= 1970)], suffix)
        if gulf_sample is not None:
            g = outcome_rows(gulf_sample, outcome)
            gy = g["year"].to_numpy()
            train = g[(gy <= 1979)]
            inscope = (g["actor_a"].isin(GULF_STATES) | g["actor_b"].isin(GULF_STATES))
            test = g[((gy >= 1980) & (gy <= 1989) & inscope.to_numpy())]
            rows += _score_frozen(train, test, outcome, "gulf_1979_1990", suffix)
    return pd.DataFrame(rows, columns=["model", "evaluation", "auc", "brier", "log_score", "n",
                                       "events"])


def _score_models(d: pd.DataFrame, outcome: str, evaluation: str,
                  folds: list[tuple[np.ndarray, np.ndarray]], suffix: str = ""
                  ) -> list[dict[str, Any]]:
    rows = []
    y = d[outcome].to_numpy()
    yf = d[outcome].to_numpy(dtype="float64")
    for model in MODELS:
        terms = model_terms(model, outcome)
        X = d[terms].to_numpy(dtype="float64")  # arrays, not frames: the folds cost less
        ys, ps = [], []
        for train, test in folds:
            res = _fit_xy(yf[train], X[train])
            ys.append(y[test])
            ps.append(_predict_x(res, X[test]))
        rows.append({"model": f"{model}{suffix}_{outcome}", "evaluation": evaluation,
                     **score_forecast(np.concatenate(ys), np.concatenate(ps))})
    return rows


def _score_frozen(train: pd.DataFrame, test: pd.DataFrame, outcome: str,
                  evaluation: str, suffix: str = "") -> list[dict[str, Any]]:
    rows = []
    for model in MODELS:
        terms = model_terms(model, outcome)
        res = fit_logit_plain(train, outcome, terms)
        rows.append({"model": f"{model}{suffix}_{outcome}", "evaluation": evaluation,
                     **score_forecast(test[outcome].to_numpy(), _predict(res, test, terms))})
    return rows


def compare_in_sample(sample: pd.DataFrame, outcomes: Iterable[str] = ("aligned", "onset"),
                      fit: Callable[..., Any] = fit_logit_plain) -> pd.DataFrame:
    """Vuong test of BoT against BoP, per outcome, with each model's log-likelihood and AIC."""
    rows = []
    for outcome in outcomes:
        d = outcome_rows(sample, outcome)
        fits, lls = {}, {}
        for model in ("bop", "bot"):
            terms = model_terms(model, outcome)
            fits[model] = fit(d, outcome, terms)
            lls[model] = pointwise_loglik(fits[model], d, outcome, terms)
        v = vuong_test(lls["bop"], lls["bot"], len(fits["bop"].params), len(fits["bot"].params))
        rows.append({"outcome": outcome, "n": int(len(d)), "events": int(d[outcome].sum()),
                     "loglik_bop": float(fits["bop"].llf), "loglik_bot": float(fits["bot"].llf),
                     "aic_bop": float(fits["bop"].aic), "aic_bot": float(fits["bot"].aic),
                     "vuong_statistic": v["statistic"], "vuong_p_value": v["p_value"],
                     "vuong_statistic_bic": v["statistic_bic"],
                     "vuong_p_value_bic": v["p_value_bic"]})
    return pd.DataFrame(rows)
