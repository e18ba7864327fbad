"""The book's tables, computed from the project's codings.

Each function rebuilds one table of the kind Walt (1987) reports (Appendix 1, the tallies of
balancing and bandwagoning, the sources of threat, ideology, aid and penetration, and the balance
of world power of Appendix 2) from the coded records, and returns a pandas DataFrame in a
deterministic order. The rules each table uses are written in its docstring.

**Every value here is ours**: computed from the walt_alliances codings, never transcribed from
the book. Each table carries a ``coded_by`` column whose value is ``"ours"`` and the frame's
``attrs["coded_by"]`` says the same. The book's own figures, where someone with the book has
entered them, live in :mod:`walt_alliances.tables.published` and are compared cell by cell there.

All functions take an optional ``data`` argument: by default the shipped tables; a
:class:`BookData` (:meth:`BookData.from_dir` reads a compiled data folder, the output of
``walt-alliances build``; :meth:`BookData.from_recordset` a validated record set, for example
the shipped records layered with a user's extension) or a
:class:`walt_alliances.panels.study.Study`,
so the tables work for any record set.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from walt_alliances.records import dates

if TYPE_CHECKING:
    from walt_alliances.panels.study import Study

__all__ = [
    "ALIGNMENT_CATEGORIES",
    "BOOK_TABLES",
    "CODED_BY",
    "GROUPS",
    "ORDERS",
    "SIMILARITY",
    "BookData",
    "aid_and_penetration",
    "aid_and_penetration_tally",
    "appendix1",
    "balancing_vs_bandwagoning",
    "ideology",
    "ideology_tally",
    "pan_arab_unions",
    "threat_sources",
    "threat_sources_tally",
    "world_power_balance",
]

#: Value of the ``coded_by`` column of every table: these are the project's codings.
CODED_BY = "ours"
_NOTE = ("Computed from the walt_alliances project's own codings (not figures from Walt 1987).")

#: Groups of the balancing tally, in display order (actor kinds, then all together).
GROUPS: tuple[str, ...] = ("superpower", "regional_state", "outside_power", "non_state", "all")
#: Alignment-level categories of the balancing tally.
ALIGNMENT_CATEGORIES: tuple[str, ...] = ("balancing", "bandwagoning", "mixed")
#: Member-level categories of the balancing tally (the motive vocabulary).
COMMITMENT_CATEGORIES: tuple[str, ...] = ("balancing", "bandwagoning", "ideology", "aid",
                                          "penetration", "other")
#: Ideological similarity of an alignment.
SIMILARITY: tuple[str, ...] = ("similar", "dissimilar", "undetermined", "not_applicable")
#: Order of an aid or penetration event relative to the donor-recipient alignment.
ORDERS: tuple[str, ...] = ("event_first", "same_period", "alignment_first",
                           "after_alignment_ended", "no_alignment")
COMPONENTS: tuple[str, ...] = ("aggregate_power", "proximity", "offensive_power",
                               "aggressive_intentions")
_KIND_RANK = {"superpower": 0, "outside_power": 1, "regional_state": 2, "non_state": 3}


# --------------------------------------------------------------------------------------------
# Data access
# --------------------------------------------------------------------------------------------

_NEEDED = ("actors", "alignments", "memberships", "threats", "motives", "regimes",
           "soviet_aid", "penetration")


@dataclass(frozen=True)
class BookData:
    """The coded tables a book table is computed from, and the coded period.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        ``actors``, ``alignments``, ``memberships``, ``threats``, ``motives``, ``regimes``,
        ``soviet_aid`` and ``penetration``, with the loaders' dtypes (including the
        ``start_first_day`` / ``end_last_day`` columns).
    period_start, period_end : datetime.date
        First and last day of the coded period (1955-01-01 and 1979-12-31 for the core data).

    Notes
    -----
    Tables that other tables are built from (:func:`ideology`, :func:`aid_and_penetration`)
    are computed once per ``BookData`` and kept on it, so treat ``tables`` as read-only:
    build a new ``BookData`` (or ``dataclasses.replace`` one, which starts an empty cache)
    for changed codings.
    """

    tables: dict[str, pd.DataFrame]
    period_start: dt.date = dates.PERIOD_START
    period_end: dt.date = dates.PERIOD_END
    #: State-year measures (CINC, US aid) when they are not the shipped ones: a study built
    #: for other states or years (an extension) carries its own.
    state_years: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    _memo: dict[tuple[Any, ...], pd.DataFrame] = field(default_factory=dict, init=False,
                                                       compare=False, repr=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name].copy()

    @property
    def first_year(self) -> int:
        """First year of the coded period."""
        return self.period_start.year

    @property
    def last_year(self) -> int:
        """Last year of the coded period."""
        return self.period_end.year

    @classmethod
    def shipped(cls) -> BookData:
        """Return the tables that ship with the package (read with the ``load_*`` functions)."""
        from walt_alliances.records import load

        tables = {name: load.load_table(name) for name in _NEEDED}
        with load._data_file("records.json").open("rb") as fh:
            info = json.load(fh).get("info")
        return cls(tables, *_period(info))

    @classmethod
    def from_dir(cls, data_dir: str | Path) -> BookData:
        """Read a compiled data folder (``tables/<name>.csv`` and ``records.json``).

        Parameters
        ----------
        data_dir : path-like
            A folder written by :func:`walt_alliances.records.build.build` (or with the files of
            :func:`walt_alliances.records.build.compile_records`).
        """
        from walt_alliances.records.schema import TABLES, apply_dtypes

        root = Path(data_dir)
        tables = {}
        for name in _NEEDED:
            raw = pd.read_csv(root / "tables" / f"{name}.csv", dtype=str, keep_default_na=False,
                              na_values=[""])
            tables[name] = apply_dtypes(raw, TABLES[name])
        info = None
        if (root / "records.json").is_file():
            info = json.loads((root / "records.json").read_text(encoding="utf-8")).get("info")
        return cls(tables, *_period(info))

    @classmethod
    def from_recordset(cls, rs: Any, state_spells: pd.DataFrame | None = None) -> BookData:
        """Compute the tables from a validated :class:`walt_alliances.records.read.RecordSet`.

        The record set goes through the same path as the build (``to_frames``, CSV, the
        loaders' dtypes), so the result equals what :meth:`from_dir` reads after a build.
        """
        from walt_alliances._io import csv_bytes
        from walt_alliances.records.load import load_state_system
        from walt_alliances.records.schema import TABLES, apply_dtypes, to_frames

        frames = to_frames(rs, load_state_system() if state_spells is None else state_spells)
        tables = {}
        for name in _NEEDED:
            raw = pd.read_csv(io.BytesIO(csv_bytes(frames[name])), dtype=str,
                              keep_default_na=False, na_values=[""])
            tables[name] = apply_dtypes(raw, TABLES[name])
        info = None
        if rs.info is not None:
            info = {"period": {"start": rs.info.period_start, "end": rs.info.period_end}}
        return cls(tables, *_period(info))


def _period(info: dict[str, Any] | None) -> tuple[dt.date, dt.date]:
    if info and info.get("period"):
        return (dates.resolve_start(str(info["period"]["start"])),
                dates.resolve_end(str(info["period"]["end"])))
    return dates.PERIOD_START, dates.PERIOD_END


def _data(data: Any) -> BookData:
    """Return the tables to use.

    The shipped ones (None), a BookData, or anything with ``tables`` and the period (such as a
    :class:`walt_alliances.panels.study.Study`).
    """
    if data is None:
        return BookData.shipped()
    if isinstance(data, BookData):
        return data
    if hasattr(data, "tables") and hasattr(data, "period_start"):
        return BookData(dict(data.tables), data.period_start, data.period_end,
                        getattr(data, "state_years", None))
    raise TypeError(f"data must be a BookData or a Study, not {type(data).__name__}")


def _memoized(data: BookData, key: tuple[Any, ...], make: Callable[[], pd.DataFrame]
              ) -> pd.DataFrame:
    """``make()``, computed once per ``data`` and ``key``; each caller gets its own copy."""
    hit = data._memo.get(key)
    if hit is None:
        hit = make()
        data._memo[key] = hit
    out = hit.copy()
    out.attrs = dict(hit.attrs)
    return out


def _finish(df: pd.DataFrame, title: str) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    df["coded_by"] = pd.Series([CODED_BY] * len(df), dtype="string")
    df.attrs = {"coded_by": CODED_BY, "title": title, "note": _NOTE}
    return df


def _ts(value: dt.date) -> pd.Timestamp:
    return pd.Timestamp(value)


def _s(value: Any) -> str:
    """Return a cell as a plain string ('' for missing)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _year(value: Any) -> str:
    return _s(value)[:4]


def _open_end(end: pd.Series, period_end: dt.date) -> pd.Series:
    """``end_last_day`` with open (missing) ends replaced by the period's last day."""
    return end.fillna(_ts(period_end))


def _in_period(df: pd.DataFrame, data: BookData) -> pd.Series:
    """Rows whose spell overlaps the coded period (a missing end counts as open)."""
    end = _open_end(df["end_last_day"], data.period_end)
    return (df["start_first_day"] <= _ts(data.period_end)) & (end >= _ts(data.period_start))


def _actor_info(data: BookData) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    act = data["actors"]
    ids = act["actor_id"].astype(str).tolist()
    abbr = dict(zip(ids, act["abbreviation"].fillna(act["actor_id"]).astype(str), strict=True))
    kind = dict(zip(ids, act["kind"].astype(str), strict=True))
    name = dict(zip(ids, act["name"].astype(str), strict=True))
    return abbr, kind, name


def _alignments(data: BookData) -> pd.DataFrame:
    """Alignments overlapping the coded period, in start order."""
    al = data["alignments"]
    al = al[_in_period(al, data)]
    return al.sort_values(["start_first_day", "alignment_id"], kind="mergesort")


def _members(data: BookData) -> pd.DataFrame:
    """Membership spells overlapping the coded period, of alignments that do."""
    ms = data["memberships"]
    ms = ms[_in_period(ms, data)]
    keep = set(_alignments(data)["alignment_id"].astype(str))
    ms = ms[ms["alignment_id"].astype(str).isin(keep)]
    return ms.sort_values(["alignment_id", "start_first_day", "actor_id"], kind="mergesort")


def _years_label(start: Any, end: Any, censored: Any) -> str:
    if bool(censored) and censored is not pd.NA:
        return f"{_year(start)}-"
    return f"{_year(start)}-{_year(end)}"


def _classify(motives: list[str]) -> str:
    """Alignment-level category: a strict majority of members' primary motives, else mixed."""
    n = len(motives)
    for cat in ("balancing", "bandwagoning"):
        if n and motives.count(cat) * 2 > n:
            return cat
    return "mixed"


def _group_of_alignment(kinds: list[str]) -> str:
    """Return the most powerful member kind: superpower > outside power > regional > NSA."""
    return min(kinds, key=lambda k: _KIND_RANK.get(k, 9)) if kinds else "non_state"


# --------------------------------------------------------------------------------------------
# Appendix 1
# --------------------------------------------------------------------------------------------

def appendix1(data: BookData | Study | None = None,
              level: Literal["alignment", "member"] = "alignment") -> pd.DataFrame:
    """Alignments of the coded period with their members, years, threats and motives.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).
    level : {"alignment", "member"}
        One row per alignment (default) or one row per membership spell.

    Returns
    -------
    pandas.DataFrame
        With ``level="alignment"``: ``alignment_id``, ``name``, ``kind``, ``start``, ``end``
        (as coded, at their stated precision), ``right_censored``, ``years`` (``1955-1979``;
        ``1977-`` when the alignment outlasts the period), ``n_members``, ``members``
        (abbreviations, ``; ``-separated, in order of joining), ``member_motives``
        (``EGY: balancing; SYR: ideology``: each member's primary motive), ``member_threats``
        (``EGY: ISR; SYR: ISR+JOR``: the actors each member was responding to, ``-`` when
        none is coded), ``threats`` (every threatening actor named for any member, most often
        named first, then by id), ``threats_balanced`` (the same, counting only members whose
        primary motive is balancing), ``motive`` (``balancing`` or ``bandwagoning`` when more
        than half of the members have it as their primary motive, else ``mixed``; the rule of
        :func:`balancing_vs_bandwagoning`), ``confidence`` and ``coded_by`` (``"ours"``).

        With ``level="member"``: ``alignment_id``, ``name``, ``years``, ``actor_id``,
        ``abbreviation``, ``actor_kind``, ``role``, ``member_start``, ``member_end``,
        ``primary_motive``, ``other_motives`` (the member's other coded motives,
        ``;``-separated), ``threats`` (threatening actors, ``;``-separated, sorted),
        ``threat_components`` (``ISR: proximity+offensive_power; ...``) and ``coded_by``.

    Notes
    -----
    An alignment is listed when its dates overlap the coded period (1955-01-01 to 1979-12-31
    for the core data; a missing end counts as open), so an alignment formed in 1954 and in
    force in 1955 is listed. Members are the membership spells that overlap the period. Rows are
    ordered by the alignment's start (first day), then its id; members by their start, then id.
    """
    data = _data(data)
    abbr, kind, _ = _actor_info(data)
    al = _alignments(data)
    ms = _members(data)
    th = data["threats"]
    mo = data["motives"]
    if level == "member":
        # each member's coded threats (by threat actor) and other motives, indexed once
        threats: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for aid, actor, tid, comp in zip(th["alignment_id"].astype(str),
                                         th["actor_id"].astype(str),
                                         th["threat_actor_id"].astype(str), th["components"],
                                         strict=True):
            threats.setdefault((aid, actor), []).append((tid, _s(comp)))
        others: dict[tuple[str, str], list[str]] = {}
        secondary = ~mo["primary"].fillna(False).astype(bool)
        for aid, actor, motive in zip(mo.loc[secondary, "alignment_id"].astype(str),
                                      mo.loc[secondary, "actor_id"].astype(str),
                                      mo.loc[secondary, "motive"].astype(str), strict=True):
            others.setdefault((aid, actor), []).append(motive)
        by_alignment: dict[str, list[Any]] = {}
        for m in ms.itertuples(index=False):
            by_alignment.setdefault(str(m.alignment_id), []).append(m)
        rows = []
        for a in al.itertuples(index=False):
            years = _years_label(a.start, a.end, a.right_censored)
            for m in by_alignment.get(str(a.alignment_id), []):
                key = (str(a.alignment_id), str(m.actor_id))
                t = sorted(threats.get(key, []), key=lambda z: z[0])  # stable, as mergesort
                rows.append({
                    "alignment_id": a.alignment_id, "name": a.name, "years": years,
                    "actor_id": m.actor_id, "abbreviation": abbr.get(m.actor_id, m.actor_id),
                    "actor_kind": kind.get(m.actor_id, ""), "role": _s(m.role),
                    "member_start": _s(m.start), "member_end": _s(m.end),
                    "primary_motive": _s(m.primary_motive),
                    "other_motives": ";".join(sorted(others.get(key, []))),
                    "threats": ";".join(tid for tid, _ in t),
                    "threat_components": "; ".join(
                        f"{tid}: {comp.replace(';', '+') or '-'}" for tid, comp in t),
                })
        cols = ["alignment_id", "name", "years", "actor_id", "abbreviation", "actor_kind", "role",
                "member_start", "member_end", "primary_motive", "other_motives", "threats",
                "threat_components"]
        return _finish(pd.DataFrame(rows, columns=cols).astype("string"),
                       "Appendix 1 (member level): alignments, members, threats, motives")
    if level != "alignment":
        raise ValueError(f"level must be 'alignment' or 'member', not {level!r}")
    rows = []
    for a in al.itertuples(index=False):
        m = ms[ms["alignment_id"] == a.alignment_id]
        t = th[(th["alignment_id"] == a.alignment_id) & th["actor_id"].isin(m["actor_id"])]
        balancers = set(m.loc[m["primary_motive"] == "balancing", "actor_id"].astype(str))
        per_member = []
        for r in m.itertuples(index=False):
            tt = sorted(t.loc[t["actor_id"] == r.actor_id, "threat_actor_id"].astype(str))
            per_member.append(f"{abbr.get(r.actor_id, r.actor_id)}: "
                              + ("+".join(abbr.get(x, x) for x in tt) or "-"))
        motives = [_s(x) for x in m["primary_motive"]]
        rows.append({
            "alignment_id": a.alignment_id, "name": a.name, "kind": _s(a.kind),
            "start": _s(a.start), "end": _s(a.end),
            "right_censored": _s(a.right_censored),
            "years": _years_label(a.start, a.end, a.right_censored),
            "n_members": len(m),
            "members": "; ".join(abbr.get(x, x) for x in m["actor_id"].astype(str)),
            "member_motives": "; ".join(f"{abbr.get(x, x)}: {y}" for x, y in
                                        zip(m["actor_id"].astype(str), motives, strict=True)),
            "member_threats": "; ".join(per_member),
            "threats": _ranked(t["threat_actor_id"].astype(str).tolist(), abbr),
            "threats_balanced": _ranked(
                t.loc[t["actor_id"].isin(balancers), "threat_actor_id"].astype(str).tolist(),
                abbr),
            "motive": _classify(motives),
            "confidence": _s(a.confidence),
        })
    cols = ["alignment_id", "name", "kind", "start", "end", "right_censored", "years",
            "n_members", "members", "member_motives", "member_threats", "threats",
            "threats_balanced", "motive", "confidence"]
    out = pd.DataFrame(rows, columns=cols)
    for c in cols:
        out[c] = out[c].astype("Int64" if c == "n_members" else "string")
    return _finish(out, "Appendix 1: alignments 1955-1979 with members, threats and motives")


def _ranked(ids: list[str], abbr: dict[str, str]) -> str:
    counts = pd.Series(ids, dtype="object").value_counts()
    order = sorted(counts.index, key=lambda x: (-int(counts[x]), x))
    return "; ".join(abbr.get(x, x) for x in order)


# --------------------------------------------------------------------------------------------
# Balancing vs bandwagoning
# --------------------------------------------------------------------------------------------

def balancing_vs_bandwagoning(data: BookData | Study | None = None) -> pd.DataFrame:
    """Count balancing and bandwagoning, by alliance and by national commitment.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).

    Returns
    -------
    pandas.DataFrame
        One row per (``level``, ``group``, ``category``), every combination present (zero
        counts included), in the order of :data:`GROUPS` and the categories:

        - ``level``: ``alliances`` (one unit per alignment) or ``commitments`` (one unit per
          membership spell: a state's, or a non-state actor's, commitment to an alignment).
        - ``group``: for commitments, the member's actor kind (``superpower``,
          ``regional_state``, ``outside_power``, ``non_state``); for alliances, the most
          powerful kind among its members (superpower > outside_power > regional_state >
          non_state), so an alignment with a superpower member counts under ``superpower``;
          ``all`` sums the groups.
        - ``category``: for alliances, ``balancing`` or ``bandwagoning`` when more than half
          (strictly) of its members' primary motives are that motive, else ``mixed``; for
          commitments, the member's primary motive (``balancing``, ``bandwagoning``,
          ``ideology``, ``aid``, ``penetration``, ``other``).
        - ``count``: number of units; ``share``: percent of the level-and-group total
          (missing when the total is 0).
        - ``cases``: the bandwagoning cases named (alignment ids for alliances;
          ``ACTOR in alignment_id`` for commitments), ``"; "``-separated; empty for other
          categories.
        - ``coded_by``: ``"ours"``.

    Notes
    -----
    Units are the alignments and membership spells that overlap the coded period (see
    :func:`appendix1`). The member-level counts of group ``all`` add up to the number of those
    membership rows. A member that joined the same alignment twice counts twice.
    """
    data = _data(data)
    _, kind, _ = _actor_info(data)
    al = _alignments(data)
    ms = _members(data)
    rows = []
    alliance_units = []
    for a in al.itertuples(index=False):
        m = ms[ms["alignment_id"] == a.alignment_id]
        kinds = [kind.get(x, "non_state") for x in m["actor_id"].astype(str)]
        alliance_units.append((_group_of_alignment(kinds),
                               _classify([_s(x) for x in m["primary_motive"]]),
                               str(a.alignment_id)))
    commit_units = [(kind.get(str(r.actor_id), "non_state"), _s(r.primary_motive),
                     f"{r.actor_id} in {r.alignment_id}") for r in ms.itertuples(index=False)]
    for level, units, cats in (("alliances", alliance_units, ALIGNMENT_CATEGORIES),
                               ("commitments", commit_units, COMMITMENT_CATEGORIES)):
        for group in GROUPS:
            sel = [u for u in units if group == "all" or u[0] == group]
            total = len(sel)
            for cat in cats:
                hits = [u[2] for u in sel if u[1] == cat]
                rows.append({
                    "level": level, "group": group, "category": cat, "count": len(hits),
                    "share": round(100.0 * len(hits) / total, 6) if total else np.nan,
                    "cases": "; ".join(sorted(hits)) if cat == "bandwagoning" else "",
                })
    out = pd.DataFrame(rows, columns=["level", "group", "category", "count", "share", "cases"])
    out = out.astype({"level": "string", "group": "string", "category": "string",
                      "count": "Int64", "share": "Float64", "cases": "string"})
    return _finish(out, "Balancing vs bandwagoning: alliances and national commitments")


# --------------------------------------------------------------------------------------------
# Sources of threat
# --------------------------------------------------------------------------------------------

def threat_sources(data: BookData | Study | None = None) -> pd.DataFrame:
    """Which of Walt's four sources of threat were coded, by alignment, member and threat.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).

    Returns
    -------
    pandas.DataFrame
        One row per coded threat (member and threatening actor) of the memberships listed in
        :func:`appendix1`: ``alignment_id``, ``actor_id`` (the threatened member),
        ``threat_actor_id``, ``threat_type`` (the threatening actor's kind), one boolean column
        per source (``aggregate_power``, ``proximity``, ``offensive_power``,
        ``aggressive_intentions``: True when the component is listed in the threat's
        ``components``), ``n_components`` (0-4), ``primary_motive`` (the member's) and
        ``coded_by``. Ordered by alignment start, alignment id, member id, threatening actor id.
        Members with no coded threat have no row (they appear in :func:`threat_sources_tally`).
    """
    data = _data(data)
    al = _alignments(data)
    ms = _members(data)
    th = data["threats"]
    keys = ms[["alignment_id", "actor_id", "primary_motive"]].drop_duplicates(
        ["alignment_id", "actor_id"])
    th = th.merge(keys.astype({"alignment_id": "string", "actor_id": "string"}),
                  on=["alignment_id", "actor_id"], how="inner")
    order = {a: i for i, a in enumerate(al["alignment_id"].astype(str))}
    th["_o"] = th["alignment_id"].astype(str).map(order)
    th = th.sort_values(["_o", "actor_id", "threat_actor_id"], kind="mergesort")
    comps = th["components"].fillna("").astype(str).str.split(";")
    out = pd.DataFrame({
        "alignment_id": th["alignment_id"].astype("string"),
        "actor_id": th["actor_id"].astype("string"),
        "threat_actor_id": th["threat_actor_id"].astype("string"),
        "threat_type": th["threat_type"].astype("string"),
    })
    for c in COMPONENTS:
        out[c] = pd.array([c in x for x in comps], dtype="boolean")
    out["n_components"] = out[list(COMPONENTS)].sum(axis=1).astype("Int64")
    out["primary_motive"] = th["primary_motive"].astype("string")
    return _finish(out, "Sources of threat by alignment, member and threat")


def threat_sources_tally(data: BookData | Study | None = None) -> pd.DataFrame:
    """Tallies of the sources of threat coded.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).

    Returns
    -------
    pandas.DataFrame
        One row per ``row`` with the columns ``threats`` (coded member-threat pairs),
        ``members`` (membership units, i.e. distinct alignment-member pairs, with at least one
        such threat), ``alignments`` (distinct alignments with at least one) and
        ``share_of_threats`` (percent of all coded threats). Rows, in order:

        - ``component:<name>`` for each of the four sources: threats listing that source;
        - ``n_components:<k>`` for k = 0..4: threats listing exactly k sources;
        - ``threat_type:<type>`` (regional, superpower, outside_power, non_state): threats by
          the kind of the threatening actor;
        - ``all_threats``: every coded threat;
        - ``members_without_threat``: membership units with no coded threat (``members``
          and ``alignments`` only; ``threats`` is 0).

        Plus ``coded_by``.
    """
    data = _data(data)
    t = threat_sources(data)
    ms = _members(data)
    n_all = len(t)
    rows = []

    def add(row: str, sel: pd.DataFrame) -> None:
        rows.append({"row": row, "threats": len(sel),
                     "members": len(sel[["alignment_id", "actor_id"]].drop_duplicates()),
                     "alignments": sel["alignment_id"].nunique(),
                     "share_of_threats": round(100.0 * len(sel) / n_all, 6) if n_all else np.nan})

    for c in COMPONENTS:
        add(f"component:{c}", t[t[c].astype(bool)])
    for k in range(5):
        add(f"n_components:{k}", t[t["n_components"] == k])
    for tt in ("regional", "superpower", "outside_power", "non_state"):
        add(f"threat_type:{tt}", t[t["threat_type"] == tt])
    add("all_threats", t)
    units = ms[["alignment_id", "actor_id"]].drop_duplicates().astype(str)
    have = set(zip(t["alignment_id"].astype(str), t["actor_id"].astype(str), strict=True))
    without = units[[(a, b) not in have for a, b in
                     zip(units["alignment_id"], units["actor_id"], strict=True)]]
    rows.append({"row": "members_without_threat", "threats": 0, "members": len(without),
                 "alignments": without["alignment_id"].nunique(), "share_of_threats": np.nan})
    out = pd.DataFrame(rows).astype({"row": "string", "threats": "Int64", "members": "Int64",
                                     "alignments": "Int64", "share_of_threats": "Float64"})
    return _finish(out, "Sources of threat: tallies")


# --------------------------------------------------------------------------------------------
# Ideology
# --------------------------------------------------------------------------------------------

_Spell = tuple[pd.Timestamp, pd.Timestamp, str]


def _regime_spells(regimes: pd.DataFrame) -> dict[str, list[_Spell]]:
    """Each actor's regime spells (first day, last day or the far future, family), by start."""
    r = regimes.sort_values("start_first_day", kind="mergesort")
    out: dict[str, list[_Spell]] = {}
    for actor, start, end, family in zip(r["actor_id"].astype(str), r["start_first_day"],
                                         r["end_last_day"].fillna(pd.Timestamp.max),
                                         r["family"], strict=True):
        out.setdefault(actor, []).append((start, end, str(family)))
    return out


def _family_at(spells: dict[str, list[_Spell]], actor: str, day: pd.Timestamp) -> str | None:
    """The family of the latest-starting regime spell of ``actor`` in force on ``day``."""
    hit = [f for start, end, f in spells.get(actor, ()) if start <= day <= end]
    return hit[-1] if hit else None


def ideology(data: BookData | Study | None = None,
             at: Literal["alignment_start", "member_start"] = "alignment_start") -> pd.DataFrame:
    """Ideologically similar and dissimilar alignments, with their durations.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).
    at : {"alignment_start", "member_start"}
        The day each member's regime family is read: the alignment's start (default), or the
        member's own start (which differs for members that joined later).

    Returns
    -------
    pandas.DataFrame
        One row per alignment of :func:`appendix1`: ``alignment_id``, ``name``, ``kind``,
        ``start``, ``end``, ``right_censored``, ``state_members`` (members that are not
        non-state actors, ``;``-separated), ``families`` (``EGY=pan_arab_nationalist; ...``,
        ``?`` when no regime spell covers the day), ``n_families`` (distinct known families),
        ``similarity``, ``duration_years``, ``duration_censored``, ``is_union``,
        ``end_notes`` and ``coded_by``.

    Notes
    -----
    **Similarity rule.** Each state member's regime family (``load_regimes``) is read on the
    day chosen by ``at``; non-state members are left out. ``similar``: two or more state
    members, all with a known family, all the same family. ``dissimilar``: at least two
    different known families (whatever the unknown ones are). ``undetermined``: the known
    families agree but some member's family is unknown. ``not_applicable``: fewer than two
    state members.

    **Duration.** ``(end_last_day - start_first_day + 1 day) / 365.25`` in years, rounded to
    3 decimals, by the package's date rule (a start resolves to the first day of its period,
    an end to the last). A right-censored alignment is measured to the period's last day
    (1979-12-31) and flagged in ``duration_censored``. An alignment with no end that is not
    flagged right-censored has a missing duration. Alignments that began before the period are
    measured from their own start.

    ``is_union`` is True for ``kind == "union"``; ``end_notes`` then gives how it ended (the
    alignment's ``date_notes`` and ``notes``); see :func:`pan_arab_unions`.
    """
    data = _data(data)
    if at not in ("alignment_start", "member_start"):
        raise ValueError(f"at must be 'alignment_start' or 'member_start', not {at!r}")
    return _memoized(data, ("ideology", at), lambda: _ideology(data, at))


def _ideology(data: BookData, at: str) -> pd.DataFrame:
    _, kind, _ = _actor_info(data)
    al = _alignments(data)
    ms = _members(data)
    reg = _regime_spells(data["regimes"])
    rows = []
    for a in al.itertuples(index=False):
        m = ms[(ms["alignment_id"] == a.alignment_id)
               & (ms["actor_id"].astype(str).map(kind) != "non_state")]
        m = m.drop_duplicates("actor_id")
        fams: list[tuple[str, str | None]] = []
        for r in m.itertuples(index=False):
            day = a.start_first_day if at == "alignment_start" else r.start_first_day
            fams.append((str(r.actor_id), _family_at(reg, str(r.actor_id), day)))
        known = {f for _, f in fams if f is not None}
        if len(fams) < 2:
            sim = "not_applicable"
        elif len(known) >= 2:
            sim = "dissimilar"
        elif all(f is not None for _, f in fams):
            sim = "similar"
        else:
            sim = "undetermined"
        censored = bool(a.right_censored) if a.right_censored is not pd.NA else False
        if censored:
            end = _ts(data.period_end)
        else:
            end = a.end_last_day
        dur = (np.nan if pd.isna(end)
               else round(((end - a.start_first_day).days + 1) / 365.25, 3))
        is_union = _s(a.kind) == "union"
        rows.append({
            "alignment_id": a.alignment_id, "name": a.name, "kind": _s(a.kind),
            "start": _s(a.start), "end": _s(a.end), "right_censored": censored,
            "state_members": ";".join(x for x, _ in fams),
            "families": "; ".join(f"{x}={f or '?'}" for x, f in fams),
            "n_families": len(known), "similarity": sim, "duration_years": dur,
            "duration_censored": censored, "is_union": is_union,
            "end_notes": _end_notes(a) if is_union else "",
        })
    cols = ["alignment_id", "name", "kind", "start", "end", "right_censored", "state_members",
            "families", "n_families", "similarity", "duration_years", "duration_censored",
            "is_union", "end_notes"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.astype({c: "string" for c in cols} | {
        "right_censored": "boolean", "n_families": "Int64", "duration_years": "Float64",
        "duration_censored": "boolean", "is_union": "boolean"})
    return _finish(out, "Ideology: similar and dissimilar alignments and their durations")


def _end_notes(a: Any) -> str:
    parts = [_s(a.date_notes).strip(), _s(a.notes).strip()]
    return " ".join(p for p in parts if p)


def ideology_tally(data: BookData | Study | None = None,
                   at: Literal["alignment_start", "member_start"] = "alignment_start"
                   ) -> pd.DataFrame:
    """Count similar and dissimilar alignments and sum up their durations (:func:`ideology`).

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).
    at : {"alignment_start", "member_start"}
        Passed to :func:`ideology`.

    Returns
    -------
    pandas.DataFrame
        One row per ``similarity`` (``similar``, ``dissimilar``, ``undetermined``,
        ``not_applicable``, then ``all``) with ``alignments`` (count), ``unions`` (of them,
        ``kind == "union"``), ``right_censored`` (of them), ``mean_duration_years`` and
        ``median_duration_years`` (over alignments with a duration, right-censored ones
        measured to the period's end, so these understate the true durations) and
        ``coded_by``.
    """
    ide = ideology(data, at=at)
    rows = []
    for sim in (*SIMILARITY, "all"):
        sel = ide if sim == "all" else ide[ide["similarity"] == sim]
        d = sel["duration_years"].dropna().astype(float)
        rows.append({"similarity": sim, "alignments": len(sel),
                     "unions": int(sel["is_union"].astype(bool).sum()),
                     "right_censored": int(sel["duration_censored"].astype(bool).sum()),
                     "mean_duration_years": round(float(d.mean()), 3) if len(d) else np.nan,
                     "median_duration_years": round(float(d.median()), 3) if len(d) else np.nan})
    out = pd.DataFrame(rows).astype({"similarity": "string", "alignments": "Int64",
                                     "unions": "Int64", "right_censored": "Int64",
                                     "mean_duration_years": "Float64",
                                     "median_duration_years": "Float64"})
    return _finish(out, "Ideology: tallies of similar and dissimilar alignments")


def pan_arab_unions(data: BookData | Study | None = None) -> pd.DataFrame:
    """List the unions (``kind == "union"``) and how they ended.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`ideology` with ``is_union`` True, columns ``alignment_id``,
        ``name``, ``start``, ``end`` (as coded), ``right_censored``, ``state_members``,
        ``families``, ``similarity``, ``duration_years``, ``end_notes`` and ``coded_by``.

    Notes
    -----
    In the core data every union is between Arab states; a user's extension could add others,
    which this table would list too (it selects on ``kind``, not on membership).
    """
    ide = ideology(data)
    cols = ["alignment_id", "name", "start", "end", "right_censored", "state_members",
            "families", "similarity", "duration_years", "end_notes"]
    out = ide.loc[ide["is_union"].astype(bool), cols]
    return _finish(out, "Unions of Arab states and how they ended")


# --------------------------------------------------------------------------------------------
# Aid and penetration
# --------------------------------------------------------------------------------------------

_Membership = tuple[str, Any, Any, pd.Timestamp, pd.Timestamp]


def _membership_spells(ms: pd.DataFrame) -> dict[str, list[_Membership]]:
    """Each actor's membership spells in table order: (alignment, start, end, first, last day)."""
    out: dict[str, list[_Membership]] = {}
    for row in zip(ms["actor_id"].astype(str), ms["alignment_id"].astype(str), ms["start"],
                   ms["end"], ms["start_first_day"], ms["end_last_day"], strict=True):
        out.setdefault(row[0], []).append(row[1:])
    return out


def _joint_spells(spells: dict[str, list[_Membership]], a: str, b: str
                  ) -> list[tuple[str, str, str, pd.Timestamp, pd.Timestamp]]:
    """Spells in which actors a and b were members of the same alignment at the same time.

    Returns (alignment_id, start as coded, end as coded, first day, last day or NaT if open).
    """
    out = []
    for x_id, x_start, x_end, x_first, x_last in spells.get(a, ()):
        for y_id, y_start, y_end, y_first, y_last in spells.get(b, ()):
            if y_id != x_id:
                continue
            start, start_s = ((x_first, x_start) if x_first >= y_first else (y_first, y_start))
            ends = [(e, s) for e, s in ((x_last, x_end), (y_last, y_end)) if not pd.isna(e)]
            end, end_s = min(ends, key=lambda z: z[0]) if ends else (pd.NaT, None)
            if pd.isna(end) or start <= end:
                out.append((x_id, _s(start_s), _s(end_s), start, end))
    return sorted(out, key=lambda z: (z[3], z[0]))


def _compare_dates(event: str, ref: str) -> str:
    """'before', 'after' or 'same' comparing two partial dates at the coarser precision."""
    n = min(len(event), len(ref))
    e, r = event[:n], ref[:n]
    return "same" if e == r else ("before" if e < r else "after")


def _order(event: str, event_day: pd.Timestamp,
           spells: list[tuple[str, str, str, pd.Timestamp, pd.Timestamp]]
           ) -> tuple[str, tuple[str, str, str, pd.Timestamp, pd.Timestamp] | None]:
    if not spells:
        return "no_alignment", None
    current = [s for s in spells if pd.isna(s[4]) or s[4] >= event_day]
    if not current:
        return "after_alignment_ended", spells[-1]
    ref = current[0]
    cmp = _compare_dates(event, ref[1])
    return {"before": "event_first", "same": "same_period", "after": "alignment_first"}[cmp], ref


def _us_aid_onsets(state_years: pd.DataFrame, min_usd: float) -> pd.DataFrame:
    sy = state_years[["ccode", "year", "us_aid_oblig_current"]].copy()
    sy = sy.sort_values(["ccode", "year"], kind="mergesort")
    first_year = int(sy["year"].min())
    rows = []
    for cc, g in sy.groupby("ccode", sort=True):
        vals = dict(zip(g["year"].astype(int), g["us_aid_oblig_current"], strict=True))
        for year, v in vals.items():
            if pd.isna(v) or float(v) <= min_usd:
                continue
            prev = vals.get(year - 1, "absent")
            if isinstance(prev, str):
                onset = year > first_year  # the state entered the system this year
            else:
                onset = not pd.isna(prev) and float(prev) <= min_usd
            if onset:
                rows.append({"ccode": int(cc), "year": year, "amount": float(v)})
    return pd.DataFrame(rows, columns=["ccode", "year", "amount"])


def aid_and_penetration(data: BookData | Study | None = None,
                        state_years: pd.DataFrame | None = None,
                        us_aid: bool = True, min_usd: float = 0.0) -> pd.DataFrame:
    """Place aid and penetration before or after the alignment between the two actors.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).
    state_years : pandas.DataFrame, optional
        State-year measures with ``ccode``, ``year`` and ``us_aid_oblig_current``; by default
        the data's own (``BookData.state_years``, e.g. an extended study's), else
        :func:`walt_alliances.measures.shipped.load_state_years` when that module is available. When
        it is not, the US aid channel is left out (and ``attrs["us_aid"]`` says so).
    us_aid : bool
        Include the US aid channel (default True).
    min_usd : float
        A US fiscal year counts as "with aid" when obligations exceed this many current US
        dollars (default 0: any positive amount).

    Returns
    -------
    pandas.DataFrame
        One row per event: ``channel`` (``soviet_aid``, ``us_aid`` or ``penetration``),
        ``record_id``, ``from_id`` (donor or penetrator), ``to_id`` (recipient or target),
        ``event_type`` (aid type, ``onset`` for US aid, or the penetration type),
        ``event_date`` (as coded), ``alignment_id``, ``joint_start`` and ``joint_end`` (the
        reference spell, see below; empty when none), ``order`` (one of :data:`ORDERS`),
        ``lag_days`` (event's first day minus the joint spell's first day: negative when the
        event came first) and ``coded_by``. Ordered by channel, event date and record id.

    Notes
    -----
    **Events.** Soviet aid: each record of ``load_soviet_aid`` dated by its
    ``agreement_date`` (its ``start`` when no agreement date is coded). Penetration: each
    episode of ``load_penetration`` dated by its start. US aid: each *onset* in the Greenbook
    obligations of the state-year table, i.e. a fiscal year with obligations after a fiscal
    year without (or the first year of a state that entered the system after the table's
    first year), dated by the fiscal year at year precision (US fiscal years ran July-June
    until 1976, so an onset in FY t may have begun in mid t-1).

    **Reference alignment.** A *joint spell* is a period in which both actors were members of
    the same alignment at the same time (the intersection of their membership spells). The
    reference is the pair's earliest joint spell that had not ended before the event's first
    day. ``order`` is ``event_first`` when the event's date is before the joint spell's
    start, ``alignment_first`` when after, and ``same_period`` when the two dates agree at the
    coarser of their two precisions (a year-precision date cannot be ordered against another
    date in the same year). ``after_alignment_ended``: every joint spell had ended before the
    event (the reference is then the latest). ``no_alignment``: the pair never shared an
    alignment in the data.
    """
    data = _data(data)
    if state_years is not None:
        return _aid_and_penetration(data, state_years, us_aid, min_usd)
    return _memoized(data, ("aid_and_penetration", us_aid, min_usd),
                     lambda: _aid_and_penetration(data, None, us_aid, min_usd))


def _aid_and_penetration(data: BookData, state_years: pd.DataFrame | None, us_aid: bool,
                         min_usd: float) -> pd.DataFrame:
    ms = _membership_spells(data["memberships"])
    rows = []

    def add(channel: str, rid: str, a: str, b: str, etype: str, date: str) -> None:
        day = _ts(dates.resolve_start(date))
        order, ref = _order(date, day, _joint_spells(ms, a, b))
        rows.append({
            "channel": channel, "record_id": rid, "from_id": a, "to_id": b, "event_type": etype,
            "event_date": date, "alignment_id": ref[0] if ref else "",
            "joint_start": ref[1] if ref else "", "joint_end": ref[2] if ref else "",
            "order": order, "lag_days": (day - ref[3]).days if ref else pd.NA,
        })

    for r in data["soviet_aid"].itertuples(index=False):
        date = _s(r.agreement_date) or _s(r.start)
        if date:
            add("soviet_aid", str(r.aid_id), str(r.donor_id), str(r.recipient_id), _s(r.type),
                date)
    for r in data["penetration"].itertuples(index=False):
        add("penetration", str(r.episode_id), str(r.penetrator_id), str(r.target_id),
            _s(r.type), _s(r.start))
    us_note = "not requested"
    if us_aid:
        if state_years is None:
            state_years = (data.state_years if data.state_years is not None
                           else _optional_state_years())
        if state_years is None:
            us_note = "left out: walt_alliances.measures.shipped.load_state_years is not available"
        else:
            act = data["actors"]
            by_cc = {int(c): str(a) for a, c in zip(act["actor_id"], act["ccode"], strict=True)
                     if not pd.isna(c)}
            us = next((a for a, k in zip(act["actor_id"].astype(str), act["ccode"], strict=True)
                       if not pd.isna(k) and int(k) == 2), "USA")
            for o in _us_aid_onsets(state_years, min_usd).itertuples(index=False):
                if o.ccode == 2 or o.ccode not in by_cc:
                    continue
                add("us_aid", f"us-aid-onset-{by_cc[o.ccode]}-{o.year}", us, by_cc[o.ccode],
                    "onset", str(o.year))
            us_note = "included (Greenbook obligations from walt_alliances.measures.shipped)"
    cols = ["channel", "record_id", "from_id", "to_id", "event_type", "event_date",
            "alignment_id", "joint_start", "joint_end", "order", "lag_days"]
    out = pd.DataFrame(rows, columns=cols)
    chan = {"soviet_aid": 0, "us_aid": 1, "penetration": 2}
    out["_c"] = out["channel"].map(chan)
    out = out.sort_values(["_c", "event_date", "record_id"], kind="mergesort").drop(columns="_c")
    out = out.astype({c: "string" for c in cols if c != "lag_days"} | {"lag_days": "Int64"})
    out = _finish(out, "Aid and penetration relative to alignment")
    out.attrs["us_aid"] = us_note
    return out


def aid_and_penetration_tally(data: BookData | Study | None = None,
                              state_years: pd.DataFrame | None = None,
                              us_aid: bool = True, min_usd: float = 0.0) -> pd.DataFrame:
    """Count :func:`aid_and_penetration` events by channel and order.

    Parameters
    ----------
    data, state_years, us_aid, min_usd
        Passed to :func:`aid_and_penetration`.

    Returns
    -------
    pandas.DataFrame
        One row per ``channel`` (``soviet_aid``, ``us_aid``, ``penetration``) and ``order``
        (every value of :data:`ORDERS`, zeros included), with ``events`` (count) and
        ``share`` (percent of the channel's events), and ``coded_by``. The ``us_aid`` rows are
        missing (not zero) when the US aid channel was left out.
    """
    ev = aid_and_penetration(data, state_years, us_aid=us_aid, min_usd=min_usd)
    has_us = ev.attrs.get("us_aid", "").startswith("included")
    rows = []
    for channel in ("soviet_aid", "us_aid", "penetration"):
        sel = ev[ev["channel"] == channel]
        for order in ORDERS:
            n = int((sel["order"] == order).sum())
            known = channel != "us_aid" or has_us
            rows.append({"channel": channel, "order": order, "events": n if known else pd.NA,
                         "share": (round(100.0 * n / len(sel), 6) if known and len(sel)
                                   else np.nan)})
    out = pd.DataFrame(rows).astype({"channel": "string", "order": "string", "events": "Int64",
                                     "share": "Float64"})
    out = _finish(out, "Aid and penetration: tallies")
    out.attrs["us_aid"] = ev.attrs.get("us_aid", "")
    return out


def _optional_state_years() -> pd.DataFrame | None:
    try:
        mod = importlib.import_module("walt_alliances.measures.shipped")
    except ImportError:
        return None
    fn = getattr(mod, "load_state_years", None)
    return None if fn is None else fn()


# --------------------------------------------------------------------------------------------
# The balance of world power
# --------------------------------------------------------------------------------------------

def _require_state_years() -> pd.DataFrame:
    try:
        mod = importlib.import_module("walt_alliances.measures.shipped")
    except ImportError as exc:
        raise RuntimeError(
            "world_power_balance needs CINC from "
            "walt_alliances.measures.shipped.load_state_years(); "
            "the module walt_alliances.measures.shipped is missing") from exc
    fn = getattr(mod, "load_state_years", None)
    if fn is None:
        raise RuntimeError("world_power_balance needs "
                           "walt_alliances.measures.shipped.load_state_years(),"
                           " which the installed walt_alliances.measures.shipped does not define")
    return fn()  # type: ignore[no-any-return]


def world_power_balance(data: BookData | Study | None = None,
                        state_years: pd.DataFrame | None = None) -> pd.DataFrame:
    """Capabilities (CINC) of the US-aligned and Soviet-aligned states, by year.

    Parameters
    ----------
    data : BookData, optional
        The coded tables (default: the shipped data).
    state_years : pandas.DataFrame, optional
        State-years with ``ccode``, ``year`` and ``cinc`` (COW NMC). By default the data's own
        (``BookData.state_years``, e.g. an extended study's), else
        :func:`walt_alliances.measures.shipped.load_state_years`.

    Returns
    -------
    pandas.DataFrame
        One row per year of the coded period (1955-1979), with:

        - ``us_cinc``, ``soviet_cinc``: sum of CINC of the bloc, the superpower included;
        - ``us_region_cinc``, ``soviet_region_cinc``: the same over regional states only;
        - ``both_cinc``: states aligned with both superpowers in the year (counted in neither
          bloc);
        - ``us_to_soviet``: ``us_cinc / soviet_cinc``;
        - ``us_states``, ``soviet_states``, ``both_states``: the actor ids,
          ``;``-separated, sorted;
        - ``missing_cinc``: bloc members with no CINC in the year (not counted; missing
          CINC is never treated as zero: a bloc whose superpower has none that year has a
          missing total, and so does the regional sum when every regional member lacks one);
        - ``coded_by``.

    Raises
    ------
    RuntimeError
        When no ``state_years`` is given and
        ``walt_alliances.measures.shipped.load_state_years`` is not
        available (the message names the missing module).

    Notes
    -----
    A state is **US-aligned in year t** when, on some day of t, it and the USA were members of
    the same alignment at the same time (their membership spells intersect, and the
    intersection overlaps the year); likewise **Soviet-aligned** with the USSR (COW 365).
    The superpowers are identified by COW code (2 and 365); each counts in its own bloc every
    year. Non-state members have no CINC and are left out. The coded period's years are
    used; a missing CINC (e.g. a state outside the state-year table) is listed, not counted.
    """
    data = _data(data)
    if state_years is None:
        state_years = (data.state_years if data.state_years is not None
                       else _require_state_years())
    act = data["actors"]
    cc = {str(a): int(c) for a, c in zip(act["actor_id"], act["ccode"], strict=True)
          if not pd.isna(c)}
    kind = dict(zip(act["actor_id"].astype(str), act["kind"].astype(str), strict=True))
    ids = {v: k for k, v in cc.items()}
    us, su = ids.get(2, "USA"), ids.get(365, "RUS")
    ms = data["memberships"]
    spells = _membership_spells(ms)
    cinc = {(int(c), int(y)): float(v) for c, y, v in
            zip(state_years["ccode"], state_years["year"], state_years["cinc"], strict=True)
            if not pd.isna(v)}
    years = range(data.first_year, data.last_year + 1)
    aligned: dict[str, dict[int, set[str]]] = {us: {y: set() for y in years},
                                                su: {y: set() for y in years}}
    for sp in (us, su):
        partners = set(ms.loc[ms["alignment_id"].isin(
            ms.loc[ms["actor_id"] == sp, "alignment_id"]), "actor_id"].astype(str)) - {sp}
        for p in sorted(partners):
            if kind.get(p) == "non_state" or p not in cc:
                continue
            for (_, _, _, s, e) in _joint_spells(spells, sp, p):
                last = data.last_year if pd.isna(e) else min(e.year, data.last_year)
                for y in range(max(s.year, data.first_year), last + 1):
                    aligned[sp][y].add(p)
    rows = []
    for y in years:
        both = aligned[us][y] & aligned[su][y]
        blocs = {"us": (aligned[us][y] - both) | {us}, "soviet": (aligned[su][y] - both) | {su}}
        row: dict[str, Any] = {"year": y}
        missing = []
        for name, members in (*blocs.items(), ("both", both)):
            vals = {m: cinc.get((cc[m], y)) for m in members if m in cc}
            missing += [m for m, v in vals.items() if v is None]
            # a bloc whose superpower has no CINC that year has no total (missing, not 0)
            power = {"us": us, "soviet": su}.get(name)
            unknown = power is not None and power in vals and vals[power] is None
            row[f"{name}_cinc"] = (np.nan if unknown else
                                   round(sum(v for v in vals.values() if v is not None), 8))
            if name != "both":
                region = [v for m, v in vals.items() if kind.get(m) == "regional_state"]
                row[f"{name}_region_cinc"] = (
                    np.nan if unknown or (region and all(v is None for v in region))
                    else round(sum(v for v in region if v is not None), 8))
            row[f"{name}_states"] = ";".join(sorted(members))
        ok = (np.isfinite(row["us_cinc"]) and np.isfinite(row["soviet_cinc"])
              and row["soviet_cinc"] > 0)
        row["us_to_soviet"] = round(row["us_cinc"] / row["soviet_cinc"], 6) if ok else np.nan
        row["missing_cinc"] = ";".join(sorted(set(missing)))
        rows.append(row)
    cols = ["year", "us_cinc", "soviet_cinc", "us_region_cinc", "soviet_region_cinc",
            "both_cinc", "us_to_soviet", "us_states", "soviet_states", "both_states",
            "missing_cinc"]
    out = pd.DataFrame(rows)[cols]
    out = out.astype({"year": "Int64"} | {c: "Float64" for c in cols[1:7]}
                     | {c: "string" for c in cols[7:]})
    return _finish(out, "The balance of world power: CINC of US- and Soviet-aligned states")


#: Every book table: name -> (function, title). Names are the published table ids.
BOOK_TABLES: dict[str, tuple[Callable[..., pd.DataFrame], str]] = {
    "appendix1": (appendix1, "Appendix 1: alignments with members, threats and motives"),
    "appendix1_members": (lambda data=None: appendix1(data, level="member"),
                          "Appendix 1, member level"),
    "balancing_vs_bandwagoning": (balancing_vs_bandwagoning,
                                  "Balancing vs bandwagoning (alliances and commitments)"),
    "threat_sources": (threat_sources, "Sources of threat by alignment and member"),
    "threat_sources_tally": (threat_sources_tally, "Sources of threat: tallies"),
    "ideology": (ideology, "Ideology: similar and dissimilar alignments"),
    "ideology_tally": (ideology_tally, "Ideology: tallies and durations"),
    "pan_arab_unions": (pan_arab_unions, "Unions and how they ended"),
    "aid_and_penetration": (aid_and_penetration, "Aid and penetration relative to alignment"),
    "aid_and_penetration_tally": (aid_and_penetration_tally,
                                  "Aid and penetration: tallies"),
    "world_power_balance": (world_power_balance, "The balance of world power (CINC)"),
}
