"""SIPRI arms deliveries by supplier (walt_alliances.sources.arms).

Expected values of the raw-file tests were read by eye from the CSV files in
``../shared/external/sipri`` (cells and register lines quoted in the comments); the residual's
arithmetic is checked on a tiny hand-made frame.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from walt_alliances.sources.aid import read_sipri_gannon, read_sipri_tiv_imports
from walt_alliances.sources.arms import (
    arms_state_years,
    read_sipri_registers,
    read_sipri_us_exports,
    register_deliveries,
    residual_check_gannon,
    supplier_check_gannon,
)
from walt_alliances.sources.shipped import load_source

#: Regional states of the study (COW 600-698).
REGIONAL = [600, 615, 616, 620, 625, 630, 640, 645, 651, 652, 660, 663, 666, 670, 678, 680,
            690, 692, 694, 696, 698]


def _tiny() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    imports = pd.DataFrame({"recipient": ["Egypt", "Egypt", "Jordan", "Jordan", "Turkey"],
                            "year": [1960, 1961, 1960, 1961, 1960],
                            "tiv": pd.array([100, pd.NA, 10, 20, 50], dtype="Int64"),
                            "recorded": pd.array([1, 0, 1, 1, 1], dtype="Int64")})
    us = pd.DataFrame({"recipient": ["Jordan", "Jordan", "Turkey"], "year": [1960, 1961, 1960],
                       "tiv": pd.array([4, 30, 20], dtype="Int64"),
                       "recorded": pd.array([1, 1, 1], dtype="Int64")})
    deals = pd.DataFrame({
        "supplier": ["United Kingdom", "France", "Germany", "United Kingdom"],
        "row": [1, 1, 1, 2],
        "recipient": ["Egypt", "Egypt", "Turkiye", "Jordan"],
        "delivery_years": ["1960; 1961", "1960", "1960", ""],
        "tiv_delivered": [30.0, 5.0, 6.0, 0.0]})
    return imports, us, deals


def test_residual_arithmetic_on_a_tiny_frame() -> None:
    imports, us, deals = _tiny()
    out = arms_state_years(imports, us, deals, (1960, 1961)).set_index(["ccode", "year"])
    # Egypt 1960: 100 - 0 (no US row) - 15 (half of 30) - 5 = 80
    eg = out.loc[(651, 1960)]
    assert (eg["tiv_us"], eg["tiv_uk"], eg["tiv_fr"], eg["tiv_de"]) == (0, 15, 5, 0)
    assert eg["tiv_other"] == 80 and eg["other_floored"] == 0
    # Egypt 1961: blank total (0) minus the other half of the UK deal -> -15, floored at 0
    eg = out.loc[(651, 1961)]
    assert eg["tiv_other_raw"] == -15 and eg["tiv_other"] == 0 and eg["other_floored"] == 1
    # Jordan 1961: 20 - 30 (US) -> floored; Jordan 1960: 10 - 4 = 6
    assert out.loc[(663, 1960), "tiv_other"] == 6
    assert out.loc[(663, 1961), "tiv_other"] == 0
    # the register says "Turkiye", the import table "Turkey": the same state (640)
    assert out.loc[(640, 1960), "tiv_de"] == 6 and out.loc[(640, 1960), "tiv_other"] == 24
    assert len(out) == 5  # Turkey 1961 is not in the (tiny) import table: no row


def test_equal_split_over_delivery_years() -> None:
    _, _, deals = _tiny()
    r = register_deliveries(deals).set_index(["supplier", "recipient", "year"])["tiv"]
    assert r[("United Kingdom", "Egypt", 1960)] == r[("United Kingdom", "Egypt", 1961)] == 15
    assert ("United Kingdom", "Jordan") not in {k[:2] for k in r.index}  # nothing delivered
    assert r.sum() == pytest.approx(41.0)


def test_shipped_tables_give_the_proxy_offline() -> None:
    from walt_alliances.analysis.designs.aid import sipri_arms

    arms = sipri_arms()
    assert not arms.duplicated(["ccode", "year"]).any()
    assert (arms["tiv_other"] >= 0).all()
    rebuilt = arms["tiv_other_raw"] + arms[["tiv_us", "tiv_uk", "tiv_fr", "tiv_de"]].sum(axis=1)
    np.testing.assert_allclose(rebuilt, arms["tiv_total"], atol=1e-9)
    assert len(load_source("sipri_us_exports")) == 163 * 71  # MANIFEST: 163 data rows, 71 years


# ------------------------------------------------------------------------------ raw files


@pytest.mark.external
def test_us_exports_cells(external_dir: Path) -> None:
    us, cov = read_sipri_us_exports(external_dir)
    assert cov == (1950, 2020)
    cell = us.set_index(["recipient", "year"])
    # us-arms-exports.csv, row "Egypt": 1976 -> 56, 1979 -> 339, 1975 blank
    assert cell.loc[("Egypt", 1976), "tiv"] == 56
    assert cell.loc[("Egypt", 1979), "tiv"] == 339
    assert pd.isna(cell.loc[("Egypt", 1975), "tiv"]) and cell.loc[("Egypt", 1975), "recorded"] == 0
    # row "Saudi Arabia": 1955 -> 16; row "Jordan": 1958 -> 1
    assert cell.loc[("Saudi Arabia", 1955), "tiv"] == 16
    assert cell.loc[("Jordan", 1958), "tiv"] == 1


@pytest.mark.external
def test_register_deals_by_eye(external_dir: Path) -> None:
    deals = read_sipri_registers(external_dir)
    assert deals.groupby("supplier").size().to_dict() == {
        "France": 2422, "Germany": 1212, "United Kingdom": 1938}
    # uk-trade-register.csv: "Jordan,United Kingdom,1958,3,Ambassador,...,3,1959; 1960,...,8.4"
    d = deals[(deals["recipient"] == "Jordan") & (deals["weapon"] == "Ambassador")]
    assert d["delivery_years"].tolist() == ["1959; 1960"]
    assert d["tiv_delivered"].tolist() == [8.4]
    r = register_deliveries(deals).set_index(["supplier", "recipient", "year"])["tiv"]
    # fr-trade-register.csv, France's deals with Israel delivered in 1955: AMX-13/75 (90,
    # 1955; 1956), AMX Mk-61 (54, 1955; 1956), C-47 (1, 1955), MD-450 Ouragan (165, 1955;
    # 1956), M-4 Sherman (84, 1955; 1956)
    assert r[("France", "Israel", 1955)] == pytest.approx(45 + 27 + 1 + 82.5 + 42)


@pytest.mark.external
def test_residual_for_south_yemen_by_hand(external_dir: Path) -> None:
    imp, cov = read_sipri_tiv_imports(external_dir)
    us, _ = read_sipri_us_exports(external_dir)
    arms = arms_state_years(imp, us, read_sipri_registers(external_dir), cov)
    sy = arms[arms["ccode"] == 680].set_index("year")
    # TIV-Import-All: South Yemen 1967 = 29, 1968 = 13, 1969 = 58; no US row; the UK register
    # lists Bell-47 1.44, C-47 4, Ferret 1.8, Ham 7.2, Saladin 10.5 (1967), Jet Provost 3.17
    # (1967; 1968) and Strikemaster 10 (1969); nothing from France or Germany.
    assert sy.loc[1967, "tiv_uk"] == pytest.approx(1.44 + 4 + 1.8 + 7.2 + 10.5 + 3.17 / 2)
    assert sy.loc[1967, "tiv_other"] == pytest.approx(29 - 26.525)
    assert sy.loc[1968, "tiv_other"] == pytest.approx(13 - 1.585)
    assert sy.loc[1969, "tiv_other"] == pytest.approx(48)
    assert (sy.loc[1967:1979, "tiv_us"] == 0).all()
    eg = arms[(arms["ccode"] == 651) & (arms["year"] == 1956)]
    assert eg["tiv_total"].tolist() == [1065]  # TIV-Import-All, Egypt 1956


@pytest.mark.external
def test_suppliers_and_residual_against_gannon_1970s(external_dir: Path) -> None:
    imp, cov = read_sipri_tiv_imports(external_dir)
    us, _ = read_sipri_us_exports(external_dir)
    arms = arms_state_years(imp, us, read_sipri_registers(external_dir), cov)
    gannon = read_sipri_gannon(external_dir)
    # Gannon does not map the Yemens or the UAE as recipients: compare the others
    cc = [c for c in REGIONAL if c not in (678, 680, 696)]
    chk = supplier_check_gannon(arms, gannon, cc).set_index("supplier")
    assert (chk["cell_corr"] > 0.95).all()
    assert ((chk["here"] / chk["gannon"] - 1).abs() < 0.05).all()
    res = residual_check_gannon(arms, gannon, cc).set_index("ccode")
    assert (res["gannon_ussr"] == 0).all()  # Gannon's Soviet rows are 0 (its known gap)
    soviet_armed = [615, 620, 645, 651, 652]  # Algeria, Libya, Iraq, Egypt, Syria
    assert (res.loc[soviet_armed, "visible_other_share"] < 0.06).all()
    assert (res.loc[soviet_armed, "tiv_other"] / res.loc[soviet_armed, "tiv_total"] > 0.8).all()


# ------------------------------------------------------------------------------ bad input

_HEADER = ("Recipient,Supplier,Year of order,Number ordered,Weapon designation,Weapon description,"
           "Number delivered,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
           "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n")


def _registers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uk_line: str) -> Path:
    import walt_alliances.sources.arms as arms_mod

    lines = {"sipri_register_uk": uk_line,
             "sipri_register_fr": "Egypt,France,1955,2,X,y,2,1956,New,,1,2,2\n",
             "sipri_register_de": "Egypt,Germany,1955,2,X,y,2,1956,New,,1,2,2\n"}
    paths = {}
    for key, line in lines.items():
        p = tmp_path / f"{key}.csv"
        p.write_bytes((_HEADER + line).encode("latin-1"))
        paths[key] = p
    monkeypatch.setattr(arms_mod, "raw_path", lambda key, ext=None: paths[key])
    return paths["sipri_register_uk"]


def test_good_synthetic_registers_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _registers(tmp_path, monkeypatch, "Jordan,United Kingdom,1958,3,Ambassador,transport "
               "aircraft,3,1959; 1960,Second hand,Caf\u00e9,2.8,8.4,8.4\n")
    d = read_sipri_registers()
    assert d["recipient"].tolist() == ["Egypt", "Egypt", "Jordan"]
    assert d["tiv_delivered"].tolist() == [2.0, 2.0, 8.4]


@pytest.mark.parametrize(("line", "field"), [
    ("Jordan,United Kingdom,1958,3,A,b,3,1959-1960,New,,2.8,8.4,8.4\n", "Year(s) of delivery"),
    ("Jordan,United Kingdom,1958,3,A,b,three,1959,New,,2.8,8.4,8.4\n", "Number delivered"),
    ("Jordan,United Kingdom,1958,3,A,b,3,1959,New,,2.8,8.4,n/a\n",
     "SIPRI TIV of delivered weapons"),
    ("Jordan,France,1958,3,A,b,3,1959,New,,2.8,8.4,8.4\n", "Supplier"),
])
def test_bad_register_cell_names_file_row_and_field(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, field: str) -> None:
    from walt_alliances.errors import RawDataError

    path = _registers(tmp_path, monkeypatch, line)
    with pytest.raises(RawDataError) as info:
        read_sipri_registers()
    msg = str(info.value)
    assert str(path) in msg and "data row 1" in msg and f"'{field}'" in msg


def test_undated_delivery_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from walt_alliances.errors import RawDataError

    path = _registers(tmp_path, monkeypatch,
                      "Jordan,United Kingdom,1958,3,A,b,3,,New,,2.8,8.4,8.4\n")
    with pytest.raises(RawDataError, match="no year of delivery") as info:
        read_sipri_registers()
    assert str(path) in str(info.value)


def test_tiv_tables_name_the_first_bad_cell() -> None:
    import pandas as pd

    from walt_alliances.errors import RawDataError
    from walt_alliances.sources.aid import tiv_long

    wide = pd.DataFrame({"recipient": ["Egypt", "Iraq"], "1955": ["3", ""],
                         "1956": ["", "x1"]}, dtype="string")
    with pytest.raises(RawDataError, match=r"f.csv: recipient 'Iraq', year 1956: TIV 'x1'"):
        tiv_long(wide, "f.csv")
    ok = tiv_long(wide.assign(**{"1956": pd.array(["", "4"], dtype="string")}), "f.csv")
    assert ok["tiv"].tolist()[:2] == [3, pd.NA] and ok["recorded"].tolist() == [1, 0, 0, 1]
