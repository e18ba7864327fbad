"""The SIPRI arms outcomes of the aid design: planted effects recovered on synthetic data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis.designs import aid as A

# noise-free synthetic data: exact fits (zero residuals) and collinear toy aid series warn
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning",
                                        "ignore:The design matrix is rank-deficient")

ONSETS = {"USA": {"R1": 1960, "R2": 1965}, "RUS": {"R3": 1962, "R4": 1968}}
CCODE = {"R1": 901, "R2": 902, "R3": 903, "R4": 904, "R5": 905, "R6": 906}


def toy(pre_step: float = 1.5, post_step: float = 2.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six recipients, 1955-1975; US arms step up from the year before a US onset
    (``pre_step``: arms first), the proxy steps up in the onset year of a Soviet onset
    (``post_step``: arms follow). R6 has no SIPRI row."""
    rows, arms = [], []
    for i, r in enumerate(CCODE):
        for y in range(1955, 1976):
            for donor in ("USA", "RUS"):
                e = ONSETS[donor].get(r)
                al = int(e is not None and y >= e)
                rows.append({"actor1": r, "actor2": donor, "ccode1": CCODE[r],
                             "kind1": "regional_state", "year": y, "aligned": al,
                             "onset": int(al and y == e),
                             "aid_us_oblig_constant": 1e6 * (1 + i + (y * 7) % 5),
                             "aid_soviet": (y + i) % 3 == 0})
            if r == "R6":
                continue
            base = 0.5 + 0.2 * i + 0.03 * (y - 1955)
            eu, er = ONSETS["USA"].get(r), ONSETS["RUS"].get(r)
            us = base + (pre_step if eu is not None and y >= eu - 1 else 0.0)
            other = base + 0.1 + (post_step if er is not None and y >= er else 0.0)
            arms.append({"ccode": CCODE[r], "year": y, "tiv_us": np.expm1(us),
                         "tiv_other": np.expm1(other)})
    return pd.DataFrame(rows), pd.DataFrame(arms)


def test_us_arms_before_alignment_show_as_pre_rise():
    panel, arms = toy()
    a = A.aid_panel(panel, arms)
    _, _, c = A.event_study(a, "USA", "log_us_arms_tiv")
    c = c.set_index("term")["estimate"]
    assert c["pre_rise"] == pytest.approx(1.5, abs=1e-8)
    assert c["post_rise"] == pytest.approx(0.0, abs=1e-8)


def test_proxy_after_alignment_shows_as_post_rise():
    panel, arms = toy()
    a = A.aid_panel(panel, arms)
    sample, _, c = A.event_study(a, "RUS", "log_other_arms_tiv")
    c = c.set_index("term")["estimate"]
    assert c["pre_rise"] == pytest.approx(0.0, abs=1e-8)
    assert c["post_rise"] == pytest.approx(2.0, abs=1e-8)
    assert "R6" not in set(sample["actor_a"])  # no SIPRI row: missing, not 0


def test_each_donor_gets_its_own_arms_outcome():
    panel, arms = toy()
    a = A.aid_panel(panel, arms)
    usa, rus = a[a["actor_b"] == "USA"], a[a["actor_b"] == "RUS"]
    assert usa["log_other_arms_tiv"].isna().all() and rus["log_us_arms_tiv"].isna().all()
    r1 = usa[(usa["actor_a"] == "R1") & (usa["year"] == 1959)]
    assert r1["log_us_arms_tiv"].iloc[0] == pytest.approx(0.5 + 0.12 + 1.5)
    lag = usa[(usa["actor_a"] == "R1") & (usa["year"] == 1960)]["log_us_arms_tiv_lag1"]
    assert lag.iloc[0] == pytest.approx(0.5 + 0.12 + 1.5)


def test_rows_have_distinct_ids_and_arms_models_need_arms():
    panel, arms = toy()
    rows, samples, _ = A.event_study_rows(A.aid_panel(panel, arms))
    cl, _ = A.cross_lagged(A.aid_panel(panel, arms))
    ids = {r["model_id"] for r in rows + cl}
    assert {"h4_event_study_usa_log_us_arms_tiv", "h4_event_study_rus_log_other_arms_tiv",
            "h4_crosslag_aid_usa_log_us_arms_tiv", "h4_crosslag_aid_rus_log_other_arms_tiv",
            } <= ids
    keys = [(r["model_id"], r["term"], r["se_type"]) for r in rows + cl]
    assert len(keys) == len(set(keys))
    # every OLS row has its wild cluster bootstrap twin; the logit's do not
    ols = {(m, t) for m, t, se in keys if se == "cluster_recipient" and "crosslag_align" not in m}
    assert ols == {(m, t) for m, t, se in keys if se == A.WILD_SE}
    # the proxy has no key term (no verdict); US arms keep pre_rise as key
    key = {(r["model_id"], r["term"]) for r in rows if r["key_term"]}
    assert ("h4_event_study_usa_log_us_arms_tiv", "pre_rise") in key
    assert not any(m.endswith("log_other_arms_tiv") for m, _ in key)
    rows0, _, _ = A.event_study_rows(A.aid_panel(panel))
    assert not any("arms" in r["model_id"] for r in rows0)


def test_arms_note_counts_floored_years():
    panel, arms = toy()
    arms["tiv_total"] = arms["tiv_us"] + arms["tiv_other"]
    arms["tiv_other_raw"] = arms["tiv_other"]
    arms["other_floored"] = 0
    arms.loc[0, ["tiv_other_raw", "other_floored"]] = [-3.0, 1]
    note = A.arms_note(A.aid_panel(panel, arms), arms)
    # R1-R5 have SIPRI rows (5 x 21 years); R6 has none
    assert "observed in 105 of 126 recipient-years; negative and set to 0 in 1 (3 of" in note


def test_arms_models_and_readings_on_the_shipped_data():
    from walt_alliances.analysis.designs._rows import RESULT_COLUMNS, add_holm_verdicts
    from walt_alliances.analysis.designs.readings import design_readings
    from walt_alliances.analysis.designs.run import DesignResults, build_panel
    from walt_alliances.panels.study import resolve_study

    panel = build_panel(resolve_study(None), 1955, 1979)
    arms = A.sipri_arms()
    a = A.aid_panel(panel, arms)
    # Egypt's (651) proxy in 1956 is SIPRI's total (1065, TIV-Import-All) less the four
    eg = arms[(arms["ccode"] == 651) & (arms["year"] == 1956)].iloc[0]
    row = a[(a["ccode_a"] == 651) & (a["year"] == 1956) & (a["actor_b"] == "RUS")]
    assert eg["tiv_total"] == 1065
    assert row["log_other_arms_tiv"].iloc[0] == pytest.approx(np.log1p(eg["tiv_other"]))
    rows, _, _ = A.event_study_rows(a)
    cl, _ = A.cross_lagged(a)
    res = pd.DataFrame(rows + cl, columns=list(RESULT_COLUMNS))
    res = add_holm_verdicts(res, primary_se={m: "cluster_recipient" for m in res["model_id"]},
                            variants=A.ARMS_VARIANTS)
    empty = pd.DataFrame()
    readings = design_readings(DesignResults(res, pd.DataFrame(columns=["model", "evaluation"]),
                                             empty, empty, empty, {}))
    arms_lines = readings[readings["design"] == "Arms timing"]
    assert set(arms_lines["model_id"]) == {"h4_event_study_usa_log_us_arms_tiv",
                                           "h4_event_study_rus_log_other_arms_tiv"}
    assert arms_lines["reading"].str.contains("proxy for Soviet-bloc deliveries").any()
