"""The aid design's wild cluster bootstrap rows: the right contrast, clusters and weights.

Expected values come from ``wildboottest`` (PyPI; skipped when absent) run on the event
study's own design matrix with the contrast written out by hand (``pre_rise`` = minus the mean
of the coefficients of years -5..-2) and the weights the library draws (seed ``inference.SEED``,
Webb's six points, clusters in sorted order), and from Holm's procedure applied by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from walt_alliances.analysis import inference as inf
from walt_alliances.analysis.designs import aid as A
from walt_alliances.analysis.designs._rows import RESULT_COLUMNS, add_holm_verdicts, holm
from walt_alliances.analysis.designs.run import _PRIMARY

ONSETS = {"R1": 1960, "R2": 1963, "R3": 1966, "R4": 1969}


def noisy_toy(seed: int = 3) -> pd.DataFrame:
    """Eight recipients, 1955-1975; four align with the USA; log US aid with recipient-level
    noise and a rise after the onset; no Soviet aid coded (its models are skipped)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(8):
        r = f"R{i + 1}"
        shock = rng.normal()
        for y in range(1955, 1976):
            for donor in ("USA", "RUS"):
                e = ONSETS.get(r) if donor == "USA" else None
                al = int(e is not None and y >= e)
                log_aid = (1.0 + 0.2 * i + 0.02 * (y - 1955) + 0.8 * al
                           + shock * (y % 4) / 4 + rng.normal(scale=0.5))
                rows.append({"actor1": r, "actor2": donor, "ccode1": 900 + i,
                             "kind1": "regional_state", "year": y, "aligned": al,
                             "onset": int(al and y == e),
                             "aid_us_oblig_constant": np.expm1(log_aid) * 1e6,
                             "aid_soviet": pd.NA})
    return pd.DataFrame(rows)


def test_pre_rise_row_matches_wildboottest_on_the_same_weights() -> None:
    wildboottest = pytest.importorskip("wildboottest.wildboottest")
    a = A.aid_panel(noisy_toy())
    rows, _, _ = A.event_study_rows(a)
    res = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    mid = "h4_event_study_usa_log_us_aid"
    sample, fit, _ = A.event_study(a, "USA", "log_us_aid")
    x, y = fit.model.exog, fit.model.endog
    # pre_rise by hand: columns 1.. are the event terms in order, -5..-2 the first four
    terms = [c for c in sample.columns if c.startswith("event_")]
    assert terms[:4] == ["event_m5", "event_m4", "event_m3", "event_m2"]
    r = np.zeros(x.shape[1])
    r[1:5] = -0.25
    codes = pd.factorize(sample["cluster"], sort=True)[0]
    g = codes.max() + 1
    v = np.random.default_rng(inf.SEED).choice(inf.WEBB_WEIGHTS, size=(999, g))
    wb = wildboottest.WildboottestCL(X=x, Y=y, cluster=codes, R=r, B=999, seed=1,
                                     parallel=False)
    wb.get_scores(bootstrap_type="11", impose_null=True)
    wb.get_weights(weights_type="webb")
    wb.v = v.T  # the library's weights instead of the oracle's own draws
    wb.get_numer()
    wb.get_denom()
    wb.get_tboot()
    wb.get_vcov()
    wb.get_tstat()
    wb.get_pvalue(pval_type="two-tailed")
    sel = res[(res["model_id"] == mid) & (res["term"] == "pre_rise")].set_index("se_type")
    wild, cr = sel.loc[A.WILD_SE], sel.loc["cluster_recipient"]
    assert wild["p_value"] == pytest.approx(float(wb.pvalue), abs=1e-12)
    assert 0 < wild["p_value"] < 1
    # same estimate, standard error and t as the cluster-robust row; no t reference
    assert (wild["estimate"], wild["std_error"], wild["statistic"]) == (
        cr["estimate"], cr["std_error"], cr["statistic"])
    assert wild["statistic"] == pytest.approx(float(np.squeeze(wb.t_stat)), rel=1e-8)
    assert np.isnan(wild["df"]) and wild["ci_low"] < wild["estimate"] < wild["ci_high"]
    assert wild["key_term"] and wild["expected_sign"] == "+"


def test_cross_lagged_ols_rows_are_bootstrapped_and_the_logit_is_not() -> None:
    rows, _ = A.cross_lagged(A.aid_panel(noisy_toy()))
    res = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    wild = res[res["se_type"] == A.WILD_SE]
    assert set(wild["model_id"]) == {"h4_crosslag_aid_usa_log_us_aid"}
    assert set(wild["term"]) == {"aligned_lag1", "log_us_aid_lag1"}
    assert wild["p_value"].between(0, 1).all()
    assert "h4_crosslag_align_usa_log_us_aid" in set(res["model_id"])


def test_holm_family_uses_the_bootstrap_p_values() -> None:
    a = A.aid_panel(noisy_toy())
    rows, _, _ = A.event_study_rows(a)
    cl, _ = A.cross_lagged(a)
    res = pd.DataFrame(rows + cl, columns=list(RESULT_COLUMNS))
    primary = {m: _PRIMARY[meth] for m, meth in
               res.drop_duplicates("model_id")[["model_id", "method"]].itertuples(index=False)}
    out = add_holm_verdicts(res, primary_se=primary)
    key = out[out["key_term"]]
    fam = key[((key["method"] == "event_study") & (key["se_type"] == A.WILD_SE))
              | ((key["method"] == "cross_lagged_logit")
                 & (key["se_type"] == "cluster_recipient"))]
    np.testing.assert_allclose(fam["p_holm"], holm(fam["p_value"].to_numpy()))
    # only the bootstrap row of a bootstrapped key term carries the Holm p and the verdict;
    # its cluster-robust row keeps its own p_value, without an adjustment that is not its own
    es = key[key["method"] == "event_study"]
    assert es.loc[es["se_type"] == A.WILD_SE, "p_holm"].notna().all()
    assert es.loc[es["se_type"] == "cluster_recipient", "p_holm"].isna().all()
    assert (es.loc[es["se_type"] == "cluster_recipient", "verdict"] == "").all()
