"""Shared fixtures.

Tests that read the raw external datasets use the ``external_dir`` fixture. It resolves, in
order, the ``WALT_EXTERNAL_DIR`` environment variable and ``../shared/external`` beside the
checkout. When the folder is absent the test is skipped with the reason shown, except when
``WALT_REQUIRE_EXTERNAL=1`` (set by ``.ci/run``): then a missing folder is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _external_dir() -> Path:
    env = os.environ.get("WALT_EXTERNAL_DIR")
    return Path(env) if env else (REPO.parent / "shared" / "external")


@pytest.fixture(scope="session")
def external_dir() -> Path:
    """Folder of raw external datasets, or skip (fail under CI) when it is absent."""
    path = _external_dir()
    if not (path / "MANIFEST.tsv").is_file():
        msg = f"raw external datasets not found at {path} (set WALT_EXTERNAL_DIR)"
        if os.environ.get("WALT_REQUIRE_EXTERNAL") == "1":
            pytest.fail(msg + "; WALT_REQUIRE_EXTERNAL=1 makes this a failure")
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's root folder."""
    return REPO
