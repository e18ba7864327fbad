"""Compile the coded records (``datasets/``) into the package data, with a manifest.

``walt-alliances build`` validates every record, then writes into ``walt_alliances/data/``:
``tables/<name>.csv`` for each table of :data:`walt_alliances.records.schema.TABLES`,
``records.json``
(the validated records, which the loaders and ``validate`` layer users' additions on),
``references.bib`` (the merged bibliography) and ``datapackage.json`` (a Frictionless Data
Package descriptor with the data version, field descriptions, and each file's sha256 and row
count). Everything is computed in memory first; the folder is then staged beside itself and
swapped in whole (:func:`walt_alliances._io.write_folder`; files other builders own are carried
over), so a failed build leaves the previous data in place and no stale table behind. Output
is byte-identical for identical records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from walt_alliances._io import csv_bytes, json_marker, write_folder
from walt_alliances.records.read import RecordSet
from walt_alliances.records.schema import TABLES

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def records_json(rs: RecordSet) -> bytes:
    """Serialise validated records to canonical JSON (sorted keys, stable order)."""
    doc: dict[str, Any] = {
        "info": None if rs.info is None else {
            "title": rs.info.title, "data_version": rs.info.data_version,
            "period": {"start": rs.info.period_start, "end": rs.info.period_end}},
        "bibliography": {k: {"entry_type": e.entry_type, "fields": e.fields}
                         for k, e in sorted(rs.bibliography.items())},
    }
    for table in RecordSet.TABLES:
        doc[table] = [r.model_dump(mode="json") for r in getattr(rs, table)]
    doc["coverage"] = dict(sorted(rs.coverage.items()))
    doc["coded_to"] = {t: [rs.coded_to.get((t, i), "") for i in range(len(getattr(rs, t)))]
                       for t in ("regimes", "capitals")}
    return (json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def bibliography_bytes(rs: RecordSet) -> bytes:
    """The merged bibliography as one BibTeX file."""
    head = "% walt_alliances bibliography: every citation key used in the data.\n\n"
    body = "\n".join(rs.bibliography[k].render() for k in sorted(rs.bibliography))
    return (head + body).encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def datapackage(files: dict[str, bytes], frames: dict[str, pd.DataFrame], version: str,
                title: str, prefix: str = "", fmt: str = "csv") -> dict[str, Any]:
    """Return a Frictionless Data Package descriptor for the tables.

    Parameters
    ----------
    files : dict
        Table name -> the file's bytes (hashes and sizes are computed from them).
    frames : dict
        Table name -> the frame written (row counts).
    version : str
        Data version.
    title : str
        Title of the package.
    prefix : str
        Folder of the table files relative to the descriptor.
    fmt : str
        ``csv`` or ``parquet``.
    """
    resources = []
    for name, spec in TABLES.items():
        data = files[name]
        fields = []
        for col in spec.columns:
            fld: dict[str, Any] = {"name": col.name, "type": col.frictionless_type,
                                   "description": col.description}
            if col.categories:
                fld["constraints"] = {"enum": list(col.categories)}
            fields.append(fld)
        res: dict[str, Any] = {
            "name": name, "title": spec.title, "description": spec.description,
            "path": f"{prefix}{name}.{fmt}", "format": fmt,
            "mediatype": {"csv": "text/csv", "parquet": "application/vnd.apache.parquet",
                          "dta": "application/x-stata-dta"}.get(fmt, "application/octet-stream"),
            "bytes": len(data), "hash": f"sha256:{_sha(data)}", "rows": int(len(frames[name])),
            "schema": {"fields": fields, "primaryKey": list(spec.key),
                       "missingValues": [""]},
        }
        if fmt == "csv":
            res["encoding"] = "utf-8"
        resources.append(res)
    return {
        "profile": "tabular-data-package",
        "name": "walt-alliances",
        "title": title,
        "version": version,
        "description": "Alliances and alignments of the Middle East coded by the definitions of "
        "Stephen M. Walt, The Origins of Alliances (Cornell University Press, 1987). These are "
        "the walt_alliances project's codings, with sources and rationale; not figures from the "
        "book.",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }


def compile_records(rs: RecordSet, state_spells: pd.DataFrame) -> dict[str, bytes]:
    """Return every package-data file (relative path -> bytes) for a validated record set."""
    from walt_alliances.records.schema import to_frames

    frames = to_frames(rs, state_spells)
    out: dict[str, bytes] = {}
    table_bytes = {name: csv_bytes(df) for name, df in frames.items()}
    for name, data in table_bytes.items():
        out[f"tables/{name}.csv"] = data
    out["records.json"] = records_json(rs)
    out["references.bib"] = bibliography_bytes(rs)
    version = rs.info.data_version if rs.info else "unversioned"
    title = rs.info.title if rs.info else "walt_alliances records"
    dp = datapackage(table_bytes, frames, version, title, prefix="tables/")
    dp["records"] = {"path": "records.json", "hash": f"sha256:{_sha(out['records.json'])}"}
    out["datapackage.json"] = (json.dumps(dp, indent=2, sort_keys=True) + "\n").encode()
    return out


def published_files(published_dir: Path,
                    check: Callable[[str, Path], object] | None = None) -> dict[str, bytes]:
    """Return the book's transcribed tables (``analyses/published/``) as package data.

    Each CSV is passed to ``check`` (the table's name and path; it raises on a malformed
    transcription) before it is copied to ``published/<name>``. The records layer does not know
    the book's table layouts, so the caller supplies the check: the CLI passes
    :func:`walt_alliances.tables.published.load_published`.
    """
    out: dict[str, bytes] = {}
    if not published_dir.is_dir():
        return out
    for path in sorted(published_dir.iterdir()):
        if path.suffix == ".csv":
            if check is not None:
                check(path.stem, path)  # raises on a malformed transcription
        if path.suffix in (".csv", ".md"):
            out[f"published/{path.name}"] = path.read_bytes()
    return out


def build(source: Path, data_dir: Path = DATA_DIR,
          published_dir: Path | None = None,
          check_published: Callable[[str, Path], object] | None = None) -> dict[str, bytes]:
    """Validate ``source`` (a complete dataset folder) and write the package data.

    The book's published tables (``published_dir``, default ``analyses/published`` beside
    ``source``) are checked with ``check_published`` (see :func:`published_files`) and copied
    into the package data too.

    Raises
    ------
    RecordsError
        Listing every problem; nothing is written then.
    """
    from walt_alliances.records.load import load_state_system
    from walt_alliances.records.validate import validate_paths

    rs = validate_paths([source])
    files = compile_records(rs, load_state_system())
    pub = published_dir if published_dir is not None else source.parent / "analyses" / "published"
    files.update(published_files(pub, check_published))
    files.update(reliability_files(source))
    # staged and swapped in whole; the files other builders own (measures/, the COW state
    # system, the crosswalk id lists) are carried over unchanged
    write_folder(data_dir, files, what="package data", replaceable=DATA_FOLDER,
                 keep=lambda rel: not _built_here(rel))
    return files


def reliability_files(source: Path) -> dict[str, bytes]:
    """Return the inter-coder agreement of the blind second coding as package data.

    ``datasets/reliability/agreement.json`` (made by ``datasets/reliability/kappa.py``) is
    shipped as ``reliability.json`` with its ``agreement`` block only, so that the
    report can state the figures without the raw folder. Absent source, nothing is shipped.
    """
    path = source / "reliability" / "agreement.json"
    if not path.is_file():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    keep = {"agreement": doc["agreement"],
            "source": "datasets/reliability/agreement.json (datasets/reliability/kappa.py)"}
    return {"reliability.json": (json.dumps(keep, indent=1, sort_keys=True) + "\n").encode()}


def _built_here(rel: str) -> bool:
    """Whether :func:`build` writes the package-data file ``rel`` (else another builder does)."""
    return rel.split("/")[0] in ("tables", "published") or rel in (
        "records.json", "references.bib", "datapackage.json", "reliability.json")


#: A package-data folder: it holds this package's datapackage.json.
DATA_FOLDER = json_marker("datapackage.json", lambda d: d.get("name") == "walt-alliances")
