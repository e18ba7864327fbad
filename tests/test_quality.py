"""Lint and type checks run with the suite, so main stays clean."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest


@pytest.mark.parametrize("tool,args", [
    ("ruff", ["check", "walt_alliances", "tests", "analyses", "benchmarks", "datasets"]),
    ("mypy", []),
])
def test_tool_passes(tool, args, repo_root):
    if importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install '.[test]')")
    r = subprocess.run([sys.executable, "-m", tool, *args], cwd=repo_root, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
