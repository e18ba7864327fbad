"""The whole-system source tables shipped in the package (walt_alliances/data/sources).

Offline tests check the shipped files against their provenance; ``external`` tests rebuild
every table from the raw files and compare, and check a few values against the raw CSV read
with the standard library (an implementation independent of the package's readers).
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from walt_alliances.sources.shipped import (
    SOURCE_TABLES,
    Sources,
    build_source_table,
    load_source,
    source_provenance,
    system_years,
)

DATA = Path(__file__).resolve().parents[2] / "walt_alliances" / "data"


def test_every_table_is_shipped_with_provenance() -> None:
    prov = source_provenance()
    assert set(prov["tables"]) == set(SOURCE_TABLES)
    for name, rec in prov["tables"].items():
        data = (DATA / "sources" / rec["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == rec["sha256"], name
        df = load_source(name)
        assert len(df) == rec["rows"], name
        assert list(df.columns) == list(SOURCE_TABLES[name].columns) == rec["columns"]
        assert rec["sources"], name
        for src in rec["sources"]:
            assert len(src["sha256"]) == 64 and src["version"] and src["dataset"]


def test_cow_formal_alliances_are_never_shipped() -> None:
    prov = source_provenance()
    keys = {s["key"] for rec in prov["tables"].values() for s in rec["sources"]}
    assert not any(k.startswith("cow_alliance") for k in keys)
    datasets = {s["dataset"] for rec in prov["tables"].values() for s in rec["sources"]}
    assert "COW Formal Alliances" not in datasets
    for path in DATA.rglob("*"):
        assert "alliance_v4" not in path.name.lower()
    text = json.dumps(prov).lower()
    assert "alliance_v4" not in text


def test_keys_unique_and_sorted() -> None:
    for name, spec in SOURCE_TABLES.items():
        df = load_source(name, copy=False)
        keys = list(spec.sort)
        assert not df.duplicated(keys).any(), name
        resorted = df.sort_values(keys, kind="mergesort").reset_index(drop=True)
        pd.testing.assert_frame_equal(df, resorted, obj=name)


def test_cached_frame_is_read_only_and_copies_are_independent() -> None:
    a = load_source("cow_nmc")
    a.loc[0, "cinc"] = -1.0
    assert load_source("cow_nmc").loc[0, "cinc"] != -1.0


def test_state_years_from_spells_uae_and_yemen() -> None:
    sy = Sources().system()
    assert len(sy) == 15951  # rows of system2016.csv (MANIFEST)
    years = set(sy.loc[sy["ccode"] == 696, "year"])
    assert min(years) == 1971 and max(years) == 2016
    assert set(sy.loc[sy["ccode"] == 680, "year"]) == set(range(1967, 1991))
    assert not sy.duplicated(["ccode", "year"]).any()


def test_offline_sources_need_no_raw_folder(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("WALT_EXTERNAL_DIR", str(tmp_path / "nothing-here"))
    src = Sources()
    assert not src.is_raw
    assert len(src.table("atop_members")) == source_provenance()["tables"]["atop_members"]["rows"]


# ------------------------------------------------------------------------------ against raw


@pytest.mark.external
@pytest.mark.parametrize("name", sorted(SOURCE_TABLES))
def test_shipped_table_equals_rebuild_from_raw(name: str, external_dir: Path) -> None:
    rebuilt = build_source_table(name, external_dir)
    shipped = load_source(name)
    pd.testing.assert_frame_equal(shipped, rebuilt, check_exact=True, obj=name)
    assert shipped.attrs["years"] == rebuilt.attrs["years"]
    rec = source_provenance()["tables"][name]
    assert rec["years"] == rebuilt.attrs["years"]


@pytest.mark.external
def test_system_years_equal_system2016(external_dir: Path) -> None:
    with (external_dir / "cow_states" / "system2016.csv").open(newline="") as fh:
        raw = {(int(r["ccode"]), int(r["year"])): r["stateabb"] for r in csv.DictReader(fh)}
    sy = system_years(load_source("cow_states"))
    ours = {(int(c), int(y)): str(a) for a, c, y in sy.itertuples(index=False)}
    assert ours == raw


@pytest.mark.external
def test_ideal_points_against_raw_csv(external_dir: Path) -> None:
    with (external_dir / "un_votes" / "Idealpoints.csv").open(newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["ccode"]]
    ip = load_source("un_idealpoints").set_index(["ccode", "year"])
    assert len(ip) == len(rows) == 10277  # the file's 10,278 rows less its blank last row
    for r in rows[::997]:
        key = (int(float(r["ccode"])), int(float(r["year"])))
        got = ip.loc[key, "idealpoint"]
        if r["idealpoint"] in ("", "NaN"):
            assert pd.isna(got)
        else:
            assert got == pytest.approx(float(r["idealpoint"]), rel=1e-12)


@pytest.mark.external
@pytest.mark.slow
def test_measures_from_shipped_sources_equal_measures_from_raw(external_dir: Path) -> None:
    from walt_alliances.measures.build import build_tables

    ccodes = (2, 365, 530, 630, 645, 651, 666, 670, 679, 680, 690, 700)
    a = build_tables(None, ccodes, (1975, 1992))
    b = build_tables(external_dir, ccodes, (1975, 1992))
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert a[2] == b[2]


def test_exact_name_matching_is_unique_and_never_doubles_a_hand_mapping() -> None:
    from walt_alliances.sources.aid import (
        GREENBOOK_TO_COW,
        cow_exact_name_matches,
        greenbook_state_years,
    )

    states = load_source("cow_states")
    names = ["India", "Brazil", "Korea Republic", "Egypt", "Nowhere"]
    got = cow_exact_name_matches(names, states, {651})
    assert got == {"Brazil": (140, 1822, 2016), "India": (750, 1947, 2016)}
    aid, _ = greenbook_state_years(load_source("us_aid"), states=states)
    assert not aid.duplicated(["ccode", "year"]).any()
    hand = {v[0] for v in GREENBOOK_TO_COW.values()}
    assert hand - {2} <= set(aid["ccode"].astype(int))
    assert 2 not in set(aid["ccode"].astype(int))  # the donor is not a recipient
    assert aid["ccode"].nunique() > 150
