"""Exports users open elsewhere: Parquet and Stata round trips, labels, renames, CLI paths."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import walt_alliances as wa
from walt_alliances.panels.export import _all_tables, _label, export, frame_bytes, stata_names

CLI = [sys.executable, "-m", "walt_alliances"]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return wa.add_all(wa.create_dyad_years(1955, 1979))


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet")
    export(out, "parquet", panel=True)
    return out


@pytest.fixture(scope="module")
def stata_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stata")
    export(out, "stata", panel=True)
    return out


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.reset_index(drop=True)
    out.attrs = {}
    return out


def test_parquet_round_trip_keeps_every_dtype(parquet_dir: Path, panel: pd.DataFrame) -> None:
    frames = {name: df for name, (df, _, _) in _all_tables(None).items()}
    frames["panel_directed_dyad_year"] = panel
    for name, df in frames.items():
        back = pd.read_parquet(parquet_dir / f"{name}.parquet")
        pd.testing.assert_frame_equal(back, _plain(df), check_exact=True, obj=name)
    ccode = pd.read_parquet(parquet_dir / "actors.parquet")["ccode"]
    assert str(ccode.dtype) == "Int64"  # issue 14: it used to read back as float64


def test_parquet_and_stata_exports_are_deterministic(tmp_path: Path, parquet_dir: Path,
                                                     stata_dir: Path) -> None:
    export(tmp_path / "p", "parquet", panel=True)
    export(tmp_path / "s", "stata", panel=True)
    for a, b in ((parquet_dir, tmp_path / "p"), (stata_dir, tmp_path / "s")):
        for f in sorted(a.iterdir()):
            assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_stata_round_trip_values_value_labels_and_renames(stata_dir: Path,
                                                          panel: pd.DataFrame) -> None:
    frames = {name: df for name, (df, _, _) in _all_tables(None).items()}
    frames["panel_directed_dyad_year"] = panel
    for name, df in frames.items():
        back = pd.read_stata(stata_dir / f"{name}.dta", convert_categoricals=True)
        with pd.io.stata.StataReader(stata_dir / f"{name}.dta") as rd:
            value_labels = rd.value_labels()
        names = stata_names(list(df.columns))
        assert list(back.columns) == [names[c] for c in df.columns], name
        assert len(back) == len(df)
        for col in df.columns:
            ours, theirs = df[col].reset_index(drop=True), back[names[col]]
            if isinstance(ours.dtype, pd.CategoricalDtype):
                assert isinstance(theirs.dtype, pd.CategoricalDtype), (name, col)
                vl = value_labels[names[col]]  # every category, used or not
                assert [vl[k] for k in sorted(vl)] == [str(c) for c in ours.cat.categories]
                pd.testing.assert_series_equal(theirs.astype(object), ours.astype(object).where(
                    ours.notna(), np.nan), check_names=False, obj=f"{name}.{col}")
            elif pd.api.types.is_numeric_dtype(ours) or pd.api.types.is_bool_dtype(ours):
                np.testing.assert_array_equal(
                    theirs.to_numpy(dtype=float), ours.to_numpy(dtype=float, na_value=np.nan),
                    err_msg=f"{name}.{col}")
            elif pd.api.types.is_datetime64_any_dtype(ours):
                assert (theirs.isna() == ours.isna()).all()
                assert (theirs[ours.notna()].dt.date == ours[ours.notna()].dt.date).all()
            else:
                expect = ours.astype(object).where(ours.notna(), "").astype(str)
                assert (theirs.astype(str) == expect).all(), (name, col)
    assert "end_" in pd.read_stata(stata_dir / "alignments.dta").columns


def test_stata_labels_and_the_full_labels_beside_them(stata_dir: Path) -> None:
    with (stata_dir / "stata_variables.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_key = {(r["table"], r["column"]): r for r in rows}
    r = by_key[("alignments", "end")]
    assert r["stata_name"] == "end_" and r["renamed"] == "1"
    truncated = [r for r in rows if r["label_truncated"] == "1"]
    assert truncated and all(len(r["full_label"]) > 80 >= len(r["stata_label"])
                             for r in truncated)
    assert any(r["value_labels"] == "1" for r in rows if r["table"] == "panel_directed_dyad_year")
    with pd.io.stata.StataReader(stata_dir / "alignments.dta") as rd:
        labels = rd.variable_labels()
    for col, label in labels.items():
        row = next(r for r in rows if r["table"] == "alignments" and r["stata_name"] == col)
        assert label == row["stata_label"] == _label(row["full_label"])


def test_export_records_its_data_and_the_panel(parquet_dir: Path) -> None:
    dp = json.loads((parquet_dir / "datapackage.json").read_text())
    assert dp["walt_alliances_data"]["data"] == "shipped"
    names = {r["name"] for r in dp["resources"]}
    assert "panel_directed_dyad_year" in names


def test_frame_bytes_stata_of_a_panel_reads_back(tmp_path: Path, panel: pd.DataFrame) -> None:
    path = tmp_path / "p.dta"
    path.write_bytes(frame_bytes(panel, "stata"))
    back = pd.read_stata(path)
    assert len(back) == len(panel) and back.shape[1] == panel.shape[1]
    assert isinstance(back["actor1"].dtype, pd.CategoricalDtype)


def test_cli_missing_output_folder_is_an_error_unless_mkdir(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "p.csv"
    r = subprocess.run([*CLI, "panel", "--unit", "state-year", "--start", "1960", "--end",
                        "1961", "--out", str(target)], capture_output=True, text=True)
    assert r.returncode == 1
    assert str(target.parent) in r.stderr and "--mkdir" in r.stderr
    assert not target.parent.exists()
    r = subprocess.run([*CLI, "panel", "--unit", "state-year", "--start", "1960", "--end",
                        "1961", "--out", str(tmp_path / "d" / "p.dta"), "--mkdir"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert len(pd.read_stata(tmp_path / "d" / "p.dta")) > 0


@pytest.mark.slow
def test_cli_show_yaml_is_a_valid_override(tmp_path: Path) -> None:
    r = subprocess.run([*CLI, "show", "baghdad-pact", "--yaml"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    mine = tmp_path / "mine"
    (mine / "alignments").mkdir(parents=True)
    (mine / "alignments" / "baghdad-pact.yaml").write_text(
        r.stdout.replace("confidence: high\n", "confidence: medium\n", 1))
    (mine / "extension.yaml").write_text(
        "title: a recode\noverrides:\n  - id: baghdad-pact\n    reason: test\n")
    v = subprocess.run([*CLI, "validate", str(mine)], capture_output=True, text=True)
    assert v.returncode == 0, v.stdout + v.stderr
    info = subprocess.run([*CLI, "info", "--with", str(mine)], capture_output=True, text=True)
    assert "data: modified (records sha256" in info.stdout
    shown = subprocess.run([*CLI, "show", "no-such-alignment"], capture_output=True, text=True)
    assert shown.returncode == 1 and "no shipped record" in shown.stderr


def test_extension_yaml_without_period_or_with_a_bad_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "extension.yaml").write_text("title: x\nperiod: 1990\n")
    r = subprocess.run([*CLI, "validate", str(bad)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "NoneType" not in r.stderr and "subscriptable" not in r.stderr
    assert "field period" in r.stderr
