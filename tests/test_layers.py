"""The package's layers: the import contract holds, and importing the package stays light."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LAYERS = ["sources", "records", "measures", "panels", "analysis", "tables", "report"]


def test_import_contract_holds():
    """`lint-imports` (import-linter) checks the contract declared in pyproject.toml."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run([exe], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout, proc.stdout


def test_contract_lists_every_layer():
    """A new subpackage must be placed in the contract, or it escapes the rule."""
    text = (REPO / "pyproject.toml").read_text()
    on_disk = sorted(p.name for p in (REPO / "walt_alliances").iterdir()
                     if (p / "__init__.py").is_file())
    assert on_disk == sorted(LAYERS)
    for layer in LAYERS:
        assert f'"walt_alliances.{layer}"' in text, layer


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("code", [
    "import walt_alliances",
    "import walt_alliances as wa; wa.__version__",
    "import walt_alliances.cli",
    "import walt_alliances.sources",
])
def test_light_imports_do_not_load_heavy_libraries(code):
    mods = _modules_after(code)
    for heavy in ("pandas", "numpy", "pydantic", "statsmodels", "yaml", "matplotlib", "pyarrow"):
        assert heavy not in mods, f"{code!r} imported {heavy}"


def test_public_names_resolve_lazily():
    """Every name in __all__ resolves, and a loader brings pandas in only when used."""
    mods = _modules_after("import walt_alliances as wa\n"
                          "[getattr(wa, n) for n in wa.__all__]")
    assert "pandas" in mods
    import walt_alliances as wa

    for name in wa.__all__:
        assert getattr(wa, name) is not None, name
    assert set(wa.__all__) <= set(dir(wa))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        wa.nope  # noqa: B018


def test_help_is_fast_and_light():
    """``walt-alliances --help`` must not import pandas (it used to take ~0.7 s)."""
    mods = _modules_after("import sys\nsys.argv = ['walt-alliances', '--help']\n"
                          "from walt_alliances import cli\n"
                          "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass")
    assert "pandas" not in mods and "pydantic" not in mods


def test_every_subpackage_and_module_says_what_it_is():
    for layer in LAYERS:
        init = REPO / "walt_alliances" / layer / "__init__.py"
        doc = init.read_text().lstrip()
        assert doc.startswith('"""'), init
        assert "May import" in doc, f"{init} does not say what it may import"
    for path in (REPO / "walt_alliances").rglob("*.py"):
        assert path.read_text().lstrip().startswith(('"""', 'r"""')), f"{path} has no docstring"
