"""Reader for Polity5 (p5v2018), with its special codes handled explicitly.

Polity5 uses three special codes in ``democ``, ``autoc`` and ``polity`` (and in the component
variables) instead of scores:

- ``-66`` interruption (foreign occupation or, here, the union of Syria with Egypt 1958-1961),
- ``-77`` interregnum (anarchy, collapse of central authority: Lebanon 1975-),
- ``-88`` transition.

They are codes, not numbers: averaging or differencing them gives nonsense. :func:`read_polity5`
returns the file as published; :func:`polity_state_years` turns it into a COW state-year table
where the scores hold only real scores (special codes set to missing) and the code sits in its
own column ``polity_special``. ``polity2`` is Polity's own "combined" score, in which the Polity
project itself converted the codes (-66 to missing, -77 to 0, -88 prorated across the
transition); we pass it through unchanged and never re-derive it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from walt_alliances.errors import RawDataError
from walt_alliances.sources.registry import raw_path

__all__ = [
    "POLITY_SPECIAL_CODES",
    "POLITY_TO_COW",
    "polity_state_years",
    "read_polity5",
]

PathLike = str | os.PathLike[str] | None

#: Polity5 special codes and their meaning.
POLITY_SPECIAL_CODES: dict[int, str] = {
    -66: "interruption",
    -77: "interregnum",
    -88: "transition",
}

#: Polity country codes that differ from COW codes for actors in scope: Polity code ->
#: (COW code, first year, last year of the mapping). Polity codes the USSR 364 (1922-1991;
#: COW keeps 365 throughout) and Pakistan before the secession of Bangladesh 769 ("Pakistan
#: (old)", 1947-1971; 770 from 1972; COW 770 throughout). The USSR mapping starts in 1923
#: because Polity has both a 365 (Russia) and a 364 (USSR) row for 1922.
POLITY_TO_COW: dict[int, tuple[int, int, int]] = {364: (365, 1923, 1991), 769: (770, 1947, 1971)}

_SCORE_COLUMNS = ["democ", "autoc", "polity"]

_DTYPES: dict[str, str] = {
    "p5": "Int64",
    "cyear": "Int64",
    "ccode": "Int64",
    "scode": "string",
    "country": "string",
    "year": "Int64",
    "flag": "Int64",
    "fragment": "Int64",
    "democ": "Int64",
    "autoc": "Int64",
    "polity": "Int64",
    "polity2": "Int64",
    "durable": "Int64",
    "xrreg": "Int64",
    "xrcomp": "Int64",
    "xropen": "Int64",
    "xconst": "Int64",
    "parreg": "Int64",
    "parcomp": "Int64",
    "exrec": "Int64",
    "exconst": "Int64",
    "polcomp": "Int64",
    "prior": "Int64",
    "emonth": "Int64",
    "eday": "Int64",
    "eyear": "Int64",
    "eprec": "Int64",
    "interim": "Int64",
    "bmonth": "Int64",
    "bday": "Int64",
    "byear": "Int64",
    "bprec": "Int64",
    "post": "Int64",
    "change": "Int64",
    "d5": "Int64",
    "sf": "Int64",
    "regtrans": "Int64",
}


def read_polity5(external_dir: PathLike = None) -> pd.DataFrame:
    """Read Polity5 annual time series (p5v2018, CSV conversion), as published.

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets; default as in
        :func:`walt_alliances.sources.registry.resolve_external_dir`.

    Returns
    -------
    pandas.DataFrame
        17,574 country-years, the file's 37 columns, integers as nullable ``Int64`` (``polity2``
        too: all its values are whole numbers), ``scode``/``country`` as ``string``. Special
        codes -66/-77/-88 are left in place; blank cells are ``<NA>``. Country codes are
        Polity's (see :data:`POLITY_TO_COW`).

    Raises
    ------
    walt_alliances.errors.RawDataError
        If the file is missing, changed or malformed (e.g. a non-integer where one is expected).
    """
    path: Path = raw_path("polity5", external_dir)
    header = pd.read_csv(path, nrows=0)
    if list(header.columns) != list(_DTYPES):
        raise RawDataError(f"{path}: columns differ from the expected Polity5 layout")
    try:
        return pd.read_csv(path, dtype=_DTYPES, keep_default_na=False, na_values=[""])
    except (ValueError, TypeError) as exc:
        raise RawDataError(f"{path}: {exc}") from exc


def polity_state_years(polity: pd.DataFrame) -> pd.DataFrame:
    """Turn Polity5 rows into COW-coded state-years with special codes kept apart.

    Parameters
    ----------
    polity : pandas.DataFrame
        As returned by :func:`read_polity5`.

    Returns
    -------
    pandas.DataFrame
        Columns ``ccode`` (COW code where Polity's differs, mapped by :data:`POLITY_TO_COW`
        within the years given there; other codes unchanged), ``year``,
        ``polity2`` (Polity's combined score -10..10, as published), ``democ`` (0..10),
        ``autoc`` (0..10), ``polity`` (-10..10) — each missing where Polity records a special
        code — and ``polity_special`` (-66, -77 or -88 where Polity records one in ``polity``,
        else missing). Sorted by ``ccode``, ``year``.

    Raises
    ------
    walt_alliances.errors.RawDataError
        If the COW-mapped (ccode, year) keys are not unique, or ``democ``/``autoc``/``polity``
        disagree on whether a year carries a special code.
    """
    df = polity.loc[:, ["ccode", "year", "democ", "autoc", "polity", "polity2"]].copy()
    for polity_code, (cow_code, first, last) in POLITY_TO_COW.items():
        hit = (df["ccode"] == polity_code) & df["year"].between(first, last)
        df.loc[hit, "ccode"] = cow_code
    dup = df.duplicated(["ccode", "year"], keep=False)
    if dup.any():
        keys = df.loc[dup, ["ccode", "year"]].drop_duplicates().head(5).values.tolist()
        raise RawDataError(f"Polity5: duplicate COW state-years after code mapping, e.g. {keys}")
    codes = list(POLITY_SPECIAL_CODES)
    special = {c: df[c].isin(codes).fillna(False) for c in _SCORE_COLUMNS}
    if not (
        special["democ"].equals(special["polity"]) and special["autoc"].equals(special["polity"])
    ):
        raise RawDataError("Polity5: democ/autoc/polity disagree on special codes")
    df["polity_special"] = df["polity"].where(special["polity"]).astype("Int64")
    for col in _SCORE_COLUMNS:
        df[col] = df[col].mask(special[col]).astype("Int64")
    out = df[["ccode", "year", "polity2", "democ", "autoc", "polity", "polity_special"]]
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True)
