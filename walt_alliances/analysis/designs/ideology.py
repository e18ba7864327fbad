"""Ideology (H3) on alignment onset, with a strict notion of "same family".

Sample: undirected dyad-years of two regional states at risk of a new alignment (not aligned in
*t-1*), 1956 to the end of the coded period. Terms:

``same_family``
    Same regime family, where ``other`` and ``military`` never count as the same family (they
    name no shared ideology). Expected positive (ideological solidarity).
``pan_arab_pair``
    Both regimes pan-Arab (Nasserist or Ba'thist). Reported without an expected sign, so
    without a verdict: the claim that pan-Arabism divides (the project's domain brief lists
    it among Walt's arguments) concerns how long such alignments last, not whether they
    form, and is tested on duration in :mod:`.duration` (issue 12).
``polity_distance`` (alternative specification)
    Absolute difference of the two Polity2 scores; expected negative.
``un_distance`` (alternative specification, from the shipped UN ideal points)
    Absolute difference of the two states' UN General Assembly ideal points (Bailey,
    Strezhnev and Voeten; shipped from the raw ``un_votes/Idealpoints.csv``, verified by sha256);
    missing in years without a recorded ideal point (e.g. a session without roll calls);
    expected negative.

Controls: contiguity, log capital distance, the pair's common threat (``bot_index`` of
:mod:`.bopbot`) and a cubic in years since the pair was last aligned (Carter and Signorino
2010; pairs never aligned count from the period's first year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["IDEOLOGY_EXPECTED", "add_un_distance", "ideology_base", "ideology_onset_sample",
           "onset_sample_from", "peace_years", "un_ideal_points"]

IDEOLOGY_EXPECTED: dict[str, int] = {"same_family": +1, "polity_distance": -1,
                                     "un_distance": -1}
CONTROLS = ("contiguous", "log_capdist", "bot_index", "since", "since2", "since3")


def peace_years(pair: np.ndarray, year: np.ndarray, aligned: np.ndarray) -> np.ndarray:
    """Years since the pair was last aligned, before *t* (0 right after an aligned year).

    Rows must be sorted by pair and year. A pair never aligned before *t* counts from its
    first row: ``t - first year``.
    """
    year = np.asarray(year, dtype=float)
    n = len(year)
    codes = pd.factorize(np.asarray(pair))[0]
    # the first row of each row's pair (pairs may be interleaved; rows within a pair are in
    # year order), and the latest aligned row of the pair before each row
    new_pair = np.ones(n, dtype=bool)
    order = np.argsort(codes, kind="stable")
    c = codes[order]
    new_pair[1:] = c[1:] != c[:-1]
    start = np.maximum.accumulate(np.where(new_pair, np.arange(n), 0))
    hit = np.where(np.asarray(aligned)[order] == 1, np.arange(n), -1)
    before = np.concatenate([[-1], np.maximum.accumulate(hit)[:-1]])
    y = year[order]
    out_sorted = np.where(before >= start, y - 1 - y[np.maximum(before, 0)], y - y[start])
    out = np.empty(n)
    out[order] = out_sorted
    return out


def ideology_base(panel: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Undirected pair-years of two regional states, sorted by pair and year.

    With ``_row`` (position in ``panel``) and the terms that do not depend on alignment status.
    """
    ok = ((panel["actor1"] < panel["actor2"]).to_numpy()
          & (panel["kind1"] == "regional_state").to_numpy()
          & (panel["kind2"] == "regional_state").to_numpy())
    d = panel[["actor1", "actor2", "year", "family1", "family2", "ideo_pan_arab_pair",
               "ideo_polity_absdiff", "contiguous", "log_capdist"]][ok]
    d = d.assign(_row=np.flatnonzero(ok))
    d = d.merge(measures[["actor1", "actor2", "year", "bot_index"]],
                on=["actor1", "actor2", "year"], how="left")
    d = d.rename(columns={"actor1": "actor_a", "actor2": "actor_b"})
    d = d.sort_values(["actor_a", "actor_b", "year"], kind="mergesort").reset_index(drop=True)
    f1, f2 = d["family1"].astype("string"), d["family2"].astype("string")
    same = (f1 == f2) & ~f1.isin(("other", "military"))
    d["same_family"] = same.astype("float64").where(f1.notna() & f2.notna())
    d["pan_arab_pair"] = d["ideo_pan_arab_pair"].astype("float64")
    d["polity_distance"] = d["ideo_polity_absdiff"].astype("float64")
    for c in ("contiguous", "log_capdist", "bot_index"):
        d[c] = d[c].astype("float64")
    d["cluster"] = d["actor_a"].astype(str) + "-" + d["actor_b"].astype(str)
    g = d.groupby("cluster", sort=False)["year"]
    d["_consecutive"] = (g.shift(1) == d["year"] - 1).fillna(False).to_numpy(dtype=bool)
    return d.drop(columns=["family1", "family2", "ideo_pan_arab_pair", "ideo_polity_absdiff"])


def onset_sample_from(base: pd.DataFrame, aligned: np.ndarray, onset: np.ndarray,
                      first_year: int) -> pd.DataFrame:
    """The at-risk rows of :func:`ideology_base` given alignment status per base row."""
    al = np.asarray(aligned, dtype=float)
    since = peace_years(base["cluster"].to_numpy(), base["year"].to_numpy(), al)
    prev = np.concatenate([[np.nan], al[:-1]])
    d = base.assign(onset=np.asarray(onset, dtype=float), since=since, since2=since**2 / 10,
                    since3=since**3 / 100)
    keep = (base["_consecutive"].to_numpy() & (prev == 0) & np.isfinite(d["onset"].to_numpy())
            & (base["year"].to_numpy() >= first_year))
    cols = ["onset", "same_family", "pan_arab_pair", "polity_distance", *CONTROLS,
            "actor_a", "actor_b", "year", "cluster"]
    return d[keep][cols].reset_index(drop=True)


def ideology_onset_sample(panel: pd.DataFrame, measures: pd.DataFrame, *,
                          first_year: int | None = None) -> pd.DataFrame:
    """The estimation sample of the H3 onset models (all terms; complete cases per model).

    Parameters
    ----------
    panel : pandas.DataFrame
        Directed dyad-year panel from :func:`walt_alliances.analysis.designs.build_panel`.
    measures : pandas.DataFrame
        :func:`.bopbot.bop_bot_measures` of the same panel.
    first_year : int, optional
        Default: the panel's first year + 1.

    Returns
    -------
    pandas.DataFrame
        ``onset`` and the terms, ``actor_a``, ``actor_b``, ``year``, ``cluster``; pairs not
        aligned in *t-1* only.
    """
    base = ideology_base(panel, measures)
    rows = base["_row"].to_numpy()
    aligned = panel["aligned"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)[rows]
    onset = panel["onset"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)[rows]
    start = first_year if first_year is not None else int(panel["year"].min()) + 1
    return onset_sample_from(base, aligned, onset, start)


def un_ideal_points(external_dir: str | None = None) -> pd.DataFrame:
    """State-year UN General Assembly ideal points (Bailey, Strezhnev & Voeten).

    From the package's shipped source table (``sources.shipped``, verified by its sha256), so
    the model runs offline and the same with or without a raw data folder; with
    ``external_dir``, from the raw ``un_votes/Idealpoints.csv`` there instead (verified too).
    The two give identical values (``tests/sources`` rebuilds the shipped table from raw).

    Returns
    -------
    pandas.DataFrame
        ``ccode`` (int64), ``year`` (int64), ``idealpoint`` (float64).

    Raises
    ------
    walt_alliances.errors.RawDataError
        If ``external_dir`` is given and the raw file is missing or differs from the manifest.
    """
    if external_dir is None:
        from walt_alliances.sources.shipped import load_source

        d = load_source("un_idealpoints", copy=False)
    else:
        from walt_alliances.sources.shipped import build_source_table

        d = build_source_table("un_idealpoints", external_dir)
    return pd.DataFrame({"ccode": d["ccode"].astype("int64"), "year": d["year"].astype("int64"),
                         "idealpoint": d["idealpoint"].astype("float64")}).reset_index(drop=True)


def add_un_distance(sample: pd.DataFrame, panel: pd.DataFrame, ideal: pd.DataFrame
                    ) -> pd.DataFrame:
    """Add ``un_distance`` (absolute difference of the pair's ideal points) to a sample."""
    cc = panel.drop_duplicates("actor1")[["actor1", "ccode1"]]
    cc = dict(zip(cc["actor1"], cc["ccode1"].astype("Int64"), strict=True))
    ip = ideal.set_index(["ccode", "year"])["idealpoint"]
    def look(actor: pd.Series) -> np.ndarray:
        keys = pd.MultiIndex.from_arrays([actor.map(cc).astype("Int64"), sample["year"]])
        return ip.reindex(keys).to_numpy(dtype=float)
    out = sample.copy()
    out["un_distance"] = np.abs(look(sample["actor_a"]) - look(sample["actor_b"]))
    return out
