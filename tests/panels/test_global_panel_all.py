"""The whole-system panel with every shipped measure, offline (no raw files).

Expected values are read from the raw CSV files with the standard library (``external``
tests), independently of the package's readers and of the panel code.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from walt_alliances.panels.global_panel import (
    GLOBAL_MEASURES,
    GLOBAL_PANEL_COLUMNS,
    create_global_dyad_years,
    global_panel_columns,
)


@pytest.fixture(scope="module")
def allp(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    import os

    old = os.environ.get("WALT_EXTERNAL_DIR")
    os.environ["WALT_EXTERNAL_DIR"] = str(tmp_path_factory.mktemp("no-raw"))  # prove offline
    try:
        return create_global_dyad_years(measures="all").set_index(["ccode1", "ccode2", "year"])
    finally:
        if old is None:
            del os.environ["WALT_EXTERNAL_DIR"]
        else:
            os.environ["WALT_EXTERNAL_DIR"] = old


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_all_columns_and_rows(allp: pd.DataFrame) -> None:
    assert len(allp) == 1_912_350
    assert ("ccode1", "ccode2", "year", *allp.columns) == global_panel_columns("all")
    assert global_panel_columns("core") == GLOBAL_PANEL_COLUMNS
    for group, cols in GLOBAL_MEASURES.items():
        assert global_panel_columns([group])[3:] == cols


def test_unknown_group_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown measure group"):
        create_global_dyad_years(start=1900, end=1900, measures=["mids"])


def test_missing_outside_each_sources_years(allp: pd.DataFrame) -> None:
    year = allp.index.get_level_values("year")
    for col in GLOBAL_MEASURES["mid"]:
        assert allp[col][year > 2010].isna().all()
        assert allp[col][year <= 2010].notna().all()
    for col in GLOBAL_MEASURES["war"]:
        assert allp[col][(year < 1823) | (year > 2003)].isna().all()
        assert allp[col][(year >= 1823) & (year <= 2003)].notna().all()
    assert allp["sipri_tiv_from_2"][(year < 1970) | (year > 2014)].isna().all()
    assert allp["idealpoint1"][year < 1946].isna().all()
    assert allp["us_aid1"][year < 1946].isna().all()


def test_directed_measures_are_symmetric_where_they_should_be(allp: pd.DataFrame) -> None:
    year = allp.index.get_level_values("year")
    part = allp.loc[(year >= 1960) & (year <= 1965), ["mid_ongoing", "war_ongoing",
                                                      "polity2_1", "polity2_2"]]
    flipped = part.copy()
    flipped.index = flipped.index.set_names(["ccode2", "ccode1", "year"])
    flipped = flipped.reorder_levels(["ccode1", "ccode2", "year"]).reindex(part.index)
    assert part["mid_ongoing"].equals(flipped["mid_ongoing"])
    assert part["war_ongoing"].equals(flipped["war_ongoing"])
    assert part["polity2_1"].equals(flipped["polity2_2"])


@pytest.mark.external
@pytest.mark.slow
def test_core_from_shipped_tables_equals_core_from_raw(external_dir: Path) -> None:
    a = create_global_dyad_years(start=1900, end=2016)
    b = create_global_dyad_years(external_dir, start=1900, end=2016)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.external
def test_all_from_shipped_tables_equals_all_from_raw(external_dir: Path) -> None:
    a = create_global_dyad_years(start=1960, end=1995, measures="all")
    b = create_global_dyad_years(external_dir, start=1960, end=1995, measures="all")
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.external
def test_wars_against_raw(allp: pd.DataFrame, external_dir: Path) -> None:
    raw = _rows(external_dir / "cow_war" / "directed_dyadic_war.csv")
    pairs = {(int(r["statea"]), int(r["stateb"]), int(r["year"])) for r in raw}
    in_panel = [k for k in pairs if k in allp.index]
    assert len(in_panel) > 1000
    assert (allp.loc[in_panel, "war_ongoing"] == 1).all()
    year = allp.index.get_level_values("year")
    inside = allp[(year >= 1823) & (year <= 2003)]
    assert int(inside["war_ongoing"].sum()) == len(in_panel)
    assert allp.loc[(651, 666, 1973), "war_onset"] == 1
    assert allp.loc[(651, 666, 1973), "war_init"] == 1  # Egypt initiated (wardyadrolea = 1)


@pytest.mark.external
def test_mids_against_raw(allp: pd.DataFrame, external_dir: Path) -> None:
    raw = _rows(external_dir / "gml_mid" / "gml-ddy-disputes-2.1.1.csv")
    pairs = set()
    for r in raw:
        a, b, y = int(r["ccode1"]), int(r["ccode2"]), int(r["year"])
        pairs |= {(a, b, y), (b, a, y)}
    in_panel = [k for k in pairs if k in allp.index]
    assert (allp.loc[in_panel, "mid_ongoing"] == 1).all()
    assert int(allp["mid_ongoing"].sum()) == len(in_panel)


@pytest.mark.external
def test_state_measures_against_raw(allp: pd.DataFrame, external_dir: Path) -> None:
    pol = {(int(r["ccode"]), int(r["year"])): r["polity2"]
           for r in _rows(external_dir / "polity" / "p5v2018.csv")}
    assert allp.loc[(651, 666, 1980), "polity2_1"] == int(pol[(651, 1980)])
    assert allp.loc[(651, 666, 1980), "polity2_2"] == int(pol[(666, 1980)])
    ideal = {(int(float(r["ccode"])), int(float(r["year"]))): float(r["idealpoint"])
             for r in _rows(external_dir / "un_votes" / "Idealpoints.csv") if r["idealpoint"]}
    assert allp.loc[(2, 365, 1985), "idealpoint1"] == pytest.approx(ideal[(2, 1985)])
    assert allp.loc[(2, 365, 1985), "idealpoint2"] == pytest.approx(ideal[(365, 1985)])
    aid = sum(int(r["constant_amount"]) for r in
              _rows(external_dir / "us_aid" / "us_foreign_aid_country.csv")
              if r["country_code"] == "EGY" and r["fiscal_year"] == "1980"
              and r["transaction_type_name"] == "Obligations")
    assert allp.loc[(651, 2, 1980), "us_aid1"] == aid
    assert pd.isna(allp.loc[(651, 2, 1980), "us_aid2"])  # the United States is not a recipient


@pytest.mark.external
def test_sipri_against_raw(allp: pd.DataFrame, external_dir: Path) -> None:
    raw = _rows(external_dir / "sipri" / "sipri_dyad-year_gannon.csv")
    checked = 0
    for r in raw[::50]:
        key = (int(float(r["ccode2"])), int(float(r["ccode1"])), int(float(r["year"])))
        value = float(r["value"])
        if key not in allp.index or value <= 0:
            continue
        assert allp.loc[key, "sipri_tiv_from_2"] == pytest.approx(value)
        checked += 1
    assert checked > 100
    # Soviet deliveries 1970-1991 are recorded as 0 in Gannon's dyads: missing, not 0
    assert np.isnan(allp.loc[(652, 365, 1975), "sipri_tiv_from_2"]) or (
        allp.loc[(652, 365, 1975), "sipri_tiv_from_2"] > 0)
