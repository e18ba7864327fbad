"""The whole-system directed dyad-year panel (every ordered pair of COW states, every year).

:func:`create_global_dyad_years` builds, from the raw files only, about 1.9 million directed
dyad-years (1816-2016) with ATOP alliance ties, COW material capabilities of both sides, COW
direct contiguity and capital-to-capital distance. It is written for speed: the raw files are
read with :mod:`pyarrow.csv` (hash-verified once per process), and every join is an index
computation on numpy arrays rather than a pandas merge.

Row position is computed, not searched. Within year ``t`` with ``n_t`` system members ranked
``0 .. n_t - 1`` by COW code, the ordered pair of ranks ``(i, j)``, ``i != j``, sits at

    offset_t + i * (n_t - 1) + j - (j > i)

so each source (alliances, contiguity) is mapped straight onto panel rows.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pyarrow as pa

from walt_alliances.errors import RawDataError
from walt_alliances.sources._csv import read_arrow
from walt_alliances.sources.cow import (
    ATOP_MEMBERS_SCHEMA,
    CONTIGUITY_SCHEMA,
    SYSTEM_SCHEMA,
    _capdist_cow_arrays,
    _nmc_arrow,
)
from walt_alliances.sources.registry import raw_path, resolve_external_dir, verify

__all__ = [
    "ATOP_OBLIGATIONS",
    "RAW_KEYS",
    "GLOBAL_PANEL_COLUMNS",
    "NMC_MEASURES",
    "create_global_dyad_years",
]

#: ATOP obligation dummies carried into the panel as ``atop_<name>``.
ATOP_OBLIGATIONS: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")

#: NMC measures carried into the panel for both sides (``<name>1``, ``<name>2``).
NMC_MEASURES: tuple[str, ...] = ("cinc", "milex", "milper", "irst", "pec", "tpop", "upop")
_NMC_INT = frozenset({"milex", "milper", "irst", "pec"})

#: Columns of the panel, in order.
GLOBAL_PANEL_COLUMNS: tuple[str, ...] = (
    "ccode1",
    "ccode2",
    "year",
    "atop_alliance",
    *(f"atop_{o}" for o in ATOP_OBLIGATIONS),
    "conttype",
    "capdist",
    *(f"{m}{side}" for m in NMC_MEASURES for side in (1, 2)),
)

_SYSTEM_FIRST, _SYSTEM_LAST = 1816, 2016  # coverage of COW system2016 (and NMC 6.0)
_CODE_SPAN = 1000  # COW codes are 2 .. 990


def _int_array(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy().astype(np.int64, copy=False)


class _Frame:
    """State-years of the system and the position arithmetic of the directed panel."""

    def __init__(self, ccode: np.ndarray, year: np.ndarray, start: int, end: int) -> None:
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


def _atop(frame: _Frame, external_dir: os.PathLike[str]) -> dict[str, np.ndarray]:
    path = raw_path("atop_members", external_dir)
    cols = ["atopid", "member", "yrent", "yrexit", *ATOP_OBLIGATIONS]
    table = read_arrow(path, ATOP_MEMBERS_SCHEMA, include=cols)
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
    src, years = _expand_years(lo, hi)
    rows, mask = frame.row_of(member[r1][src], member[r2][src], years)
    either = (bits[r1] | bits[r2])[src][mask]  # either member's obligations
    out = {"atop_alliance": np.zeros(frame.rows, dtype=np.int8)}
    out["atop_alliance"][rows] = 1
    for k, name in enumerate(ATOP_OBLIGATIONS):
        flag = np.zeros(frame.rows, dtype=np.int8)
        flag[rows[(either >> np.uint8(k)) & np.uint8(1) == 1]] = 1
        out[f"atop_{name}"] = flag
    return out


def _contiguity(frame: _Frame, external_dir: os.PathLike[str]) -> np.ndarray:
    path = raw_path("cow_contiguity", external_dir)
    table = read_arrow(path, CONTIGUITY_SCHEMA)
    a = table.column("ccode1").to_numpy().astype(np.int64)
    b = table.column("ccode2").to_numpy().astype(np.int64)
    ctype = table.column("conttype").to_numpy().astype(np.int64)
    # years of the (year-month) spell ends; a spell counts for every year it touches
    sty = table.column("stdate").to_numpy().astype("datetime64[Y]").astype(np.int64) + 1970
    endy = table.column("enddate").to_numpy().astype("datetime64[Y]").astype(np.int64) + 1970
    real = ctype > 0  # conttype 0: peacesciencer's "no contiguity" spells
    a, b, ctype, sty, endy = a[real], b[real], ctype[real], sty[real], endy[real]
    src, years = _expand_years(np.maximum(sty, frame.start), np.minimum(endy, frame.end))
    rows, mask = frame.row_of(a[src], b[src], years)
    types = ctype[src][mask]
    out = np.zeros(frame.rows, dtype=np.int8)
    for value in (5, 4, 3, 2, 1):  # closest type wins when several spells touch a year
        out[rows[types == value]] = value
    return out


def _capdist(
    ccode1: np.ndarray, ccode2: np.ndarray, external_dir: os.PathLike[str]
) -> pd.arrays.IntegerArray:
    cap = _capdist_cow_arrays(external_dir)
    dense = np.full(_CODE_SPAN * _CODE_SPAN, -1, dtype=np.int64)
    dense[cap["ccode1"] * _CODE_SPAN + cap["ccode2"]] = cap["kmdist"]
    idx = ccode1 * _CODE_SPAN
    idx += ccode2
    km = dense[idx]
    del idx
    missing = km < 0
    km[missing] = 0
    return pd.arrays.IntegerArray(km, missing)


def _nmc(
    frame: _Frame, s1: np.ndarray, s2: np.ndarray, external_dir: os.PathLike[str]
) -> dict[str, np.ndarray | pd.arrays.IntegerArray]:
    table = _nmc_arrow(external_dir, include=["ccode", "year", *NMC_MEASURES])
    pos = frame.state_year_position(_int_array(table, "ccode"), _int_array(table, "year"))
    found = pos >= 0
    pos = pos[found]
    if np.unique(pos).size != pos.size:
        raise RawDataError("NMC has duplicated state-years")
    size = frame.ccode.size
    out: dict[str, np.ndarray | pd.arrays.IntegerArray] = {}
    for name in NMC_MEASURES:
        col = table.column(name).filter(pa.array(found))
        if name in _NMC_INT:
            values = np.zeros(size, dtype=np.int64)
            missing = np.ones(size, dtype=bool)  # state-years absent from NMC are missing
            valid = col.is_valid().to_numpy(zero_copy_only=False)
            values[pos[valid]] = col.drop_null().to_numpy().astype(np.int64, copy=False)
            missing[pos[valid]] = False
            for side, s in (("1", s1), ("2", s2)):
                out[name + side] = pd.arrays.IntegerArray(values[s], missing[s])
        else:
            real = np.full(size, np.nan)
            real[pos] = col.to_numpy(zero_copy_only=False).astype(np.float64)
            for side, s in (("1", s1), ("2", s2)):
                out[name + side] = real[s]
    return out


#: The raw files the global panel reads (registry keys), all verified before any is read.
RAW_KEYS = ("cow_system", "atop_members", "cow_contiguity", "capdist", "cow_nmc")


def create_global_dyad_years(
    external_dir: str | os.PathLike[str] | None = None, start: int = 1816, end: int = 2016
) -> pd.DataFrame:
    """Build the directed dyad-year panel of the whole COW state system.

    Parameters
    ----------
    external_dir : str or os.PathLike, optional
        Folder of raw datasets (default: see
        :func:`~walt_alliances.sources.registry.resolve_external_dir`). Every file used is checked
        against the manifest (size and sha256; hashes are cached per process).
    start, end : int, default 1816 and 2016
        First and last year, inclusive; both must lie in 1816-2016 (the coverage of COW
        system2016 and NMC 6.0) with ``start <= end``.

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair of distinct COW system members per year (1,912,350 rows for
        1816-2016), sorted by ``year``, ``ccode1``, ``ccode2``, with a fresh RangeIndex:

        ``ccode1``, ``ccode2``, ``year`` (int64)
            The dyad-year. A state is a member in year *t* when ``system2016.csv`` lists it
            for *t*, i.e. when it was a member on any day of *t*.
        ``atop_alliance`` (int8)
            1 if the two states are members of at least one common ATOP 5.1 alliance in year
            *t*, by the member-level entry and exit years (``yrent`` <= *t* <= ``yrexit``;
            ``yrexit`` 0 means still a member at the end of coverage). Years, not days: a
            pair whose memberships touch the same year counts for that year.
        ``atop_defense``, ``atop_offense``, ``atop_neutral``, ``atop_nonagg``, ``atop_consul``
            (int8) 1 if at least one such common alliance carries that obligation for either state
            in its member row covering *t* (member-level ``defense`` ... ``consul``). Symmetric
            by construction. The member file does not say towards which partners an
            asymmetric obligation in a multilateral alliance runs; "either member" is our rule.
        ``conttype`` (int8)
            COW direct contiguity v3.2: 1 land or river, 2 <= 12 miles of water, 3 <= 24,
            4 <= 150, 5 <= 400, 0 not contiguous. A spell counts for year *t* if it covers
            any part of *t* (its start month is in or before *t* and its end month in or after
            *t*); when several spells touch *t*, the closest type (smallest code) is kept.
            peacesciencer's ``conttype == 0`` spells mean "no contiguity" and are ignored.
        ``capdist`` (Int64)
            Capital-to-capital distance in km (Gleditsch and Ward, static; see
            :func:`~walt_alliances.sources.cow.read_capdist`); missing for states without a row.
        ``cinc1``, ``cinc2``, ``tpop1``, ``tpop2``, ``upop1``, ``upop2`` (float64)
            NMC 6.0 of side 1 and side 2 (CINC; total and urban population in thousands).
        ``milex1``, ``milex2``, ``milper1``, ``milper2``, ``irst1``, ``irst2``, ``pec1``, ``pec2``
            (Int64) NMC 6.0 military expenditure (thousands of current USD), military personnel
            (thousands), iron and steel (thousand tons), energy (thousand coal-ton
            equivalents). NMC's -9 is missing, never a number.

        The ATOP and contiguity zeros are real zeros: both sources cover every panel year
        (ATOP 1815-2018, contiguity 1816-2016).

    Raises
    ------
    TypeError
        If ``start`` or ``end`` is not an integer.
    ValueError
        If the years are outside 1816-2016 or ``start > end``.
    RawDataError
        If a raw file is missing, changed, or breaks its reader's contract.

    Notes
    -----
    Raw files read: ``cow_system``, ``cow_nmc``, ``atop_members``, ``cow_contiguity``,
    ``capdist`` (see :data:`walt_alliances.sources.registry.REGISTRY`). No date-dependent
    defaults, no network. The panel takes about 310 MB in memory. Measured with
    ``benchmarks/global_panel.py`` on a two-core VM: median about 0.15 s per build (0.3 s under
    load); the first build in a fresh process took 0.16-1.1 s (hashing plus first-touch
    allocation of the output, which is slow on that VM); peak RSS about 500 MB including the
    interpreter and libraries.

    Examples
    --------
    >>> panel = create_global_dyad_years()  # doctest: +SKIP
    >>> panel.query("ccode1 == 2 and ccode2 == 200 and year == 1950")  # doctest: +SKIP
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
    base = resolve_external_dir(external_dir)
    verify(RAW_KEYS, base)  # one error naming every missing or changed file
    system = read_arrow(raw_path("cow_system", base), SYSTEM_SCHEMA, include=["ccode", "year"])
    frame = _Frame(_int_array(system, "ccode"), _int_array(system, "year"), start, end)
    s1, s2 = frame.pairs()
    ccode1, ccode2 = frame.ccode[s1], frame.ccode[s2]
    data: dict[str, np.ndarray | pd.arrays.IntegerArray] = {
        "ccode1": ccode1,
        "ccode2": ccode2,
        "year": frame.year[s1],
    }
    data.update(_atop(frame, base))
    data["conttype"] = _contiguity(frame, base)
    data["capdist"] = _capdist(ccode1, ccode2, base)
    data.update(_nmc(frame, s1, s2, base))
    return pd.DataFrame({c: data[c] for c in GLOBAL_PANEL_COLUMNS}, copy=False)
