"""Plain-word readings: directions only when the interval excludes no effect, labelled scales,
the few-clusters caveat of the aid designs, and what the ``_ext`` rows add.

Every reading here is built from hand-made results rows, so the expected words follow from the
numbers typed in (an estimate of 0.37 with p = 0.23 has no clear direction, whatever its sign).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis.designs._rows import RESULT_COLUMNS
from walt_alliances.analysis.designs.readings import clear_direction, design_readings
from walt_alliances.analysis.designs.run import DesignResults

Z = 1.959964  # normal 97.5% point: intervals below are estimate +- Z * se


def row(model_id: str, term: str, est: float, se: float, *, se_type: str, p: float,
        n_clusters: int = 20, events: int = 50, key: bool = True, **extra: object
        ) -> dict[str, object]:
    r = {c: np.nan for c in RESULT_COLUMNS}
    r.update({"model_id": model_id, "term": term, "estimate": est, "std_error": se,
              "se_type": se_type, "p_value": p, "p_holm": min(1.0, 4 * p),
              "ci_low": est - Z * se, "ci_high": est + Z * se, "or_per_sd": np.exp(est * 0.5),
              "key_term": key, "n": 1000, "events": events, "n_clusters": n_clusters,
              "verdict": "no evidence either way", "method": "x"})
    r.update(extra)
    return r


def results(rows: list[dict[str, object]], comparison: pd.DataFrame | None = None,
            samples: dict[str, pd.DataFrame] | None = None,
            threat_sources: pd.DataFrame | None = None) -> DesignResults:
    res = pd.DataFrame(rows, columns=None if rows else list(RESULT_COLUMNS))
    extra = [c for c in res.columns if c not in RESULT_COLUMNS]
    res = res[[*RESULT_COLUMNS, *extra]]
    kw = {} if threat_sources is None else {"threat_sources": threat_sources}
    return DesignResults(res, pd.DataFrame(columns=["model", "evaluation"]), pd.DataFrame(),
                         comparison if comparison is not None else pd.DataFrame(),
                         pd.DataFrame(), samples or {}, **kw)


def reading(res: DesignResults, model_id: str) -> str:
    rd = design_readings(res).set_index("model_id")["reading"]
    return str(rd[model_id])


# -- the rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "want"), [
    ((0.37, 0.228, -0.25, 1.00), 0),    # interval includes 0: no direction, positive estimate
    ((-0.66, 0.510), 0),                # a test statistic without an interval
    ((0.90, 0.010, 0.20, 1.60), 1),
    ((-2.28, 0.003, -3.68, -0.87), -1),
    ((2.0, 0.049), 1), ((2.0, 0.050), 0),   # p < 0.05, strictly
    ((0.5, 0.01, -0.1, 1.1), 0),        # interval and p disagree: the cautious reading
    ((0.5, float("nan")), 0), ((float("nan"), 0.01), 0),
])
def test_clear_direction(args, want):
    assert clear_direction(*args) == want


# -- partner choice -----------------------------------------------------------------------

PC = "partner_choice_state_year"


def partner_rows(sh=(0.3718, 0.2985, 0.228), top=(0.744, 0.646, 0.264),
                 wk=(1.455, 0.717, 0.057), few=(-2.276, 0.673, 0.003)):
    return [row(PC, t, e, s, se_type="cluster_chooser", p=p)
            for t, (e, s, p) in (("shares_top_threat", sh), ("is_top_threat", top),
                                 ("top_x_weak", wk), ("top_x_few", few))]


def binary_sample(terms, n=40):
    return pd.DataFrame({t: np.tile([0.0, 1.0], n // 2) for t in terms})


def test_partner_choice_states_no_direction_the_interval_does_not_support():
    # the shipped figures: only top_x_few's interval excludes 0
    text = reading(results(partner_rows()), PC)
    assert "states favour" not in text and "more likely" not in text
    assert "stronger for weak states" not in text
    assert "fearing the same most threatening state has no clear effect" in text
    assert "no clear difference for weak states" in text
    assert "weaker where few allies share the threat" in text  # p = 0.003, negative


def test_partner_choice_gives_the_direction_its_sign_when_clear():
    neg = reading(results(partner_rows(sh=(-0.9, 0.3, 0.003))), PC)
    assert "states avoid a partner that fears the same" in neg and "favour" not in neg
    pos = reading(results(partner_rows(sh=(0.9, 0.3, 0.003), top=(-1.2, 0.4, 0.003))), PC)
    assert "states favour a partner that fears the same" in pos
    assert "less likely to be chosen" in pos


def test_odds_ratios_name_their_scale():
    rows = partner_rows()
    per_unit = reading(results(rows), PC)  # no sample at hand: exp(b) is per unit
    assert f"odds ratio per unit: {np.exp(0.3718):.2f}" in per_unit
    terms = ["shares_top_threat", "is_top_threat", "top_x_weak", "top_x_few"]
    text = reading(results(rows, samples={PC: binary_sample(terms)}), PC)
    assert f"odds ratio for 0 -> 1: {np.exp(0.3718):.2f}, 95% CI " \
           f"{np.exp(0.3718 - Z * 0.2985):.2f} to {np.exp(0.3718 + Z * 0.2985):.2f}" in text
    cont = binary_sample(terms).assign(top_x_weak=np.linspace(0, 3, 40))
    text = reading(results(rows, samples={PC: cont}), PC)
    assert f"odds ratio per unit: {np.exp(1.455):.2f}" in text


def test_partner_variants_say_their_coefficients_are_log_odds():
    rows = partner_rows() + [
        row("partner_choice_accession", t, 0.8, 0.3, se_type="cluster_chooser", p=0.002)
        for t in ("shares_top_threat", "is_top_threat")]
    assert "(log-odds)" in reading(results(rows), "partner_choice_variants")


# -- Vuong --------------------------------------------------------------------------------


def comparison(rows):
    return pd.DataFrame([{"outcome": o, "n": 4494, "events": 157, "vuong_statistic_bic": z,
                          "vuong_p_value_bic": p} for o, z, p in rows])


def test_vuong_names_a_model_only_when_p_below_005():
    res = results([], comparison([("aligned", 4.84, 1.3e-6), ("onset", -0.66, 0.510),
                                  ("aligned_ext", -2.5, 0.012), ("onset_ext", -0.91, 0.365)]))
    rd = design_readings(res).set_index("model_id")["reading"]
    assert "favours balance of threat (statistic 4.84" in rd["bop_vs_bot_aligned"]
    assert "favours neither model (statistic -0.66 with the BIC correction, p = 0.510" \
        in rd["bop_vs_bot_onset"]
    assert "balance of power" not in rd["bop_vs_bot_onset"]
    assert "favours neither model (statistic -0.91" in rd["bop_vs_bot_onset_ext"]
    assert "favours balance of power (statistic -2.50" in rd["bop_vs_bot_aligned_ext"]


# -- ideology, duration, penetration ------------------------------------------------------


def test_ideology_and_duration_follow_the_same_rule():
    ide = "h3_ideology_onset_regional"
    dur = "h3_duration_pair_alignment"
    rows = [row(ide, "same_family", 0.30, 0.33, se_type="dyadic", p=0.339),
            row(ide, "pan_arab_pair", 1.65, 0.317, se_type="dyadic", p=1e-6),
            row(dur, "pan_arab_pair", 0.61, 0.27, se_type="cluster_dyad", p=0.023),
            row(dur, "threat_fading", -0.10, 0.21, se_type="cluster_dyad", p=0.620)]
    res = results(rows)
    t = reading(res, ide)
    assert "raises the odds" not in t and "has no clear effect on the odds" in t
    assert "two pan-Arab regimes form new alignments more often" in t
    d = reading(res, dur)
    assert "end sooner than others" in d and "end later" not in d
    assert "the fading of the common threat has no clear effect on when they end" in d
    # the per-SD interval is the coefficient's interval on the per-SD scale
    lo, hi = np.exp(0.5 * (-0.10 - Z * 0.21)), np.exp(0.5 * (-0.10 + Z * 0.21))
    assert f"hazard ratio {np.exp(-0.05):.2f} per SD of fading, 95% CI {lo:.2f} to {hi:.2f}" \
        in d


def test_penetration_reading_names_both_event_files():
    rows = [row("h5_instruments_onset", "pen_instrument_lag1", 0.2, 0.6, se_type="dyadic",
                p=0.74)]
    t = reading(results(rows), "h5_instruments_onset")
    assert "precede" not in t and "no clear link" in t
    assert "design_events.csv" in t and "hypotheses/events.csv" in t


def test_the_events_file_names_are_the_ones_written(tmp_path):
    """``designs``/``hypotheses --out`` write design_events.csv; the report writes its extra
    frames as hypotheses/<name>.csv, and the designs' episodes are the extra frame 'events'."""
    from walt_alliances.analysis.designs.run import design_files
    from walt_alliances.report.summary import AnalysisOutputs

    ev = pd.DataFrame({"instrument": [True], "episode": ["x"]})
    res = results([])
    res = DesignResults(res.results, res.prediction, res.uncertainty, res.comparison, ev, {})
    assert "design_events.csv" in design_files(res)
    assert "events" in AnalysisOutputs.from_object(res).extra


# -- aid timing: few treated clusters -----------------------------------------------------

ES = "h4_event_study_rus_soviet_aid_lower"


def es_rows(**extra):
    return [row(ES, t, e, s, se_type="cluster_recipient", p=p, n_clusters=21, events=5,
                key=False, **extra)
            for t, e, s, p in (("pre_rise", -0.005, 0.04, 0.902),
                               ("post_rise", 0.46, 0.1, 0.0001))]


def test_event_study_reading_warns_about_few_treated_clusters():
    t = reading(results(es_rows()), ES)
    assert "(p < 0.001)" in t
    assert "few treated recipients (5 of 21 clusters): cluster-robust p-values overstate " \
           "precision" in t


@pytest.mark.parametrize("how", ["column", "row"])
def test_event_study_reading_quotes_a_bootstrap_p_when_present(how):
    if how == "column":
        rows = es_rows()
        rows[0]["p_wild_boot"], rows[1]["p_wild_boot"] = 0.93, 0.27
    else:
        rows = es_rows() + [row(ES, t, e, 0.0, se_type="wild_cluster_bootstrap", p=p,
                                n_clusters=21, events=5, key=False)
                            for t, e, p in (("pre_rise", -0.005, 0.93),
                                            ("post_rise", 0.46, 0.27))]
    t = reading(results(rows), ES)
    assert "wild cluster bootstrap p = 0.930" in t and "wild cluster bootstrap p = 0.270" in t
    assert "p < 0.001" not in t and "overstate" not in t


def test_cross_lagged_reading_follows_the_rule_and_warns():
    a, b = "h4_crosslag_aid_usa_log_us_aid", "h4_crosslag_align_usa_log_us_aid"
    rows = [row(a, "aligned_lag1", 0.65, 0.34, se_type="cluster_recipient", p=0.057,
                n_clusters=21, key=False),
            row(b, "log_us_aid_lag1", 0.26, 0.17, se_type="cluster_recipient", p=0.123,
                n_clusters=21, key=False)]
    t = reading(results(rows), "h4_crosslag_usa_log_us_aid")
    assert "no clear change after a year of alignment" in t and "no clear effect" in t
    assert "cluster-robust p-values overstate precision" in t


# -- the _ext rows: which sources they add --------------------------------------------------


def sources(non_state_acts: int) -> pd.DataFrame:
    return pd.DataFrame({"source": ["COW:CHN", "COW:SPN", "COW:IND", "PLO"],
                         "name": ["China", "Spain", "India", "PLO"],
                         "kind": ["outside_state"] * 3 + ["non_state"],
                         "pair_years": [64, 23, 0, 0], "hostile_acts": [0, 0, 2,
                                                                        non_state_acts]})


def test_ext_readings_say_when_no_hostile_act_involves_a_non_state_actor():
    comp = comparison([("aligned", 4.84, 1e-6), ("aligned_ext", 4.82, 1e-6)]).assign(n=5532)
    rd = design_readings(results([], comp, threat_sources=sources(0))).set_index("model_id")
    t = rd.loc["threat_sources_ext", "reading"]
    assert "shared threat of 87 of 5,532 pair-years (China 64; Spain 23; never India)" in t
    assert "no coded hostile act involves a non-state actor" in t
    assert "non-state actors among" not in rd.loc["bop_vs_bot_aligned_ext", "reading"]
    # one coded act by a non-state actor: the sentence goes (computed, not typed in)
    rd = design_readings(results([], comp, threat_sources=sources(1))).set_index("model_id")
    t = rd.loc["threat_sources_ext", "reading"]
    assert "no coded hostile act" not in t and "1 coded hostile act(s) involve one" in t
    assert "and non-state actors among" in rd.loc["bop_vs_bot_aligned_ext", "reading"]


def test_report_paragraph_on_the_ext_rows_carries_the_source_counts():
    from walt_alliances.report.report import _bop_bot_section
    from walt_alliances.report.summary import AnalysisOutputs

    comp = comparison([("aligned", 4.84, 1e-6), ("aligned_ext", 4.82, 1e-6)]).assign(n=5532)
    res = results([row("bot_redefined_aligned_ext", "bot_intent", 0.1, 0.1, se_type="dyadic",
                       p=0.3)], comp, threat_sources=sources(0))
    an = AnalysisOutputs(results=res.results)
    an.extra["design_readings"] = design_readings(res)
    text = " ".join(str(b.get("text", "")) for b in _bop_bot_section(an)["blocks"])
    assert "(China 64; Spain 23; never India)" in text
    assert "no coded hostile act involves a non-state actor" in text


def test_cross_lagged_reading_quotes_the_bootstrap_where_there_is_one():
    """The bootstrap covers the OLS aid equation only: the logit's p stays cluster-robust,
    with the caveat; the direction follows the bootstrap row's p and interval."""
    a, b = "h4_crosslag_aid_usa_log_us_aid", "h4_crosslag_align_usa_log_us_aid"
    rows = [row(a, "aligned_lag1", 0.65, 0.25, se_type="cluster_recipient", p=0.02,
                n_clusters=21, key=False),
            row(a, "aligned_lag1", 0.65, 0.4, se_type="wild_cluster_bootstrap", p=0.21,
                n_clusters=21, key=False),
            row(b, "log_us_aid_lag1", 0.26, 0.17, se_type="cluster_recipient", p=0.123,
                n_clusters=21, key=False)]
    t = reading(results(rows), "h4_crosslag_usa_log_us_aid")
    assert "wild cluster bootstrap p = 0.210" in t and "p = 0.020" not in t
    assert "no clear change after a year of alignment" in t  # bootstrap p 0.21, not 0.02
    assert ", p = 0.123)" in t
    assert "the cluster-robust p-values (those not labelled bootstrap) overstate" in t


def test_an_auc_below_one_half_is_called_worse_than_chance() -> None:
    from walt_alliances.analysis.designs.readings import _below_chance

    s = pd.DataFrame({"auc": [0.43, 0.53, 0.41, 0.39]},
                     index=["bot", "bop", "controls", "lag"])
    text = _below_chance(s)
    assert "balance of threat" in text and "controls only" in text
    assert "balance of power" not in text and "worse than no model" in text
    assert _below_chance(s.assign(auc=0.6)) == ""
