"""The documentation site builds offline, with warnings as errors, and every tutorial runs.

The build test runs when the ``docs`` extra is installed (``pip install ".[docs]"``) and is
skipped otherwise, with the reason shown. It builds into a temporary folder, so the tutorials
are executed from scratch (no cache), exactly as ``sphinx-build -W --keep-going -b html docs
docs/_build/html`` does in a fresh checkout.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
TUTORIALS = sorted(p.stem for p in (DOCS / "tutorials").glob("[0-9][0-9]-*.md"))


def _toctree(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    block = re.search(r"```\{toctree\}\n(.*?)```", text, re.S)
    assert block, f"{page} has no toctree"
    return [ln.strip() for ln in block.group(1).splitlines()
            if ln.strip() and not ln.startswith(":")]


def test_every_tutorial_is_in_the_toctree():
    # A tutorial left out of the toctree would not be built or executed, silently.
    assert _toctree(DOCS / "tutorials" / "index.md") == TUTORIALS


def test_codebook_is_included_not_copied():
    text = (DOCS / "codebook.md").read_text(encoding="utf-8")
    assert "{include} ../datasets/CODEBOOK.md" in text
    assert "| column | type | description |" not in text


def test_no_network_extensions():
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    assert "intersphinx" not in re.sub(r"#.*", "", conf)


@pytest.mark.slow
def test_site_builds_without_warnings_and_runs_every_tutorial(tmp_path, external_dir):
    missing = [m for m in ("sphinx", "numpydoc", "myst_nb", "pydata_sphinx_theme", "ipykernel")
               if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"docs extra not installed ({', '.join(missing)}): pip install '.[docs]'")
    out = tmp_path / "html"
    env = {**os.environ, "WALT_EXTERNAL_DIR": str(external_dir), "WALT_DOCS_EXECUTE": "force"}
    r = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
                        "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)],
                       capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-6000:]
    for name in TUTORIALS:
        html = (out / "tutorials" / f"{name}.html").read_text(encoding="utf-8")
        assert "cell_output" in html, f"{name}: no executed output"
        assert "<img" in html or "<table" in html, f"{name}: ends in no figure or table"
        assert "Traceback" not in html, f"{name}: a cell raised"
    api = (out / "api" / "records.html").read_text(encoding="utf-8")
    assert "load_alignments" in api and "TableLoader" in api
    assert "Codebook" in (out / "codebook.html").read_text(encoding="utf-8")


def test_every_public_name_is_in_the_api_reference():
    import walt_alliances as wa

    page = (DOCS / "api" / "toplevel.rst").read_text(encoding="utf-8")
    # entries are relative to the page's current module, walt_alliances
    missing = [n for n in wa.__all__ if n != "__version__"
               and f"   {wa._EXPORTS[n].removeprefix('walt_alliances.')}.{n}\n" not in page]
    assert not missing, f"add to docs/api/toplevel.rst: {missing}"


def test_every_public_module_is_in_the_api_reference():
    # A new module (another engineer's) must be added to its layer's page in docs/api/.
    import pkgutil

    import walt_alliances

    pages = "".join(p.read_text(encoding="utf-8") for p in (DOCS / "api").glob("*.rst"))
    documented = set(re.findall(r"\.\. automodule:: (\S+)", pages))
    public = {m.name for m in pkgutil.walk_packages(walt_alliances.__path__, "walt_alliances.")
              if not any(part.startswith("_") for part in m.name.split("."))
              and m.name not in ("walt_alliances.cli",)}
    missing = sorted(public - documented)
    assert not missing, f"add to their layer's page in docs/api/: {missing}"
