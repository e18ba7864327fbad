"""Sources: the raw external datasets, verified and read with declared types.

Owns the registry of raw files with their sha256 (``registry``), typed readers for each source
(``cow``, ``conflict``, ``aid``, ``polity``; ``_csv`` is their shared CSV reader), and the derived
tables built from raw files with their provenance (``derived``).

The raw files are not shipped with the package; they live in a folder given by the
``external_dir`` argument, the ``WALT_EXTERNAL_DIR`` environment variable (``--external-dir`` on
the command line), or ``../shared/external`` relative to the current directory.

May import: only the leaf modules ``walt_alliances.errors`` and ``walt_alliances._io``. This is
the bottom layer.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    **{n: "walt_alliances.sources.cow" for n in (
        "read_atop_alliances", "read_atop_members", "read_capdist", "read_contiguity",
        "read_majors", "read_nmc", "read_states", "read_system")},
    **{n: "walt_alliances.sources.registry" for n in (
        "ENV_VAR", "REGISTRY", "RawFile", "clear_hash_cache", "file_sha256", "get_raw_file",
        "raw_path", "resolve_external_dir", "verify")},
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import a reader or registry name on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
