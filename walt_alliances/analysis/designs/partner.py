"""Balancing against bandwagoning as a choice of partner: a conditional logit.

Walt's balancing and bandwagoning hypotheses are claims about *whom* a state aligns with: with
others threatened by the same state (balancing) or with the state that threatens it
(bandwagoning). :func:`partner_choice_sample` turns a directed dyad-year panel into choice sets
and :func:`fit_clogit` fits McFadden's conditional logit over them (statsmodels
``ConditionalLogit``, exact conditional likelihood, the same as R's ``survival::clogit`` with
``method = "exact"``; checked against it in ``tests/analysis/test_design_partner.py``).

Choice sets
-----------
``state_year`` (main)
    One stratum per regional state *i* and year *t* in which *i* formed at least one new
    alignment (``onset``) with some partner. Alternatives: every state *j* existing in *t* that
    was not aligned with *i* in *t-1* (the partners at risk of a new alignment) and has the
    attributes below. Chosen: the *j* with an alignment onset with *i* in *t* (several chosen
    partners in one stratum are allowed: the exact conditional likelihood handles them).
``accession``
    One stratum per membership of a regional state *i* in an alignment *A* (the day *i* joined
    *A*, or founded it). Chosen: the other members of *A* on that day; alternatives: every
    state existing in that year with the attributes below.

Partner attributes (of *j* for chooser *i* in year *t*)
--------------------------------------------------------
``is_top_threat``
    1 if *j* is *i*'s most threatening state: rank 1 of ``threat_index`` (j's threat to i)
    among all states with a threat score for *i* in *t* (ties: alphabetical actor id).
``shares_top_threat``
    1 if *j*'s most threatening state is also *i*'s (and *j* is not that state).
``threat_index``
    j's threat to i (:mod:`walt_alliances.measures.threat`, default specification).
``cap_share_j``
    j's share of the summed CINC of the states in the panel in *t*.
``log_capdist``
    log(1 + capital distance in km).
``top_x_weak``
    ``is_top_threat`` times ``i_weak``: 1 if i's CINC share is below the median share of the
    regional states in *t*.
``top_x_few``
    ``is_top_threat`` times ``few_allies``: 1 if at most one state shares i's most
    threatening state (``allies_available`` <= 1).

Reading: balancing predicts a positive coefficient on ``shares_top_threat`` and a negative one
on ``is_top_threat``; bandwagoning a positive one on ``is_top_threat``, larger where i is weak
and few allies are available (positive interactions). Choosers are the regional states; the
superpowers and outside powers are partners, not choosers. Non-state actors and state-years
without a threat score (COW military expenditure missing, mostly 1955-1959) are not
alternatives.

Variance: the model-based (inverse information) errors, and errors clustered by the choosing
state (the strata of one state share its unobserved preferences), with the small-sample factor
G/(G-1) and a t reference on G-1 degrees of freedom.

What this variance cannot show: dependence across choosers through a shared partner (the
superpowers, for instance, are in every choice set, and an unmodelled pull of one partner
correlates the choices of many states). The dyadic-robust variance of the logits does not carry
over: the unit of a conditional logit is the choice set, whose score depends on every
alternative in it, so two alternatives that share no state are still dependent through their
choice sets, and splitting the scores by alternative breaks the estimator's assumption (tried
on the shipped data, it gave a negative variance for one term). The clustered errors are
therefore likely too small for the partner attributes; the readings say so. A sensitivity
model adds a constant for each partner (:func:`with_partner_effects`), which absorbs a
partner's lasting pull on every chooser (``partner_choice_state_year_partner_effects``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from statsmodels.discrete.conditional_models import ConditionalLogit

__all__ = [
    "PARTNER_EXPECTED",
    "PARTNER_HYPOTHESIS",
    "NON_STATE_RULE",
    "PARTNER_TERMS",
    "ClogitFit",
    "fit_clogit",
    "choice_sets",
    "partner_attributes",
    "partner_choice_sample",
    "with_partner_effects",
]

#: How non-state actors enter the partner choice when asked (``non_state=True``).
NON_STATE_RULE = (
    "A non-state actor's threat to a state is the intentions component alone: its coded hostile "
    "acts against the state in t-5..t-1 (datasets/hostile_acts.yaml) through the index's "
    "saturating map 1 - exp(-acts); it has no COW capabilities or capital, so its capability "
    "share is 0 and its distance the chooser-year's mean distance to the states, and an "
    "indicator non_state (a term of the model) absorbs what those rules miss. Non-state actors "
    "are partners and can be a state's most threatening actor; they are never choosers, and "
    "their own most threatening actor is undefined (shares_top_threat = 0).")

PARTNER_TERMS: tuple[str, ...] = ("is_top_threat", "shares_top_threat", "threat_index",
                                  "cap_share_j", "log_capdist", "top_x_weak", "top_x_few")

#: Key terms and their expected signs (balancing for H1; bandwagoning where Walt expects it
#: for H2).
PARTNER_EXPECTED: dict[str, int] = {"shares_top_threat": +1, "is_top_threat": -1,
                                    "top_x_weak": +1, "top_x_few": +1}
PARTNER_HYPOTHESIS: dict[str, str] = {"shares_top_threat": "H1", "is_top_threat": "H1",
                                      "top_x_weak": "H2", "top_x_few": "H2"}

Design = Literal["state_year", "accession"]


_KINDS = ("regional_state", "outside_power", "superpower")


def _state_rows(panel: pd.DataFrame) -> pd.DataFrame:
    ok = panel["kind1"].isin(_KINDS) & panel["kind2"].isin(_KINDS)
    return panel[ok.to_numpy()]


def partner_attributes(panel: pd.DataFrame, *, non_state: bool = False,
                       outside_threats: pd.DataFrame | None = None) -> pd.DataFrame:
    """Partner attributes for every directed state dyad-year with a threat score.

    Parameters
    ----------
    panel : pandas.DataFrame
        A directed dyad-year panel with alignment, capabilities, proximity and threat
        (:func:`walt_alliances.analysis.designs.build_panel`).
    non_state : bool
        Also let non-state actors be partners (and threats): see :data:`NON_STATE_RULE`.
    outside_threats : pandas.DataFrame, optional
        Threats of states outside the study (``actor1`` threatened, ``actor2`` source,
        ``year``, ``threat_index``; :func:`.outside.outside_threats`), ranked with the others
        when finding each state's most threatening state; never partners.

    Returns
    -------
    pandas.DataFrame
        ``actor1`` (i), ``actor2`` (j), ``year``, ``kind1``, ``aligned``, ``onset``,
        ``aligned_lag1`` and the attributes in the module docstring, plus ``top_threat`` (i's
        rank-1 state), ``cap_share_i``, ``i_weak``, ``allies_available``, ``few_allies``, and
        ``_row`` / ``_prev``: the positions in ``panel`` of the row and of the same pair's
        previous year (-1 if none), so resamples can update alignment status in place.
    """
    need = ["actor1", "actor2", "kind1", "kind2", "year", "aligned", "onset", "cinc1",
            "cinc2", "threat_index", "log_capdist"]
    lacking = [c for c in need if c not in panel]
    if lacking:
        raise KeyError(f"partner_attributes: the panel lacks {lacking}; build it with "
                       "walt_alliances.analysis.designs.build_panel()")
    pos = panel[["actor1", "actor2", "year"]].assign(_row=np.arange(len(panel)))
    prev = pos.assign(year=pos["year"] + 1).rename(columns={"_row": "_prev"})
    lag = panel[["actor1", "actor2", "year", "aligned"]].assign(year=panel["year"] + 1)
    lag = lag.rename(columns={"aligned": "aligned_lag1"})
    kinds2 = (*_KINDS, "non_state") if non_state else _KINDS
    ok = panel["kind1"].isin(_KINDS).to_numpy() & panel["kind2"].isin(kinds2).to_numpy()
    if non_state:
        need.append("hostile_by_j_prev5")
    d = panel[ok][need].copy()
    d["_row"] = np.flatnonzero(ok)
    d["non_state"] = (d["kind2"] == "non_state").astype("float64")
    if non_state:
        from .outside import non_state_threat

        acts = d["hostile_by_j_prev5"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        intent = non_state_threat(acts)  # the rule shared with the balance-of-threat design
        ns = d["non_state"].to_numpy() == 1
        d["threat_index"] = np.where(ns, intent, d["threat_index"].astype("float64"))
    d = d.merge(lag, on=["actor1", "actor2", "year"], how="left")
    d = d.merge(prev, on=["actor1", "actor2", "year"], how="left")
    d["_prev"] = d["_prev"].fillna(-1).astype("int64")
    d["threat_index"] = d["threat_index"].astype("float64")
    d = d[d["threat_index"].notna().to_numpy()]
    ranked = d[["actor1", "actor2", "year", "threat_index"]]
    if outside_threats is not None:
        ranked = pd.concat([ranked, outside_threats[["actor1", "actor2", "year",
                                                     "threat_index"]]], ignore_index=True)
    order = ranked.sort_values(["actor1", "year", "threat_index", "actor2"],
                               ascending=[True, True, False, True], kind="mergesort")
    top = order.drop_duplicates(["actor1", "year"])[["actor1", "year", "actor2"]]
    top = top.rename(columns={"actor2": "top_threat"})
    d = d.merge(top, on=["actor1", "year"], how="left")
    d = d.merge(top.rename(columns={"actor1": "actor2", "top_threat": "_top_j"}),
                on=["actor2", "year"], how="left")
    d["is_top_threat"] = (d["actor2"] == d["top_threat"]).astype("float64")
    d["shares_top_threat"] = ((d["_top_j"] == d["top_threat"])
                              & (d["actor2"] != d["top_threat"])).astype("float64")
    cinc = _state_rows(panel).drop_duplicates(["actor1", "year"])
    total = cinc.groupby("year")["cinc1"].apply(lambda s: s.astype("float64").sum())
    d["cap_share_j"] = (d["cinc2"].astype("float64") / d["year"].map(total)).where(
        d["non_state"] == 0, 0.0)
    d["cap_share_i"] = d["cinc1"].astype("float64") / d["year"].map(total)
    reg = d[d["kind1"] == "regional_state"].drop_duplicates(["actor1", "year"])
    med = reg.groupby("year")["cap_share_i"].median()
    d["i_weak"] = (d["cap_share_i"] < d["year"].map(med)).astype("float64")
    d["allies_available"] = d.groupby(["actor1", "year"])["shares_top_threat"].transform("sum")
    d["few_allies"] = (d["allies_available"] <= 1).astype("float64")
    d["top_x_weak"] = d["is_top_threat"] * d["i_weak"]
    d["top_x_few"] = d["is_top_threat"] * d["few_allies"]
    d["log_capdist"] = d["log_capdist"].astype("float64")
    if non_state:  # no capital: the chooser-year's mean distance to the states (with the flag)
        mean = d.groupby(["actor1", "year"])["log_capdist"].transform("mean")
        d["log_capdist"] = d["log_capdist"].where(d["non_state"] == 0, mean)
    d = d.drop(columns=["_top_j"])
    return d.sort_values(["actor1", "year", "actor2"], kind="mergesort").reset_index(drop=True)


def partner_choice_sample(panel: pd.DataFrame, *, design: Design = "state_year",
                          memberships: pd.DataFrame | None = None,
                          terms: tuple[str, ...] = PARTNER_TERMS,
                          non_state: bool = False,
                          outside_threats: pd.DataFrame | None = None) -> pd.DataFrame:
    """Choice sets for the conditional logit (the saved sample).

    Parameters
    ----------
    panel : pandas.DataFrame
        Prepared directed dyad-year panel (see :func:`partner_attributes`).
    design : {"state_year", "accession"}
        Strata by chooser-year (onsets) or by accession event (module docstring).
    memberships : pandas.DataFrame, optional
        The study's ``memberships`` table (``alignment_id``, ``actor_id``,
        ``start_first_day``, ``end_last_day``); required for ``design="accession"``.
    terms : tuple of str
        Partner attributes to keep.
    non_state : bool
        Non-state actors as partners too (:data:`NON_STATE_RULE`; add ``"non_state"`` to
        ``terms``).
    outside_threats : pandas.DataFrame, optional
        Threats of states outside the study, ranked among each state's threats only.

    Returns
    -------
    pandas.DataFrame
        ``y`` (1 = chosen), one column per term, ``actor_a`` (i, the chooser), ``actor_b``
        (j, the partner), ``year``, ``cluster`` (the non-directed pair id), ``stratum``;
        only strata with at least one chosen and one non-chosen alternative; sorted by
        stratum and partner.
    """
    att = partner_attributes(panel, non_state=non_state, outside_threats=outside_threats)
    return choice_sets(att, design=design, memberships=memberships, terms=terms)


def choice_sets(att: pd.DataFrame, *, design: Design = "state_year",
                memberships: pd.DataFrame | None = None,
                terms: tuple[str, ...] = PARTNER_TERMS) -> pd.DataFrame:
    """Choice sets from :func:`partner_attributes` (see :func:`partner_choice_sample`)."""
    att = att[(att["kind1"] == "regional_state").to_numpy()]
    if design == "state_year":
        d = att[(att["aligned_lag1"] == 0).fillna(False).to_numpy()
                & att["onset"].notna().to_numpy()].copy()
        d["y"] = d["onset"].astype("int64")
        d["stratum"] = d["actor1"].astype(str) + ":" + d["year"].astype(str)
    elif design == "accession":
        if memberships is None:
            raise ValueError("design='accession' needs the study's memberships table")
        d = _accession_sets(att, memberships)
    else:
        raise ValueError(f"design must be 'state_year' or 'accession', not {design!r}")
    d = d.dropna(subset=list(terms))
    g = d.groupby("stratum")["y"]
    ok = (g.transform("sum") > 0) & (g.transform("sum") < g.transform("size"))
    d = d[ok.to_numpy()]
    a, b = d["actor1"].astype(str), d["actor2"].astype(str)
    cluster = np.where(a < b, a + "-" + b, b + "-" + a)
    out = pd.DataFrame({"y": d["y"].astype("int64").to_numpy(),
                        **{t: d[t].astype("float64").to_numpy() for t in terms},
                        "actor_a": a.to_numpy(), "actor_b": b.to_numpy(),
                        "year": d["year"].astype("int64").to_numpy(), "cluster": cluster,
                        "stratum": d["stratum"].astype(str).to_numpy()})
    return out.sort_values(["stratum", "actor_b"], kind="mergesort").reset_index(drop=True)


def _accession_sets(att: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    ms = memberships[["alignment_id", "actor_id", "start_first_day", "end_last_day"]].copy()
    ms["s"] = ms["start_first_day"].to_numpy(dtype="datetime64[D]")
    e = ms["end_last_day"].to_numpy(dtype="datetime64[D]")
    ms["e"] = np.where(np.isnat(e), np.datetime64("9999-12-31"), e)
    ms["year"] = ms["s"].dt.year.astype("int64")
    # the other members of the alignment on the day i joined
    co = ms.merge(ms, on="alignment_id", suffixes=("", "_j"))
    co = co[(co["actor_id"] != co["actor_id_j"]) & (co["s_j"] <= co["s"]) & (co["e_j"] >= co["s"])]
    chosen = co[["alignment_id", "actor_id", "actor_id_j"]].drop_duplicates().assign(y=1)
    ev = ms[["alignment_id", "actor_id", "year"]].drop_duplicates()
    d = ev.merge(att, left_on=["actor_id", "year"], right_on=["actor1", "year"], how="inner")
    d = d.merge(chosen.rename(columns={"actor_id_j": "actor2"}),
                on=["alignment_id", "actor_id", "actor2"], how="left")
    d["y"] = d["y"].fillna(0).astype("int64")
    d["stratum"] = d["alignment_id"] + ":" + d["actor_id"]
    return d.drop(columns=["alignment_id", "actor_id"])


@dataclass(frozen=True)
class ClogitFit:
    """A fitted conditional logit with model-based and chooser-clustered errors."""

    params: pd.Series
    bse_model: pd.Series
    bse_cluster: pd.Series
    loglik: float
    n: int
    events: int
    n_strata: int
    n_clusters: int
    result: Any  # the statsmodels ConditionalLogit model that checked the log-likelihood

    @property
    def df_cluster(self) -> int:
        """Degrees of freedom of the t reference for the clustered errors (G - 1)."""
        return self.n_clusters - 1


def cluster_sandwich(scores: np.ndarray, cov: np.ndarray, clusters: np.ndarray,
                     *, small_sample: bool = True) -> np.ndarray:
    """Cluster-robust covariance ``cov @ (sum_g s_g s_g') @ cov``.

    Parameters
    ----------
    scores : ndarray (n_units, k)
        Score contributions (per stratum for a conditional logit).
    cov : ndarray (k, k)
        Model-based covariance (inverse of the negative Hessian).
    clusters : ndarray (n_units,)
        Cluster label of each unit.
    small_sample : bool
        Multiply by G/(G-1).
    """
    labels, inv = np.unique(clusters, return_inverse=True)
    g = np.zeros((len(labels), scores.shape[1]))
    np.add.at(g, inv, scores)
    v = cov @ (g.T @ g) @ cov
    G = len(labels)
    return v * (G / (G - 1)) if small_sample and G > 1 else v


def with_partner_effects(sample: pd.DataFrame, terms: tuple[str, ...] = PARTNER_TERMS
                         ) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The choice sets with one indicator per partner (alternative-specific constants).

    A partner's constant absorbs its lasting pull on every chooser (the superpowers, for
    instance, are in every choice set), the dependence across choosers that the
    chooser-clustered errors cannot see; the attributes are then identified from how one
    partner's appeal varies across choosers and years. Partners never chosen would have a
    constant of minus infinity, so their rows are left out (the limit of the likelihood
    without them), and choice sets left without an unchosen alternative go too. The most
    often chosen partner is the reference.

    Parameters
    ----------
    sample : pandas.DataFrame
        From :func:`partner_choice_sample` (``y``, ``stratum``, ``actor_b``, the terms).
    terms : tuple of str
        The attributes.

    Returns
    -------
    sample : pandas.DataFrame
        The rows kept, with ``pfe_<partner>`` indicators.
    terms : tuple of str
        ``terms`` followed by the indicators (for :func:`fit_clogit`).
    """
    chosen = sample.groupby("actor_b", observed=True)["y"].sum()
    keep = sample["actor_b"].map(chosen).to_numpy() > 0
    d = sample[keep]
    n = d.groupby("stratum", observed=True)["y"].transform("size")
    e = d.groupby("stratum", observed=True)["y"].transform("sum")
    d = d[((e > 0) & (e < n)).to_numpy()].copy()
    counts = d.groupby("actor_b", observed=True)["y"].sum()
    order = sorted(counts.index.astype(str), key=lambda a: (-counts[a], a))
    dummies = []
    for a in order[1:]:  # the most often chosen partner is the reference
        col = f"pfe_{a}"
        d[col] = (d["actor_b"].astype(str) == a).astype("float64")
        dummies.append(col)
    return d.reset_index(drop=True), (*terms, *dummies)


def fit_clogit(sample: pd.DataFrame, terms: tuple[str, ...] = PARTNER_TERMS,
               *, start_params: np.ndarray | None = None) -> ClogitFit:
    """Fit the conditional logit on a choice-set sample.

    Parameters
    ----------
    sample : pandas.DataFrame
        From :func:`partner_choice_sample` (``y``, the terms, ``stratum``, ``actor_a``).
    terms : tuple of str
        Attributes (no intercept: it cancels within strata).
    start_params : ndarray, optional
        Start of the iterations (default zeros).

    Returns
    -------
    ClogitFit
        Newton-Raphson estimates (the exact conditional likelihood), model-based errors and
        errors clustered by the chooser ``actor_a`` (module docstring).

    Raises
    ------
    walt_alliances.errors.EstimationError
        If the estimates do not exist (separated choice data) or Newton's method fails.

    Notes
    -----
    The likelihood, its gradient, the observed information and each stratum's score come from
    :mod:`.fastclogit`, which computes them for all strata at once; statsmodels'
    ``ConditionalLogit``, whose numerical Hessian loops over the strata in Python (about a
    second per fit here), evaluates the log-likelihood at the optimum as a check (an error if
    the two differ). Both, and the errors, are tested against R's ``survival::clogit``.
    """
    from .fastclogit import newton_clogit, stratum_scores

    y = sample["y"].astype("float64").to_numpy()
    X = sample[list(terms)].astype("float64")
    Xn, strata = X.to_numpy(), sample["stratum"].to_numpy()
    try:
        beta, loglik, info = newton_clogit(y, Xn, strata, start_params)
    except RuntimeError as exc:
        from walt_alliances.analysis.estimation import cone_separated
        from walt_alliances.errors import EstimationError

        from .fastclogit import fit_fast_clogit, pair_certificate

        b0, _ = fit_fast_clogit(y, Xn, strata, start_params)
        why = ("the choice data are separated: some combination of the terms never lowers a "
               "chosen alternative below an unchosen one in its choice set, so the "
               "likelihood has no maximum" if cone_separated(pair_certificate(
                   y, Xn, strata, b0)[0]) else str(exc))
        raise EstimationError(f"conditional logit on terms {list(terms)} ({len(y)} "
                              f"alternatives, {int(y.sum())} chosen): {why}") from exc
    # statsmodels evaluates the same exact likelihood independently at the optimum
    model = ConditionalLogit(y, X, groups=strata)
    groups = list(dict.fromkeys(sample["stratum"]))  # in order of first appearance
    if len(groups) != model._n_groups:
        raise ValueError("fit_clogit: every stratum needs a chosen and a non-chosen alternative")
    sm_llf = float(model.loglike(beta))
    if not np.isclose(sm_llf, loglik, rtol=1e-10, atol=1e-8):
        raise RuntimeError(f"fit_clogit: log-likelihood {loglik} differs from statsmodels' "
                           f"{sm_llf}")
    params = pd.Series(beta, index=list(terms))
    cov = np.linalg.inv(info)
    scores = stratum_scores(y, Xn, strata, beta)
    chooser = dict(zip(sample["stratum"], sample["actor_a"], strict=False))
    cl = np.array([chooser[grp] for grp in groups])
    vc = cluster_sandwich(scores, cov, cl)
    return ClogitFit(params=params,
                     bse_model=pd.Series(np.sqrt(np.diag(cov)), index=list(terms)),
                     bse_cluster=pd.Series(np.sqrt(np.diag(vc)), index=list(terms)),
                     loglik=loglik, n=int(len(y)), events=int(y.sum()),
                     n_strata=len(groups), n_clusters=len(np.unique(cl)), result=model)
