"""Typed readers for the COW state system, NMC, contiguity, capital distance and ATOP files.

Every reader takes ``external_dir`` (see
:func:`~walt_alliances.sources.registry.resolve_external_dir`),
verifies its file against the manifest (size and sha256, cached per process) and returns a
:class:`pandas.DataFrame` whose dtypes are declared here, never inferred:

- ``int64`` for integer columns that are never missing (a missing value is an error);
- pandas nullable ``Int64`` for integer columns that can be missing;
- ``float64`` (missing as ``NaN``) for real-valued columns;
- ``string`` for text; ``datetime64[s]`` for dates.

Nothing is recoded except where a docstring says so (NMC's ``-9``; capdist's codes).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from walt_alliances.errors import RawDataError
from walt_alliances.sources._csv import ColType, read_arrow, replace_code_with_null, to_pandas
from walt_alliances.sources.registry import raw_path

__all__ = [
    "CAPDIST_COW_ABSENT",
    "CAPDIST_GW_ONLY",
    "CAPDIST_KNOWN_DEFECTS",
    "CAPDIST_LABEL_DIFFERENCES",
    "NMC_MISSING_CODE",
    "read_atop_alliances",
    "read_atop_members",
    "read_capdist",
    "read_contiguity",
    "read_majors",
    "read_nmc",
    "read_states",
    "read_system",
]

PathArg = str | os.PathLike[str] | None

# --------------------------------------------------------------------------- declared schemas

STATES_SCHEMA: dict[str, ColType] = {
    "stateabb": "string",
    "ccode": "int64",
    "statenme": "string",
    "styear": "int64",
    "stmonth": "int64",
    "stday": "int64",
    "endyear": "int64",
    "endmonth": "int64",
    "endday": "int64",
    "version": "int64",
}

SYSTEM_SCHEMA: dict[str, ColType] = {
    "stateabb": "string",
    "ccode": "int64",
    "year": "int64",
    "version": "int64",
}

MAJORS_SCHEMA: dict[str, ColType] = {
    "stateabb": "string",
    "ccode": "int64",
    "styear": "int64",
    "stmonth": "int64",
    "stday": "int64",
    "endyear": "int64",
    "endmonth": "int64",
    "endday": "int64",
    "version": "int64",
}

#: Code for "missing" in the NMC file.
NMC_MISSING_CODE = -9

# Arrow-side types used while reading NMC; the -9 code is turned into null before conversion.
NMC_SCHEMA: dict[str, ColType] = {
    "stateabb": "string",
    "ccode": "int64",
    "year": "int64",
    "milex": "Int64",
    "milper": "Int64",
    "irst": "Int64",
    "pec": "Int64",
    "tpop": "float64",
    "upop": "float64",
    "cinc": "float64",
    "version": "int64",
}
_NMC_CODED = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")

CONTIGUITY_SCHEMA: dict[str, ColType] = {
    "ccode1": "intfloat",
    "ccode2": "intfloat",
    "conttype": "intfloat",
    "stdate": "date",
    "enddate": "date",
}

# ``midist`` is read as text because of one known defective cell (CAPDIST_KNOWN_DEFECTS).
_CAPDIST_READ_SCHEMA: dict[str, ColType] = {
    "numa": "int64",
    "ida": "string",
    "numb": "int64",
    "idb": "string",
    "kmdist": "int64",
    "midist": "string",
}
CAPDIST_SCHEMA: dict[str, ColType] = {**_CAPDIST_READ_SCHEMA, "midist": "Int64"}

#: Known defective cells of capdist.csv, as (numa, numb, column) -> raw text. They are read as
#: missing. Norway->Russia ``midist`` is ``s`` in the file; the reverse row (Russia->Norway)
#: gives 1046 miles and both give 1677 km. The value is left missing, not copied across.
CAPDIST_KNOWN_DEFECTS: Mapping[tuple[int, int, str], str] = {(385, 365, "midist"): "s"}

#: Codes in capdist.csv for states that are not in the COW system (dropped by
#: ``read_capdist(numbering="cow")``).
CAPDIST_GW_ONLY: Mapping[int, str] = {
    563: "Transvaal",
    564: "Orange Free State",
    711: "Tibet",
    815: "Vietnam (Annam/Cochin China/Tonkin, before French rule)",
}

#: COW system members (1816-2016) with no row in capdist.csv: their distances are missing.
CAPDIST_COW_ABSENT: Mapping[int, str] = {
    240: "Hanover",
    245: "Bavaria",
    267: "Baden",
    269: "Saxony",
    271: "Wuerttemberg",
    273: "Hesse Electoral",
    275: "Hesse Grand Ducal",
    280: "Mecklenburg Schwerin",
    327: "Papal States",
    329: "Two Sicilies",
    332: "Modena",
    335: "Parma",
    337: "Tuscany",
    347: "Kosovo",
    626: "South Sudan",
    946: "Kiribati",
    947: "Tuvalu",
    955: "Tonga",
    970: "Nauru",
}

#: Codes whose capdist letter code differs from the COW ``stateabb`` (numbers agree).
CAPDIST_LABEL_DIFFERENCES: Mapping[int, tuple[str, str]] = {
    200: ("UK", "UKG"),
    345: ("SER and YUG", "YUG"),
    360: ("RUM", "ROM"),
    950: ("FJI", "FIJ"),
}

_ATOP_MEMBER_COLUMNS = (
    "atopid cowid cow4id member cowsys yrent moent dayent yrexit moexit dayexit ineffect bilat "
    "phase maxphase wartime cowwar estmode pubsecr secrart proadd futmem speclgth length renounce "
    "proren renewlgt term termmode termcaus defense offense neutral nonagg consul active conditio "
    "defcon offcon neucon concon defcoadv defcoloc defcocon defconum defcodem defconpr offcoadv "
    "offcoloc offcocon offconum offcodem neucoadv neucoloc neucocon neuconum neucodem neuconpr "
    "neucoatt concoadv concoloc concocon concoreq olimob asymm obvary notaiden dipaid terrres "
    "seppeace thirdcom noothall specthrt statthr1 statthr2 conwtin medarb milcon milaid intcom "
    "subord organ1 orgpurp1 organ2 orgpurp2 base contrib armred acqterr divgains demwith reflnun "
    "refothio natrefal compag nomicoop conres agprois conmen ecaid interv source new5 rev5 version"
).split()
_ATOP_MEMBER_REQUIRED = frozenset(
    "atopid member yrent moent yrexit moexit phase defense offense neutral nonagg consul".split()
)
ATOP_MEMBERS_SCHEMA: dict[str, ColType] = {
    c: ("string" if c == "version" else "int64" if c in _ATOP_MEMBER_REQUIRED else "Int64")
    for c in _ATOP_MEMBER_COLUMNS
}

_ATOP_ALLIANCE_PROVISIONS = (
    "atopid cowid cow4id begyr begmo begday endyr endmo endday ineffect bilat maxphase wartime "
    "estmode pubsecr secrart proadd futmem speclgth length renounce proren renewlgt term defense "
    "offense neutral nonagg consul active conditio defcon offcon neucon concon asymm notaiden "
    "dipaid terrres seppeace thirdcom noothall specthrt statthr1 statthr2 conwtin medarb milcon "
    "milaid intcom subord organ1 orgpurp1 organ2 orgpurp2 base contrib armred acqterr divgains "
    "demwith reflnun refothio natrefal compag nomicoop conres agprois conmen ecaid interv"
).split()
_ATOP_ALLIANCE_COLUMNS = [
    *_ATOP_ALLIANCE_PROVISIONS,
    *(f"mem{i}" for i in range(1, 60)),
    *("source", "new5", "rev5", "version"),
]
_ATOP_ALLIANCE_REQUIRED = frozenset(
    "atopid begyr begmo endyr endmo defense offense neutral nonagg consul mem1 mem2".split()
)
ATOP_ALLIANCES_SCHEMA: dict[str, ColType] = {
    c: ("string" if c == "version" else "int64" if c in _ATOP_ALLIANCE_REQUIRED else "Int64")
    for c in _ATOP_ALLIANCE_COLUMNS
}


# --------------------------------------------------------------------------- readers


def _read(key: str, schema: Mapping[str, ColType], external_dir: PathArg) -> pd.DataFrame:
    path = raw_path(key, external_dir)
    return to_pandas(read_arrow(path, schema), schema, path)


def read_states(external_dir: PathArg = None) -> pd.DataFrame:
    """Read the COW State System Membership list, v2016 (state spells).

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets (default: see
        :func:`~walt_alliances.sources.registry.resolve_external_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per membership spell (243 rows): ``stateabb`` (string), ``ccode`` (int64, COW
        state code), ``statenme`` (string), ``styear``, ``stmonth``, ``stday``, ``endyear``,
        ``endmonth``, ``endday`` (int64; spells still running end 2016-12-31), ``version``
        (int64, 2016).

    Raises
    ------
    RawDataError
        If the file is missing, changed, or does not match the declared columns.
    """
    return _read("cow_states", STATES_SCHEMA, external_dir)


def read_system(external_dir: PathArg = None) -> pd.DataFrame:
    """Read the COW state-year list, v2016 (``system2016.csv``).

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per state-year (15,951 rows, 1816-2016): ``stateabb`` (string), ``ccode``,
        ``year``, ``version`` (int64). A state-year is listed when the state was a system
        member on any day of that year.

    Raises
    ------
    RawDataError
        If the file is missing, changed, or does not match the declared columns.
    """
    return _read("cow_system", SYSTEM_SCHEMA, external_dir)


def read_majors(external_dir: PathArg = None) -> pd.DataFrame:
    """Read the COW major-power spells, v2016 (``majors2016.csv``).

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per major-power spell (14 rows): ``stateabb`` (string), ``ccode``, ``styear``,
        ``stmonth``, ``stday``, ``endyear``, ``endmonth``, ``endday``, ``version`` (int64).

    Raises
    ------
    RawDataError
        If the file is missing, changed, or does not match the declared columns.
    """
    return _read("cow_majors", MAJORS_SCHEMA, external_dir)


def _nmc_arrow(external_dir: PathArg, include: list[str] | None = None) -> pa.Table:
    path = raw_path("cow_nmc", external_dir)
    table = read_arrow(path, NMC_SCHEMA, include=include)
    coded = [c for c in _NMC_CODED if c in table.column_names]
    return replace_code_with_null(table, coded, NMC_MISSING_CODE)


def read_nmc(external_dir: PathArg = None) -> pd.DataFrame:
    """Read COW National Material Capabilities, v6.0 (abridged state-year file).

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per state-year (15,951 rows, 1816-2016) with columns

        - ``stateabb`` (string), ``ccode``, ``year`` (int64);
        - ``milex`` (Int64): military expenditure, **thousands of current US dollars**
          (before 1914 the documentation's currency conversions apply);
        - ``milper`` (Int64): military personnel, thousands;
        - ``irst`` (Int64): iron and steel production, thousands of tons;
        - ``pec`` (Int64): primary energy consumption, thousands of coal-ton equivalents;
        - ``tpop``, ``upop`` (float64): total and urban population, thousands (the file has
          fractional values, e.g. 4517.6);
        - ``cinc`` (float64): Composite Index of National Capability (share of the system);
        - ``version`` (int64): as printed in the file (2021, the release year of v6.0).

    Raises
    ------
    RawDataError
        If the file is missing, changed, or does not match the declared columns.

    Notes
    -----
    The file codes missing values as ``-9``. Every ``-9`` in the measure columns becomes a
    missing value (``<NA>`` in Int64 columns, ``NaN`` in float columns); it never survives as a
    number.
    """
    path = raw_path("cow_nmc", external_dir)
    return to_pandas(_nmc_arrow(external_dir), NMC_SCHEMA, path)


def read_contiguity(external_dir: PathArg = None) -> pd.DataFrame:
    """Read COW Direct Contiguity v3.2 (peacesciencer's directed ``cow_contdir``).

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per directed contiguity spell (1,874 rows; each master record appears as
        (a, b) and (b, a)): ``ccode1``, ``ccode2`` (int64, COW codes), ``conttype`` (int64:
        1 land or river border, 2 separated by <= 12 miles of water, 3 <= 24, 4 <= 150,
        5 <= 400, 0 no contiguity; see Notes), ``stdate``, ``enddate`` (``datetime64[s]``;
        the original records give only year and month, so the day is meaningless and both
        ends are inclusive months).

    Raises
    ------
    RawDataError
        If the file is missing, changed, or does not match the declared columns.

    Notes
    -----
    This is not the COW release file: it is the ``cow_contdir`` object of the R package
    peacesciencer, converted to CSV. The codes are stored as floats (``2.0``) in the file; they
    are checked to be whole numbers and returned as integers.

    The 180 rows with ``conttype == 0`` are not COW master records: peacesciencer added them
    (``data-raw/cow_contdir.R``) for the months when both states of a dyad that has a
    contiguity record at some time were system members but had no contiguity record, e.g.
    USA-Russia 1816-1958. They mark "not contiguous" and must not be read as a contiguity type.
    """
    return _read("cow_contiguity", CONTIGUITY_SCHEMA, external_dir)


def _capdist_table(external_dir: PathArg) -> tuple[pa.Table, Path]:
    """Read capdist.csv with ``midist`` as nullable int64 (known defects become null)."""
    path = raw_path("capdist", external_dir)
    table = read_arrow(path, _CAPDIST_READ_SCHEMA)
    numa = table.column("numa").to_numpy()
    numb = table.column("numb").to_numpy()
    midist = table.column("midist")
    defect = np.zeros(numa.size, dtype=bool)
    for (a, b, column), text in CAPDIST_KNOWN_DEFECTS.items():
        hit = (numa == a) & (numb == b)
        if column == "midist" and hit.any():
            if not pc.all(pc.equal(midist.filter(pa.array(hit)), text)).as_py():
                raise RawDataError(f"{path}: known defect ({a}, {b}, {column}) has changed")
            defect |= hit
    digits = pc.fill_null(pc.utf8_is_digit(midist), False).to_numpy(zero_copy_only=False)
    bad = np.flatnonzero(~digits & ~defect)
    if bad.size:
        shown = ", ".join(f"row {i + 1}: {midist[int(i)].as_py()!r}" for i in bad[:10])
        raise RawDataError(f"{path}: non-integer midist values: {shown}")
    values = pc.cast(pc.if_else(pa.array(defect), "0", midist), pa.int64()).to_numpy()
    mi = pa.array(values, mask=defect, type=pa.int64())
    idx = table.schema.get_field_index("midist")
    return table.set_column(idx, "midist", mi), path


def _capdist_cow_arrays(external_dir: PathArg) -> dict[str, np.ndarray]:
    """Return capital distances keyed by COW codes, as numpy arrays (see :func:`read_capdist`).

    ``midist`` is returned as float64 with NaN where missing.
    """
    table, path = _capdist_table(external_dir)
    a = table.column("numa").to_numpy()
    b = table.column("numb").to_numpy()
    km = table.column("kmdist").to_numpy()
    mi = table.column("midist").to_numpy(zero_copy_only=False).astype(np.float64)
    gw_only = np.array(sorted(CAPDIST_GW_ONLY), dtype=np.int64)
    keep = ~(np.isin(a, gw_only) | np.isin(b, gw_only)) & (a != b)
    a, b, km, mi = a[keep], b[keep], km[keep], mi[keep]
    # 345 appears twice (labels SER and YUG): keep one row per pair, after checking agreement.
    key = a * 1000 + b
    order = np.argsort(key, kind="stable")
    key, a, b, km, mi = key[order], a[order], b[order], km[order], mi[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    group = np.cumsum(first) - 1
    mi_first = mi[first][group]
    if np.any(km != km[first][group]) or np.any((mi != mi_first) & ~np.isnan(mi)):
        raise RawDataError(f"{path}: duplicated code pairs with different distances")
    return {
        "ccode1": a[first].astype(np.int64),
        "ccode2": b[first].astype(np.int64),
        "kmdist": km[first].astype(np.int64),
        "midist": mi[first],
    }


def read_capdist(
    external_dir: PathArg = None, *, numbering: Literal["cow", "gw"] = "cow"
) -> pd.DataFrame:
    """Read Gleditsch and Ward's capital-to-capital distances (``capdist.csv``).

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets.
    numbering : {"cow", "gw"}, default "cow"
        ``"gw"`` returns the file as it is: ``numa``, ``ida``, ``numb``, ``idb`` (numbers and
        letter codes), ``kmdist`` (int64), ``midist`` (Int64), 41,006 directed rows.
        ``"cow"`` returns one row per ordered pair of distinct COW codes: ``ccode1``,
        ``ccode2``, ``kmdist`` (km, int64), ``midist`` (miles, Int64), sorted by
        (``ccode1``, ``ccode2``).

    Returns
    -------
    pandas.DataFrame
        The distances (static: one capital per code, no dates).

    Raises
    ------
    ValueError
        If ``numbering`` is not ``"cow"`` or ``"gw"``.
    RawDataError
        If the file is missing, changed, does not match the declared columns, or its duplicated
        pairs disagree.

    Notes
    -----
    Gleditsch-Ward (GW) numbering differs from COW's in a few places (GW: 260 = Germany from
    1949 including after 1990, 340 = Serbia, 678 = Yemen including the united Yemen after 1990,
    and no 679). This copy of ``capdist.csv`` was checked against the COW system 1816-2016 and
    already carries COW numbers wherever they differ:

    - Yemen: 678 ``YAR`` (Sanaa), 679 ``YEM`` (united Yemen, Sanaa: distances identical to
      678's, 678-679 = 0 km) and 680 ``YPR`` (Aden, 340 km from Sanaa) are all present, so
      COW 678, 679 and 680 map to themselves.
    - Germany: 255 ``GMY`` (Berlin; 0 km from 265 ``GDR``) and 260 ``GFR`` (Bonn, 494 km from
      Berlin) are present, matching COW 255 (Prussia/Germany 1816-1945, Germany 1990-) and
      COW 260 (West Germany 1955-1990).
    - Serbia/Yugoslavia: code 345 appears under two letter codes, ``SER`` and ``YUG``, with
      identical distances (Belgrade); GW's 340 does not occur. With ``numbering="cow"`` the
      duplicated 345 rows (and the two 345-345 rows) are dropped after checking they agree.
    - Codes not in the COW system, dropped with ``numbering="cow"``: see
      :data:`CAPDIST_GW_ONLY` (563 Transvaal, 564 Orange Free State, 711 Tibet, 815 Vietnam).
    - COW members absent from the file (distances missing, never imputed): see
      :data:`CAPDIST_COW_ABSENT` (the German and Italian states before unification, Kosovo,
      South Sudan, Kiribati, Tuvalu, Tonga, Nauru).
    - Letter codes that differ while numbers agree: :data:`CAPDIST_LABEL_DIFFERENCES`.

    One cell is defective: see :data:`CAPDIST_KNOWN_DEFECTS` (Norway->Russia ``midist`` is the
    text ``s``); it is returned as missing. Any other non-integer value is an error.

    Because distances are static, capital moves (e.g. Bonn to Berlin) are not dated; each
    code has the one capital the file gives it.
    """
    if numbering == "gw":
        table, path = _capdist_table(external_dir)
        return to_pandas(table, CAPDIST_SCHEMA, path)
    if numbering != "cow":
        raise ValueError(f"numbering must be 'cow' or 'gw', got {numbering!r}")
    arrays = _capdist_cow_arrays(external_dir)
    df = pd.DataFrame(arrays, copy=False)
    df["midist"] = pd.array(
        np.where(np.isnan(arrays["midist"]), 0, arrays["midist"]).astype(np.int64), dtype="Int64"
    )
    df.loc[np.isnan(arrays["midist"]), "midist"] = pd.NA
    return df


def read_atop_members(external_dir: PathArg = None) -> pd.DataFrame:
    """Read ATOP v5.1 member-level data (``atop5_1m.csv``).

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per member per alliance phase (2,510 rows, 105 columns, in file order).
        ``atopid``, ``member`` (COW code), ``yrent``, ``moent``, ``yrexit``, ``moexit``,
        ``phase`` and the obligation dummies ``defense``, ``offense``, ``neutral``,
        ``nonagg``, ``consul`` are int64 (never missing); ``version`` is a string (``"5.1"``);
        every other column is nullable ``Int64``.

    Raises
    ------
    RawDataError
        If the file is missing, changed, or does not match the declared columns.

    Notes
    -----
    Values are as in the file. In particular ``yrexit == 0`` (with ``moexit``/``dayexit`` 0)
    means the state was still a member at the end of ATOP's coverage (2018); it is not a
    year. ``cowid``/``cow4id`` are the COW alliance ids where ATOP links one.
    """
    return _read("atop_members", ATOP_MEMBERS_SCHEMA, external_dir)


def read_atop_alliances(external_dir: PathArg = None) -> pd.DataFrame:
    """Read ATOP v5.1 alliance-level data (``atop5_1a.csv``).

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per alliance (789 rows, 134 columns, in file order). ``atopid``, ``begyr``,
        ``begmo``, ``endyr``, ``endmo``, the obligation dummies and ``mem1``, ``mem2`` are
        int64; ``version`` is a string; every other column (including ``mem3`` ... ``mem59``,
        empty when the alliance has fewer members) is nullable ``Int64``.

    Raises
    ------
    RawDataError
        If the file is missing, changed, or does not match the declared columns.

    Notes
    -----
    ``endyr == 0`` means the alliance was in force at the end of ATOP's coverage (2018).
    """
    return _read("atop_alliances", ATOP_ALLIANCES_SCHEMA, external_dir)
