"""Pan-Arabism as divisive: a hazard model of how long alignments between two states last.

Walt's claim that pan-Arab ideology divides rather than unites is a claim about duration:
alignments between regimes that both claim to lead the Arab nation should break up sooner.
:func:`alignment_spells` turns the panel into pair alignment spells in counting-process form
(one row per spell-year: ``start``, ``stop``, ``event``) and :func:`fit_cox` fits a Cox model
with time-varying covariates (statsmodels ``PHReg``, Efron ties, delayed entry), the same model
as R's ``coxph(Surv(start, stop, event) ~ ..., ties = "efron")``; it is checked against R in
``tests/analysis/test_design_duration.py``.

Spells
------
A spell is a run of consecutive years in which two states share at least one alignment
(``aligned``). It ends (``event = 1``) in its last aligned year when the pair is not aligned in
the next year of the coded period; a spell still running in the period's last year is censored.
Analysis time is years since the spell began; a spell already running in the first year of the
period (left-censored) begins at the earliest start of the alignments the pair shares in that
year, and enters the risk set late (delayed entry) rather than being treated as new.

Covariates (year *t* of the spell)
----------------------------------
``pan_arab_pair``
    Both regimes pan-Arab (Nasserist or Ba'thist): Walt's divisive ideology (expected: ends
    sooner, a positive coefficient).
``same_family``
    Same regime family, where families ``other`` and ``military`` never count as the same
    family (they name no shared ideology).
``threat_fading``
    How much the pair's common threat has fallen since the spell began: ``bot_index`` at the
    spell's first year minus ``bot_index`` in *t* (``bot_index``: min of the threat from the
    non-superpower state that threatens both most; see :mod:`.bopbot`). Balance of threat
    expects alignments to end as the threat fades (positive).
``multilateral``
    Every alignment the pair shares in *t* has more than two members.

The errors are clustered by pair (robust sandwich, as ``coxph(..., cluster = pair)``).

With outside states and non-state actors
----------------------------------------
``h3_duration_pair_alignment_ext`` is the same model with ``threat_fading`` computed from the
``bot_index`` of ``bop_bot_measures(panel, non_state=True, outside_threats=...)``: the common
threat may then come from a state outside the study or from a non-state actor (rules in
:mod:`.outside`); the spells and the other covariates are the same. Pass those measures to
:func:`alignment_spells`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.duration.hazard_regression import PHReg

from walt_alliances.panels.verbs import PAN_ARAB

__all__ = ["DURATION_EXPECTED", "DURATION_TERMS", "MEMBERSHIP_EXPECTED", "MEMBERSHIP_TERMS",
           "CoxFit", "alignment_spells", "cox_score_residuals", "fit_cox", "membership_spells",
           "spell_base", "spells_from"]

DURATION_TERMS: tuple[str, ...] = ("pan_arab_pair", "same_family", "threat_fading",
                                   "multilateral")
DURATION_EXPECTED: dict[str, int] = {"pan_arab_pair": +1, "threat_fading": +1}
NOT_A_SHARED_IDEOLOGY = ("other", "military")


def spell_base(panel: pd.DataFrame, measures: pd.DataFrame, *,
               period: tuple[int, int]) -> pd.DataFrame:
    """The undirected state pair-years spells are cut from, sorted by pair and year.

    Everything that does not depend on alignment status: ``_row`` (position in ``panel``),
    ``same_pair`` (the previous row is the same pair in the previous year) and the covariates
    ``same_family``, ``pan_arab_pair``, ``bot_index``.
    """
    p0, p1 = period
    kinds = ("regional_state", "outside_power", "superpower")
    ok = ((panel["actor1"] < panel["actor2"]).to_numpy()
          & panel["kind1"].isin(kinds).to_numpy() & panel["kind2"].isin(kinds).to_numpy()
          & panel["year"].between(p0, p1).to_numpy())
    d = panel[["actor1", "actor2", "year", "family1", "family2", "ideo_pan_arab_pair"]][ok]
    d = d.assign(_row=np.flatnonzero(ok))
    d = d.merge(measures[["actor1", "actor2", "year", "bot_index"]],
                on=["actor1", "actor2", "year"], how="left")
    d = d.sort_values(["actor1", "actor2", "year"], kind="mergesort").reset_index(drop=True)
    d["same_pair"] = (d["actor1"].eq(d["actor1"].shift()) & d["actor2"].eq(d["actor2"].shift())
                      & d["year"].eq(d["year"].shift() + 1)).to_numpy()
    f1, f2 = d["family1"].astype("string"), d["family2"].astype("string")
    same = (f1 == f2) & ~f1.isin(NOT_A_SHARED_IDEOLOGY)
    d["same_family"] = same.astype("float64").where(f1.notna() & f2.notna())
    d["pan_arab_pair"] = d["ideo_pan_arab_pair"].astype("float64")
    d["bot_index"] = d["bot_index"].astype("float64")
    return d.drop(columns=["family1", "family2", "ideo_pan_arab_pair"])


def spells_from(base: pd.DataFrame, aligned: np.ndarray, multilateral: np.ndarray,
                first_start: np.ndarray, *, period: tuple[int, int],
                terms: tuple[str, ...] = DURATION_TERMS) -> pd.DataFrame:
    """Cut spells from :func:`spell_base` given alignment status per base row.

    ``aligned`` (bool), ``multilateral`` (1.0 if every shared alignment has more than two
    members) and ``first_start`` (the earliest start year of the shared alignments; NaN if
    none) are arrays over the base rows.
    """
    p0, p1 = period
    al = np.asarray(aligned, dtype=bool)
    prev_al = np.concatenate([[False], al[:-1]]) & base["same_pair"].to_numpy()
    spell_no = np.cumsum(al & ~prev_al)
    idx = np.flatnonzero(al)
    n = len(idx)
    sp = spell_no[idx]
    # a spell is a run of consecutive rows (same pair, consecutive years, in year order)
    new = np.ones(n, dtype=bool)
    new[1:] = sp[1:] != sp[:-1]
    last = np.ones(n, dtype=bool)
    last[:-1] = sp[:-1] != sp[1:]
    first_row = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    year = base["year"].to_numpy()[idx]
    first_year = year[first_row]
    left = first_year == p0
    # a spell running in the period's first year began with its earliest shared alignment
    fs = np.asarray(first_start, dtype=float)[idx]
    origin = np.where(left, np.fmin(fs[first_row], p0), first_year).astype(float)
    bi = base["bot_index"].to_numpy(dtype=float)[idx]
    # the spell's first observed common threat (pandas' groupby "first" skips missing values)
    pos = np.where(np.isfinite(bi), np.arange(n), n)
    first_ok = (np.minimum.reduceat(pos, np.flatnonzero(new))[np.cumsum(new) - 1]
                if n else pos)
    bi_first = np.where(first_ok < n, bi[np.minimum(first_ok, max(n - 1, 0))], np.nan)
    d = base[["actor1", "actor2", "year"]].iloc[idx].rename(
        columns={"actor1": "actor_a", "actor2": "actor_b"})
    made = {"start": (year - origin).astype("float64"),
            "event": (last & (year < p1)).astype("int64"),
            "threat_fading": bi_first - bi,
            "multilateral": np.asarray(multilateral)[idx],
            "spell": sp, "left_censored": left.astype("int64")}
    made["stop"] = made["start"] + 1.0
    for c in ("start", "stop", "event", *terms):
        d[c] = made[c] if c in made else base[c].to_numpy()[idx]
    d["cluster"] = d["actor_a"] + "-" + d["actor_b"]
    d["spell"] = made["spell"]
    d["left_censored"] = made["left_censored"]
    d = d.dropna(subset=list(terms))
    cols = ["start", "stop", "event", *terms, "actor_a", "actor_b", "year", "cluster", "spell",
            "left_censored"]
    return d[cols].reset_index(drop=True)


def alignment_spells(panel: pd.DataFrame, measures: pd.DataFrame,
                     alignment_starts: Mapping[str, int],
                     alignment_sizes: Mapping[str, int], *, period: tuple[int, int],
                     terms: tuple[str, ...] = DURATION_TERMS) -> pd.DataFrame:
    """Pair alignment spells in counting-process form (the saved sample).

    Parameters
    ----------
    panel : pandas.DataFrame
        Prepared directed dyad-year panel (alignment and ideology added).
    measures : pandas.DataFrame
        :func:`walt_alliances.analysis.designs.bopbot.bop_bot_measures` of the same panel
        (with ``non_state`` and ``outside_threats`` for the ``_ext`` model).
    alignment_starts : mapping
        Alignment id -> start year (for spells running at the period's start).
    alignment_sizes : mapping
        Alignment id -> number of members.
    period : (int, int)
        First and last year of the coded period.
    terms : tuple of str
        Covariates to keep.

    Returns
    -------
    pandas.DataFrame
        ``start``, ``stop``, ``event``, the covariates, ``actor_a``, ``actor_b``, ``year``,
        ``cluster`` (pair id), ``spell`` (spell id), ``left_censored``.
    """
    base = spell_base(panel, measures, period=period)
    rows = base["_row"].to_numpy()
    aligned = panel["aligned"].astype("Float64").fillna(0).to_numpy(dtype=float)[rows] == 1
    ids = panel["alignment_ids"].astype("string").fillna("").to_numpy(dtype=object)[rows]
    lists = [[a for a in str(s).split(";") if a] for s in ids]
    multi = np.array([float(bool(x) and all(alignment_sizes.get(a, 2) > 2 for a in x))
                      for x in lists])
    first = np.array([min(alignment_starts[a] for a in x) if x else np.nan for x in lists],
                     dtype=float)
    return spells_from(base, aligned, multi, first, period=period, terms=terms)


MEMBERSHIP_TERMS: tuple[str, ...] = ("pan_arab_member", "threat_fading", "multilateral")
MEMBERSHIP_EXPECTED: dict[str, int] = {"pan_arab_member": +1, "threat_fading": +1}


def membership_spells(panel: pd.DataFrame, measures: pd.DataFrame,
                      memberships: pd.DataFrame, *, period: tuple[int, int],
                      terms: tuple[str, ...] = MEMBERSHIP_TERMS) -> pd.DataFrame:
    """Memberships of states in alignments, in counting-process form (membership termination).

    One row per membership-year from the member's start (analysis time 0 in its first year;
    a membership begun before the period enters late) to its end, or to the period's last year
    (censored). ``event`` = 1 in the year the membership ends, whether the member left or the
    alignment dissolved. Covariates in year *t*: ``pan_arab_member`` (the member's regime is
    pan-Arab, Nasserist or Ba'thist, and so is another member's), ``threat_fading`` (the mean,
    over the member's partners in the alignment, of ``bot_index`` at the membership's first
    observed year minus in *t*), ``multilateral`` (more than two members in *t*). Members
    without a regime family or a threat score in a year (non-state actors, or a member left
    alone in an alignment) are left out of that year.

    Returns
    -------
    pandas.DataFrame
        ``start``, ``stop``, ``event``, the covariates, ``actor_a`` (the member), ``actor_b``
        (the alignment id), ``year``, ``cluster`` (the alignment id), ``spell``.
    """
    p0, p1 = period
    ms = memberships[["alignment_id", "actor_id", "start_first_day", "end_last_day"]].copy()
    ms["y0"] = pd.to_datetime(ms["start_first_day"]).dt.year
    ms["y1"] = pd.to_datetime(ms["end_last_day"]).dt.year
    ms["spell"] = np.arange(len(ms))
    rows: list[tuple[Any, ...]] = []
    for r in ms.itertuples(index=False):
        last = p1 if pd.isna(r.y1) else min(int(r.y1), p1)
        rows.extend((r.spell, r.alignment_id, r.actor_id, int(r.y0), y,
                     int(not pd.isna(r.y1) and int(r.y1) == y and y <= p1))
                    for y in range(max(int(r.y0), p0), last + 1))
    d = pd.DataFrame(rows, columns=["spell", "alignment_id", "actor_id", "y0", "year", "event"])
    fam = panel.drop_duplicates(["actor1", "year"])[["actor1", "year", "family1"]]
    fam = fam.rename(columns={"actor1": "actor_id", "family1": "family"})
    d = d.merge(fam, on=["actor_id", "year"], how="left")
    known = d["family"].notna().to_numpy()
    d["pan"] = d["family"].astype("string").isin(PAN_ARAB).fillna(False).astype(bool)
    g = d.groupby(["alignment_id", "year"])
    n_pan = g["pan"].transform("sum").to_numpy()
    d["pan_arab_member"] = np.where(known, (d["pan"].to_numpy() & (n_pan >= 2)).astype(float),
                                    np.nan)
    d["multilateral"] = (g["actor_id"].transform("size") > 2).astype("float64")
    # mean shared threat with the partners in the alignment
    pairs = d[["alignment_id", "year", "actor_id", "spell"]].merge(
        d[["alignment_id", "year", "actor_id"]].rename(columns={"actor_id": "partner"}),
        on=["alignment_id", "year"])
    pairs = pairs[pairs["actor_id"] != pairs["partner"]]
    a = np.where(pairs["actor_id"] < pairs["partner"], pairs["actor_id"], pairs["partner"])
    b = np.where(pairs["actor_id"] < pairs["partner"], pairs["partner"], pairs["actor_id"])
    pairs = pairs.assign(actor1=a, actor2=b).merge(
        measures[["actor1", "actor2", "year", "bot_index"]], on=["actor1", "actor2", "year"],
        how="left")
    mean_t = pairs.groupby(["spell", "year"])["bot_index"].mean().rename("shared")
    d = d.merge(mean_t.reset_index(), on=["spell", "year"], how="left")
    d = d.sort_values(["spell", "year"], kind="mergesort")
    d["threat_fading"] = d.groupby("spell")["shared"].transform("first") - d["shared"]
    d["start"] = (d["year"] - d["y0"]).astype("float64")
    d["stop"] = d["start"] + 1.0
    d = d.rename(columns={"actor_id": "actor_a"})
    d["actor_b"] = d["alignment_id"]
    d["cluster"] = d["alignment_id"]
    d = d.dropna(subset=list(terms))
    cols = ["start", "stop", "event", *terms, "actor_a", "actor_b", "year", "cluster", "spell"]
    return d[cols].reset_index(drop=True)


@dataclass(frozen=True)
class CoxFit:
    """A fitted Cox model: model-based and pair-clustered errors."""

    params: pd.Series
    bse_model: pd.Series
    bse_cluster: pd.Series
    loglik: float
    n: int
    events: int
    n_spells: int
    n_clusters: int
    result: Any


def cox_score_residuals(start: np.ndarray, stop: np.ndarray, event: np.ndarray, X: np.ndarray,
                        beta: np.ndarray) -> np.ndarray:
    """Score residuals of a Cox model on counting-process data, Efron ties.

    A row is at risk at failure time t when ``start < t <= stop`` (R's rule). For a failure
    time with d tied deaths D and risk set R, Efron's approximation uses, for l = 0..d-1, the
    denominators ``S_l = sum_R r - (l/d) sum_D r`` and means ``xbar_l``; a row's residual is
    its observed minus its expected contribution: ``event * (x - mean_l xbar_l)`` minus
    ``r * sum_l c_l (x - xbar_l) / S_l`` over the failure times it is at risk at (``c_l`` = 1,
    or ``1 - l/d`` for the rows dying at t). Summed within clusters they give the robust
    (sandwich) variance of R's ``coxph(..., cluster = )`` (Therneau and Grambsch 2000, ch. 7).
    statsmodels' ``PHReg.score_residuals`` is not used because it is undefined (NaN) for rows
    entering after the last failure time and ignores delayed entry in the expected part.
    """
    r = np.exp(X @ beta)
    n, k = X.shape
    resid = np.zeros((n, k))
    fail_times = np.unique(stop[event == 1])
    for t in fail_times:
        risk = (start < t) & (stop >= t)
        dead = risk & (stop == t) & (event == 1)
        d = int(dead.sum())
        rr, xr = r[risk], X[risk]
        s_all, sx_all = rr.sum(), rr @ xr
        s_dead, sx_dead = r[dead].sum(), r[dead] @ X[dead]
        fr = np.arange(d) / d
        denom = s_all - fr * s_dead  # (d,)
        xbar = (sx_all[None, :] - fr[:, None] * sx_dead[None, :]) / denom[:, None]  # (d, k)
        resid[dead] += X[dead] - xbar.mean(axis=0)[None, :]
        idx = np.flatnonzero(risk)
        is_dead = dead[idx]
        # c_l / S_l for survivors and for the dying rows
        w_surv = 1.0 / denom
        w_dead = (1.0 - fr) / denom
        xi = X[idx]
        for w, rows in ((w_surv, ~is_dead), (w_dead, is_dead)):
            if not rows.any():
                continue
            # sum_l w_l (x - xbar_l) = x * sum_l w_l - sum_l w_l xbar_l
            term = xi[rows] * w.sum() - (w @ xbar)[None, :]
            resid[idx[rows]] -= r[idx[rows]][:, None] * term
    return resid


def fit_cox(sample: pd.DataFrame, terms: tuple[str, ...] = DURATION_TERMS, *,
            point_only: bool = False, start_params: np.ndarray | None = None) -> CoxFit:
    """Fit the Cox model on counting-process rows (Efron ties, delayed entry).

    Parameters
    ----------
    sample : pandas.DataFrame
        From :func:`alignment_spells` (``start``, ``stop``, ``event``, the terms,
        ``cluster``, ``spell``); integer times.
    terms : tuple of str
        Covariates.
    point_only : bool
        Skip the standard errors (NaN), for resampling.
    start_params : ndarray, optional
        Start of the Newton iterations (e.g. the estimate on all records), for resampling.

    Returns
    -------
    CoxFit
        Estimates; model-based errors; robust errors clustered by pair, as R's
        ``coxph(..., cluster = pair)`` (no small-sample factor).

    Notes
    -----
    statsmodels counts a row as at risk at a failure time equal to its entry time (Stata's
    rule); R, and the counting-process definition, do not. With integer times the R rule is
    obtained by passing ``start + 0.5`` as the entry time, which changes no other risk set.
    """
    X = sample[list(terms)].to_numpy(dtype="float64")
    start = sample["start"].to_numpy(dtype="float64")
    stop = sample["stop"].to_numpy(dtype="float64")
    status = sample["event"].to_numpy(dtype="float64")
    if not (np.allclose(start, np.round(start)) and np.allclose(stop, np.round(stop))):
        raise ValueError("fit_cox: start and stop must be whole numbers (years)")
    model = PHReg(stop, X, status=status, entry=start + 0.5, ties="efron")
    res = model.fit(disp=0, start_params=start_params)
    beta = np.asarray(res.params)
    if point_only:
        cov = vc = np.full((len(beta), len(beta)), np.nan)
    else:
        cov = np.linalg.inv(-model.hessian(beta))
        sr = cox_score_residuals(start, stop, status, X, beta)
        groups = pd.factorize(sample["cluster"])[0]
        g = np.zeros((groups.max() + 1, X.shape[1]))
        np.add.at(g, groups, sr)
        vc = cov @ (g.T @ g) @ cov
    return CoxFit(params=pd.Series(beta, index=list(terms)),
                  bse_model=pd.Series(np.sqrt(np.diag(cov)), index=list(terms)),
                  bse_cluster=pd.Series(np.sqrt(np.diag(vc)), index=list(terms)),
                  loglik=float(res.llf), n=int(len(sample)), events=int(status.sum()),
                  n_spells=int(sample["spell"].nunique()),
                  n_clusters=int(sample["cluster"].nunique()), result=res)
