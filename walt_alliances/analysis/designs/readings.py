"""One-line readings of each design in plain words, generated from the numbers.

:func:`design_readings` turns a :class:`~.run.DesignResults` into one sentence per design for
the report; every figure in a sentence is read from the results, nothing is typed in. The
sentences state size and the Holm-adjusted verdict; "no evidence either way" never becomes "no
effect".

Directions in words follow one rule (:func:`clear_direction`): a reading says which way an
effect goes ("more likely", "end sooner", "favours balance of threat") only when the 95%
interval of the reported variance excludes no effect (p < 0.05); otherwise it says there is no
clear effect and gives the estimate with its interval. Odds and hazard ratios are per unit of
the term, labelled "for 0 -> 1" for indicators (Table 1b of the report gives them per SD).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .uncertainty import BLOCK_DRAWS

if TYPE_CHECKING:
    from .run import DesignResults

__all__ = ["clear_direction", "design_readings", "summary_markdown"]

#: Two-sided level at which a reading states a direction (the 95% interval excludes 0).
ALPHA = 0.05


def _row(res: DesignResults, model_id: str, term: str, se_type: str | None = None
         ) -> Any | None:
    r = res.results
    sel = r[(r["model_id"] == model_id) & (r["term"] == term)]
    if se_type is not None:
        sel = sel[sel["se_type"] == se_type]
    return None if sel.empty else sel.iloc[0]


def _p(x: float) -> str:
    return "p < 0.001" if x < 0.001 else f"p = {x:.3f}"


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def clear_direction(estimate: float, p_value: float, ci_low: float = float("nan"),
                    ci_high: float = float("nan")) -> int:
    """The direction a reading may state in words: +1, -1, or 0 for "no clear effect".

    Parameters
    ----------
    estimate : float
        The estimate (coefficient, log ratio or test statistic; 0 = no effect).
    p_value : float
        Its two-sided p-value under the reported variance.
    ci_low, ci_high : float, optional
        Its 95% interval on the same scale as ``estimate``, when there is one.

    Returns
    -------
    int
        The sign of ``estimate`` when ``p_value < 0.05`` and the interval (if given) excludes
        0; 0 otherwise (also when anything is missing).
    """
    est, p, lo, hi = _num(estimate), _num(p_value), _num(ci_low), _num(ci_high)
    if not (np.isfinite(est) and np.isfinite(p)) or p >= ALPHA:
        return 0
    if np.isfinite(lo) and np.isfinite(hi) and lo <= 0 <= hi:
        return 0
    return int(np.sign(est))


def _say(r: Any, up: str, down: str, none: str) -> str:
    """``up``, ``down`` or ``none`` by :func:`clear_direction` of a results row."""
    d = clear_direction(r.estimate, r.p_value, r.ci_low, r.ci_high)
    return up if d > 0 else down if d < 0 else none


def _scale(res: DesignResults, model_id: str, term: str) -> str:
    """"for 0 -> 1" when the term is an indicator in the model's sample, else "per unit"."""
    s = res.samples.get(model_id) if isinstance(res.samples, dict) else None
    if s is not None and term in s:
        v = pd.to_numeric(s[term], errors="coerce").dropna()
        if len(v) and v.isin([0.0, 1.0]).all():
            return "for 0 -> 1"
    return "per unit"


def _ratio(r: Any, what: str, scale: str, holm: bool = True) -> str:
    """``<what> <scale>: x, 95% CI a to b, p = ...; Holm p = ...: verdict``."""
    out = (f"{what} {scale}: {np.exp(r.estimate):.2f}, 95% CI {np.exp(r.ci_low):.2f} to "
           f"{np.exp(r.ci_high):.2f}, {_p(r.p_value)}")
    holm = holm and bool(getattr(r, "key_term", True)) and bool(r.verdict == r.verdict
                                                                   and r.verdict)
    return out + (f"; Holm {_p(r.p_holm)}: {r.verdict}" if holm else
                  ("; no expected sign, so no verdict" if not getattr(r, "key_term", True)
                   else ""))


def _or(res: DesignResults, r: Any) -> str:
    return _ratio(r, "odds ratio", _scale(res, str(r.model_id), str(r.term)))


def _hr(res: DesignResults, r: Any) -> str:
    return _ratio(r, "hazard ratio", _scale(res, str(r.model_id), str(r.term)))


def _hr_sd(r: Any, of: str) -> str:
    """Hazard ratio per SD (``or_per_sd``) with its interval on the same scale."""
    est, per_sd = float(r.estimate), float(r.or_per_sd)
    sd = np.log(per_sd) / est if est != 0 and per_sd > 0 else float("nan")
    lo, hi = np.exp(float(r.ci_low) * sd), np.exp(float(r.ci_high) * sd)
    ci = f", 95% CI {lo:.2f} to {hi:.2f}" if np.isfinite(lo) and np.isfinite(hi) else ""
    return f"hazard ratio {per_sd:.2f} per SD of {of}{ci}, {_p(r.p_value)}"


def _below_chance(s: pd.DataFrame) -> str:
    """A sentence naming the models whose AUC is below 0.5 (they rank worse than a coin)."""
    low = [_NAMES[m] for m in ("bot", "bop", "controls", "lag")
           if m in s.index and float(s.loc[m, "auc"]) < 0.5]
    if not low:
        return ""
    return (f" An AUC below 0.5 ({', '.join(low)}) ranks the pairs that align below those "
            "that do not more often than chance would: worse than no model.")


def _vuong(stat: float, p: float) -> str:
    """The Vuong verdict in words (:func:`clear_direction`), then its statistic and p."""
    d = clear_direction(stat, p)
    fav = ("favours balance of threat" if d > 0 else "favours balance of power" if d < 0
           else "favours neither model")
    return f"{fav} (statistic {stat:.2f} with the BIC correction, {_p(p)}"


_BOOT = re.compile(r"boot|wild", re.IGNORECASE)


def _boot_p(res: DesignResults, r: Any) -> float | None:
    """A bootstrap p-value for the row's model and term, when the results carry one.

    Read defensively (the wild cluster bootstrap is added to the aid designs separately): a
    column whose name mentions a bootstrap and a p-value (``p_boot``, ``p_value_wild`` ...),
    or a row of the same model and term whose ``se_type`` mentions a bootstrap.
    """
    cols = [c for c in res.results.columns if _BOOT.search(str(c))
            and re.search(r"(^|_)p($|_)|p_?value", str(c), re.IGNORECASE)]
    for c in cols:
        v = _num(r.get(c) if hasattr(r, "get") else getattr(r, c, None))
        if np.isfinite(v):
            return v
    rr = res.results
    if "se_type" in rr:
        sel = rr[(rr["model_id"] == r.model_id) & (rr["term"] == r.term)
                 & rr["se_type"].astype(str).str.contains(_BOOT)]
        for v in sel["p_value"]:
            if np.isfinite(_num(v)):
                return _num(v)
    return None


def _few_clusters(res: DesignResults, rows: list[Any], treated: int | None) -> tuple[
        list[str], str]:
    """p-values of ``rows`` in words and the caveat on few treated clusters.

    A row's bootstrap p-value (:func:`_boot_p`) is quoted, labelled, where the results carry
    one; otherwise its cluster-robust p, and the reading then says that such p-values
    overstate precision when few clusters are treated (MacKinnon & Webb 2017, 2018).
    """
    boot = [_boot_p(res, r) for r in rows]
    ps = [f"wild cluster bootstrap {_p(b)}" if b is not None else _p(r.p_value)
          for r, b in zip(rows, boot, strict=True)]
    if all(b is not None for b in boot):
        return ps, ""
    who = (f"few treated recipients ({treated} of {int(rows[0].n_clusters)} clusters)"
           if treated is not None else f"few clusters ({int(rows[0].n_clusters)} recipients)")
    what = "cluster-robust p-values" if all(b is None for b in boot) else (
        "the cluster-robust p-values (those not labelled bootstrap)")
    return ps, f" Caveat: {who}: {what} overstate precision."


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
        a = _say(sh, "states favour a partner that fears the same most threatening state",
                 "states avoid a partner that fears the same most threatening state",
                 "fearing the same most threatening state has no clear effect on the choice")
        b = _say(top, "their own most threatening state is more likely to be chosen than "
                 "other partners", "their own most threatening state is less likely to be "
                 "chosen than other partners", "being the state's own most threatening state "
                 "has no clear effect")
        pull = "the pull of the most threatening state"
        c = _say(wk, f"{pull} is stronger for weak states", f"{pull} is weaker for weak states",
                 f"{pull} shows no clear difference for weak states")
        e = _say(few, f"{pull} is stronger where few allies share the threat",
                 f"{pull} is weaker where few allies share the threat",
                 f"{pull} shows no clear difference where few allies share the threat")
        out.append(("Partner choice", mid,
                    f"Choosing among potential partners, {a} ({_or(res, sh)}); {b} "
                    f"({_or(res, top)}); {c} ({_or(res, wk)}); {e} ({_or(res, few)}). "
                    f"Errors clustered by choosing state "
                    f"({int(sh.n_clusters)}); they miss dependence through shared partners "
                    "(such as the superpowers, in every choice set), so they may be too "
                    "small."))
    base = _row(res, mid, "shares_top_threat", "cluster_chooser")
    variants = []
    for vid, label in (("partner_choice_state_year_with_non_state", "with non-state partners"),
                       ("partner_choice_state_year_outside_threats",
                        "with outside states' threats ranked"),
                       ("partner_choice_state_year_partner_effects",
                        "with partner constants"),
                       ("partner_choice_accession", "by accession event")):
        v = _row(res, vid, "shares_top_threat", "cluster_chooser")
        t = _row(res, vid, "is_top_threat", "cluster_chooser")
        if v is not None and t is not None:
            variants.append(f"{label}: {v.estimate:.2f} ({_p(v.p_value)}) and "
                            f"{t.estimate:.2f} ({_p(t.p_value)})")
    if base is not None and top is not None and variants:
        out.append(("Partner choice, variants", "partner_choice_variants",
                    f"Coefficients (log-odds) on sharing the top threat and on being the top "
                    f"threat, "
                    f"main {base.estimate:.2f} and {top.estimate:.2f}; " + "; ".join(variants)
                    + "."))
    if len(res.comparison):
        for c in res.comparison.itertuples(index=False):
            if str(c.outcome).endswith(_EXT):
                continue  # read with the extension, below
            out.append(("BoP against BoT, in sample", f"bop_vs_bot_{c.outcome}",
                        f"On {c.outcome} ({c.n} pair-years, {c.events} events) the Vuong test "
                        f"{_vuong(c.vuong_statistic_bic, c.vuong_p_value_bic)}; it treats "
                        "pair-years as independent)."))
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
                    f"({s.loc[best, 'log_score']:.4f})." + _below_chance(s)))
    for mid, label in (("h3_ideology_onset_regional", "sharing a regime family"),):
        r = _row(res, mid, "same_family", "dyadic")
        q = _row(res, mid, "pan_arab_pair", "dyadic")
        if r is not None and q is not None:
            a = _say(r, "raises the odds of a new alignment", "lowers the odds of a new "
                     "alignment", "has no clear effect on the odds of a new alignment")
            b = _say(q, "two pan-Arab regimes form new alignments more often",
                     "two pan-Arab regimes form new alignments less often",
                     "two pan-Arab regimes show no clear difference in forming new alignments")
            out.append(("Ideology on onset", mid,
                        f"Among regional states at risk, {label} (not counting 'other' or "
                        f"military regimes) {a} ({_or(res, r)}); {b} ({_or(res, q)}). "
                        "Dyadic-robust errors."))
    mid = "h3_duration_pair_alignment"
    r, f = _row(res, mid, "pan_arab_pair", "cluster_dyad"), _row(res, mid, "threat_fading",
                                                                  "cluster_dyad")
    if r is not None and f is not None:
        a = _say(r, "Alignments between two pan-Arab regimes end sooner than others",
                 "Alignments between two pan-Arab regimes last longer than others",
                 "Alignments between two pan-Arab regimes show no clear difference from "
                 "others in how long they last")
        b = _say(f, "as the common threat fades they end sooner", "as the common threat "
                 "fades they end later", "the fading of the common threat has no clear effect "
                 "on when they end")
        out.append(("Duration of alignments", mid,
                    f"{a} ({_hr(res, r)}); {b} ({_hr_sd(f, 'fading')}). {int(r.events)} "
                    f"terminations in {int(r.n)} spell-years."))
    mid = "h3_duration_membership"
    r = _row(res, mid, "pan_arab_member", "cluster_alignment")
    f = _row(res, mid, "threat_fading", "cluster_alignment")
    if r is not None and f is not None:
        who = ("A pan-Arab regime's membership in an alignment with another pan-Arab regime")
        a = _say(r, f"{who} ends sooner than other memberships", f"{who} lasts longer than "
                 "other memberships", f"{who} shows no clear difference from other "
                 "memberships in how long it lasts")
        b = _say(f, "as the shared threat fades memberships end sooner", "as the shared "
                 "threat fades memberships end later", "the fading of the shared threat has "
                 "no clear effect on when memberships end")
        out.append(("Duration of memberships", mid,
                    f"{a} ({_hr(res, r)}); {b} ({_hr_sd(f, 'fading')}). "
                    f"{int(r.events)} memberships ended; errors clustered by alignment "
                    f"({int(r.n_clusters)})."))
    for donor, outcome, what in (("usa", "log_us_aid", "US aid"),
                                 ("rus", "soviet_aid_lower", "Coded Soviet aid")):
        mid = f"h4_event_study_{donor}_{outcome}"
        extra = ""
        if donor == "rus":
            up = _es_row(res, "h4_event_study_rus_soviet_aid_upper", "pre_rise")
            if up is not None:
                extra = (f" If unrecorded Soviet aid arrived the year before each alignment, the "
                         f"rise before would be {up.estimate:.2f} (the bound).")
        text = _event_study_reading(res, mid, what, extra=extra)
        if text is not None:
            out.append(("Aid timing", mid, text))
    out += _arms_readings(res)
    out += _crosslag_readings(res)
    r = _row(res, "h5_instruments_onset", "pen_instrument_lag1", "dyadic")
    if r is not None:
        n_ep = int(res.events["instrument"].sum()) if len(res.events) else 0
        a = _say(r, "are followed by more new alignments with the penetrator",
                 "are followed by fewer new alignments with the penetrator",
                 "show no clear link to new alignments with the penetrator")
        out.append(("Penetration instruments", "h5_instruments_onset",
                    f"Party links, covert action, propaganda and lobbying ({n_ep} coded "
                    f"episodes; advisers and training left out as security cooperation) "
                    f"{a} ({_or(res, r)}); the episodes are listed in {EVENTS_FILES}."))
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
        total = int(c["draws"].max()) if len(c) else 0
        short = c.loc[c["draws"] < total].drop_duplicates("model_id")
        missing = "; ".join(f"{m} estimable in {int(d)}" for m, d in
                            zip(short["model_id"], short["draws"], strict=True))
        out.append(("Coding uncertainty", "uncertainty",
                    f"Over {total} draws that drop codings by their confidence (alignments "
                    "per draw; hostile acts and regime spells redrawn in blocks of "
                    f"{BLOCK_DRAWS}; records are only dropped, never added)"
                    + (f", leaving out draws whose data are separated ({missing})"
                       if missing else "")
                    + f", {int((c['share_same_sign'] >= 0.9).sum())} of {len(c)} key "
                    "estimates keep their sign in at least 90% of draws"
                    + (f" (not: {', '.join(sorted(set(lo_c)))})" if lo_c else "")
                    + f"; over {int(t['draws'].max()) if len(t) else 0} threat-index "
                    f"specifications, {int((t['share_same_sign'] >= 0.9).sum())} of {len(t)}"
                    + (f" (not: {', '.join(sorted(set(lo_t)))})" if lo_t else "") + "."))
    out += _extension_readings(res)
    return pd.DataFrame(out, columns=["design", "model_id", "reading"])


def _event_study_reading(res: DesignResults, mid: str, what: str, *, units: str = "",
                         extra: str = "") -> str | None:
    """One event study in words: the change before and after onset, their p (and Holm)."""
    pre, post = _es_row(res, mid, "pre_rise"), _es_row(res, mid, "post_rise")
    if pre is None or post is None:
        return None
    (p_pre, p_post), caveat = _few_clusters(res, [pre, post], int(pre.events))
    verdict = (f", Holm {_p(pre.p_holm)}: {pre.verdict}"
               if pre.key_term and isinstance(pre.verdict, str) and pre.verdict else "")
    return (f"{what} around the {int(pre.events)} recipients' first alignment onsets: "
            f"change in the year before the onset {pre.estimate:+.2f} ({p_pre}{verdict}), "
            f"after it {post.estimate:+.2f} ({p_post}){units}; recipient and year fixed "
            f"effects, {int(pre.n_clusters)} recipient clusters.{extra}{caveat}")


def _arms_readings(res: DesignResults) -> list[tuple[str, str, str]]:
    """Readings of the SIPRI arms-delivery event studies (US deliveries; the residual proxy)."""
    out = []
    for donor, outcome, what in (
            ("usa", "log_us_arms_tiv", "US arms deliveries (SIPRI TIV)"),
            ("rus", "log_other_arms_tiv", "Arms from suppliers other than the US, UK, France "
             "and West Germany (SIPRI TIV; a proxy for Soviet-bloc deliveries, not a count of "
             "them)")):
        mid = f"h4_event_study_{donor}_{outcome}"
        text = _event_study_reading(res, mid, what, units=", in log(1 + TIV)")
        if text is not None:
            out.append(("Arms timing", mid, text))
    return out


#: Where the penetration episodes are written (``designs --out`` and ``hypotheses --out``
#: write ``design_events.csv``; ``reproduce`` puts them in ``hypotheses/events.csv``).
EVENTS_FILES = ("design_events.csv (walt-alliances designs or hypotheses --out; "
                "hypotheses/events.csv in a reproduce folder)")

#: Primary variance of the aid designs (event studies and cross-lagged models).
_AID_SE = "cluster_recipient"


def _es_row(res: DesignResults, model_id: str, term: str) -> Any | None:
    """The aid designs' row for a term.

    Its wild cluster bootstrap row when the results carry one (its p-value, interval and Holm
    verdict), else the cluster-robust row, else any row.
    """
    r = res.results
    if "se_type" in r:
        sel = r[(r["model_id"] == model_id) & (r["term"] == term)
                & r["se_type"].astype(str).str.contains(_BOOT)]
        if len(sel):
            return sel.iloc[0]
    row = _row(res, model_id, term, _AID_SE)
    return row if row is not None else _row(res, model_id, term)


_CROSSLAG = (("usa", "log_us_aid", "US aid (log constant dollars)"),
             ("rus", "soviet_aid_lower", "Coded Soviet aid"))


def _crosslag_readings(res: DesignResults) -> list[tuple[str, str, str]]:
    """Readings of the cross-lagged models: aid on last year's alignment and the reverse."""
    out = []
    for donor, outcome, what in _CROSSLAG:
        m_aid, m_al = f"h4_crosslag_aid_{donor}_{outcome}", f"h4_crosslag_align_{donor}_{outcome}"
        follows = _es_row(res, m_aid, "aligned_lag1")
        leads = _es_row(res, m_al, f"{outcome}_lag1")
        if follows is None or leads is None:
            continue
        (p_f, p_l), caveat = _few_clusters(res, [follows, leads], None)
        a = _say(follows, "rises after a year of alignment with the donor", "falls after a "
                 "year of alignment with the donor", "shows no clear change after a year of "
                 "alignment with the donor")
        b = _say(leads, "raises the odds of alignment the next year", "lowers the odds of "
                 "alignment the next year", "has no clear effect on alignment the next year")
        out.append(("Aid timing, cross-lagged", f"h4_crosslag_{donor}_{outcome}",
                    f"{what} {a} (coefficient {follows.estimate:+.2f}, 95% CI "
                    f"{follows.ci_low:+.2f} to {follows.ci_high:+.2f}, {p_f}); aid "
                    f"{b} (odds ratio per unit {np.exp(leads.estimate):.2f}, 95% CI "
                    f"{np.exp(leads.ci_low):.2f} to {np.exp(leads.ci_high):.2f}, {p_l}); "
                    f"{int(follows.n)} recipient-years, {int(follows.n_clusters)} recipient "
                    f"clusters.{caveat}"))
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
    who, sources = _ext_sources(res)
    if sources:
        out.append((_EXT_DESIGN, f"threat_sources{_EXT}", sources))
    for outcome in ("aligned", "onset"):
        if comp is None or f"{outcome}{_EXT}" not in comp.index or outcome not in comp.index:
            continue
        c, c0 = comp.loc[f"{outcome}{_EXT}"], comp.loc[outcome]
        mid = f"bot_redefined_{outcome}{_EXT}"
        ext = r[(r["model_id"] == mid) & (r["se_type"] == "dyadic") & r["key_term"]]
        main = r[(r["model_id"] == f"bot_redefined_{outcome}") & (r["se_type"] == "dyadic")
                 & r["key_term"]].set_index("term")
        same = [t for t, e in zip(ext["term"], ext["estimate"], strict=True)
                if t in main.index and np.sign(e) == np.sign(main.loc[t, "estimate"])]
        out.append((_EXT_DESIGN, f"bop_vs_bot_{outcome}{_EXT}",
                    f"With {who} among the sources of the shared threat, the Vuong test on "
                    f"{outcome} ({int(c['n'])} pair-years) "
                    f"{_vuong(c['vuong_statistic_bic'], c['vuong_p_value_bic'])}; without "
                    f"them {c0['vuong_statistic_bic']:.2f}, {_p(c0['vuong_p_value_bic'])}); "
                    f"{len(same)} of {len(ext)} key balance-of-threat terms keep the sign they "
                    f"have without them."))
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
                    f"Predicting {outcome} with {who} as threat sources "
                    f"({where}): AUC of balance of threat {scores(f'bot{_EXT}', 'auc', '.3f')} "
                    f"(without them {scores('bot', 'auc', '.3f')}), of balance of power "
                    f"{scores(f'bop{_EXT}', 'auc', '.3f')}; log score of balance of threat "
                    f"{scores(f'bot{_EXT}', 'log_score', '.4f')} (without them "
                    f"{scores('bot', 'log_score', '.4f')})."))
    mid = "h3_duration_pair_alignment"
    f, f0 = _row(res, f"{mid}{_EXT}", "threat_fading", "cluster_dyad"), _row(
        res, mid, "threat_fading", "cluster_dyad")
    if f is not None and f0 is not None:
        a = _say(f, "alignments end sooner as it fades", "alignments end later as it fades",
                 "its fading has no clear effect on when alignments end")
        out.append((_EXT_DESIGN, f"{mid}{_EXT}",
                    f"With the common threat's fading measured over {who} too, {a} "
                    f"({_hr_sd(f, 'fading')}; without them {f0.or_per_sd:.2f}, "
                    f"{_p(f0.p_value)}); {int(f.events)} terminations in {int(f.n)} "
                    "spell-years."))
    return out


def _ext_sources(res: DesignResults) -> tuple[str, str]:
    """Who the ``_ext`` rows add as threat sources, and a reading of the counts by source.

    From ``res.threat_sources`` (:func:`.outside.threat_source_counts`): when no coded
    hostile act involves a non-state actor, every non-state threat is 0 and the rows add
    outside states only, which the readings say; the counts come from the data, not the
    text. Returns ``("states outside the study and non-state actors", "")`` when the counts
    are not at hand.
    """
    both = "states outside the study and non-state actors"
    ts = getattr(res, "threat_sources", None)
    if not isinstance(ts, pd.DataFrame) or ts.empty or "kind" not in ts:
        return both, ""
    comp = res.comparison.set_index("outcome") if len(res.comparison) else None
    n = (f" of {int(comp.loc[f'aligned{_EXT}', 'n']):,}" if comp is not None
         and f"aligned{_EXT}" in comp.index else "")
    out_s, ns = ts[ts["kind"] == "outside_state"], ts[ts["kind"] == "non_state"]
    hit = out_s[out_s["pair_years"] > 0]
    zero = out_s[out_s["pair_years"] == 0]
    parts = [f"{r.name} {int(r.pair_years):,}" for r in hit.itertuples()]
    if len(zero):
        parts.append("never " + ", ".join(str(x) for x in zero["name"]))
    text = (f"In the ext rows an outside state is the shared threat of "
            f"{int(out_s['pair_years'].sum()):,}{n} pair-years ({'; '.join(parts)}); an "
            "outside state counts as a threat to a state only where it borders it or "
            "initiated a MID, war or coded hostile act against it in the previous five years.")
    ns_acts = int(ns["hostile_acts"].sum()) if len(ns) else 0
    ns_years = int(ns["pair_years"].sum()) if len(ns) else 0
    if not len(ns):
        text += " The data have no non-state actor, so these rows add outside states only."
        return "states outside the study", text
    if ns_acts == 0:
        text += (" With these codings the rows add outside states only: no coded hostile "
                 "act involves a non-state actor, so every non-state threat is 0.")
        return "states outside the study", text
    text += (f" Non-state actors: {ns_acts} coded hostile act(s) involve one; the shared "
             f"threat of {ns_years:,} pair-years"
             + (" (" + ", ".join(f"{r.name} {int(r.pair_years):,}" for r in
                                  ns[ns["pair_years"] > 0].itertuples()) + ")"
                if ns_years else "") + ".")
    return both, text


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
