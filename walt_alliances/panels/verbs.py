"""Analysis panels: create a unit (dyad-year or state-year), then add measures to it.

``create_dyad_years`` and ``create_state_years`` build the base unit for any actors and years;
each ``add_*`` function merges one family of measures and never changes the number of rows::

    >>> import walt_alliances as wa
    >>> p = (wa.create_dyad_years(1955, 1979)
    ...      .pipe(wa.add_alignment).pipe(wa.add_threat).pipe(wa.add_ideology))

Units and rules
---------------
- **Actor-year.** An actor exists in year *t* if it exists on any day of *t*: states by the COW
  state system (v2016), non-state actors by their coded spells. The same part-year rule applies
  everywhere (alignment, aid, penetration, regimes).
- **Directed dyad-year** (``unit="directed-dyad-year"``): every ordered pair (i, j), i != j, of
  actors that both exist in *t*. ``actor1``/``ccode1`` is i, ``actor2``/``ccode2`` is j. Directed
  measures say which side acts: ``threat_*`` is j's threat to i; ``aid_from_j`` is aid j gives i;
  ``pen_by_j`` is penetration of i by j; ``mid_init`` is i initiating against j.
- **Dyad-year** (non-directed): each pair once, ``actor1 < actor2`` (actor ids in alphabetical
  order). Directed measures are given in both directions: ``<col>`` is actor2's towards actor1
  (as in the directed panel) and ``<col>_rev`` actor1's towards actor2.
- **State-year**: one row per actor-year.

The panel carries its metadata in ``DataFrame.attrs["walt_panel"]`` (unit, directedness, years,
actors, the measures added and their coverage). ``add_*`` functions check it and restore it after
their merges; a frame that lost it (e.g. after a user's own merge) gets a clear error naming the
``create_*`` function to run first, rather than a silently wrong result.

Coverage
--------
Every measure knows its coverage. Alignment variables are defined in the study's coded period
(1955-1979 for the shipped data) and missing outside it. Measures from the shipped derived
tables cover 1950-1979; a panel reaching outside raises an error. A 0 means the source covers
the case and records nothing; outside coverage the value is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from walt_alliances.errors import WaltError
from walt_alliances.panels import _join
from walt_alliances.panels.study import Study, resolve_study
from walt_alliances.records.scope import clip_to_existence, in_universe

Unit = Literal["directed-dyad-year", "dyad-year", "state-year"]
DYAD_UNITS = ("directed-dyad-year", "dyad-year")
_META = "walt_panel"
MEASURE_YEARS = (1950, 1979)
EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius

__all__ = [
    "PanelError",
    "add_aid",
    "add_alignment",
    "add_all",
    "add_capabilities",
    "add_conflict",
    "add_ideology",
    "add_penetration",
    "add_proximity",
    "add_threat",
    "create_dyad_years",
    "create_state_years",
    "great_circle_km",
    "model_frame",
    "panel_info",
    "tidy_dtypes",
]


class PanelError(WaltError, ValueError):
    """A panel function was misused: wrong unit, lost metadata, years outside coverage."""


# --------------------------------------------------------------------------- helpers


def panel_info(df: pd.DataFrame) -> dict[str, Any]:
    """Return the panel's metadata (unit, directed, start, end, actors, measures, coverage).

    Raises
    ------
    PanelError
        If the frame carries no panel metadata.
    """
    meta = df.attrs.get(_META)
    if not meta:
        raise PanelError(
            "this DataFrame carries no walt_alliances panel metadata (it was not made by "
            "create_dyad_years() or create_state_years(), or a merge or copy dropped "
            "DataFrame.attrs). Build the panel with create_dyad_years()/create_state_years() "
            "and add measures with the add_* functions before your own merges.")
    return dict(meta)


def _require(df: pd.DataFrame, fn: str, units: Sequence[str]) -> dict[str, Any]:
    meta = panel_info(df)
    if meta["unit"] not in units:
        need = " or ".join(units)
        raise PanelError(f"{fn}() needs a {need} panel; this panel's unit is {meta['unit']}")
    return meta


_LAG = re.compile(r"^(?P<base>.+)_lag\d+$")


def tidy_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """Give a panel its documented dtypes (in place; returns the frame).

    - actor ids (``actor_id``, ``actor1``, ``actor2``): one ordered ``category`` (sorted ids,
      shared by both sides); ``dyad``: ``category``;
    - keys ``year`` and ``ccode*``: nullable ``Int64``;
    - counts and indicators: nullable integers (``Int8``/``Int64``), missing as ``<NA>``;
      lagged copies keep the dtype of the column they lag;
    - real-valued measures: numpy ``float64`` with ``NaN`` for missing (never ``Float64``);
    - booleans: ``Int8``.

    :func:`model_frame` turns such a panel into plain numpy floats for modelling.
    """
    actor_cols = [c for c in ("actor_id", "actor1", "actor2") if c in df.columns]
    if actor_cols:  # one ordered category set for both sides, so actor1 < actor2 still works
        present: set[str] = set()
        for c in actor_cols:
            present.update(_present_values(df[c]))
        ids = sorted(present)
        actor_type = df[actor_cols[0]].dtype
        if not (isinstance(actor_type, pd.CategoricalDtype) and actor_type.ordered
                and actor_type.categories.tolist() == ids):
            actor_type = pd.CategoricalDtype(ids, ordered=True)
        for c in actor_cols:
            if df[c].dtype != actor_type:
                df[c] = df[c].astype("string").astype(actor_type)
    dtypes = dict(df.dtypes.items())  # one lookup, not a Series per column
    for col, dtype in dtypes.items():
        if col == "dyad" and not isinstance(dtype, pd.CategoricalDtype):
            values = df[col].astype("string")
            df[col] = pd.Categorical(values, categories=sorted(values.dropna().unique()))
        elif col == "year" or col.startswith("ccode"):
            if str(dtype) != "Int64":
                df[col] = df[col].astype("Int64")
        elif isinstance(dtype, pd.Float64Dtype):
            df[col] = df[col].astype("float64")
        elif pd.api.types.is_bool_dtype(dtype):
            df[col] = df[col].astype("Int8")
        else:
            continue
        dtypes[col] = df[col].dtype
    for col in dtypes:
        m = _LAG.match(col)
        if m and m["base"] in dtypes:
            base = dtypes[m["base"]]
            if pd.api.types.is_integer_dtype(base) and not pd.api.types.is_integer_dtype(
                    dtypes[col]):
                values = df[col]
                if values.dropna().mod(1).eq(0).all():
                    df[col] = values.astype(str(base) if str(base)[0] == "I" else "Int64")
                    dtypes[col] = df[col].dtype
    return df


def _present_values(s: pd.Series) -> set[str]:
    """The distinct non-missing values of a column, as strings (categories actually used)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(s.cat.categories)) > 0
        cats = s.cat.categories.tolist()
        return {str(x) for x, u in zip(cats, used.tolist(), strict=True) if u}
    return {str(x) for x in s.dropna().unique()}


def model_frame(df: pd.DataFrame, columns: Sequence[str] | None = None, *,
                dropna: bool = False) -> pd.DataFrame:
    """Return a copy of a panel ready for statistical models: numpy floats with NaN.

    Every numeric column (nullable integers, indicators, floats) becomes ``float64`` with
    ``NaN`` for missing, so formula interfaces (statsmodels, patsy, scikit-learn) accept it;
    categorical and text columns (actor ids, regime families) are kept as categories for
    ``C(...)`` terms and clustering.

    Parameters
    ----------
    df : pandas.DataFrame
        A panel from :func:`create_dyad_years` / :func:`create_state_years` and ``add_*``.
    columns : sequence of str, optional
        Columns to keep (default: all).
    dropna : bool, default False
        Drop rows with any missing value in the kept columns (complete cases).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import statsmodels.formula.api as smf
    >>> p = add_threat(add_ideology(add_alignment(create_dyad_years(1955, 1979))))
    >>> mf = model_frame(p, ["aligned", "common_threat", "ideo_same_family", "dyad"])
    >>> fit = smf.logit("aligned ~ common_threat + ideo_same_family", data=mf).fit(disp=0)
    >>> int(fit.nobs) == len(mf.dropna())
    True
    """
    out = df[list(columns)] if columns is not None else df
    data = {}
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(s) or (
                s.dtype == object):
            data[col] = s.astype("category") if not isinstance(s.dtype, pd.CategoricalDtype) \
                else s
        elif pd.api.types.is_datetime64_any_dtype(s):
            data[col] = s
        else:
            data[col] = s.astype("float64") if not pd.api.types.is_extension_array_dtype(s) \
                else s.to_numpy(dtype="float64", na_value=np.nan)
    frame = pd.DataFrame(data, index=out.index)
    if dropna:
        frame = frame.dropna()
    return frame


def _finish(df: pd.DataFrame, meta: dict[str, Any], n: int, measure: str,
            coverage: dict[str, Any]) -> pd.DataFrame:
    if len(df) != n:  # pragma: no cover - guarded by unique merge keys
        raise AssertionError(f"{measure} changed the number of rows ({n} -> {len(df)})")
    meta = dict(meta)
    meta["measures"] = {**meta.get("measures", {}), measure: coverage}
    tidy_dtypes(df)
    df.attrs = {_META: _join.Meta(meta)}
    return df


def _check_years(meta: dict[str, Any], fn: str, years: tuple[int, int] | Study | None,
                 what: str) -> None:
    if not isinstance(years, tuple):
        years = resolve_study(years).measure_years
    if meta["start"] < years[0] or meta["end"] > years[1]:
        raise PanelError(
            f"{fn}(): the panel runs {meta['start']}-{meta['end']} but {what} cover "
            f"{years[0]}-{years[1]}; build the panel within those years")


def _day(s: object, end: bool) -> dt.date:
    if isinstance(s, pd.Timestamp) and not pd.isna(s):
        return s.date()
    return dt.date.max if end else dt.date.min


def _open_end(r: Any) -> dt.date:
    """Last day a spell is known: its end, or for an open end the date it was coded to."""
    if not pd.isna(r.end_last_day):
        return _day(r.end_last_day, True)
    coded = getattr(r, "coded_to_last_day", pd.NaT)
    return _day(coded, True) if not pd.isna(coded) else dt.date.max


def _actor_years(study: Study, start: int, end: int, actor_ids: Iterable[str] | None
                 ) -> pd.DataFrame:
    actors = study["actors"]
    spells = study["actor_spells"]
    universe = set(in_universe(actors)["actor_id"])
    if actor_ids is not None:
        wanted = list(dict.fromkeys(actor_ids))
        unknown = sorted(set(wanted) - set(actors["actor_id"]))
        if unknown:
            raise PanelError(f"unknown actor ids: {', '.join(unknown)}; known: "
                             f"{', '.join(sorted(actors['actor_id']))}")
        outside = sorted(set(wanted) - universe)
        if outside:
            raise PanelError(f"{', '.join(outside)}: outside states, named only as threats, are "
                             "not in the alignment universe and have no panel rows")
        spells = spells[spells["actor_id"].isin(wanted)]
    else:
        spells = spells[spells["actor_id"].isin(universe)]
    rows: list[tuple[Any, ...]] = []
    for a, s, e in zip(spells["actor_id"], spells["start_first_day"], spells["end_last_day"],
                       strict=True):
        y0 = max(start, _day(s, False).year)
        y1 = min(end, _day(e, True).year)
        rows.extend((a, y) for y in range(y0, y1 + 1))
    ay = pd.DataFrame(rows, columns=["actor_id", "year"]).drop_duplicates()
    info = actors[["actor_id", "ccode", "kind"]]
    ay = ay.merge(info, on="actor_id", how="left")
    ay["year"] = ay["year"].astype("int64")
    return ay.sort_values(["actor_id", "year"], kind="mergesort").reset_index(drop=True)


def _ids_from(study: Study, actors: Iterable[str] | None, ccodes: Iterable[int] | None
              ) -> list[str] | None:
    if actors is None and ccodes is None:
        return None
    ids = list(actors or [])
    if ccodes is not None:
        tab = study["actors"].dropna(subset=["ccode"])
        by_cc = dict(zip(tab["ccode"].astype(int), tab["actor_id"], strict=True))
        unknown = sorted(int(c) for c in ccodes if int(c) not in by_cc)
        if unknown:
            raise PanelError(f"COW codes not among the study's actors: {unknown}")
        ids += [by_cc[int(c)] for c in ccodes]
    return ids


def _years_arg(start: int, end: int) -> None:
    for v in (start, end):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
            raise PanelError(f"years must be integers, got {v!r}")
    if start > end:
        raise PanelError(f"start year {start} is after end year {end}")


# --------------------------------------------------------------------------- create


def create_state_years(start: int = 1955, end: int = 1979, *, actors: Iterable[str] | None = None,
                       ccodes: Iterable[int] | None = None,
                       study: Study | None = None) -> pd.DataFrame:
    """Create a state-year panel (one row per actor and year it exists).

    Parameters
    ----------
    start, end : int
        First and last year (inclusive).
    actors : iterable of str, optional
        Actor ids; default every actor of the study (states and non-state actors).
    ccodes : iterable of int, optional
        COW codes (added to ``actors``).
    study : Study, optional
        The data (default: the shipped data; see :mod:`walt_alliances.panels.study`).

    Returns
    -------
    pandas.DataFrame
        ``actor_id``, ``ccode`` (Int64, missing for non-state actors), ``kind``, ``year``.
    """
    _years_arg(start, end)
    st = resolve_study(study)
    ids = _ids_from(st, actors, ccodes)
    df = _actor_years(st, start, end, ids)
    df = tidy_dtypes(df[["actor_id", "ccode", "kind", "year"]].copy())
    df.attrs = {_META: {"unit": "state-year", "directed": None, "start": start, "end": end,
                        "actors": tuple(sorted(df["actor_id"].unique())), "measures": {},
                        "study": st.label, "period": st.period_years,
                        "data": st.data_origin, "coverage_gaps": list(st.coverage_gaps)}}
    return df


def create_dyad_years(start: int = 1955, end: int = 1979, *, directed: bool = True,
                      actors: Iterable[str] | None = None, ccodes: Iterable[int] | None = None,
                      study: Study | None = None) -> pd.DataFrame:
    """Create a dyad-year panel of every pair of actors that both exist in a year.

    Parameters
    ----------
    start, end : int
        First and last year (inclusive).
    directed : bool
        Ordered pairs (i, j) and (j, i) (default) or each pair once (``actor1 < actor2``).
    actors : iterable of str, optional
        Actor ids; default every actor of the study.
    ccodes : iterable of int, optional
        COW codes (added to ``actors``).
    study : Study, optional
        The data (default: the shipped data).

    Returns
    -------
    pandas.DataFrame
        ``actor1``, ``actor2``, ``ccode1``, ``ccode2`` (Int64), ``kind1``, ``kind2``, ``year``,
        ``dyad`` (the non-directed pair id ``A-B``, used for clustering), sorted by year,
        actor1, actor2. Metadata in ``attrs["walt_panel"]``.

    Examples
    --------
    >>> p = create_dyad_years(1959, 1959, ccodes=[651, 652, 663])
    >>> sorted(set(p["actor1"]))  # Syria did not exist in 1959 (the UAR)
    ['EGY', 'JOR']
    """
    _years_arg(start, end)
    st = resolve_study(study)
    ids = _ids_from(st, actors, ccodes)
    key = ("create_dyad_years", int(start), int(end), bool(directed),
           None if ids is None else tuple(ids))
    df, meta = _join.cached(st, key, lambda: _build_dyad_years(st, start, end, directed, ids))
    out = df.copy(deep=False)
    out.attrs = {_META: _join.Meta(meta)}
    return out


# --------------------------------------------------------------------------- alignment


def _member_spells(st: Study, min_confidence: str | None,
                   exclude_alignments: Iterable[str]) -> pd.DataFrame:
    ms = st["memberships"].merge(
        st["alignments"][["alignment_id", "kind", "confidence"]], on="alignment_id")
    ex = set(exclude_alignments)
    if ex:
        ms = ms[~ms["alignment_id"].isin(ex)]
    if min_confidence is not None:
        order = {"low": 0, "medium": 1, "high": 2}
        if min_confidence not in order:
            raise PanelError(f"min_confidence must be low, medium or high, not {min_confidence!r}")
        ms = ms[ms["confidence"].astype(str).map(order) >= order[min_confidence]]
    p0 = np.datetime64(st.period_start, "D")
    p1 = np.datetime64(st.period_end, "D")
    s = ms["start_first_day"].to_numpy(dtype="datetime64[D]")
    e = ms["end_last_day"].to_numpy(dtype="datetime64[D]")
    s = np.maximum(np.where(np.isnat(s), p0, s), p0)
    e = np.minimum(np.where(np.isnat(e), p1, e), p1)
    out = ms.assign(s=s, e=e)[["alignment_id", "actor_id", "kind", "s", "e"]]
    # a member that is part of a union counts only on days it exists as a state (COW rule)
    if "part_of_union" in ms.columns:
        flagged = ms["part_of_union"].fillna(False).astype(bool).to_numpy()
        if flagged.any():
            part = clip_to_existence(out[flagged], st["actor_spells"])
            out = pd.concat([out[~flagged], part], ignore_index=True)
    return out


def alignment_dyad_years(study: Study | None = None, *, min_confidence: str | None = None,
                         exclude_alignments: Iterable[str] = ()) -> pd.DataFrame:
    """Directed dyad-years in which two actors were members of the same alignment.

    A pair is aligned in year *t* when both were members of one alignment at the same time on
    at least one day of *t* (spells resolved by the partial-date rule, cut to the coded period).

    Returns
    -------
    pandas.DataFrame
        ``actor1``, ``actor2``, ``year``, ``alignment_id``, ``kind``: one row per alignment the
        pair shared in the year (both orders).
    """
    st = resolve_study(study)
    ms = _member_spells(st, min_confidence, exclude_alignments)
    pairs = ms.merge(ms, on=["alignment_id", "kind"], suffixes=("1", "2"))
    pairs = pairs[pairs["actor_id1"] != pairs["actor_id2"]]
    lo = np.maximum(pairs["s1"].to_numpy("datetime64[D]"), pairs["s2"].to_numpy("datetime64[D]"))
    hi = np.minimum(pairs["e1"].to_numpy("datetime64[D]"), pairs["e2"].to_numpy("datetime64[D]"))
    ok = lo <= hi
    pairs, lo, hi = pairs[ok], lo[ok], hi[ok]
    y0 = lo.astype("datetime64[Y]").astype(int) + 1970
    y1 = hi.astype("datetime64[Y]").astype(int) + 1970
    reps = (y1 - y0 + 1).astype(int)
    idx = np.repeat(np.arange(len(pairs)), reps)
    offset = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    rows = pd.DataFrame({
        "actor1": pairs["actor_id1"].to_numpy()[idx], "actor2": pairs["actor_id2"].to_numpy()[idx],
        "year": (y0[idx] + offset).astype("int64"),
        "alignment_id": pairs["alignment_id"].to_numpy()[idx],
        "kind": pairs["kind"].to_numpy()[idx],
    })
    out = rows
    return out.drop_duplicates().sort_values(["actor1", "actor2", "year", "alignment_id"],
                                             kind="mergesort").reset_index(drop=True)


def add_alignment(df: pd.DataFrame, *, min_confidence: str | None = None,
                  exclude_alignments: Iterable[str] = (), study: Study | None = None
                  ) -> pd.DataFrame:
    """Add alignment status (the dependent variables).

    Dyad panels get ``aligned`` (1 if the pair shares any alignment in *t*),
    ``aligned_formal`` (a ``formal_treaty``), ``aligned_<kind>`` for each alignment kind,
    ``n_alignments`` (distinct alignments shared), ``alignment_ids`` (';'-joined) and ``onset``
    (aligned in *t* and not in *t-1*). A dyad in several alignments at once counts once in
    ``aligned`` and once per alignment in ``n_alignments``. State-year panels get
    ``aligned_any``, ``n_alignments`` and ``n_partners``.

    Coverage: the study's coded period (1955-1979 for the shipped data). Outside it every
    alignment variable is missing; ``onset`` is also missing in the period's first year (the
    year before is not coded).

    Parameters
    ----------
    df : pandas.DataFrame
        A panel from ``create_*``.
    min_confidence : {"low", "medium", "high"}, optional
        Keep only alignments whose record confidence is at least this (robustness).
    exclude_alignments : iterable of str
        Alignment ids to leave out (robustness: drop one alignment at a time).
    study : Study, optional
        The data (default: the shipped data).
    """
    meta = _require(df, "add_alignment", ("directed-dyad-year", "dyad-year", "state-year"))
    st = resolve_study(study)
    p0, p1 = st.period_years
    exclude = tuple(sorted(set(exclude_alignments)))
    n = len(df)
    covered = df["year"].between(p0, p1)
    kinds = sorted(st["alignments"]["kind"].cat.categories)
    if meta["unit"] == "state-year":
        ad = alignment_dyad_years(st, min_confidence=min_confidence,
                                  exclude_alignments=exclude)
        g = ad.groupby(["actor1", "year"])
        agg = pd.DataFrame({"n_alignments": g["alignment_id"].nunique(),
                            "n_partners": g["actor2"].nunique()}).reset_index()
        agg = agg.rename(columns={"actor1": "actor_id"})
        out = df.merge(agg, on=["actor_id", "year"], how="left")
        for c in ("n_alignments", "n_partners"):
            out[c] = out[c].fillna(0).astype("Int64").where(covered.to_numpy(), pd.NA)
        out["aligned_any"] = (out["n_alignments"] > 0).astype("Int8")
        return _finish(out, meta, n, "alignment", {"years": [p0, p1]})
    right = _join.cached(st, ("alignment", min_confidence, exclude),
                         lambda: _alignment_right(st, min_confidence, exclude, kinds))
    k = _panel_keys(st, df)
    pos = right.positions(_actor_key(k))
    was = right.positions(_actor_key(k, lag=1)) >= 0
    cov = covered.to_numpy()
    found = pos >= 0
    counts = right.frame["n_alignments"].to_numpy()
    nal = np.where(found, counts[np.maximum(pos, 0)], 0)
    new: dict[str, Any] = {
        "n_alignments": _join.int_array(nal, ~cov, "Int64"),
        "alignment_ids": pd.array(_join.take_values(right.frame["alignment_ids"], pos),
                                  dtype="string"),
    }
    for kind in kinds:
        flag = right.frame[f"aligned_{kind}"].to_numpy()
        new[f"aligned_{kind}"] = _join.int_array(np.where(found, flag[np.maximum(pos, 0)], 0),
                                                 ~cov, "Int8")
    aligned = nal > 0
    new["aligned"] = _join.int_array(aligned, ~cov, "Int8")
    new["aligned_formal"] = new["aligned_formal_treaty"].copy()
    onset_cov = cov & (k["year"] > p0)
    new["onset"] = _join.int_array(aligned & ~was, ~onset_cov, "Int8")
    return _finish(_join.attach(df, new), meta, n, "alignment", {"years": [p0, p1]})


# --------------------------------------------------------------------------- measures


def _measures(study: Study | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The study's state-year and dyad-year measures (shipped, or rebuilt for an extension)."""
    return resolve_study(study).measures()


_SY_COLS = ("cinc", "milex", "milper", "tpop", "upop", "irst", "pec")


def _merge_state(df: pd.DataFrame, meta: dict[str, Any], sy: pd.DataFrame | Study,
                 cols: Sequence[str]) -> pd.DataFrame:
    if not isinstance(sy, Study):
        raise TypeError("_merge_state takes the study")
    right = _sy_right(sy)
    if meta["unit"] == "state-year":
        key = _join.combine([(_join.ccode_codes(df["ccode"]), _join._CCODE_SPAN),
                             (_join.int_codes(df["year"]), 0)])
        return _join.attach(df, right.take(key, cols))
    year = _join.int_codes(df["year"])
    new: dict[str, Any] = {}
    for side in ("1", "2"):
        key = _join.combine([(_join.ccode_codes(df[f"ccode{side}"]), _join._CCODE_SPAN),
                             (year, 0)])
        new.update({f"{c}{side}": v for c, v in right.take(key, cols).items()})
    return _join.attach(df, new)


def add_capabilities(df: pd.DataFrame, *, study: Study | None = None) -> pd.DataFrame:
    """Add COW NMC 6.0 capabilities (CINC, military expenditure and personnel, population).

    State-year panels get ``cinc``, ``milex`` (thousands of current USD), ``milper``
    (thousands), ``tpop``, ``upop`` (thousands), ``irst``, ``pec``; dyad panels get each for
    both sides (``cinc1`` for actor1, ``cinc2`` for actor2). Missing for non-state actors and
    where NMC is missing (-9). Coverage: 1950-1979 (the shipped derived table).
    """
    meta = _require(df, "add_capabilities", ("directed-dyad-year", "dyad-year", "state-year"))
    st = resolve_study(study)
    _check_years(meta, "add_capabilities", st, "the study's NMC measures")
    out = _merge_state(df, meta, st, _SY_COLS)
    return _finish(out, meta, len(df), "capabilities", {"years": list(st.measure_years),
                                                        "source": "COW NMC 6.0"})


def _merge_dyad(df: pd.DataFrame, meta: dict[str, Any], right: _join.Right,
                cols: Sequence[str], k: dict[str, Any] | None = None,
                reverse: bool | None = None) -> dict[str, Any]:
    """Columns ``cols`` of a (ccode1, ccode2, year) table for each row (and ``<col>_rev``)."""
    if k is None:
        k = {"c1": _join.ccode_codes(df["ccode1"]), "c2": _join.ccode_codes(df["ccode2"]),
             "year": _join.int_codes(df["year"])}
    new = right.take(_ccode_key(k), cols)
    if reverse if reverse is not None else meta["unit"] == "dyad-year":
        rev = right.take(_ccode_key(k, "c2", "c1"), cols)
        new.update({f"{c}_rev": v for c, v in rev.items()})
    return new


def great_circle_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km on a sphere of the IUGG mean Earth radius (haversine)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _capital_years(st: Study, start: int, end: int) -> pd.DataFrame:
    caps = st["capitals"]
    rows: list[tuple[Any, ...]] = []
    for r in caps.itertuples(index=False):
        y0 = max(start, _day(r.start_first_day, False).year)
        y1 = min(end, _open_end(r).year)
        rows.extend((r.actor_id, y, r.lat, r.lon, _day(r.start_first_day, False))
                    for y in range(y0, y1 + 1))
    cy = pd.DataFrame(rows, columns=["actor_id", "year", "lat", "lon", "_s"])
    # a capital that changed within a year: the one in force at the end of the year
    cy = cy.sort_values(["actor_id", "year", "_s"], kind="mergesort")
    return cy.drop_duplicates(["actor_id", "year"], keep="last").drop(columns="_s")


def add_proximity(df: pd.DataFrame, *, study: Study | None = None) -> pd.DataFrame:
    """Add proximity: COW contiguity, Gleditsch capital distance and our great-circle distance.

    ``contig`` (0 none, 1 land or river, 2-5 water up to 12/24/150/400 miles; COW direct
    contiguity 3.2, a spell counts in every year it touches, the closest type wins),
    ``capdist_km`` (Gleditsch and Ward capital distance) and ``capdist_gc_km`` (great-circle
    distance between the coded capitals, ``datasets/capitals.yaml``; a capital that moved during
    the year counts at its end-of-year location). Symmetric. Missing for non-state actors.
    """
    meta = _require(df, "add_proximity", DYAD_UNITS)
    st = resolve_study(study)
    _check_years(meta, "add_proximity", st, "the study's contiguity and distances")
    k = _panel_keys(st, df)
    new = _merge_dyad(df, meta, _dy_right(st), ["contig", "capdist_km"], k, reverse=False)
    caps = _join.cached(st, "capitals", lambda: _right_actor_year(
        st, _capital_years(st, *st.measure_years)))
    n = int(k["n"])
    lat = caps.frame["lat"].astype(float).to_numpy()
    lon = caps.frame["lon"].astype(float).to_numpy()
    coords = []
    for side in ("a1", "a2"):
        pos = caps.positions(_join.combine([(k[side], n), (k["year"], 0)]))
        coords += [np.where(pos >= 0, lat[np.maximum(pos, 0)], np.nan),
                   np.where(pos >= 0, lon[np.maximum(pos, 0)], np.nan)]
    gc = great_circle_km(*coords)
    new["capdist_gc_km"] = np.round(gc, 1)  # float64, NaN where a capital is missing
    return _finish(_join.attach(df, new), meta, len(df), "proximity",
                   {"years": list(st.measure_years), "source": "COW contiguity 3.2; Gleditsch "
                    "capdist; coded capitals",
                    "capitals_coded_to": st.coded_to("capitals")})


_CONFLICT = ("mid_ongoing", "mid_onset", "mid_hostlev", "mid_init", "mid_count_prev5",
             "mid_init_prev5", "mid_target_prev5", "war_ongoing", "war_onset", "war_init",
             "war_count_prev5", "war_init_prev5", "war_target_prev5")


def add_conflict(df: pd.DataFrame, *, study: Study | None = None) -> pd.DataFrame:
    """Add militarized disputes (GML 2.1.1) and wars (COW) between the pair.

    Columns as in :func:`walt_alliances.measures.shipped.load_dyad_years`: ongoing and onset in *t*,
    highest hostility, ``*_init`` (actor1 initiated against actor2), counts in *t-5..t-1*
    (``*_prev5``; ``*_target_prev5`` counts those actor2 initiated against actor1). Missing for
    non-state actors.

    Also the coded hostile acts the conflict datasets miss (``datasets/hostile_acts.yaml``:
    subversion, coups sponsored, propaganda campaigns ...), between any actors including
    non-state ones: ``hostile_by_j`` (1 if an act by actor2 against actor1 is active in *t*; an
    act with no end counts in its start year) and ``hostile_by_j_prev5`` (act-years in
    *t-5..t-1*). Missing after the last year the acts are coded for.
    """
    meta = _require(df, "add_conflict", DYAD_UNITS)
    st = resolve_study(study)
    _check_years(meta, "add_conflict", st, "the study's conflict measures")
    k = _panel_keys(st, df)
    new = _merge_dyad(df, meta, _dy_right(st), list(_CONFLICT), k)
    acts = _events_right(st, "hostile_acts", "actor_id", "target_id")
    prev = _prev5_right(st)
    last = st.event_end("hostile_acts")
    year = k["year"]
    covered = year <= last
    new["hostile_by_j"] = _join.int_array(acts.positions(_actor_key(k)) >= 0, ~covered, "Int8")
    pos = prev.positions(_actor_key(k))
    counts = prev.frame["n"].to_numpy()
    new["hostile_by_j_prev5"] = _join.int_array(
        np.where(pos >= 0, counts[np.maximum(pos, 0)], 0),
        ~(covered & (year - 5 >= st.measure_years[0])), "Int64")
    if meta["unit"] == "dyad-year":  # non-directed: also actor1's acts against actor2
        new["hostile_by_j_rev"] = _join.int_array(
            acts.positions(_actor_key(k, "a2", "a1")) >= 0, ~covered, "Int8")
    return _finish(_join.attach(df, new), meta, len(df), "conflict",
                   {"years": list(st.measure_years), "source": "GML MID 2.1.1; COW wars",
                    "hostile_acts_coded_to": st.event_end("hostile_acts")})


def _threat_frames(st: Study, spec: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    from walt_alliances.measures.threat import COMPONENTS, common_threat_dense, compute_threat

    sy, dy = _measures(st)
    acts = st["hostile_acts"]
    cc = dict(zip(st["actors"]["actor_id"], st["actors"]["ccode"], strict=True))
    rows: list[tuple[Any, ...]] = []
    for r in acts.itertuples(index=False):
        a, b = cc.get(r.actor_id), cc.get(r.target_id)
        if a is None or b is None or pd.isna(a) or pd.isna(b):
            continue
        y0 = _day(r.start_first_day, False).year
        y1 = _day(r.end_last_day, True).year if not pd.isna(r.end_last_day) else y0
        rows.extend((int(a), int(b), y) for y in range(y0, y1 + 1))
    ha = pd.DataFrame(rows, columns=["ccode_from", "ccode_to", "year"], dtype="int64")
    th = compute_threat(dy, sy, spec, hostile_acts=ha)
    # the pair's common threat by the index and by each component, all years at once
    codes, years, best, arg = common_threat_dense(th, ["threat_index", *COMPONENTS])
    yi, ii, jj = np.nonzero(np.isfinite(best[0]))
    keep = ii != jj
    yi, ii, jj = yi[keep], ii[keep], jj[keep]
    order = np.lexsort((yi, jj, ii))
    yi, ii, jj = yi[order], ii[order], jj[order]
    ct: dict[str, Any] = {
        "ccode1": codes[ii], "ccode2": codes[jj], "year": years[yi],
        "common_threat": best[0][yi, ii, jj].astype("float64"),
        "common_threat_source": codes[arg[0][yi, ii, jj]],
    }
    for c, comp in enumerate(COMPONENTS, start=1):
        v = best[c][yi, ii, jj]
        ct[f"common_{comp}"] = np.where(np.isfinite(v), v, np.nan)
    return th, pd.DataFrame(ct)


def add_threat(df: pd.DataFrame, spec: Any = None, *, study: Study | None = None
               ) -> pd.DataFrame:
    """Add the threat index of actor2 to actor1 and the pair's common threat.

    Columns: ``threat_power``, ``threat_proximity``, ``threat_offense``, ``threat_intent``,
    ``threat_index`` (actor2's threat to actor1; see :mod:`walt_alliances.measures.threat` for the
    formula and :class:`~walt_alliances.measures.threat.ThreatSpec` for the options),
    ``common_threat``
    (how much both are threatened by the same third state: max over k of
    min(threat k->actor1, threat k->actor2)), ``common_threat_source`` (that state's COW code)
    and ``common_threat_power`` ... ``common_threat_intent`` (the same for each component
    alone; ``common_threat_power`` is the balance-of-power version: a shared stronger third
    state). Hostile acts coded in ``datasets/hostile_acts.yaml`` count towards
    intentions. Defined between states; missing for non-state actors.

    Parameters
    ----------
    df : pandas.DataFrame
        A dyad panel.
    spec : ThreatSpec, optional
        Form and weights of the index (default ``ThreatSpec()``).
    study : Study, optional
        The data (hostile acts).
    """
    from dataclasses import asdict

    from walt_alliances.measures.threat import COMPONENTS, ThreatSpec

    meta = _require(df, "add_threat", DYAD_UNITS)
    st = resolve_study(study)
    _check_years(meta, "add_threat", st, "the study's measures behind the index")
    spec = spec or ThreatSpec()
    cols = [*COMPONENTS, "threat_index"]
    ctcols = ["common_threat", "common_threat_source", *(f"common_{c}" for c in COMPONENTS)]

    def build() -> tuple[_join.Right, _join.Right]:
        th, ct = _threat_frames(st, spec)
        return _right_ccode_pairs(th, cols), _right_ccode_pairs(ct, ctcols)

    th_right, ct_right = _join.cached(st, ("threat", spec), build)
    k = {"c1": _join.ccode_codes(df["ccode1"]), "c2": _join.ccode_codes(df["ccode2"]),
         "year": _join.int_codes(df["year"])}
    new = _merge_dyad(df, meta, th_right, cols, k)
    new.update(_merge_dyad(df, meta, ct_right, ctcols, k, reverse=False))
    return _finish(_join.attach(df, new), meta, len(df), "threat",
                   {"years": list(st.measure_years), "spec": asdict(spec)})


def _regime_years(st: Study, start: int, end: int) -> pd.DataFrame:
    reg = st["regimes"]
    rows: list[tuple[Any, ...]] = []
    for r in reg.itertuples(index=False):
        s, e = _day(r.start_first_day, False), _open_end(r)
        for y in range(max(start, s.year), min(end, e.year) + 1):
            lo, hi = max(s, dt.date(y, 1, 1)), min(e, dt.date(y, 12, 31))
            fam = None if pd.isna(r.family) else str(r.family)  # unknown: a missing family
            rows.append((r.actor_id, y, fam, (hi - lo).days + 1, lo))
    ry = pd.DataFrame(rows, columns=["actor_id", "year", "family", "_days", "_lo"])
    # the family in force for the most days of the year (ties: the later spell); a spell
    # whose family is unknown still holds its days, so its years get a missing family
    ry = ry.sort_values(["actor_id", "year", "_days", "_lo"], kind="mergesort")
    return ry.drop_duplicates(["actor_id", "year"], keep="last")[["actor_id", "year", "family"]]


#: Families that carry pan-Arab claims (Walt's divisive ideology).
PAN_ARAB = ("pan_arab_nationalist", "baathist")


def add_ideology(df: pd.DataFrame, *, study: Study | None = None) -> pd.DataFrame:
    """Add regime families (coded) and Polity5 scores.

    State-year: ``family`` (the regime family in force for the most days of *t*; vocabulary in
    the codebook), ``polity2``. Dyads: ``family1``, ``family2``, ``ideo_same_family`` (1 if the
    same family), ``ideo_pan_arab_pair`` (1 if both are pan-Arab: Nasserist or Ba'thist, the
    ideology Walt calls divisive), ``polity2_1``, ``polity2_2`` and ``ideo_polity_absdiff``.
    Families are coded for 1950-1979 (``datasets/regimes.yaml``); missing for non-state actors.
    """
    from walt_alliances.records.vocab import REGIME_FAMILIES

    meta = _require(df, "add_ideology", ("directed-dyad-year", "dyad-year", "state-year"))
    st = resolve_study(study)
    _check_years(meta, "add_ideology", st, "the coded regimes and Polity5 measures")
    n = len(df)
    if meta["unit"] == "state-year":
        ry = _regime_years(st, meta["start"], meta["end"])
        out = df.merge(ry, on=["actor_id", "year"], how="left")
        out["family"] = pd.Categorical(out["family"], categories=REGIME_FAMILIES)
        out = _merge_state(out, meta, st, ["polity2"])
        return _finish(out, meta, n, "ideology", {"years": list(st.measure_years),
                                                  "regimes_coded_to": st.coded_to("regimes")})

    def build() -> _join.Right:
        ry = _regime_years(st, *st.measure_years)
        codes = pd.Categorical(ry["family"], categories=REGIME_FAMILIES).codes.astype(np.int64)
        return _right_actor_year(st, ry[["actor_id", "year"]].assign(code=codes))

    regimes = _join.cached(st, "regimes", build)
    k = _panel_keys(st, df)
    nn = int(k["n"])
    fam_codes = regimes.frame["code"].to_numpy()
    cats = pd.Index(REGIME_FAMILIES)
    new: dict[str, Any] = {}
    codes = {}
    for side, a in (("1", "a1"), ("2", "a2")):
        pos = regimes.positions(_join.combine([(k[a], nn), (k["year"], 0)]))
        codes[side] = np.where(pos >= 0, fam_codes[np.maximum(pos, 0)], -1)
        new[f"family{side}"] = pd.Categorical.from_codes(codes[side], categories=cats)
    both = (codes["1"] >= 0) & (codes["2"] >= 0)
    new["ideo_same_family"] = _join.int_array(codes["1"] == codes["2"], ~both, "Int8")
    pan = np.flatnonzero(cats.isin(PAN_ARAB))
    new["ideo_pan_arab_pair"] = _join.int_array(
        np.isin(codes["1"], pan) & np.isin(codes["2"], pan), ~both, "Int8")
    sy = _sy_right(st)
    p1 = sy.take(_join.combine([(k["c1"], _join._CCODE_SPAN), (k["year"], 0)]), ["polity2"])
    p2 = sy.take(_join.combine([(k["c2"], _join._CCODE_SPAN), (k["year"], 0)]), ["polity2"])
    new["polity2_1"], new["polity2_2"] = p1["polity2"], p2["polity2"]
    new["ideo_polity_absdiff"] = abs(p1["polity2"] - p2["polity2"])
    return _finish(_join.attach(df, new), meta, n, "ideology",
                   {"years": list(st.measure_years), "regimes_coded_to": st.coded_to("regimes")})


def _episode_years(frame: pd.DataFrame, a: str, b: str, start: int, end: int) -> pd.DataFrame:
    rows: list[tuple[Any, ...]] = []
    for r in frame.itertuples(index=False):
        y0 = _day(r.start_first_day, False).year
        y1 = _day(r.end_last_day, True).year if not pd.isna(r.end_last_day) else y0
        rows.extend((getattr(r, a), getattr(r, b), y) for y in range(max(y0, start),
                                                                      min(y1, end) + 1))
    return pd.DataFrame(rows, columns=["from", "to", "year"]).drop_duplicates()


def _lagged(df: pd.DataFrame, col: str, keys: list[str], lag: int) -> pd.Series:
    src = df[[*keys, col]].assign(year=df["year"] + lag)
    merged = df[keys].merge(src, on=keys, how="left")
    return merged[col]


def add_aid(df: pd.DataFrame, *, lag: int = 1, study: Study | None = None) -> pd.DataFrame:
    """Add aid given by actor2 to actor1, current and lagged.

    - ``aid_us_oblig_constant``: US economic and military aid obligations to actor1 in fiscal
      year *t* (Greenbook summary, constant USD; the summary does not split economic from
      military), where actor2 is the USA; missing otherwise and outside the Greenbook's years.
    - ``aid_soviet``: 1 if a coded Soviet aid record (``datasets/soviet_aid.yaml``) to actor1 is
      active in *t*, where actor2 is the USSR (a record with no end counts in its start year
      only); 0 = no coded record (our coding, 1955-1979); missing for other donors and after
      the last year Soviet aid is coded for.
    - ``aid_from_j``: 1 if actor2 gave actor1 aid in *t* by the two measures above (US
      obligations > 0, or Soviet aid coded); missing where actor2 is neither superpower.
    - ``arms_tiv_from_j``: SIPRI TIV of arms delivered by actor2 to actor1 (1970 on; missing
      before 1970 and where SIPRI's supplier breakdown is incomplete).
    - ``<col>_lag<lag>``: the same in *t-lag* (the book argues aid follows alignment, so lag).
    """
    meta = _require(df, "add_aid", ("directed-dyad-year",))
    st = resolve_study(study)
    _check_years(meta, "add_aid", st, "the study's aid measures")
    cube = _join.cached(st, ("aid", lag), lambda: _aid_cube(st, lag))
    k = _panel_keys(st, df)
    new = cube.take(_actor_key(k))
    for c in [c for c in new if c.endswith(f"_lag{lag}")]:
        new[c] = pd.Series(new[c]).to_numpy()  # as the pandas version: numpy, missing -> NaN
    return _finish(_join.attach(df, new), meta, len(df), "aid",
                   {"years": list(st.measure_years), "lag": lag,
                    "soviet_aid_coded_to": st.event_end("soviet_aid")})


def _aid_cube(st: Study, lag: int) -> _join.Right:
    """Aid values of every ordered actor pair in every year of the measures, and their lags.

    Each value is a function of the pair and the year alone, so one table serves every panel:
    the lag is the pair's value in *t-lag* where both actors existed then and *t-lag* is
    within the measures (missing otherwise, as a left merge on a panel starting at *t-lag*).
    """
    ids = _actor_index(st)
    n = len(ids)
    lo, hi = st.measure_years
    a1, a2, year = (x.ravel() for x in np.meshgrid(np.arange(n), np.arange(n),
                                                    np.arange(lo, hi + 1), indexing="ij"))
    actors = st["actors"]
    cc = pd.Series(actors["ccode"].array, index=actors["actor_id"].astype(str))
    ccode = _join.ccode_codes(cc.reindex(list(ids)).reset_index(drop=True))
    k: dict[str, Any] = {"a1": a1, "a2": a2, "c1": ccode[a1], "c2": ccode[a2], "year": year,
                         "n": np.int64(n)}
    new = _aid_values(st, k)
    kl = {**k, "year": year - lag}
    before = _aid_values(st, kl)
    alive = _right_actor_year(st, _actor_years(st, lo, hi, None)[["actor_id", "year"]])
    exists = ((kl["year"] >= lo)
              & (alive.positions(_join.combine([(a1, n), (kl["year"], 0)])) >= 0)
              & (alive.positions(_join.combine([(a2, n), (kl["year"], 0)])) >= 0))
    pos = np.where(exists, np.arange(len(year)), -1)
    for c in list(new):
        new[f"{c}_lag{lag}"] = _join.take_values(pd.Series(before[c]), pos)
    return _join.Right(_actor_key(k), pd.DataFrame(new))


def _aid_values(st: Study, k: dict[str, Any]) -> dict[str, Any]:
    """US obligations, Soviet aid, aid from j and SIPRI TIV for panel keys ``k``."""
    ids = _actor_index(st)
    usa = ids.get_indexer(["USA"])[0]
    rus = ids.get_indexer(["RUS"])[0]
    is_usa = (k["a2"] == usa) & (usa >= 0)
    is_rus = (k["a2"] == rus) & (rus >= 0)
    us = _sy_right(st).take(_join.combine([(k["c1"], _join._CCODE_SPAN), (k["year"], 0)]),
                            ["us_aid_oblig_constant"])["us_aid_oblig_constant"]
    new: dict[str, Any] = {"aid_us_oblig_constant": pd.Series(us).where(is_usa).array}
    sov = _events_right(st, "soviet_aid", "donor_id", "recipient_id")
    sov_hit = sov.positions(_actor_key(k)) >= 0
    sov_cov = k["year"] <= st.event_end("soviet_aid")
    new["aid_soviet"] = _join.int_array(sov_hit, ~(is_rus & sov_cov), "Int8")
    usv = pd.Series(new["aid_us_oblig_constant"])
    usaid = (usv > 0).astype("Int8").where(usv.notna(), pd.NA)
    new["aid_from_j"] = usaid.where(is_usa, pd.Series(new["aid_soviet"])).array
    new["arms_tiv_from_j"] = _dy_right(st).take(_ccode_key(k), ["sipri_tiv_from_j"])[
        "sipri_tiv_from_j"]
    return new


def add_penetration(df: pd.DataFrame, *, lag: int = 1, study: Study | None = None
                    ) -> pd.DataFrame:
    """Add transnational penetration of actor1 by actor2 (coded episodes).

    ``pen_by_j`` is 1 if a coded penetration episode by actor2 in actor1
    (``datasets/penetration.yaml``) is active in *t* (an episode with no end counts in its start
    year only), 0 otherwise (no coded episode: our coding covers 1950-1979);
    ``pen_by_j_lag<lag>`` the same in *t-lag*. Missing after the last year the episodes are
    coded for (1979 for the shipped data; an extension that codes penetration extends it).
    """
    meta = _require(df, "add_penetration", ("directed-dyad-year",))
    st = resolve_study(study)
    _check_years(meta, "add_penetration", st, "the coded penetration episodes")
    ep = _events_right(st, "penetration", "penetrator_id", "target_id")
    k = _panel_keys(st, df)
    last = st.event_end("penetration")
    year = k["year"]
    first = st.measure_years[0] + lag
    new = {"pen_by_j": _join.int_array(ep.positions(_actor_key(k)) >= 0, year > last, "Int8"),
           f"pen_by_j_lag{lag}": _join.int_array(
               ep.positions(_actor_key(k, lag=lag)) >= 0,
               ~((year >= first) & (year <= last + lag)), "Int8")}
    return _finish(_join.attach(df, new), meta, len(df), "penetration",
                   {"years": [st.measure_years[0], min(st.measure_years[1], last)],
                    "coded_to": last})


def add_all(df: pd.DataFrame, *, study: Study | None = None, threat_spec: Any = None
            ) -> pd.DataFrame:
    """Add every measure that fits the panel's unit."""
    meta = panel_info(df)
    st = resolve_study(study)
    out = (add_alignment(df, study=st).pipe(add_capabilities, study=st)
           .pipe(add_ideology, study=st))
    if meta["unit"] in DYAD_UNITS:
        out = (out.pipe(add_proximity, study=st).pipe(add_conflict, study=st)
               .pipe(add_threat, threat_spec, study=st))
    if meta["unit"] == "directed-dyad-year":
        out = out.pipe(add_aid, study=st).pipe(add_penetration, study=st)
    return out


# --------------------------------------------------------------------------- join helpers


def _build_dyad_years(st: Study, start: int, end: int, directed: bool,
                      ids: list[str] | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    ay = _actor_years(st, start, end, ids)
    a = ay.rename(columns={"actor_id": "actor1", "ccode": "ccode1", "kind": "kind1"})
    b = ay.rename(columns={"actor_id": "actor2", "ccode": "ccode2", "kind": "kind2"})
    df = a.merge(b, on="year")
    df = df[df["actor1"] < df["actor2"]] if not directed else df[df["actor1"] != df["actor2"]]
    a1, a2 = df["actor1"].astype("string"), df["actor2"].astype("string")
    first = a1 < a2
    df = df.assign(dyad=a1.where(first, a2) + "-" + a2.where(first, a1))
    df = df[["actor1", "actor2", "ccode1", "ccode2", "kind1", "kind2", "year", "dyad"]]
    df = df.sort_values(["year", "actor1", "actor2"], kind="mergesort").reset_index(drop=True)
    tidy_dtypes(df)
    unit = "directed-dyad-year" if directed else "dyad-year"
    meta = {"unit": unit, "directed": directed, "start": start, "end": end,
            "actors": tuple(sorted(ay["actor_id"].unique())), "measures": {},
            "study": st.label, "period": st.period_years,
            "data": st.data_origin, "coverage_gaps": list(st.coverage_gaps)}
    return df, meta


def _panel_keys(st: Study, df: pd.DataFrame) -> dict[str, Any]:
    """Integer codes of a dyad panel's keys: actor positions, COW codes (-1 = none), years."""
    ids = _actor_index(st)
    return {"a1": _join.actor_codes(df["actor1"], ids), "a2": _join.actor_codes(df["actor2"], ids),
            "c1": _join.ccode_codes(df["ccode1"]), "c2": _join.ccode_codes(df["ccode2"]),
            "year": _join.int_codes(df["year"]), "n": np.int64(len(ids))}


def _actor_index(st: Study) -> pd.Index:
    return _join.cached(st, "actor_index", lambda: pd.Index(
        sorted(str(a) for a in st["actors"]["actor_id"]), dtype=object))


def _actor_key(k: dict[str, Any], first: str = "a1", second: str = "a2",
               lag: int = 0) -> _join.Key:
    n = int(k["n"])
    return _join.combine([(k[first], n), (k[second], n), (k["year"] - lag, 0)])


def _ccode_key(k: dict[str, Any], first: str = "c1", second: str = "c2") -> _join.Key:
    return _join.combine([(k[first], _join._CCODE_SPAN), (k[second], _join._CCODE_SPAN),
                          (k["year"], 0)])


def _right_actor_pairs(st: Study, frame: pd.DataFrame, a1: str = "actor1", a2: str = "actor2",
                       year: str = "year") -> _join.Right:
    ids = _actor_index(st)
    n = len(ids)
    key = _join.combine([(_join.actor_codes(frame[a1], ids), n),
                         (_join.actor_codes(frame[a2], ids), n),
                         (_join.int_codes(frame[year]), 0)])
    return _join.Right(key, frame.drop(columns=[a1, a2, year]))


def _right_ccode_pairs(frame: pd.DataFrame, cols: Sequence[str]) -> _join.Right:
    key = _join.combine([(_join.ccode_codes(frame["ccode1"]), _join._CCODE_SPAN),
                         (_join.ccode_codes(frame["ccode2"]), _join._CCODE_SPAN),
                         (_join.int_codes(frame["year"]), 0)])
    return _join.Right(key, frame[list(cols)])


def _alignment_right(st: Study, min_confidence: str | None, exclude: tuple[str, ...],
                     kinds: list[str]) -> _join.Right:
    """Shared alignments per directed actor pair and year: counts, ids, a flag per kind."""
    ad = alignment_dyad_years(st, min_confidence=min_confidence, exclude_alignments=exclude)
    ids = _actor_index(st)
    n = len(ids)
    parts = _join.combine([(_join.actor_codes(ad["actor1"], ids), n),
                           (_join.actor_codes(ad["actor2"], ids), n),
                           (_join.int_codes(ad["year"]), 0)])
    key = parts.flat()
    aid = ad["alignment_id"].astype(str).to_numpy(dtype=object)
    order = np.lexsort((aid, key))
    key, aid, parts = key[order], aid[order], parts[order]
    kind = ad["kind"].astype(str).to_numpy(dtype=object)[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else np.array([], int)
    group = np.cumsum(np.r_[True, key[1:] != key[:-1]]) - 1 if key.size else np.array([], int)
    ends = np.r_[starts[1:], key.size].astype(int)
    distinct = np.r_[True, (key[1:] != key[:-1]) | (aid[1:] != aid[:-1])] if key.size else \
        np.array([], bool)
    frame: dict[str, Any] = {
        "n_alignments": np.bincount(group[distinct], minlength=starts.size).astype(np.int64),
        "alignment_ids": np.array([";".join(aid[s:e]) for s, e in zip(starts, ends, strict=True)],
                                  dtype=object),
    }
    for kd in kinds:
        hit = np.zeros(starts.size, dtype=np.int64)
        hit[group[kind == kd]] = 1
        frame[f"aligned_{kd}"] = hit
    return _join.Right(parts[starts], pd.DataFrame(frame))


def _sy_right(st: Study) -> _join.Right:
    """The study's state-year measures keyed by (COW code, year)."""
    def build() -> _join.Right:
        sy, _ = _measures(st)
        key = _join.combine([(_join.ccode_codes(sy["ccode"]), _join._CCODE_SPAN),
                             (_join.int_codes(sy["year"]), 0)])
        return _join.Right(key, sy.drop(columns=["ccode", "year"]))
    return _join.cached(st, "state_year_measures", build)


def _dy_right(st: Study) -> _join.Right:
    """The study's directed dyad-year measures keyed by (ccode1, ccode2, year)."""
    def build() -> _join.Right:
        _, dy = _measures(st)
        return _right_ccode_pairs(dy, [c for c in dy.columns
                                       if c not in ("ccode1", "ccode2", "year")])
    return _join.cached(st, "dyad_year_measures", build)


def _right_actor_year(st: Study, frame: pd.DataFrame) -> _join.Right:
    ids = _actor_index(st)
    key = _join.combine([(_join.actor_codes(frame["actor_id"], ids), len(ids)),
                         (_join.int_codes(frame["year"]), 0)])
    return _join.Right(key, frame.drop(columns=["actor_id", "year"]))


def _events_right(st: Study, table: str, a: str, b: str) -> _join.Right:
    """Coded episode-years of ``table`` keyed by (target as actor1, source as actor2, year)."""
    def build() -> _join.Right:
        ep = _episode_years(st[table], a, b, st.measure_years[0], st.measure_years[1])
        ep = ep.rename(columns={"from": "actor2", "to": "actor1"})
        return _right_actor_pairs(st, ep.assign(hit=1))
    return _join.cached(st, ("events", table), build)


def _prev5_right(st: Study) -> _join.Right:
    """Hostile act-years by actor2 against actor1 in t-5..t-1, keyed by (actor1, actor2, t)."""
    def build() -> _join.Right:
        acts = _episode_years(st["hostile_acts"], "actor_id", "target_id",
                              st.measure_years[0], st.measure_years[1])
        acts = acts.rename(columns={"from": "actor2", "to": "actor1"})
        keys = ["actor1", "actor2", "year"]
        prev = pd.concat([acts.assign(year=acts["year"] + lag) for lag in range(1, 6)])
        prev = prev.groupby(keys).size().rename("n").reset_index()
        return _right_actor_pairs(st, prev)
    return _join.cached(st, "hostile_prev5", build)
