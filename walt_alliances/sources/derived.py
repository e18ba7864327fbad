r"""Derived tables built from the raw external datasets, with their provenance.

A derived table is a small CSV that ships with the package, made from raw files that do not (they
stay in ``../shared/external``). Next to each table a ``<name>.provenance.json`` records every
source file's key, path, dataset, version and sha256, the function that built it, and the
table's own sha256 and row count, so anyone with the raw files can rebuild and compare. Writing is
deterministic (fixed column order, sorted rows, ``\\n`` line ends) and atomic.

The builders live in the package (not only in ``datasets/``) so that a user can rebuild a table
from their own copies of the raw files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from walt_alliances._io import atomic_write_bytes, csv_bytes
from walt_alliances.sources.registry import get_raw_file, raw_path


def provenance(keys: Iterable[str], builder: str, data: bytes, rows: int,
               notes: str = "") -> dict[str, object]:
    """Return the provenance record of a derived table."""
    sources = []
    for key in keys:
        rf = get_raw_file(key)
        sources.append({"key": rf.key, "file": rf.path, "dataset": rf.dataset,
                        "version": rf.version, "sha256": rf.sha256})
    return {"builder": builder, "sources": sources, "rows": rows,
            "sha256": hashlib.sha256(data).hexdigest(), "notes": notes}


def write_derived(df: pd.DataFrame, out_dir: Path, name: str, keys: Iterable[str], builder: str,
                  notes: str = "") -> Path:
    """Write ``<name>.csv`` and ``<name>.provenance.json`` into ``out_dir`` atomically."""
    data = csv_bytes(df)
    prov = provenance(keys, builder, data, len(df), notes)
    atomic_write_bytes(out_dir / f"{name}.csv", data)
    atomic_write_bytes(out_dir / f"{name}.provenance.json",
                       (json.dumps(prov, indent=2, sort_keys=True) + "\n").encode())
    return out_dir / f"{name}.csv"


def build_state_system(external_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Build the COW state-system membership spells (v2016) as a derived table.

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets (see :func:`walt_alliances.sources.registry.resolve_external_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per membership spell: ``ccode``, ``stateabb``, ``statenme``, ``start`` and
        ``end`` (ISO dates, day precision), sorted by ccode and start. All 243 spells of the
        system, so that users' own records can name any state.
    """
    path = raw_path("cow_states", external_dir)
    raw = pd.read_csv(path, dtype={"stateabb": "string", "ccode": "int64", "statenme": "string",
                                   "styear": "int64", "stmonth": "int64", "stday": "int64",
                                   "endyear": "int64", "endmonth": "int64", "endday": "int64",
                                   "version": "int64"})

    def iso(y: pd.Series, m: pd.Series, d: pd.Series) -> pd.Series:
        return (y.astype(str).str.zfill(4) + "-" + m.astype(str).str.zfill(2) + "-"
                + d.astype(str).str.zfill(2))

    out = pd.DataFrame({
        "ccode": raw["ccode"],
        "stateabb": raw["stateabb"],
        "statenme": raw["statenme"],
        "start": iso(raw["styear"], raw["stmonth"], raw["stday"]),
        "end": iso(raw["endyear"], raw["endmonth"], raw["endday"]),
    })
    return out.sort_values(["ccode", "start"], kind="mergesort").reset_index(drop=True)


#: name -> (builder function, raw keys, notes)
DERIVED = {
    "cow_state_system": (build_state_system, ("cow_states",),
                         "All COW state-system membership spells; dates at day precision. The "
                         "system's end (2016-12-31) is the end of the data's coverage, not of "
                         "the state."),
}


def build_all(out_dir: Path, external_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Build every derived table of this module into ``out_dir``."""
    written = []
    for name, (fn, keys, notes) in DERIVED.items():
        df = fn(external_dir)
        written.append(write_derived(df, out_dir, name, keys,
                                     f"walt_alliances.sources.derived.{fn.__name__}", notes))
    return written
