"""Run the docstring examples of the panels and sources modules (they must stay true).

Run from the checkout's root: the ``Study.with_records`` example reads the worked extension in
``datasets/extensions``. No raw files are needed (``WALT_EXTERNAL_DIR`` points nowhere).
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

MODULES = [
    "walt_alliances.panels.verbs",
    "walt_alliances.panels.global_panel",
    "walt_alliances.sources.shipped",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WALT_EXTERNAL_DIR", str(tmp_path / "no-raw-files"))
    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0
    assert res.failed == 0


@pytest.mark.slow
def test_with_records_example_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The ``Study.with_records`` example (issue 14: it used to fail), offline."""
    from walt_alliances.panels import study

    monkeypatch.setenv("WALT_EXTERNAL_DIR", str(tmp_path / "no-raw-files"))
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    finder = doctest.DocTestFinder()
    tests = [t for t in finder.find(study) if t.name.endswith("Study.with_records")]
    assert tests and tests[0].examples
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for t in tests:
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0
