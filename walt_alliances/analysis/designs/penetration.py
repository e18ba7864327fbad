"""Penetration (H5): instruments of penetration, apart from security cooperation, on onset.

The coded penetration episodes (``datasets/penetration.yaml``) mix two things. Walt's
transnational penetration is the manipulation of another state's politics: party links, covert
action, propaganda and broadcasting, lobbying (:data:`INSTRUMENTS`). Advisers, officer
training, intelligence liaison and education exchanges (:data:`SECURITY_COOPERATION`) are forms
of the security cooperation that an alignment *is*, so using them to explain alignment
restates the outcome. Only the instruments are tested.

Sample: directed dyad-years of states (i the target, j the penetrator) at risk of a new
alignment (not aligned in *t-1*), 1956 to the end of the coded period. Term:
``pen_instrument_lag1`` (an instrument episode of j in i active in *t-1*; an episode without an
end date counts in its start year only, the panel's rule), with contiguity, log capital distance
and j's threat to i as controls. :func:`penetration_events` lists every instrument episode with
what happened to the pair next, the events behind the estimate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["INSTRUMENTS", "SECURITY_COOPERATION", "exposure_summary", "penetration_events",
           "penetration_onset_sample"]

INSTRUMENTS = ("party_links", "covert_action", "propaganda_broadcasting", "lobbying")
SECURITY_COOPERATION = ("advisers", "officer_training", "intelligence_liaison",
                        "education_exchange")
CONTROLS = ("contiguous", "log_capdist", "threat_index")


def _episode_years(ep: pd.DataFrame, end_year: int) -> pd.DataFrame:
    rows: list[tuple[Any, ...]] = []
    for r in ep.itertuples(index=False):
        y0 = pd.Timestamp(r.start_first_day).year
        y1 = pd.Timestamp(r.end_last_day).year if not pd.isna(r.end_last_day) else y0
        rows.extend((r.episode_id, r.target_id, r.penetrator_id, y)
                    for y in range(y0, min(y1, end_year) + 1))
    return pd.DataFrame(rows, columns=["episode_id", "actor1", "actor2", "year"])


def penetration_onset_sample(panel: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Estimation sample of the instruments-on-onset model.

    Parameters
    ----------
    panel : pandas.DataFrame
        Directed dyad-year panel from :func:`walt_alliances.analysis.designs.build_panel`.
    episodes : pandas.DataFrame
        The study's ``penetration`` table.

    Returns
    -------
    pandas.DataFrame
        ``onset``, ``pen_instrument_lag1``, ``pen_security_lag1`` (for description only), the
        controls, ``actor_a`` (target), ``actor_b`` (penetrator), ``year``, ``cluster``.
    """
    kinds = ("regional_state", "outside_power", "superpower")
    d = panel[panel["kind1"].isin(kinds).to_numpy() & panel["kind2"].isin(kinds).to_numpy()]
    d = d[["actor1", "actor2", "year", "aligned", "onset", "dyad", *CONTROLS]].copy()
    end = int(d["year"].max())
    for name, types in (("pen_instrument_lag1", INSTRUMENTS),
                        ("pen_security_lag1", SECURITY_COOPERATION)):
        ey = _episode_years(episodes[episodes["type"].astype(str).isin(types)], end)
        ey = ey.drop_duplicates(["actor1", "actor2", "year"]).assign(year=lambda x: x["year"] + 1)
        d = d.merge(ey[["actor1", "actor2", "year"]].assign(**{name: 1.0}),
                    on=["actor1", "actor2", "year"], how="left")
        d[name] = d[name].fillna(0.0)
    lag = d[["actor1", "actor2", "year", "aligned"]].assign(year=d["year"] + 1)
    d = d.merge(lag.rename(columns={"aligned": "aligned_lag1"}),
                on=["actor1", "actor2", "year"], how="left")
    d = d[(d["aligned_lag1"] == 0).fillna(False).to_numpy() & d["onset"].notna().to_numpy()]
    for c in CONTROLS:
        d[c] = d[c].astype("float64")
    d = d.dropna(subset=list(CONTROLS))
    out = d.rename(columns={"actor1": "actor_a", "actor2": "actor_b", "dyad": "cluster"})
    out["onset"] = out["onset"].astype("float64")
    cols = ["onset", "pen_instrument_lag1", "pen_security_lag1", *CONTROLS, "actor_a",
            "actor_b", "year", "cluster"]
    return out[cols].sort_values(["year", "actor_a", "actor_b"],
                                 kind="mergesort").reset_index(drop=True)


def _is(value: Any, target: int) -> bool:
    return bool(pd.notna(value) and value == target)


def penetration_events(panel: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Every coded penetration episode with its class and what followed for the pair.

    Returns
    -------
    pandas.DataFrame
        ``episode_id``, ``penetrator_id``, ``target_id``, ``type``, ``instrument`` (bool),
        ``first_year``, ``last_year`` (as counted), ``aligned_before`` (the pair aligned in the
        year before the episode began), ``onset_years`` (years of a new alignment of the pair
        from the year after the episode began to the year after it ended; ';'-joined),
        ``in_onset_sample`` (pair-years of the episode at risk in the onset sample).
    """
    end = int(panel["year"].max())
    key = panel.set_index(["actor1", "actor2", "year"])
    rows = []
    for r in episodes.sort_values("episode_id").itertuples(index=False):
        y0 = pd.Timestamp(r.start_first_day).year
        y1 = pd.Timestamp(r.end_last_day).year if not pd.isna(r.end_last_day) else y0
        y1c = min(y1, end)
        onsets, at_risk = [], 0
        for y in range(y0 + 1, y1c + 2):
            k = (r.target_id, r.penetrator_id, y)
            if k not in key.index:
                continue
            row = key.loc[k]
            prev = (r.target_id, r.penetrator_id, y - 1)
            if prev in key.index and _is(key.loc[prev, "aligned"], 0):
                at_risk += 1
            if _is(row["onset"], 1):
                onsets.append(str(y))
        before = (r.target_id, r.penetrator_id, y0 - 1)
        ab = key.loc[before, "aligned"] if before in key.index else pd.NA
        rows.append({"episode_id": r.episode_id, "penetrator_id": r.penetrator_id,
                     "target_id": r.target_id, "type": str(r.type),
                     "instrument": str(r.type) in INSTRUMENTS, "first_year": y0,
                     "last_year": y1c, "aligned_before": ab,
                     "onset_years": ";".join(onsets), "at_risk_years": at_risk})
    out = pd.DataFrame(rows)
    out["aligned_before"] = out["aligned_before"].astype("Int8")
    return out


def exposure_summary(sample: pd.DataFrame) -> dict[str, float]:
    """Exposed pair-years and onsets among them (is the instruments term estimable?)."""
    exp = sample["pen_instrument_lag1"] == 1
    return {"exposed": float(exp.sum()), "exposed_onsets": float(sample.loc[exp, "onset"].sum()),
            "onsets": float(sample["onset"].sum()), "n": float(len(sample)),
            "share_onset_exposed": float(np.nan if not exp.any()
                                         else sample.loc[exp, "onset"].mean())}
