"""Who is in the alignment universe, and members that are part of a union.

Two rules that span the records, the validator and the panels, kept in one place:

- **Outside states** (actor kind ``outside_state``: India, China, Greece, Cyprus, Ethiopia,
  Afghanistan, Spain) can be named as a threat in a record, so that a member's threats are coded
  as they were, but they are not in the alignment universe: they are never members of an
  alignment, never in a panel's actors and never bring an ATOP alliance into scope.
- **A member that is part of a union.** A union record gives each member the membership it
  had historically (Syria in the United Arab Republic from 1 February 1958 to 28 September
  1961). Where the COW state system drops the member while it is part of the union (COW drops
  Syria from 1958-02-01 to 1961-09-29), the member is marked ``part_of_union: true``. The
  validator then accepts the days on which it is not a state, and the panels count the
  membership only on days the member exists as a state (:func:`clip_to_existence`), which is
  the COW state-system rule applied where it belongs, instead of a truncated record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

#: Actor kinds that can be named as a threat but are outside the alignment universe.
THREAT_ONLY_KINDS: frozenset[str] = frozenset({"outside_state"})

Interval = tuple[dt.date, dt.date]


def in_universe(actors: pd.DataFrame) -> pd.DataFrame:
    """Return the actors of the alignment universe (every kind but the threat-only ones).

    Parameters
    ----------
    actors : pandas.DataFrame
        The ``actors`` table (needs ``kind``).

    Returns
    -------
    pandas.DataFrame
        The rows whose ``kind`` is not in :data:`THREAT_ONLY_KINDS`.
    """
    return actors[~actors["kind"].astype(str).isin(THREAT_ONLY_KINDS)]


def _exists_on(spells: Sequence[Interval], day: dt.date) -> bool:
    return any(a <= day <= b for a, b in spells)


def _exists_throughout(spells: Sequence[Interval], s: dt.date, e: dt.date) -> bool:
    return any(a <= s and e <= b for a, b in spells)


def union_absence_allowed(alignment_kind: str, part_of_union: bool,
                          spells: Sequence[Interval], start: dt.date, end: dt.date) -> bool:
    """Whether a member may be absent from the state system during its membership.

    Allowed only for a member marked ``part_of_union`` of a ``union`` record that was a state on
    the first day of its membership or the day before (it entered the union as a state) and is a
    state again on the day after its membership ends, or on the membership's last day.

    Parameters
    ----------
    alignment_kind : str
        The record's kind.
    part_of_union : bool
        The member's ``part_of_union`` flag.
    spells : sequence of (date, date)
        The member's existence spells (first and last day).
    start, end : datetime.date
        First and last day of the membership (the end cut to the coded period).

    Returns
    -------
    bool
    """
    if alignment_kind != "union" or not part_of_union:
        return False
    entered = _exists_on(spells, start) or _exists_on(spells, start - dt.timedelta(days=1))
    after = end + dt.timedelta(days=1) if end < dt.date.max else end
    left = _exists_on(spells, end) or _exists_on(spells, after)
    return entered and left


def member_problems(alignment_kind: str, actor_id: str, actor_kind: str, part_of_union: bool,
                    spells: Sequence[Interval], start: dt.date, end: dt.date) -> list[str]:
    """Problems with a membership under the two rules of this module.

    Parameters
    ----------
    alignment_kind : str
        The record's kind.
    actor_id, actor_kind : str
        The member and its actor kind.
    part_of_union : bool
        The member's ``part_of_union`` flag.
    spells : sequence of (date, date)
        The member's existence spells.
    start, end : datetime.date
        First and last day of the membership (the end cut to the coded period).

    Returns
    -------
    list of str
        Messages (empty when the membership is fine).
    """
    out = []
    if actor_kind in THREAT_ONLY_KINDS:
        out.append(f"{actor_id} is an outside state (kind {actor_kind}): it can be named as a "
                   "threat but cannot be a member of an alignment")
    if part_of_union:
        if alignment_kind != "union":
            out.append(f"part_of_union is set for {actor_id} but the record is a "
                       f"{alignment_kind}, not a union")
        elif _exists_throughout(spells, start, end):
            out.append(f"part_of_union is set for {actor_id} but it is a state on every day of "
                       "its membership: remove the flag")
        elif not union_absence_allowed(alignment_kind, part_of_union, spells, start, end):
            out.append(f"{actor_id} is part_of_union but was not a state when it joined, or is "
                       "not a state again when its membership ends")
    return out


def clip_to_existence(spells: pd.DataFrame, existence: pd.DataFrame,
                      ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Cut membership spells to the days each actor exists (splitting where it has gaps).

    Parameters
    ----------
    spells : pandas.DataFrame
        Membership spells with ``actor_id`` and ``s``/``e`` (numpy ``datetime64[D]`` first and
        last days); other columns are carried along.
    existence : pandas.DataFrame
        The ``actor_spells`` table (``actor_id``, ``start_first_day``, ``end_last_day``; an
        empty end is open).
    ids : iterable of str, optional
        Actors to clip (default: every actor in ``existence``); others pass unchanged.

    Returns
    -------
    pandas.DataFrame
        The spells intersected with the existence spells, in the input order; spells with no
        day of existence are dropped.
    """
    ex = existence[["actor_id", "start_first_day", "end_last_day"]].copy()
    ex["xs"] = pd.to_datetime(ex["start_first_day"]).to_numpy("datetime64[D]")
    end = pd.to_datetime(ex["end_last_day"])
    ex["xe"] = end.fillna(pd.Timestamp("2262-04-11")).to_numpy("datetime64[D]")
    keep = set(ex["actor_id"].astype(str)) if ids is None else set(ids)
    spells = spells.reset_index(drop=True).assign(_row=lambda d: np.arange(len(d)))
    clip = spells[spells["actor_id"].astype(str).isin(keep)]
    rest = spells[~spells["actor_id"].astype(str).isin(keep)]
    j = clip.merge(ex[["actor_id", "xs", "xe"]], on="actor_id", how="inner")
    j["s"] = np.maximum(j["s"].to_numpy("datetime64[D]"), j["xs"].to_numpy("datetime64[D]"))
    j["e"] = np.minimum(j["e"].to_numpy("datetime64[D]"), j["xe"].to_numpy("datetime64[D]"))
    j = j[j["s"] <= j["e"]].drop(columns=["xs", "xe"])
    out = pd.concat([j, rest], ignore_index=True)
    out = out.sort_values(["_row", "s"], kind="mergesort").drop(columns="_row")
    return out.reset_index(drop=True)
