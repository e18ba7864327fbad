"""One-record rules: vocabularies, partial dates, required fields, unknown fields."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from walt_alliances.records import dates
from walt_alliances.records.models import Actor, Alignment, Member, SovietAid

MEMBER = {"actor": "EGY", "threats": [{"actor": "ISR", "components": ["proximity"],
                                       "rationale": "r", "confidence": "low"}],
          "motives": [{"motive": "balancing", "primary": True, "rationale": "r",
                       "confidence": "low"}]}
BASE = {"alignment_id": "x-pact", "name": "X", "kind": "formal_treaty", "start": "1960",
        "end": "1961", "right_censored": False, "confidence": "low", "summary": "s",
        "members": [MEMBER, {**MEMBER, "actor": "JOR"}], "sources": [{"key": "walt1987"}]}


def test_valid_alignment_round_trips():
    al = Alignment.model_validate(BASE)
    assert al.members[1].actor == "JOR"
    assert Alignment.model_validate(al.model_dump(mode="json")) == al


@pytest.mark.parametrize("value", ["1955-13", "1955-02-30", "55", "1955/02/01", "1955-2-1"])
def test_bad_partial_dates_rejected(value):
    with pytest.raises(ValidationError, match="start"):
        Alignment.model_validate({**BASE, "start": value})


def test_year_as_unquoted_int_is_year_precision():
    al = Alignment.model_validate({**BASE, "start": 1960})
    assert al.start == "1960"
    assert dates.precision(al.start) == "year"


def test_partial_date_resolution_rule():
    # Independent check of the documented rule: start -> first day, end -> last day.
    assert dates.resolve_start("1958-02") == dt.date(1958, 2, 1)
    assert dates.resolve_end("1958-02") == dt.date(1958, 2, 28)
    assert dates.resolve_end("1960-02") == dt.date(1960, 2, 29)  # leap year
    assert dates.resolve_end("1979") == dt.date(1979, 12, 31)
    assert dates.resolve_start("1961-09-29") == dt.date(1961, 9, 29)


def test_unknown_field_rejected():
    with pytest.raises(ValidationError, match="Extra inputs|extra"):
        Alignment.model_validate({**BASE, "membrs": []})


def test_vocabulary_error_lists_allowed_values():
    with pytest.raises(ValidationError) as exc:
        Alignment.model_validate({**BASE, "kind": "treaty"})
    assert "formal_treaty" in str(exc.value) and "informal_alignment" in str(exc.value)


def test_end_before_start_rejected():
    with pytest.raises(ValidationError, match="before start"):
        Alignment.model_validate({**BASE, "start": "1961-05", "end": "1961-04"})


def test_same_month_end_is_not_before_start():
    # "1961-05" as an end resolves to 31 May, after a start of 10 May.
    Alignment.model_validate({**BASE, "start": "1961-05-10", "end": "1961-05"})


def test_right_censoring_must_match_end():
    with pytest.raises(ValidationError, match="right_censored"):
        Alignment.model_validate({**BASE, "end": None, "right_censored": False})
    with pytest.raises(ValidationError, match="end must be empty"):
        Alignment.model_validate({**BASE, "right_censored": True})


def test_exactly_one_primary_motive():
    two = {**MEMBER, "motives": MEMBER["motives"] * 2}
    with pytest.raises(ValidationError, match="exactly one motive"):
        Member.model_validate(two)
    none = {**MEMBER, "motives": [{**MEMBER["motives"][0], "primary": False}]}
    with pytest.raises(ValidationError, match="exactly one motive"):
        Member.model_validate(none)


def test_member_without_threats_needs_a_note():
    with pytest.raises(ValidationError, match="no threats"):
        Member.model_validate({**MEMBER, "threats": []})
    Member.model_validate({**MEMBER, "threats": [], "notes": "no threat: ideological"})


def test_alignment_needs_a_source_and_two_members():
    with pytest.raises(ValidationError, match="sources"):
        Alignment.model_validate({**BASE, "sources": []})
    with pytest.raises(ValidationError, match="members"):
        Alignment.model_validate({**BASE, "members": [MEMBER]})


def test_non_state_actor_never_has_a_cow_code():
    plo = {"actor_id": "PLO", "name": "PLO", "abbreviation": "PLO", "kind": "non_state",
           "spells": [{"start": "1964-05-28"}], "rationale": "r", "confidence": "medium",
           "sources": [{"key": "sayigh1997"}]}
    Actor.model_validate(plo)
    with pytest.raises(ValidationError, match="no COW code"):
        Actor.model_validate({**plo, "ccode": 999})
    with pytest.raises(ValidationError, match="needs its COW code"):
        Actor.model_validate({**plo, "kind": "regional_state", "spells": []})


def test_aid_amount_needs_its_source_note():
    rec = {"aid_id": "a", "donor": "RUS", "recipient": "EGY", "type": "military",
           "start": "1955", "description": "d", "confidence": "low",
           "sources": [{"key": "golan1990"}], "amount_usd_million": 100.0}
    with pytest.raises(ValidationError, match="amount_note"):
        SovietAid.model_validate(rec)
    SovietAid.model_validate({**rec, "amount_note": "golan1990 gives the figure"})


def test_override_given_as_a_bare_id_says_how_to_write_it() -> None:
    """A first-time `overrides: [uar]` gets the fix, not pydantic's 'valid dictionary' jargon."""
    from pydantic import ValidationError

    from walt_alliances.records.models import ExtensionSettings

    with pytest.raises(ValidationError, match=r"each override is a mapping with `id` and "
                                              r"`reason` \(e\.g\. `- id: uar`"):
        ExtensionSettings(title="t", overrides=["uar"])
    ok = ExtensionSettings(title="t", overrides=[{"id": "uar", "reason": "recode"}])
    assert ok.overrides[0].id == "uar"
