"""Raw external datasets: registry, verification and typed readers.

The raw files are not shipped with the package; they live in a folder given by the
``external_dir`` argument, the ``WALT_EXTERNAL_DIR`` environment variable, or
``../shared/external`` relative to the current directory.

Registry and verification (:mod:`walt_alliances.raw.registry`)
    :data:`REGISTRY`, :class:`RawFile`, :func:`get_raw_file`, :func:`resolve_external_dir`,
    :func:`verify`, :func:`raw_path`, :func:`file_sha256`, :func:`clear_hash_cache`.
COW state system, capabilities, contiguity, distance and ATOP (:mod:`walt_alliances.raw.cow`)
    :func:`read_states`, :func:`read_system`, :func:`read_majors`, :func:`read_nmc`,
    :func:`read_contiguity`, :func:`read_capdist`, :func:`read_atop_members`,
    :func:`read_atop_alliances`.
"""

from __future__ import annotations

from walt_alliances.raw.cow import (
    read_atop_alliances,
    read_atop_members,
    read_capdist,
    read_contiguity,
    read_majors,
    read_nmc,
    read_states,
    read_system,
)
from walt_alliances.raw.registry import (
    ENV_VAR,
    REGISTRY,
    RawFile,
    clear_hash_cache,
    file_sha256,
    get_raw_file,
    raw_path,
    resolve_external_dir,
    verify,
)

__all__ = [
    "ENV_VAR",
    "REGISTRY",
    "RawFile",
    "clear_hash_cache",
    "file_sha256",
    "get_raw_file",
    "raw_path",
    "read_atop_alliances",
    "read_atop_members",
    "read_capdist",
    "read_contiguity",
    "read_majors",
    "read_nmc",
    "read_states",
    "read_system",
    "resolve_external_dir",
    "verify",
]
