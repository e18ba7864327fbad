"""Export every table (and the analysis panel) for R, Stata and other tools.

``walt-alliances export --out DIR [--format csv|parquet|stata] [--with MINE] [--panel]`` writes
one file per table and a Frictionless ``datapackage.json`` (field descriptions, each file's
sha256 and row count, and which data they came from). Every file is computed in memory first;
the folder is then staged and swapped in whole (:func:`walt_alliances._io.write_folder`), so a
failed export leaves the previous folder as it was.

Formats
-------
- **CSV**: dates at their stated precision, lists ``;``-separated.
- **Parquet**: typed columns with the pandas metadata kept, so ``pandas.read_parquet`` gives back
  exactly the same dtypes (nullable integers, categories, strings, dates).
- **Stata** (118 ``.dta``): categories are written as integer codes with **value labels**;
  nullable integers and booleans as doubles with Stata missing values; text as strings (strL
  when long). Variable names Stata cannot take are renamed (:data:`STATA_RENAMES`, and any name
  over 32 characters); variable labels are cut at Stata's 80 characters. Every rename and every
  full label is listed in ``stata_variables.csv`` written beside the ``.dta`` files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from walt_alliances._io import check_folder, csv_bytes, json_marker, write_folder
from walt_alliances.records.load import data_version
from walt_alliances.records.schema import TABLES

if TYPE_CHECKING:
    from walt_alliances.panels.study import Study

__all__ = [
    "PANEL_LABELS",
    "STATA_RENAMES",
    "ExportFormat",
    "export",
    "frame_bytes",
    "stata_names",
]

ExportFormat = Literal["csv", "parquet", "stata"]

#: Column names Stata reserves or cannot take, and what they are called in .dta files.
STATA_RENAMES = {"end": "end_"}
#: Labels of the columns the loaders add.
DERIVED_LABELS = {
    "start_first_day": "First day of the start's period (start resolves to its first day)",
    "end_last_day": "Last day of the end's period (end resolves to its last day)",
    "date_first_day": "First day of the date's period",
    "agreement_date_first_day": "First day of the agreement date's period",
    "coded_to_last_day": "Last day of the period the spell was coded to",
}

#: Labels of the analysis panel's own columns (measure columns take the measures' labels).
PANEL_LABELS: dict[str, str] = {
    "actor1": "Actor id of i (the first side).",
    "actor2": "Actor id of j (the second side).",
    "dyad": "Dyad id (actor1-actor2).",
    "kind1": "Kind of actor i (state, non-state ...).",
    "kind2": "Kind of actor j.",
    "aligned": "1 if i and j were members of the same alignment on at least one day of the year "
               "(missing outside the coded period).",
    "onset": "1 if aligned in t and not in t-1 (missing in the coded period's first year).",
    "aligned_formal": "Aligned through a formal treaty record.",
    "n_alignments": "Number of distinct alignments the pair shared in the year.",
    "alignment_ids": "Ids of the alignments the pair shared in the year (';'-separated).",
    "threat_power": "j's aggregate power relative to i (share of the pair's CINC by default).",
    "threat_proximity": "Proximity score (distance decay and/or contiguity).",
    "threat_offense": "j's military capability projected over the distance, against i's own.",
    "threat_intent": "j's hostile behaviour toward i in t-5..t-1 (MIDs, wars, hostile acts).",
    "threat_index": "j's threat to i: the four components combined (ThreatSpec).",
    "common_threat": "Max over third states k of min(threat k->i, threat k->j).",
    "common_threat_source": "The third state k posing the common threat.",
    "family1": "Coded regime family of i in force for the most days of the year.",
    "family2": "Coded regime family of j in force for the most days of the year.",
    "ideo_same_family": "1 if both sides have the same regime family.",
    "ideo_pan_arab_pair": "1 if both are pan-Arab (Nasserist or Ba'thist) regimes.",
    "ideo_polity_absdiff": "Absolute difference of the two sides' Polity2 scores.",
    "capdist_gc_km": "Great-circle distance between the coded capitals (km).",
    "hostile_by_j": "1 if a coded hostile act by j against i was active in t.",
    "hostile_by_j_prev5": "Coded hostile act-years by j against i in t-5..t-1.",
    "aid_from_j": "1 if j gave i aid (US obligations > 0 or coded Soviet aid); missing unless j "
                  "is a superpower.",
    "aid_soviet": "1 if coded Soviet aid to i was active in t.",
    "aid_us_oblig_constant": "US aid obligations to i, constant US dollars (fiscal year).",
    "arms_tiv_from_j": "SIPRI TIV of arms delivered by j to i.",
    "pen_by_j": "1 if a coded penetration episode by j in i was active.",
}

#: Stata files carry a timestamp in their header; a fixed one keeps exports byte-identical.
STATA_TIMESTAMP = dt.datetime(2000, 1, 1)
_STATA_LABEL = 80


def _parquet_frame_bytes(df: pd.DataFrame, metadata: dict[str, object] | None = None) -> bytes:
    """Parquet with the pandas metadata kept (dtypes round-trip), deterministic bytes.

    ``metadata`` is stored as JSON under the schema key ``walt_alliances`` (e.g. the data the
    frame came from); read it with ``pyarrow.parquet.read_schema(path).metadata``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = df.reset_index(drop=True)
    frame.attrs = {}
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if metadata:
        meta = dict(table.schema.metadata or {})
        meta[b"walt_alliances"] = json.dumps(metadata, sort_keys=True, default=str).encode()
        table = table.replace_schema_metadata(meta)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=False)
    return buf.getvalue()


def _label(text: str, limit: int = _STATA_LABEL) -> str:
    """Shorten a description to Stata's 80-character label limit at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def stata_names(columns: list[str]) -> dict[str, str]:
    """Column -> Stata variable name: :data:`STATA_RENAMES`, then Stata's naming rules.

    Names must start with a letter or underscore, hold only letters, digits and underscores,
    and have at most 32 characters; clashes get a numeric suffix.
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for c in columns:
        name = STATA_RENAMES.get(c, c)
        name = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if not re.match(r"[A-Za-z_]", name):
            name = "_" + name
        name = name[:32]
        base, k = name, 1
        while name in used:
            suffix = f"_{k}"
            name = base[: 32 - len(suffix)] + suffix
            k += 1
        used.add(name)
        out[c] = name
    return out


def _stata_bytes(df: pd.DataFrame, labels: dict[str, str], title: str) -> bytes:
    """Return a Stata 118 .dta of a frame (see the module's Formats section)."""
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    labels = {**labels, **{k: v for k, v in DERIVED_LABELS.items() if k in df.columns}}
    dates_: dict[str, str] = {}
    for c in df.columns:
        s = df[c].reset_index(drop=True)
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = s.cat.categories
            out[c] = pd.Categorical(s.astype(object).where(s.notna(), None),
                                    categories=[str(x) for x in cats])
        elif pd.api.types.is_string_dtype(s) or s.dtype == object:
            out[c] = s.astype(object).where(s.notna(), "").astype(str)
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[c] = s
            dates_[c] = "td"
        elif pd.api.types.is_bool_dtype(s) or pd.api.types.is_integer_dtype(s):
            out[c] = s.astype("Float64").astype("float64") if s.isna().any() else s.astype("int64")
        else:
            out[c] = s.astype("float64")
    names = stata_names(list(out.columns))
    out = out.rename(columns=names)
    labels = {names[k]: v for k, v in labels.items() if k in names}
    dates_ = {names[k]: v for k, v in dates_.items()}
    buf = io.BytesIO()
    long_text = [c for c in out.columns if out[c].dtype == object and
                 out[c].map(len).max(initial=0) > 2045]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' notes about value labels; we handle names
        out.to_stata(buf, write_index=False, version=118, convert_dates=dates_,
                     variable_labels={k: _label(v) for k, v in labels.items()},
                     data_label=title[:80], time_stamp=STATA_TIMESTAMP, convert_strl=long_text)
    return buf.getvalue()


def _stata_variables(tables: dict[str, tuple[pd.DataFrame, dict[str, str]]]) -> bytes:
    """``stata_variables.csv``: every variable's Stata name, label as written, full label."""
    rows = []
    for table, (df, labels) in tables.items():
        labels = {**labels, **{k: v for k, v in DERIVED_LABELS.items() if k in df.columns}}
        names = stata_names(list(df.columns))
        for c in df.columns:
            full = " ".join(labels.get(c, "").split())
            rows.append({"table": table, "column": c, "stata_name": names[c],
                         "renamed": int(names[c] != c), "stata_label": _label(full),
                         "label_truncated": int(_label(full) != full), "full_label": full,
                         "value_labels": int(isinstance(df[c].dtype, pd.CategoricalDtype))})
    return csv_bytes(pd.DataFrame(rows))


def frame_bytes(df: pd.DataFrame, format: ExportFormat, *, title: str = "walt_alliances",
                labels: dict[str, str] | None = None,
                metadata: dict[str, object] | None = None) -> bytes:
    """Serialise one frame as CSV, Parquet (dtypes kept) or Stata 118 (value labels).

    Parameters
    ----------
    df : pandas.DataFrame
        The frame (e.g. an analysis panel).
    format : {"csv", "parquet", "stata"}
        Output format (see the module's Formats section).
    title : str
        Stata data label.
    labels : dict, optional
        Column -> description, for Stata variable labels (default: :func:`panel_labels`).
    metadata : dict, optional
        Stored in Parquet files under the schema key ``walt_alliances`` (JSON).

    Returns
    -------
    bytes
    """
    if format == "csv":
        return csv_bytes(df)
    if format == "parquet":
        return _parquet_frame_bytes(df, metadata)
    if format == "stata":
        return _stata_bytes(df, labels if labels is not None else panel_labels(df), title)
    raise ValueError(f"format must be 'csv', 'parquet' or 'stata', not {format!r}")


def panel_labels(df: pd.DataFrame) -> dict[str, str]:
    """Descriptions of a panel's columns: its own, and the measures' (``1``/``2`` = side)."""
    from walt_alliances.measures.shipped import DYAD_YEAR_COLUMNS, STATE_YEAR_COLUMNS

    known = {**{k: v[1] for k, v in STATE_YEAR_COLUMNS.items()},
             **{k: v[1] for k, v in DYAD_YEAR_COLUMNS.items()}, **PANEL_LABELS}
    out = {}
    for c in df.columns:
        if c in known:
            out[c] = known[c]
        elif c.endswith(("_lag1", "_lag2")) and c[:-5] in known:
            out[c] = f"{known[c[:-5]]} (lagged {c[-1]} year)"
        elif c[-1:] in ("1", "2") and c.rstrip("_12") in known:
            side = "i" if c.endswith("1") else "j"
            out[c] = f"{known[c.rstrip('_12')]} ({side})"
        elif c.startswith("aligned_"):
            out[c] = f"Aligned through a {c[8:].replace('_', ' ')} record."
        elif c.startswith("common_threat_"):
            out[c] = f"Common threat, {c[14:]} component only."
    return out


def _all_tables(study: Study | None
                ) -> dict[str, tuple[pd.DataFrame, list[str], dict[str, str]]]:
    """Name -> (frame, CSV columns, column descriptions) for every exported table."""
    from walt_alliances.measures.shipped import DYAD_YEAR_COLUMNS, STATE_YEAR_COLUMNS
    from walt_alliances.panels.study import resolve_study

    st = resolve_study(study)
    out = {}
    for name, spec in TABLES.items():
        out[name] = (st[name], spec.column_names, {c.name: c.description for c in spec.columns})
    sy, dy = st.measures()
    for name, frame, cols in (("measures_state_year", sy, STATE_YEAR_COLUMNS),
                              ("measures_dyad_year", dy, DYAD_YEAR_COLUMNS)):
        out[name] = (frame, list(cols), {k: v[1] for k, v in cols.items()})
    return out


def _analysis_panel(study: Study | None) -> pd.DataFrame:
    from walt_alliances.panels.study import resolve_study
    from walt_alliances.panels.verbs import add_all, create_dyad_years

    st = resolve_study(study)
    y0, y1 = st.period_years
    return add_all(create_dyad_years(y0, y1, directed=True, study=st), study=st)


def export(out: str | Path, format: ExportFormat = "csv", *, study: Study | None = None,
           panel: bool = False) -> list[Path]:
    """Write every table (and optionally the analysis panel) and a ``datapackage.json``.

    Parameters
    ----------
    out : str or Path
        Destination folder, written whole: the files are staged beside it and swapped in, so
        it holds exactly this export's files. An existing folder must be empty or an earlier
        export (with this package's ``datapackage.json``).
    format : {"csv", "parquet", "stata"}
        CSV (dates at their stated precision, lists ';'-separated), Parquet (typed columns with
        pandas metadata: dtypes round-trip exactly) or Stata 118 ``.dta`` (variable labels from
        the codebook, value labels for categories; renames and full labels in
        ``stata_variables.csv``).
    study : Study, optional
        The data to export (default: the shipped data), e.g. ``Study.with_records(DIR)``.
        ``datapackage.json`` records which data it is (``walt_alliances_data``).
    panel : bool, default False
        Also write the analysis panel: directed dyad-years over the study's period with every
        measure (:func:`~walt_alliances.panels.verbs.add_all`), as
        ``panel_directed_dyad_year.<ext>``.

    Returns
    -------
    list of Path
        The files written.
    """
    if format not in ("csv", "parquet", "stata"):
        raise ValueError(f"format must be 'csv', 'parquet' or 'stata', not {format!r}")
    from walt_alliances.panels.study import resolve_study

    ext = {"csv": "csv", "parquet": "parquet", "stata": "dta"}[format]
    out = Path(out)
    check_folder(out, EXPORT_FOLDER, "export")  # a bad --out is refused before the work
    files: dict[str, bytes] = {}
    frames: dict[str, pd.DataFrame] = {}
    descs: dict[str, dict[str, str]] = {}
    tables = _all_tables(study)
    origin = resolve_study(study).data_origin
    if panel:
        p = _analysis_panel(study)
        tables["panel_directed_dyad_year"] = (p, list(p.columns), panel_labels(p))
    for name, (df, cols, labels) in tables.items():
        frames[name] = df
        descs[name] = labels
        if format == "csv":
            files[name] = csv_bytes(df[cols])
        elif format == "parquet":
            files[name] = _parquet_frame_bytes(df, {"data": origin})
        else:
            files[name] = _stata_bytes(df, labels, f"walt_alliances {name}")
    from walt_alliances.records.build import datapackage

    dp = datapackage({k: files[k] for k in TABLES}, frames, data_version(),
                     "walt_alliances data export", fmt=ext)
    dp["walt_alliances_data"] = origin
    for name in [n for n in tables if n not in TABLES]:
        dp["resources"].append({
            "name": name, "path": f"{name}.{ext}", "format": ext,
            "bytes": len(files[name]), "hash": "sha256:" + hashlib.sha256(files[name]).hexdigest(),
            "rows": int(len(frames[name])),
            "schema": {"fields": [{"name": c, "description": descs[name].get(c, "")}
                                  for c in frames[name].columns]},
            "description": "Analysis panel (walt_alliances.panels.verbs.add_all)"
            if name.startswith("panel") else "Derived measures (see measures provenance.json "
            "for sources, versions and sha256 of the raw files)."})
    blobs = {f"{name}.{ext}": data for name, data in files.items()}
    if format == "stata":
        blobs["stata_variables.csv"] = _stata_variables({n: (frames[n], descs[n])
                                                         for n in tables})
    blobs["datapackage.json"] = (json.dumps(dp, indent=2, sort_keys=True) + "\n").encode()
    # staged beside `out` and swapped in whole: datapackage.json lists exactly the folder's files
    return write_folder(out, blobs, what="export", replaceable=EXPORT_FOLDER)


#: An earlier export: the folder holds this package's datapackage.json.
EXPORT_FOLDER = json_marker("datapackage.json", lambda d: d.get("name") == "walt-alliances")
