"""All designs on the shipped data: the output contract, determinism and the resamples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis.designs import run_designs, write_designs
from walt_alliances.analysis.designs._rows import RESULT_COLUMNS
from walt_alliances.analysis.designs.run import PREDICTION_COLUMNS, UNCERTAINTY_COLUMNS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def res():
    return run_designs(draws=3, outside=False)


def test_contract_columns(res):
    assert list(res.results.columns) == list(RESULT_COLUMNS)
    assert list(res.prediction.columns) == list(PREDICTION_COLUMNS)
    assert list(res.uncertainty.columns) == list(UNCERTAINTY_COLUMNS)
    methods = set(res.results["method"])
    assert {"clogit", "hazard", "event_study", "logit"} <= methods
    assert set(res.prediction["evaluation"]) == {"cv_5y_blocks", "holdout_1970_1979"}
    assert any("gulf_1979_1990: skipped" in n for n in res.notes)
    key = res.results[res.results["key_term"]]
    # one verdict per key term: on its row under the model's primary variance, the other
    # variance types of the same term carry none (and no Holm p)
    judged = key[key["verdict"] != ""]
    assert judged["verdict"].isin(["supported", "contradicted", "no evidence either way"]).all()
    assert not judged.duplicated(["model_id", "term"]).any()
    assert set(zip(judged["model_id"], judged["term"], strict=True)) == set(
        zip(key["model_id"], key["term"], strict=True))
    assert key.loc[key["verdict"] == "", "p_holm"].isna().all()
    assert (res.results.loc[~res.results["key_term"], "verdict"] == "").all()
    ols = res.results[res.results["method"].isin(["event_study", "cross_lagged_ols"])]
    assert set(ols["se_type"]) == {"cluster_recipient", "wild_cluster_bootstrap"}
    wild = ols[ols["se_type"] == "wild_cluster_bootstrap"]
    assert wild["p_value"].between(0, 1).all() and wild["df"].isna().all()


def test_samples_follow_the_contract(res):
    for mid, s in res.samples.items():
        assert {"actor_a", "actor_b", "year", "cluster"} <= set(s.columns), mid
        method = res.results.loc[res.results["model_id"] == mid, "method"].iloc[0]
        if method == "clogit":
            assert {"y", "stratum"} <= set(s.columns)
        elif method == "hazard":
            assert {"start", "stop", "event"} <= set(s.columns)
        else:
            assert "y" in s.columns
        n = res.results.loc[res.results["model_id"] == mid, "n"].iloc[0]
        assert len(s) == n, mid


def test_samples_refit_to_the_reported_estimates(res):
    import statsmodels.api as sm

    for mid in ("bot_redefined_aligned", "h3_ideology_onset_regional"):
        s = res.samples[mid]
        rows = res.results[(res.results["model_id"] == mid)
                           & (res.results["se_type"] == "cluster_dyad")]
        terms = list(rows["term"])
        fit = sm.Logit(s["y"], s[terms]).fit(disp=0)
        np.testing.assert_allclose(fit.params.to_numpy(), rows["estimate"], rtol=1e-6)


def test_uncertainty_spread(res):
    u = res.uncertainty
    assert set(u["source"]) == {"coding_resamples", "threat_specs"}
    c = u[u["source"] == "coding_resamples"]
    assert (c["draws"] <= 3).all() and (c["q025"] <= c["q975"]).all()
    t = u[u["source"] == "threat_specs"]
    assert (t["draws"] == 10).all()
    assert ((t["q025"] <= t["q50"]) & (t["q50"] <= t["q975"])).all()


def test_resampling_path_reproduces_the_reported_estimates(res):
    # the fast refits (vectorised clogit, re-cut samples) on all records = the main results
    u = res.uncertainty.drop_duplicates(["model_id", "term"])
    main = res.results[res.results["se_type"].isin(["cluster_chooser", "cluster_dyad"])]
    m = u.merge(main, on=["model_id", "term"])
    assert len(m) == len(u) - 1  # all but the Vuong statistic
    np.testing.assert_allclose(m["estimate_main"], m["estimate"], rtol=1e-5, atol=1e-7)
    v = res.comparison.set_index("outcome").loc["aligned", "vuong_statistic_bic"]
    assert u.set_index("term").loc["vuong_statistic_bic", "estimate_main"] == pytest.approx(v)


def test_outputs_are_byte_identical(res, tmp_path):
    a = write_designs(res, tmp_path / "a", save_samples=True)
    b = write_designs(run_designs(draws=3, outside=False), tmp_path / "b", save_samples=True)
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name
    assert pd.read_csv(tmp_path / "a" / "prediction.csv").shape[0] == len(res.prediction)


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "walt_alliances", *args], capture_output=True,
                          text=True)


def test_cli_designs_writes_the_outputs(tmp_path):
    r = _cli("designs", "--out", str(tmp_path), "--draws", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    for name in ("design_results.csv", "prediction.csv", "uncertainty.csv",
                 "design_comparison.csv", "design_events.csv", "design_readings.csv",
                 "design_summary.md"):
        assert (tmp_path / name).is_file(), name
    res = pd.read_csv(tmp_path / "design_results.csv")
    assert list(res.columns) == list(RESULT_COLUMNS)


def test_cli_designs_bad_extension_path(tmp_path):
    r = _cli("designs", "--out", str(tmp_path), "--gulf", str(tmp_path / "nope"), "--quiet")
    assert r.returncode == 1
    assert "nope" in r.stdout + r.stderr and "Traceback" not in r.stderr


def test_readings_quote_the_results(res):
    from walt_alliances.analysis.designs import design_readings

    rd = design_readings(res).set_index("model_id")
    assert {"partner_choice_state_year", "h3_duration_pair_alignment", "bop_vs_bot_aligned",
            "h4_event_study_usa_log_us_aid", "uncertainty"} <= set(rd.index)
    r = res.results
    sh = r[(r["model_id"] == "partner_choice_state_year") & (r["term"] == "shares_top_threat")
           & (r["se_type"] == "cluster_chooser")].iloc[0]
    assert f"odds ratio for 0 -> 1: {np.exp(sh['estimate']):.2f}" in rd.loc[
        "partner_choice_state_year", "reading"]
    hz = r[(r["model_id"] == "h3_duration_pair_alignment") & (r["term"] == "pan_arab_pair")
           & (r["se_type"] == "cluster_dyad")].iloc[0]
    assert f"hazard ratio for 0 -> 1: {np.exp(hz['estimate']):.2f}" in rd.loc[
        "h3_duration_pair_alignment", "reading"]


def test_recombined_threat_index_equals_a_rebuilt_panel():
    from walt_alliances.analysis.designs import build_panel
    from walt_alliances.analysis.designs.uncertainty import threat_specs, with_threat_spec
    from walt_alliances.measures.threat import ThreatSpec
    from walt_alliances.panels.study import shipped_study

    st = shipped_study()
    base = build_panel(st)
    specs = threat_specs()
    assert len(specs) == 10
    for spec in (specs[1], specs[4], specs[5], specs[6]):  # both forms, components left out
        rebuilt = build_panel(st, threat_spec=spec)["threat_index"].to_numpy(
            dtype=float, na_value=np.nan)
        fast = with_threat_spec(base, spec)["threat_index"].to_numpy(dtype=float,
                                                                     na_value=np.nan)
        np.testing.assert_allclose(fast, rebuilt, rtol=1e-12, atol=1e-15, equal_nan=True)
    with pytest.raises(ValueError, match="only form, weights"):
        with_threat_spec(base, ThreatSpec(half_distance_km=500.0))


@pytest.mark.external
def test_outside_threats_rebuild_the_panels_threats_and_add_india(external_dir):
    from walt_alliances.analysis.designs import build_panel, partner
    from walt_alliances.analysis.designs.outside import outside_threats, study_threats
    from walt_alliances.panels.study import shipped_study

    st = shipped_study()
    p = build_panel(st)
    th = study_threats(st, str(external_dir))
    m = p[["ccode1", "ccode2", "year", "threat_index"]].dropna().merge(
        th[["ccode1", "ccode2", "year", "threat_index"]], on=["ccode1", "ccode2", "year"],
        suffixes=("", "_raw"))
    assert len(m) == p["threat_index"].notna().sum()  # every pair of the study, rebuilt
    np.testing.assert_allclose(m["threat_index"].astype(float), m["threat_index_raw"],
                               atol=1e-12)
    ot = outside_threats(st, p, str(external_dir))
    assert not set(ot["actor2"]) & set(p["actor2"])  # never a study actor
    att = partner.partner_attributes(p, outside_threats=ot)
    tops = att.drop_duplicates(["actor1", "year"]).set_index(["actor1", "year"])["top_threat"]
    assert tops.loc[("PAK", 1965)] in {"COW:IND", "COW:CHN"}
    assert not att["actor2"].str.startswith("COW:").any()  # outside states are not partners


@pytest.mark.external
def test_un_ideal_points_shipped_equal_raw(external_dir):
    """The UN-distance model reads the shipped table, so it runs the same with or without a
    raw folder (it used to be skipped, and the report to differ, when no raw folder was found);
    the shipped values equal the raw file's."""
    from walt_alliances.analysis.designs.ideology import un_ideal_points

    shipped = un_ideal_points()
    raw = un_ideal_points(str(external_dir))
    pd.testing.assert_frame_equal(shipped.sort_values(["ccode", "year"]).reset_index(drop=True),
                                  raw.sort_values(["ccode", "year"]).reset_index(drop=True))
    assert len(shipped) > 10_000 and shipped["year"].min() <= 1955


def test_gulf_hold_out_for_the_main_and_the_ext_models():
    """The Gulf 1979-1990 extension is the frozen hold-out of every BoP/BoT model, those with
    outside threat sources too (their Gulf sources built by the same rules)."""
    from pathlib import Path

    from walt_alliances.panels.study import Study

    ext = Path(__file__).resolve().parents[2] / "datasets" / "extensions" / "gulf-1979-1990"
    res = run_designs(gulf=Study.with_records(ext), draws=0)
    g = res.prediction[res.prediction["evaluation"] == "gulf_1979_1990"]
    models = set(g["model"])
    for outcome in ("aligned", "onset"):
        assert {f"bot_{outcome}", f"bop_{outcome}", f"bot_ext_{outcome}",
                f"bop_ext_{outcome}"} <= models
    assert g["auc"].between(0, 1).all() and (g["n"] > 1000).all()
    # models whose terms do not involve a threat source score the same with and without
    for m in ("controls", "lag", "bop"):
        a = g.set_index("model").loc[f"{m}_aligned", "auc"]
        b = g.set_index("model").loc[f"{m}_ext_aligned", "auc"]
        assert a == pytest.approx(b)
    assert any("Gulf hold-out evaluated" in n for n in res.notes)
