"""The shipped tables: their columns, dtypes and descriptions, and how records become rows.

One specification (:data:`TABLES`) serves the build, the loaders, the export's Data Package
descriptor and the generated codebook, so they cannot drift apart.

Conventions: dates are ISO strings at their stated precision (``"1958"``, ``"1958-02"``,
``"1958-02-01"``); list-valued cells are joined with ``;`` (empty means none); dyadic columns
name their direction (``actor_id`` is the member or the one acting, ``threat_actor_id`` /
``target_id`` the other side).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from walt_alliances.records import dates
from walt_alliances.records.vocab import (
    ACTOR_KINDS,
    AID_TYPES,
    ALIGNMENT_KINDS,
    CONFIDENCES,
    EXCLUSION_DECISIONS,
    HOSTILE_ACT_TYPES,
    MOTIVES,
    PENETRATION_TYPES,
    REGIME_FAMILIES,
    ROLES,
    THREAT_COMPONENTS,
    THREAT_TYPE_OF_KIND,
    THREAT_TYPES,
)

if TYPE_CHECKING:
    from walt_alliances.records.read import RecordSet


@dataclass(frozen=True)
class Column:
    """A column of a shipped table."""

    name: str
    dtype: str  # string | Int64 | Float64 | boolean | category | partial_date | list
    description: str
    categories: tuple[str, ...] = ()

    @property
    def frictionless_type(self) -> str:
        """The column's type in a Frictionless Table Schema."""
        return {"Int64": "integer", "Float64": "number", "boolean": "boolean"}.get(
            self.dtype, "string")


@dataclass(frozen=True)
class Table:
    """A shipped table."""

    name: str
    title: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        """Names of the columns, in order."""
        return [c.name for c in self.columns]


def _c(name: str, dtype: str, description: str, categories: tuple[str, ...] = ()) -> Column:
    return Column(name, dtype, description, categories)


_PD = "partial_date"
_START = "Start at its stated precision (YYYY, YYYY-MM or YYYY-MM-DD)."
_END = "End at its stated precision; empty when it outlasts the coded period or is unknown."
_CONF = ("Confidence in the coding (high, medium, low).", CONFIDENCES)
_KEYS = "Citation keys of the sources (see the references table), ';'-separated."

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("actors", "Actors", "Every actor in scope: states (by COW code), superpowers, outside "
          "powers and non-state actors.", ("actor_id",), (
        _c("actor_id", "string", "Stable actor identifier (COW abbreviation for states)."),
        _c("ccode", "Int64", "COW state code; empty for non-state actors."),
        _c("name", "string", "Common English name."),
        _c("abbreviation", "string", "Short name for tables and figures."),
        _c("kind", "category", "Kind of actor.", ACTOR_KINDS),
        _c("other_names", "list", "Other names, ';'-separated."),
        _c("notes", "string", "Notes."),
    )),
    Table("actor_spells", "Actor existence spells", "When each actor exists: COW state-system "
          "spells (v2016) for states, coded spells for non-state actors.", ("actor_id", "start"), (
        _c("actor_id", "string", "Actor."),
        _c("ccode", "Int64", "COW state code; empty for non-state actors."),
        _c("start", _PD, "First day of the spell."),
        _c("end", _PD, "Last day of the spell; empty when open (non-state actors). For states "
           "2016-12-31 is the end of COW's coverage."),
        _c("source", "string", "cow_state_system_2016, or 'coded' (see the actors records)."),
    )),
    Table("alignments", "Alignments", "One row per alliance or alignment, formal or informal.",
          ("alignment_id",), (
        _c("alignment_id", "string", "Stable identifier (slug)."),
        _c("name", "string", "Name."),
        _c("kind", "category", "Kind of alignment.", ALIGNMENT_KINDS),
        _c("start", _PD, _START),
        _c("end", _PD, _END),
        _c("right_censored", "boolean", "True when the alignment outlasts the coded period."),
        _c("atop_ids", "list", "ATOP 5.1 atopid(s), ';'-separated."),
        _c("cow_ids", "list", "COW alliance version4id(s), ';'-separated."),
        _c("confidence", "category", *_CONF),
        _c("n_members", "Int64", "Number of membership spells."),
        _c("aliases", "list", "Other names, ';'-separated."),
        _c("summary", "string", "What the alignment was."),
        _c("ideology_notes", "string", "The members' regimes and the part ideology played."),
        _c("date_notes", "string", "Why dates differ from ATOP's, where they do."),
        _c("contested", "string", "Where a scholar reads the case differently."),
        _c("notes", "string", "Notes."),
    )),
    Table("memberships", "Memberships", "One row per member spell of an alignment. Start and "
          "end are the member's own, or the alignment's when the record gives none.",
          ("alignment_id", "actor_id", "start"), (
        _c("alignment_id", "string", "Alignment."),
        _c("actor_id", "string", "Member."),
        _c("ccode", "Int64", "Member's COW code; empty for non-state actors."),
        _c("start", _PD, _START),
        _c("end", _PD, _END),
        _c("role", "category", "Role in the alignment.", ROLES),
        _c("primary_motive", "category", "The member's primary motive.", MOTIVES),
        _c("part_of_union", "boolean", "True when the member is part of this union and the COW "
           "state system drops it meanwhile (Syria in the UAR): panels count the membership only "
           "on days the member exists as a state."),
        _c("notes", "string", "Notes."),
    )),
    Table("threats", "Threats", "One row per member and threat it was responding to "
          "(directed: actor_id is threatened by threat_actor_id).",
          ("alignment_id", "actor_id", "threat_actor_id"), (
        _c("alignment_id", "string", "Alignment."),
        _c("actor_id", "string", "The threatened member."),
        _c("threat_actor_id", "string", "The threatening actor."),
        _c("threat_type", "category", "Kind of the threatening actor (follows from its actor "
           "kind).", THREAT_TYPES),
        _c("components", "list", "Walt's sources of threat in play, ';'-separated: "
           + ", ".join(THREAT_COMPONENTS) + "."),
        _c("rationale", "string", "Why."),
        _c("confidence", "category", *_CONF),
    )),
    Table("motives", "Motives", "One row per member and motive.",
          ("alignment_id", "actor_id", "motive"), (
        _c("alignment_id", "string", "Alignment."),
        _c("actor_id", "string", "Member."),
        _c("motive", "category", "Motive.", MOTIVES),
        _c("primary", "boolean", "True for the member's main motive."),
        _c("rationale", "string", "Why; names the evidence."),
        _c("confidence", "category", *_CONF),
    )),
    Table("sources", "Sources", "One row per alignment and cited source.",
          ("alignment_id", "citation_key"), (
        _c("alignment_id", "string", "Alignment."),
        _c("citation_key", "string", "Key in the references table."),
        _c("locator", "string", "Page or section, only where verified; else empty."),
        _c("supports", "string", "What the source is cited for."),
    )),
    Table("excluded_events", "Excluded or merged events", "Events considered and not coded as "
          "an alignment of their own, with the reason.", ("event_id",), (
        _c("event_id", "string", "Stable identifier (slug)."),
        _c("name", "string", "Event."),
        _c("date", _PD, "When it happened."),
        _c("decision", "category", "excluded or merged.", EXCLUSION_DECISIONS),
        _c("merged_into", "string", "alignment_id when merged."),
        _c("reason", "string", "Why."),
        _c("citation_keys", "list", _KEYS),
    )),
    Table("atop_exclusions", "ATOP exclusions", "ATOP 5.1 alliances in force 1955-1979 with an "
          "in-scope member that no record links, with the reason.", ("atopid",), (
        _c("atopid", "Int64", "ATOP alliance id."),
        _c("members", "list", "COW codes of its members, ';'-separated."),
        _c("reason", "string", "Why it is not linked."),
    )),
    Table("regimes", "Regime families", "Spells of each actor's regime family, 1950-1979.",
          ("actor_id", "start"), (
        _c("actor_id", "string", "Actor."),
        _c("ccode", "Int64", "COW code."),
        _c("start", _PD, _START),
        _c("end", _PD, _END),
        _c("family", "category", "Regime family.", REGIME_FAMILIES),
        _c("regime", "string", "Short name of the regime."),
        _c("rationale", "string", "Why this family and these dates."),
        _c("confidence", "category", *_CONF),
        _c("citation_keys", "list", _KEYS),
        _c("coded_to", _PD, "End of the period over which the spell was coded: an open end "
           "means the spell continues at least to this date; after it the family is unknown."),
    )),
    Table("capitals", "Capitals", "Capital city and coordinates of each actor, with changes.",
          ("actor_id", "start"), (
        _c("actor_id", "string", "Actor."),
        _c("ccode", "Int64", "COW code."),
        _c("start", _PD, _START),
        _c("end", _PD, _END),
        _c("city", "string", "Capital."),
        _c("lat", "Float64", "Latitude, decimal degrees north."),
        _c("lon", "Float64", "Longitude, decimal degrees east."),
        _c("citation_keys", "list", _KEYS),
        _c("notes", "string", "Notes."),
        _c("coded_to", _PD, "End of the period over which the spell was coded: an open end "
           "means the capital is known at least to this date; after it, unknown."),
    )),
    Table("hostile_acts", "Hostile acts", "Hostile acts the conflict datasets miss (directed: "
          "actor_id acts against target_id).", ("act_id",), (
        _c("act_id", "string", "Stable identifier."),
        _c("actor_id", "string", "Who acted."),
        _c("target_id", "string", "Against whom."),
        _c("type", "category", "Kind of act.", HOSTILE_ACT_TYPES),
        _c("start", _PD, _START),
        _c("end", _PD, "End at its stated precision; empty when unknown."),
        _c("description", "string", "What happened."),
        _c("confidence", "category", *_CONF),
        _c("citation_keys", "list", _KEYS),
    )),
    Table("penetration", "Penetration episodes", "Transnational penetration (directed: "
          "penetrator_id manipulates target_id's domestic politics).", ("episode_id",), (
        _c("episode_id", "string", "Stable identifier."),
        _c("penetrator_id", "string", "Who penetrated."),
        _c("target_id", "string", "Whose politics."),
        _c("type", "category", "How.", PENETRATION_TYPES),
        _c("start", _PD, _START),
        _c("end", _PD, "End at its stated precision; empty when unknown."),
        _c("description", "string", "What happened."),
        _c("confidence", "category", *_CONF),
        _c("citation_keys", "list", _KEYS),
    )),
    Table("soviet_aid", "Soviet aid", "Soviet (and Soviet-arranged) aid coded from public "
          "sources (directed: donor_id to recipient_id). Amounts only where a cited source "
          "gives them.", ("aid_id",), (
        _c("aid_id", "string", "Stable identifier."),
        _c("donor_id", "string", "Donor."),
        _c("recipient_id", "string", "Recipient."),
        _c("type", "category", "military or economic.", AID_TYPES),
        _c("agreement_date", _PD, "When agreed."),
        _c("start", _PD, _START),
        _c("end", _PD, "End at its stated precision; empty when unknown."),
        _c("amount_usd_million", "Float64", "Millions of USD, only where a cited source gives "
           "it; empty = no verified figure (not zero)."),
        _c("amount_year_basis", "string", "Price basis of the amount, as the source gives it."),
        _c("amount_note", "string", "Which source gives the amount and what it covers."),
        _c("description", "string", "What the aid was."),
        _c("confidence", "category", *_CONF),
        _c("citation_keys", "list", _KEYS),
    )),
    Table("references", "References", "The bibliography: every citation key used.",
          ("citation_key",), (
        _c("citation_key", "string", "Key."),
        _c("entry_type", "string", "BibTeX entry type."),
        _c("author", "string", "Author(s) or organisation."),
        _c("year", "string", "Year."),
        _c("title", "string", "Title."),
        _c("published_in", "string", "Journal, book, or publisher."),
        _c("citation", "string", "Short human-readable citation."),
    )),
)}


def _j(values: object) -> str:
    return ";".join(str(v) for v in values)  # type: ignore[attr-defined]


def _keys(refs: object) -> str:
    return _j(r.key for r in refs)  # type: ignore[attr-defined]


def to_frames(rs: RecordSet, state_spells: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Turn a record set into the shipped tables, ready to write as CSV."""
    actors = {a.actor_id: a for a in rs.actors}
    cc = {a.actor_id: a.ccode for a in rs.actors}
    rows: dict[str, list[dict[str, object]]] = {name: [] for name in TABLES}
    for a in rs.actors:
        rows["actors"].append({"actor_id": a.actor_id, "ccode": a.ccode, "name": a.name,
                               "abbreviation": a.abbreviation, "kind": a.kind,
                               "other_names": _j(a.other_names), "notes": a.notes})
        if a.ccode is not None:
            sp = state_spells[state_spells["ccode"] == a.ccode]
            for s, e in zip(sp["start"], sp["end"], strict=True):
                rows["actor_spells"].append({"actor_id": a.actor_id, "ccode": a.ccode, "start": s,
                                             "end": e, "source": "cow_state_system_2016"})
        for spl in a.spells:
            rows["actor_spells"].append({"actor_id": a.actor_id, "ccode": None,
                                         "start": spl.start, "end": spl.end, "source": "coded"})
    for al in rs.alignments:
        rows["alignments"].append({
            "alignment_id": al.alignment_id, "name": al.name, "kind": al.kind, "start": al.start,
            "end": al.end, "right_censored": al.right_censored,
            "atop_ids": _j(al.crosswalk.atop), "cow_ids": _j(al.crosswalk.cow),
            "confidence": al.confidence, "n_members": len(al.members),
            "aliases": _j(al.aliases), "summary": al.summary, "ideology_notes": al.ideology_notes,
            "date_notes": al.date_notes, "contested": al.contested, "notes": al.notes})
        for m in al.members:
            primary = next(x.motive for x in m.motives if x.primary)
            rows["memberships"].append({
                "alignment_id": al.alignment_id, "actor_id": m.actor, "ccode": cc.get(m.actor),
                "start": m.start or al.start, "end": m.end or al.end, "role": m.role,
                "primary_motive": primary, "part_of_union": m.part_of_union, "notes": m.notes})
            for t in m.threats:
                kind = actors[t.actor].kind if t.actor in actors else None
                rows["threats"].append({
                    "alignment_id": al.alignment_id, "actor_id": m.actor,
                    "threat_actor_id": t.actor, "threat_type": THREAT_TYPE_OF_KIND.get(kind or ""),
                    "components": _j(t.components), "rationale": t.rationale,
                    "confidence": t.confidence})
            for x in m.motives:
                rows["motives"].append({
                    "alignment_id": al.alignment_id, "actor_id": m.actor, "motive": x.motive,
                    "primary": x.primary, "rationale": x.rationale, "confidence": x.confidence})
        for s in al.sources:
            rows["sources"].append({"alignment_id": al.alignment_id, "citation_key": s.key,
                                    "locator": s.locator, "supports": s.supports})
    for ev in rs.excluded_events:
        rows["excluded_events"].append({
            "event_id": ev.event_id, "name": ev.name, "date": ev.date, "decision": ev.decision,
            "merged_into": ev.merged_into, "reason": ev.reason, "citation_keys": _keys(ev.sources)})
    for ex in rs.atop_exclusions:
        rows["atop_exclusions"].append({"atopid": ex.atopid, "members": _j(ex.members),
                                        "reason": ex.reason})
    for i, r in enumerate(rs.regimes):
        rows["regimes"].append({"coded_to": rs.coded_to.get(("regimes", i)),
            "actor_id": r.actor, "ccode": cc.get(r.actor), "start": r.start, "end": r.end,
            "family": r.family, "regime": r.regime, "rationale": r.rationale,
            "confidence": r.confidence, "citation_keys": _keys(r.sources)})
    for i, c in enumerate(rs.capitals):
        rows["capitals"].append({"coded_to": rs.coded_to.get(("capitals", i)),
            "actor_id": c.actor, "ccode": cc.get(c.actor), "start": c.start, "end": c.end,
            "city": c.city, "lat": c.lat, "lon": c.lon, "citation_keys": _keys(c.sources),
            "notes": c.notes})
    for h in rs.hostile_acts:
        rows["hostile_acts"].append({
            "act_id": h.act_id, "actor_id": h.actor, "target_id": h.target, "type": h.type,
            "start": h.start, "end": h.end, "description": h.description,
            "confidence": h.confidence, "citation_keys": _keys(h.sources)})
    for p in rs.penetration:
        rows["penetration"].append({
            "episode_id": p.episode_id, "penetrator_id": p.penetrator, "target_id": p.target,
            "type": p.type, "start": p.start, "end": p.end, "description": p.description,
            "confidence": p.confidence, "citation_keys": _keys(p.sources)})
    for s in rs.soviet_aid:
        rows["soviet_aid"].append({
            "aid_id": s.aid_id, "donor_id": s.donor, "recipient_id": s.recipient, "type": s.type,
            "agreement_date": s.agreement_date, "start": s.start, "end": s.end,
            "amount_usd_million": s.amount_usd_million, "amount_year_basis": s.amount_year_basis,
            "amount_note": s.amount_note, "description": s.description,
            "confidence": s.confidence, "citation_keys": _keys(s.sources)})
    for key in sorted(rs.bibliography):
        e = rs.bibliography[key]
        f = e.fields
        rows["references"].append({
            "citation_key": key, "entry_type": e.entry_type,
            "author": f.get("author") or f.get("editor") or f.get("organization"),
            "year": f.get("year"),
            "title": f.get("title"),
            "published_in": f.get("journal") or f.get("booktitle") or f.get("publisher")
            or f.get("organization") or f.get("howpublished"),
            "citation": e.short()})
    out: dict[str, pd.DataFrame] = {}
    for name, spec in TABLES.items():
        df = pd.DataFrame(rows[name], columns=spec.column_names)
        for col in spec.columns:
            if col.dtype in ("Int64", "Float64"):
                df[col.name] = df[col.name].astype(col.dtype)
        if len(df):
            df = df.sort_values(list(spec.key), kind="mergesort").reset_index(drop=True)
        out[name] = df
    return out


def apply_dtypes(df: pd.DataFrame, spec: Table) -> pd.DataFrame:
    """Give a frame read from CSV the explicit dtypes of its specification.

    Partial dates stay strings at their stated precision; for each ``start``/``end`` column the
    loader adds ``<col>_first_day`` / ``<col>_last_day`` (datetime64) by the documented rule (a
    start resolves to the first day of its period, an end to the last day).
    """
    out = {}
    for col in spec.columns:
        s = df[col.name] if col.name in df else pd.Series([pd.NA] * len(df))
        if col.dtype in ("string", "list", _PD):
            out[col.name] = s.astype("string")
        elif col.dtype == "Int64":
            out[col.name] = s.astype("Int64")
        elif col.dtype == "Float64":
            out[col.name] = s.astype("Float64")
        elif col.dtype == "boolean":
            out[col.name] = s.map({True: True, False: False, "True": True, "False": False,
                                   "true": True, "false": False}).astype("boolean")
        elif col.dtype == "category":
            out[col.name] = pd.Categorical(s.astype("string"), categories=list(col.categories))
    res = pd.DataFrame(out, index=df.index)
    for col in spec.columns:
        if col.dtype != _PD:
            continue
        if col.name in ("start", "agreement_date", "date"):
            res[f"{col.name}_first_day"] = _resolve(res[col.name], dates.resolve_start)
        if col.name in ("end", "coded_to"):
            res[f"{col.name}_last_day"] = _resolve(res[col.name], dates.resolve_end)
    return res


def _resolve(s: pd.Series, fn: object) -> pd.Series:
    vals = [fn(v) if isinstance(v, str) else None for v in s]  # type: ignore[operator]
    return pd.Series(pd.to_datetime([v if isinstance(v, dt.date) else None for v in vals]),
                     index=s.index, dtype="datetime64[ns]")
