"""Threat sources outside the study's states: outside states and non-state actors.

Outside states
--------------
Several states of the region faced their main threat from a state the study does not model as
an actor: India for Pakistan, Spain for Morocco, China, Greece and Cyprus, Ethiopia,
Afghanistan. The shipped measures cover only the study's 26 states, so those threats are
invisible to every "most threatening state". :func:`outside_threats` rebuilds the measures
for the study's states plus :data:`OUTSIDE_STATES` from the source tables shipped with the
package, offline (or from raw datasets verified by sha256 when a folder is given;
:func:`walt_alliances.measures.build.build_tables`) and computes the threat index (default
specification, with the study's coded hostile acts) and its four components of each outside
state to each study state. The partner-choice design can then rank them among a state's threats
(``partner_attributes(..., outside_threats=...)``) and the balance-of-threat design can pick
one as the shared threat of a pair (``bop_bot_measures(..., outside_threats=...)``); they
enter the threat calculation only: never partners, never choosers, never members of a pair.
Coded hostile acts by outside states count in their intentions component like any other
(``datasets/hostile_acts.yaml``); otherwise it rests on MIDs and wars.

Which outside states count (:data:`SOURCE_RULE`, :func:`counts_as_source`)
---------------------------------------------------------------------------
An outside state counts as a threat source for state i in year t only where it borders i
(COW direct contiguity, types 1-5: a land or river border or up to 400 miles of water) or its
intentions component towards i is positive (MIDs or wars it initiated against i, or coded
hostile acts by it against i, in t-5..t-1). Our reading of balance of threat: a distant state
with no hostile record towards i is not a threat to i, however large its aggregate and
offensive power. The proximity *component* cannot carry the rule: its distance decay is
positive at any distance (China to Israel about 0.007), so "proximity positive" would keep
every outside state; contiguity is its part that is zero for distant states (types 1-5 are the
types the default index scores as proximate, ``ThreatSpec.contiguity_scores``; types 1-4 only,
up to 150 miles of water, would also drop Spain for Tunisia and Greece for Libya and Egypt).
Without the rule China was the shared threat of about a fifth of the pair-years of the
balance-of-threat models (Israel-USSR, Egypt-USSR, Jordan-USSR ...) through raw power and
offensive reach alone, the artifact the superpower split removes for the USSR. With it China
still threatens the USSR and Pakistan (borders) and the United States and Britain (its MIDs
against them), so it can be the shared threat of those pairs. The cases that motivate the
extension still count:
India, China and Afghanistan for Pakistan (contiguous; India and Afghanistan also by their
MIDs), Greece and Cyprus for Turkey, Ethiopia for Sudan, Saudi Arabia and the two Yemens,
Afghanistan for Iran, Spain for Morocco, Algeria and Tunisia. The rule is applied once, in
:func:`outside_threats`, so the partner-choice design and the balance-of-threat design rank
the same outside threats; non-state actors follow it too (no territory, so only their hostile
acts make them a source).

Non-state actors
----------------
A non-state actor (kind ``non_state``: the PLO, the KDP, the Dhofar rebels, the Yemeni
royalists) has no COW capabilities, capital or contiguity, and no MIDs. Its threat to a state
is built from the one thing the data record, its coded hostile acts against that state
(:func:`non_state_threat`; :data:`NON_STATE_SOURCE_RULE`). The shipped hostile acts
(``datasets/hostile_acts.yaml``) record none by or against a non-state actor, so with the
shipped data every non-state threat is 0 and no non-state actor is ever a shared threat; the
rule matters for added records (``--with``). The threat *to* a non-state actor, and so a pair
with a non-state member, cannot be built on the same footing as a state's (no capabilities
to compare, no capital for proximity or for the controls), so non-state actors enter the
balance-of-threat and duration designs as threat sources only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from walt_alliances.panels.study import Study

__all__ = ["NON_STATE_SOURCE_RULE", "OUTSIDE_STATES", "SOURCE_RULE", "THREAT_COLUMNS",
           "counts_as_source", "extra_threat_sources", "non_state_threat", "outside_threats",
           "study_threats", "threat_source_counts"]

#: The threat index and its components, in :data:`walt_alliances.measures.threat.COMPONENTS`
#: order after the index.
THREAT_COLUMNS: tuple[str, ...] = ("threat_index", "threat_power", "threat_proximity",
                                   "threat_offense", "threat_intent")

#: How a non-state actor's threat to a state is scored wherever it is a threat source.
NON_STATE_SOURCE_RULE = (
    "A non-state actor's threat to a state is the intentions component alone: its coded hostile "
    "acts against the state in t-5..t-1 (datasets/hostile_acts.yaml) through the index's "
    "saturating map 1 - exp(-hostile_act_weight * acts / intent_scale) (default ThreatSpec). "
    "It has no COW capabilities and no capital, so as the source of a shared threat its power, "
    "proximity and offense components count 0 and the threat index is its intent. It is a "
    "threat source only, never a member of a pair, and only towards a state it has acted "
    "against (intent > 0; SOURCE_RULE).")

#: When a source that is never a pair member counts as a threat to a state (module docstring).
SOURCE_RULE = (
    "An outside state counts as a threat source for state i in year t only where it borders i "
    "(COW direct contiguity types 1-5: land or river border, or up to 400 miles of water) or "
    "its intentions component towards i is positive (MIDs or wars it initiated against i, or "
    "coded hostile acts by it against i, in t-5..t-1): a distant state with no hostile record "
    "towards i is not a threat to i, however large its power. A non-state actor, with no "
    "territory, counts only where its coded hostile acts against i make its intent positive.")


def counts_as_source(contig: np.ndarray | pd.Series, intent: np.ndarray | pd.Series
                     ) -> np.ndarray:
    """Whether an outside source counts as a threat to a state (:data:`SOURCE_RULE`).

    Parameters
    ----------
    contig : array-like
        COW direct contiguity type of the source and the threatened state (0 none, 1 land or
        river border, 2-5 up to 12, 24, 150, 400 miles of water); missing counts as none.
    intent : array-like
        The source's intentions component towards the state (missing counts as 0).

    Returns
    -------
    ndarray of bool
        True where ``1 <= contig <= 5`` or ``intent > 0``.
    """
    c = np.asarray(contig, dtype=float)
    t = np.asarray(intent, dtype=float)
    with np.errstate(invalid="ignore"):
        out: np.ndarray = ((c >= 1) & (c <= 5)) | (t > 0)
    return out

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
        ``ccode2`` source, ``year``, components, ``threat_index``) and ``contig``, the COW
        direct contiguity type of the pair (0 none).

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
    th = compute_threat(dy, sy, hostile_acts=_hostile_act_years(study))
    keys = ["ccode1", "ccode2", "year"]
    contig = dy[[*keys, "contig"]].astype({"contig": "float64"})
    out = th.merge(contig, on=keys, how="left", validate="1:1")
    out["contig"] = out["contig"].fillna(0.0)
    return out


def outside_threats(study: Study, panel: pd.DataFrame, external_dir: str | None = None,
                    outside: dict[int, str] | None = None, *, rule: bool = True
                    ) -> pd.DataFrame:
    """Threats of the outside states to the study's states, keyed like the panel.

    Parameters
    ----------
    study : Study
        The study (its states, measure years and coded hostile acts).
    panel : pandas.DataFrame
        Its directed dyad-year panel (``actor1``, ``ccode1``, ``year``).
    external_dir : str, optional
        ``None`` (default): the source tables shipped with the package (offline). A folder:
        build from the raw datasets in it instead (each verified by sha256).
    outside : dict, optional
        COW code -> abbreviation of the outside states (default :data:`OUTSIDE_STATES`).
    rule : bool
        Keep only the rows where the outside state counts as a threat source
        (:data:`SOURCE_RULE`; default). ``False`` returns every row, for inspection.

    Returns
    -------
    pandas.DataFrame
        ``actor1`` (the threatened study state's actor id), ``actor2`` (the outside state,
        ``COW:<abbreviation>``), ``year``, ``threat_index``, then its four components
        ``threat_power``, ``threat_proximity``, ``threat_offense``, ``threat_intent`` (for the
        balance-of-threat source, whose components come from one state) and ``contig`` (COW
        contiguity type, 0 none); the panel's years only, rows with a threat index.
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
                        **{c: x[c].astype("float64").to_numpy()
                           for c in (*THREAT_COLUMNS, "contig")}})
    out = out.dropna(subset=["threat_index"])
    if rule:
        out = out[counts_as_source(out["contig"], out["threat_intent"])]
    return out.reset_index(drop=True)


def non_state_threat(acts: np.ndarray, spec: object | None = None) -> np.ndarray:
    """A non-state actor's threat to a state from its hostile acts (:data:`NON_STATE_SOURCE_RULE`).

    Parameters
    ----------
    acts : ndarray
        Coded hostile act-years of the non-state actor against the state in t-5..t-1 (the
        panel's ``hostile_by_j_prev5``); NaN stays NaN.
    spec : ThreatSpec, optional
        Its ``hostile_act_weight`` and ``intent_scale`` (default ``ThreatSpec()``).

    Returns
    -------
    ndarray
        ``1 - exp(-hostile_act_weight * acts / intent_scale)``, in [0, 1).
    """
    from walt_alliances.measures.threat import ThreatSpec

    sp = spec if isinstance(spec, ThreatSpec) else ThreatSpec()
    out: np.ndarray = 1.0 - np.exp(-sp.hostile_act_weight * np.asarray(acts, dtype=float)
                                   / sp.intent_scale)
    return out


def extra_threat_sources(panel: pd.DataFrame, *, non_state: bool = False,
                         outside_threats: pd.DataFrame | None = None) -> pd.DataFrame:
    """Threats to the study's states from sources that are never pair members.

    Parameters
    ----------
    panel : pandas.DataFrame
        Directed dyad-year panel (``kind1``, ``kind2``, ``hostile_by_j_prev5`` when
        ``non_state``).
    non_state : bool
        Add the non-state actors' threats to states (:data:`NON_STATE_SOURCE_RULE`), where
        they count as a source (:data:`SOURCE_RULE`: a positive intent).
    outside_threats : pandas.DataFrame, optional
        :func:`outside_threats` (with its components).

    Returns
    -------
    pandas.DataFrame
        ``actor1`` (threatened state), ``actor2`` (source), ``year`` and
        :data:`THREAT_COLUMNS` (float64); sorted by year, source and target.
    """
    cols = ["actor1", "actor2", "year", *THREAT_COLUMNS]
    parts = []
    if outside_threats is not None:
        lacking = [c for c in cols if c not in outside_threats]
        if lacking:
            raise KeyError(f"outside_threats lacks {lacking}: use outside.outside_threats()")
        parts.append(outside_threats[cols].astype({"actor1": str, "actor2": str}))
    if non_state:
        lacking = [c for c in ("kind1", "kind2", "hostile_by_j_prev5") if c not in panel]
        if lacking:
            raise KeyError(f"extra_threat_sources: the panel lacks {lacking}; build it with "
                           "walt_alliances.analysis.designs.build_panel()")
        states = ("regional_state", "outside_power", "superpower")
        ok = (panel["kind1"].isin(states) & (panel["kind2"] == "non_state")).to_numpy()
        d = panel[ok]
        acts = d["hostile_by_j_prev5"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        t = non_state_threat(acts)
        keep = counts_as_source(np.zeros(len(t)), t)  # no territory: intent alone
        d, t = d[keep], t[keep]
        zero = np.zeros(len(t))
        parts.append(pd.DataFrame({"actor1": d["actor1"].astype(str).to_numpy(),
                                   "actor2": d["actor2"].astype(str).to_numpy(),
                                   "year": d["year"].astype("int64").to_numpy(),
                                   "threat_index": t, "threat_power": zero,
                                   "threat_proximity": zero, "threat_offense": zero,
                                   "threat_intent": t}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("actor1", "actor2") else
                                          "int64" if c == "year" else "float64") for c in cols})
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["year", "actor2", "actor1"], kind="mergesort").reset_index(drop=True)


def threat_source_counts(study: Study, sources: pd.Series | np.ndarray,
                         outside: dict[int, str] | None = None) -> pd.DataFrame:
    """How often each outside state and non-state actor is the shared threat.

    Parameters
    ----------
    study : Study
        The study (its actors and coded hostile acts).
    sources : array-like
        ``bot_source`` of the ``_ext`` balance-of-threat sample (one entry per pair-year).
    outside : dict, optional
        COW code -> abbreviation of the outside states (default :data:`OUTSIDE_STATES`).

    Returns
    -------
    pandas.DataFrame
        One row per outside state and per non-state actor of the study: ``source`` (its id
        in ``bot_source``: ``COW:<abbreviation>`` or the actor id), ``name``, ``kind``
        (``outside_state`` or ``non_state``), ``pair_years`` (pair-years whose shared threat
        it is) and ``hostile_acts`` (coded hostile acts by or against it); outside states
        first, each kind by ``pair_years`` (descending), then ``source``.
    """
    outside = OUTSIDE_STATES if outside is None else outside
    actors = study["actors"]
    acts = study["hostile_acts"]
    n = pd.Series(np.asarray(sources, dtype=object)).astype(str).value_counts()
    involved = pd.concat([acts["actor_id"], acts["target_id"]]).astype(str)
    per_actor = involved.value_counts()
    cc = actors.dropna(subset=["ccode"])
    rows = []
    for code, abbr in outside.items():
        ids = cc.loc[cc["ccode"].astype(int) == code, "actor_id"].astype(str).tolist()
        names = cc.loc[cc["ccode"].astype(int) == code, "name"].astype(str).tolist()
        involving = int(((acts["actor_id"].astype(str).isin(ids))
                         | (acts["target_id"].astype(str).isin(ids))).sum())
        rows.append({"source": f"COW:{abbr}", "name": names[0] if names else abbr,
                     "kind": "outside_state", "pair_years": int(n.get(f"COW:{abbr}", 0)),
                     "hostile_acts": involving})
    ns = actors[actors["kind"] == "non_state"]
    for a, name in zip(ns["actor_id"].astype(str), ns["name"].astype(str), strict=True):
        rows.append({"source": a, "name": name, "kind": "non_state",
                     "pair_years": int(n.get(a, 0)), "hostile_acts": int(per_actor.get(a, 0))})
    out = pd.DataFrame(rows, columns=["source", "name", "kind", "pair_years", "hostile_acts"])
    out = out.astype({"pair_years": "int64", "hostile_acts": "int64"})
    out["_k"] = (out["kind"] != "outside_state").astype(int)
    out = out.sort_values(["_k", "pair_years", "source"], ascending=[True, False, True],
                          kind="mergesort")
    return out.drop(columns="_k").reset_index(drop=True)
