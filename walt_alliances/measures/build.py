r"""Build the derived state-year and directed dyad-year measures (issue 4) from the raw data.

Usage::

    python datasets/build_measures.py [--external-dir PATH] [--out-dir PATH]

Reads the raw external datasets (verified against the registry's sha256), and writes

- ``walt_alliances/data/measures/state_year.csv``  (ccode, year; 1950-1979),
- ``walt_alliances/data/measures/dyad_year.csv``   (directed: ccode1 = i, ccode2 = j, year),
- ``walt_alliances/data/measures/provenance.json`` (sources with version and sha256, this
  script, and every measure's coverage).

Output is deterministic and byte-identical across runs: fixed column order, rows sorted by key,
``\\n`` line endings, missing values as empty fields, integers written as integers and floats
with ``%.10g``. Nothing here depends on today's date.

Scope: the 26 states in :data:`STATE_CCODES`. A state-year exists iff COW's system2016 lists the
state in that year (member on any day of the year); a dyad-year exists iff both states exist.

Zero vs missing (the rule every column follows): 0 is written only inside the source's coverage
(years, and the actors the source covers); outside it the value is missing. Each column's rule is
stated in ``walt_alliances/measures.py`` and in ``provenance.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from walt_alliances.sources.aid import (
    GANNON_YEARS,
    gannon_recipient_completeness,
    greenbook_state_years,
    sipri_imports_state_years,
)
from walt_alliances.sources.conflict import (
    COW_DYADIC_WAR_YEARS,
    GML_DDY_YEARS,
)
from walt_alliances.sources.polity import polity_state_years
from walt_alliances.sources.registry import get_raw_file, resolve_external_dir
from walt_alliances.sources.shipped import Sources

OUT_DIR = Path(__file__).resolve().parents[1] / "data" / "measures"
SCRIPT = "datasets/build_measures.py (walt_alliances.measures.build)"

FIRST_YEAR, LAST_YEAR = 1950, 1979

#: COW codes of the states in scope (outside powers first, then the region).
STATE_CCODES: tuple[int, ...] = (
    2, 200, 220, 365, 770,
    600, 615, 616, 620, 625, 630, 640, 645, 651, 652, 660, 663, 666, 670, 678, 680,
    690, 692, 694, 696, 698,
)  # fmt: skip

PREV_WINDOW = 5  # years t-5 .. t-1

STATE_COLUMNS: tuple[str, ...] = (
    "ccode", "year", "stateabb",
    "cinc", "milex", "milper", "tpop", "upop", "irst", "pec",
    "polity2", "democ", "autoc", "polity", "polity_special",
    "us_aid_oblig_current", "us_aid_oblig_constant", "us_aid_fy_months",
    "sipri_tiv_imports", "sipri_tiv_imports_recorded",
)  # fmt: skip

DYAD_COLUMNS: tuple[str, ...] = (
    "ccode1", "ccode2", "year",
    "contig", "capdist_km",
    "mid_ongoing", "mid_onset", "mid_hostlev", "mid_hostlev_i", "mid_init", "mid_revisionist_i",
    "mid_count_prev5", "mid_init_prev5", "mid_target_prev5",
    "war_ongoing", "war_onset", "war_init",
    "war_count_prev5", "war_init_prev5", "war_target_prev5",
    "sipri_tiv_from_j", "sipri_tiv_dyad_complete",
)  # fmt: skip


# ------------------------------------------------------------------------------------ helpers


def _int(s: pd.Series) -> pd.Series:
    return s.astype("Int64")


def _fill_in_coverage(
    df: pd.DataFrame, cols: list[str], years: tuple[int, int], year_col: str = "year"
) -> pd.DataFrame:
    """Fill missing values with 0 in rows whose year is inside ``years``; keep NA outside."""
    inside = df[year_col].between(years[0], years[1])
    for col in cols:
        df[col] = _int(df[col])
        df.loc[inside & df[col].isna(), col] = 0
        df.loc[~inside, col] = pd.NA
    return df


def _prev_window_counts(
    events: pd.DataFrame, keys: list[str], count_cols: list[str], event_year: str
) -> pd.DataFrame:
    """Sum ``count_cols`` of events over the years t-5 .. t-1, for every t they reach."""
    parts = []
    for lag in range(1, PREV_WINDOW + 1):
        shifted = events[[*keys, event_year, *count_cols]].copy()
        shifted["year"] = shifted[event_year] + lag
        parts.append(shifted.drop(columns=event_year))
    stacked = pd.concat(parts, ignore_index=True)
    return stacked.groupby([*keys, "year"], as_index=False)[count_cols].sum()


# ------------------------------------------------------------------------------- state-years


def state_years_base(system: pd.DataFrame, ccodes: tuple[int, ...] = STATE_CCODES,
                     years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR)) -> pd.DataFrame:
    """Existing state-years in scope (COW system2016), by default 1950-1979."""
    s = system[system["ccode"].isin(ccodes) & system["year"].between(*years)]
    out = s[["ccode", "year", "stateabb"]].copy()
    out["ccode"] = _int(out["ccode"])
    out["year"] = _int(out["year"])
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True)


def build_state_year(src: Sources, ccodes: tuple[int, ...] = STATE_CCODES,
                     years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR),
                     ) -> tuple[pd.DataFrame, dict[str, tuple[int, int]]]:
    """Assemble ``state_year.csv``; also return the sources' year coverage."""
    base = state_years_base(src.system(), ccodes, years)
    nmc = src.table("cow_nmc")[["ccode", "year", "cinc", "milex", "milper", "tpop", "upop",
                                  "irst", "pec"]].copy()  # fmt: skip
    nmc["ccode"] = _int(nmc["ccode"])
    nmc["year"] = _int(nmc["year"])
    out = base.merge(nmc, on=["ccode", "year"], how="left", validate="1:1")

    pol = polity_state_years(src.table("polity5"))
    out = out.merge(pol, on=["ccode", "year"], how="left", validate="1:1")

    cow = src.table("cow_states", copy=False)
    aid, aid_cov = greenbook_state_years(src.table("us_aid"), list(ccodes), states=cow)
    out = out.merge(aid, on=["ccode", "year"], how="left", validate="1:1")

    imports, imp_cov = _sipri_imports(src)
    sipri = sipri_imports_state_years(imports, imp_cov, states=cow)
    out = out.merge(sipri, on=["ccode", "year"], how="left", validate="1:1")

    out = out[list(STATE_COLUMNS)]
    coverage = {"us_aid": aid_cov, "sipri_tiv_imports": imp_cov, "cow_nmc": (1816, 2016),
                "polity5": (1800, 2018)}  # fmt: skip
    return out.sort_values(["ccode", "year"], kind="mergesort").reset_index(drop=True), coverage


# -------------------------------------------------------------------------------- dyad-years


def dyad_years_base(states: pd.DataFrame) -> pd.DataFrame:
    """All ordered pairs (i, j), i != j, of states existing in the same year."""
    s = states[["ccode", "year"]]
    d = s.merge(s, on="year", suffixes=("1", "2"))
    d = d[d["ccode1"] != d["ccode2"]]
    return (
        d[["ccode1", "ccode2", "year"]]
        .sort_values(["ccode1", "ccode2", "year"], kind="mergesort")
        .reset_index(drop=True)
    )


def contiguity_dyad_years(contig: pd.DataFrame) -> pd.DataFrame:
    """Closest COW contiguity type per dyad-year (a spell counts in each year it touches).

    Spells of type 0 are left out: they are peacesciencer's "no contiguity" filler, not a
    contiguity type (see :func:`walt_alliances.sources.cow.read_contiguity`), so a year touched
    by a type-0 spell and a real one takes the real type, and a year touched by type-0 spells
    alone gets no row (0 after the coverage fill). Taking the minimum over them made type 0 win
    in such years: Libya-Sudan 1956, Iraq-Egypt 1958-1961 and Egypt-Jordan 1967 (12 directed
    dyad-years) were wrongly 0.
    """
    c = contig[contig["conttype"] > 0].copy()
    c["y0"] = c["stdate"].dt.year
    c["y1"] = c["enddate"].dt.year
    c["n"] = c["y1"] - c["y0"] + 1
    rep = c.loc[c.index.repeat(c["n"])].copy()
    rep["year"] = rep["y0"] + rep.groupby(level=0).cumcount()
    out = rep.groupby(["ccode1", "ccode2", "year"], as_index=False)["conttype"].min()
    out = out.rename(columns={"conttype": "contig"})
    for col in ("ccode1", "ccode2", "year", "contig"):
        out[col] = _int(out[col])
    return out


def mid_dyad_years(ddy: pd.DataFrame) -> pd.DataFrame:
    """Directed, symmetric MID measures per dyad-year from GML's dyad-dispute-years."""
    g = ddy.copy()
    rev = g.rename(columns={
        "ccode1": "ccode2", "ccode2": "ccode1", "sidea1": "sidea2", "sidea2": "sidea1",
        "revstate1": "revstate2", "revstate2": "revstate1", "hostlev1": "hostlev2",
        "hostlev2": "hostlev1", "orig1": "orig2", "orig2": "orig1",
    })  # fmt: skip
    cols = ["dispnum", "ccode1", "ccode2", "year", "sidea1", "sidea2", "revstate1", "revstate2",
            "hostlev1", "hostlev2", "orig1", "orig2", "midonset"]  # fmt: skip
    # The file is already symmetric; the union with its mirror guarantees it.
    g = pd.concat([g[cols], rev[cols]], ignore_index=True)
    g["init"] = ((g["midonset"] == 1) & (g["sidea1"] == 1) & (g["orig1"] == 1)
                 & (g["sidea2"] == 0)).astype("int64")  # fmt: skip
    g["target"] = ((g["midonset"] == 1) & (g["sidea2"] == 1) & (g["orig2"] == 1)
                   & (g["sidea1"] == 0)).astype("int64")  # fmt: skip
    g["hostlev_dyad"] = np.maximum(g["hostlev1"].astype("int64"), g["hostlev2"].astype("int64"))
    g["rev1"] = g["revstate1"].astype("Float64")
    g = g.drop_duplicates(["dispnum", "ccode1", "ccode2", "year", "init", "target", "rev1",
                           "hostlev1", "hostlev_dyad", "midonset"])  # fmt: skip
    keys = ["ccode1", "ccode2", "year"]
    yearly = g.groupby(keys, as_index=False).agg(
        mid_onset=("midonset", "max"),
        mid_hostlev=("hostlev_dyad", "max"),
        mid_hostlev_i=("hostlev1", "max"),
        mid_init=("init", "max"),
        mid_revisionist_i=("rev1", "max"),
    )
    yearly["mid_ongoing"] = 1
    onsets = g[g["midonset"] == 1].drop_duplicates(["dispnum", "ccode1", "ccode2"])
    onsets = onsets.assign(one=1)[["ccode1", "ccode2", "year", "one", "init", "target"]]
    prev = _prev_window_counts(
        onsets.rename(columns={"year": "onset_year"}),
        ["ccode1", "ccode2"], ["one", "init", "target"], "onset_year",
    ).rename(columns={"one": "mid_count_prev5", "init": "mid_init_prev5",
                      "target": "mid_target_prev5"})  # fmt: skip
    out = yearly.merge(prev, on=keys, how="outer")
    for col in out.columns:
        out[col] = _int(out[col])
    return out


def war_dyad_years(war: pd.DataFrame) -> pd.DataFrame:
    """Directed, symmetric war measures per dyad-year from COW's directed dyadic war file."""
    w = war.rename(columns={"statea": "ccode1", "stateb": "ccode2"}).copy()
    w["onset"] = (w["year"] == w["warstrtyr"]).astype("int64")
    w["init"] = (w["wardyadrolea"] == 1).astype("int64")
    keys = ["ccode1", "ccode2", "year"]
    # "j initiated against i" is read from j's own row (j, i), never from ``wardyadroleb``: the
    # file's mirrored rows disagree once (Israel-Iraq 1973: wardyadroleb = 2 in (666, 645)
    # while (645, 666) has wardyadrolea = 1), and reading one column keeps (i, j) and (j, i)
    # consistent by construction.
    per_war = w.groupby(["warnum", *keys], as_index=False)["init"].max()
    mirror = per_war.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1", "init": "target"})
    per_war = per_war.merge(mirror, on=["warnum", *keys], how="outer")
    per_war[["init", "target"]] = per_war[["init", "target"]].fillna(0).astype("int64")
    yearly = w.groupby(keys, as_index=False).agg(
        war_onset=("onset", "max"), war_init=("init", "max")
    )
    yearly["war_ongoing"] = 1
    # a war lasting several years inside the window counts once: distinct wars per window
    wars_in_window = []
    for lag in range(1, PREV_WINDOW + 1):
        x = per_war[["warnum", "ccode1", "ccode2", "year", "init", "target"]].copy()
        x["year"] = x["year"] + lag
        wars_in_window.append(x)
    ww = pd.concat(wars_in_window, ignore_index=True)
    ww = ww.groupby(["warnum", "ccode1", "ccode2", "year"], as_index=False)[
        ["init", "target"]
    ].max()
    prev = ww.assign(one=1).groupby(keys, as_index=False)[["one", "init", "target"]].sum()
    prev = prev.rename(columns={"one": "war_count_prev5", "init": "war_init_prev5",
                                "target": "war_target_prev5"})  # fmt: skip
    out = yearly.merge(prev, on=keys, how="outer")
    for col in out.columns:
        out[col] = _int(out[col])
    return out


def _sipri_imports(src: Sources) -> tuple[pd.DataFrame, tuple[int, int]]:
    years = src.years("sipri_tiv_imports")
    assert years is not None
    return src.table("sipri_tiv_imports"), years


def sipri_dyad_years(src: Sources, dyads: pd.DataFrame) -> pd.DataFrame:
    """TIV from supplier j to recipient i (Gannon), with the completeness rule applied."""
    gannon = src.table("sipri_dyad_gannon")
    imports, cov = _sipri_imports(src)
    totals = sipri_imports_state_years(imports, cov, states=src.table("cow_states", copy=False))
    comp = gannon_recipient_completeness(gannon, totals)
    g = gannon.rename(columns={"recipient_ccode": "ccode1", "supplier_ccode": "ccode2",
                               "tiv": "sipri_tiv_from_j"})[["ccode1", "ccode2", "year",
                                                            "sipri_tiv_from_j"]]  # fmt: skip
    d = dyads[["ccode1", "ccode2", "year"]].merge(g, on=["ccode1", "ccode2", "year"], how="left")
    d = d.merge(
        comp[["ccode", "year", "complete"]].rename(
            columns={"ccode": "ccode1", "complete": "sipri_tiv_dyad_complete"}
        ),
        on=["ccode1", "year"],
        how="left",
    )
    inside = d["year"].between(*GANNON_YEARS)
    d.loc[~inside, "sipri_tiv_dyad_complete"] = pd.NA
    complete = d["sipri_tiv_dyad_complete"].eq(1).fillna(False).astype(bool)
    val = d["sipri_tiv_from_j"]
    # complete recipient-year: a missing dyad is a true 0; incomplete: only positive values stand
    d["sipri_tiv_from_j"] = np.where(
        inside & complete, val.fillna(0.0), np.where(inside & (val > 0), val, np.nan)
    )
    d["sipri_tiv_dyad_complete"] = _int(d["sipri_tiv_dyad_complete"])
    return d


def build_dyad_year(src: Sources, states: pd.DataFrame) -> pd.DataFrame:
    """Assemble ``dyad_year.csv`` (directed; ccode1 = i, ccode2 = j)."""
    keys = ["ccode1", "ccode2", "year"]
    d = dyad_years_base(states)

    contig = contiguity_dyad_years(src.table("cow_contiguity"))
    d = d.merge(contig, on=keys, how="left", validate="1:1")
    d = _fill_in_coverage(d, ["contig"], (1816, 2016))

    cap = src.table("capdist")[["ccode1", "ccode2", "kmdist"]].rename(
        columns={"kmdist": "capdist_km"}
    )
    cap["ccode1"] = _int(cap["ccode1"])
    cap["ccode2"] = _int(cap["ccode2"])
    d = d.merge(cap, on=["ccode1", "ccode2"], how="left", validate="m:1")
    d["capdist_km"] = _int(d["capdist_km"])

    mids = mid_dyad_years(src.table("gml_mid_dyad_years"))
    d = d.merge(mids, on=keys, how="left", validate="1:1")
    mid_cols = ["mid_ongoing", "mid_onset", "mid_hostlev", "mid_hostlev_i", "mid_init",
                "mid_count_prev5", "mid_init_prev5", "mid_target_prev5"]  # fmt: skip
    d = _fill_in_coverage(d, mid_cols, GML_DDY_YEARS)
    # revisionism is a property of a MID: 0 when a MID is ongoing and i is not revisionist,
    # missing when no MID is ongoing (nothing to be revisionist about) or outside coverage.
    d["mid_revisionist_i"] = _int(d["mid_revisionist_i"])

    wars = war_dyad_years(src.table("cow_dyadic_war"))
    d = d.merge(wars, on=keys, how="left", validate="1:1")
    war_cols = ["war_ongoing", "war_onset", "war_init", "war_count_prev5", "war_init_prev5",
                "war_target_prev5"]  # fmt: skip
    d = _fill_in_coverage(d, war_cols, COW_DYADIC_WAR_YEARS)

    sip = sipri_dyad_years(src, d)
    d = d.merge(sip, on=keys, how="left", validate="1:1")
    d = d[list(DYAD_COLUMNS)]
    return d.sort_values(keys, kind="mergesort").reset_index(drop=True)


# ------------------------------------------------------------------------------- provenance

SOURCES: dict[str, tuple[str, ...]] = {
    "state_year.csv": ("cow_system", "cow_nmc", "polity5", "us_aid", "sipri_tiv_imports"),
    "dyad_year.csv": ("cow_system", "cow_contiguity", "capdist", "gml_ddy", "cow_dyadic_war",
                      "sipri_dyad_gannon", "sipri_tiv_imports"),
}  # fmt: skip

#: measure -> (table, source keys, source coverage (first, last) or None, notes)
MEASURES: dict[str, tuple[str, tuple[str, ...], tuple[int, int] | None, str]] = {
    "stateabb": ("state_year.csv", ("cow_system",), (1816, 2016), "COW letter code."),
    **{
        m: ("state_year.csv", ("cow_nmc",), (1816, 2016),
            "NMC 6.0 as published; -9 in the source is missing, never 0.")
        for m in ("cinc", "milex", "milper", "tpop", "upop", "irst", "pec")
    },
    **{
        m: ("state_year.csv", ("polity5",), (1800, 2018),
            "Polity codes 364 (USSR) and 769 (Pakistan to 1971) mapped to COW 365 and 770. "
            "democ/autoc/polity missing where Polity records a special code "
            "(-66/-77/-88, see polity_special); polity2 is Polity's own combined score. "
            "Missing where Polity has no row (e.g. Egypt 1950, Kuwait 1961-1962).")
        for m in ("polity2", "democ", "autoc", "polity", "polity_special")
    },
    **{
        m: ("state_year.csv", ("us_aid",), None,
            "US fiscal years; FY1976 includes the transition quarter (15 months). 0 = no "
            "obligation recorded in a fiscal year the file covers; missing outside the file's "
            "fiscal years and for the United States (not a recipient). Obligations only "
            "(disbursements start FY2001); no economic/military split in this summary.")
        for m in ("us_aid_oblig_current", "us_aid_oblig_constant", "us_aid_fy_months")
    },
    **{
        m: ("state_year.csv", ("sipri_tiv_imports",), None,
            "All suppliers. A recipient listed in SIPRI's table is covered in every year "
            "1950-2020: blank cell = 0 (nothing recorded) with sipri_tiv_imports_recorded = 0; "
            "'0' in SIPRI = below 0.5m TIV (recorded = 1). North Yemen + 'Yemen Arab Republic' "
            "rows summed for 678; Soviet Union = 365.")
        for m in ("sipri_tiv_imports", "sipri_tiv_imports_recorded")
    },
    "contig": ("dyad_year.csv", ("cow_contiguity",), (1816, 2016),
               "COW direct contiguity 3.2 (peacesciencer directed spells). Closest type (1 land "
               "... 5 <=400 mi water) of any spell touching the year; 0 = not contiguous."),
    "capdist_km": ("dyad_year.csv", ("capdist",), None,
                   "Gleditsch & Ward capital distance, km, static (one capital per state)."),
    **{
        m: ("dyad_year.csv", ("gml_ddy",), GML_DDY_YEARS,
            "GML MID 2.1.1 dyad-years (directed, symmetric); 0 inside 1816-2010. Previous-"
            "5-year counts are distinct disputes with onset in t-5..t-1. init: i on Side A "
            "and an originator, j on Side B, in the onset year.")
        for m in ("mid_ongoing", "mid_onset", "mid_hostlev", "mid_hostlev_i", "mid_init",
                  "mid_count_prev5", "mid_init_prev5", "mid_target_prev5")
    },
    "mid_revisionist_i": ("dyad_year.csv", ("gml_ddy",), GML_DDY_YEARS,
                          "Defined only in dyad-years with an ongoing MID (missing otherwise)."),
    **{
        m: ("dyad_year.csv", ("cow_dyadic_war",), COW_DYADIC_WAR_YEARS,
            "COW directed dyadic war (May 2018); 0 inside 1823-2003. init: i is the dyadic "
            "initiator (wardyadrolea = 1). Previous-5-year counts are distinct wars active "
            "in t-5..t-1.")
        for m in ("war_ongoing", "war_onset", "war_init", "war_count_prev5", "war_init_prev5",
                  "war_target_prev5")
    },
    **{
        m: ("dyad_year.csv", ("sipri_dyad_gannon", "sipri_tiv_imports"), GANNON_YEARS,
            "TIV from supplier j to recipient i, Gannon's SIPRI dyad-years (1970-2014 only; "
            "missing before 1970). A recipient-year is complete when Gannon's suppliers add up "
            "to SIPRI's import total (|diff| <= max(5, 5%)); then a missing dyad is 0. "
            "Incomplete recipient-years (notably Soviet clients: Gannon records Soviet "
            "deliveries 1970-1991 as 0) keep only positive values; the rest is missing.")
        for m in ("sipri_tiv_from_j", "sipri_tiv_dyad_complete")
    },
}  # fmt: skip


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _csv_bytes(df: pd.DataFrame) -> bytes:
    text = df.to_csv(index=False, lineterminator="\n", float_format="%.10g", na_rep="")
    return text.encode("utf-8")


def _coverage(df: pd.DataFrame, col: str, actor_col: str) -> dict[str, object]:
    have = df[df[col].notna()]
    if have.empty:
        return {"first_year": None, "last_year": None, "actors": []}
    return {
        "first_year": int(have["year"].min()),
        "last_year": int(have["year"].max()),
        "actors": sorted(int(c) for c in have[actor_col].unique()),
    }


def provenance(
    tables: dict[str, pd.DataFrame], data: dict[str, bytes], source_cov: dict[str, tuple[int, int]]
) -> dict[str, object]:
    """Provenance record: sources, script, outputs and each measure's coverage."""
    keys = sorted({k for ks in SOURCES.values() for k in ks})
    sources = {}
    for key in keys:
        rf = get_raw_file(key)
        sources[key] = {
            "path": rf.path,
            "dataset": rf.dataset,
            "version": rf.version,
            "sha256": rf.sha256,
            "repository": rf.repository,
            "commit": rf.commit,
        }
    out_tables = {
        name: {
            "rows": len(df),
            "columns": list(df.columns),
            "sha256": _sha256_bytes(data[name]),
            "sources": list(SOURCES[name]),
        }  # fmt: skip
        for name, df in tables.items()
    }
    measures = []
    for measure, (table, srcs, cov, notes) in MEASURES.items():
        actor_col = "ccode" if table == "state_year.csv" else "ccode1"
        cover = cov if cov is not None else source_cov.get(srcs[0])
        measures.append({
            "measure": measure, "table": table, "sources": list(srcs),
            "source_years": list(cover) if cover is not None else None,
            **_coverage(tables[table], measure, actor_col), "notes": notes,
        })  # fmt: skip
    return {
        "script": SCRIPT,
        "years": [FIRST_YEAR, LAST_YEAR],
        "actors": list(STATE_CCODES),
        "existence_rule": "state-year iff in COW system2016 that year; dyad-year iff both exist",
        "sources": sources,
        "tables": out_tables,
        "measures": measures,
    }


def build_tables(external_dir: str | Path | None = None, ccodes: tuple[int, ...] = STATE_CCODES,
                 years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR)
                 ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, tuple[int, int]]]:
    """Build the state-year and directed dyad-year measures for any COW states and years.

    Parameters
    ----------
    external_dir : path-like, optional
        ``None`` (default): build from the source tables shipped in the package (offline, any
        state and year the sources cover; see :mod:`walt_alliances.sources.shipped`). A folder:
        build from the raw datasets in it instead (each verified by sha256), which gives the
        same tables.
    ccodes : tuple of int
        COW codes of the states (default: the 26 states of the core study).
    years : (int, int)
        First and last year (default 1950-1979).

    Returns
    -------
    state_years, dyad_years, coverage
    """
    src = Sources(external_dir)
    states, cov = build_state_year(src, tuple(ccodes), years)
    dyads = build_dyad_year(src, states)
    return states, dyads, cov


def build(external_dir: str | Path | None = None) -> dict[str, bytes]:
    """Build every output file of the shipped measures from the raw files, in memory.

    ``external_dir`` defaults to ``WALT_EXTERNAL_DIR`` or ``../shared/external``: the shipped
    measures are always rebuilt from raw files. Returns file name -> bytes.
    """
    states, dyads, cov = build_tables(resolve_external_dir(external_dir))
    tables = {"state_year.csv": states, "dyad_year.csv": dyads}
    data = {name: _csv_bytes(df) for name, df in tables.items()}
    prov = provenance(tables, data, cov)
    data["provenance.json"] = (json.dumps(prov, indent=2, sort_keys=False) + "\n").encode("utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--external-dir", default=None, help="folder of raw datasets")
    parser.add_argument("--out-dir", default=str(OUT_DIR), help="output folder")
    args = parser.parse_args(argv)
    from walt_alliances._io import only_names, write_folder

    out = Path(args.out_dir)
    blobs = build(args.external_dir)
    write_folder(out, blobs, what="measures", replaceable=only_names(list(blobs)))
    for name, blob in blobs.items():
        print(f"wrote {out / name} ({len(blob)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
