"""Panels ready for modelling: one dtype policy, model_frame(), and a worked statsmodels fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

import walt_alliances as wa
from walt_alliances.panels.verbs import model_frame

ALLOWED = {"category", "Int8", "Int64", "float64", "string"}


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return wa.add_all(wa.create_dyad_years(1955, 1979))


def test_one_dtype_policy(panel: pd.DataFrame) -> None:
    kinds = {c: str(t) for c, t in panel.dtypes.items()}
    assert set(kinds.values()) <= ALLOWED, {c: t for c, t in kinds.items() if t not in ALLOWED}
    assert kinds["year"] == kinds["ccode1"] == kinds["ccode2"] == "Int64"
    assert panel["actor1"].dtype == panel["actor2"].dtype
    assert isinstance(panel["actor1"].dtype, pd.CategoricalDtype)
    assert panel["actor1"].dtype.ordered  # actor1 < actor2 still compares
    assert isinstance(panel["dyad"].dtype, pd.CategoricalDtype)
    for col in panel.columns:
        if col.endswith("_lag1") and col[:-5] in panel.columns:
            base = panel[col[:-5]].dtype
            if pd.api.types.is_integer_dtype(base):
                assert panel[col].dtype == base, col


def test_state_year_panel_follows_the_policy() -> None:
    p = wa.add_all(wa.create_state_years(1960, 1965))
    assert set(str(t) for t in p.dtypes) <= ALLOWED
    assert isinstance(p["actor_id"].dtype, pd.CategoricalDtype)
    assert str(p["year"].dtype) == "Int64"


def test_model_frame_is_numpy_float_with_nan(panel: pd.DataFrame) -> None:
    mf = model_frame(panel)
    assert list(mf.columns) == list(panel.columns)
    for col in panel.columns:
        if isinstance(panel[col].dtype, pd.CategoricalDtype) or col == "alignment_ids":
            assert isinstance(mf[col].dtype, pd.CategoricalDtype), col
        else:
            assert mf[col].dtype == np.float64, col
            assert mf[col].isna().equals(panel[col].isna()), col
    part = model_frame(panel, ["aligned", "common_threat"], dropna=True)
    assert not part.isna().any().any()
    assert len(part) == int((panel["aligned"].notna() & panel["common_threat"].notna()).sum())


def test_worked_example_smf_logit(panel: pd.DataFrame) -> None:
    """The README example: a statsmodels formula on model_frame(panel).

    Checked against a Logit fitted on arrays built here without model_frame.
    """
    mf = model_frame(panel, ["aligned", "common_threat", "ideo_same_family", "dyad"])
    fit = smf.logit("aligned ~ common_threat + ideo_same_family", data=mf).fit(disp=0)
    cols = ["aligned", "common_threat", "ideo_same_family"]
    arr = np.column_stack([panel[c].to_numpy(dtype=float, na_value=np.nan) for c in cols])
    arr = arr[~np.isnan(arr).any(axis=1)]
    ref = sm.Logit(arr[:, 0], sm.add_constant(arr[:, 1:])).fit(disp=0)
    assert int(fit.nobs) == arr.shape[0]
    np.testing.assert_allclose(fit.params.to_numpy(), ref.params, rtol=1e-8)
    # clustered by dyad, as the package's hypothesis tests do
    groups = mf.loc[fit.model.data.row_labels, "dyad"].cat.codes.to_numpy()
    robust = smf.logit("aligned ~ common_threat + ideo_same_family", data=mf).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": groups})
    assert np.all(robust.bse > 0)
