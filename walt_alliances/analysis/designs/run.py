"""Run every design and collect ``results.csv`` rows, ``prediction.csv`` and the samples.

:func:`run_designs` is the one entry point (the ``hypotheses`` command and the report call it);
:func:`write_designs` writes its outputs. Public names are stable: ``run_designs``,
``write_designs``, ``DesignResults`` and its fields.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from walt_alliances.analysis._threads import single_blas_thread
from walt_alliances.errors import EstimationError, RawDataError
from walt_alliances.panels.study import Study, resolve_study

from . import aid as aid_mod
from . import bopbot, duration, ideology, partner, penetration
from ._rows import RESULT_COLUMNS, add_holm_verdicts, coef_rows
from .logits import logit_rows

__all__ = ["PREDICTION_COLUMNS", "UNCERTAINTY_COLUMNS", "DesignResults", "build_panel",
           "multilateral_weights", "run_designs", "write_designs"]

PREDICTION_COLUMNS = ("model", "evaluation", "auc", "brier", "log_score", "n", "events")
UNCERTAINTY_COLUMNS = ("model_id", "term", "source", "draws", "q025", "q50", "q975",
                       "share_same_sign", "estimate_main")


@dataclass(frozen=True)
class DesignResults:
    """Everything :func:`run_designs` produces (all plain DataFrames).

    Attributes
    ----------
    results : pandas.DataFrame
        Rows for ``results.csv`` (columns :data:`~._rows.RESULT_COLUMNS`), methods ``clogit``,
        ``hazard``, ``event_study``, ``cross_lagged_ols``, ``cross_lagged_logit``, ``logit``.
    prediction : pandas.DataFrame
        ``prediction.csv`` (:data:`PREDICTION_COLUMNS`).
    uncertainty : pandas.DataFrame
        ``uncertainty.csv`` (:data:`UNCERTAINTY_COLUMNS`); empty when ``draws=0``.
    comparison : pandas.DataFrame
        In-sample BoP/BoT comparison (Vuong test) per outcome.
    events : pandas.DataFrame
        The penetration episodes behind the H5 estimate.
    samples : dict of str to pandas.DataFrame
        Estimation samples by model id (logit contract plus ``stratum`` for the conditional
        logits and ``start``, ``stop``, ``event`` for the hazard model).
    notes : tuple of str
        What was run, skipped and why.
    threat_sources : pandas.DataFrame
        For the ``_ext`` rows: each outside state and non-state actor, how many pair-years it
        is the shared threat of and its coded hostile acts
        (:func:`.outside.threat_source_counts`); empty when the extension did not run.
    """

    results: pd.DataFrame
    prediction: pd.DataFrame
    uncertainty: pd.DataFrame
    comparison: pd.DataFrame
    events: pd.DataFrame
    samples: dict[str, pd.DataFrame] = field(repr=False)
    notes: tuple[str, ...] = ()
    threat_sources: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)


def _progress(msg: str, on: bool) -> None:
    if on:
        print(f"designs: {msg}", file=sys.stderr, flush=True)


def build_panel(study: Study, start: int = 1955, end: int | None = None,
                threat_spec: Any = None) -> pd.DataFrame:
    """The directed dyad-year panel every design starts from.

    Every measure (``add_all``) plus ``contiguous`` (1 if COW contiguity type 1, land or
    river; missing where contiguity is) and ``log_capdist`` (log(1 + capital distance in km)),
    as in the hypothesis tests; a positional index.
    """
    from walt_alliances.panels.verbs import add_all, create_dyad_years

    end = end if end is not None else study.period_years[1]
    out = add_all(create_dyad_years(start, end, study=study), study=study,
                  threat_spec=threat_spec).reset_index(drop=True)
    meta = out.attrs
    out["contiguous"] = (out["contig"] == 1).astype("Float64").where(out["contig"].notna())
    out["log_capdist"] = np.log1p(out["capdist_km"].astype("Float64"))
    out.attrs = meta
    return out


def _clogit_rows(fit: partner.ClogitFit, model_id: str, sample: pd.DataFrame
                 ) -> list[dict[str, Any]]:
    sd = {t: float(sample[t].std()) for t in fit.params.index}
    common = {"model_id": model_id, "hypothesis": "H1", "outcome": "partner_chosen",
              "unit": "chooser-partner", "params": fit.params.to_dict(),
              "expected": partner.PARTNER_EXPECTED, "n": fit.n, "events": fit.events,
              "loglik": fit.loglik, "method": "clogit", "sd": sd}
    rows = coef_rows(bse=fit.bse_cluster.to_dict(), se_type="cluster_chooser",
                     df=fit.df_cluster, n_clusters=fit.n_clusters, **common)
    rows += coef_rows(bse=fit.bse_model.to_dict(), se_type="model", df=None,
                      n_clusters=None, **common)
    for r in rows:
        r["hypothesis"] = partner.PARTNER_HYPOTHESIS.get(r["term"], "H1")
    return rows


def _cox_rows(fit: duration.CoxFit, model_id: str, sample: pd.DataFrame, *,
              unit: str = "pair-alignment-spell-year",
              expected: Mapping[str, int] = duration.DURATION_EXPECTED,
              cluster_se: str = "cluster_dyad", outcome: str = "alignment_termination"
              ) -> list[dict[str, Any]]:
    sd = {t: float(sample[t].std()) for t in fit.params.index}
    common = {"model_id": model_id, "hypothesis": "H3", "outcome": outcome,
              "unit": unit, "params": fit.params.to_dict(),
              "expected": expected, "n": fit.n, "events": fit.events,
              "loglik": fit.loglik, "method": "hazard", "sd": sd}
    rows = coef_rows(bse=fit.bse_cluster.to_dict(), se_type=cluster_se,
                     df=fit.n_clusters - 1, n_clusters=fit.n_clusters, **common)
    rows += coef_rows(bse=fit.bse_model.to_dict(), se_type="model", df=None,
                      n_clusters=None, **common)
    for r in rows:
        if r["term"] == "threat_fading":
            r["hypothesis"] = "BoT"
    return rows


#: Robustness variants (outside the Holm family; see :func:`~._rows.add_holm_verdicts`).
VARIANTS = {"partner_choice_accession": "partner_choice_state_year",
            "partner_choice_state_year_with_non_state": "partner_choice_state_year",
            "partner_choice_state_year_outside_threats": "partner_choice_state_year",
            "partner_choice_state_year_partner_effects": "partner_choice_state_year",
            "h3_ideology_onset_polity": "h3_ideology_onset_regional",
            "h3_ideology_onset_un": "h3_ideology_onset_regional",
            **aid_mod.ARMS_VARIANTS,
            **{f"bot_redefined_{o}_ext": f"bot_redefined_{o}" for o in ("aligned", "onset")},
            "h3_duration_pair_alignment_ext": "h3_duration_pair_alignment"}

#: Primary variance of each kind of design (Holm family and verdicts). The aid OLS models
#: (21 recipients, 5 or 9 of them treated) test by the restricted wild cluster bootstrap
#: (:data:`.aid.WILD_SE`) rather than the cluster-robust t, which over-rejects with few
#: treated clusters.
_PRIMARY = {"clogit": "cluster_chooser", "hazard": "cluster_dyad",
            "hazard_membership": "cluster_alignment",
            "event_study": aid_mod.WILD_SE, "cross_lagged_ols": aid_mod.WILD_SE,
            "cross_lagged_logit": "cluster_recipient", "logit": "dyadic"}


@single_blas_thread
def run_designs(study: Study | None = None, *, gulf: Study | None = None, draws: int = 200,
                seed: int = 20261201, workers: int = 1, outside: bool = True,
                progress: bool = False) -> DesignResults:
    """Run every design of issue 12 on a study.

    Parameters
    ----------
    study : Study, optional
        The data (default: the shipped data), 1955 to the end of its coded period.
    gulf : Study, optional
        The study with the Gulf 1979-1990 extension (``Study.with_records(
        "datasets/extensions/gulf-1979-1990")``): the true hold-out of the prediction design.
        Omitted, the ``gulf_1979_1990`` evaluation is skipped (a note says so).
    draws : int
        Coding-uncertainty resamples (0 skips ``uncertainty.csv``).
    seed : int
        Seed of the resampling.
    workers : int
        Processes for the resampling (forked; the result does not depend on it).
    outside : bool
        Also rank threats from states outside the study (rebuilt from the source tables
        shipped with the package, about 0.4 s; skipped with a note when they cannot be built).
    progress : bool
        Print progress to stderr.

    Returns
    -------
    DesignResults
    """
    st = resolve_study(study)
    p0, p1 = st.period_years
    _progress("building the panel", progress)
    panel = build_panel(st, p0, p1)
    job = None
    if draws > 0:  # the resamples run in worker processes while the designs are fitted here
        from .uncertainty import start_coding_uncertainty

        job = start_coding_uncertainty(st, panel, draws=draws, seed=seed, workers=workers)
    try:
        return _run_designs(st, panel, job, gulf=gulf, draws=draws, outside=outside,
                            progress=progress)
    except BaseException:
        if job is not None:
            job.cancel()
        raise


def _run_designs(st: Study, panel: pd.DataFrame, job: Any, *, gulf: Study | None, draws: int,
                 outside: bool, progress: bool) -> DesignResults:
    p0, p1 = st.period_years
    notes: list[str] = []
    measures = bopbot.bop_bot_measures(panel)
    rows: list[dict[str, Any]] = []
    samples: dict[str, pd.DataFrame] = {}

    _progress("partner choice (conditional logit)", progress)
    for design in ("state_year", "accession"):
        mid = f"partner_choice_{design}"
        s = partner.partner_choice_sample(panel, design=design, memberships=st["memberships"])  # type: ignore[arg-type]
        fit = partner.fit_clogit(s)
        rows += _clogit_rows(fit, mid, s)
        samples[mid] = s
        notes.append(f"{mid}: {fit.n_strata} strata, {fit.events} chosen of {fit.n} "
                     f"alternatives, {fit.n_clusters} choosing states")

    mid = "partner_choice_state_year_partner_effects"
    fe_sample, fe_terms = partner.with_partner_effects(samples["partner_choice_state_year"])
    try:
        fit = partner.fit_clogit(fe_sample, fe_terms)
    except EstimationError as exc:  # a sensitivity model: say why it is missing, go on
        notes.append(f"{mid}: not estimable ({exc})")
    else:
        fe_rows = _clogit_rows(fit, mid, fe_sample)
        rows += [r for r in fe_rows if not str(r["term"]).startswith("pfe_")]
        samples[mid] = fe_sample
        notes.append(f"{mid}: partner constants for "
                     f"{len(fe_terms) - len(partner.PARTNER_TERMS)} partners (one reference; "
                     f"never-chosen partners left out), {fit.n_strata} strata, {fit.events} "
                     f"chosen of {fit.n} alternatives")

    mid = "partner_choice_state_year_with_non_state"
    ns_terms = (*partner.PARTNER_TERMS, "non_state")
    s = partner.partner_choice_sample(panel, terms=ns_terms, non_state=True)
    fit = partner.fit_clogit(s, ns_terms)
    rows += _clogit_rows(fit, mid, s)
    samples[mid] = s
    notes.append(f"{mid}: {fit.n_strata} strata, {fit.events} chosen of {fit.n} alternatives "
                 f"({int(s['non_state'].sum())} non-state alternatives, "
                 f"{int(s.loc[s['non_state'] == 1, 'y'].sum())} chosen); rule: "
                 f"{partner.NON_STATE_RULE}")

    ot = None  # outside states' threats: computed once, reused by every design below
    if outside:
        from .outside import outside_threats

        try:
            ot = outside_threats(st, panel)
        except RawDataError as exc:
            notes.append(f"partner_choice_state_year_outside_threats: skipped (raw datasets "
                         f"unavailable: {exc})")
        else:
            mid = "partner_choice_state_year_outside_threats"
            s = partner.partner_choice_sample(panel, outside_threats=ot)
            fit = partner.fit_clogit(s)
            rows += _clogit_rows(fit, mid, s)
            samples[mid] = s
            att = partner.partner_attributes(panel, outside_threats=ot)
            tops = att.drop_duplicates(["actor1", "year"])
            n_out = int(tops["top_threat"].str.startswith("COW:").sum())
            notes.append(f"{mid}: threats of {len(set(ot['actor2']))} outside states ranked "
                         f"with the others; an outside state is the most threatening state in "
                         f"{n_out} of {len(tops)} state-years; {fit.n_strata} strata, "
                         f"{fit.events} chosen of {fit.n}")

    _progress("balance of power against balance of threat", progress)
    bsample = bopbot.bop_bot_sample(panel)
    comparison = bopbot.compare_in_sample(bsample)
    for outcome in ("aligned", "onset"):
        d = bopbot.outcome_rows(bsample, outcome)
        for model in ("bop", "bot"):
            terms = bopbot.model_terms(model, outcome)
            mid = f"{model}_redefined_{outcome}"
            r, _ = logit_rows(d, outcome, terms, model_id=mid, hypothesis=model.replace(
                "bop", "BoP").replace("bot", "BoT"), unit="dyad-year",
                expected={t: s for t, s in bopbot.EXPECTED.items() if t in terms})
            rows += r
            samples[mid] = _logit_sample(d, outcome, terms)
    gs = None
    gulf_panel: tuple[Study, pd.DataFrame] | None = None
    if gulf is not None:
        _progress("Gulf extension panel", progress)
        gpanel = build_panel(gulf, p0, gulf.period_years[1])
        gs = bopbot.bop_bot_sample(gpanel)
        gulf_panel = (gulf, gpanel)
    else:
        notes.append("gulf_1979_1990: skipped (no Gulf study given)")
    _progress("out-of-sample evaluations", progress)
    prediction = bopbot.predict_evaluations(bsample, gs)

    _progress("ideology on onset and the duration of alignments", progress)
    isample = ideology.ideology_onset_sample(panel, measures)
    for mid, key in (("h3_ideology_onset_regional", ("same_family", "pan_arab_pair")),
                     ("h3_ideology_onset_polity", ("polity_distance", "pan_arab_pair"))):
        terms = [*key, *ideology.CONTROLS]
        d = isample.dropna(subset=terms)
        r, _ = logit_rows(d, "onset", terms, model_id=mid, hypothesis="H3", unit="dyad-year",
                          expected={t: ideology.IDEOLOGY_EXPECTED[t] for t in key
                                    if t in ideology.IDEOLOGY_EXPECTED})
        rows += r
        samples[mid] = _logit_sample(d, "onset", terms)
    try:
        ideal = ideology.un_ideal_points()
    except RawDataError as exc:
        notes.append(f"h3_ideology_onset_un: skipped (UN ideal points unavailable: {exc})")
    else:
        mid = "h3_ideology_onset_un"
        terms = ["un_distance", "pan_arab_pair", *ideology.CONTROLS]
        d = ideology.add_un_distance(isample, panel, ideal).dropna(subset=terms)
        r, _ = logit_rows(d, "onset", terms, model_id=mid, hypothesis="H3", unit="dyad-year",
                          expected={"un_distance": ideology.IDEOLOGY_EXPECTED["un_distance"]})
        rows += r
        samples[mid] = _logit_sample(d, "onset", terms)
    al = st["alignments"]
    starts = {a: pd.Timestamp(s).year for a, s in zip(al["alignment_id"],
                                                       al["start_first_day"], strict=True)}
    sizes = st["memberships"].groupby("alignment_id")["actor_id"].nunique().to_dict()
    spells = duration.alignment_spells(panel, measures, starts, sizes, period=(p0, p1))
    cox = duration.fit_cox(spells)
    rows += _cox_rows(cox, "h3_duration_pair_alignment", spells)
    samples["h3_duration_pair_alignment"] = _hazard_sample(spells)
    msp = duration.membership_spells(panel, measures, st["memberships"], period=(p0, p1))
    mcox = duration.fit_cox(msp, duration.MEMBERSHIP_TERMS)
    rows += _cox_rows(mcox, "h3_duration_membership", msp, unit="membership-year",
                      expected=duration.MEMBERSHIP_EXPECTED, cluster_se="cluster_alignment",
                      outcome="membership_termination")
    samples["h3_duration_membership"] = _hazard_sample(msp, duration.MEMBERSHIP_TERMS)
    notes.append(f"h3_duration_membership: {mcox.n_spells} memberships, {mcox.events} ended, "
                 f"{mcox.n_clusters} alignments (clusters)")
    notes.append(f"h3_duration_pair_alignment: {cox.n_spells} spells, {cox.events} "
                 f"terminations, {int(spells.groupby('spell')['left_censored'].first().sum())} "
                 "spells running in the first year (delayed entry)")

    _progress("aid timing", progress)
    arms = aid_mod.sipri_arms()
    apanel = aid_mod.aid_panel(panel, arms)
    notes.append(aid_mod.arms_note(apanel, arms))
    r, s_ev, n_ev = aid_mod.event_study_rows(apanel)
    rows += r
    samples.update(s_ev)
    notes += n_ev
    r, s_cl = aid_mod.cross_lagged(apanel)
    rows += r
    samples.update(s_cl)

    _progress("penetration instruments", progress)
    psample = penetration.penetration_onset_sample(panel, st["penetration"])
    events = penetration.penetration_events(panel, st["penetration"])
    ex = penetration.exposure_summary(psample)
    pterms = ["pen_instrument_lag1", *penetration.CONTROLS]
    if ex["exposed_onsets"] > 0 and ex["exposed"] > ex["exposed_onsets"]:
        r, _ = logit_rows(psample, "onset", pterms, model_id="h5_instruments_onset",
                          hypothesis="H5", unit="directed-dyad-year",
                          expected={"pen_instrument_lag1": +1})
        rows += r
        samples["h5_instruments_onset"] = _logit_sample(psample, "onset", pterms)
    notes.append(f"h5_instruments_onset: {int(ex['exposed'])} exposed pair-years, "
                 f"{int(ex['exposed_onsets'])} onsets among them (episodes in events)")

    _progress("multilateral weighting", progress)
    rows += _multilateral_rows(panel, bsample, sizes, samples)

    if ot is not None:
        _progress("with non-state actors and outside threats", progress)
        ext_pred, ext_comp, sources = _extension(panel, ot, (p0, p1), starts, sizes, rows,
                                                 samples, notes, study=st, gulf=gulf_panel)
        prediction = pd.concat([prediction, ext_pred], ignore_index=True)
        comparison = pd.concat([comparison, ext_comp], ignore_index=True)
    else:
        sources = pd.DataFrame()
        notes.append("*_ext: skipped (the outside states' threats were not computed)")

    res = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    primary = {m: _PRIMARY.get(meth, "model") for m, meth in
               res.drop_duplicates("model_id")[["model_id", "method"]].itertuples(index=False)}
    primary["h3_duration_membership"] = _PRIMARY["hazard_membership"]
    has_dyadic = set(res.loc[res["se_type"] == "dyadic", "model_id"])
    for m, meth in list(primary.items()):
        if meth == "dyadic" and m not in has_dyadic:
            primary[m] = "cluster_dyad"
    res = add_holm_verdicts(res, primary_se=primary, variants=VARIANTS)

    unc = pd.DataFrame(columns=list(UNCERTAINTY_COLUMNS))
    if job is not None:
        _progress(f"coding uncertainty ({draws} draws)", progress)
        unc = job.result()
    return DesignResults(res, prediction, unc, comparison, events, samples, tuple(notes),
                         threat_sources=sources)


def _logit_sample(d: pd.DataFrame, y: str, terms: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"y": d[y].to_numpy(dtype="float64"), "const": 1.0,
                         **{t: d[t].to_numpy(dtype="float64") for t in terms},
                         "actor_a": d["actor_a"].to_numpy(), "actor_b": d["actor_b"].to_numpy(),
                         "year": d["year"].to_numpy(), "cluster": d["cluster"].to_numpy()})


def _hazard_sample(s: pd.DataFrame, terms: tuple[str, ...] = duration.DURATION_TERMS
                   ) -> pd.DataFrame:
    return pd.DataFrame({"start": s["start"], "stop": s["stop"], "event": s["event"],
                         **{t: s[t] for t in terms},
                         "actor_a": s["actor_a"], "actor_b": s["actor_b"], "year": s["year"],
                         "cluster": s["cluster"]})


def multilateral_weights(panel: pd.DataFrame, sample: pd.DataFrame,
                         sizes: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Weights 1/(k-1) and alignment clusters for the multilateral sensitivity.

    An aligned pair-year counts 1/(k-1), k = members of the largest alignment the pair shares
    that year, so each alignment weighs about as much as its members (a 14-member summit: 91
    pairs of weight 1/13, 7 units instead of 91); unaligned pair-years weigh 1. Clusters: the
    (alphabetically first) shared alignment for aligned pair-years, the pair otherwise.

    Parameters
    ----------
    panel : pandas.DataFrame
        The directed panel (``alignment_ids``).
    sample : pandas.DataFrame
        Undirected sample with ``actor_a`` < ``actor_b``, ``year``, ``aligned``, ``cluster``.
    sizes : mapping
        Alignment id -> number of members.

    Returns
    -------
    (weights, clusters) : tuple of ndarray
    """
    und = panel[(panel["actor1"] < panel["actor2"]).to_numpy()][
        ["actor1", "actor2", "year", "alignment_ids"]]
    m = sample[["actor_a", "actor_b", "year"]].merge(
        und.rename(columns={"actor1": "actor_a", "actor2": "actor_b"}),
        on=["actor_a", "actor_b", "year"], how="left")
    ids = [[a for a in str(s).split(";") if a] if pd.notna(s) else []
           for s in m["alignment_ids"]]
    k = np.array([max((sizes.get(a, 2) for a in x), default=2) for x in ids], dtype=float)
    aligned = sample["aligned"].to_numpy() == 1
    w = np.where(aligned, 1.0 / (k - 1), 1.0)
    first = np.array([sorted(x)[0] if x else "" for x in ids], dtype=object)
    cl = np.where(aligned & (first != ""), first, sample["cluster"].to_numpy(dtype=object))
    return w, cl


def _multilateral_rows(panel: pd.DataFrame, bsample: pd.DataFrame, sizes: Mapping[str, int],
                       samples: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    w, cl = multilateral_weights(panel, bsample, sizes)
    d = bsample.assign(align_cluster=cl)
    for model in ("bop", "bot"):
        terms = bopbot.model_terms(model, "aligned")
        mid = f"{model}_redefined_aligned_weighted"
        r, _ = logit_rows(d, "aligned", terms, model_id=mid,
                          hypothesis=model.replace("bop", "BoP").replace("bot", "BoT"),
                          unit="dyad-year", expected={}, weights=w, cluster="align_cluster")
        for row in r:
            if row["se_type"] == "cluster_dyad":
                row["se_type"] = "cluster_alignment"
                row["method"] = "logit_weighted"
        rows += [row for row in r if row["se_type"] == "cluster_alignment"]
        samples[mid] = _logit_sample(d, "aligned", terms).assign(weight=w, cluster=cl)
    return rows


def _extension(panel: pd.DataFrame, ot: pd.DataFrame, period: tuple[int, int],
               starts: Mapping[str, int], sizes: Mapping[str, int],
               rows: list[dict[str, Any]], samples: dict[str, pd.DataFrame],
               notes: list[str], *, study: Study,
               gulf: tuple[Study, pd.DataFrame] | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """BoP/BoT and the pair-alignment duration with outside and non-state threat sources.

    The ``_ext`` rows (:mod:`.bopbot`, "Extension"): results rows, samples and notes are
    appended in place. Returns the prediction rows (cross-validation, temporal hold-out and,
    with ``gulf`` (the Gulf study and its panel), the Gulf 1980-1989 hold-out with parameters
    frozen, the Gulf panel's sources built by the same rules), the Vuong rows (outcome
    ``<outcome>_ext``) and the count of pair-years by outside or non-state source
    (:func:`.outside.threat_source_counts`).
    """
    from .outside import NON_STATE_SOURCE_RULE, SOURCE_RULE, threat_source_counts

    m = bopbot.bop_bot_measures(panel, non_state=True, outside_threats=ot)
    bs = bopbot.bop_bot_sample(panel, measures=m)
    comp = bopbot.compare_in_sample(bs)
    comp["outcome"] = comp["outcome"] + "_ext"
    for outcome in ("aligned", "onset"):  # BoP's terms involve no threat source: BoT only
        d = bopbot.outcome_rows(bs, outcome)
        terms = bopbot.model_terms("bot", outcome)
        mid = f"bot_redefined_{outcome}_ext"
        r, _ = logit_rows(d, outcome, terms, model_id=mid, hypothesis="BoT", unit="dyad-year",
                          expected={t: s for t, s in bopbot.EXPECTED.items() if t in terms})
        rows += r
        samples[mid] = _logit_sample(d, outcome, terms)
    gs = None
    if gulf is not None:
        from .outside import outside_threats

        g_study, g_panel = gulf
        try:
            g_ot = outside_threats(g_study, g_panel)
        except RawDataError as exc:
            notes.append(f"*_ext gulf_1979_1990: skipped ({exc})")
        else:
            gm = bopbot.bop_bot_measures(g_panel, non_state=True, outside_threats=g_ot)
            gs = bopbot.bop_bot_sample(g_panel, measures=gm)
    pred = bopbot.predict_evaluations(bs, gs, suffix="_ext")
    spells = duration.alignment_spells(panel, m, starts, sizes, period=period)
    cox = duration.fit_cox(spells)
    mid = "h3_duration_pair_alignment_ext"
    rows += _cox_rows(cox, mid, spells)
    samples[mid] = _hazard_sample(spells)
    src = bs["bot_source"].astype(str)
    out_src = src[src.str.startswith("COW:")].value_counts().sort_index()
    n_ns = int(bs["bot_source"].isin(set(panel.loc[panel["kind2"] == "non_state",
                                                    "actor2"].astype(str))).sum())
    notes.append(f"*_ext (BoP/BoT and h3_duration_pair_alignment with non-state actors and "
                 f"outside threats): the shared threat of {int(out_src.sum())} of {len(bs)} "
                 f"pair-years is an outside state ("
                 + ", ".join(f"{k.removeprefix('COW:')} {v}" for k, v in out_src.items())
                 + f"), of {n_ns} a non-state actor; "
                 + ("Gulf hold-out evaluated; " if gs is not None else "no Gulf evaluation "
                    "(no Gulf study given); ") + f"{cox.n_spells} "
                 f"spells, {cox.events} terminations. Source rule: {SOURCE_RULE} Non-state "
                 f"rule: {NON_STATE_SOURCE_RULE}")
    return pred, comp, threat_source_counts(study, bs["bot_source"])


def design_files(res: DesignResults, *, save_samples: bool = False) -> dict[str, bytes]:
    """Return the designs' output files (relative name -> bytes), as :func:`write_designs` writes.

    Files: ``design_results.csv`` (the columns of ``results.csv``), ``prediction.csv``,
    ``uncertainty.csv``, ``design_comparison.csv``, ``design_events.csv``,
    ``design_readings.csv`` (one line per design in plain words), ``design_summary.md``
    (readings, prediction table, notes) and, with ``save_samples``, ``samples/<model_id>.csv``.
    """
    from walt_alliances._io import csv_bytes

    from .readings import design_readings, summary_markdown

    files = {"design_results.csv": csv_bytes(_round(res.results)),
             "prediction.csv": csv_bytes(_round(res.prediction)),
             "uncertainty.csv": csv_bytes(_round(res.uncertainty)),
             "design_comparison.csv": csv_bytes(_round(res.comparison)),
             "design_events.csv": csv_bytes(res.events),
             "design_readings.csv": csv_bytes(design_readings(res)),
             "design_summary.md": summary_markdown(res).encode()}
    if save_samples:
        for mid, df in res.samples.items():
            files[f"samples/{mid}.csv"] = csv_bytes(_round(df))
    return files


#: The names :func:`design_files` writes (an earlier output folder holds only these).
DESIGN_FILE_NAMES = ("design_results.csv", "prediction.csv", "uncertainty.csv",
                     "design_comparison.csv", "design_events.csv", "design_readings.csv",
                     "design_summary.md", "samples/*.csv")


def write_designs(res: DesignResults, out_dir: str | Path, *, save_samples: bool = False
                  ) -> list[Path]:
    """Write the designs' outputs (:func:`design_files`) into a folder, replaced whole.

    ``walt-alliances hypotheses`` writes the same files beside the logits' and appends the
    rows of ``design_results.csv`` to ``results.csv``.
    """
    from walt_alliances._io import only_names, write_folder

    return write_folder(Path(out_dir), design_files(res, save_samples=save_samples),
                        what="designs output", replaceable=only_names(list(DESIGN_FILE_NAMES)))


def _round(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].map(lambda v: float(f"{v:.10g}") if pd.notna(v) else v)
    return out
