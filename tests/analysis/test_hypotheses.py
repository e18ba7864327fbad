"""Hypothesis tests: units, risk sets, outcomes, inference, verdicts and the output contract.

Expected values come from outside the code under test: the alignment and membership tables
read directly (simple loops written here), statsmodels refits of the saved estimation samples,
statsmodels' own ``get_margeff``, and hand-worked Holm and power examples.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps

import walt_alliances as wa
from walt_alliances.analysis import hypotheses as H
from walt_alliances.analysis import inference as inf
from walt_alliances.panels.verbs import alignment_dyad_years

CONTRACT = ["model_id", "hypothesis", "outcome", "unit", "term", "key_term", "expected_sign",
            "estimate", "std_error", "se_type", "df", "statistic", "p_value", "p_holm",
            "ci_low", "ci_high", "or_per_sd", "ame", "ame_ci_low", "ame_ci_high", "n",
            "events", "n_clusters", "loglik", "method", "verdict"]
TESTS = [s for s in H.SPECS if s.is_test]


@pytest.fixture(scope="module")
def run() -> H.StudyResults:
    return H.run_all(robustness=False)


@pytest.fixture(scope="module")
def full() -> H.StudyResults:
    return H.run_all(robustness=True)


@pytest.fixture(scope="module")
def study() -> wa.Study:
    return wa.shipped_study()


# ---------------------------------------------------------------------------- specifications


def test_specs_have_one_key_term_each_and_h2_is_not_h1() -> None:
    assert [s.hypothesis for s in TESTS] == ["H1", "H2", "H3", "H4", "H5"]
    for s in TESTS:
        assert s.key_term in s.terms and s.expected_sign in (1, -1)
        assert s.sample in H.SAMPLES
    ids = [s.model_id for s in H.SPECS]
    assert len(ids) == len(set(ids))
    h1, h2 = TESTS[0], TESTS[1]
    assert (h1.outcome, h1.unit, h1.key_term) != (h2.outcome, h2.unit, h2.key_term)
    assert h2.outcome == "accession" and h2.unit == "directed-dyad-year"
    prev = next(s for s in H.SPECS if s.outcome == "aligned")
    assert prev.hypothesis == "descriptive" and not prev.is_test
    assert "aligned_lag1" in prev.terms


def test_results_contract(run: H.StudyResults) -> None:
    r = run.results
    assert list(r.columns) == CONTRACT == list(H.RESULT_COLUMNS)
    assert set(r["se_type"]) == set(inf.SE_TYPES)
    assert set(r["unit"]) == {"dyad-year", "directed-dyad-year"}
    assert set(r["method"]) <= {"logit", "firth"}
    assert set(r["model_id"]) == {s.model_id for s in H.SPECS}
    key = r[r["key_term"]]
    assert sorted(key["model_id"].unique()) == sorted(s.model_id for s in TESTS)
    assert (key.groupby(["model_id", "se_type"]).size() == 1).all()  # one key term each
    # verdicts only on the default variance's key rows
    assert (r.loc[r["verdict"] != "", "se_type"] == "dyadic").all()
    assert set(r.loc[r["key_term"] & (r["se_type"] == "dyadic"), "verdict"]) <= {
        "supported", "contradicted", "no evidence either way"}
    assert (r.loc[~r["key_term"], "verdict"] == "").all()


# ---------------------------------------------------------------------------- units and risk


def _aligned_set(study: wa.Study) -> set[tuple[str, str, int]]:
    ad = alignment_dyad_years(study)
    return set(zip(ad["actor1"], ad["actor2"], ad["year"].astype(int), strict=True))


def test_onset_is_one_row_per_pair_year_at_risk(run: H.StudyResults, study: wa.Study) -> None:
    s = run.samples["h1_balancing"]
    assert (s["actor_a"] < s["actor_b"]).all()  # non-directed: each pair once
    assert not s.duplicated(["actor_a", "actor_b", "year"]).any()
    aligned = _aligned_set(study)
    keys = list(zip(s["actor_a"], s["actor_b"], s["year"], strict=True))
    # at risk: not aligned on any day of t-1
    assert not any((a, b, y - 1) in aligned for a, b, y in keys)
    assert s["year"].min() == 1956  # 1955 has no coded t-1
    expected = np.array([(a, b, y) in aligned for a, b, y in keys], dtype=int)
    np.testing.assert_array_equal(s["y"].to_numpy(), expected)
    # the old directed levels model counted these 142 onsets twice (284)
    assert s["y"].sum() == run.results.loc[run.results["model_id"] == "h1_balancing",
                                            "events"].iloc[0]


def _accessions(study: wa.Study) -> set[tuple[str, str, int]]:
    """Accession events from the membership table, by hand: i starts in an alignment on a
    day on which j is a member."""
    m = study["memberships"]
    p0 = pd.Timestamp(study.period_start)
    p1 = pd.Timestamp(study.period_end)
    out = set()
    for _, g in m.groupby("alignment_id"):
        for i in g.itertuples():
            si = i.start_first_day
            if pd.isna(si) or si < p0 or si > p1:
                continue
            for j in g.itertuples():
                if j.actor_id == i.actor_id:
                    continue
                sj = j.start_first_day if not pd.isna(j.start_first_day) else p0
                ej = j.end_last_day if not pd.isna(j.end_last_day) else p1
                if sj <= si <= ej:
                    out.add((i.actor_id, j.actor_id, si.year))
    return out


def test_accession_events_follow_member_start_dates(run: H.StudyResults,
                                                    study: wa.Study) -> None:
    s = run.samples["h2_bandwagoning"]
    acc = _accessions(study)
    aligned = _aligned_set(study)
    keys = list(zip(s["actor_a"], s["actor_b"], s["year"], strict=True))
    assert not any((a, b, y - 1) in aligned for a, b, y in keys)
    expected = np.array([(a, b, y) in acc for a, b, y in keys], dtype=int)
    np.testing.assert_array_equal(s["y"].to_numpy(), expected)
    # named cases: the Algeria-Libya treaty of December 1975 (founded together, both
    # directions) and the USA joining the Baghdad Pact in 1957 (the USA accedes to Turkey,
    # not the reverse)
    ev = {(a, b, y) for (a, b, y), v in zip(keys, s["y"], strict=True) if v == 1}
    assert {("ALG", "LIB", 1975), ("LIB", "ALG", 1975), ("USA", "TUR", 1957)} <= ev
    assert ("TUR", "USA", 1957) in set(keys) and ("TUR", "USA", 1957) not in ev


def test_samples_carry_the_contract_columns(run: H.StudyResults) -> None:
    r = run.results
    for mid, s in run.samples.items():
        terms = r.loc[(r["model_id"] == mid) & (r["se_type"] == "dyadic"), "term"].tolist()
        assert list(s.columns) == ["y", *terms, "actor_a", "actor_b", "year", "cluster"]
        row = r[(r["model_id"] == mid)].iloc[0]
        assert row["n"] == len(s) and row["events"] == s["y"].sum()
        a = np.where(s["actor_a"] < s["actor_b"], s["actor_a"], s["actor_b"])
        b = np.where(s["actor_a"] < s["actor_b"], s["actor_b"], s["actor_a"])
        assert (s["cluster"] == pd.Series(a) + "-" + pd.Series(b)).all()


# ---------------------------------------------------------------------------- estimation


@pytest.mark.parametrize("spec", [s for s in H.SPECS], ids=lambda s: s.model_id)
def test_estimates_and_dyadic_se_match_a_refit_of_the_saved_sample(run: H.StudyResults,
                                                                   spec: H.HypothesisSpec
                                                                   ) -> None:
    s = run.samples[spec.model_id]
    res = run.results[(run.results["model_id"] == spec.model_id)
                      & (run.results["se_type"] == "dyadic")].set_index("term")
    terms = list(res.index)
    if res["method"].iloc[0] != "logit":
        pytest.skip("Firth fit: checked against brglm2 in test_estimation")
    ref = sm.Logit(s["y"], s[terms]).fit(disp=0, method="newton", tol=1e-12)
    np.testing.assert_allclose(res["estimate"], ref.params, rtol=1e-6, atol=1e-8)
    u = ref.model.score_obs(ref.params)
    bread = np.linalg.inv(-ref.model.hessian(ref.params))
    v = inf.vcov_dyadic(u, bread, s["actor_a"], s["actor_b"])
    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.diag(v))
    np.testing.assert_allclose(res["std_error"], se, rtol=1e-5)
    g = len(set(s["actor_a"]) | set(s["actor_b"]))
    assert (res["n_clusters"] == g).all() and (res["df"] == g - 1).all()
    assert res["loglik"].iloc[0] == pytest.approx(ref.llf, rel=1e-8)
    sd = s[terms].std(ddof=1)
    np.testing.assert_allclose(res.loc[terms[1:], "or_per_sd"],
                               np.exp(ref.params[terms[1:]] * sd[terms[1:]]), rtol=1e-6)


def test_ame_matches_statsmodels_get_margeff(run: H.StudyResults) -> None:
    s = run.samples["h3_ideology"]
    r = run.results[(run.results["model_id"] == "h3_ideology")
                    & (run.results["se_type"] == "cluster_dyad")].set_index("term")
    terms = list(r.index)
    ref = sm.Logit(s["y"], s[terms]).fit(disp=0, method="newton", tol=1e-12,
                                         cov_type="cluster",
                                         cov_kwds={"groups": pd.factorize(s["cluster"])[0]})
    mf = ref.get_margeff(at="overall", method="dydx", dummy=True)
    got = pd.Series(mf.margeff, index=terms[1:])
    se = pd.Series(mf.margeff_se, index=terms[1:])
    check = ["ideo_same_family", "ideo_pan_arab_pair", "common_threat", "log_capdist"]
    np.testing.assert_allclose(r.loc[check, "ame"], got[check], rtol=1e-6)
    q = sps.t.ppf(0.975, r["df"].iloc[0])
    np.testing.assert_allclose(r.loc[check, "ame_ci_high"], got[check] + q * se[check],
                               rtol=1e-5)
    assert r.loc[["t", "t2", "t3"], "ame"].isna().all()  # duration terms: no AME


def test_holm_and_verdicts_follow_the_rule(run: H.StudyResults) -> None:
    assert H.holm([0.01, 0.04, 0.03]).tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert H.holm([0.5, np.nan, 0.01]).tolist()[::2] == pytest.approx([0.5, 0.02])
    for se in inf.SE_TYPES:
        k = run.results[run.results["key_term"] & (run.results["se_type"] == se)]
        np.testing.assert_allclose(k["p_holm"], H.holm(k["p_value"].to_numpy()))
    v = run.verdicts
    for r in v.itertuples(index=False):
        sign = 1 if r.expected_sign == "+" else -1
        assert r.verdict == H.verdict(r.estimate, r.p_holm, sign)
    assert H.verdict(0.5, 0.01, +1) == "supported"
    assert H.verdict(-0.5, 0.01, +1) == "contradicted"
    assert H.verdict(0.5, 0.049, -1) == "contradicted"
    assert H.verdict(0.5, 0.2, +1) == "no evidence either way"
    assert H.verdict(0.5, float("nan"), +1) == "no evidence either way"


def test_minimum_detectable_effect() -> None:
    # normal reference: (1.959964 + 0.841621) * se
    assert H.minimum_detectable_effect(0.5, 1e9) == pytest.approx(0.5 * 2.801585, rel=1e-6)
    assert H.minimum_detectable_effect(1.0, 25) == pytest.approx(
        sps.t.ppf(0.975, 25) + sps.t.ppf(0.8, 25))


def test_verdict_table(run: H.StudyResults) -> None:
    v = run.verdicts
    assert v["hypothesis"].tolist() == ["H1", "H2", "H3", "H4", "H5"]
    for c in ("model_id", "hypothesis", "term", "expected_sign", "estimate", "p_value", "n",
              "verdict", "mde", "statement"):
        assert c in v.columns
    assert (v["se_type"] == "dyadic").all()
    ok = v["std_error"].notna()
    np.testing.assert_allclose(
        v.loc[ok, "mde"], [H.minimum_detectable_effect(se, df, alpha=0.05 / 5)
                           for se, df in zip(v.loc[ok, "std_error"], v.loc[ok, "df"],
                                             strict=True)])


def test_predictions_cover_the_key_term_range(run: H.StudyResults) -> None:
    p = run.predictions
    assert set(p["model_id"]) == {s.model_id for s in TESTS}
    ok = p["ci_low"].notna()
    assert ((p["ci_low"] <= p["probability"]) & (p["probability"] <= p["ci_high"]))[ok].all()
    # missing intervals only where the dyadic variance of the key term is not estimable
    bad = set(p.loc[~ok, "model_id"])
    v = run.verdicts.set_index("model_id")
    assert all(np.isnan(v.loc[m, "std_error"]) for m in bad)
    s = run.samples["h1_balancing"]
    g = p[p["model_id"] == "h1_balancing"]
    assert g["value"].min() == pytest.approx(s["common_threat"].min())
    assert g["value"].max() == pytest.approx(s["common_threat"].max())


def test_bop_bot_comparison_on_the_non_directed_unit(run: H.StudyResults) -> None:
    c = run.comparison.set_index("model_id")
    assert c.loc["bop", "n"] == c.loc["bot", "n"] and (c["unit"] == "dyad-year").all()
    assert c["lr_stat"].iloc[0] == pytest.approx(2 * (c.loc["bot", "loglik"]
                                                      - c.loc["bop", "loglik"]))
    assert c["lr_df"].iloc[0] == 3
    h1 = run.samples["h1_balancing"]
    assert c.loc["bot", "n"] <= len(h1) + 5  # one row per pair-year, not two


# ---------------------------------------------------------------------------- robustness


@pytest.mark.slow
def test_specification_curve_has_no_exact_repeats(full: H.StudyResults) -> None:
    c = full.specification_curve
    main = full.verdicts.set_index("model_id")
    assert {"variance", "temporal", "sample", "threat", "outcome"} <= set(c["dimension"])
    for mid, g in c.groupby("model_id"):
        same = g[(g["se_type"] == "dyadic") & (g["n"] == main.loc[mid, "n"])
                 & (g["events"] == main.loc[mid, "events"])
                 & np.isclose(g["estimate"], main.loc[mid, "estimate"], rtol=1e-12)]
        assert same.empty, same
        assert not g.duplicated(["variant"]).any()


@pytest.mark.slow
def test_influence_names_what_flips_a_verdict(full: H.StudyResults, tmp_path) -> None:
    inf_all = full.influence
    assert set(inf_all["dropped_kind"]) == {"alignment", "actor"}
    np.testing.assert_array_equal(inf_all["changes_verdict"],
                                  inf_all["verdict"] != inf_all["main_verdict"])
    main = full.verdicts.set_index("model_id")["verdict"]
    assert (inf_all["main_verdict"] == inf_all["model_id"].map(main)).all()
    H.write_outputs(full, tmp_path)
    written = pd.read_csv(tmp_path / "influence.csv")
    assert len(written) == int(inf_all["changes_verdict"].sum())
    for f in ("results.csv", "specification_curve.csv", "influence_all.csv", "verdicts.csv",
              "predictions.csv", "comparison.csv", "summary.md"):
        assert (tmp_path / f).exists()


def test_deterministic_outputs(run: H.StudyResults, tmp_path) -> None:
    a = H.write_outputs(run, tmp_path / "a", save_samples=True)
    b = H.write_outputs(H.run_all(robustness=False), tmp_path / "b", save_samples=True)
    for pa_, pb in zip(sorted(a), sorted(b), strict=True):
        assert pa_.read_bytes() == pb.read_bytes(), pa_.name


def test_cli_hypotheses_writes_contract(tmp_path) -> None:
    r = subprocess.run([sys.executable, "-m", "walt_alliances", "hypotheses", "--out",
                        str(tmp_path), "--save-samples", "--no-robustness", "--no-designs"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "fitting h1_balancing" in r.stderr
    assert not (tmp_path / "prediction.csv").exists()  # --no-designs
    res = pd.read_csv(tmp_path / "results.csv", keep_default_na=False, na_values=[""])
    assert list(res.columns) == CONTRACT
    for mid in res["model_id"].unique():
        s = pd.read_csv(tmp_path / "samples" / f"{mid}.csv")
        terms = res.loc[(res["model_id"] == mid) & (res["se_type"] == "dyadic"), "term"]
        assert list(s.columns) == ["y", *terms, "actor_a", "actor_b", "year", "cluster"]
    for f in ("specification_curve.csv", "influence.csv"):
        assert (tmp_path / f).exists()
    assert (tmp_path / "summary.md").read_text().startswith("# Tests of Walt")
    import json

    origin = json.loads((tmp_path / "data.json").read_text())
    assert origin["data"] == "shipped" and origin["data_version"]


@pytest.mark.slow
def test_cli_hypotheses_appends_the_designs(tmp_path) -> None:
    """Issue 12's contract: the designs' rows go into results.csv, with prediction.csv and
    uncertainty.csv beside, and their samples carry stratum / start, stop, event."""
    r = subprocess.run([sys.executable, "-m", "walt_alliances", "hypotheses", "--out",
                        str(tmp_path), "--save-samples", "--no-robustness", "--draws", "0",
                        "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    res = pd.read_csv(tmp_path / "results.csv", keep_default_na=False, na_values=[""])
    assert list(res.columns) == CONTRACT
    design = pd.read_csv(tmp_path / "design_results.csv", keep_default_na=False, na_values=[""])
    assert len(design) > 0
    tail = res.tail(len(design)).reset_index(drop=True)
    pd.testing.assert_frame_equal(tail, design[CONTRACT], check_dtype=False)
    assert set(res.loc[: len(res) - len(design) - 1, "model_id"]).isdisjoint(design["model_id"])
    assert {"clogit", "hazard", "event_study"} <= set(res["method"])
    pred = pd.read_csv(tmp_path / "prediction.csv")
    assert list(pred.columns) == ["model", "evaluation", "auc", "brier", "log_score", "n",
                                  "events"]
    assert {"cv_5y_blocks", "holdout_1970_1979"} <= set(pred["evaluation"])
    assert (tmp_path / "uncertainty.csv").exists()
    for method, extra in (("clogit", {"stratum"}), ("hazard", {"start", "stop", "event"})):
        mid = res.loc[res["method"] == method, "model_id"].iloc[0]
        cols = set(pd.read_csv(tmp_path / "samples" / f"{mid}.csv", nrows=1).columns)
        assert extra <= cols, (mid, cols)


def test_results_do_not_depend_on_the_blas_thread_count() -> None:
    """Estimation runs under one BLAS thread (analysis._threads), so a machine with more cores
    writes the same bytes: inside the entry points every BLAS has one thread, whatever the
    caller allowed, and run_all gives identical numbers under 1 and 2 threads outside."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from walt_alliances.analysis._threads import single_blas_thread

    @single_blas_thread
    def probe() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    with threadpool_limits(limits=2, user_api="blas"):
        assert probe() and set(probe()) == {1}
    for entry in (H.run_all, __import__("walt_alliances.analysis.designs",
                                        fromlist=["run_designs"]).run_designs):
        assert hasattr(entry, "__wrapped__"), entry  # decorated
    with threadpool_limits(limits=1, user_api="blas"):
        one = H.run_all(robustness=False).results
    with threadpool_limits(limits=2, user_api="blas"):
        two = H.run_all(robustness=False).results
    pd.testing.assert_frame_equal(one, two, check_exact=True)
