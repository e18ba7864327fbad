"""Typed reader for the UN General Assembly ideal points (Bailey, Strezhnev and Voeten).

The raw copy (``un_votes/Idealpoints.csv``) is a CSV conversion of the authors' ``.dta`` file:
one row per state and UNGA session, with the session's calendar ``year``. Codes and years are
written as floats (``2.0``); the file ends with one entirely blank row, which is dropped.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from walt_alliances.errors import RawDataError
from walt_alliances.sources.registry import raw_path

__all__ = ["IDEALPOINT_COLUMNS", "read_idealpoints"]

PathArg = str | os.PathLike[str] | None

_FILE_COLUMNS = (
    "ccode", "session", "nvotes", "idealpoint", "ci5", "ci10", "ci50", "ci90", "ci95", "year",
    "countryabb", "countryname", "idealpointwithpara", "pctagreeus", "pctagreerussia",
    "pctagreebrazil", "pctagreechina", "pctagreeindia", "pctagreeisrael",
)  # fmt: skip

#: Columns returned by :func:`read_idealpoints`, in order.
IDEALPOINT_COLUMNS: tuple[str, ...] = (
    "ccode", "year", "session", "nvotes", "idealpoint", "ci5", "ci95", "pctagreeus",
    "pctagreerussia",
)  # fmt: skip


def read_idealpoints(external_dir: PathArg = None) -> pd.DataFrame:
    """Read the UN ideal points, one row per state-year.

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets (see
        :func:`~walt_alliances.sources.registry.resolve_external_dir`).

    Returns
    -------
    pandas.DataFrame
        ``ccode`` (COW code, int64), ``year`` (int64), ``session`` and ``nvotes`` (nullable
        ``Int64``), ``idealpoint`` with its 5% and 95% bounds ``ci5``/``ci95``, and the shares of
        votes agreeing with the United States and Russia (``pctagreeus``, ``pctagreerussia``),
        all float64 with NaN where the file has no value (e.g. a state present in a year but
        with no estimated ideal point). Sorted by ``ccode``, ``year``; keys unique.

    Raises
    ------
    RawDataError
        If the file is missing or changed, its columns differ, a code or year is not a whole
        number, or a state-year occurs twice.
    """
    path = raw_path("un_ideal", external_dir)
    try:
        df = pd.read_csv(path, dtype={c: "float64" for c in _FILE_COLUMNS
                                      if c not in ("countryabb", "countryname")},
                         keep_default_na=False, na_values=["", "NaN"])
    except (ValueError, TypeError) as exc:
        raise RawDataError(f"{path}: {exc}") from exc
    if tuple(df.columns) != _FILE_COLUMNS:
        raise RawDataError(f"{path}: columns differ from the expected ideal-point layout")
    df = df[df["ccode"].notna() | df["year"].notna()]  # the file's trailing blank row
    for col in ("ccode", "year"):
        values = df[col].to_numpy()
        if np.isnan(values).any() or not np.array_equal(values, np.round(values)):
            raise RawDataError(f"{path}: column {col!r} has a missing or non-integer value")
    out = pd.DataFrame({
        "ccode": df["ccode"].astype("int64"),
        "year": df["year"].astype("int64"),
        "session": df["session"].astype("Int64"),
        "nvotes": df["nvotes"].astype("Int64"),
        **{c: df[c].astype("float64") for c in IDEALPOINT_COLUMNS[4:]},
    })
    if out.duplicated(["ccode", "year"]).any():
        raise RawDataError(f"{path}: duplicated state-years")
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True)
