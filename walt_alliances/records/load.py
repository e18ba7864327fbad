"""Loaders for the shipped tables.

Each ``load_*`` function reads a table that ships inside the package (no network, no files
outside the package) and returns a pandas DataFrame with explicit dtypes (nullable ``Int64``,
``boolean`` and ``Float64``, ``category`` for closed vocabularies, ``string`` for text), or a
``pyarrow.Table`` with ``format="arrow"``. Dates are kept as strings at their stated precision
(``start``, ``end``); the loaders add ``start_first_day`` and ``end_last_day`` (datetime64) by
the package's one rule: a start resolves to the first day of its period, an end to the last day.
Columns are described in ``datasets/CODEBOOK.md`` and in ``datapackage.json``.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast, overload

import pandas as pd

from walt_alliances.records.schema import TABLES, apply_dtypes

if TYPE_CHECKING:
    import pyarrow as pa

    from walt_alliances.records.read import RecordSet

Format = Literal["pandas", "arrow"]


def _data_file(rel: str) -> Any:
    return resources.files("walt_alliances").joinpath("data", *rel.split("/"))


@cache
def _read_table(name: str) -> pd.DataFrame:
    spec = TABLES[name]
    with _data_file(f"tables/{name}.csv").open("rb") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])
    return apply_dtypes(raw, spec)


@overload
def load_table(name: str, format: Literal["pandas"] = ...) -> pd.DataFrame: ...
@overload
def load_table(name: str, format: Literal["arrow"]) -> pa.Table: ...


def load_table(name: str, format: Format = "pandas") -> pd.DataFrame | pa.Table:
    """Load a shipped table by name.

    Parameters
    ----------
    name : str
        One of ``actors``, ``actor_spells``, ``alignments``, ``memberships``, ``threats``,
        ``motives``, ``sources``, ``excluded_events``, ``atop_exclusions``, ``regimes``,
        ``capitals``, ``hostile_acts``, ``penetration``, ``soviet_aid``, ``references``.
    format : {"pandas", "arrow"}
        Return a pandas DataFrame (default) or a pyarrow Table.

    Returns
    -------
    pandas.DataFrame or pyarrow.Table

    Raises
    ------
    ValueError
        For an unknown table name or format (the message lists the valid ones).
    """
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
    if format not in ("pandas", "arrow"):
        raise ValueError(f"format must be 'pandas' or 'arrow', not {format!r}")
    df = _read_table(name).copy()
    if format == "arrow":
        import pyarrow as pa

        return pa.Table.from_pandas(df, preserve_index=False)
    return df


class TableLoader(Protocol):
    """The type of every ``load_<table>`` function: a DataFrame, or a Table with ``"arrow"``."""

    @overload
    def __call__(self, format: Literal["pandas"] = ...) -> pd.DataFrame: ...
    @overload
    def __call__(self, format: Literal["arrow"]) -> pa.Table: ...


def _loader(name: str) -> TableLoader:
    spec = TABLES[name]

    def load(format: Format = "pandas") -> pd.DataFrame | pa.Table:
        return load_table(name, format)

    cols = "\n".join(f"        - ``{c.name}``: {c.description}" for c in spec.columns)
    load.__name__ = f"load_{name}"
    load.__qualname__ = load.__name__
    load.__doc__ = (f"Load the {spec.title.lower()} table: {spec.description}\n\n"
                    "    Parameters\n    ----------\n    format : {\"pandas\", \"arrow\"}\n"
                    "        pandas DataFrame (default) or pyarrow Table.\n\n"
                    "    Returns\n    -------\n    pandas.DataFrame or pyarrow.Table\n"
                    f"        One row per {', '.join(spec.key)}. Columns:\n\n{cols}\n")
    return cast(TableLoader, load)


load_actors = _loader("actors")
load_actor_spells = _loader("actor_spells")
load_alignments = _loader("alignments")
load_memberships = _loader("memberships")
load_threats = _loader("threats")
load_motives = _loader("motives")
load_sources = _loader("sources")
load_excluded_events = _loader("excluded_events")
load_atop_exclusions = _loader("atop_exclusions")
load_regimes = _loader("regimes")
load_capitals = _loader("capitals")
load_hostile_acts = _loader("hostile_acts")
load_penetration = _loader("penetration")
load_soviet_aid = _loader("soviet_aid")
load_references = _loader("references")


@lru_cache(maxsize=1)
def _state_system() -> pd.DataFrame:
    with _data_file("cow_state_system.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype={"ccode": "int64", "stateabb": "string",
                                      "statenme": "string", "start": "string", "end": "string"})


def load_state_system() -> pd.DataFrame:
    """Load the COW state-system membership spells (v2016), a derived table.

    Returns
    -------
    pandas.DataFrame
        ``ccode``, ``stateabb``, ``statenme``, ``start``, ``end`` (ISO dates). Built from
        ``cow_states/states2016.csv`` by ``datasets/build_state_system.py``; its provenance
        (file, version, sha256) is in ``cow_state_system.provenance.json``.
    """
    return _state_system().copy()


def datapackage() -> dict[str, Any]:
    """Return the shipped Data Package descriptor (data version, hashes, fields)."""
    with _data_file("datapackage.json").open("rb") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def load_reliability() -> dict[str, Any] | None:
    """Return the inter-coder agreement of the blind second coding, or None if not shipped.

    A second coder who had not seen the codings coded the threats (actor and components) and
    the primary motive of a seeded random 20% of the alignment records from the same
    definitions and sources; the figures compare the two codings before the disagreements
    were settled (``datasets/README.md``, *Coding reliability*).

    Returns
    -------
    dict or None
        ``{"agreement": {field: {"kappa", "raw_agreement", "n"}, "counts": {...}, ...}}``.
    """
    import json

    ref = _data_file("reliability.json")
    if not ref.is_file():
        return None
    out: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return out


def data_version() -> str:
    """Return the version of the shipped data (bumped on every recode)."""
    return str(datapackage()["version"])


def load_recordset() -> RecordSet:
    """Return the shipped records as validated models (a :class:`RecordSet`)."""
    from walt_alliances.records.bib import BibEntry
    from walt_alliances.records.read import DIR_FILES, LIST_FILES, DatasetInfo, RecordSet

    with _data_file("records.json").open("rb") as fh:
        doc = json.load(fh)
    rs = RecordSet()
    if doc.get("info"):
        i = doc["info"]
        rs.info = DatasetInfo(i["data_version"], i["period"]["start"], i["period"]["end"],
                              i.get("title", ""))
    rs.bibliography = {k: BibEntry(k, v["entry_type"], v["fields"], "(shipped) references.bib")
                       for k, v in doc["bibliography"].items()}
    models = {t: m for t, m, _ in list(LIST_FILES.values()) + list(DIR_FILES.values())}
    coded = doc.get("coded_to", {})
    rs.coverage = dict(doc.get("coverage", {}))
    for table in RecordSet.TABLES:
        recs = getattr(rs, table)
        for item in doc.get(table, []):
            rid = next((str(v) for k, v in item.items() if k.endswith("_id") or k == "atopid"),
                       "")
            rs.origins[(table, len(recs))] = (f"(shipped) {table}/{rid}", None)
            if table in coded:
                rs.coded_to[(table, len(recs))] = coded[table][len(recs)]
            recs.append(models[table].model_validate(item))
    return rs
