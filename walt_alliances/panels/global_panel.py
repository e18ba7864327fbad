"""The whole-system directed dyad-year panel (every ordered pair of COW states, every year).

:func:`create_global_dyad_years` builds about 1.9 million directed dyad-years (1816-2016) from
the package's source tables (:mod:`walt_alliances.sources.shipped`; no raw files needed), or
from the raw files when ``external_dir`` is given. ``measures="core"`` (the default) adds ATOP
alliance ties, COW material capabilities of both sides, direct contiguity and capital distance;
``measures="all"`` adds every other shipped measure: Polity5, UN ideal points, MIDs (GML), wars
(COW), US aid received and SIPRI arms transfers. Every join is an index computation on numpy
arrays rather than a pandas merge.

Row position is computed, not searched. Within year ``t`` with ``n_t`` system members ranked
``0 .. n_t - 1`` by COW code, the ordered pair of ranks ``(i, j)``, ``i != j``, sits at

    offset_t + i * (n_t - 1) + j - (j > i)

so each source (alliances, contiguity, disputes) is mapped straight onto panel rows.

Zero vs missing: a 0 is written only inside the years the source covers; outside them the
value is missing (``<NA>`` or NaN), never 0.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from walt_alliances.errors import RawDataError
from walt_alliances.sources.shipped import Sources

__all__ = [
    "ATOP_OBLIGATIONS",
    "GLOBAL_MEASURES",
    "RAW_KEYS",
    "GLOBAL_PANEL_COLUMNS",
    "NMC_MEASURES",
    "create_global_dyad_years",
    "global_panel_columns",
]

#: ATOP obligation dummies carried into the panel as ``atop_<name>``.
ATOP_OBLIGATIONS: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")

#: NMC measures carried into the panel for both sides (``<name>1``, ``<name>2``).
NMC_MEASURES: tuple[str, ...] = ("cinc", "milex", "milper", "irst", "pec", "tpop", "upop")
_NMC_INT = frozenset({"milex", "milper", "irst", "pec"})

#: Raw files (registry keys) of each measure group, verified together before any is read when
#: the panel is built from raw files (``external_dir``).
RAW_KEYS_BY_GROUP: dict[str, tuple[str, ...]] = {
    "atop": ("atop_members",), "contiguity": ("cow_contiguity",), "capdist": ("capdist",),
    "nmc": ("cow_nmc",), "polity": ("polity5",), "un": ("un_ideal",), "mid": ("gml_ddy",),
    "war": ("cow_dyadic_war",), "us_aid": ("us_aid",), "sipri": ("sipri_dyad_gannon",),
}
#: The raw files the core panel reads (the state system and the four core groups).
RAW_KEYS: tuple[str, ...] = ("cow_states", "atop_members", "cow_contiguity", "capdist", "cow_nmc")

#: Measure groups and their columns, in panel order.
GLOBAL_MEASURES: dict[str, tuple[str, ...]] = {
    "atop": ("atop_alliance", *(f"atop_{o}" for o in ATOP_OBLIGATIONS)),
    "contiguity": ("conttype",),
    "capdist": ("capdist",),
    "nmc": tuple(f"{m}{side}" for m in NMC_MEASURES for side in (1, 2)),
    "polity": ("polity2_1", "polity2_2"),
    "un": ("idealpoint1", "idealpoint2"),
    "mid": ("mid_ongoing", "mid_onset", "mid_hostlev", "mid_init", "mid_count_prev5"),
    "war": ("war_ongoing", "war_onset", "war_init", "war_count_prev5"),
    "us_aid": ("us_aid1", "us_aid2"),
    "sipri": ("sipri_tiv_from_2",),
}
#: The measure groups of ``measures="core"`` (the original four).
CORE_MEASURES: tuple[str, ...] = ("atop", "contiguity", "capdist", "nmc")
_KEYS = ("ccode1", "ccode2", "year")

#: Columns of the core panel, in order.
GLOBAL_PANEL_COLUMNS: tuple[str, ...] = (
    *_KEYS, *(c for g in CORE_MEASURES for c in GLOBAL_MEASURES[g])
)

_SYSTEM_FIRST, _SYSTEM_LAST = 1816, 2016  # coverage of COW system2016 (and NMC 6.0)
_CODE_SPAN = 1000  # COW codes are 2 .. 990

Measures = Literal["core", "all"] | Sequence[str]


def global_panel_columns(measures: Measures = "core") -> tuple[str, ...]:
    """Return the columns :func:`create_global_dyad_years` gives for ``measures``."""
    return (*_KEYS, *(c for g in _groups(measures) for c in GLOBAL_MEASURES[g]))


def _groups(measures: Measures) -> tuple[str, ...]:
    if measures == "core":
        return CORE_MEASURES
    if measures == "all":
        return tuple(GLOBAL_MEASURES)
    if isinstance(measures, str):
        measures = [measures]
    unknown = [m for m in measures if m not in GLOBAL_MEASURES]
    if unknown:
        raise ValueError(f"unknown measure group(s) {unknown}; choose from "
                         f"{list(GLOBAL_MEASURES)}, 'core' or 'all'")
    return tuple(g for g in GLOBAL_MEASURES if g in measures)


_DERIVED_CACHE: dict[str, pd.DataFrame] = {}


def _derived(src: Sources, key: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A table derived from source tables: cached per process for the shipped tables.

    The shipped tables never change within a process (they are verified by sha256 when read),
    so their derived event tables are built once; tables from raw files are rebuilt each time.
    Callers must treat the result as read-only.
    """
    if src.is_raw:
        return build()
    if key not in _DERIVED_CACHE:
        _DERIVED_CACHE[key] = build()
    return _DERIVED_CACHE[key]


def _int_array(df: pd.DataFrame, name: str) -> np.ndarray:
    return np.asarray(df[name].to_numpy(dtype=np.int64))


class _Frame:
    """State-years of the system and the position arithmetic of the directed panel."""

    def __init__(self, ccode: np.ndarray, year: np.ndarray, start: int, end: int) -> None:
        self.s1: np.ndarray = np.empty(0, dtype=np.int32)
        self.s2: np.ndarray = np.empty(0, dtype=np.int32)
        keep = (year >= start) & (year <= end)
        ccode, year = ccode[keep], year[keep]
        order = np.lexsort((ccode, year))
        self.ccode, self.year = ccode[order], year[order]
        self.start, self.end = start, end
        n_years = end - start + 1
        self.n = np.bincount(self.year - start, minlength=n_years).astype(np.int64)
        self.first_state = np.concatenate(([0], np.cumsum(self.n)[:-1]))
        pairs = self.n * (self.n - 1)
        self.offset = np.concatenate(([0], np.cumsum(pairs)[:-1]))
        self.rows = int(pairs.sum())
        #: rows per state-year on side 1: the other members of its year
        self.repeats = np.repeat(np.maximum(self.n - 1, 0), self.n)
        # rank of each state within its year, in a dense (year, code) table; -1 = not a member
        self.rank = np.full(n_years * _CODE_SPAN, -1, dtype=np.int64)
        sy_index = (self.year - start) * _CODE_SPAN + self.ccode
        if np.unique(sy_index).size != sy_index.size:
            raise RawDataError("system2016 has duplicated state-years")
        self.rank[sy_index] = np.arange(self.ccode.size) - self.first_state[self.year - start]

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the state-year positions (s1, s2) of both sides of every directed dyad-year.

        Positions index ``self.ccode``/``self.year``; rows are sorted by year, ccode1, ccode2.
        """
        s1 = np.empty(self.rows, dtype=np.int32)
        s2 = np.empty(self.rows, dtype=np.int32)
        off_diagonal: dict[int, np.ndarray] = {}
        for t in np.flatnonzero(self.n > 1):
            n, lo, first = int(self.n[t]), int(self.offset[t]), int(self.first_state[t])
            hi = lo + n * (n - 1)
            pos = np.arange(first, first + n, dtype=np.int32)
            if n not in off_diagonal:
                off_diagonal[n] = ~np.eye(n, dtype=bool)
            s1[lo:hi] = np.repeat(pos, n - 1)
            s2[lo:hi] = np.broadcast_to(pos, (n, n))[off_diagonal[n]]
        return s1, s2

    def side1(self, values: np.ndarray) -> np.ndarray:
        """State-year values for side 1 of every row: ``values[s1]``, as a repeat.

        Rows are sorted by year and ccode1, so side 1 is each state-year repeated once per
        other member of its year (a sequential copy rather than a gather).
        """
        return np.repeat(values, self.repeats)

    def side2(self, values: np.ndarray) -> np.ndarray:
        """State-year values for side 2 of every row (``values[s2]``)."""
        return values.take(self.s2)

    def row_of(
        self, a: np.ndarray, b: np.ndarray, year: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Map dyad-years to panel rows; return (rows, mask of dyad-years that are in the panel)."""
        inside = (year >= self.start) & (year <= self.end) & (a != b)
        inside &= (a >= 0) & (a < _CODE_SPAN) & (b >= 0) & (b < _CODE_SPAN)
        a, b, year = a[inside], b[inside], year[inside]
        t = year - self.start
        ri = self.rank[t * _CODE_SPAN + a]
        rj = self.rank[t * _CODE_SPAN + b]
        member = (ri >= 0) & (rj >= 0)
        ri, rj, t = ri[member], rj[member], t[member]
        rows = self.offset[t] + ri * (self.n[t] - 1) + rj - (rj > ri)
        mask = np.zeros(inside.size, dtype=bool)
        mask[np.flatnonzero(inside)[member]] = True
        return rows, mask

    def state_year_position(self, ccode: np.ndarray, year: np.ndarray) -> np.ndarray:
        """Return positions in ``self.ccode`` of state-years (-1 where not a system member)."""
        inside = (year >= self.start) & (year <= self.end) & (ccode >= 0) & (ccode < _CODE_SPAN)
        pos = np.full(ccode.size, -1, dtype=np.int64)
        t = year[inside] - self.start
        rank = self.rank[t * _CODE_SPAN + ccode[inside]]
        pos[inside] = np.where(rank >= 0, self.first_state[t] + rank, -1)
        return pos


def _expand_years(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expand inclusive year intervals; return (source row of each year, year)."""
    length = np.maximum(hi - lo + 1, 0)
    src = np.repeat(np.arange(lo.size, dtype=np.int64), length)
    years = np.arange(src.size, dtype=np.int64) - np.repeat(np.cumsum(length) - length, length)
    return src, years + lo[src]





def _atop(frame: _Frame, src: Sources) -> dict[str, np.ndarray]:
    table = src.table("atop_members", copy=False)
    atopid = _int_array(table, "atopid")
    member = _int_array(table, "member")
    yrent = _int_array(table, "yrent")
    yrexit = _int_array(table, "yrexit")
    yrexit = np.where(yrexit == 0, frame.end, yrexit)  # 0 = still a member at end of coverage
    bits = np.zeros(atopid.size, dtype=np.uint8)  # obligation k of the member row -> bit k
    for k, name in enumerate(ATOP_OBLIGATIONS):
        bits |= (_int_array(table, name) != 0).astype(np.uint8) << np.uint8(k)
    # every ordered pair of member rows of the same alliance (phases included)
    order = np.argsort(atopid, kind="stable")
    atopid, member, yrent, yrexit, bits = (
        atopid[order], member[order], yrent[order], yrexit[order], bits[order]
    )  # fmt: skip
    _, first, size = np.unique(atopid, return_index=True, return_counts=True)
    sq = size * size
    grp = np.repeat(np.arange(size.size, dtype=np.int64), sq)
    k = np.arange(int(sq.sum()), dtype=np.int64) - np.repeat(np.cumsum(sq) - sq, sq)
    r1 = first[grp] + k // size[grp]
    r2 = first[grp] + k % size[grp]
    keep = member[r1] != member[r2]
    r1, r2 = r1[keep], r2[keep]
    lo = np.maximum(np.maximum(yrent[r1], yrent[r2]), frame.start)
    hi = np.minimum(np.minimum(yrexit[r1], yrexit[r2]), frame.end)
    srow, years = _expand_years(lo, hi)
    rows, mask = frame.row_of(member[r1][srow], member[r2][srow], years)
    either = (bits[r1] | bits[r2])[srow][mask]  # either member's obligations
    out = {"atop_alliance": np.zeros(frame.rows, dtype=np.int8)}
    out["atop_alliance"][rows] = 1
    for k, name in enumerate(ATOP_OBLIGATIONS):
        flag = np.zeros(frame.rows, dtype=np.int8)
        flag[rows[(either >> np.uint8(k)) & np.uint8(1) == 1]] = 1
        out[f"atop_{name}"] = flag
    return out


def _contiguity(frame: _Frame, src: Sources) -> np.ndarray:
    table = src.table("cow_contiguity", copy=False)
    a = _int_array(table, "ccode1")
    b = _int_array(table, "ccode2")
    ctype = _int_array(table, "conttype")
    # years of the (year-month) spell ends; a spell counts for every year it touches
    sty = table["stdate"].to_numpy().astype("datetime64[Y]").astype(np.int64) + 1970
    endy = table["enddate"].to_numpy().astype("datetime64[Y]").astype(np.int64) + 1970
    real = ctype > 0  # conttype 0: peacesciencer's "no contiguity" spells
    a, b, ctype, sty, endy = a[real], b[real], ctype[real], sty[real], endy[real]
    srow, years = _expand_years(np.maximum(sty, frame.start), np.minimum(endy, frame.end))
    rows, mask = frame.row_of(a[srow], b[srow], years)
    types = ctype[srow][mask]
    out = np.zeros(frame.rows, dtype=np.int8)
    for value in (5, 4, 3, 2, 1):  # closest type wins when several spells touch a year
        out[rows[types == value]] = value
    return out


def _capdist(ccode1: np.ndarray, ccode2: np.ndarray, src: Sources) -> pd.arrays.IntegerArray:
    cap = src.table("capdist", copy=False)
    dense = np.full(_CODE_SPAN * _CODE_SPAN, -1, dtype=np.int64)
    dense[_int_array(cap, "ccode1") * _CODE_SPAN + _int_array(cap, "ccode2")] = _int_array(
        cap, "kmdist")
    idx = ccode1 * _CODE_SPAN
    idx += ccode2
    km = dense[idx]
    del idx
    missing = km < 0
    km[missing] = 0
    return pd.arrays.IntegerArray(km, missing)


def _state_values(frame: _Frame, table: pd.DataFrame, what: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Positions in the frame of a state-year table's rows (rows outside the frame dropped)."""
    pos = frame.state_year_position(_int_array(table, "ccode"), _int_array(table, "year"))
    found = pos >= 0
    pos = pos[found]
    if np.unique(pos).size != pos.size:
        raise RawDataError(f"{what} has duplicated state-years")
    return pos, table[found]


def _both_sides_int(values: pd.Series, pos: np.ndarray, size: int, frame: _Frame,
                    dtype: type, names: tuple[str, str],
                    ) -> dict[str, pd.arrays.IntegerArray]:
    arr: np.ndarray = np.zeros(size, dtype=dtype)
    missing = np.ones(size, dtype=bool)  # state-years absent from the source are missing
    valid = values.notna().to_numpy()
    arr[pos[valid]] = values[valid].to_numpy(dtype=dtype)
    missing[pos[valid]] = False
    return {names[0]: pd.arrays.IntegerArray(frame.side1(arr), frame.side1(missing)),
            names[1]: pd.arrays.IntegerArray(frame.side2(arr), frame.side2(missing))}


def _both_sides_float(values: pd.Series, pos: np.ndarray, size: int, frame: _Frame,
                      names: tuple[str, str]) -> dict[str, np.ndarray]:
    real = np.full(size, np.nan)
    real[pos] = values.to_numpy(dtype=np.float64, na_value=np.nan)
    return {names[0]: frame.side1(real), names[1]: frame.side2(real)}


def _nmc(frame: _Frame, s1: np.ndarray, s2: np.ndarray, src: Sources
         ) -> dict[str, np.ndarray | pd.arrays.IntegerArray]:
    pos, table = _state_values(frame, src.table("cow_nmc", copy=False), "NMC")
    size = frame.ccode.size
    out: dict[str, np.ndarray | pd.arrays.IntegerArray] = {}
    for name in NMC_MEASURES:
        if name in _NMC_INT:
            out.update(_both_sides_int(table[name], pos, size, frame, np.int64,
                                       (f"{name}1", f"{name}2")))
        else:
            out.update(_both_sides_float(table[name], pos, size, frame,
                                         (f"{name}1", f"{name}2")))
    return out


def _polity(frame: _Frame, s1: np.ndarray, s2: np.ndarray, src: Sources
            ) -> dict[str, pd.arrays.IntegerArray]:
    from walt_alliances.sources.polity import polity_state_years

    pol = _derived(src, "polity", lambda: polity_state_years(src.table("polity5", copy=False)))
    pos, table = _state_values(frame, pol, "Polity5")
    return _both_sides_int(table["polity2"], pos, frame.ccode.size, frame, np.int8,
                           ("polity2_1", "polity2_2"))


def _un(frame: _Frame, s1: np.ndarray, s2: np.ndarray, src: Sources) -> dict[str, np.ndarray]:
    pos, table = _state_values(frame, src.table("un_idealpoints", copy=False), "UN ideal points")
    return _both_sides_float(table["idealpoint"], pos, frame.ccode.size, frame,
                             ("idealpoint1", "idealpoint2"))


def _us_aid(frame: _Frame, s1: np.ndarray, s2: np.ndarray, src: Sources
            ) -> dict[str, pd.arrays.IntegerArray]:
    from walt_alliances.sources.aid import greenbook_state_years

    aid = _derived(src, "us_aid",
                   lambda: greenbook_state_years(
                       src.table("us_aid", copy=False),
                       states=src.table("cow_states", copy=False))[0])
    pos, table = _state_values(frame, aid, "US aid")
    return _both_sides_int(table["us_aid_oblig_constant"], pos, frame.ccode.size, frame,
                           np.int64, ("us_aid1", "us_aid2"))


def _dyad_events(frame: _Frame, table: pd.DataFrame, cols: Sequence[str], years: tuple[int, int],
                 dtype: type) -> dict[str, pd.arrays.IntegerArray]:
    """Map directed dyad-year measures onto panel rows: 0 inside ``years``, missing outside."""
    rows, mask = frame.row_of(_int_array(table, "ccode1"), _int_array(table, "ccode2"),
                              _int_array(table, "year"))
    year_of_row = frame.side1(frame.year)
    outside = (year_of_row < years[0]) | (year_of_row > years[1])
    out = {}
    for col in cols:
        values: np.ndarray = np.zeros(frame.rows, dtype=dtype)
        missing = outside.copy()
        v = table[col].to_numpy(dtype=np.float64, na_value=np.nan)[mask]
        ok = ~np.isnan(v)  # NaN: the source records nothing of this kind -> 0 inside coverage
        values[rows[ok]] = v[ok].astype(dtype)
        out[col] = pd.arrays.IntegerArray(values, missing)
    return out


def _mid(frame: _Frame, src: Sources) -> dict[str, pd.arrays.IntegerArray]:
    from walt_alliances.measures.build import mid_dyad_years
    from walt_alliances.sources.conflict import GML_DDY_YEARS

    mids = _derived(src, "mid",
                    lambda: mid_dyad_years(src.table("gml_mid_dyad_years", copy=False)))
    return _dyad_events(frame, mids, GLOBAL_MEASURES["mid"], GML_DDY_YEARS, np.int16)


def _war(frame: _Frame, src: Sources) -> dict[str, pd.arrays.IntegerArray]:
    from walt_alliances.measures.build import war_dyad_years
    from walt_alliances.sources.conflict import COW_DYADIC_WAR_YEARS

    wars = _derived(src, "war", lambda: war_dyad_years(src.table("cow_dyadic_war", copy=False)))
    return _dyad_events(frame, wars, GLOBAL_MEASURES["war"], COW_DYADIC_WAR_YEARS, np.int16)


#: Supplier and years in which Gannon's dyads record deliveries as 0 (see
#: :func:`walt_alliances.sources.aid.gannon_recipient_completeness`): no 0 is filled there.
_GANNON_GAPS: tuple[tuple[int, int, int], ...] = ((365, 1970, 1991),)


def _sipri(frame: _Frame, src: Sources) -> np.ndarray:
    from walt_alliances.sources.aid import GANNON_YEARS

    g = src.table("sipri_dyad_gannon", copy=False)
    year_of_row = frame.side1(frame.year)
    ccode2 = frame.side2(frame.ccode)
    out = np.where((year_of_row >= GANNON_YEARS[0]) & (year_of_row <= GANNON_YEARS[1]), 0.0,
                   np.nan)
    for supplier, y0, y1 in _GANNON_GAPS:
        out[(ccode2 == supplier) & (year_of_row >= y0) & (year_of_row <= y1)] = np.nan
    tiv = g["tiv"].to_numpy(dtype=np.float64, na_value=np.nan)
    rows, mask = frame.row_of(_int_array(g, "recipient_ccode"), _int_array(g, "supplier_ccode"),
                              _int_array(g, "year"))
    tiv = tiv[mask]
    pos = tiv > 0
    out[rows[pos]] = tiv[pos]
    return out


def create_global_dyad_years(
    external_dir: str | os.PathLike[str] | None = None, start: int = 1816, end: int = 2016,
    *, measures: Measures = "core",
) -> pd.DataFrame:
    """Build the directed dyad-year panel of the whole COW state system.

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        ``None`` (default): use the source tables shipped in the package (offline, no raw
        files). A folder: build from the raw files in it instead, each checked against the
        manifest (size and sha256) - the same panel, for verification.
    start, end : int, default 1816 and 2016
        First and last year, inclusive; both must lie in 1816-2016 (the coverage of COW
        system2016 and NMC 6.0) with ``start <= end``.
    measures : {"core", "all"} or sequence of str, default "core"
        Measure groups (keys of :data:`GLOBAL_MEASURES`): ``"core"`` is ATOP, contiguity,
        capital distance and NMC; ``"all"`` adds Polity5, UN ideal points, MIDs, wars, US aid
        and SIPRI transfers.

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair of distinct COW system members per year (1,912,350 rows for
        1816-2016), sorted by ``year``, ``ccode1``, ``ccode2``, with a fresh RangeIndex:

        ``ccode1``, ``ccode2``, ``year`` (int64)
            The dyad-year. A state is a member in year *t* when it was a member on any day
            of *t* (COW state system 2016).
        ``atop_alliance`` (int8)
            1 if the two states are members of at least one common ATOP 5.1 alliance in year
            *t*, by the member-level entry and exit years (``yrent`` <= *t* <= ``yrexit``;
            ``yrexit`` 0 means still a member at the end of coverage). Years, not days: a
            pair whose memberships touch the same year counts for that year.
        ``atop_defense``, ``atop_offense``, ``atop_neutral``, ``atop_nonagg``, ``atop_consul``
            (int8) 1 if at least one such common alliance carries that obligation for either
            state in its member row covering *t* (member-level ``defense`` ... ``consul``).
            Symmetric by construction. The member file does not say towards which partners an
            asymmetric obligation in a multilateral alliance runs; "either member" is our rule.
        ``conttype`` (int8)
            COW direct contiguity v3.2: 1 land or river, 2 <= 12 miles of water, 3 <= 24,
            4 <= 150, 5 <= 400, 0 not contiguous. A spell counts for year *t* if it covers
            any part of *t*; when several spells touch *t*, the closest type is kept.
            peacesciencer's ``conttype == 0`` spells mean "no contiguity" and are ignored.
        ``capdist`` (Int64)
            Capital-to-capital distance in km (Gleditsch and Ward, static); missing for states
            without a row.
        ``cinc1``, ``cinc2``, ``tpop1``, ``tpop2``, ``upop1``, ``upop2`` (float64)
            NMC 6.0 of side 1 and side 2 (CINC; total and urban population in thousands).
        ``milex1``, ``milex2``, ``milper1``, ``milper2``, ``irst1``, ``irst2``, ``pec1``, ``pec2``
            (Int64) NMC 6.0 military expenditure (thousands of current USD), military personnel
            (thousands), iron and steel (thousand tons), energy (thousand coal-ton
            equivalents). NMC's -9 is missing, never a number.

        With ``measures="all"`` (or the group named):

        ``polity2_1``, ``polity2_2`` (Int8)
            Polity5 ``polity2`` of each side (Polity codes mapped to COW); missing where Polity
            has no row.
        ``idealpoint1``, ``idealpoint2`` (float64)
            UN General Assembly ideal points (Bailey, Strezhnev and Voeten); NaN before
            1946, after 2018 and where a state has no estimate.
        ``mid_ongoing``, ``mid_onset``, ``mid_hostlev``, ``mid_init``, ``mid_count_prev5`` (Int16)
            GML MID 2.1.1, directed and symmetric, as in the study's measures
            (:func:`walt_alliances.measures.build.mid_dyad_years`): a MID ongoing, begun,
            its highest hostility level, 1 if side 1 initiated against side 2, and distinct
            MIDs begun in *t-5 .. t-1*. 0 inside 1816-2010, missing after.
        ``war_ongoing``, ``war_onset``, ``war_init``, ``war_count_prev5`` (Int16)
            COW directed dyadic war (:func:`walt_alliances.measures.build.war_dyad_years`); 0
            inside 1823-2003, missing outside.
        ``us_aid1``, ``us_aid2`` (Int64)
            US aid obligations received (Greenbook, constant USD) by each side in the fiscal
            year, for the recipients mapped to COW codes: by hand
            (:data:`walt_alliances.sources.aid.GREENBOOK_TO_COW`) or by an exact, unique COW
            name (:func:`walt_alliances.sources.aid.cow_exact_name_matches`; about 175
            states); missing for every other state, for the United States, and outside the
            file's fiscal years.
        ``sipri_tiv_from_2`` (float64)
            SIPRI TIV of arms delivered by side 2 to side 1 (Gannon's dyads), 1970-2014; 0
            where none is recorded, except Soviet deliveries 1970-1991, which Gannon records as
            0 (missing unless positive); NaN outside 1970-2014.

    Raises
    ------
    TypeError
        If ``start`` or ``end`` is not an integer.
    ValueError
        If the years are outside 1816-2016, ``start > end``, or a measure group is unknown.
    RawDataError
        If a raw file (with ``external_dir``) or a shipped table is missing or changed.

    Notes
    -----
    No date-dependent defaults, no network. Measured with ``benchmarks/global_panel.py`` (see
    there and the README for the figures).

    Examples
    --------
    >>> panel = create_global_dyad_years(start=1950, end=1950)
    >>> panel.query("ccode1 == 2 and ccode2 == 200")[["atop_alliance", "conttype"]].values
    array([[1, 0]], dtype=int8)
    """
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name} must be an integer year, got {value!r}")
    start, end = int(start), int(end)
    if not (_SYSTEM_FIRST <= start <= end <= _SYSTEM_LAST):
        raise ValueError(
            f"years must satisfy {_SYSTEM_FIRST} <= start <= end <= {_SYSTEM_LAST}"
            f" (COW system2016 coverage); got start={start}, end={end}"
        )
    groups = _groups(measures)
    src = Sources(external_dir)
    if src.is_raw:  # one error naming every missing or changed raw file, before any is read
        from walt_alliances.sources.registry import verify

        verify(["cow_states", *(k for g in groups for k in RAW_KEYS_BY_GROUP[g])],
               src.external_dir)
    system = src.system()
    frame = _Frame(_int_array(system, "ccode"), _int_array(system, "year"), start, end)
    s1, s2 = frame.pairs()
    frame.s1, frame.s2 = s1, s2
    ccode1, ccode2 = frame.side1(frame.ccode), frame.side2(frame.ccode)
    data: dict[str, np.ndarray | pd.arrays.IntegerArray] = {
        "ccode1": ccode1,
        "ccode2": ccode2,
        "year": frame.side1(frame.year),
    }
    if "atop" in groups:
        data.update(_atop(frame, src))
    if "contiguity" in groups:
        data["conttype"] = _contiguity(frame, src)
    if "capdist" in groups:
        data["capdist"] = _capdist(ccode1, ccode2, src)
    if "nmc" in groups:
        data.update(_nmc(frame, s1, s2, src))
    if "polity" in groups:
        data.update(_polity(frame, s1, s2, src))
    if "un" in groups:
        data.update(_un(frame, s1, s2, src))
    if "mid" in groups:
        data.update(_mid(frame, src))
    if "war" in groups:
        data.update(_war(frame, src))
    if "us_aid" in groups:
        data.update(_us_aid(frame, s1, s2, src))
    if "sipri" in groups:
        data["sipri_tiv_from_2"] = _sipri(frame, src)
    return pd.DataFrame({c: data[c] for c in global_panel_columns(groups)}, copy=False)
