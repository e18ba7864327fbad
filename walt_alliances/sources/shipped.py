r"""Compact source tables of the whole state system, shipped in the package (no raw files needed).

Every external source the measures use is shipped as one small Parquet file (zstd) in
``walt_alliances/data/sources/``, in the form that is smallest and fastest to expand: spells
(state-system membership, contiguity, alliance memberships), events (MID dyad-years, war
dyad-years, arms transfers) or static pairs (capital distances), state-years only where the
source itself is by state-year (capabilities, Polity, aid, ideal points). Panels are built from
them in memory (:mod:`walt_alliances.measures.build`, :mod:`walt_alliances.panels.global_panel`).

Each shipped table is exactly what the package's raw reader returns for the whole file (all
states, all years the source covers), restricted to the columns listed in :data:`SOURCE_TABLES`,
with the same dtypes (the Parquet files keep pandas metadata). ``provenance.json`` next to them
records, for every table, the raw files it was built from (name, dataset, version, sha256), the
builder, the row count, the years the source covers and the sha256 of the shipped file, which
is checked when the file is first read.

Build (developers, with the raw files)::

    python datasets/build_sources.py --external-dir ../shared/external

:class:`Sources` gives the same tables either from the package (the default: works offline,
after a plain install) or from a folder of raw files (``Sources(external_dir)``, verified by
sha256), so every result can be rebuilt and checked against the raw data.

The COW formal alliance files are never shipped, in any form (their terms): ATOP is the
alliance source.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from walt_alliances._io import atomic_write_bytes
from walt_alliances.errors import RawDataError
from walt_alliances.sources.registry import get_raw_file, resolve_external_dir

__all__ = [
    "SOURCE_TABLES",
    "SourceTable",
    "Sources",
    "build_source_tables",
    "load_source",
    "source_provenance",
    "system_years",
    "write_source_tables",
]

PathArg = str | os.PathLike[str] | None
_PACKAGE_DIR = ("data", "sources")
_PROVENANCE = "provenance.json"


def _states(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.cow import read_states

    return read_states(ext)


def _nmc(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.cow import read_nmc

    return read_nmc(ext)


def _polity(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.polity import read_polity5

    return read_polity5(ext)


def _contiguity(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.cow import read_contiguity

    return read_contiguity(ext)


def _capdist(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.cow import read_capdist

    return read_capdist(ext)


def _gml(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.conflict import read_gml_ddy

    return read_gml_ddy(ext)


def _dyadic_war(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.conflict import read_cow_dyadic_war

    return read_cow_dyadic_war(ext)


def _wars(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.conflict import read_cow_interstate_wars

    return read_cow_interstate_wars(ext)


def _atop(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.cow import read_atop_members

    return read_atop_members(ext)


def _greenbook(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.aid import read_greenbook

    return read_greenbook(ext)


def _sipri_imports(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.aid import read_sipri_tiv_imports

    df, cov = read_sipri_tiv_imports(ext)
    df.attrs["years"] = list(cov)
    return df


def _sipri_us_exports(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.arms import read_sipri_us_exports

    df, cov = read_sipri_us_exports(ext)
    df.attrs["years"] = list(cov)
    return df


def _sipri_registers(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.arms import read_sipri_registers

    df = read_sipri_registers(ext)
    last = df["delivery_years"].str.slice(-4).replace("", pd.NA).dropna().astype(int).max()
    df.attrs["years"] = [int(df["order_year"].min()), int(last)]
    return df


def _gannon(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.aid import read_sipri_gannon

    return read_sipri_gannon(ext)


def _ideal(ext: Path) -> pd.DataFrame:
    from walt_alliances.sources.un import read_idealpoints

    return read_idealpoints(ext)


@dataclass(frozen=True)
class SourceTable:
    """One shipped source table.

    Attributes
    ----------
    name : str
        File stem in ``data/sources`` and the name :meth:`Sources.table` takes.
    keys : tuple of str
        Raw files (registry keys) it is built from.
    reader : callable
        Raw reader (external folder -> DataFrame of the whole file).
    columns : tuple of str
        Columns kept, in order.
    sort : tuple of str
        Sort keys (rows are sorted, stably, so the table is canonical).
    form : str
        ``spells``, ``events``, ``static pairs`` or ``state-years``.
    years : tuple of int or None
        Years the source covers (``None``: read from the file, see ``provenance.json``).
    description : str
        What a row is, and the coding rules a user must know.
    """

    name: str
    keys: tuple[str, ...]
    reader: Callable[[Path], pd.DataFrame]
    columns: tuple[str, ...]
    sort: tuple[str, ...]
    form: str
    years: tuple[int, int] | None
    description: str


_OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")

#: Every shipped source table.
SOURCE_TABLES: dict[str, SourceTable] = {t.name: t for t in (
    SourceTable(
        "cow_states", ("cow_states",), _states,
        ("ccode", "stateabb", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth",
         "endday"),
        ("ccode", "styear", "stmonth", "stday"), "spells", (1816, 2016),
        "COW State System Membership v2016: one row per membership spell (243). A state is a "
        "member in year t if a spell covers any day of t; the state-years equal system2016.csv "
        "(checked by the tests). 2016-12-31 ends the data's coverage, not the state."),
    SourceTable(
        "cow_nmc", ("cow_nmc",), _nmc,
        ("ccode", "year", "cinc", "milex", "milper", "tpop", "upop", "irst", "pec"),
        ("ccode", "year"), "state-years", (1816, 2016),
        "COW National Material Capabilities 6.0, every state-year; -9 is missing (never 0)."),
    SourceTable(
        "polity5", ("polity5",), _polity,
        ("ccode", "year", "democ", "autoc", "polity", "polity2"),
        ("ccode", "year"), "state-years", (1800, 2018),
        "Polity5 (p5v2018) scores with Polity's own country codes and special codes "
        "(-66/-77/-88) as published; mapped to COW codes when measures are built."),
    SourceTable(
        "cow_contiguity", ("cow_contiguity",), _contiguity,
        ("ccode1", "ccode2", "conttype", "stdate", "enddate"),
        ("ccode1", "ccode2", "stdate", "enddate", "conttype"), "spells", (1816, 2016),
        "COW Direct Contiguity 3.2 (peacesciencer's directed spells, month precision). "
        "conttype 0 rows are peacesciencer's 'not contiguous' spells."),
    SourceTable(
        "capdist", ("capdist",), _capdist,
        ("ccode1", "ccode2", "kmdist"), ("ccode1", "ccode2"), "static pairs", None,
        "Gleditsch and Ward capital-to-capital distance in km, one row per ordered pair of COW "
        "codes (static: one capital per code). The raw file gives distances only; capital "
        "coordinates are not in it (the study's actors' capitals are coded in capitals.yaml)."),
    SourceTable(
        "gml_mid_dyad_years", ("gml_ddy",), _gml,
        ("dispnum", "ccode1", "ccode2", "year", "sidea1", "sidea2", "revstate1", "revstate2",
         "hostlev1", "hostlev2", "hiact1", "hiact2", "fatality1", "fatality2", "orig1", "orig2",
         "midonset", "midongoing"),
        ("dispnum", "ccode1", "ccode2", "year", "revstate1", "revstate2"), "events", (1816, 2010),
        "Gibler-Miller-Little MID 2.1.1 dyad-dispute-years (one row per dispute, pair and year "
        "the dispute is ongoing)."),
    SourceTable(
        "cow_dyadic_war", ("cow_dyadic_war",), _dyadic_war,
        ("warnum", "statea", "stateb", "year", "warstrtyr", "warstrtmnth", "warstrtday",
         "warendyr", "warendmnth", "warenday", "wardyadrolea", "wardyadroleb", "outcomea"),
        ("warnum", "statea", "stateb", "year"), "events", (1823, 2003),
        "COW directed dyadic interstate war (May 2018): one row per war, directed pair and "
        "year."),
    SourceTable(
        "cow_war_participants", ("cow_war",), _wars,
        ("WarNum", "WarName", "ccode", "StateName", "Side", "StartYear1", "StartMonth1",
         "StartDay1", "EndYear1", "EndMonth1", "EndDay1", "StartYear2", "StartMonth2",
         "StartDay2", "EndYear2", "EndMonth2", "EndDay2", "Initiator", "Outcome", "BatDeath"),
        ("WarNum", "ccode", "Side"), "spells", (1823, 2003),
        "COW Inter-State War Data 4.0: one row per war participant with its participation "
        "spell(s)."),
    SourceTable(
        "atop_members", ("atop_members",), _atop,
        ("atopid", "member", "phase", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit",
         "bilat", *_OBLIGATIONS, "defcon", "offcon", "neucon", "concon", "asymm"),
        ("atopid", "member", "phase", "yrent", "moent"), "spells", (1815, 2018),
        "ATOP 5.1 member-level obligations: one row per member per alliance phase with entry and "
        "exit dates; yrexit 0 = still a member at the end of coverage (2018). ATOP asks to be "
        "cited (Leeds et al. 2002)."),
    SourceTable(
        "us_aid", ("us_aid",), _greenbook,
        ("country_code", "country_name", "transaction_type_name", "fiscal_year",
         "current_amount", "constant_amount"),
        ("country_code", "country_name", "transaction_type_name", "fiscal_year"), "events",
        None,
        "US Overseas Loans and Grants (Greenbook) country summary: one row per recipient, "
        "fiscal year and transaction type where an amount is recorded (USD)."),
    SourceTable(
        "sipri_tiv_imports", ("sipri_tiv_imports",), _sipri_imports,
        ("recipient", "year", "tiv", "recorded"), ("recipient", "year"), "events", None,
        "SIPRI TIV of arms imports by recipient (SIPRI's names) and year, all suppliers; "
        "recorded = 0 for a blank cell."),
    SourceTable(
        "sipri_us_exports", ("sipri_us_exports",), _sipri_us_exports,
        ("recipient", "year", "tiv", "recorded"), ("recipient", "year"), "events", None,
        "SIPRI TIV of US arms exports by recipient (SIPRI's names) and year; recorded = 0 for "
        "a blank cell."),
    SourceTable(
        "sipri_registers_west", ("sipri_register_uk", "sipri_register_fr", "sipri_register_de"),
        _sipri_registers,
        ("supplier", "row", "recipient", "order_year", "weapon", "description", "n_delivered",
         "delivery_years", "tiv_delivered"), ("supplier", "row"), "events", None,
        "SIPRI trade registers of the United Kingdom, France and Germany (West Germany before "
        "1990): one row per deal (row = data row of the supplier's file) with its years of "
        "delivery and the TIV of the weapons delivered."),
    SourceTable(
        "sipri_dyad_gannon", ("sipri_dyad_gannon",), _gannon,
        ("year", "supplier", "supplier_ccode", "recipient", "recipient_ccode", "tiv"),
        ("year", "supplier", "recipient"), "events", (1970, 2014),
        "SIPRI arms transfers by supplier, recipient and year (TIV), as processed by J. A. "
        "Gannon; 1970-2014 only."),
    SourceTable(
        "un_idealpoints", ("un_ideal",), _ideal,
        ("ccode", "year", "session", "nvotes", "idealpoint", "ci5", "ci95", "pctagreeus",
         "pctagreerussia"),
        ("ccode", "year"), "state-years", None,
        "Bailey, Strezhnev and Voeten UN General Assembly ideal points, one row per state-year."),
)}


# ------------------------------------------------------------------------------ build and write


def build_source_table(name: str, external_dir: PathArg = None) -> pd.DataFrame:
    """Build one source table from the raw files (verified by sha256).

    Parameters
    ----------
    name : str
        A key of :data:`SOURCE_TABLES`.
    external_dir : path-like, optional
        Folder of raw datasets (argument, ``WALT_EXTERNAL_DIR`` or ``../shared/external``).

    Returns
    -------
    pandas.DataFrame
        The table with the declared columns, sorted, with a fresh RangeIndex. ``attrs["years"]``
        holds the years the source covers.
    """
    spec = _spec(name)
    raw = spec.reader(resolve_external_dir(external_dir))
    years = raw.attrs.get("years", spec.years)
    missing = [c for c in spec.columns if c not in raw.columns]
    if missing:  # pragma: no cover - the readers declare their columns
        raise RawDataError(f"source table {name}: the reader gave no column(s) {missing}")
    out = raw.loc[:, list(spec.columns)]
    out = out.sort_values(list(spec.sort), kind="mergesort").reset_index(drop=True)
    year_col = next((c for c in ("year", "fiscal_year") if c in out.columns), None)
    if years is None and year_col is not None:
        y = pd.to_numeric(out[year_col].astype("string").str.slice(0, 4), errors="coerce")
        years = (int(y.min()), int(y.max()))
    out.attrs = {"years": None if years is None else [int(years[0]), int(years[1])]}
    return out


def build_source_tables(external_dir: PathArg = None) -> dict[str, pd.DataFrame]:
    """Build every table of :data:`SOURCE_TABLES` from the raw files."""
    return {name: build_source_table(name, external_dir) for name in SOURCE_TABLES}


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """Serialise a frame to Parquet (zstd, pandas metadata kept so dtypes round-trip)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = df.copy()
    frame.attrs = {}
    table = pa.Table.from_pandas(frame, preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", compression_level=19,
                   write_statistics=False)
    return buf.getvalue()


def write_source_tables(out_dir: str | os.PathLike[str], external_dir: PathArg = None,
                        builder: str = "walt_alliances.sources.shipped.build_source_tables",
                        ) -> list[Path]:
    """Build every source table and write ``<name>.parquet`` plus ``provenance.json``.

    Parameters
    ----------
    out_dir : path-like
        Destination folder (``walt_alliances/data/sources`` in a checkout).
    external_dir : path-like, optional
        Folder of raw datasets.
    builder : str
        Name of the program that ran the build, recorded in the provenance.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out_dir)
    tables = build_source_tables(external_dir)
    prov: dict[str, Any] = {"builder": builder, "tables": {}}
    written = []
    for name, df in tables.items():
        spec = SOURCE_TABLES[name]
        data = parquet_bytes(df)
        atomic_write_bytes(out / f"{name}.parquet", data)
        written.append(out / f"{name}.parquet")
        sources = []
        for key in spec.keys:
            rf = get_raw_file(key)
            sources.append({"key": rf.key, "file": rf.path, "dataset": rf.dataset,
                            "version": rf.version, "sha256": rf.sha256,
                            "repository": rf.repository, "commit": rf.commit})
        prov["tables"][name] = {
            "file": f"{name}.parquet", "rows": len(df), "columns": list(df.columns),
            "dtypes": {c: str(t) for c, t in df.dtypes.items()},
            "form": spec.form, "years": df.attrs["years"], "sha256":
            hashlib.sha256(data).hexdigest(), "bytes": len(data), "sources": sources,
            "description": spec.description,
        }
    atomic_write_bytes(out / _PROVENANCE,
                       (json.dumps(prov, indent=2, sort_keys=True) + "\n").encode())
    written.append(out / _PROVENANCE)
    return written


# ----------------------------------------------------------------------------------- loading


def _spec(name: str) -> SourceTable:
    try:
        return SOURCE_TABLES[name]
    except KeyError:
        raise KeyError(f"no source table {name!r}; known: {sorted(SOURCE_TABLES)}") from None


def _package_file(name: str) -> bytes:
    ref = resources.files("walt_alliances").joinpath(*_PACKAGE_DIR, name)
    try:
        return ref.read_bytes()
    except FileNotFoundError:
        raise RawDataError(
            f"the package's source table {name} is missing (walt_alliances/data/sources); "
            "reinstall walt_alliances, or build it with `python datasets/build_sources.py "
            "--external-dir DIR`") from None


@lru_cache(maxsize=1)
def source_provenance() -> dict[str, Any]:
    """Return the shipped ``data/sources/provenance.json`` (sources, versions, sha256)."""
    prov: dict[str, Any] = json.loads(_package_file(_PROVENANCE))
    return prov


@cache
def _load(name: str) -> pd.DataFrame:
    import pyarrow.parquet as pq

    rec = source_provenance()["tables"].get(name)
    if rec is None:
        raise RawDataError(f"source table {name} is not in data/sources/provenance.json")
    data = _package_file(rec["file"])
    if hashlib.sha256(data).hexdigest() != rec["sha256"]:
        raise RawDataError(
            f"the package's source table {rec['file']} does not match its sha256 in "
            "provenance.json (changed after the build); reinstall walt_alliances")
    df = pq.read_table(io.BytesIO(data)).to_pandas()
    for col, dtype in rec.get("dtypes", {}).items():
        if str(df[col].dtype) != dtype:  # Parquet keeps datetime64[s] as milliseconds
            df[col] = df[col].astype(dtype)
    df.attrs = {"years": rec["years"]}
    return df


def load_source(name: str, *, copy: bool = True) -> pd.DataFrame:
    """Return a shipped source table (read once per process; verified by its sha256).

    Parameters
    ----------
    name : str
        A key of :data:`SOURCE_TABLES`.
    copy : bool, default True
        Return a copy the caller may change. ``False`` returns the frame cached for the
        process, shared by every caller: it must not be changed.

    Returns
    -------
    pandas.DataFrame
        The table, with the same columns and dtypes as :func:`build_source_table` gives from
        the raw files; ``attrs["years"]`` is the source's year coverage.
    """
    _spec(name)
    df = _load(name)
    if not copy:
        return df
    out = df.copy(deep=True)
    out.attrs = dict(df.attrs)
    return out


def system_years(states: pd.DataFrame) -> pd.DataFrame:
    """Expand membership spells to state-years: ``stateabb``, ``ccode``, ``year`` (int64).

    A state is a member in year *t* if one of its spells covers any day of *t* (the rule of
    COW's ``system2016.csv``, which this reproduces exactly). Sorted by ``ccode``, ``year``.
    """
    lo = states["styear"].to_numpy(dtype=np.int64)
    hi = states["endyear"].to_numpy(dtype=np.int64)
    n = hi - lo + 1
    src = np.repeat(np.arange(len(states)), n)
    year = np.arange(src.size) - np.repeat(np.cumsum(n) - n, n) + lo[src]
    out = pd.DataFrame({
        "stateabb": states["stateabb"].to_numpy()[src],
        "ccode": states["ccode"].to_numpy(dtype=np.int64)[src],
        "year": year.astype(np.int64),
    })
    out["stateabb"] = out["stateabb"].astype("string")
    out = out.drop_duplicates(["ccode", "year"])
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True)


class Sources:
    """Where source tables come from: the package (default, offline) or raw files.

    Parameters
    ----------
    external_dir : path-like, optional
        A folder of raw datasets. When given, every table is built from the raw files (each
        verified by size and sha256) instead of read from the package: use it to rebuild and
        check the shipped data. When ``None`` (the default) the shipped tables are used and no
        raw folder is needed.

    Examples
    --------
    >>> from walt_alliances.sources.shipped import Sources
    >>> src = Sources()
    >>> egypt = src.table("cow_states").query("ccode == 651")  # two spells in COW
    >>> [(int(a), int(b)) for a, b in zip(egypt["styear"], egypt["endyear"])]
    [(1855, 1882), (1937, 2016)]
    """

    def __init__(self, external_dir: PathArg = None) -> None:
        self.external_dir = None if external_dir is None else resolve_external_dir(external_dir)
        self._cache: dict[str, pd.DataFrame] = {}

    @property
    def is_raw(self) -> bool:
        """True when tables are built from raw files."""
        return self.external_dir is not None

    def describe(self) -> str:
        """Say where the tables come from (for notes and manifests)."""
        if self.external_dir is None:
            return "the package's source tables (data/sources)"
        return f"the raw files in {self.external_dir}"

    def table(self, name: str, *, copy: bool = True) -> pd.DataFrame:
        """Return a source table (see :data:`SOURCE_TABLES`); same frame either way."""
        if self.external_dir is None:
            return load_source(name, copy=copy)
        if name not in self._cache:
            self._cache[name] = build_source_table(name, self.external_dir)
        df = self._cache[name]
        if not copy:
            return df
        out = df.copy(deep=True)
        out.attrs = dict(df.attrs)
        return out

    def years(self, name: str) -> tuple[int, int] | None:
        """Years the source of a table covers (``None`` for static tables)."""
        y = self.table(name, copy=False).attrs["years"]
        return None if y is None else (int(y[0]), int(y[1]))

    def system(self) -> pd.DataFrame:
        """COW state-years (``stateabb``, ``ccode``, ``year``), from the membership spells."""
        return system_years(self.table("cow_states", copy=False))
