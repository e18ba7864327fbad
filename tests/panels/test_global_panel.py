"""Tests of the whole-system directed dyad-year panel (walt_alliances.panels.global_panel).

Every expected value is recomputed here from the raw files with the ``csv`` module or plain
pandas merges, independently of the numpy index arithmetic in the module.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from walt_alliances.panels.global_panel import (
    ATOP_OBLIGATIONS,
    GLOBAL_PANEL_COLUMNS,
    create_global_dyad_years,
)

pytestmark = pytest.mark.external


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def panel(external_dir: Path) -> pd.DataFrame:
    return create_global_dyad_years(external_dir)


@pytest.fixture(scope="module")
def indexed(panel: pd.DataFrame) -> pd.DataFrame:
    return panel.set_index(["ccode1", "ccode2", "year"])


@pytest.fixture(scope="module")
def system_years(external_dir: Path) -> pd.DataFrame:
    rows = _csv_rows(external_dir / "cow_states/system2016.csv")
    return pd.DataFrame(
        {"ccode": [int(r["ccode"]) for r in rows], "year": [int(r["year"]) for r in rows]}
    )


# --------------------------------------------------------------------------- shape and keys


def test_row_count_equals_sum_of_n_t_squared_minus_n_t(
    panel: pd.DataFrame, external_dir: Path
) -> None:
    n_t = Counter(int(r["year"]) for r in _csv_rows(external_dir / "cow_states/system2016.csv"))
    expected = sum(n * (n - 1) for n in n_t.values())
    assert len(panel) == expected == 1_912_350
    per_year = panel.groupby("year").size()
    assert per_year.to_dict() == {y: n * (n - 1) for y, n in n_t.items()}


def test_columns_dtypes_and_order(panel: pd.DataFrame) -> None:
    assert tuple(panel.columns) == GLOBAL_PANEL_COLUMNS
    dtypes = panel.dtypes.astype(str).to_dict()
    assert {dtypes[c] for c in ("ccode1", "ccode2", "year")} == {"int64"}
    assert {dtypes[c] for c in panel.columns if c.startswith("atop_")} == {"int8"}
    assert dtypes["conttype"] == "int8"
    assert dtypes["capdist"] == "Int64"
    for m in ("cinc", "tpop", "upop"):
        assert dtypes[f"{m}1"] == dtypes[f"{m}2"] == "float64"
    for m in ("milex", "milper", "irst", "pec"):
        assert dtypes[f"{m}1"] == dtypes[f"{m}2"] == "Int64"
    assert isinstance(panel.index, pd.RangeIndex)


def test_keys_unique_sorted_and_members(panel: pd.DataFrame, system_years: pd.DataFrame) -> None:
    assert (panel["ccode1"] != panel["ccode2"]).all()
    key = (
        panel["year"].to_numpy() * 1_000_000
        + panel["ccode1"].to_numpy() * 1000
        + panel["ccode2"].to_numpy()
    )
    assert (np.diff(key) > 0).all()  # unique and sorted by year, ccode1, ccode2
    members = set(zip(system_years.ccode, system_years.year, strict=True))
    sample = panel.iloc[::997]
    for a, b, t in zip(sample.ccode1, sample.ccode2, sample.year, strict=True):
        assert (a, t) in members and (b, t) in members


def test_year_range_arguments(external_dir: Path, panel: pd.DataFrame) -> None:
    part = create_global_dyad_years(external_dir, start=1955, end=1979)
    full = panel[(panel.year >= 1955) & (panel.year <= 1979)].reset_index(drop=True)
    pd.testing.assert_frame_equal(part, full)
    with pytest.raises(ValueError, match="start <= end"):
        create_global_dyad_years(external_dir, start=1980, end=1979)
    with pytest.raises(ValueError, match="1816"):
        create_global_dyad_years(external_dir, start=1815)
    with pytest.raises(ValueError, match="2016"):
        create_global_dyad_years(external_dir, end=2017)
    with pytest.raises(TypeError):
        create_global_dyad_years(external_dir, start=1955.0)  # type: ignore[arg-type]


def test_deterministic(external_dir: Path) -> None:
    a = create_global_dyad_years(external_dir, start=1946, end=1990)
    b = create_global_dyad_years(external_dir, start=1946, end=1990)
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- sampled values


def test_usa_uk_1950_nato(indexed: pd.DataFrame) -> None:
    row = indexed.loc[(2, 200, 1950)]
    assert row["atop_alliance"] == 1 and row["atop_defense"] == 1
    # NATO's yrexit is 0 (still in force): the tie lasts to the end of the panel
    assert indexed.loc[(2, 200, 2016), "atop_defense"] == 1
    # USA-UK 1816: no ATOP alliance
    assert indexed.loc[(2, 200, 1816), "atop_alliance"] == 0


def test_egypt_israel_1950_land_contiguity(indexed: pd.DataFrame, external_dir: Path) -> None:
    raw = _csv_rows(external_dir / "cow_contiguity/cow_contdir_peacesciencer.csv")
    spells = [
        r
        for r in raw
        if (float(r["ccode1"]), float(r["ccode2"])) == (651.0, 666.0)
        and int(r["stdate"][:4]) <= 1950 <= int(r["enddate"][:4])
        and float(r["conttype"]) > 0
    ]
    assert min(int(float(r["conttype"])) for r in spells) == 1
    assert indexed.loc[(651, 666, 1950), "conttype"] == 1
    assert indexed.loc[(666, 651, 1950), "conttype"] == 1
    # USA-Russia 1816: peacesciencer's conttype-0 spell means not contiguous
    assert indexed.loc[(2, 365, 1816), "conttype"] == 0


def test_nmc_values_egypt_1967(indexed: pd.DataFrame, external_dir: Path) -> None:
    raw = _csv_rows(external_dir / "cow_nmc/NMC-60-abridged.csv")
    egy = next(r for r in raw if r["ccode"] == "651" and r["year"] == "1967")
    isr = next(r for r in raw if r["ccode"] == "666" and r["year"] == "1967")
    row = indexed.loc[(651, 666, 1967)]
    assert row["cinc1"] == float(egy["cinc"]) and row["cinc2"] == float(isr["cinc"])
    assert row["milex1"] == int(egy["milex"]) and row["milper2"] == int(isr["milper"])
    assert row["tpop1"] == float(egy["tpop"])
    assert indexed.loc[(666, 651, 1967), "cinc2"] == float(egy["cinc"])


def test_nmc_missing_stays_missing(panel: pd.DataFrame, external_dir: Path) -> None:
    raw = _csv_rows(external_dir / "cow_nmc/NMC-60-abridged.csv")
    coded = {(int(r["ccode"]), int(r["year"])) for r in raw if r["milex"] == "-9"}
    assert coded
    a, t = sorted(coded)[0]
    side1 = panel[(panel.ccode1 == a) & (panel.year == t)]
    assert len(side1) > 0 and side1["milex1"].isna().all()
    for m in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        for side in ("1", "2"):
            values = panel[m + side].astype("float64")
            assert not (values < 0).any(), m + side
    # independent count: rows whose side-1 milex is missing
    n_t = Counter(int(r["year"]) for r in _csv_rows(external_dir / "cow_states/system2016.csv"))
    expected = sum(n_t[t] - 1 for (_, t) in coded)
    assert int(panel["milex1"].isna().sum()) == expected


def test_capdist_against_raw(indexed: pd.DataFrame, external_dir: Path) -> None:
    raw = _csv_rows(external_dir / "distance/capdist.csv")
    km = {(int(r["numa"]), int(r["numb"])): int(r["kmdist"]) for r in raw}
    for a, b, t in [(2, 200, 1950), (651, 666, 1967), (678, 680, 1970), (679, 2, 2000)]:
        assert indexed.loc[(a, b, t), "capdist"] == km[(a, b)]
    # Kosovo (347) is not in capdist: missing, not zero
    assert pd.isna(indexed.loc[(347, 2, 2010), "capdist"])
    assert pd.isna(indexed.loc[(245, 200, 1816), "capdist"])  # Bavaria


# --------------------------------------------------------------------------- totals


@pytest.fixture(scope="module")
def atop_pairs(external_dir: Path, system_years: pd.DataFrame) -> pd.DataFrame:
    """Directed dyad-years with ATOP ties, computed with plain pandas merges."""
    raw = pd.read_csv(
        external_dir / "atop/atop5_1m.csv",
        usecols=["atopid", "member", "yrent", "yrexit", *ATOP_OBLIGATIONS],
        dtype="int64",
    )
    raw["yrexit"] = raw["yrexit"].where(raw["yrexit"] != 0, 2016)
    raw = raw[raw.yrent <= raw.yrexit].copy()  # e.g. members entering after 2016
    raw["year"] = [list(range(a, b + 1)) for a, b in zip(raw.yrent, raw.yrexit, strict=True)]
    my = raw.explode("year").astype({"year": "int64"})
    my = my[(my.year >= 1816) & (my.year <= 2016)]
    my = my.merge(system_years, left_on=["member", "year"], right_on=["ccode", "year"])
    pairs = my.merge(my, on=["atopid", "year"], suffixes=("1", "2"))
    pairs = pairs[pairs.member1 != pairs.member2]
    for o in ATOP_OBLIGATIONS:
        pairs[o] = (pairs[f"{o}1"] | pairs[f"{o}2"]).astype("int64")
    grouped = pairs.groupby(["member1", "member2", "year"])[list(ATOP_OBLIGATIONS)]
    return grouped.max().reset_index()


def test_atop_totals_match_pandas_merge(panel: pd.DataFrame, atop_pairs: pd.DataFrame) -> None:
    assert int(panel["atop_alliance"].sum()) == len(atop_pairs)
    for o in ATOP_OBLIGATIONS:
        assert int(panel[f"atop_{o}"].sum()) == int(atop_pairs[o].sum()), o
    # and the same dyad-years, not only the same counts
    got = panel.loc[panel.atop_defense == 1, ["ccode1", "ccode2", "year"]]
    want = atop_pairs.loc[atop_pairs.defense == 1, ["member1", "member2", "year"]]
    got_keys = set(zip(got.ccode1, got.ccode2, got.year, strict=True))
    assert got_keys == set(zip(want.member1, want.member2, want.year, strict=True))
    # every obligation implies an alliance
    for o in ATOP_OBLIGATIONS:
        assert (panel[f"atop_{o}"] <= panel["atop_alliance"]).all()


def test_contiguity_totals_match_pandas_merge(
    panel: pd.DataFrame, external_dir: Path, system_years: pd.DataFrame
) -> None:
    cont = pd.read_csv(external_dir / "cow_contiguity/cow_contdir_peacesciencer.csv")
    cont = cont[cont.conttype > 0]
    st = cont.stdate.str[:4].astype(int)
    en = cont.enddate.str[:4].astype(int)
    cont = cont.assign(year=[list(range(a, b + 1)) for a, b in zip(st, en, strict=True)])
    cy = cont.explode("year").astype({"year": "int64", "ccode1": "int64", "ccode2": "int64"})
    cy = cy.groupby(["ccode1", "ccode2", "year"])["conttype"].min().reset_index()
    cy = cy.merge(system_years, left_on=["ccode1", "year"], right_on=["ccode", "year"])
    cy = cy.drop(columns="ccode").merge(
        system_years, left_on=["ccode2", "year"], right_on=["ccode", "year"]
    )
    want = cy["conttype"].astype(int).value_counts().sort_index()
    got = panel.loc[panel.conttype > 0, "conttype"].astype(int).value_counts().sort_index()
    pd.testing.assert_series_equal(got, want, check_names=False)


def test_capdist_missing_total(panel: pd.DataFrame) -> None:
    absent = {240, 245, 267, 269, 271, 273, 275, 280, 327, 329, 332, 335, 337, 347, 626}
    absent |= {946, 947, 955, 970}
    expected = panel.ccode1.isin(absent) | panel.ccode2.isin(absent)
    assert (panel["capdist"].isna() == expected).all()


# --------------------------------------------------------------------------- symmetry


def test_symmetric_measures_agree_in_both_directions(panel: pd.DataFrame) -> None:
    rev = panel[["ccode1", "ccode2", "year"]].rename(
        columns={"ccode1": "ccode2", "ccode2": "ccode1"}
    )
    rev_sorted = rev.sort_values(["year", "ccode1", "ccode2"], kind="stable")
    order = rev_sorted.index.to_numpy()  # panel row of (b, a, t) for each (a, b, t)
    mirror = panel.iloc[order].reset_index(drop=True)
    assert (mirror["ccode1"].to_numpy() == panel["ccode2"].to_numpy()).all()
    assert (mirror["ccode2"].to_numpy() == panel["ccode1"].to_numpy()).all()
    for col in ["atop_alliance", *(f"atop_{o}" for o in ATOP_OBLIGATIONS), "conttype"]:
        assert (mirror[col].to_numpy() == panel[col].to_numpy()).all(), col
    assert mirror["capdist"].equals(panel["capdist"])
    for m in ("cinc", "milex", "tpop"):
        assert mirror[f"{m}2"].equals(panel[f"{m}1"]), m
