"""Rules across records: ids, references, dates, and actors existing when they act.

:func:`check_records` returns every problem it finds (it never stops at the first);
:func:`validate_paths` reads folders or files, layers them on the shipped data where they are
additions, and raises :class:`~walt_alliances.errors.RecordsError` listing every problem.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from walt_alliances.errors import Problem, RecordsError
from walt_alliances.records import dates, scope
from walt_alliances.records.models import SourceRef
from walt_alliances.records.read import (
    ExtensionInfo,
    RecordSet,
    read_record_file,
    read_records,
)

#: Years the actor-level tables (regimes, capitals) must cover, so that lags exist for 1955.
ACTOR_TABLE_YEARS = (1950, 1979)
#: Hand-coded events (hostile acts, penetration, Soviet aid) may start this many years before the
#: coded period: the panels look back five years (hostile acts in the previous five years).
EVENT_LOOKBACK_YEARS = 5
#: COW code of the Soviet Union, the donor of every Soviet aid record.
USSR_CCODE = 365


@lru_cache(maxsize=1)
def known_crosswalk_ids() -> dict[str, frozenset[int]]:
    """The alliance ids ATOP 5.1 (``atop``) and COW 4.1 (``cow``) define.

    Read from the package's ``data/crosswalk_ids.json`` (ids only, with each source file's
    version and sha256; built by ``datasets/build_crosswalk_ids.py`` from the raw files).
    """
    from importlib import resources

    doc = json.loads(resources.files("walt_alliances").joinpath("data", "crosswalk_ids.json")
                     .read_text(encoding="utf-8"))
    return {k: frozenset(int(i) for i in doc[k]["ids"]) for k in ("atop", "cow")}

Interval = tuple[dt.date, dt.date]


def existence_spells(rs: RecordSet, state_spells: pd.DataFrame) -> dict[str, list[Interval]]:
    """Return each actor's existence spells as (first day, last day) intervals.

    States take theirs from the COW state system (``state_spells``: ccode, start, end); non-state
    actors from their coded spells (an open end runs to ``date.max``).
    """
    by_ccode: dict[int, list[Interval]] = defaultdict(list)
    for cc, s, e in zip(state_spells["ccode"], state_spells["start"], state_spells["end"],
                        strict=True):
        by_ccode[int(cc)].append((dt.date.fromisoformat(str(s)), dt.date.fromisoformat(str(e))))
    out: dict[str, list[Interval]] = {}
    for a in rs.actors:
        if a.ccode is not None:
            out[a.actor_id] = by_ccode.get(a.ccode, [])
        else:
            out[a.actor_id] = [(dates.resolve_start(sp.start),
                                dates.resolve_end(sp.end) if sp.end else dt.date.max)
                               for sp in a.spells]
    return out


def _first_gap(covered: Iterable[Interval], lo: dt.date, hi: dt.date) -> dt.date | None:
    """The first day in ``lo`` to ``hi`` that no interval of ``covered`` covers, or None."""
    day = lo
    for s, e in sorted(covered):
        if s > day:
            break
        if e >= day:
            if e >= hi:
                return None
            day = e + dt.timedelta(days=1)
    return day if day <= hi else None


def _within(spells: list[Interval], s: dt.date, e: dt.date) -> bool:
    return any(a <= s and e <= b for a, b in spells)


def _describe(spells: list[Interval]) -> str:
    if not spells:
        return "no existence spells"
    return "exists " + "; ".join(
        f"{a.isoformat()} to {'open' if b == dt.date.max else b.isoformat()}" for a, b in spells)


def check_records(rs: RecordSet, state_spells: pd.DataFrame, *, complete: bool = False,
                  period: Interval | None = None) -> list[Problem]:
    """Check the rules that span records.

    Parameters
    ----------
    rs : RecordSet
        Records (already valid one by one).
    state_spells : pandas.DataFrame
        COW state-system spells (``ccode``, ``start``, ``end``), e.g.
        :func:`walt_alliances.records.load.load_state_system`.
    complete : bool
        True for a complete base dataset: then regimes and capitals must cover every day each
        actor exists in 1950-1979.
    period : (date, date), optional
        The coded period; alignments ending after it must be right-censored instead.

    Returns
    -------
    list of Problem
        Every problem found (empty when the records are consistent).
    """
    problems: list[Problem] = []
    actors = {a.actor_id: a for a in rs.actors}
    spells = existence_spells(rs, state_spells)
    known_cc = set(int(c) for c in state_spells["ccode"])
    known_ids = known_crosswalk_ids()

    def where(table: str, i: int) -> tuple[str, int | None]:
        return rs.origin(table, i)

    def add(table: str, i: int, rid: str, fld: str, msg: str) -> None:
        f, line = where(table, i)
        problems.append(Problem(f, rid, fld, msg, line))

    def check_sources(table: str, i: int, rid: str, refs: Iterable[SourceRef], base: str) -> None:
        seen: list[SourceRef] = []
        for k, ref in enumerate(refs):
            if ref.key not in rs.bibliography:
                add(table, i, rid, f"{base}[{k}].key",
                    f"citation key {ref.key!r} is not in the bibliography")
            if ref in seen:
                add(table, i, rid, f"{base}[{k}]", f"the same citation of {ref.key!r} is given "
                    "twice")
            seen.append(ref)

    def check_actor(table: str, i: int, rid: str, fld: str, actor_id: str) -> bool:
        if actor_id not in actors:
            add(table, i, rid, fld, f"unknown actor {actor_id!r} (not in actors.yaml)")
            return False
        return True

    # ids unique
    for table, id_field in (("actors", "actor_id"), ("alignments", "alignment_id"),
                            ("excluded_events", "event_id"), ("hostile_acts", "act_id"),
                            ("penetration", "episode_id"), ("soviet_aid", "aid_id"),
                            ("atop_exclusions", "atopid")):
        seen: dict[object, int] = {}
        for i, rec in enumerate(getattr(rs, table)):
            rid = getattr(rec, id_field)
            if rid in seen:
                f, line = where(table, seen[rid])
                add(table, i, str(rid), id_field, f"duplicate id (also in {f}"
                    + (f":{line}" if line else "") + ")")
            else:
                seen[rid] = i
    ids = {a.alignment_id for a in rs.alignments}

    # actors
    by_ccode: dict[int, str] = {}
    for i, a in enumerate(rs.actors):
        if a.ccode is not None and a.ccode not in known_cc:
            add("actors", i, a.actor_id, "ccode", f"{a.ccode} is not a COW state code")
        if a.ccode is not None:
            if a.ccode in by_ccode and by_ccode[a.ccode] != a.actor_id:
                add("actors", i, a.actor_id, "ccode", f"COW code {a.ccode} is also the code of "
                    f"{by_ccode[a.ccode]}: one actor per state (measures are joined on it)")
            by_ccode.setdefault(a.ccode, a.actor_id)
        check_sources("actors", i, a.actor_id, a.sources, "sources")

    # alignments
    p_end = period[1] if period else None
    linked_atop: dict[int, str] = {}
    for i, al in enumerate(rs.alignments):
        rid = al.alignment_id
        a_start = dates.resolve_start(al.start)
        a_end = dates.resolve_end(al.end) if al.end else (p_end or dt.date.max)
        if p_end and al.end and dates.resolve_end(al.end) > p_end:
            add("alignments", i, rid, "end", f"end {al.end} is after the coded period "
                f"(ends {p_end.isoformat()}): leave end empty and set right_censored: true")
        check_sources("alignments", i, rid, al.sources, "sources")
        for x in al.crosswalk.atop:
            linked_atop.setdefault(x, rid)
        for src, label in (("atop", "an ATOP 5.1 atopid"), ("cow", "a COW 4.1 version4id")):
            xids = getattr(al.crosswalk, src)
            for k, x in enumerate(xids):
                fld = f"crosswalk.{src}[{k}]"
                if x in xids[:k]:
                    add("alignments", i, rid, fld, f"{x} is listed twice")
                elif x not in known_ids[src]:
                    add("alignments", i, rid, fld, f"{x} is not {label} (not in the id "
                        "list of the source the package ships, data/crosswalk_ids.json)")
        spans: dict[str, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
        for j, m in enumerate(al.members):
            base = f"members[{j}]"
            ok = check_actor("alignments", i, rid, f"{base}.actor", m.actor)
            s = dates.resolve_start(m.start) if m.start else a_start
            e = dates.resolve_end(m.end) if m.end else a_end
            if e < s:
                add("alignments", i, rid, base, f"member {m.actor} ends ({e}) before it starts "
                    f"({s})")
                continue
            if s < a_start or e > a_end:
                add("alignments", i, rid, base,
                    f"member {m.actor}'s spell {s} to {e} is outside the alignment's "
                    f"{a_start} to {'open' if a_end == dt.date.max else a_end}")
            if ok:
                check_to = min(e, p_end) if p_end else e
                for msg in scope.member_problems(al.kind, m.actor, actors[m.actor].kind,
                                                 m.part_of_union, spells[m.actor], s, check_to):
                    add("alignments", i, rid, base, msg)
                if not _within(spells[m.actor], s, check_to) and not scope.union_absence_allowed(
                        al.kind, m.part_of_union, spells[m.actor], s, check_to):
                    hint = ("; a start given as a year or month resolves to its first day, an "
                            "end to its last")
                    if al.right_censored and m.end is None:
                        hint = ("; the record is right-censored (open-ended), so with the "
                                f"period running to {check_to} it must be given a real end "
                                "(an extension lists it under overrides)")
                    add("alignments", i, rid, base,
                        f"{m.actor} is not an existing actor on every day of its membership "
                        f"{s} to {check_to} ({_describe(spells[m.actor])}){hint}")
            for (ps, pe, pj) in spans[m.actor]:
                if s <= pe and ps <= e:
                    add("alignments", i, rid, base, f"{m.actor} is a member twice at "
                        f"overlapping times (also members[{pj}])")
            spans[m.actor].append((s, e, j))
            for k, t in enumerate(m.threats):
                check_actor("alignments", i, rid, f"{base}.threats[{k}].actor", t.actor)
                if t.actor == m.actor:
                    add("alignments", i, rid, f"{base}.threats[{k}].actor",
                        "a member cannot be its own threat")

    # excluded events
    for i, ev in enumerate(rs.excluded_events):
        check_sources("excluded_events", i, ev.event_id, ev.sources, "sources")
        if ev.merged_into and ev.merged_into not in ids:
            add("excluded_events", i, ev.event_id, "merged_into",
                f"no alignment {ev.merged_into!r}")

    # ATOP exclusions
    for i, ex in enumerate(rs.atop_exclusions):
        if ex.atopid not in known_ids["atop"]:
            add("atop_exclusions", i, str(ex.atopid), "atopid", f"{ex.atopid} is not an ATOP "
                "5.1 atopid (not in the id list the package ships, data/crosswalk_ids.json)")
        for k, cc in enumerate(ex.members):
            if cc not in known_cc:
                add("atop_exclusions", i, str(ex.atopid), f"members[{k}]",
                    f"{cc} is not a COW state code")
        if ex.atopid in linked_atop:
            add("atop_exclusions", i, str(ex.atopid), "atopid",
                f"ATOP {ex.atopid} is both excluded and linked (by {linked_atop[ex.atopid]})")

    # actor-level spells: regimes and capitals
    for table in ("regimes", "capitals"):
        recs = getattr(rs, table)
        per: dict[str, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
        for i, r in enumerate(recs):
            rid = f"{r.actor} {r.start}"
            check_sources(table, i, rid, r.sources, "sources")
            if not check_actor(table, i, rid, "actor", r.actor):
                continue
            s = dates.resolve_start(r.start)
            e = dates.resolve_end(r.end) if r.end else dt.date.max
            if e < s:
                add(table, i, rid, "end", f"end {r.end} is before start {r.start}")
                continue
            for ps, pe, pi in per[r.actor]:
                if s <= pe and ps <= e:
                    add(table, i, rid, "start", f"overlaps the spell starting "
                        f"{recs[pi].start} of {r.actor}")
            per[r.actor].append((s, e, i))
        if complete and recs:
            lo, hi = dt.date(ACTOR_TABLE_YEARS[0], 1, 1), dt.date(ACTOR_TABLE_YEARS[1], 12, 31)
            for aid in actors:
                if actors[aid].kind == "non_state" or actors[aid].kind in scope.THREAT_ONLY_KINDS:
                    continue
                for es, ee in spells[aid]:
                    cs, ce = max(es, lo), min(ee, hi)
                    if cs > ce:
                        continue
                    day = _first_gap([(s, e) for s, e, _ in per[aid]], cs, ce)
                    if day is not None:
                        f = rs.origin(table, 0)[0]
                        problems.append(Problem(f, aid, "actor", f"{table} do not cover {aid} "
                                                f"from {day.isoformat()} (it exists "
                                                f"{cs.isoformat()} to {ce.isoformat()})"))

    # events with two actors
    ev_lo = (dt.date(period[0].year - EVENT_LOOKBACK_YEARS, 1, 1) if period
             else dt.date(ACTOR_TABLE_YEARS[0], 1, 1))
    for table, a_fld, b_fld, id_fld in (("hostile_acts", "actor", "target", "act_id"),
                                        ("penetration", "penetrator", "target", "episode_id"),
                                        ("soviet_aid", "donor", "recipient", "aid_id")):
        for i, r in enumerate(getattr(rs, table)):
            rid = getattr(r, id_fld)
            check_sources(table, i, rid, r.sources, "sources")
            s = dates.resolve_start(r.start)
            e = dates.resolve_end(r.end) if r.end else s
            if e < s:
                add(table, i, rid, "end", f"end {r.end} is before start {r.start}")
                continue
            if period is not None and not ev_lo <= s <= period[1]:
                add(table, i, rid, "start", f"starts {r.start}, outside the coded period "
                    f"{ev_lo.isoformat()} to {period[1].isoformat()} (the period, and "
                    f"{EVENT_LOOKBACK_YEARS} years before it for lagged measures)")
                continue
            check_to = min(e, period[1]) if period else e
            for fld in (a_fld, b_fld):
                aid = getattr(r, fld)
                if check_actor(table, i, rid, fld, aid) and not _within(spells[aid], s, check_to):
                    when = (f"on {s.isoformat()}" if check_to == s else
                            f"on every day from {s.isoformat()} to {check_to.isoformat()}")
                    add(table, i, rid, fld, f"{aid} does not exist {when} "
                        f"({_describe(spells[aid])})")
            if getattr(r, a_fld) == getattr(r, b_fld):
                add(table, i, rid, b_fld, "an actor cannot target itself")
    for i, r in enumerate(rs.soviet_aid):
        donor = actors.get(r.donor)
        if donor is not None and donor.ccode != USSR_CCODE:
            add("soviet_aid", i, r.aid_id, "donor", f"donor {r.donor} is not the Soviet Union "
                f"(COW {USSR_CCODE}): this table holds Soviet aid only")
    return problems


#: Tables whose records have ids that an extension can override, with the id field.
_ID_FIELDS = {"actors": "actor_id", "alignments": "alignment_id",
              "excluded_events": "event_id", "hostile_acts": "act_id",
              "penetration": "episode_id", "soviet_aid": "aid_id"}


def merge_records(base: RecordSet, extra: RecordSet, unread: Iterable[Problem] = ()
                  ) -> tuple[RecordSet, list[Problem]]:
    """Layer a user's records (additions or an extension) on the shipped ones.

    ``unread``: the problems met reading ``extra`` (records that failed to read are missing
    from it). An override whose record is among them is not reported again as having no
    record; if the folder had unreadable records at all, the message says so.

    New actors, alignments, events and references are added. A record whose id is listed in
    the extension's ``overrides`` replaces the shipped record of that id (reported in
    ``notes``); any other id that is already shipped is a conflict (a problem). ATOP exclusions
    of the shipped data for alliances the extension links are superseded (reported). The merged
    period runs from the shipped start to the later of the two ends.
    """
    from walt_alliances.records.read import DatasetInfo

    info = base.info
    ext = extra.extension
    if info is not None and ext is not None:
        end = max(info.period_end, ext.period_end or info.period_end,
                  key=lambda d: dates.resolve_end(d))
        info = DatasetInfo(f"{info.data_version}+{_slug(ext.title)}", info.period_start, end,
                           f"{info.title} + {ext.title}")
    out = RecordSet(info=info, bibliography=dict(base.bibliography), extension=ext,
                    provided_by=dict(base.provided_by), source=base.source)
    problems: list[Problem] = []
    here = extra.source or "the records given"
    overrides = dict(ext.overrides) if ext else {}
    for key, entry in extra.bibliography.items():
        prior = out.bibliography.get(key)
        if prior is not None and _bib_differs(prior, entry):
            problems.append(Problem(entry.file, key, "", "citation key already used by the "
                                    "shipped bibliography for a different work", entry.line))
        out.bibliography.setdefault(key, entry)
    used: set[str] = set()
    for table in RecordSet.TABLES:
        recs = getattr(out, table)
        id_field = _ID_FIELDS.get(table)
        extra_ids = ({getattr(r, id_field) for r in getattr(extra, table)} if id_field
                     else set())
        for i, rec in enumerate(getattr(base, table)):
            rid = getattr(rec, id_field) if id_field else None
            if rid is not None and rid in overrides and rid in extra_ids:
                continue  # replaced by the extension's record
            out.origins[(table, len(recs))] = base.origin(table, i)
            if (table, i) in base.coded_to:
                out.coded_to[(table, len(recs))] = base.coded_to[(table, i)]
            recs.append(rec)
        shipped_ids = ({getattr(r, id_field) for r in getattr(base, table)} if id_field
                       else set())
        for i, rec in enumerate(getattr(extra, table)):
            rid = getattr(rec, id_field) if id_field else None
            if rid is not None and rid in overrides:
                if rid not in shipped_ids:
                    f, line = extra.origin(table, i)
                    problems.append(Problem(f, rid, id_field or "", "listed under overrides "
                                            "but there is no shipped record with this id", line))
                elif rid in base.provided_by:
                    f, line = extra.origin(table, i)
                    problems.append(Problem(
                        f, rid, id_field or "", f"{table} record {rid} is overridden both by "
                        f"{base.provided_by[rid]} and by {here}: only one folder may replace a "
                        "shipped record (merge the two into one extension)", line))
                else:
                    used.add(rid)
                    out.notes.append(f"override: {table} {rid} replaced ({overrides[rid]})")
            if rid is not None:
                out.provided_by[rid] = here
            out.origins[(table, len(recs))] = extra.origin(table, i)
            if (table, i) in extra.coded_to:
                out.coded_to[(table, len(recs))] = extra.coded_to[(table, i)]
            elif table in ("regimes", "capitals") and ext is not None and base.info is not None:
                # a recode without its own period is coded to the shipped period's end
                out.coded_to[(table, len(recs))] = base.info.period_end
            recs.append(rec)
    unread = list(unread)
    failed = {pr.record for pr in unread}
    for rid in sorted(set(overrides) - used - failed):
        if not any(rid in {getattr(r, f) for r in getattr(extra, t)}
                   for t, f in _ID_FIELDS.items()):
            why = ("no record with this id could be read in this folder (see the other "
                   "problems reported for it)" if unread else
                   "the extension has no record with this id")
            problems.append(Problem(str(Path(ext.source if ext else here) / "extension.yaml"),
                                    rid, "overrides", f"listed under overrides but {why}"))
    out.coverage = dict(base.coverage)
    for table, end in extra.coverage.items():
        if table not in out.coverage or dates.resolve_end(end) > dates.resolve_end(
                out.coverage[table]):
            out.coverage[table] = end
    linked_by_extra = {x for a in extra.alignments for x in a.crosswalk.atop}
    if linked_by_extra:
        kept = []
        for ex in out.atop_exclusions:
            if ex.atopid in linked_by_extra and ex in base.atop_exclusions:
                out.notes.append(f"ATOP {ex.atopid}: the shipped exclusion is superseded by the "
                                 "extension's link")
            else:
                kept.append(ex)
        out.atop_exclusions = kept
    if ext is not None and info is not None and ext.period_end is not None and (
            dates.resolve_end(ext.period_end) > dates.resolve_end(base.info.period_end)
            if base.info else True):
        ids = {a.alignment_id for a in extra.alignments}
        for a in base.alignments:
            if a.right_censored and a.alignment_id not in ids:
                out.notes.append(f"note: {a.alignment_id} is right-censored at the core period's "
                                 "end and the extension does not override it: it is treated as "
                                 "continuing through the extension's period")
    return out, problems


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "extension"


def _bib_differs(a: object, b: object) -> bool:
    from walt_alliances.records.bib import _identity

    return _identity(a) != _identity(b)  # type: ignore[arg-type]


def validate_paths(paths: list[Path]) -> RecordSet:
    """Read and validate record folders or files; raise RecordsError listing every problem.

    A folder with a ``dataset.yaml`` is a complete base dataset and is validated on its own. Any
    other folder or file holds additions and is validated layered on the shipped records.

    Returns
    -------
    RecordSet
        The (merged) records, when valid.
    """
    from walt_alliances.records.load import load_recordset, load_state_system

    problems: list[Problem] = []
    sets: list[tuple[Path, RecordSet, list[Problem]]] = []
    complete = False
    for p in paths:
        if not p.exists():
            problems.append(Problem(str(p), "", "", "a symbolic link to a missing file"
                                    if p.is_symlink() else "no such file or folder"))
            continue
        before = len(problems)
        sub = read_records(p, problems) if p.is_dir() else read_record_file(p, problems)
        complete = complete or _is_complete(p)
        sets.append((p, sub, problems[before:]))
    if not sets:
        raise RecordsError(problems)
    state_spells = load_state_system()
    if complete and len(sets) == 1:
        rs = sets[0][1]
    else:
        rs = load_recordset()
        for p, sub, unread in sets:
            if _is_complete(p):
                problems.append(Problem(str(p), "", "", "a complete dataset (with dataset.yaml) "
                                        "must be validated on its own"))
            if sub.extension is not None:
                problems += check_extension_period(rs, sub.extension, state_spells)
            rs, probs = merge_records(rs, sub, unread)
            problems += probs
            if sub.extension is not None:
                # states the extension defines (new, or shipped ones it brings into the panels)
                new = [a.actor_id for a in sub.actors
                       if a.kind != "non_state" and a.kind not in scope.THREAT_ONLY_KINDS]
                # reported, not refused: a state may enter late and be partly coded
                rs.notes += [f"warning: {w}" for w in check_new_states(
                    rs, new, sub.extension, state_spells)]
    period = rs.info.period if rs.info else None
    problems += check_records(rs, state_spells, complete=complete, period=period)
    if problems:
        raise RecordsError(problems)
    return rs


def _is_complete(path: Path) -> bool:
    """A complete dataset: a folder with dataset.yaml and no extension.yaml."""
    def present(p: Path) -> bool:
        return p.is_symlink() or p.exists()

    return path.is_dir() and present(path / "dataset.yaml") and not present(
        path / "extension.yaml")


def check_extension_period(base: RecordSet, ext: ExtensionInfo,
                           state_spells: pd.DataFrame) -> list[Problem]:
    """Check an extension's period against the data it extends and what the sources cover.

    The period must start inside the base data's period or the day after it ends (an extension
    adds years after the core period; a gap would count uncoded years as coded), and end by the
    last day the COW state system covers (existence, and so every measure, is unknown after it).
    """
    problems: list[Problem] = []
    file = str(Path(ext.source) / "extension.yaml")
    if ext.period is None:  # a recode of the shipped period
        return problems
    start, end = ext.period
    if base.info is not None:
        b0, b1 = base.info.period
        if not b0 <= start <= b1 + dt.timedelta(days=1):
            problems.append(Problem(
                file, "", "period.start", f"the extension starts {ext.period_start}, but it must "
                f"start within the period of the data it extends ({b0.isoformat()} to "
                f"{b1.isoformat()}) or on the day after ({(b1 + dt.timedelta(days=1)).isoformat()})"
                ": the merged period runs from the core's start, so years outside would be "
                "counted as coded"))
    last = max(dt.date.fromisoformat(str(e)) for e in state_spells["end"])
    if end > last:
        problems.append(Problem(
            file, "", "period.end", f"the extension ends {ext.period_end}, after {last.isoformat()}"
            ", the last day the COW state system (and so the measures) covers"))
    return problems


def check_new_states(rs: RecordSet, new: Iterable[str], ext: ExtensionInfo,
                     state_spells: pd.DataFrame) -> list[Problem]:
    """Find states an extension defines without regime or capital spells over its period.

    Without them, ideology and distance are missing for the new states; :func:`validate_paths`
    reports each gap as a warning in the merged records' ``notes`` (shown by ``validate`` and
    ``reproduce``, and kept in the report's manifest).
    """
    problems: list[Problem] = []
    new = list(new)
    if not new:
        return problems
    if ext.period is None and rs.info is None:  # pragma: no cover - merged sets carry info
        return problems
    spells = existence_spells(rs, state_spells)
    lo, hi = ext.period if ext.period is not None else rs.info.period  # type: ignore[union-attr]
    for table in ("regimes", "capitals"):
        per: dict[str, list[Interval]] = defaultdict(list)
        for r in getattr(rs, table):
            per[r.actor].append((dates.resolve_start(r.start),
                                 dates.resolve_end(r.end) if r.end else dt.date.max))
        for aid in new:
            for es, ee in spells.get(aid, []):
                cs, ce = max(es, lo), min(ee, hi)
                if cs > ce:
                    continue
                day = _first_gap(per[aid], cs, ce)
                if day is not None:
                    problems.append(Problem(
                        str(Path(ext.source) / f"{table}.yaml"), aid, "actor",
                        f"{aid} is a state the extension defines, but no {table[:-1]} spell covers "
                        f"it from {day.isoformat()} (it exists {cs.isoformat()} to "
                        f"{ce.isoformat()} in the extension's period): add {table} spells, or "
                        f"its {'ideology' if table == 'regimes' else 'distances'} will be "
                        "missing"))
                    break
    return problems
