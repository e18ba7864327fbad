"""Threats from states outside the study's actors, for the threat calculation only.

Several states of the region faced their main threat from a state the study does not model as
an actor: India for Pakistan, Spain for Morocco, China, Greece and Cyprus, Ethiopia,
Afghanistan. The shipped measures cover only the study's 26 states, so those threats are
invisible to every "most threatening state". :func:`outside_threats` rebuilds the measures
from the raw datasets for the study's states plus :data:`OUTSIDE_STATES` (verified by sha256;
:func:`walt_alliances.measures.build.build_tables`) and computes the threat index (default
specification, with the study's coded hostile acts) of each outside state to each study
state. The partner-choice design can then rank them among a state's threats
(``partner_attributes(..., outside_threats=...)``); they are never partners and never
choosers. Coded hostile acts exist only between the study's actors, so an outside state's
intentions component rests on MIDs and wars alone.
"""

from __future__ import annotations

import pandas as pd

from walt_alliances.panels.study import Study

__all__ = ["OUTSIDE_STATES", "outside_threats", "study_threats"]

#: COW codes of the outside states whose threats are computed, with their COW abbreviations.
OUTSIDE_STATES: dict[int, str] = {750: "IND", 710: "CHN", 350: "GRC", 352: "CYP", 530: "ETH",
                                  700: "AFG", 230: "SPN"}


def _hostile_act_years(study: Study) -> pd.DataFrame:
    acts = study["hostile_acts"]
    cc = dict(zip(study["actors"]["actor_id"], study["actors"]["ccode"], strict=True))
    rows: list[tuple[int, int, int]] = []
    for r in acts.itertuples(index=False):
        a, b = cc.get(r.actor_id), cc.get(r.target_id)
        if a is None or b is None or pd.isna(a) or pd.isna(b):
            continue
        y0 = pd.Timestamp(r.start_first_day).year
        y1 = pd.Timestamp(r.end_last_day).year if not pd.isna(r.end_last_day) else y0
        rows.extend((int(a), int(b), y) for y in range(y0, y1 + 1))
    return pd.DataFrame(rows, columns=["ccode_from", "ccode_to", "year"], dtype="int64")


def study_threats(study: Study, external_dir: str | None = None,
                  outside: dict[int, str] | None = None) -> pd.DataFrame:
    """The threat index between every pair of the study's states and the outside states.

    Returns
    -------
    pandas.DataFrame
        :func:`walt_alliances.measures.threat.compute_threat` output (``ccode1`` threatened,
        ``ccode2`` source, ``year``, components, ``threat_index``).

    Raises
    ------
    walt_alliances.errors.RawDataError
        If a raw file is missing or differs from the manifest.
    """
    from walt_alliances.measures.build import build_tables
    from walt_alliances.measures.threat import compute_threat

    outside = OUTSIDE_STATES if outside is None else outside
    own = tuple(sorted(int(c) for c in study["actors"]["ccode"].dropna()))
    sy, dy, _ = build_tables(external_dir, tuple(sorted(set(own) | set(outside))),
                             study.measure_years)
    return compute_threat(dy, sy, hostile_acts=_hostile_act_years(study))


def outside_threats(study: Study, panel: pd.DataFrame, external_dir: str | None = None,
                    outside: dict[int, str] | None = None) -> pd.DataFrame:
    """Threats of the outside states to the study's states, keyed like the panel.

    Returns
    -------
    pandas.DataFrame
        ``actor1`` (the threatened study state's actor id), ``actor2`` (the outside state,
        ``COW:<abbreviation>``), ``year``, ``threat_index``; the panel's years only.
    """
    outside = OUTSIDE_STATES if outside is None else outside
    th = study_threats(study, external_dir, outside)
    ids = panel.drop_duplicates("actor1").dropna(subset=["ccode1"])
    cc = dict(zip(ids["ccode1"].astype(int), ids["actor1"], strict=True))
    x = th[th["ccode2"].isin(list(outside)) & th["ccode1"].isin(list(cc))]
    x = x[x["year"].between(int(panel["year"].min()), int(panel["year"].max()))]
    out = pd.DataFrame({"actor1": x["ccode1"].map(cc).to_numpy(),
                        "actor2": ("COW:" + x["ccode2"].map(outside)).to_numpy(),
                        "year": x["year"].astype("int64").to_numpy(),
                        "threat_index": x["threat_index"].astype("float64").to_numpy()})
    return out.dropna(subset=["threat_index"]).reset_index(drop=True)
