"""Export every shipped table for R, Stata and other tools.

``walt-alliances export --out DIR [--format csv|parquet]`` writes one file per table and a
Frictionless ``datapackage.json`` (field descriptions, each file's sha256 and row count). Every
file is computed in memory first; the folder is then staged and swapped in whole
(:func:`walt_alliances._io.write_folder`), so a failed export leaves the previous folder as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Literal

import pandas as pd

from walt_alliances._io import check_folder, csv_bytes, json_marker, write_folder
from walt_alliances.records.build import datapackage
from walt_alliances.records.load import data_version, load_table
from walt_alliances.records.schema import TABLES

ExportFormat = Literal["csv", "parquet", "stata"]

#: Column names Stata reserves, and what they are called in .dta files.
STATA_RENAMES = {"end": "end_"}
#: Labels of the columns the loaders add.
DERIVED_LABELS = {
    "start_first_day": "First day of the start's period (start resolves to its first day)",
    "end_last_day": "Last day of the end's period (end resolves to its last day)",
    "date_first_day": "First day of the date's period",
    "agreement_date_first_day": "First day of the agreement date's period",
    "coded_to_last_day": "Last day of the period the spell was coded to",
}

#: Stata files carry a timestamp in their header; a fixed one keeps exports byte-identical.
STATA_TIMESTAMP = dt.datetime(2000, 1, 1)


def _parquet_frame_bytes(df: pd.DataFrame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    # Drop the pandas index metadata and write deterministically.
    table = table.replace_schema_metadata(None)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=False)
    return buf.getvalue()


def _label(text: str, limit: int = 80) -> str:
    """Shorten a description to Stata's 80-character label limit at a word boundary."""
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def _stata_bytes(df: pd.DataFrame, labels: dict[str, str], title: str) -> bytes:
    """Return a Stata 118 .dta of a frame.

    Nullable integers and booleans become doubles with Stata missing values, categories and
    text become strings (strL when long), dates Stata dates.
    """
    out = pd.DataFrame(index=df.index)
    labels = {**labels, **{k: v for k, v in DERIVED_LABELS.items() if k in df.columns}}
    dates_: dict[str, str] = {}
    for c in df.columns:
        s = df[c]
        if isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(s):
            out[c] = s.astype(object).where(s.notna(), "").astype(str)
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[c] = s
            dates_[c] = "td"
        elif pd.api.types.is_bool_dtype(s) or pd.api.types.is_integer_dtype(s):
            out[c] = s.astype("Float64").astype("float64") if s.isna().any() else s.astype("int64")
        else:
            out[c] = s.astype("float64")
    out = out.rename(columns=STATA_RENAMES)
    labels = {STATA_RENAMES.get(k, k): v for k, v in labels.items()}
    dates_ = {STATA_RENAMES.get(k, k): v for k, v in dates_.items()}
    buf = io.BytesIO()
    long_text = [c for c in out.columns if out[c].dtype == object and
                 out[c].map(len).max(initial=0) > 2045]
    out.to_stata(buf, write_index=False, version=118, convert_dates=dates_,
                 variable_labels={k: _label(v) for k, v in labels.items() if k in out.columns},
                 data_label=title[:80], time_stamp=STATA_TIMESTAMP, convert_strl=long_text)
    return buf.getvalue()


def _all_tables() -> dict[str, tuple[pd.DataFrame, list[str], dict[str, str]]]:
    """Name -> (frame, CSV columns, column descriptions) for every exported table."""
    from walt_alliances.measures.shipped import (
        DYAD_YEAR_COLUMNS,
        STATE_YEAR_COLUMNS,
        load_dyad_years,
        load_state_years,
    )

    out = {}
    for name, spec in TABLES.items():
        out[name] = (load_table(name), spec.column_names,
                     {c.name: c.description for c in spec.columns})
    for name, loader, cols in (("measures_state_year", load_state_years, STATE_YEAR_COLUMNS),
                               ("measures_dyad_year", load_dyad_years, DYAD_YEAR_COLUMNS)):
        out[name] = (loader(), list(cols), {k: v[1] for k, v in cols.items()})
    return out


def export(out: str | Path, format: ExportFormat = "csv") -> list[Path]:
    """Write every table and a ``datapackage.json`` into a folder.

    Parameters
    ----------
    out : str or Path
        Destination folder, written whole: the files are staged beside it and swapped in, so
        it holds exactly this export's files. An existing folder must be empty or an earlier
        export (with this package's ``datapackage.json``).
    format : {"csv", "parquet", "stata"}
        CSV (the shipped bytes: dates at their stated precision, lists ';'-separated), Parquet
        (typed columns, with the loaders' resolved ``*_first_day`` / ``*_last_day`` dates) or
        Stata 118 ``.dta`` (variable labels from the codebook; missing values as Stata missing;
        ``end`` is called ``end_`` because Stata reserves the name).
        The record tables and the state-year and dyad-year measures are all written.

    Returns
    -------
    list of Path
        The files written.
    """
    if format not in ("csv", "parquet", "stata"):
        raise ValueError(f"format must be 'csv', 'parquet' or 'stata', not {format!r}")
    ext = {"csv": "csv", "parquet": "parquet", "stata": "dta"}[format]
    out = Path(out)
    check_folder(out, EXPORT_FOLDER, "export")  # a bad --out is refused before the work
    files: dict[str, bytes] = {}
    frames = {}
    descs = {}
    for name, (df, cols, labels) in _all_tables().items():
        frames[name] = df
        descs[name] = labels
        if format == "csv":
            files[name] = csv_bytes(df[cols])
        elif format == "parquet":
            files[name] = _parquet_frame_bytes(df)
        else:
            files[name] = _stata_bytes(df, labels, f"walt_alliances {name}")
    dp = datapackage({k: files[k] for k in TABLES}, frames, data_version(),
                     "walt_alliances data export", fmt=ext)
    for name in ("measures_state_year", "measures_dyad_year"):
        dp["resources"].append({
            "name": name, "path": f"{name}.{ext}", "format": ext,
            "bytes": len(files[name]), "hash": "sha256:" + hashlib.sha256(files[name]).hexdigest(),
            "rows": int(len(frames[name])),
            "schema": {"fields": [{"name": c, "description": d} for c, d in descs[name].items()]},
            "description": "Derived measures (see measures provenance.json for sources, "
            "versions and sha256 of the raw files)."})
    blobs = {f"{name}.{ext}": data for name, data in files.items()}
    blobs["datapackage.json"] = (json.dumps(dp, indent=2, sort_keys=True) + "\n").encode()
    # staged beside `out` and swapped in whole: datapackage.json lists exactly the folder's files
    return write_folder(out, blobs, what="export", replaceable=EXPORT_FOLDER)


#: An earlier export: the folder holds this package's datapackage.json.
EXPORT_FOLDER = json_marker("datapackage.json", lambda d: d.get("name") == "walt-alliances")
