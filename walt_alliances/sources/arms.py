"""SIPRI arms deliveries by supplier: US exports, UK/French/German registers, the residual.

Raw files (each checked against the registry's size and sha256 before it is read):

``sipri_us_exports`` -- ``sipri/us-arms-exports.csv``
    SIPRI trend-indicator values (TIV, millions) of US arms exports by recipient and year,
    1950-2020, a wide table (``recipient, 1950, ..., 2020``; no Total row or column). A blank
    cell means SIPRI recorded no US delivery; ``0`` a delivery below 0.5 million TIV.
``sipri_register_uk``, ``sipri_register_fr``, ``sipri_register_de`` -- SIPRI trade registers
    One row per deal of the United Kingdom, France and Germany (West Germany before 1990) as
    supplier: recipient, year of order, numbers ordered and delivered, the years of delivery
    (``"1977; 1978; 1979"``) and the TIV of the weapons delivered (Latin-1). The registers do
    not say how many units were delivered in each year.

Derived here (:func:`arms_state_years`), for every recipient listed in SIPRI's all-supplier
import table (:func:`walt_alliances.sources.aid.read_sipri_tiv_imports`):

- ``tiv_us``: the US export table's cell (0 where blank, or where the recipient has no row:
  SIPRI lists every recipient of US arms in 1950-2020).
- ``tiv_uk``, ``tiv_fr``, ``tiv_de``: each register's TIV delivered, **split equally over the
  deal's years of delivery** (the registers give no per-year numbers; this is our rule, not
  SIPRI's). Checked against J. A. Gannon's supplier-recipient-year file for 1970-1979
  (:func:`supplier_check_gannon`; the regional states Gannon maps, i.e. not the Yemens or the
  UAE): totals within 4% of Gannon's, correlations over recipient-years 0.97 (France) to 0.98
  (UK, Germany); the US table's 1.00.
- ``tiv_other`` = max(0, total - US - UK - France - Germany): deliveries by every other
  supplier. The residual mixes rounding (the import table rounds each recipient-year, the US
  table each cell, the registers each deal), the equal split of deals over years, and
  possibly different download dates of the files (the registers already say "Turkiye", the
  import table "Turkey"); where those make it negative it is set to 0 and ``other_floored`` is
  1. For the Soviet-aligned recipients of the Middle East 1955-1979 the other suppliers are
  mostly the Soviet Union and its allies; it is a **proxy** for Soviet-bloc deliveries, never
  a count of Soviet deliveries (Italy, China, Switzerland, the Netherlands, Canada and
  Yugoslavia are in it too: :func:`residual_check_gannon` measures how much, for 1970-1979).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from walt_alliances.errors import RawDataError
from walt_alliances.sources.aid import SIPRI_RECIPIENT_TO_COW, cow_exact_name_matches, tiv_long
from walt_alliances.sources.registry import raw_path

__all__ = [
    "REGISTER_KEYS",
    "SOVIET_BLOC_SUPPLIERS",
    "arms_state_years",
    "read_sipri_registers",
    "read_sipri_us_exports",
    "register_deliveries",
    "residual_check_gannon",
    "supplier_check_gannon",
]

PathLike = str | os.PathLike[str] | None

#: Supplier name in the registers -> registry key of its file.
REGISTER_KEYS: dict[str, str] = {"United Kingdom": "sipri_register_uk",
                                 "France": "sipri_register_fr",
                                 "Germany": "sipri_register_de"}

#: Register and import-table names that differ from :data:`SIPRI_RECIPIENT_TO_COW`.
_REGISTER_ALIASES: dict[str, tuple[int, int, int]] = {"Turkiye": (640, 1950, 2100)}

#: COW codes of the Soviet Union's Warsaw Pact allies as suppliers (Poland, East Germany,
#: Czechoslovakia, Hungary, Bulgaria, Romania) -- counted apart in :func:`residual_check_gannon`.
SOVIET_BLOC_SUPPLIERS: dict[int, str] = {290: "Poland", 265: "East Germany",
                                         315: "Czechoslovakia", 310: "Hungary",
                                         355: "Bulgaria", 360: "Romania"}

_REGISTER_COLUMNS = ["Recipient", "Supplier", "Year of order", "Number ordered",
                     "Weapon designation", "Weapon description", "Number delivered",
                     "Year(s) of delivery", "status", "Comments", "SIPRI TIV per unit",
                     "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"]


def read_sipri_us_exports(external_dir: PathLike = None) -> tuple[pd.DataFrame, tuple[int, int]]:
    """Read SIPRI TIV of US arms exports by recipient and year, in long form.

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets.

    Returns
    -------
    table : pandas.DataFrame
        One row per (recipient, year) of the file's grid: ``recipient`` (SIPRI's name,
        ``string``), ``year`` (``Int64``), ``tiv`` (TIV millions, ``Int64``; ``<NA>`` where the
        cell is blank) and ``recorded`` (``Int64``: 1 where the cell holds a value).
    coverage : tuple of int
        First and last year of the file's columns.

    Raises
    ------
    walt_alliances.errors.RawDataError
        If the layout is not ``recipient, <consecutive years>`` or a cell is not a whole number.
    """
    path = raw_path("sipri_us_exports", external_dir)
    wide = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[])
    cols = list(wide.columns)
    if cols[0] != "recipient" or not all(c.isdigit() for c in cols[1:]):
        raise RawDataError(f"{path}: expected columns recipient, <years>; found {cols[:3]}...")
    years = [int(c) for c in cols[1:]]
    if years != list(range(years[0], years[-1] + 1)):
        raise RawDataError(f"{path}: year columns are not consecutive")
    if wide["recipient"].duplicated().any():
        raise RawDataError(f"{path}: a recipient has two rows: "
                           f"{wide.loc[wide['recipient'].duplicated(), 'recipient'].tolist()}")
    return tiv_long(wide, path), (years[0], years[-1])


def _number(raw: pd.Series, path: object, field: str, *, integer: bool,
            rows: pd.Series) -> pd.Series:
    s = raw.str.strip()
    pat = r"\d+" if integer else r"-?\d+(\.\d+)?"
    bad = (s != "") & ~s.str.fullmatch(pat)
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise RawDataError(f"{path}: data row {rows.iloc[i]}, field {field!r}: "
                           f"{raw.iloc[i]!r} is not a {'whole ' if integer else ''}number")
    num = pd.to_numeric(s.mask(s == ""))
    return num.astype("Int64") if integer else num.astype("float64")


def read_sipri_registers(external_dir: PathLike = None) -> pd.DataFrame:
    """Read the SIPRI trade registers of the UK, France and Germany (deal level).

    Parameters
    ----------
    external_dir : path-like, optional
        Folder of raw datasets.

    Returns
    -------
    pandas.DataFrame
        One row per deal: ``supplier`` (``United Kingdom``, ``France``, ``Germany``),
        ``row`` (the deal's data row in its file, 1-based; ``Int64``), ``recipient`` (SIPRI's
        name), ``order_year`` (``Int64``), ``weapon`` (designation), ``description``,
        ``n_delivered`` (``Int64``), ``delivery_years`` (``"1977; 1978"``; empty when nothing
        was delivered) and ``tiv_delivered`` (TIV millions of the weapons delivered,
        ``float64``). Sorted by supplier and row.

    Raises
    ------
    walt_alliances.errors.RawDataError
        If a file's header differs from SIPRI's register layout, its supplier column names
        another supplier, a number or a delivery year does not parse (the message names the
        file, data row and field), or a deal has TIV delivered but no year of delivery.
    """
    frames = []
    for supplier, key in REGISTER_KEYS.items():
        path = raw_path(key, external_dir)
        raw = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[],
                          encoding="latin-1")
        if list(raw.columns) != _REGISTER_COLUMNS:
            raise RawDataError(f"{path}: columns differ from the SIPRI register layout "
                               f"(found {list(raw.columns)[:4]}...)")
        rows = pd.Series(np.arange(1, len(raw) + 1), index=raw.index)
        other = raw["Supplier"] != supplier
        if other.any():
            i = other.to_numpy().nonzero()[0][0]
            raise RawDataError(f"{path}: data row {i + 1}, field 'Supplier': "
                               f"{raw['Supplier'].iloc[i]!r}, expected {supplier!r}")
        years = raw["Year(s) of delivery"].str.strip()
        bad = (years != "") & ~years.str.fullmatch(r"\d{4}(; \d{4})*")
        if bad.any():
            i = bad.to_numpy().nonzero()[0][0]
            raise RawDataError(f"{path}: data row {i + 1}, field 'Year(s) of delivery': "
                               f"{years.iloc[i]!r} is not a list of years")
        tiv = _number(raw["SIPRI TIV of delivered weapons"], path,
                      "SIPRI TIV of delivered weapons", integer=False, rows=rows)
        undated = (years == "") & (tiv.fillna(0) != 0)
        if undated.any():
            i = undated.to_numpy().nonzero()[0][0]
            raise RawDataError(f"{path}: data row {i + 1}: TIV delivered {tiv.iloc[i]} but no "
                               "year of delivery")
        frames.append(pd.DataFrame({
            "supplier": pd.array([supplier] * len(raw), dtype="string"),
            "row": pd.array(rows.to_numpy(), dtype="Int64"),
            "recipient": raw["Recipient"].astype("string"),
            "order_year": _number(raw["Year of order"], path, "Year of order", integer=True,
                                  rows=rows),
            "weapon": raw["Weapon designation"].astype("string"),
            "description": raw["Weapon description"].astype("string"),
            "n_delivered": _number(raw["Number delivered"], path, "Number delivered",
                                   integer=True, rows=rows),
            "delivery_years": years.astype("string"),
            "tiv_delivered": tiv.fillna(0.0),
        }))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["supplier", "row"], kind="mergesort").reset_index(drop=True)


def register_deliveries(deals: pd.DataFrame) -> pd.DataFrame:
    """Split each deal's TIV delivered equally over its years of delivery.

    Parameters
    ----------
    deals : pandas.DataFrame
        From :func:`read_sipri_registers` (``supplier``, ``recipient``, ``delivery_years``,
        ``tiv_delivered``).

    Returns
    -------
    pandas.DataFrame
        ``supplier``, ``recipient``, ``year`` (``int64``), ``tiv`` (``float64``): the sum over
        deals of TIV delivered / number of delivery years, one row per supplier, recipient and
        year with a delivery. The equal split is this package's rule: the registers list the
        years of delivery but not the units delivered in each.
    """
    d = deals[deals["delivery_years"].fillna("") != ""]
    years = d["delivery_years"].astype(str).str.split("; ")
    k = years.str.len().to_numpy()
    out = pd.DataFrame({
        "supplier": np.repeat(d["supplier"].astype(str).to_numpy(), k),
        "recipient": np.repeat(d["recipient"].astype(str).to_numpy(), k),
        "year": np.concatenate(years.to_list()).astype("int64") if len(d) else
        np.array([], dtype="int64"),
        "tiv": np.repeat(d["tiv_delivered"].to_numpy(dtype="float64") / k, k),
    })
    out = out.groupby(["supplier", "recipient", "year"], as_index=False, sort=True)["tiv"].sum()
    return out.reset_index(drop=True)


def _mapping(names: pd.Series, states: pd.DataFrame | None) -> dict[str, tuple[int, int, int]]:
    mapping = {**SIPRI_RECIPIENT_TO_COW, **_REGISTER_ALIASES}
    if states is not None:
        mapping.update(cow_exact_name_matches(names.dropna(), states,
                                              {v[0] for v in mapping.values()}))
    return mapping


def _by_ccode(df: pd.DataFrame, value: str, mapping: dict[str, tuple[int, int, int]]
              ) -> pd.DataFrame:
    spec = df["recipient"].astype(str).map(mapping)
    keep = spec.notna().to_numpy()
    d = df[keep]
    spec = spec[keep]
    cc = np.array([s[0] for s in spec], dtype="int64")
    lo = np.array([s[1] for s in spec], dtype="int64")
    hi = np.array([s[2] for s in spec], dtype="int64")
    yr = d["year"].to_numpy(dtype="int64")
    inside = (yr >= lo) & (yr <= hi)
    out = pd.DataFrame({"ccode": cc[inside], "year": yr[inside],
                        value: d[value].astype("Float64").fillna(0.0).to_numpy(
                            dtype="float64")[inside]})
    return out.groupby(["ccode", "year"], as_index=False)[value].sum()


def arms_state_years(imports: pd.DataFrame, us_exports: pd.DataFrame, deals: pd.DataFrame,
                     coverage: tuple[int, int], *, states: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """SIPRI deliveries by recipient state and year: total, US, UK, France, Germany, the rest.

    Parameters
    ----------
    imports : pandas.DataFrame
        All-supplier imports, :func:`walt_alliances.sources.aid.read_sipri_tiv_imports`.
    us_exports : pandas.DataFrame
        :func:`read_sipri_us_exports`.
    deals : pandas.DataFrame
        :func:`read_sipri_registers`.
    coverage : tuple of int
        Years kept (the import table's, 1950-2020).
    states : pandas.DataFrame, optional
        COW membership spells: recipients beyond the package's name map are matched by exact
        COW name.

    Returns
    -------
    pandas.DataFrame
        One row per (``ccode``, ``year``) of every recipient state the import table lists,
        every year of ``coverage`` inside its name mapping: ``tiv_total``, ``tiv_us``,
        ``tiv_uk``, ``tiv_fr``, ``tiv_de`` (``float64``; 0 where nothing is recorded),
        ``tiv_other_raw`` = total minus the four, ``tiv_other`` = max(0, ``tiv_other_raw``)
        and ``other_floored`` (``int64`` 1 where the floor applied). Recipients without a row
        in the import table get no rows (not covered: missing after a merge).
    """
    lo, hi = coverage
    mapping = _mapping(pd.concat([imports["recipient"], us_exports["recipient"],
                                  deals["recipient"]]), states)
    imp = imports[imports["year"].between(lo, hi).to_numpy()]
    total = _by_ccode(imp.rename(columns={"tiv": "tiv_total"}), "tiv_total", mapping)
    out = total
    us = _by_ccode(us_exports.rename(columns={"tiv": "tiv_us"}), "tiv_us", mapping)
    out = out.merge(us, on=["ccode", "year"], how="left")
    reg = register_deliveries(deals)
    for supplier, col in (("United Kingdom", "tiv_uk"), ("France", "tiv_fr"),
                          ("Germany", "tiv_de")):
        r = reg[reg["supplier"] == supplier].rename(columns={"tiv": col})
        out = out.merge(_by_ccode(r, col, mapping), on=["ccode", "year"], how="left")
    for col in ("tiv_us", "tiv_uk", "tiv_fr", "tiv_de"):
        out[col] = out[col].fillna(0.0)
    west = out[["tiv_us", "tiv_uk", "tiv_fr", "tiv_de"]].sum(axis=1)
    out["tiv_other_raw"] = out["tiv_total"] - west
    out["tiv_other"] = out["tiv_other_raw"].clip(lower=0.0)
    out["other_floored"] = (out["tiv_other_raw"] < 0).astype("int64")
    out["ccode"] = out["ccode"].astype("int64")
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True)


_GANNON_SUPPLIERS = {2: "tiv_us", 200: "tiv_uk", 220: "tiv_fr", 260: "tiv_de"}


def supplier_check_gannon(arms: pd.DataFrame, gannon: pd.DataFrame, ccodes: list[int],
                          years: tuple[int, int] = (1970, 1979)) -> pd.DataFrame:
    """Compare the US table and the registers' equal split with Gannon's dyad-years.

    Parameters
    ----------
    arms : pandas.DataFrame
        :func:`arms_state_years`.
    gannon : pandas.DataFrame
        :func:`walt_alliances.sources.aid.read_sipri_gannon`.
    ccodes : list of int
        Recipients compared.
    years : tuple of int
        Years compared (Gannon starts in 1970).

    Returns
    -------
    pandas.DataFrame
        One row per supplier (``tiv_us``, ``tiv_uk``, ``tiv_fr``, ``tiv_de``): ``here`` and
        ``gannon`` (TIV summed over recipients and years), ``cell_corr`` (correlation over
        recipient-years) and ``mean_abs_diff`` (per recipient-year).
    """
    a = arms[arms["ccode"].isin(ccodes) & arms["year"].between(*years)]
    g = gannon[gannon["recipient_ccode"].isin(ccodes).to_numpy()
               & gannon["year"].between(*years).to_numpy()]
    rows = []
    for cc, col in _GANNON_SUPPLIERS.items():
        gs = (g[(g["supplier_ccode"] == cc).to_numpy()]
              .groupby(["recipient_ccode", "year"])["tiv"].sum())
        gs.index = pd.MultiIndex.from_arrays([gs.index.get_level_values(0).astype("int64"),
                                              gs.index.get_level_values(1).astype("int64")],
                                             names=["ccode", "year"])
        m = pd.concat([a.set_index(["ccode", "year"])[col].rename("here"),
                       gs.rename("gannon")], axis=1).fillna(0.0)
        rows.append({"supplier": col, "here": float(m["here"].sum()),
                     "gannon": float(m["gannon"].sum()),
                     "cell_corr": float(m["here"].corr(m["gannon"])),
                     "mean_abs_diff": float((m["here"] - m["gannon"]).abs().mean())})
    return pd.DataFrame(rows)


def residual_check_gannon(arms: pd.DataFrame, gannon: pd.DataFrame, ccodes: list[int],
                          years: tuple[int, int] = (1970, 1979)) -> pd.DataFrame:
    """How much of the residual Gannon's file attributes to suppliers it records.

    Parameters
    ----------
    arms : pandas.DataFrame
        :func:`arms_state_years`.
    gannon : pandas.DataFrame
        :func:`walt_alliances.sources.aid.read_sipri_gannon`.
    ccodes : list of int
        Recipients.
    years : tuple of int
        Years (Gannon starts in 1970).

    Returns
    -------
    pandas.DataFrame
        One row per recipient: ``tiv_total`` and ``tiv_other`` (summed over the years),
        ``gannon_ussr`` (Gannon's Soviet/Russian rows, COW 365: 0 for 1970-1991, a known gap of
        that file), ``gannon_bloc`` (the Warsaw Pact allies, :data:`SOVIET_BLOC_SUPPLIERS`),
        ``gannon_visible_other`` (every other supplier Gannon records except the US, UK,
        France and West Germany, e.g. Italy, China, Switzerland) and ``visible_other_share`` =
        ``gannon_visible_other / tiv_other`` (NaN where the residual is 0): the part of the
        proxy that is known not to be Soviet-bloc.
    """
    a = arms[arms["ccode"].isin(ccodes) & arms["year"].between(*years)]
    sums = a.groupby("ccode")[["tiv_total", "tiv_other"]].sum()
    g = gannon[gannon["recipient_ccode"].isin(ccodes).to_numpy()
               & gannon["year"].between(*years).to_numpy()].copy()
    sc = g["supplier_ccode"].astype("int64")
    g["kind"] = np.where(sc == 365, "gannon_ussr",
                         np.where(sc.isin(list(SOVIET_BLOC_SUPPLIERS)), "gannon_bloc",
                                  np.where(sc.isin([*_GANNON_SUPPLIERS, 255]), "west",
                                           "gannon_visible_other")))
    g["ccode"] = g["recipient_ccode"].astype("int64")
    piv = g.pivot_table(index="ccode", columns="kind", values="tiv", aggfunc="sum")
    out = sums.join(piv, how="left")
    for c in ("gannon_ussr", "gannon_bloc", "gannon_visible_other"):
        out[c] = out[c].fillna(0.0) if c in out.columns else 0.0
    out = out[["tiv_total", "tiv_other", "gannon_ussr", "gannon_bloc", "gannon_visible_other"]]
    out["visible_other_share"] = (out["gannon_visible_other"]
                                  / out["tiv_other"].where(out["tiv_other"] > 0))
    return out.reset_index()
