"""One-line readings of each design in plain words, generated from the numbers.

:func:`design_readings` turns a :class:`~.run.DesignResults` into one sentence per design for
the report; every figure in a sentence is read from the results, nothing is typed in. The
sentences state direction, size and the Holm-adjusted verdict; "no evidence either way" never
becomes "no effect".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .run import DesignResults

__all__ = ["design_readings", "summary_markdown"]


def _row(res: DesignResults, model_id: str, term: str, se_type: str | None = None
         ) -> Any | None:
    r = res.results
    sel = r[(r["model_id"] == model_id) & (r["term"] == term)]
    if se_type is not None:
        sel = sel[sel["se_type"] == se_type]
    return None if sel.empty else sel.iloc[0]


def _p(x: float) -> str:
    return "p < 0.001" if x < 0.001 else f"p = {x:.3f}"


def _or(r: Any) -> str:
    return (f"odds ratio {np.exp(r.estimate):.2f}, 95% CI {np.exp(r.ci_low):.2f} to "
            f"{np.exp(r.ci_high):.2f}, {_p(r.p_value)}; Holm {_p(r.p_holm)}: {r.verdict}")


_NAMES = {"bop": "balance of power", "bot": "balance of threat", "controls": "controls only",
          "lag": "the persistence baseline"}


def design_readings(res: DesignResults) -> pd.DataFrame:
    """One reading per design: ``design``, ``model_id``, ``reading``.

    Parameters
    ----------
    res : DesignResults
        Output of :func:`walt_alliances.analysis.designs.run_designs`.

    Returns
    -------
    pandas.DataFrame
    """
    out: list[tuple[str, str, str]] = []
    mid = "partner_choice_state_year"
    sh, top = _row(res, mid, "shares_top_threat", "cluster_chooser"), _row(
        res, mid, "is_top_threat", "cluster_chooser")
    wk, few = _row(res, mid, "top_x_weak", "cluster_chooser"), _row(
        res, mid, "top_x_few", "cluster_chooser")
    if sh is not None and top is not None and wk is not None and few is not None:
        out.append(("Partner choice", mid,
                    f"Choosing among potential partners, states favour one that fears the same "
                    f"most threatening state ({_or(sh)}); their own most threatening state is "
                    f"{'more' if top.estimate > 0 else 'less'} likely to be chosen than other "
                    f"partners ({_or(top)}); that pull is "
                    f"{'stronger' if wk.estimate > 0 else 'weaker'} for weak states "
                    f"({_or(wk)}) and "
                    f"{'stronger' if few.estimate > 0 else 'weaker'} where few allies share the "
                    f"threat ({_or(few)}). Errors clustered by choosing state "
                    f"({int(sh.n_clusters)}); they miss dependence through shared partners "
                    "(such as the superpowers, in every choice set), so they may be too "
                    "small."))
    base = _row(res, mid, "shares_top_threat", "cluster_chooser")
    variants = []
    for vid, label in (("partner_choice_state_year_with_non_state", "with non-state partners"),
                       ("partner_choice_state_year_outside_threats",
                        "with outside states' threats ranked"),
                       ("partner_choice_accession", "by accession event")):
        v = _row(res, vid, "shares_top_threat", "cluster_chooser")
        t = _row(res, vid, "is_top_threat", "cluster_chooser")
        if v is not None and t is not None:
            variants.append(f"{label}: {v.estimate:.2f} ({_p(v.p_value)}) and "
                            f"{t.estimate:.2f} ({_p(t.p_value)})")
    if base is not None and top is not None and variants:
        out.append(("Partner choice, variants", "partner_choice_variants",
                    f"Coefficients on sharing the top threat and on being the top threat, "
                    f"main {base.estimate:.2f} and {top.estimate:.2f}; " + "; ".join(variants)
                    + "."))
    if len(res.comparison):
        for c in res.comparison.itertuples(index=False):
            if str(c.outcome).endswith(_EXT):
                continue  # read with the extension, below
            fav = "balance of threat" if c.vuong_statistic_bic > 0 else "balance of power"
            out.append(("BoP against BoT, in sample", f"bop_vs_bot_{c.outcome}",
                        f"On {c.outcome} ({c.n} pair-years, {c.events} events) the Vuong test "
                        f"leans to {fav} (statistic {c.vuong_statistic_bic:.2f} with the BIC "
                        f"correction, {_p(c.vuong_p_value_bic)}; it treats pair-years as "
                        "independent)."))
    pr = res.prediction
    for (ev, outcome), g in pr.assign(outcome=pr["model"].str.rsplit("_", n=1).str[-1]) \
            .groupby(["evaluation", "outcome"], sort=True):
        s = g.set_index(g["model"].str.rsplit("_", n=1).str[0])
        s = s[s.index.isin(list(_NAMES))]  # the _ext models are read below
        if not {"bop", "bot", "controls", "lag"} <= set(s.index):
            continue
        best = s["log_score"].idxmax()
        lag_name = "last year's alignment" if outcome == "aligned" else "the pair's history"
        out.append(("BoP against BoT, out of sample", f"prediction_{ev}_{outcome}",
                    f"{ev} ({outcome}, {int(s.loc['bot', 'n'])} pair-years, "
                    f"{int(s.loc['bot', 'events'])} events): AUC balance of threat "
                    f"{s.loc['bot', 'auc']:.3f}, balance of power {s.loc['bop', 'auc']:.3f}, "
                    f"controls only {s.loc['controls', 'auc']:.3f}, {lag_name} "
                    f"{s.loc['lag', 'auc']:.3f}; best log score: {_NAMES[best]} "
                    f"({s.loc[best, 'log_score']:.4f})."))
    for mid, label in (("h3_ideology_onset_regional", "sharing a regime family"),):
        r = _row(res, mid, "same_family", "dyadic")
        q = _row(res, mid, "pan_arab_pair", "dyadic")
        if r is not None and q is not None:
            out.append(("Ideology on onset", mid,
                        f"Among regional states at risk, {label} (not counting 'other' or "
                        f"military regimes) {'raises' if r.estimate > 0 else 'lowers'} the odds "
                        f"of a new alignment ({_or(r)}); two pan-Arab regimes "
                        f"{'form' if q.estimate > 0 else 'avoid'} new alignments "
                        f"{'more' if q.estimate > 0 else 'less'} often ({_or(q)}). Dyadic-robust "
                        "errors."))
    mid = "h3_duration_pair_alignment"
    r, f = _row(res, mid, "pan_arab_pair", "cluster_dyad"), _row(res, mid, "threat_fading",
                                                                  "cluster_dyad")
    if r is not None and f is not None:
        out.append(("Duration of alignments", mid,
                    f"Alignments between two pan-Arab regimes end at "
                    f"{np.exp(r.estimate):.2f} times the rate of others (hazard ratio; "
                    f"{_p(r.p_value)}, Holm {_p(r.p_holm)}: {r.verdict}); as the common threat "
                    f"fades they end {'sooner' if f.estimate > 0 else 'later'} (hazard ratio "
                    f"{f.or_per_sd:.2f} per SD of fading, {_p(f.p_value)}). {int(r.events)} "
                    f"terminations in {int(r.n)} spell-years."))
    mid = "h3_duration_membership"
    r = _row(res, mid, "pan_arab_member", "cluster_alignment")
    f = _row(res, mid, "threat_fading", "cluster_alignment")
    if r is not None and f is not None:
        out.append(("Duration of memberships", mid,
                    f"A pan-Arab regime's membership in an alignment with another pan-Arab "
                    f"regime ends at {np.exp(r.estimate):.2f} times the rate of other "
                    f"memberships (hazard ratio; {_p(r.p_value)}, Holm {_p(r.p_holm)}: "
                    f"{r.verdict}); as the shared threat fades memberships end "
                    f"{'sooner' if f.estimate > 0 else 'later'} (hazard ratio "
                    f"{f.or_per_sd:.2f} per SD of fading, {_p(f.p_value)}). "
                    f"{int(r.events)} memberships ended; errors clustered by alignment "
                    f"({int(r.n_clusters)})."))
    for donor, outcome in (("usa", "log_us_aid"), ("rus", "soviet_aid_lower")):
        mid = f"h4_event_study_{donor}_{outcome}"
        pre, post = _row(res, mid, "pre_rise"), _row(res, mid, "post_rise")
        if pre is None or post is None:
            continue
        extra = ""
        if donor == "rus":
            up = _row(res, "h4_event_study_rus_soviet_aid_upper", "pre_rise")
            if up is not None:
                extra = (f" If unrecorded Soviet aid arrived the year before each alignment, the "
                         f"rise before would be {up.estimate:.2f} (the bound).")
        out.append(("Aid timing", mid,
                    f"{'US' if donor == 'usa' else 'Coded Soviet'} aid around the "
                    f"{int(pre.events)} recipients' first alignment onsets: change in the year "
                    f"before the onset {pre.estimate:+.2f} ({_p(pre.p_value)}), after it "
                    f"{post.estimate:+.2f} ({_p(post.p_value)}); recipient and year fixed "
                    f"effects, {int(pre.n_clusters)} recipient clusters.{extra}"))
    out += _arms_readings(res)
    r = _row(res, "h5_instruments_onset", "pen_instrument_lag1", "dyadic")
    if r is not None:
        n_ep = int(res.events["instrument"].sum()) if len(res.events) else 0
        out.append(("Penetration instruments", "h5_instruments_onset",
                    f"Party links, covert action, propaganda and lobbying ({n_ep} coded "
                    f"episodes; advisers and training left out as security cooperation) "
                    f"precede new alignments with the penetrator: {_or(r)}; the episodes are "
                    "listed in design_events.csv."))
    for model in ("bot", "bop"):
        w = res.results[(res.results["model_id"] == f"{model}_redefined_aligned_weighted")]
        if w.empty:
            continue
        u = res.results[(res.results["model_id"] == f"{model}_redefined_aligned")
                        & (res.results["se_type"] == "dyadic")].set_index("term")
        ww = w.set_index("term")
        terms = [t for t in ww.index if t in u.index and u.loc[t, "key_term"]]
        flips = [t for t in terms
                 if np.sign(ww.loc[t, "estimate"]) != np.sign(u.loc[t, "estimate"])]
        out.append(("Multilateral weights", f"{model}_redefined_aligned_weighted",
                    f"Weighting pairs by 1/(k-1) and clustering by alignment, "
                    f"{len(terms) - len(flips)} of {len(terms)} key {model.upper()} terms keep "
                    f"their sign" + (f" ({', '.join(flips)} change)" if flips else "") + "."))
    u = res.uncertainty
    if len(u):
        c = u[u["source"] == "coding_resamples"]
        t = u[u["source"] == "threat_specs"]
        lo_c = c.loc[c["share_same_sign"] < 0.9, "term"].tolist()
        lo_t = t.loc[t["share_same_sign"] < 0.9, "term"].tolist()
        out.append(("Coding uncertainty", "uncertainty",
                    f"Over {int(c['draws'].max()) if len(c) else 0} resamples of the codings, "
                    f"{int((c['share_same_sign'] >= 0.9).sum())} of {len(c)} key estimates keep "
                    f"their sign in at least 90% of draws"
                    + (f" (not: {', '.join(sorted(set(lo_c)))})" if lo_c else "")
                    + f"; over {int(t['draws'].max()) if len(t) else 0} threat-index "
                    f"specifications, {int((t['share_same_sign'] >= 0.9).sum())} of {len(t)}"
                    + (f" (not: {', '.join(sorted(set(lo_t)))})" if lo_t else "") + "."))
    out += _extension_readings(res)
    return pd.DataFrame(out, columns=["design", "model_id", "reading"])


def _arms_readings(res: DesignResults) -> list[tuple[str, str, str]]:
    """Readings of the SIPRI arms-delivery event studies (US deliveries; the residual proxy)."""
    out = []
    for donor, outcome, what in (
            ("usa", "log_us_arms_tiv", "US arms deliveries (SIPRI TIV)"),
            ("rus", "log_other_arms_tiv", "Arms from suppliers other than the US, UK, France "
             "and West Germany (SIPRI TIV; a proxy for Soviet-bloc deliveries, not a count of "
             "them)")):
        mid = f"h4_event_study_{donor}_{outcome}"
        pre, post = _row(res, mid, "pre_rise"), _row(res, mid, "post_rise")
        if pre is None or post is None:
            continue
        verdict = f", Holm {_p(pre.p_holm)}: {pre.verdict}" if pre.key_term else ""
        out.append(("Arms timing", mid,
                    f"{what} around the {int(pre.events)} recipients' first alignment onsets: "
                    f"change in the year before the onset {pre.estimate:+.2f} "
                    f"({_p(pre.p_value)}{verdict}), after it {post.estimate:+.2f} "
                    f"({_p(post.p_value)}), in log(1 + TIV); recipient and year fixed effects, "
                    f"{int(pre.n_clusters)} recipient clusters."))
    return out


_EXT = "_ext"
_EXT_DESIGN = "With non-state actors and outside threats"
_EXT_EVALUATIONS = {"cv_5y_blocks": "leave-one-5-year-block-out cross-validation",
                    "holdout_1970_1979": "fit 1956-1969, predict 1970-1979"}


def _extension_readings(res: DesignResults) -> list[tuple[str, str, str]]:
    """Readings of the ``_ext`` models beside their main counterparts (:mod:`.bopbot`)."""
    out: list[tuple[str, str, str]] = []
    comp = res.comparison.set_index("outcome") if len(res.comparison) else None
    r = res.results
    for outcome in ("aligned", "onset"):
        if comp is None or f"{outcome}{_EXT}" not in comp.index or outcome not in comp.index:
            continue
        c, c0 = comp.loc[f"{outcome}{_EXT}"], comp.loc[outcome]
        fav = "balance of threat" if c["vuong_statistic_bic"] > 0 else "balance of power"
        mid = f"bot_redefined_{outcome}{_EXT}"
        ext = r[(r["model_id"] == mid) & (r["se_type"] == "dyadic") & r["key_term"]]
        main = r[(r["model_id"] == f"bot_redefined_{outcome}") & (r["se_type"] == "dyadic")
                 & r["key_term"]].set_index("term")
        same = [t for t, e in zip(ext["term"], ext["estimate"], strict=True)
                if t in main.index and np.sign(e) == np.sign(main.loc[t, "estimate"])]
        out.append((_EXT_DESIGN, f"bop_vs_bot_{outcome}{_EXT}",
                    f"With states outside the study and non-state actors among the sources "
                    f"of the shared threat, the Vuong test on {outcome} ({int(c['n'])} "
                    f"pair-years) leans to {fav} (statistic {c['vuong_statistic_bic']:.2f} "
                    f"with the BIC correction, {_p(c['vuong_p_value_bic'])}; without them "
                    f"{c0['vuong_statistic_bic']:.2f}); {len(same)} of {len(ext)} key "
                    f"balance-of-threat terms keep the sign they have without them."))
    pr = res.prediction
    name = pr["model"].str.rsplit("_", n=1)
    pr = pr.assign(outcome=name.str[-1], name=name.str[0]).set_index(
        ["outcome", "evaluation", "name"])
    for outcome in ("aligned", "onset"):
        evs = [ev for ev in _EXT_EVALUATIONS
               if all((outcome, ev, m) in pr.index for m in ("bot", f"bot{_EXT}", f"bop{_EXT}"))]
        if not evs:
            continue

        def scores(model: str, col: str, fmt: str, evs: list[str] = evs,
                   outcome: str = outcome) -> str:
            return " and ".join(format(float(pr.loc[(outcome, ev, model), col]), fmt)
                                for ev in evs)

        where = " and ".join(_EXT_EVALUATIONS[ev] for ev in evs)
        out.append((_EXT_DESIGN, f"prediction_{outcome}{_EXT}",
                    f"Predicting {outcome} with outside and non-state threat sources "
                    f"({where}): AUC of balance of threat {scores(f'bot{_EXT}', 'auc', '.3f')} "
                    f"(without them {scores('bot', 'auc', '.3f')}), of balance of power "
                    f"{scores(f'bop{_EXT}', 'auc', '.3f')}; log score of balance of threat "
                    f"{scores(f'bot{_EXT}', 'log_score', '.4f')} (without them "
                    f"{scores('bot', 'log_score', '.4f')})."))
    mid = "h3_duration_pair_alignment"
    f, f0 = _row(res, f"{mid}{_EXT}", "threat_fading", "cluster_dyad"), _row(
        res, mid, "threat_fading", "cluster_dyad")
    if f is not None and f0 is not None:
        out.append((_EXT_DESIGN, f"{mid}{_EXT}",
                    f"With the common threat's fading measured over outside and non-state "
                    f"sources too, alignments end {'sooner' if f.estimate > 0 else 'later'} "
                    f"as it fades (hazard ratio {f.or_per_sd:.2f} per SD of fading, "
                    f"{_p(f.p_value)}; without them {f0.or_per_sd:.2f}, {_p(f0.p_value)}); "
                    f"{int(f.events)} terminations in {int(f.n)} spell-years."))
    return out


def summary_markdown(res: DesignResults) -> str:
    """``design_summary.md``: the readings, the prediction table and the notes."""
    lines = ["# Designs matched to each hypothesis", ""]
    for r in design_readings(res).itertuples(index=False):
        lines.append(f"- **{r.design}** (`{r.model_id}`): {r.reading}")
    lines += ["", "## Out-of-sample prediction", "",
              "| model | evaluation | AUC | Brier | log score | n | events |",
              "|---|---|---|---|---|---|---|"]
    for r in res.prediction.itertuples(index=False):
        lines.append(f"| {r.model} | {r.evaluation} | {r.auc:.3f} | {r.brier:.4f} | "
                     f"{r.log_score:.4f} | {r.n} | {r.events} |")
    lines += ["", "## Notes", ""] + [f"- {n}" for n in res.notes] + [""]
    return "\n".join(lines)
