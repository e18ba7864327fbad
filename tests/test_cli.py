"""The command line as users run it: subprocesses, exit codes, files written."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "walt_alliances", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_help_lists_subcommands():
    r = cli("--help")
    assert r.returncode == 0
    for cmd in ("validate", "export", "codebook", "list", "cite", "info"):
        assert cmd in r.stdout


@pytest.mark.parametrize("cmd", ["validate", "export", "codebook", "list", "cite", "info",
                                 "build"])
def test_each_subcommand_has_help(cmd):
    r = cli(cmd, "--help")
    assert r.returncode == 0 and len(r.stdout) > 200


def test_console_script_installed():
    from pathlib import Path

    exe = Path(sys.executable).parent / "walt-alliances"
    if not exe.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")
    r = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "walt-alliances" in r.stdout


CONTRACT = {
    "actors.csv": ["actor_id", "ccode", "name", "kind"],
    "alignments.csv": ["alignment_id", "name", "kind", "start", "end", "right_censored",
                       "atop_ids", "cow_ids", "confidence"],
    "memberships.csv": ["alignment_id", "actor_id", "ccode", "start", "end", "role"],
    "threats.csv": ["alignment_id", "actor_id", "threat_actor_id", "threat_type", "components"],
    "motives.csv": ["alignment_id", "actor_id", "motive", "rationale", "confidence"],
    "sources.csv": ["alignment_id", "citation_key", "locator"],
}


def test_export_csv_contract(tmp_path):
    out = tmp_path / "out"
    r = cli("export", "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for fname, cols in CONTRACT.items():
        with open(out / fname, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert set(cols) <= set(header), (fname, set(cols) - set(header))
    dp = json.loads((out / "datapackage.json").read_text())
    for res in dp["resources"]:
        data = (out / res["path"]).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        n = sum(1 for _ in csv.reader(data.decode().splitlines())) - 1
        assert res["rows"] == n
        assert all(f.get("description") for f in res["schema"]["fields"])
    # dates at their stated precision, never padded
    with open(out / "alignments.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for d in (row["start"], row["end"]):
                assert d == "" or len(d) in (4, 7, 10)


def test_export_parquet_is_typed_and_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli("export", "--out", str(a), "--format", "parquet").returncode == 0
    assert cli("export", "--out", str(b), "--format", "parquet").returncode == 0
    t = pq.read_table(a / "memberships.parquet")
    assert str(t.schema.field("ccode").type) == "int64"
    for f in a.iterdir():
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_export_refuses_bad_format(tmp_path):
    r = cli("export", "--out", str(tmp_path), "--format", "xlsx")
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_validate_shipped_records_outside_checkout(tmp_path):
    r = cli("validate", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "shipped records are valid" in r.stdout


def test_codebook_check_detects_staleness(tmp_path):
    stale = tmp_path / "CODEBOOK.md"
    stale.write_text("old\n")
    r = cli("codebook", "--out", str(stale), "--check")
    assert r.returncode == 1 and "stale" in r.stderr
    assert cli("codebook", "--out", str(stale)).returncode == 0
    assert cli("codebook", "--out", str(stale), "--check").returncode == 0


def test_cite_bibtex_contains_the_book():
    r = cli("cite", "--format", "bibtex")
    assert r.returncode == 0 and "@book{walt1987" in r.stdout and "Cornell" in r.stdout


def test_list_shows_alignments():
    r = cli("list", "--csv")
    assert r.returncode == 0
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert rows and {"name", "years", "members", "threats", "primary_motives"} <= rows[0].keys()


def test_info_prints_versions():
    r = cli("info")
    assert r.returncode == 0 and "data version" in r.stdout


def test_export_stata_with_labels_deterministic(tmp_path):
    import pandas as pd

    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        r = cli("export", "--out", str(d), "--format", "stata")
        assert r.returncode == 0, r.stderr
        assert "Warning" not in r.stderr
    for f in a.iterdir():
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name
    with pd.io.stata.StataReader(a / "memberships.dta") as reader:
        labels = reader.variable_labels()
    assert labels["actor_id"] == "Member." and "end_" in labels
    assert all(len(v) <= 80 for v in labels.values())
    m = pd.read_stata(a / "memberships.dta")
    import walt_alliances as wa
    from walt_alliances.measures.shipped import load_state_years

    shipped = wa.load_memberships()
    assert len(m) == len(shipped)
    assert list(m["actor_id"]) == list(shipped["actor_id"])
    # nullable integers: PLO has no COW code -> Stata missing
    assert m.loc[m["actor_id"] == "PLO", "ccode"].isna().all()
    sy = pd.read_stata(a / "measures_state_year.dta")
    assert len(sy) == len(load_state_years())


def test_export_includes_measures_in_datapackage(tmp_path):
    r = cli("export", "--out", str(tmp_path))
    assert r.returncode == 0
    dp = json.loads((tmp_path / "datapackage.json").read_text())
    names = {res["name"] for res in dp["resources"]}
    assert {"measures_state_year", "measures_dyad_year", "alignments"} <= names


def test_list_shows_ids_and_a_closed_pipe_is_not_an_error():
    r = cli("list")
    assert r.returncode == 0
    first = r.stdout.splitlines()[1]
    assert first.split()[0] == "iraq-jordan-treaty-1947"  # the id `show` and overrides take
    p = subprocess.run(f"{sys.executable} -m walt_alliances list | head -1", shell=True,
                       capture_output=True, text=True)
    assert p.stdout.startswith("id") and "Broken pipe" not in p.stderr
