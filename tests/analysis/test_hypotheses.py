"""Hypothesis specifications and their fits, checked against an independent implementation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import walt_alliances as wa
from walt_alliances.analysis import hypotheses as H


@pytest.fixture(scope="module")
def run():
    return H.run_all(robustness=False)


@pytest.fixture(scope="module")
def panel():
    return H.prepare(wa.add_all(wa.create_dyad_years(1955, 1979)))


RESULT_COLUMNS = ["model_id", "hypothesis", "term", "estimate", "std_error", "se_type", "z",
                  "p_value", "ci_low", "ci_high", "odds_ratio", "n", "events", "loglik",
                  "converged", "method"]


def test_every_hypothesis_is_specified():
    hyps = {s.hypothesis for s in H.SPECS}
    assert {"H1", "H2", "H3", "H4", "H5", "BoP", "BoT"} <= hyps
    for s in H.SPECS:
        assert s.expected and set(s.expected) <= set(s.terms)
        assert s.sample in H.SAMPLES
    ids = [s.model_id for s in H.SPECS]
    assert len(ids) == len(set(ids))


def test_results_contract(run):
    assert list(run.results.columns) == RESULT_COLUMNS
    assert set(run.results["model_id"]) == {s.model_id for s in H.SPECS}
    assert (run.results["se_type"] == "cluster").all()


@pytest.mark.parametrize("spec", H.SPECS, ids=lambda s: s.model_id)
def test_estimates_match_statsmodels_on_the_saved_sample(run, spec):
    """Refit each saved estimation sample with statsmodels (an independent implementation)."""
    sample = run.samples[spec.model_id]
    terms = [c for c in sample.columns if c not in ("y", "cluster")]
    res = run.results[run.results["model_id"] == spec.model_id].set_index("term")
    if res["method"].iloc[0] != "logit":
        pytest.skip("Firth fit: checked in test_stats against logistf")
    ref = sm.Logit(sample["y"], sample[terms]).fit(disp=0, cov_type="cluster",
                                                   cov_kwds={"groups": pd.factorize(
                                                       sample["cluster"])[0]})
    np.testing.assert_allclose(res.loc[terms, "estimate"], ref.params[terms], rtol=1e-6,
                               atol=1e-8)
    np.testing.assert_allclose(res.loc[terms, "std_error"], ref.bse[terms], rtol=1e-5)
    assert res["n"].iloc[0] == len(sample) and res["events"].iloc[0] == sample["y"].sum()


def test_verdict_rule():
    assert H.verdict(0.5, 0.01, +1) == "supported"
    assert H.verdict(-0.5, 0.01, +1) == "contradicted"
    assert H.verdict(0.5, 0.2, +1) == "not significant"
    assert H.verdict(-0.5, 0.049, -1) == "supported"
    assert H.verdict(0.5, float("nan"), +1) == "not significant"


def test_verdicts_follow_from_the_results(run):
    for r in run.verdicts.itertuples(index=False):
        row = run.results[(run.results["model_id"] == r.model_id) &
                          (run.results["term"] == r.term)].iloc[0]
        sign = 1 if r.expected_sign == "+" else -1
        assert r.verdict == H.verdict(row["estimate"], row["p_value"], sign)


def test_bop_nested_in_bot_lr_test(run):
    c = run.comparison.set_index("model_id")
    assert c.loc["bop", "n"] == c.loc["bot", "n"]
    stat = 2 * (c.loc["bot", "loglik"] - c.loc["bop", "loglik"])
    assert c["lr_stat"].iloc[0] == pytest.approx(stat)
    assert c["lr_df"].iloc[0] == 3


def test_separation_is_detected_and_fitted_by_firth(panel):
    data = panel.copy()
    data.attrs = panel.attrs
    data["sep"] = data["aligned"].astype("Float64")  # perfectly predicts the outcome
    spec = dataclasses.replace(H.SPECS[0], model_id="sep", terms=("sep", "log_capdist"),
                               expected={"sep": +1})
    res = H.fit_hypothesis(data, spec)
    assert res.separation in ("complete", "quasi") and res.method == "firth"
    assert "sep" in res.separation_terms


def test_onset_model_has_temporal_terms(run):
    terms = set(run.results.loc[run.results["model_id"] == "h1_balancing_onset", "term"])
    assert {"t", "t2", "t3"} <= terms


def test_aid_model_sample_is_regional_states_and_superpower_donors(panel):
    spec = next(s for s in H.SPECS if s.model_id == "h4_aid")
    mask = H.SAMPLES[spec.sample](panel)
    sub = panel[mask.to_numpy()]
    assert set(sub["actor2"]) == {"USA", "RUS"} and (sub["kind1"] == "regional_state").all()


def test_deterministic_outputs(tmp_path):
    a = H.write_outputs(H.run_all(robustness=False), tmp_path / "a", save_samples=True)
    b = H.write_outputs(H.run_all(robustness=False), tmp_path / "b", save_samples=True)
    for pa_, pb in zip(sorted(a), sorted(b), strict=True):
        assert pa_.read_bytes() == pb.read_bytes(), pa_.name


def test_cli_hypotheses_writes_contract(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "walt_alliances", "hypotheses", "--out",
                        str(tmp_path), "--save-samples", "--no-robustness"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "fitting h1_balancing" in r.stderr  # progress shown
    res = pd.read_csv(tmp_path / "results.csv")
    assert list(res.columns) == RESULT_COLUMNS
    for mid in res["model_id"].unique():
        s = pd.read_csv(tmp_path / "samples" / f"{mid}.csv")
        terms = set(res.loc[res["model_id"] == mid, "term"])
        assert {"y", "cluster"} <= set(s.columns) and terms <= set(s.columns)
    assert (tmp_path / "summary.md").read_text().startswith("# Tests of Walt")
