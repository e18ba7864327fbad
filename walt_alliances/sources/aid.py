"""Readers for aid and arms-transfer data: US Greenbook summary, SIPRI TIV imports and dyad-years.

Three raw files, each checked against the registry (size and sha256) before it is read with
explicit dtypes:

``us_aid`` -- ``us_aid/us_foreign_aid_country.csv``
    USAID Foreign Aid Explorer / Greenbook country summary: one row per recipient country,
    fiscal year and transaction type (``Obligations`` or ``Disbursements``), in current and
    constant US dollars. What it does **not** give: no split between economic and military aid,
    no split by agency or programme, no loans vs grants, and no statement of the constant-dollar
    base year. Disbursements start only in FY2001. Years are US **fiscal** years (to FY1976:
    July-June; FY1977 on: October-September), plus the transition quarter ``1976tq``
    (July-September 1976). Amounts can be negative (de-obligations).
``sipri_tiv_imports`` -- ``sipri/TIV-Import-All-1950-2020.csv``
    SIPRI trend-indicator values (TIV, millions) of arms imports by recipient and year,
    1950-2020, all suppliers together, as a wide table with a ``Total`` row and column. A blank
    cell means SIPRI recorded no delivery; ``0`` means a delivery below 0.5 million TIV.
``sipri_dyad_gannon`` -- ``sipri/sipri_dyad-year_gannon.csv`` (NOT RAW)
    Supplier x recipient x year TIV for 1970-2014 only, built by J. A. Gannon with COW codes
    (``ccode1`` = supplier/sender, ``ccode2`` = recipient/receiver). Known gap: deliveries by the
    Soviet Union are recorded as 0 for 1970-1991 (only "Russia" from 1992 is matched), and the
    Yemens and the UAE never appear as recipients; see :func:`gannon_recipient_completeness`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from walt_alliances.errors import RawDataError
from walt_alliances.sources.registry import raw_path

__all__ = [
    "GANNON_YEARS",
    "GREENBOOK_TO_COW",
    "cow_exact_name_matches",
    "SIPRI_RECIPIENT_TO_COW",
    "gannon_recipient_completeness",
    "greenbook_state_years",
    "read_greenbook",
    "read_sipri_gannon",
    "tiv_long",
    "read_sipri_tiv_imports",
    "sipri_imports_state_years",
]

PathLike = str | os.PathLike[str] | None

# --------------------------------------------------------------------------------------------
# US aid: Greenbook country summary
# --------------------------------------------------------------------------------------------

_GREENBOOK_DTYPES: dict[str, str] = {
    "country_code": "string",
    "country_name": "string",
    "region_id": "Int64",
    "region_name": "string",
    "income_group_acronym": "string",
    "income_group_name": "string",
    "transaction_type_id": "Int64",
    "transaction_type_name": "string",
    "fiscal_year": "string",
    "current_amount": "Int64",
    "constant_amount": "Int64",
}

#: Greenbook recipients for the states in scope: (country_code, country_name) -> (COW code,
#: first fiscal year, last fiscal year the mapping applies to). ``NULL`` is the file's code for
#: entities without an ISO3 code (former states). The United States (COW 2) is not a recipient.
#: "Yemen" (YEM) before unification (FY1990) is the Yemen Arab Republic (North Yemen);
#: "Sudan (former)" (SDF) is Sudan before the secession of South Sudan.
GREENBOOK_TO_COW: dict[tuple[str, str], tuple[int, int, int]] = {
    ("GBR", "United Kingdom"): (200, 1946, 2100),
    ("FRA", "France"): (220, 1946, 2100),
    ("NULL", "Soviet Union (former)"): (365, 1946, 1991),
    ("RUS", "Russia"): (365, 1992, 2100),
    ("PAK", "Pakistan"): (770, 1946, 2100),
    ("MAR", "Morocco"): (600, 1946, 2100),
    ("DZA", "Algeria"): (615, 1946, 2100),
    ("TUN", "Tunisia"): (616, 1946, 2100),
    ("LBY", "Libya"): (620, 1946, 2100),
    ("SDF", "Sudan (former)"): (625, 1946, 2011),
    ("IRN", "Iran"): (630, 1946, 2100),
    ("TUR", "Turkey"): (640, 1946, 2100),
    ("IRQ", "Iraq"): (645, 1946, 2100),
    ("EGY", "Egypt"): (651, 1946, 2100),
    ("SYR", "Syria"): (652, 1946, 2100),
    ("LBN", "Lebanon"): (660, 1946, 2100),
    ("JOR", "Jordan"): (663, 1946, 2100),
    ("ISR", "Israel"): (666, 1946, 2100),
    ("SAU", "Saudi Arabia"): (670, 1946, 2100),
    ("YEM", "Yemen"): (678, 1946, 1989),
    ("NULL", "Yemen (former P.D.R.)"): (680, 1946, 1990),
    ("KWT", "Kuwait"): (690, 1946, 2100),
    ("BHR", "Bahrain"): (692, 1946, 2100),
    ("QAT", "Qatar"): (694, 1946, 2100),
    ("ARE", "United Arab Emirates"): (696, 1946, 2100),
    ("OMN", "Oman"): (698, 1946, 2100),
    # Southwest Asia and the Horn (the Gulf extension): names identical to COW's.
    ("AFG", "Afghanistan"): (700, 1946, 2100),
    ("ETH", "Ethiopia"): (530, 1946, 2100),
}

#: COW codes that are never Greenbook recipients (the donor itself): aid is "not applicable".
GREENBOOK_NOT_APPLICABLE: frozenset[int] = frozenset({2})


def cow_exact_name_matches(names: Iterable[str], states: pd.DataFrame,
                           exclude_codes: Iterable[int] = ()) -> dict[str, tuple[int, int, int]]:
    """Map names that equal exactly one COW state name to that state, within its COW years.

    The whole-system rule for sources keyed by country name (Greenbook, SIPRI) beyond the
    hand-checked mappings (:data:`GREENBOOK_TO_COW`, :data:`SIPRI_RECIPIENT_TO_COW`): a name
    identical to the ``statenme`` of exactly one COW code maps to it, for the years from the
    state's first entry to its last exit (state-years outside membership are dropped later by
    the state system). Codes in ``exclude_codes`` (already mapped by hand) are never matched
    again, so no state-year is counted twice. Names that match no COW name, or an ambiguous
    one (e.g. "Korea Republic", "Congo (Kinshasa)", "Serbia"), stay unmapped: their values are
    missing, never 0.

    Parameters
    ----------
    names : iterable of str
        Country names of the source.
    states : pandas.DataFrame
        COW membership spells (``ccode``, ``statenme``, ``styear``, ``endyear``).
    exclude_codes : iterable of int
        COW codes mapped by hand.

    Returns
    -------
    dict
        name -> (COW code, first year, last year).
    """
    excluded = set(exclude_codes)
    spans = states.groupby(["statenme"], observed=True).agg(
        n=("ccode", "nunique"), ccode=("ccode", "first"), first=("styear", "min"),
        last=("endyear", "max"))
    out: dict[str, tuple[int, int, int]] = {}
    for name in sorted({str(n) for n in names}):
        if name not in spans.index:
            continue
        row = spans.loc[name]
        if int(row["n"]) != 1 or int(row["ccode"]) in excluded:
            continue
        out[name] = (int(row["ccode"]), int(row["first"]), int(row["last"]))
    return out


def read_greenbook(external_dir: PathLike = None) -> pd.DataFrame:
    """Read the US foreign aid (Greenbook / Foreign Aid Explorer) country summary, as published.

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets; default as in
        :func:`walt_alliances.sources.registry.resolve_external_dir`.

    Returns
    -------
    pandas.DataFrame
        15,294 rows: ``country_code`` (ISO3, or the text ``"NULL"`` for former states),
        ``country_name``, region and income group, ``transaction_type_name``
        (``"Obligations"``/``"Disbursements"``), ``fiscal_year`` (text: ``"1946"`` ...
        ``"2021"`` and ``"1976tq"``, the transition quarter), ``current_amount`` and
        ``constant_amount`` (whole US dollars, ``Int64``; may be negative).

    Notes
    -----
    No economic/military split, no programme or agency detail, no loan/grant split and no
    constant-dollar base year are in this file.
    """
    path: Path = raw_path("us_aid", external_dir)
    header = pd.read_csv(path, nrows=0)
    if list(header.columns) != list(_GREENBOOK_DTYPES):
        raise RawDataError(f"{path}: columns differ from the expected Greenbook layout")
    try:
        df = pd.read_csv(path, dtype=_GREENBOOK_DTYPES, keep_default_na=False, na_values=[])
    except (ValueError, TypeError) as exc:
        raise RawDataError(f"{path}: {exc}") from exc
    bad = ~df["fiscal_year"].str.fullmatch(r"\d{4}(tq)?")
    if bad.any():
        raise RawDataError(
            f"{path}: unexpected fiscal_year values {df.loc[bad, 'fiscal_year'].unique()}"
        )
    return df


def greenbook_state_years(
    greenbook: pd.DataFrame, ccodes: list[int] | None = None, *,
    states: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, tuple[int, int]]:
    """US aid obligations by COW state and fiscal year, with zeros only inside coverage.

    Parameters
    ----------
    greenbook : pandas.DataFrame
        As returned by :func:`read_greenbook`.
    ccodes : list of int, optional
        COW codes to return (default: every mapped code); codes the mapping does not cover
        get no rows (their aid is unknown, never 0).
    states : pandas.DataFrame, optional
        COW membership spells: when given, recipients beyond :data:`GREENBOOK_TO_COW` are
        mapped by exact COW name (:func:`cow_exact_name_matches`).

    Returns
    -------
    table : pandas.DataFrame
        One row per (``ccode``, ``year``) for every requested recipient and every fiscal year in
        the file's coverage: ``us_aid_oblig_current`` and ``us_aid_oblig_constant`` (US dollars,
        ``Int64``) and ``us_aid_fy_months`` (12, or 15 for 1976, see Notes). Codes in
        :data:`GREENBOOK_NOT_APPLICABLE` get no rows.
    coverage : tuple of int
        First and last fiscal year of the file (numeric years only).

    Notes
    -----
    - Zero vs missing: the summary lists a row only where an amount was obligated; a mapped
      recipient without a row in a fiscal year inside the file's coverage received no recorded
      obligation, and gets 0. Years outside the coverage get no row here (missing after a merge).
    - The transition quarter (``1976tq``, July-September 1976) is added to FY1976, which then
      spans 15 months (``us_aid_fy_months`` = 15); no amount is dropped.
    - Only obligations: disbursements start in FY2001 in this file.
    """
    df = greenbook[greenbook["transaction_type_name"] == "Obligations"].copy()
    df["fy"] = df["fiscal_year"].str.slice(0, 4).astype(int)
    years = df.loc[~df["fiscal_year"].str.endswith("tq"), "fy"]
    coverage = (int(years.min()), int(years.max()))
    mapping: dict[tuple[str, str], tuple[int, int, int]] = dict(GREENBOOK_TO_COW)
    if states is not None:
        by_name = cow_exact_name_matches(
            df["country_name"].dropna(), states,
            {v[0] for v in GREENBOOK_TO_COW.values()} | set(GREENBOOK_NOT_APPLICABLE))
        for code, name in set(zip(df["country_code"], df["country_name"], strict=True)):
            if (code, name) not in mapping and name in by_name:
                mapping[(code, name)] = by_name[name]
    key = pd.Series(list(zip(df["country_code"], df["country_name"], strict=True)), index=df.index)
    spec = key.map(mapping)
    mapped = spec.notna()
    df = df[mapped].copy()
    spec = spec[mapped]
    df["ccode"] = [s[0] for s in spec]
    first = np.array([s[1] for s in spec])
    last = np.array([s[2] for s in spec])
    df = df[(df["fy"].to_numpy() >= first) & (df["fy"].to_numpy() <= last)]
    sums = (
        df.groupby(["ccode", "fy"], as_index=False)[["current_amount", "constant_amount"]]
        .sum()
        .rename(columns={"fy": "year"})
    )
    mapped_codes = {v[0] for v in mapping.values()}
    wanted = sorted(mapped_codes if ccodes is None else set(ccodes))
    # only recipients the file is mapped for get rows (and zeros): an unmapped state's aid is
    # unknown, never 0
    wanted = [c for c in wanted if c not in GREENBOOK_NOT_APPLICABLE and c in mapped_codes]
    grid = pd.MultiIndex.from_product(
        [wanted, range(coverage[0], coverage[1] + 1)], names=["ccode", "year"]
    ).to_frame(index=False)
    out = grid.merge(sums, on=["ccode", "year"], how="left")
    out["us_aid_oblig_current"] = out.pop("current_amount").fillna(0).astype("Int64")
    out["us_aid_oblig_constant"] = out.pop("constant_amount").fillna(0).astype("Int64")
    out["us_aid_fy_months"] = pd.array(np.where(out["year"] == 1976, 15, 12), dtype="Int64")
    out["ccode"] = out["ccode"].astype("Int64")
    out["year"] = out["year"].astype("Int64")
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True), coverage


# --------------------------------------------------------------------------------------------
# SIPRI TIV of imports, recipient x year
# --------------------------------------------------------------------------------------------

#: SIPRI recipient names for the states in scope -> (COW code, first year, last year).
#: "North Yemen" and "Yemen Arab Republic" are two rows of the file for the same state (the
#: second holds only 1963 and 1967 values); both map to 678 and are summed. "Soviet Union" is
#: 365 to 1991, "Russia" 365 from 1992.
SIPRI_RECIPIENT_TO_COW: dict[str, tuple[int, int, int]] = {
    "United States": (2, 1950, 2100),
    "United Kingdom": (200, 1950, 2100),
    "France": (220, 1950, 2100),
    "Soviet Union": (365, 1950, 1991),
    "Russia": (365, 1992, 2100),
    "Pakistan": (770, 1950, 2100),
    "Morocco": (600, 1950, 2100),
    "Algeria": (615, 1950, 2100),
    "Tunisia": (616, 1950, 2100),
    "Libya": (620, 1950, 2100),
    "Sudan": (625, 1950, 2100),
    "Iran": (630, 1950, 2100),
    "Turkey": (640, 1950, 2100),
    "Iraq": (645, 1950, 2100),
    "Egypt": (651, 1950, 2100),
    "Syria": (652, 1950, 2100),
    "Lebanon": (660, 1950, 2100),
    "Jordan": (663, 1950, 2100),
    "Israel": (666, 1950, 2100),
    "Saudi Arabia": (670, 1950, 2100),
    "North Yemen": (678, 1950, 1990),
    "Yemen Arab Republic": (678, 1950, 1990),
    "South Yemen": (680, 1950, 1990),
    "Kuwait": (690, 1950, 2100),
    "Bahrain": (692, 1950, 2100),
    "Qatar": (694, 1950, 2100),
    "UAE": (696, 1950, 2100),
    "Oman": (698, 1950, 2100),
    # Southwest Asia and the Horn (the Gulf extension): SIPRI's names, COW's codes.
    "Afghanistan": (700, 1950, 2100),
    "Ethiopia": (530, 1950, 2100),
    "Yemen": (679, 1990, 2100),
}


def tiv_long(wide: pd.DataFrame, path: object) -> pd.DataFrame:
    """A SIPRI TIV table (``recipient`` then one column per year) in long form.

    Parameters
    ----------
    wide : pandas.DataFrame
        The table as strings: ``recipient`` and year columns (blank cells: nothing recorded).
    path : path-like
        Its file, for error messages.

    Returns
    -------
    pandas.DataFrame
        ``recipient`` (``string``), ``year``, ``tiv`` (``Int64``; ``<NA>`` where blank) and
        ``recorded`` (``Int64``: 1 where the cell holds a value), sorted by recipient and year.

    Raises
    ------
    walt_alliances.errors.RawDataError
        Naming the first cell that is not a whole number.
    """
    long = wide.melt(id_vars="recipient", var_name="year", value_name="cell")
    blank = long["cell"].str.strip() == ""
    bad = ~blank & ~long["cell"].str.fullmatch(r"\d+")
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise RawDataError(f"{path}: recipient {long['recipient'].iloc[i]!r}, year "
                           f"{long['year'].iloc[i]}: TIV {long['cell'].iloc[i]!r} is not a "
                           "whole number")
    out = pd.DataFrame({
        "recipient": long["recipient"].astype("string"),
        "year": long["year"].astype("int64").astype("Int64"),
        "tiv": pd.to_numeric(long["cell"].mask(blank)).astype("Int64"),
        "recorded": pd.array((~blank).astype("int64"), dtype="Int64"),
    })
    return out.sort_values(["recipient", "year"], kind="mergesort").reset_index(drop=True)


def read_sipri_tiv_imports(external_dir: PathLike = None) -> tuple[pd.DataFrame, tuple[int, int]]:
    """Read SIPRI TIV of arms imports (all suppliers) by recipient and year, in long form.

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets.

    Returns
    -------
    table : pandas.DataFrame
        One row per (recipient, year) of the file's grid, the ``Total`` row and column dropped:
        ``recipient`` (SIPRI's name, ``string``; a trailing ``*`` marks non-state actors, ``**``
        organizations), ``year`` (``Int64``), ``tiv`` (TIV millions, ``Int64``; ``<NA>`` where
        the cell is blank) and ``recorded`` (``Int64``: 1 where the cell holds a value, 0 where
        it is blank).
    coverage : tuple of int
        First and last year of the file's columns (1950, 2020).

    Raises
    ------
    walt_alliances.errors.RawDataError
        If the layout is not ``Country, <years...>, Total`` or a cell is not a whole number.
    """
    path = raw_path("sipri_tiv_imports", external_dir)
    wide = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[])
    cols = list(wide.columns)
    if cols[0] != "Country" or cols[-1] != "Total" or not all(c.isdigit() for c in cols[1:-1]):
        raise RawDataError(f"{path}: expected columns Country, <years>, Total; found {cols[:3]}...")
    years = [int(c) for c in cols[1:-1]]
    if years != list(range(years[0], years[-1] + 1)):
        raise RawDataError(f"{path}: year columns are not consecutive")
    wide = wide[(wide["Country"] != "Total") & (wide["Country"] != "")]
    out = tiv_long(wide.drop(columns="Total").rename(columns={"Country": "recipient"}), path)
    return out, (years[0], years[-1])


def sipri_imports_state_years(imports: pd.DataFrame, coverage: tuple[int, int], *,
                              states: pd.DataFrame | None = None) -> pd.DataFrame:
    """SIPRI TIV imports by COW state and year, 0 only where SIPRI covers the recipient.

    Parameters
    ----------
    imports : pandas.DataFrame
        Long table from :func:`read_sipri_tiv_imports`.
    coverage : tuple of int
        Its year coverage.
    states : pandas.DataFrame, optional
        COW membership spells: when given, recipients beyond :data:`SIPRI_RECIPIENT_TO_COW` are
        mapped by exact COW name (:func:`cow_exact_name_matches`).

    Returns
    -------
    pandas.DataFrame
        ``ccode``, ``year`` (every year of ``coverage`` inside each name's mapping years),
        ``sipri_tiv_imports`` (TIV millions, all suppliers; 0 where SIPRI lists the recipient
        but recorded no delivery that year) and ``sipri_tiv_imports_recorded`` (1 where SIPRI
        recorded a value, including ``0`` = below 0.5 million; 0 where the cell is blank).

    Notes
    -----
    "Not covered" vs "nothing recorded": SIPRI's import table lists every recipient that
    received any transfer in 1950-2020; a recipient with a row is covered in every year of the
    table (and of its mapping in :data:`SIPRI_RECIPIENT_TO_COW`), and a blank cell there is
    "nothing recorded" (0). A state with no row at all, or a year outside the table, is not
    covered (no row here, missing after a merge). Whether the state existed that year is left
    to the caller (state-years exist only where COW's system list says so).
    """
    mapping = dict(SIPRI_RECIPIENT_TO_COW)
    if states is not None:
        mapping.update(cow_exact_name_matches(
            imports["recipient"].dropna(), states,
            {v[0] for v in SIPRI_RECIPIENT_TO_COW.values()}))
    spec = imports["recipient"].map(mapping)
    df = imports[spec.notna()].copy()
    spec = spec[spec.notna()]
    df["ccode"] = [s[0] for s in spec]
    first = np.array([s[1] for s in spec])
    last = np.array([s[2] for s in spec])
    yr = df["year"].to_numpy(dtype=int)
    df = df[(yr >= first) & (yr <= last) & (yr >= coverage[0]) & (yr <= coverage[1])]
    df["tiv"] = df["tiv"].fillna(0)  # blank = nothing recorded (the recipient is covered)
    out = df.groupby(["ccode", "year"], as_index=False).agg(
        sipri_tiv_imports=("tiv", "sum"),
        sipri_tiv_imports_recorded=("recorded", "max"),
    )
    out["ccode"] = out["ccode"].astype("Int64")
    out["year"] = out["year"].astype("Int64")
    out["sipri_tiv_imports"] = out["sipri_tiv_imports"].astype("Int64")
    out["sipri_tiv_imports_recorded"] = out["sipri_tiv_imports_recorded"].astype("Int64")
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# SIPRI dyad-year (Gannon)
# --------------------------------------------------------------------------------------------

#: Years of the Gannon SIPRI dyad-year file.
GANNON_YEARS: tuple[int, int] = (1970, 2014)

_GANNON_DTYPES: dict[str, str] = {
    "year": "float64",
    "sender": "string",
    "ccode1": "float64",
    "receiver": "string",
    "ccode2": "float64",
    "value": "float64",
}


def read_sipri_gannon(external_dir: PathLike = None) -> pd.DataFrame:
    """Read J. A. Gannon's SIPRI supplier-recipient-year TIV file (1970-2014; NOT RAW).

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        ``year`` (``Int64``), ``supplier`` and ``recipient`` (names, ``string``),
        ``supplier_ccode`` and ``recipient_ccode`` (COW codes, ``Int64``; the file's ``ccode1``
        and ``ccode2``) and ``tiv`` (TIV millions, ``float64``; halves occur). The file's
        integer columns are written as floats (``1993.0``); they are checked to be whole.

    Raises
    ------
    walt_alliances.errors.RawDataError
        If a key column is missing or not a whole number, or a (supplier, recipient, year)
        repeats.
    """
    path = raw_path("sipri_dyad_gannon", external_dir)
    header = pd.read_csv(path, nrows=0)
    if list(header.columns) != list(_GANNON_DTYPES):
        raise RawDataError(f"{path}: columns differ from the expected Gannon layout")
    raw = pd.read_csv(path, dtype=_GANNON_DTYPES, keep_default_na=False, na_values=[""])
    for col in ("year", "ccode1", "ccode2", "value"):
        if raw[col].isna().any():
            raise RawDataError(f"{path}: missing values in {col!r}")
    for col in ("year", "ccode1", "ccode2"):
        if (raw[col] != np.round(raw[col])).any():
            raise RawDataError(f"{path}: non-integer values in {col!r}")
    out = pd.DataFrame(
        {
            "year": raw["year"].astype("int64").astype("Int64"),
            "supplier": raw["sender"],
            "supplier_ccode": raw["ccode1"].astype("int64").astype("Int64"),
            "recipient": raw["receiver"],
            "recipient_ccode": raw["ccode2"].astype("int64").astype("Int64"),
            "tiv": raw["value"],
        }
    )
    if out.duplicated(["supplier_ccode", "recipient_ccode", "year"]).any():
        raise RawDataError(f"{path}: duplicate (supplier, recipient, year) rows")
    return out


def gannon_recipient_completeness(
    gannon: pd.DataFrame,
    imports_state_years: pd.DataFrame,
    *,
    abs_tol: float = 5.0,
    rel_tol: float = 0.05,
) -> pd.DataFrame:
    """Check, per recipient-year, whether Gannon's dyads add up to SIPRI's import total.

    Parameters
    ----------
    gannon : pandas.DataFrame
        From :func:`read_sipri_gannon`.
    imports_state_years : pandas.DataFrame
        From :func:`sipri_imports_state_years` (SIPRI's own all-supplier totals).
    abs_tol, rel_tol : float
        A recipient-year is complete when
        ``abs(total - sum_of_dyads) <= max(abs_tol, rel_tol * total)``. The tolerance absorbs
        rounding: the import table rounds each recipient-year total, Gannon's dyads are rounded
        per deal (halves occur).

    Returns
    -------
    pandas.DataFrame
        ``ccode`` (recipient), ``year`` (``GANNON_YEARS`` only, recipients in
        ``imports_state_years``), ``tiv_total`` (import table), ``tiv_dyads`` (sum over Gannon's
        suppliers; 0 when the recipient has no row that year) and ``complete`` (``Int64`` 1/0).

    Notes
    -----
    This check exposes Gannon's gaps: Soviet deliveries 1970-1991 are recorded as 0, so Egypt
    1970-1975, Syria, Iraq, Libya and Algeria fail it, while Israel, Jordan or Saudi Arabia,
    supplied by Western states, pass.
    """
    imp = imports_state_years[
        imports_state_years["year"].between(GANNON_YEARS[0], GANNON_YEARS[1])
    ][["ccode", "year", "sipri_tiv_imports"]].rename(columns={"sipri_tiv_imports": "tiv_total"})
    sums = (
        gannon.groupby(["recipient_ccode", "year"], as_index=False)["tiv"]
        .sum()
        .rename(columns={"recipient_ccode": "ccode", "tiv": "tiv_dyads"})
    )
    out = imp.merge(sums, on=["ccode", "year"], how="left")
    out["tiv_dyads"] = out["tiv_dyads"].fillna(0.0)
    total = out["tiv_total"].astype("float64")
    tol = np.maximum(abs_tol, rel_tol * total)
    out["complete"] = pd.array(
        ((total - out["tiv_dyads"]).abs() <= tol).astype("int64"), dtype="Int64"
    )
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True)
