"""Pydantic records: one model per kind of coded record.

Every model rejects unknown fields, checks its closed vocabularies (listing the allowed values
when a value is wrong) and carries a description on each field. The descriptions are generated
into ``datasets/CODEBOOK.md`` (``walt-alliances codebook``). Rules that span several records
(unique ids, actors existing on the dates they are members, citation keys resolving) live in
:mod:`walt_alliances.records.validate`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from walt_alliances.records import dates
from walt_alliances.records.vocab import (
    ActorKind,
    AidType,
    AlignmentKind,
    Confidence,
    ExclusionDecision,
    HostileActType,
    Motive,
    PenetrationType,
    RegimeFamily,
    Role,
    ThreatComponent,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
_ACTOR_ID = re.compile(r"[A-Z][A-Z0-9]{1,7}", re.ASCII)


def _year_to_str(value: Any) -> Any:
    # YAML reads an unquoted 1955 as an int; a partial date of year precision is meant.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _check_partial(value: str) -> str:
    dates.parse_partial(value)
    return value


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(f"{value!r} is not a slug (lowercase a-z, 0-9 and single '-')")
    return value


def _check_actor_id(value: str) -> str:
    if not _ACTOR_ID.fullmatch(value):
        raise ValueError(f"{value!r} is not an actor id (2-8 capital letters or digits, e.g. EGY)")
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class FieldError(ValueError):
    """A rule across a record's fields was broken; ``field`` names the field to fix.

    Raised by the models' ``model_validator`` checks, so that the problem reported for the record
    points at a field (``end``, ``members``) rather than at the record as a whole.
    """

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


PartialDate = Annotated[
    str, BeforeValidator(_year_to_str), AfterValidator(_check_partial),
    Field(description="Date at its known precision: YYYY, YYYY-MM or YYYY-MM-DD."),
]
Slug = Annotated[str, AfterValidator(_check_slug)]
ActorId = Annotated[str, AfterValidator(_check_actor_id)]
Text = Annotated[str, AfterValidator(_nonblank)]


class Record(BaseModel):
    """Base of all records: unknown fields are errors; values are immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any) -> Any:
        # NUL and other control characters (tab and newline aside) break the CSV and Stata
        # outputs and are never meant: a text is refused, naming its field
        if isinstance(data, dict):
            for key, value in data.items():
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str) and _CONTROL.search(text):
                        char = _CONTROL.search(text).group()  # type: ignore[union-attr]
                        raise FieldError(str(key), f"holds the control character "
                                         f"U+{ord(char):04X}; remove it")
        return data


class SourceRef(Record):
    """A citation of a bibliography entry, with a page only where someone saw it."""

    key: str = Field(description="BibTeX key of the source in the bibliography.")
    locator: str | None = Field(
        default=None,
        description="Page(s) or section, only where verified by someone who saw it; else empty.",
    )
    supports: str | None = Field(
        default=None, description="What the source is cited for (dates, members, motive ...)."
    )

    @model_validator(mode="before")
    @classmethod
    def _locator_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("locator"), int):
            data = {**data, "locator": str(data["locator"])}
        return data


Sources = Annotated[list[SourceRef], Field(min_length=1)]


class Spell(Record):
    """A period of existence of a non-state actor."""

    start: PartialDate = Field(description="First day the actor exists (partial date).")
    end: PartialDate | None = Field(
        default=None, description="Last day; empty if it exists beyond the coded period."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Spell:
        if self.end is not None and dates.resolve_end(self.end) < dates.resolve_start(self.start):
            raise FieldError("end", f"end {self.end} is before start {self.start}")
        return self


class Actor(Record):
    """An actor: a state with its COW code, or a non-state actor with coded spells."""

    actor_id: ActorId = Field(
        description="Stable identifier: the COW state abbreviation for states (EGY, RUS ...), a "
        "short capitalised code for non-state actors (PLO)."
    )
    ccode: int | None = Field(
        default=None,
        description="Correlates of War state code; empty for non-state actors (never made up).",
    )
    name: Text = Field(description="Common English name.")
    abbreviation: str = Field(description="Short name for tables and figures.")
    kind: ActorKind = Field(description="Kind of actor (vocabulary: actor kind).")
    other_names: list[str] = Field(default_factory=list, description="Other names and when used.")
    spells: list[Spell] = Field(
        default_factory=list,
        description="Existence spells of a non-state actor. States take theirs from the COW state "
        "system (v2016) and must not give any here.",
    )
    rationale: str | None = Field(default=None, description="Why the spells are coded so.")
    confidence: Confidence | None = Field(default=None, description="Confidence in the spells.")
    sources: list[SourceRef] = Field(default_factory=list, description="Sources for the spells.")
    notes: str | None = Field(default=None, description="Notes.")

    @model_validator(mode="after")
    def _state_or_non_state(self) -> Actor:
        if self.kind == "non_state":
            if self.ccode is not None:
                raise FieldError("ccode", "a non-state actor has no COW code: leave ccode empty")
            if not self.spells:
                raise FieldError("spells", "a non-state actor needs at least one coded spell")
            if not self.sources or not self.rationale or self.confidence is None:
                raise FieldError("sources", "a non-state actor's spells need sources, a rationale "
                                 "and a "
                                 "confidence")
        else:
            if self.ccode is None:
                raise FieldError("ccode", f"a {self.kind} needs its COW code (ccode)")
            if self.spells:
                raise FieldError("spells", "a state's spells come from the COW state system; "
                                 "remove spells")
        return self


class Threat(Record):
    """A threat a member was responding to, with the sources of threat in play."""

    actor: ActorId = Field(description="The threatening actor (actor_id).")
    components: Annotated[list[ThreatComponent], Field(min_length=1)] = Field(
        description="Which of Walt's four sources of threat were in play (vocabulary: threat "
        "component)."
    )
    rationale: Text = Field(description="Why these sources of threat are coded.")
    confidence: Confidence = Field(description="Confidence in this coding.")

    @model_validator(mode="after")
    def _unique_components(self) -> Threat:
        if len(set(self.components)) != len(self.components):
            raise FieldError("components", "a threat component is listed twice")
        return self


class MotiveCoding(Record):
    """A member's motive for joining, with rationale and confidence."""

    motive: Motive = Field(description="The motive (vocabulary: motive).")
    primary: bool = Field(default=False, description="Whether this is the member's main motive.")
    rationale: Text = Field(description="Why this motive is coded; names the evidence.")
    confidence: Confidence = Field(description="Confidence in this coding.")


class Member(Record):
    """A member of an alignment: its own dates, role, threats and motives."""

    actor: ActorId = Field(description="The member (actor_id).")
    start: PartialDate | None = Field(
        default=None, description="When it joined; empty means the alignment's start."
    )
    end: PartialDate | None = Field(
        default=None, description="When it left; empty means the alignment's end."
    )
    role: Role = Field(default="member", description="Role in the alignment (vocabulary: role).")
    threats: list[Threat] = Field(
        default_factory=list, description="Threats it was responding to."
    )
    motives: Annotated[list[MotiveCoding], Field(min_length=1)] = Field(
        description="Its motives; exactly one is primary."
    )
    notes: str | None = Field(default=None, description="Notes on this member.")
    part_of_union: bool = Field(
        default=False,
        description="True for a member of a union that the COW state system drops while it is "
        "part of the union (Syria in the UAR, 1958-1961): the membership is recorded as it was, "
        "the validator accepts the days it is not a state, and panels count it only on days it "
        "exists as a state.",
    )

    @model_validator(mode="after")
    def _one_primary(self) -> Member:
        n = sum(m.primary for m in self.motives)
        if n != 1:
            raise FieldError("motives", f"exactly one motive must have primary: true (found {n})")
        if not self.threats and not (self.notes and self.notes.strip()):
            raise FieldError("threats", "a member with no threats needs a note saying why")
        motives: list[str] = [m.motive for m in self.motives]
        twice = sorted({m for m in motives if motives.count(m) > 1})
        if twice:
            raise FieldError("motives", f"motive {twice[0]!r} is listed twice for this member: "
                             "give each motive once, with one rationale")
        actors = [t.actor for t in self.threats]
        twice = sorted({a for a in actors if actors.count(a) > 1})
        if twice:
            raise FieldError("threats", f"threat actor {twice[0]!r} is listed twice for this "
                             "member: give each threatening actor once, with all its components")
        return self


class Crosswalk(Record):
    """Identifiers of the same agreement in other datasets."""

    atop: list[int] = Field(default_factory=list, description="ATOP 5.1 atopid(s).")
    cow: list[int] = Field(default_factory=list, description="COW alliance version4id(s).")


class Alignment(Record):
    """One alliance or alignment, formal or informal, with its members."""

    alignment_id: Slug = Field(description="Stable identifier (slug); also the file name.")
    name: Text = Field(description="Name in English.")
    aliases: list[str] = Field(default_factory=list, description="Other names.")
    kind: AlignmentKind = Field(description="Kind of alignment (vocabulary: alignment kind).")
    start: PartialDate = Field(description="When it began (partial date).")
    end: PartialDate | None = Field(
        default=None, description="When it ended; empty when it outlasts the coded period."
    )
    right_censored: bool = Field(
        description="True when it outlasts the coded period (then end is empty)."
    )
    confidence: Confidence = Field(description="Confidence in the record as a whole.")
    summary: Text = Field(description="What the alignment was and what it committed members to.")
    members: Annotated[list[Member], Field(min_length=2)] = Field(description="Its members.")
    crosswalk: Crosswalk = Field(default_factory=Crosswalk, description="ATOP and COW ids.")
    date_notes: str | None = Field(
        default=None, description="Why dates differ from ATOP's by more than 31 days, if they do."
    )
    ideology_notes: str | None = Field(
        default=None, description="The members' regimes and whether ideology played a part."
    )
    sources: Sources = Field(description="Sources (at least one).")
    contested: str | None = Field(
        default=None, description="Where a scholar reads the case differently (cited)."
    )
    notes: str | None = Field(default=None, description="Notes.")

    @model_validator(mode="after")
    def _dates(self) -> Alignment:
        if self.right_censored and self.end is not None:
            raise FieldError("end", "right_censored is true, so end must be empty")
        if not self.right_censored and self.end is None:
            raise FieldError("right_censored", "end is empty, so right_censored must be true "
                             "(or give the end)")
        if self.end is not None and dates.resolve_end(self.end) < dates.resolve_start(self.start):
            raise FieldError("end", f"end {self.end} is before start {self.start}")
        actors = sorted({m.actor for m in self.members})
        if len(actors) < 2:
            raise FieldError("members", "an alignment needs at least two different actors as "
                             f"members; found only {', '.join(actors)} (a second spell of the "
                             "same actor is not a second member)")
        return self


class ExcludedEvent(Record):
    """An event considered and not coded as an alignment of its own, with the reason."""

    event_id: Slug = Field(description="Stable identifier (slug); also the file name.")
    name: Text = Field(description="Name of the event.")
    date: PartialDate = Field(description="When it happened (partial date).")
    decision: ExclusionDecision = Field(description="excluded, or merged into another record.")
    merged_into: Slug | None = Field(default=None, description="alignment_id when merged.")
    reason: Text = Field(description="Why.")
    sources: Sources = Field(description="Sources.")

    @model_validator(mode="after")
    def _merge_target(self) -> ExcludedEvent:
        if (self.decision == "merged") != (self.merged_into is not None):
            raise FieldError("merged_into", "merged_into is required when decision is merged, "
                             "and only then")
        return self


class AtopExclusion(Record):
    """An ATOP alliance in force 1955-1979 with an in-scope member that no record links."""

    atopid: int = Field(description="ATOP 5.1 alliance id.")
    members: list[int] = Field(default_factory=list, description="COW codes of its members.")
    reason: Text = Field(description="Why it is not linked to a record.")


class RegimeSpell(Record):
    """A spell of an actor's regime family."""

    actor: ActorId = Field(description="The actor (actor_id).")
    start: PartialDate = Field(description="First day of the spell.")
    end: PartialDate | None = Field(default=None, description="Last day; empty if past 1979.")
    family: RegimeFamily = Field(description="Regime family (vocabulary: regime family).")
    regime: str | None = Field(default=None, description="Short name of the regime.")
    rationale: Text = Field(description="Why this family and these dates.")
    confidence: Confidence = Field(description="Confidence in this coding.")
    sources: Sources = Field(description="Sources.")


class CapitalSpell(Record):
    """An actor's capital city in a period, with coordinates."""

    actor: ActorId = Field(description="The actor (actor_id).")
    start: PartialDate = Field(description="First day of the spell.")
    end: PartialDate | None = Field(default=None, description="Last day; empty if past 1979.")
    city: Text = Field(description="Capital city.")
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False,
                       description="Latitude, decimal degrees (north positive).")
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False,
                       description="Longitude, decimal degrees (east positive).")
    sources: Sources = Field(description="Sources.")
    notes: str | None = Field(default=None, description="Notes (e.g. dual capitals).")


class HostileAct(Record):
    """A hostile act that conflict datasets miss (subversion, propaganda, coups sponsored)."""

    act_id: Slug = Field(description="Stable identifier (slug).")
    actor: ActorId = Field(description="Who did it (actor_id).")
    target: ActorId = Field(description="Against whom (actor_id).")
    type: HostileActType = Field(description="Kind of act (vocabulary: hostile act type).")
    start: PartialDate = Field(description="When it began.")
    end: PartialDate | None = Field(default=None, description="When it ended, if known.")
    description: Text = Field(description="What happened.")
    confidence: Confidence = Field(description="Confidence in this coding.")
    sources: Sources = Field(description="Sources.")


class PenetrationEpisode(Record):
    """An episode of transnational penetration: one actor manipulating another's politics."""

    episode_id: Slug = Field(description="Stable identifier (slug).")
    penetrator: ActorId = Field(description="Who penetrated (actor_id).")
    target: ActorId = Field(description="Whose domestic politics (actor_id).")
    type: PenetrationType = Field(description="How (vocabulary: penetration type).")
    start: PartialDate = Field(description="When it began.")
    end: PartialDate | None = Field(default=None, description="When it ended, if known.")
    description: Text = Field(description="What happened.")
    confidence: Confidence = Field(description="Confidence in this coding.")
    sources: Sources = Field(description="Sources.")


class SovietAid(Record):
    """Soviet (or Soviet-arranged bloc) aid to an actor, coded from public sources."""

    aid_id: Slug = Field(description="Stable identifier (slug).")
    donor: ActorId = Field(description="Donor (actor_id; RUS).")
    recipient: ActorId = Field(description="Recipient (actor_id).")
    type: AidType = Field(description="military or economic.")
    agreement_date: PartialDate | None = Field(default=None, description="When agreed.")
    start: PartialDate = Field(description="When deliveries or the programme began.")
    end: PartialDate | None = Field(default=None, description="When it ended, if known.")
    amount_usd_million: float | None = Field(
        default=None, ge=0, allow_inf_nan=False,
        description="Amount in millions of USD, only where a cited source gives it; else empty.",
    )
    amount_year_basis: str | None = Field(
        default=None, description="Price basis of the amount (e.g. current USD), as the source."
    )
    amount_note: str | None = Field(
        default=None, description="Which source gives the amount and what it covers."
    )
    description: Text = Field(description="What the aid was.")
    confidence: Confidence = Field(description="Confidence in this coding.")
    sources: Sources = Field(description="Sources.")

    @model_validator(mode="after")
    def _amount_sourced(self) -> SovietAid:
        if self.amount_usd_million is not None and not (self.amount_note or "").strip():
            raise FieldError("amount_note", "an amount needs amount_note naming the source "
                             "that gives it")
        if self.end is not None and dates.resolve_end(self.end) < dates.resolve_start(self.start):
            raise FieldError("end", f"end {self.end} is before start {self.start}")
        if (self.agreement_date is not None and self.end is not None
                and dates.resolve_start(self.agreement_date) > dates.resolve_end(self.end)):
            raise FieldError("agreement_date", f"agreement_date {self.agreement_date} is "
                             f"after the end {self.end} of the aid it agreed")
        return self


# ------------------------------------------------------------------------------------------------
# Settings files of a records folder: dataset.yaml (a complete dataset) and extension.yaml
# ------------------------------------------------------------------------------------------------

#: Hand-coded list tables a dataset may declare empty on purpose (``empty_tables``).
EmptiableTable = Literal["atop_exclusions", "regimes", "capitals", "hostile_acts", "penetration",
                         "soviet_aid"]


class Period(Record):
    """A coded period: first and last day, as partial dates."""

    start: PartialDate = Field(description="First day of the period (partial date).")
    end: PartialDate = Field(description="Last day of the period (partial date).")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if dates.resolve_end(self.end) < dates.resolve_start(self.start):
            raise FieldError("end", f"the period ends ({self.end}) before it starts "
                             f"({self.start})")
        return self


EmptyTables = Annotated[
    dict[EmptiableTable, Text],
    Field(default_factory=dict,
          description="Tables left empty on purpose, each with the reason (table -> reason). "
          "Any other hand-coded table missing or empty is an error: zeros in a panel would "
          "otherwise look like real data."),
]


class DatasetSettings(Record):
    """``dataset.yaml``: the settings of a complete dataset."""

    title: Text = Field(description="Title of the dataset.")
    data_version: Text = Field(description="Data version; bump on any recode.")
    period: Period = Field(description="The coded period.")
    empty_tables: EmptyTables


class Override(Record):
    """An extension's replacement of a shipped record, with the reason."""

    id: Text = Field(description="Id of the shipped record the extension's record replaces.")
    reason: Text = Field(description="Why the shipped record is replaced.")

    @model_validator(mode="before")
    @classmethod
    def _needs_a_mapping(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"each override is a mapping with `id` and `reason` (e.g. "
                             f"`- id: {data}` / `  reason: why you replace it`), got {data!r}")
        return data


class ExtensionSettings(Record):
    """``extension.yaml``: the settings of an extension folder."""

    title: Text = Field(description="Title of the extension.")
    period: Period | None = Field(default=None, description="The period the extension codes; "
                                  "leave it out for a recode of the shipped period.")
    overrides: list[Override] = Field(default_factory=list,
                                      description="Shipped records the extension replaces.")
    empty_tables: EmptyTables
