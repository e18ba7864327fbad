"""Readers for the raw conflict datasets: COW MIDs 4.3, GML MIDs 2.1.1, COW wars 4.0.

Every reader resolves the folder of raw files (argument, ``WALT_EXTERNAL_DIR`` or
``../shared/external``), checks the file's byte size and sha256 against the registry
(:mod:`walt_alliances.sources.registry`) and reads it with an explicit dtype for every column.
Columns are returned as published (names and codes unchanged); only the file's missing-value
codes listed per reader are turned into missing values.

Files
-----
- ``cow_mida``: ``cow_mid/MIDA_4.3.csv``, one row per dispute;
- ``cow_midb``: ``cow_mid/MIDB_4.3.csv``, one row per participant;
- ``gml_ddy``: ``gml_mid/gml-ddy-disputes-2.1.1.csv``, one row per dyad-dispute-year;
- ``cow_war``: ``cow_war/Inter-StateWarData_v4.0.csv`` (CR line endings), one row per war
  participant;
- ``cow_dyadic_war``: ``cow_war/directed_dyadic_war.csv``, one row per directed dyad-war-year.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd

from walt_alliances.errors import RawDataError
from walt_alliances.sources.registry import raw_path

__all__ = [
    "read_cow_dyadic_war",
    "read_cow_interstate_wars",
    "read_gml_ddy",
    "read_mida",
    "read_midb",
]

PathLike = str | os.PathLike[str] | None


def _read_csv(path: Path, dtype: dict[str, str], *, text: str | None = None) -> pd.DataFrame:
    """Read a CSV with exactly the expected columns, each with its declared dtype."""
    source: Path | io.StringIO = io.StringIO(text) if text is not None else path
    header = pd.read_csv(source, nrows=0)
    if list(header.columns) != list(dtype):
        raise RawDataError(
            f"{path}: columns {list(header.columns)} differ from the expected {list(dtype)}"
        )
    if isinstance(source, io.StringIO):
        source.seek(0)
    try:
        return pd.read_csv(source, dtype=dtype, keep_default_na=False, na_values=[""])
    except (ValueError, TypeError) as exc:  # a value that does not fit its declared dtype
        raise RawDataError(f"{path}: {exc}") from exc


def _minus9_to_na(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Turn the COW/MID missing code -9 into a missing value in ``columns``."""
    out = df.copy()
    for col in columns:
        out[col] = out[col].mask(out[col] == -9)
    return out


_MIDA_DTYPES: dict[str, str] = {
    "dispnum3": "Int64",
    "dispnum4": "Int64",
    "stday": "Int64",
    "stmon": "Int64",
    "styear": "Int64",
    "endday": "Int64",
    "endmon": "Int64",
    "endyear": "Int64",
    "outcome": "Int64",
    "settle": "Int64",
    "fatality": "Int64",
    "fatalpre": "Int64",
    "maxdur": "Int64",
    "mindur": "Int64",
    "hiact": "Int64",
    "hostlev": "Int64",
    "recip": "Int64",
    "numa": "Int64",
    "numb": "Int64",
    "link1": "string",
    "link2": "string",
    "link3": "Float64",
    "ongo2010": "Int64",
    "version": "string",
}

_MIDB_DTYPES: dict[str, str] = {
    "dispnum3": "Int64",
    "dispnum4": "Int64",
    "stabb": "string",
    "ccode": "Int64",
    "stday": "Int64",
    "stmon": "Int64",
    "styear": "Int64",
    "endday": "Int64",
    "endmon": "Int64",
    "endyear": "Int64",
    "sidea": "Int64",
    "revstate": "Int64",
    "revtype1": "Int64",
    "revtype2": "Int64",
    "fatality": "Int64",
    "fatalpre": "Int64",
    "hiact": "Int64",
    "hostlev": "Int64",
    "orig": "Int64",
    "version": "string",
}

_MID_MINUS9 = ["dispnum4", "stday", "stmon", "endday", "endmon", "fatality", "fatalpre"]


def read_mida(external_dir: PathLike = None) -> pd.DataFrame:
    """Read COW MID 4.3, dispute level (MIDA; CSV conversion of ``MIDA 4.3.dta``).

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets; default as in
        :func:`walt_alliances.sources.registry.resolve_external_dir`.

    Returns
    -------
    pandas.DataFrame
        One row per dispute (2,315 rows, 1816-2010), the file's 24 columns. ``-9`` (missing) is
        turned into ``<NA>`` in ``dispnum4``, ``stday``, ``stmon``, ``endday``, ``endmon``,
        ``fatality`` and ``fatalpre``; all other codes are kept.

    Raises
    ------
    walt_alliances.errors.RawDataError
        If the file is missing, changed or malformed.
    """
    path = raw_path("cow_mida", external_dir)
    return _minus9_to_na(_read_csv(path, _MIDA_DTYPES), _MID_MINUS9)


def read_midb(external_dir: PathLike = None) -> pd.DataFrame:
    """Read COW MID 4.3, participant level (MIDB; CSV conversion of ``MIDB 4.3.dta``).

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per participant spell in a dispute (5,558 rows): ``ccode`` (COW code),
        ``sidea`` (1 = Side A, the side of the state taking the first militarized action),
        ``revstate`` (1 = revisionist), ``hostlev`` (highest hostility level 1-5), ``orig``
        (1 = originator, 0 = joiner), dates and fatality. ``-9`` is turned into ``<NA>`` in
        ``dispnum4``, day/month and fatality columns.
    """
    path = raw_path("cow_midb", external_dir)
    return _minus9_to_na(_read_csv(path, _MIDB_DTYPES), _MID_MINUS9)


_GML_DDY_DTYPES: dict[str, str] = {
    "dispnum": "Int64",
    "ccode1": "Int64",
    "ccode2": "Int64",
    "year": "Int64",
    "sidea1": "Int64",
    "sidea2": "Int64",
    "revstate1": "Int64",
    "revstate2": "Int64",
    "revtype11": "Int64",
    "revtype12": "Int64",
    "revtype21": "Int64",
    "revtype22": "Int64",
    "fatality1": "Int64",
    "fatality2": "Int64",
    "fatalpre1": "Int64",
    "fatalpre2": "Int64",
    "hiact1": "Int64",
    "hiact2": "Int64",
    "hostlev1": "Int64",
    "hostlev2": "Int64",
    "orig1": "Int64",
    "orig2": "Int64",
    "midongoing": "Int64",
    "midonset": "Int64",
    "hiact": "Int64",
    "hostlev": "Int64",
    "mindur": "Int64",
    "maxdur": "Int64",
    "outcome": "Int64",
    "settle": "Int64",
    "fatality": "Int64",
    "fatalpre": "Int64",
    "stmon": "Int64",
    "endmon": "Int64",
    "recip": "Int64",
    "numa": "Int64",
    "numb": "Int64",
    "ongo2010": "Int64",
    "version": "string",
}

#: First and last year of the GML dyad-year file (disputes 1816-2010).
GML_DDY_YEARS: tuple[int, int] = (1816, 2010)


def read_gml_ddy(external_dir: PathLike = None) -> pd.DataFrame:
    """Read the Gibler-Miller-Little MID dyad-dispute-year file, version 2.1.1.

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per (dispute, state 1, state 2, year) with both participants active, years
        1816-2010 (:data:`GML_DDY_YEARS`). Columns ending in ``1`` describe ``ccode1``, in ``2``
        ``ccode2``: ``sidea*``, ``revstate*`` (1 revisionist), ``hostlev*`` (the participant's
        highest hostility level in the dispute, 1-5), ``orig*`` (1 originator). ``midonset`` is
        1 in the dispute's first year for the dyad, ``midongoing`` is 1 in every row.
        ``hostlev``/``hiact`` are the dispute-level maxima (all participants).

    Notes
    -----
    The README of the raw folder calls this file non-directed; in fact every row appears in
    both orders (the file is already directed and symmetric). Two exact-key duplicates exist
    (dispute 4273, Iraq-UAE 1999, differing only in ``revstate2``/``revtype12``); they are kept
    here and handled by the callers that aggregate to dyad-years. ``revstate*`` has a few
    missing values in the source (``<NA>``).
    """
    path = raw_path("gml_ddy", external_dir)
    return _read_csv(path, _GML_DDY_DTYPES)


_WAR_DTYPES: dict[str, str] = {
    "WarNum": "Int64",
    "WarName": "string",
    "WarType": "Int64",
    "ccode": "Int64",
    "StateName": "string",
    "Side": "Int64",
    "StartMonth1": "Int64",
    "StartDay1": "Int64",
    "StartYear1": "Int64",
    "EndMonth1": "Int64",
    "EndDay1": "Int64",
    "EndYear1": "Int64",
    "StartMonth2": "Int64",
    "StartDay2": "Int64",
    "StartYear2": "Int64",
    "EndMonth2": "Int64",
    "EndDay2": "Int64",
    "EndYear2": "Int64",
    "TransFrom": "string",
    "WhereFought": "Int64",
    "Initiator": "Int64",
    "Outcome": "Int64",
    "TransTo": "Int64",
    "BatDeath": "Int64",
    "Version": "string",
}


def read_cow_interstate_wars(external_dir: PathLike = None) -> pd.DataFrame:
    """Read COW Inter-State War Data v4.0, participant level.

    The file has old-Mac line endings (CR only); they are normalized before parsing.

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per war participant (337 rows, wars 1823-2003) with the file's 25 columns.
        ``-8`` (not applicable: no second spell, no transfer) and ``-9`` (unknown) are turned into
        ``<NA>`` in the date columns ``StartMonth1`` ... ``EndYear2``, in ``TransTo`` and in
        ``BatDeath``; ``TransFrom`` stays text (it may list several wars, e.g. ``"404, 410"``),
        with ``"-8"`` turned into ``<NA>``. ``Side`` is 1 or 2; ``Initiator`` is 1 for a state
        that initiated the war and 2 otherwise (France 1, Spain 2 in the Franco-Spanish War).
    """
    path = raw_path("cow_war", external_dir)
    raw = path.read_bytes().decode("utf-8")
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    df = _read_csv(path, _WAR_DTYPES, text=text)
    dates = [c for c in _WAR_DTYPES if c[:-1].startswith(("Start", "End"))]
    for col in [*dates, "TransTo", "BatDeath"]:
        df[col] = df[col].mask(df[col].isin([-8, -9]))
    df["TransFrom"] = df["TransFrom"].mask(df["TransFrom"].str.strip() == "-8")
    return df


_DYADIC_WAR_DTYPES: dict[str, str] = {
    "warnum": "Int64",
    "disno": "Int64",
    "dyindex": "Float64",
    "statea": "Int64",
    "stateb": "Int64",
    "warstrtmnth": "Int64",
    "warstrtday": "Int64",
    "warstrtyr": "Int64",
    "warendmnth": "Int64",
    "warenday": "Int64",
    "warendyr": "Int64",
    "year": "Int64",
    "warolea": "Int64",
    "waroleb": "Int64",
    "wardyadrolea": "Int64",
    "wardyadroleb": "Int64",
    "outcomea": "Int64",
    "batdtha": "Float64",
    "batdthb": "Float64",
    "changes_1": "Float64",
    "changes_2": "Float64",
    "batdths": "Float64",
    "durindx": "Int64",
}

#: Years of wars in the COW directed dyadic war file.
COW_DYADIC_WAR_YEARS: tuple[int, int] = (1823, 2003)


def read_cow_dyadic_war(external_dir: PathLike = None) -> pd.DataFrame:
    """Read the COW directed dyadic inter-state war file (May 2018 release).

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per (war, state A, state B, year) with A and B on opposite sides (1,364 rows,
        1823-2003), both orders present. ``wardyadrolea`` is 1 when A initiated the war in this
        dyad and 3 when A was the target (checked against the file: Israel is the initiator of
        the 1967 dyads with Egypt, Jordan and Syria, Egypt of the 1969 War of Attrition);
        ``warolea``/``waroleb`` are the states' roles in the war as a whole (COW codebook
        codes 1-4, kept as published). ``warstrtyr``/``warendyr`` are the dyad's war years.
    """
    path = raw_path("cow_dyadic_war", external_dir)
    return _read_csv(path, _DYADIC_WAR_DTYPES)
