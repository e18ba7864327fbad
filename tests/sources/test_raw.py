"""Tests of walt_alliances.sources: registry, verification and the COW/ATOP readers.

Expected values come from the raw files read independently with the ``csv`` module.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from walt_alliances.errors import RawDataError, WaltError
from walt_alliances.sources import (
    cow,
    read_atop_alliances,
    read_atop_members,
    read_capdist,
    read_contiguity,
    read_majors,
    read_nmc,
    read_states,
    read_system,
    registry,
)

pytestmark = pytest.mark.external

MANIFEST_FIELDS = {
    "path": "path",
    "source_dataset": "dataset",
    "version": "version",
    "repository": "repository",
    "path_in_repository": "path_in_repository",
    "commit": "commit",
    "bytes": "bytes",
    "sha256": "sha256",
    "rows": "rows",
    "notes": "notes",
}


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- registry


def test_registry_equals_manifest(external_dir: Path) -> None:
    with (external_dir / "MANIFEST.tsv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert list(rows[0]) == list(MANIFEST_FIELDS)
    table = list(registry.REGISTRY.values())
    assert len(table) == len(rows)
    for row, entry in zip(rows, table, strict=True):
        as_text = {
            m: ("" if getattr(entry, a) is None else str(getattr(entry, a)))
            for m, a in MANIFEST_FIELDS.items()
        }
        assert as_text == row, entry.key


def test_registry_has_the_keys_other_modules_use() -> None:
    wanted = {
        "cow_states", "cow_system", "cow_majors", "cow_nmc", "cow_contiguity", "capdist",
        "atop_members", "atop_alliances", "cow_mida", "cow_midb", "gml_ddy", "gml_midb",
        "cow_war", "cow_dyadic_war", "polity5", "gwf_regimes", "us_aid", "sipri_tiv_imports",
        "sipri_milex", "sipri_dyad_gannon", "vdem", "icb_actor", "un_ideal", "leeds_savun",
    }  # fmt: skip
    assert wanted <= set(registry.REGISTRY)
    # the CSV conversions, not the .dta files, carry the short keys
    assert registry.REGISTRY["cow_mida"].path.endswith(".csv")
    assert registry.REGISTRY["gwf_regimes"].path.endswith(".csv")
    assert registry.REGISTRY["un_ideal"].path.endswith(".csv")


def test_registry_entries_are_frozen() -> None:
    entry = registry.get_raw_file("cow_nmc")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.sha256 = "0"  # type: ignore[misc]
    with pytest.raises(TypeError):
        registry.REGISTRY["x"] = entry  # type: ignore[index]


def test_unknown_key_lists_valid_keys() -> None:
    with pytest.raises(KeyError, match="cow_nmc"):
        registry.get_raw_file("cow_nmcc")


def test_errors_hierarchy() -> None:
    assert issubclass(RawDataError, WaltError)
    assert issubclass(RawDataError, ValueError)


# --------------------------------------------------------------------------- resolve_external_dir


def test_resolve_external_dir_order(
    external_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(registry.ENV_VAR, str(tmp_path))
    assert registry.resolve_external_dir(external_dir) == external_dir.resolve()
    assert registry.resolve_external_dir() == tmp_path.resolve()
    monkeypatch.delenv(registry.ENV_VAR)
    work = tmp_path / "a" / "main"
    (tmp_path / "a" / "shared" / "external").mkdir(parents=True)
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    assert registry.resolve_external_dir() == (tmp_path / "a" / "shared" / "external").resolve()


def test_resolve_external_dir_missing_is_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(registry.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RawDataError, match="WALT_EXTERNAL_DIR"):
        registry.resolve_external_dir()
    with pytest.raises(RawDataError, match="--external-dir"):
        registry.resolve_external_dir(tmp_path / "nope")
    monkeypatch.setenv(registry.ENV_VAR, str(tmp_path / "nope"))
    with pytest.raises(RawDataError, match="environment variable"):
        registry.resolve_external_dir()


# --------------------------------------------------------------------------- verify


@pytest.fixture
def fake_external(external_dir: Path, tmp_path: Path) -> Path:
    """A temporary external folder: states intact, majors corrupted, system missing."""
    base = tmp_path / "external"
    (base / "cow_states").mkdir(parents=True)
    shutil.copyfile(external_dir / "cow_states/states2016.csv", base / "cow_states/states2016.csv")
    data = bytearray((external_dir / "cow_states/majors2016.csv").read_bytes())
    data[-3] = ord("7") if data[-3] != ord("7") else ord("8")  # same size, other bytes
    (base / "cow_states/majors2016.csv").write_bytes(bytes(data))
    (base / "cow_nmc").mkdir()
    (base / "cow_nmc/NMC-60-abridged.csv").write_bytes(b"stateabb,ccode\n")  # other size
    return base


def test_verify_reports_every_problem_at_once(fake_external: Path) -> None:
    keys = ["cow_states", "cow_system", "cow_majors", "cow_nmc"]
    with pytest.raises(RawDataError) as info:
        registry.verify(keys, fake_external)
    msg = str(info.value)
    assert "3 of 4" in msg
    assert "cow_system: missing file" in msg
    assert str(fake_external / "cow_states" / "system2016.csv") in msg
    majors = registry.get_raw_file("cow_majors")
    assert f"cow_majors: changed file {fake_external / 'cow_states' / 'majors2016.csv'}" in msg
    assert majors.sha256 in msg
    assert registry.file_sha256(fake_external / "cow_states/majors2016.csv") in msg
    nmc = registry.get_raw_file("cow_nmc")
    assert f"expected {nmc.bytes} bytes, got 15" in msg
    assert "cow_states" not in msg.replace("cow_states/", "").replace("cow_states\\", "")


def test_verify_returns_paths_and_accepts_one_key(external_dir: Path) -> None:
    paths = registry.verify(["cow_system", "cow_nmc"], external_dir)
    assert list(paths) == ["cow_system", "cow_nmc"]
    assert paths["cow_nmc"] == (external_dir / "cow_nmc/NMC-60-abridged.csv").resolve()
    assert registry.verify("capdist", external_dir)["capdist"].name == "capdist.csv"
    assert registry.raw_path("capdist", external_dir).name == "capdist.csv"


def test_verify_unknown_key_before_touching_files(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        registry.verify(["cow_states", "nope"], tmp_path / "absent")


def test_verify_all_registered_files(external_dir: Path) -> None:
    paths = registry.verify(registry.REGISTRY, external_dir)
    assert len(paths) == len(registry.REGISTRY)


def test_hash_cache_by_path_mtime_size(
    fake_external: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = registry.hashlib.sha256

    def counting() -> object:
        calls.append(1)
        return real()

    monkeypatch.setattr(registry.hashlib, "sha256", counting)
    registry.clear_hash_cache()
    target = fake_external / "cow_states/states2016.csv"
    for _ in range(3):
        registry.verify(["cow_states"], fake_external)
    assert len(calls) == 1
    # touching the file (new mtime) forces a re-hash
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    registry.verify(["cow_states"], fake_external)
    assert len(calls) == 2
    # corrupting it in place with the same size is detected
    data = bytearray(target.read_bytes())
    data[0] = ord("x")
    target.write_bytes(bytes(data))
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 2 * 10**9))
    with pytest.raises(RawDataError, match="expected sha256"):
        registry.verify(["cow_states"], fake_external)


def test_readers_verify_their_file(fake_external: Path) -> None:
    with pytest.raises(RawDataError, match="cow_majors"):
        read_majors(fake_external)
    with pytest.raises(RawDataError, match="missing"):
        read_system(fake_external)
    assert len(read_states(fake_external)) == 243


# --------------------------------------------------------------------------- readers: dtypes


def test_state_system_dtypes(external_dir: Path) -> None:
    states = read_states(external_dir)
    assert states.dtypes.astype(str).to_dict() == {
        "stateabb": "string", "ccode": "int64", "statenme": "string", "styear": "int64",
        "stmonth": "int64", "stday": "int64", "endyear": "int64", "endmonth": "int64",
        "endday": "int64", "version": "int64",
    }  # fmt: skip
    system = read_system(external_dir)
    assert system.dtypes.astype(str).to_dict() == {
        "stateabb": "string", "ccode": "int64", "year": "int64", "version": "int64"
    }  # fmt: skip
    majors = read_majors(external_dir)
    assert set(majors.dtypes.astype(str)) == {"string", "int64"}
    assert (len(states), len(system), len(majors)) == (243, 15951, 14)


def test_nmc_dtypes_and_units(external_dir: Path) -> None:
    nmc = read_nmc(external_dir)
    assert nmc.dtypes.astype(str).to_dict() == {
        "stateabb": "string", "ccode": "int64", "year": "int64", "milex": "Int64",
        "milper": "Int64", "irst": "Int64", "pec": "Int64", "tpop": "float64",
        "upop": "float64", "cinc": "float64", "version": "int64",
    }  # fmt: skip
    assert len(nmc) == 15951


def test_nmc_minus_nine_is_never_a_number(external_dir: Path) -> None:
    nmc = read_nmc(external_dir)
    raw = _csv_rows(external_dir / "cow_nmc/NMC-60-abridged.csv")
    for col in ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]:
        values = nmc[col].astype("float64")
        assert not (values == -9).any(), col
        assert not (values < 0).any(), col
        n_coded = sum(r[col] == "-9" for r in raw)
        assert int(nmc[col].isna().sum()) == n_coded, col
    assert int(nmc["milex"].isna().sum()) == 2217


def test_nmc_spot_values_against_csv(external_dir: Path) -> None:
    nmc = read_nmc(external_dir).set_index(["ccode", "year"])
    raw = _csv_rows(external_dir / "cow_nmc/NMC-60-abridged.csv")
    for r in raw[::397]:
        row = nmc.loc[(int(r["ccode"]), int(r["year"]))]
        for col in ["milex", "milper", "irst", "pec"]:
            assert (pd.isna(row[col]) and r[col] == "-9") or row[col] == int(r[col]), col
        for col in ["tpop", "upop", "cinc"]:
            assert (np.isnan(row[col]) and r[col] == "-9") or row[col] == float(r[col]), col
    usa = nmc.loc[(2, 1816)]
    assert (usa["milex"], usa["milper"], usa["tpop"]) == (3823, 17, 8659.0)


def test_contiguity_reader(external_dir: Path) -> None:
    cont = read_contiguity(external_dir)
    assert cont.dtypes.astype(str).to_dict() == {
        "ccode1": "int64", "ccode2": "int64", "conttype": "int64",
        "stdate": "datetime64[s]", "enddate": "datetime64[s]",
    }  # fmt: skip
    raw = _csv_rows(external_dir / "cow_contiguity/cow_contdir_peacesciencer.csv")
    assert len(cont) == len(raw) == 1874
    for i in range(0, len(raw), 101):
        r, row = raw[i], cont.iloc[i]
        assert row["ccode1"] == int(float(r["ccode1"]))
        assert row["conttype"] == int(float(r["conttype"]))
        assert str(row["stdate"].date()) == r["stdate"]
        assert str(row["enddate"].date()) == r["enddate"]
    # 0 = peacesciencer's added "no contiguity" spells for dyads that have a record at some time
    assert set(cont["conttype"]) == {0, 1, 2, 3, 4, 5}
    assert int((cont["conttype"] == 0).sum()) == sum(r["conttype"] == "0.0" for r in raw)
    # directed: every spell appears in both directions
    fwd = set(zip(cont.ccode1, cont.ccode2, cont.conttype, cont.stdate, strict=True))
    rev = set(zip(cont.ccode2, cont.ccode1, cont.conttype, cont.stdate, strict=True))
    assert fwd == rev


def test_capdist_gw_numbering_is_the_file(external_dir: Path) -> None:
    gw = read_capdist(external_dir, numbering="gw")
    raw = _csv_rows(external_dir / "distance/capdist.csv")
    assert len(gw) == len(raw) == 41006
    assert gw.dtypes.astype(str).to_dict() == {
        "numa": "int64", "ida": "string", "numb": "int64", "idb": "string",
        "kmdist": "int64", "midist": "Int64",
    }  # fmt: skip
    for i in range(0, len(raw), 977):
        assert gw.iloc[i]["kmdist"] == int(raw[i]["kmdist"])
        assert gw.iloc[i]["ida"] == raw[i]["ida"]
    bad = [i for i, r in enumerate(raw) if not r["midist"].isdigit()]
    assert [(raw[i]["numa"], raw[i]["numb"], raw[i]["midist"]) for i in bad] == [
        ("385", "365", "s")
    ]
    assert pd.isna(gw.iloc[bad[0]]["midist"])


def test_capdist_cow_numbering(external_dir: Path) -> None:
    cap = read_capdist(external_dir)
    raw = _csv_rows(external_dir / "distance/capdist.csv")
    states = _csv_rows(external_dir / "cow_states/states2016.csv")
    cow_codes = {int(r["ccode"]) for r in states}
    file_codes = {int(r["numa"]) for r in raw}
    # documented differences, recomputed independently
    assert file_codes - cow_codes == set(cow.CAPDIST_GW_ONLY)
    assert cow_codes - file_codes == set(cow.CAPDIST_COW_ABSENT)
    assert set(cap.ccode1) == file_codes & cow_codes
    n = len(file_codes & cow_codes)
    assert len(cap) == n * (n - 1)
    assert not cap.duplicated(["ccode1", "ccode2"]).any()
    assert (cap.ccode1 != cap.ccode2).all()
    dist = cap.set_index(["ccode1", "ccode2"])["kmdist"]
    raw_km = {(int(r["numa"]), int(r["numb"])): int(r["kmdist"]) for r in raw}
    for pair in [(2, 200), (651, 666), (678, 680), (679, 680), (255, 260), (365, 2), (345, 2)]:
        assert dist[pair] == raw_km[pair], pair
    # the two Yemens and united Yemen; Berlin vs Bonn
    assert dist[(678, 679)] == 0 and dist[(678, 680)] == 340
    assert dist[(255, 265)] == 0 and dist[(255, 260)] == 494
    labels: dict[int, set[str]] = {}
    for r in raw:
        labels.setdefault(int(r["numa"]), set()).add(r["ida"])
    abbs = {int(r["ccode"]): r["stateabb"] for r in states}
    differing = {c for c in file_codes & cow_codes if labels[c] != {abbs[c]}}
    assert differing == set(cow.CAPDIST_LABEL_DIFFERENCES)


def test_capdist_bad_numbering_argument(external_dir: Path) -> None:
    with pytest.raises(ValueError, match="numbering"):
        read_capdist(external_dir, numbering="GW")  # type: ignore[arg-type]


def test_atop_members_reader(external_dir: Path) -> None:
    m = read_atop_members(external_dir)
    raw = _csv_rows(external_dir / "atop/atop5_1m.csv")
    assert m.shape == (2510, 105)
    assert list(m.columns) == list(raw[0])
    dtypes = m.dtypes.astype(str)
    for c in ["atopid", "member", "yrent", "yrexit", "defense", "offense", "neutral", "nonagg"]:
        assert dtypes[c] == "int64", c
    assert dtypes["version"] == "string"
    assert set(dtypes) == {"int64", "Int64", "string"}
    for i in range(0, len(raw), 211):
        for c in ["atopid", "member", "yrent", "yrexit", "defense", "cowid", "dayexit"]:
            v = m.iloc[i][c]
            assert (pd.isna(v) and raw[i][c] == "") or v == int(raw[i][c]), (i, c)
    assert m["cowid"].isna().sum() == sum(r["cowid"] == "" for r in raw)
    assert int((m["yrexit"] == 0).sum()) == sum(r["yrexit"] == "0" for r in raw)


def test_atop_alliances_reader(external_dir: Path) -> None:
    a = read_atop_alliances(external_dir)
    raw = _csv_rows(external_dir / "atop/atop5_1a.csv")
    assert a.shape == (789, 134)
    assert list(a.columns) == list(raw[0])
    assert a["mem3"].dtype == "Int64" and a["mem1"].dtype == "int64"
    nato = a.loc[a["atopid"] == 3180].iloc[0]  # NATO, 1949: members include USA and UK
    members = {int(nato[f"mem{i}"]) for i in range(1, 60) if not pd.isna(nato[f"mem{i}"])}
    raw_nato = next(r for r in raw if r["atopid"] == "3180")
    assert members == {int(raw_nato[f"mem{i}"]) for i in range(1, 60) if raw_nato[f"mem{i}"]}
    assert {2, 200} <= members
    assert nato["begyr"] == 1949 and nato["defense"] == 1
