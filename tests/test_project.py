"""Project files: citation metadata, version single-sourced, the wheel carries the data."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
import yaml

import walt_alliances as wa


def test_citation_cff_is_complete(repo_root):
    cff = yaml.safe_load((repo_root / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "date-released", "references"):
        assert cff.get(key), key
    assert cff["version"] == wa.__version__
    titles = [r["title"] for r in cff["references"]]
    assert "The Origins of Alliances" in titles
    for ref in cff["references"]:
        assert ref.get("type") and ref.get("authors"), ref["title"]


def test_readme_quick_start_matches_ci(repo_root):
    readme = (repo_root / "README.md").read_text()
    ci = (repo_root / ".ci" / "run").read_text()
    test_cmd = [ln for ln in ci.splitlines() if ln.startswith("python3 -m venv")]
    assert len(test_cmd) == 1 and test_cmd[0] in readme
    blocks = readme.split("## Quick start", 1)[1].split("##", 1)[0].count("```bash")
    assert blocks == 2


@pytest.mark.slow
def test_wheel_contains_the_data(tmp_path, repo_root):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                        str(tmp_path), str(repo_root)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (whl,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(whl).namelist())
    for rel in ("walt_alliances/data/datapackage.json", "walt_alliances/data/records.json",
                "walt_alliances/data/tables/alignments.csv", "walt_alliances/py.typed",
                "walt_alliances/data/cow_state_system.csv"):
        assert rel in names, rel
    assert not any(n.startswith(("tests/", "datasets/")) for n in names)


def test_readme_python_example_runs(repo_root):
    import re

    text = (repo_root / "README.md").read_text()
    code = re.search(r"## Use it\n\n```python\n(.*?)```", text, re.S).group(1)
    ns: dict = {}
    exec(compile(code.replace("print(", "str("), "README.md", "exec"), ns)
    assert ns["full"].shape[0] == ns["p"].shape[0] > 10_000
    assert {"aligned", "threat_index", "common_threat"} <= set(ns["full"].columns)
