"""Export every shipped table for R, Stata and other tools.

``walt-alliances export --out DIR [--format csv|parquet]`` writes one file per table and a
Frictionless ``datapackage.json`` (field descriptions, each file's sha256 and row count). Every
file is computed in memory first and then written atomically, so a failed export never leaves a
half-written file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Literal

from .build import datapackage
from .derived import atomic_write_bytes, csv_bytes
from .load import data_version, load_table
from .tables import TABLES

ExportFormat = Literal["csv", "parquet"]


def _parquet_bytes(name: str) -> bytes:
    import pyarrow.parquet as pq

    table = load_table(name, "arrow")
    # Drop the pandas index metadata and write deterministically.
    table = table.replace_schema_metadata(None)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=False)
    return buf.getvalue()


def export(out: str | Path, format: ExportFormat = "csv") -> list[Path]:
    """Write every table and a ``datapackage.json`` into a folder.

    Parameters
    ----------
    out : str or Path
        Destination folder (created if needed; existing files of the same names are replaced).
    format : {"csv", "parquet"}
        CSV (the shipped bytes: dates at their stated precision, lists ';'-separated) or Parquet
        (typed columns, with the loaders' resolved ``*_first_day`` / ``*_last_day`` dates).

    Returns
    -------
    list of Path
        The files written.
    """
    if format not in ("csv", "parquet"):
        raise ValueError(f"format must be 'csv' or 'parquet', not {format!r}")
    out = Path(out)
    files: dict[str, bytes] = {}
    frames = {}
    for name, spec in TABLES.items():
        df = load_table(name)
        frames[name] = df
        if format == "csv":
            files[name] = csv_bytes(df[spec.column_names])
        else:
            files[name] = _parquet_bytes(name)
    dp = datapackage(files, frames, data_version(), "walt_alliances data export", fmt=format)
    written = []
    for name, data in files.items():
        atomic_write_bytes(out / f"{name}.{format}", data)
        written.append(out / f"{name}.{format}")
    atomic_write_bytes(out / "datapackage.json",
                       (json.dumps(dp, indent=2, sort_keys=True) + "\n").encode())
    written.append(out / "datapackage.json")
    return written
