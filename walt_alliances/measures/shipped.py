"""Derived state-year and directed dyad-year measures, 1950-1979, shipped with the package.

The tables are built from the raw external datasets by ``datasets/build_measures.py`` and read
here offline with explicit dtypes. ``provenance.json`` beside them records each source file's
name, dataset version and sha256, the script, and each measure's coverage
(:func:`measure_coverage`).

Units
-----
State-year: one row per state in scope (26 COW states; non-state actors such as the PLO are not
here) and year 1950-1979 in which COW's system2016 lists the state (member on any day of the
year). Syria (652) has no rows 1959-1960 (union with Egypt), Kuwait none before 1961.

Dyad-year: **directed**. One row per ordered pair (i, j), i != j, of states that both exist in
the year. ``ccode1`` is i, ``ccode2`` is j. Symmetric measures have the same value in (i, j) and
(j, i); directed ones say in their description which side acts.

Zero vs missing
---------------
A 0 means "the source covers this unit and records nothing"; a missing value means "not
covered" (outside the source's years, an actor the source does not cover, or not applicable).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Literal, overload

import pandas as pd
import pyarrow as pa

__all__ = [
    "DYAD_YEAR_COLUMNS",
    "STATE_YEAR_COLUMNS",
    "load_dyad_years",
    "load_provenance",
    "load_state_years",
    "measure_coverage",
]

_PACKAGE = "walt_alliances"
_FOLDER = "data/measures"

#: Columns of ``state_year.csv``: name -> (dtype, description with units).
STATE_YEAR_COLUMNS: dict[str, tuple[str, str]] = {
    "ccode": ("Int64", "COW state code."),
    "year": ("Int64", "Calendar year (1950-1979)."),
    "stateabb": ("string", "COW three-letter state abbreviation."),
    "cinc": (
        "float64",
        "COW NMC 6.0 Composite Index of National Capability: the state's share "
        "of the system's capabilities (0-1).",
    ),
    "milex": ("Int64", "NMC military expenditure, thousands of current US dollars."),
    "milper": ("Int64", "NMC military personnel, thousands."),
    "tpop": ("float64", "NMC total population, thousands."),
    "upop": ("float64", "NMC urban population, thousands."),
    "irst": ("Int64", "NMC iron and steel production, thousands of tons."),
    "pec": ("Int64", "NMC primary energy consumption, thousands of coal-ton equivalents."),
    "polity2": (
        "Int64",
        "Polity5 combined score, -10 (autocracy) to 10 (democracy), as "
        "published (Polity's own treatment of special codes).",
    ),
    "democ": ("Int64", "Polity5 institutionalized democracy, 0-10; missing in special-code years."),
    "autoc": ("Int64", "Polity5 institutionalized autocracy, 0-10; missing in special-code years."),
    "polity": (
        "Int64",
        "Polity5 polity score (democ - autoc), -10 to 10; missing in special-code years.",
    ),
    "polity_special": (
        "Int64",
        "Polity5 special code of the year: -66 interruption, -77 "
        "interregnum, -88 transition; missing otherwise.",
    ),
    "us_aid_oblig_current": (
        "Int64",
        "US aid obligated to the state in US fiscal year `year`, "
        "current US dollars (Greenbook summary; economic and military "
        "together, not split). 0 = nothing obligated; missing for the USA.",
    ),
    "us_aid_oblig_constant": (
        "Int64",
        "Same in constant US dollars (base year not stated in the source file).",
    ),
    "us_aid_fy_months": (
        "Int64",
        "Months in the fiscal year: 12, or 15 for 1976 (FY1976 plus "
        "the July-September 1976 transition quarter).",
    ),
    "sipri_tiv_imports": (
        "Int64",
        "SIPRI TIV (millions) of arms imported by the state from "
        "all suppliers; 0 = SIPRI recorded nothing.",
    ),
    "sipri_tiv_imports_recorded": (
        "Int64",
        "1 if SIPRI's cell holds a value (SIPRI's 0 means < 0.5m TIV), 0 if it is blank.",
    ),
}

#: Columns of ``dyad_year.csv``: name -> (dtype, description with units and direction).
DYAD_YEAR_COLUMNS: dict[str, tuple[str, str]] = {
    "ccode1": ("Int64", "COW code of i (the first state)."),
    "ccode2": ("Int64", "COW code of j (the second state)."),
    "year": ("Int64", "Calendar year (1950-1979)."),
    "contig": (
        "Int64",
        "Symmetric. COW direct contiguity type: 1 land/river border, 2-5 "
        "separated by <= 12, 24, 150, 400 miles of water; 0 not contiguous.",
    ),
    "capdist_km": (
        "Int64",
        "Symmetric. Distance between capitals, km (Gleditsch & Ward capdist; static).",
    ),
    "mid_ongoing": (
        "Int64",
        "Symmetric. 1 if i and j are on opposite sides of a MID active in the year (GML 2.1.1).",
    ),
    "mid_onset": ("Int64", "Symmetric. 1 if such a MID began (for this dyad) in the year."),
    "mid_hostlev": (
        "Int64",
        "Symmetric. Highest hostility level (1-5) reached by i or j in "
        "their MIDs of the year; 0 if none.",
    ),
    "mid_hostlev_i": (
        "Int64",
        "Directed. Highest hostility level reached by i in the MIDs "
        "with j active in the year; 0 if none.",
    ),
    "mid_init": (
        "Int64",
        "Directed. 1 if i initiated a MID against j in the year (onset, i "
        "an originator on Side A, j on Side B).",
    ),
    "mid_revisionist_i": (
        "Int64",
        "Directed. 1 if i was a revisionist state in a MID with j "
        "active in the year, 0 if not; missing when no MID is active.",
    ),
    "mid_count_prev5": (
        "Int64",
        "Symmetric. Distinct MIDs between i and j with onset in t-5..t-1.",
    ),
    "mid_init_prev5": ("Int64", "Directed. Of those, MIDs i initiated against j."),
    "mid_target_prev5": ("Int64", "Directed. Of those, MIDs j initiated against i."),
    "war_ongoing": (
        "Int64",
        "Symmetric. 1 if i and j fought each other in an inter-state war "
        "in the year (COW directed dyadic war).",
    ),
    "war_onset": ("Int64", "Symmetric. 1 if that war began in the year."),
    "war_init": (
        "Int64",
        "Directed. 1 if i was the initiator of a war against j active in the year.",
    ),
    "war_count_prev5": ("Int64", "Symmetric. Distinct wars between i and j active in t-5..t-1."),
    "war_init_prev5": ("Int64", "Directed. Of those, wars i initiated against j."),
    "war_target_prev5": ("Int64", "Directed. Of those, wars j initiated against i."),
    "sipri_tiv_from_j": (
        "float64",
        "Directed. SIPRI TIV (millions) of arms delivered by "
        "supplier j to recipient i (Gannon's dyad-years, 1970-2014 only; "
        "missing before 1970).",
    ),
    "sipri_tiv_dyad_complete": (
        "Int64",
        "1 if Gannon's suppliers of i add up to SIPRI's "
        "import total for i in the year (then absent dyads are 0); 0 "
        "if not (only positive values are kept); missing before 1970.",
    ),
}


def _columns_doc(columns: dict[str, tuple[str, str]]) -> str:
    return "\n".join(
        f"        - ``{name}`` ({dtype}): {desc}" for name, (dtype, desc) in columns.items()
    )


def _read(name: str, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    ref = resources.files(_PACKAGE).joinpath(_FOLDER, name)
    with ref.open("rb") as fh:
        df = pd.read_csv(
            fh,
            dtype={c: t for c, (t, _) in columns.items()},
            keep_default_na=False,
            na_values=[""],
        )
    if list(df.columns) != list(columns):
        raise ValueError(f"{name}: columns {list(df.columns)} differ from the declared ones")
    return df


def _convert_dtypes(df: pd.DataFrame, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Give freshly built measures exactly the dtypes of the shipped tables (same CSV path)."""
    import io

    from walt_alliances._io import csv_bytes

    return pd.read_csv(io.BytesIO(csv_bytes(df[list(columns)])),
                       dtype={c: t for c, (t, _) in columns.items()},
                       keep_default_na=False, na_values=[""])


def _convert(df: pd.DataFrame, format: str) -> pd.DataFrame | pa.Table:
    if format == "pandas":
        return df
    if format == "arrow":
        return pa.Table.from_pandas(df, preserve_index=False)
    raise ValueError(f"format must be 'pandas' or 'arrow', got {format!r}")


@overload
def load_state_years(format: Literal["pandas"] = ...) -> pd.DataFrame: ...
@overload
def load_state_years(format: Literal["arrow"]) -> pa.Table: ...


def load_state_years(format: Literal["pandas", "arrow"] = "pandas") -> pd.DataFrame | pa.Table:
    """Load the state-year measures (26 states, 1950-1979, existing state-years only).

    Parameters
    ----------
    format : {"pandas", "arrow"}, default "pandas"
        Return a :class:`pandas.DataFrame` (nullable dtypes) or a :class:`pyarrow.Table`.

    Returns
    -------
    pandas.DataFrame or pyarrow.Table
        One row per (``ccode``, ``year``), sorted. Columns:

        {columns}

    Raises
    ------
    ValueError
        If ``format`` is not ``"pandas"`` or ``"arrow"``.

    Notes
    -----
    Coverage per column is in :func:`measure_coverage`. US aid is by US fiscal year (to 1976:
    July-June; from 1977: October-September). Missing values mean "not covered or not
    applicable", never "zero".
    """
    return _convert(_read("state_year.csv", STATE_YEAR_COLUMNS), format)


@overload
def load_dyad_years(format: Literal["pandas"] = ...) -> pd.DataFrame: ...
@overload
def load_dyad_years(format: Literal["arrow"]) -> pa.Table: ...


def load_dyad_years(format: Literal["pandas", "arrow"] = "pandas") -> pd.DataFrame | pa.Table:
    """Load the directed dyad-year measures (ordered pairs of existing states, 1950-1979).

    Parameters
    ----------
    format : {"pandas", "arrow"}, default "pandas"
        Return a :class:`pandas.DataFrame` (nullable dtypes) or a :class:`pyarrow.Table`.

    Returns
    -------
    pandas.DataFrame or pyarrow.Table
        One row per (``ccode1``, ``ccode2``, ``year``), sorted; i = ``ccode1``,
        j = ``ccode2``. Columns:

        {columns}

    Raises
    ------
    ValueError
        If ``format`` is not ``"pandas"`` or ``"arrow"``.

    Notes
    -----
    MID columns come from the GML data (1816-2010), war columns from COW (1823-2003): inside
    those years absent events are 0. Arms-transfer columns exist only from 1970.
    """
    return _convert(_read("dyad_year.csv", DYAD_YEAR_COLUMNS), format)


if load_state_years.__doc__:
    load_state_years.__doc__ = load_state_years.__doc__.replace(
        "        {columns}", _columns_doc(STATE_YEAR_COLUMNS)
    )
if load_dyad_years.__doc__:
    load_dyad_years.__doc__ = load_dyad_years.__doc__.replace(
        "        {columns}", _columns_doc(DYAD_YEAR_COLUMNS)
    )


def load_provenance() -> dict[str, object]:
    """Return the parsed ``provenance.json`` of the measures tables.

    Returns
    -------
    dict
        ``script``, ``years``, ``actors``, ``existence_rule``, ``sources`` (registry key ->
        path, dataset, version, sha256, repository, commit), ``tables`` (rows, columns,
        sha256, sources) and ``measures`` (one entry per column, see :func:`measure_coverage`).
    """
    ref = resources.files(_PACKAGE).joinpath(_FOLDER, "provenance.json")
    with ref.open("r", encoding="utf-8") as fh:
        data: dict[str, object] = json.load(fh)
    return data


def measure_coverage() -> pd.DataFrame:
    """Coverage of every shipped measure: source, years, actors and the zero/missing rule.

    Returns
    -------
    pandas.DataFrame
        One row per measure with columns ``measure``, ``table`` (``state_year.csv`` or
        ``dyad_year.csv``), ``source`` (dataset and version, ``; ``-separated),
        ``source_first_year``/``source_last_year`` (the source's own years; missing for static
        sources such as capital distances), ``first_year``/``last_year`` (years with a
        non-missing value in the shipped table), ``actors_covered`` (COW codes with at least one
        non-missing value; for dyad tables, as i), ``n_actors`` and ``notes`` (how zeros and
        missing values are decided).
    """
    prov = load_provenance()
    sources = prov["sources"]
    assert isinstance(sources, dict)
    rows = []
    for m in prov["measures"]:  # type: ignore[attr-defined]
        src_years = m["source_years"] or [None, None]
        rows.append(
            {
                "measure": m["measure"],
                "table": m["table"],
                "source": "; ".join(
                    f"{sources[k]['dataset']} {sources[k]['version']}" for k in m["sources"]
                ),
                "source_first_year": src_years[0],
                "source_last_year": src_years[1],
                "first_year": m["first_year"],
                "last_year": m["last_year"],
                "actors_covered": ",".join(str(a) for a in m["actors"]),
                "n_actors": len(m["actors"]),
                "notes": m["notes"],
            }
        )
    out = pd.DataFrame(rows)
    for col in ("source_first_year", "source_last_year", "first_year", "last_year", "n_actors"):
        out[col] = out[col].astype("Int64")
    for col in ("measure", "table", "source", "actors_covered", "notes"):
        out[col] = out[col].astype("string")
    return out
