"""Every shipped table: loads, has the declared dtypes and unique keys, and matches the manifest;
the package data and the codebook are exactly what the sources build."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

import walt_alliances as wa
from walt_alliances.records.build import compile_records
from walt_alliances.records.schema import TABLES
from walt_alliances.records.validate import validate_paths
from walt_alliances.report.codebook import generate_codebook

DATA = resources.files("walt_alliances") / "data"
DP = json.loads((DATA / "datapackage.json").read_text())


@pytest.mark.parametrize("name", list(TABLES))
def test_table_loads_with_declared_dtypes_and_unique_key(name):
    spec = TABLES[name]
    df = wa.load_table(name)
    expected = {"string": "string", "list": "string", "partial_date": "string",
                "Int64": "Int64", "Float64": "Float64", "boolean": "boolean",
                "category": "category"}
    for col in spec.columns:
        assert str(df[col.name].dtype) == expected[col.dtype], (name, col.name, df[col.name].dtype)
        if col.categories:
            assert list(df[col.name].cat.categories) == list(col.categories)
    assert not df.duplicated(list(spec.key)).any(), f"duplicate keys in {name}"
    arrow = wa.load_table(name, format="arrow")
    assert arrow.num_rows == len(df)


@pytest.mark.parametrize("res", DP["resources"], ids=lambda r: r["name"])
def test_manifest_hash_and_rows(res):
    data = (DATA / res["path"]).read_bytes()
    assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert res["bytes"] == len(data)
    # Row count checked independently of pandas: lines of the CSV minus the header, allowing
    # for quoted newlines by parsing with the csv module.
    import csv
    import io

    n = sum(1 for _ in csv.reader(io.StringIO(data.decode()))) - 1
    assert res["rows"] == n


def test_data_version_is_the_dataset_yaml_version(repo_root):
    import yaml

    info = yaml.safe_load((repo_root / "datasets" / "dataset.yaml").read_text())
    assert wa.data_version() == info["data_version"]


def test_package_data_is_built_from_datasets(repo_root):
    """A recode in datasets/ without a rebuild fails here."""
    rs = validate_paths([repo_root / "datasets"])
    files = compile_records(rs, wa.load_state_system())
    stale = [rel for rel, data in files.items() if (DATA / rel).read_bytes() != data]
    assert not stale, f"package data out of date (run walt-alliances build): {stale}"


def test_codebook_is_current(repo_root):
    path = repo_root / "datasets" / "CODEBOOK.md"
    assert path.read_text(encoding="utf-8") == generate_codebook(), "run walt-alliances codebook"


def test_codebook_describes_every_table_and_vocabulary():
    text = generate_codebook()
    for name, spec in TABLES.items():
        assert f"`{name}`" in text
        for col in spec.columns:
            assert f"`{col.name}`" in text
    for value in ("formal_treaty", "aggressive_intentions", "bandwagoning", "pan_arab_nationalist"):
        assert f"`{value}`" in text


def test_every_cited_key_resolves_in_references():
    refs = set(wa.load_references()["citation_key"])
    used = set(wa.load_sources()["citation_key"])
    for t in ("regimes", "capitals", "hostile_acts", "penetration", "soviet_aid",
              "excluded_events"):
        for cell in wa.load_table(t)["citation_keys"].dropna():
            used |= set(cell.split(";"))
    assert used <= refs, used - refs


def test_no_locator_without_a_source_and_no_invented_walt_pages():
    # Pages are given only where someone saw them; the team has not seen the book, so no
    # locator may be attached to Walt 1987 in the shipped data.
    src = wa.load_sources()
    walt = src[src["citation_key"] == "walt1987"]
    assert walt["locator"].isna().all()


@pytest.mark.external
def test_state_system_table_rebuilds_from_raw(external_dir):
    from walt_alliances._io import csv_bytes
    from walt_alliances.sources.derived import build_state_system

    shipped = (DATA / "cow_state_system.csv").read_bytes()
    assert csv_bytes(build_state_system(external_dir)) == shipped
    prov = json.loads((DATA / "cow_state_system.provenance.json").read_text())
    assert prov["sha256"] == hashlib.sha256(shipped).hexdigest()
    raw = external_dir / prov["sources"][0]["file"]
    assert hashlib.sha256(raw.read_bytes()).hexdigest() == prov["sources"][0]["sha256"]


@pytest.mark.external
def test_state_system_spells_equal_raw_rows(external_dir):
    import csv

    with open(external_dir / "cow_states" / "states2016.csv", newline="") as fh:
        raw = list(csv.DictReader(fh))
    ss = wa.load_state_system()
    assert len(ss) == len(raw)
    syr = ss[ss["ccode"] == 652]
    assert list(syr["end"])[0] == "1958-02-01" and list(syr["start"])[1] == "1961-09-29"


def test_loaders_work_outside_the_checkout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(wa.load_actors()) > 20
    assert isinstance(wa.load_memberships(), pd.DataFrame)


def test_loader_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown table"):
        wa.load_table("alliances")
    with pytest.raises(ValueError, match="format must be"):
        wa.load_alignments(format="polars")


def test_loader_docstrings_list_every_column():
    for name, spec in TABLES.items():
        doc = getattr(wa, f"load_{name}").__doc__
        for col in spec.columns:
            assert f"``{col.name}``" in doc, (name, col.name)


def test_shipped_records_json_matches_tables():
    rs = wa.load_recordset()
    assert len(rs.alignments) == len(wa.load_alignments())
    assert sum(len(a.members) for a in rs.alignments) == len(wa.load_memberships())


def test_cow_state_system_provenance_file_exists():
    assert (Path(str(DATA)) / "cow_state_system.provenance.json").is_file()
