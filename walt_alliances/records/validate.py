"""Rules across records: ids, references, dates, and actors existing when they act.

:func:`check_records` returns every problem it finds (it never stops at the first);
:func:`validate_paths` reads folders or files, layers them on the shipped data where they are
additions, and raises :class:`~walt_alliances.errors.RecordsError` listing every problem.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from walt_alliances.errors import Problem, RecordsError
from walt_alliances.records import dates, scope
from walt_alliances.records.models import SourceRef
from walt_alliances.records.read import RecordSet, read_record_file, read_records

#: Years the actor-level tables (regimes, capitals) must cover, so that lags exist for 1955.
ACTOR_TABLE_YEARS = (1950, 1979)

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

    def where(table: str, i: int) -> tuple[str, int | None]:
        return rs.origin(table, i)

    def add(table: str, i: int, rid: str, fld: str, msg: str) -> None:
        f, line = where(table, i)
        problems.append(Problem(f, rid, fld, msg, line))

    def check_sources(table: str, i: int, rid: str, refs: Iterable[SourceRef], base: str) -> None:
        for k, ref in enumerate(refs):
            if ref.key not in rs.bibliography:
                add(table, i, rid, f"{base}[{k}].key",
                    f"citation key {ref.key!r} is not in the bibliography")

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
    for i, a in enumerate(rs.actors):
        if a.ccode is not None and a.ccode not in known_cc:
            add("actors", i, a.actor_id, "ccode", f"{a.ccode} is not a COW state code")
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
                    covered = sorted((s, e) for s, e, _ in per[aid])
                    day = cs
                    for s, e in covered:
                        if s > day:
                            break
                        if e >= day:
                            day = e + dt.timedelta(days=1) if e < dt.date.max else dt.date.max
                        if day > ce:
                            break
                    if day <= ce:
                        f = rs.origin(table, 0)[0]
                        problems.append(Problem(f, aid, "", f"{table} do not cover {aid} "
                                                f"from {day.isoformat()} (it exists "
                                                f"{cs.isoformat()} to {ce.isoformat()})"))

    # events with two actors
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
            for fld in (a_fld, b_fld):
                aid = getattr(r, fld)
                if check_actor(table, i, rid, fld, aid) and not _within(spells[aid], s, s):
                    add(table, i, rid, fld, f"{aid} does not exist on {s.isoformat()} "
                        f"({_describe(spells[aid])})")
            if getattr(r, a_fld) == getattr(r, b_fld):
                add(table, i, rid, b_fld, "an actor cannot target itself")
    return problems


#: Tables whose records have ids that an extension can override, with the id field.
_ID_FIELDS = {"actors": "actor_id", "alignments": "alignment_id",
              "excluded_events": "event_id", "hostile_acts": "act_id",
              "penetration": "episode_id", "soviet_aid": "aid_id"}


def merge_records(base: RecordSet, extra: RecordSet) -> tuple[RecordSet, list[Problem]]:
    """Layer a user's records (additions or an extension) on the shipped ones.

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
        end = max(info.period_end, ext.period_end, key=lambda d: dates.resolve_end(d))
        info = DatasetInfo(f"{info.data_version}+{_slug(ext.title)}", info.period_start, end,
                           f"{info.title} + {ext.title}")
    out = RecordSet(info=info, bibliography=dict(base.bibliography), extension=ext)
    problems: list[Problem] = []
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
                else:
                    used.add(rid)
                    out.notes.append(f"override: {table} {rid} replaced ({overrides[rid]})")
            out.origins[(table, len(recs))] = extra.origin(table, i)
            if (table, i) in extra.coded_to:
                out.coded_to[(table, len(recs))] = extra.coded_to[(table, i)]
            recs.append(rec)
    for rid in sorted(set(overrides) - used):
        if not any(rid in {getattr(r, f) for r in getattr(extra, t)}
                   for t, f in _ID_FIELDS.items()):
            problems.append(Problem("extension.yaml", rid, "overrides", "listed under overrides "
                                    "but the extension has no record with this id"))
    out.coverage = {**base.coverage, **extra.coverage}
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
    if ext is not None and info is not None:
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
    sets: list[RecordSet] = []
    complete = False
    for p in paths:
        if not p.exists():
            problems.append(Problem(str(p), "", "", "no such file or folder"))
            continue
        sub = read_records(p, problems) if p.is_dir() else read_record_file(p, problems)
        complete = complete or (sub.info is not None and sub.extension is None)
        sets.append(sub)
    if not sets:
        raise RecordsError(problems)
    if complete and len(sets) == 1:
        rs = sets[0]
    else:
        rs = load_recordset()
        for sub in sets:
            if sub.info is not None and sub.extension is None:
                problems.append(Problem(str(paths[sets.index(sub)]), "", "", "a complete dataset "
                                        "(with dataset.yaml) must be validated on its own"))
            rs, probs = merge_records(rs, sub)
            problems += probs
    period = rs.info.period if rs.info else None
    problems += check_records(rs, load_state_system(), complete=complete, period=period)
    if problems:
        raise RecordsError(problems)
    return rs
