"""Closed vocabularies, in one place.

Each vocabulary is a ``Literal`` type (for static typing and pydantic validation) and a tuple of
its values (for documentation, categorical dtypes and error messages). The meaning of each value
is given in ``DESCRIPTIONS`` and generated into ``datasets/CODEBOOK.md``.
"""

from __future__ import annotations

from typing import Literal, get_args

ActorKind = Literal["regional_state", "superpower", "outside_power", "non_state", "outside_state"]
AlignmentKind = Literal[
    "formal_treaty",
    "informal_alignment",
    "union",
    "wartime_coalition",
    "summit_commitment",
    "unilateral_guarantee",
]
Role = Literal["member", "leader", "patron", "client", "guarantor", "associate"]
ThreatComponent = Literal[
    "aggregate_power", "proximity", "offensive_power", "aggressive_intentions"
]
ThreatType = Literal["regional", "superpower", "outside_power", "non_state"]
Motive = Literal["balancing", "bandwagoning", "ideology", "aid", "penetration", "other"]
Confidence = Literal["high", "medium", "low"]
RegimeFamily = Literal[
    "traditional_monarchy",
    "pan_arab_nationalist",
    "baathist",
    "marxist_leninist",
    "liberal_democracy",
    "military",
    "single_party_nationalist",
    "islamic_republic",
    "other",
]
ExclusionDecision = Literal["excluded", "merged"]
HostileActType = Literal[
    "subversion",
    "coup_sponsorship",
    "assassination_plot",
    "propaganda_campaign",
    "support_for_insurgents",
    "sabotage",
]
PenetrationType = Literal[
    "officer_training",
    "advisers",
    "party_links",
    "propaganda_broadcasting",
    "covert_action",
    "lobbying",
    "education_exchange",
    "intelligence_liaison",
]
AidType = Literal["military", "economic"]
DatePrecision = Literal["year", "month", "day"]

ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)
ALIGNMENT_KINDS: tuple[str, ...] = get_args(AlignmentKind)
ROLES: tuple[str, ...] = get_args(Role)
THREAT_COMPONENTS: tuple[str, ...] = get_args(ThreatComponent)
THREAT_TYPES: tuple[str, ...] = get_args(ThreatType)
MOTIVES: tuple[str, ...] = get_args(Motive)
CONFIDENCES: tuple[str, ...] = get_args(Confidence)
REGIME_FAMILIES: tuple[str, ...] = get_args(RegimeFamily)
EXCLUSION_DECISIONS: tuple[str, ...] = get_args(ExclusionDecision)
HOSTILE_ACT_TYPES: tuple[str, ...] = get_args(HostileActType)
PENETRATION_TYPES: tuple[str, ...] = get_args(PenetrationType)
AID_TYPES: tuple[str, ...] = get_args(AidType)
DATE_PRECISIONS: tuple[str, ...] = get_args(DatePrecision)

#: Threat type of a threatening actor, from the actor's kind.
THREAT_TYPE_OF_KIND: dict[str, str] = {
    "regional_state": "regional",
    "superpower": "superpower",
    "outside_power": "outside_power",
    "non_state": "non_state",
    "outside_state": "outside_power",
}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "actor kind": {
        "regional_state": "A state of the Middle East and North Africa (COW codes 600-698).",
        "superpower": "The United States or the Soviet Union.",
        "outside_power": "A state outside the region that aligned in it (UK, France, Pakistan).",
        "non_state": "A movement or organisation with no COW code (e.g. the PLO).",
        "outside_state": "A state outside the region that is named only as a threat (India, "
        "China, Greece, Cyprus, Ethiopia, Afghanistan, Spain): never a member of an alignment, "
        "never in a panel's universe of actors.",
    },
    "alignment kind": {
        "formal_treaty": "A signed agreement with security provisions.",
        "informal_alignment": "Security cooperation without a treaty: arms supply with political "
        "backing, coordinated policy, tacit commitments.",
        "union": "A union or federation of states (e.g. the United Arab Republic).",
        "wartime_coalition": "States fighting together in a war.",
        "summit_commitment": "Commitments made at Arab summits or Arab League meetings.",
        "unilateral_guarantee": "A commitment or intervention by one power on behalf of another, "
        "accepted by it.",
    },
    "role": {
        "member": "An ordinary member.",
        "leader": "The member that led or organised the alignment.",
        "patron": "The stronger side of an asymmetric alignment, providing protection or arms.",
        "client": "The weaker side of an asymmetric alignment.",
        "guarantor": "A power giving a security guarantee.",
        "associate": "Took part without full membership (e.g. the US in CENTO's committees).",
    },
    "threat component": {
        "aggregate_power": "The threatening actor's total resources (population, industry, "
        "military).",
        "proximity": "Geographic nearness: the ability to project power declines with distance.",
        "offensive_power": "Military capabilities suited to attack.",
        "aggressive_intentions": "Perceived aggressive aims, shown by words or deeds.",
    },
    "threat type": {
        "regional": "The threatening actor is a regional state.",
        "superpower": "The threatening actor is a superpower.",
        "outside_power": "The threatening actor is a state outside the region: an outside power "
        "that aligned in it (UK, France, Pakistan) or an outside state named only as a threat "
        "(India, China ...).",
        "non_state": "The threatening actor is a non-state actor.",
    },
    "motive": {
        "balancing": "Allying with others against the prevailing threat.",
        "bandwagoning": "Alignment with the source of danger.",
        "ideology": "Alignment because of shared (or shared-enemy) political ideology.",
        "aid": "Alignment bought or caused by economic or military aid.",
        "penetration": "Alignment caused by manipulation of the state's domestic politics.",
        "other": "Another motive, explained in the rationale.",
    },
    "confidence": {
        "high": "Well documented in several sources; little scholarly disagreement.",
        "medium": "Supported by sources but with some disagreement or indirect evidence.",
        "low": "A judgment on thin or conflicting evidence; check before relying on it.",
    },
    "regime family": {
        "traditional_monarchy": "Dynastic monarchy ruling with traditional legitimacy.",
        "pan_arab_nationalist": "Republican regime claiming pan-Arab nationalist leadership "
        "(Nasserist and similar).",
        "baathist": "Rule by the Arab Socialist Ba'th Party (Syrian or Iraqi branch).",
        "marxist_leninist": "Rule by a Marxist-Leninist vanguard party.",
        "liberal_democracy": "Competitive elections and civil liberties.",
        "military": "Rule by the armed forces without a pan-Arab or party ideology.",
        "single_party_nationalist": "A nationalist single-party republic (e.g. Bourguiba's "
        "Tunisia, the FLN's Algeria).",
        "islamic_republic": "Clerical rule after the Iranian revolution.",
        "other": "Another type, explained in the rationale.",
    },
}


def allowed(values: tuple[str, ...]) -> str:
    """Return the allowed values as a readable list for error messages."""
    return ", ".join(values)
