"""A configurable dyadic threat index built on Walt's four sources of threat.

Walt (1987) names four sources of threat: aggregate power, geographic proximity, offensive
power and aggressive intentions. :func:`compute_threat` turns the shipped measures
(:func:`walt_alliances.measures.shipped.load_dyad_years`,
:func:`~walt_alliances.measures.shipped.load_state_years`)
into one score per directed dyad-year: **the threat j poses to i** (i = ``ccode1``, the
threatened state; j = ``ccode2``, the source of threat). The functional form and every constant
live in a frozen :class:`ThreatSpec`; the defaults are *our* choices, documented below, not
Walt's (he gives no formula).

Components (each in [0, 1], higher = more threatening)
------------------------------------------------------
``threat_power`` (aggregate power)
    ``"share"`` (default): j's share of the pair's CINC, ``cinc_j / (cinc_i + cinc_j)``.
    ``"cinc"``: j's CINC divided by the largest CINC among the states in the input that year.
``threat_proximity`` (geographic proximity)
    Distance decay ``0.5 ** (capdist_km / half_distance_km)`` (1 at distance 0, 0.5 at
    ``half_distance_km``) and/or a contiguity score by COW type (``contiguity_scores``, type 1
    land border first; 0 when not contiguous). ``"both"`` (default) takes the larger of the two.
``threat_offense`` (offensive power)
    j's military capability projected to i with a loss-of-strength gradient (Boulding):
    ``P = x_j * 0.5 ** (capdist_km / lsg_half_km)``, compared with i's own capability at home:
    ``P / (P + x_i)``, where ``x`` is military expenditure (default) or personnel.
``threat_intent`` (aggressive intentions)
    Hostile behaviour of j toward i in the previous five years (t-5..t-1):
    ``raw = mid_weight * (MIDs j initiated against i) + war_weight * (wars j initiated against
    i) + hostile_act_weight * (coded hostile acts by j against i)``, mapped to [0, 1) by
    ``1 - exp(-raw / intent_scale)``. Hostile acts (``datasets/hostile_acts.yaml``) are optional;
    without them the component reflects MIDs and wars only.

Index
-----
``"additive"`` (default): weighted mean ``sum(w_c * c) / sum(w_c)``; components compensate.
``"multiplicative"``: weighted geometric mean ``prod(c ** (w_c / sum(w)))``; every component is
necessary (no recorded hostility, or no power, means zero threat).

Missing values: with ``missing="propagate"`` (default) the index is missing if any component
with a positive weight is; with ``"available"`` it is computed from the available components
(weights renormalized), and missing only if none is available.

Common threat
-------------
:func:`common_threat` scores, for a pair (i, j), how much both are threatened by the same third
state: ``max over k != i, j of min(threat_k->i, threat_k->j)``, with the arg-max k. The minimum
says "both feel it"; the maximum picks the most shared threat (the balancing mechanism).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "COMPONENTS",
    "ThreatSpec",
    "common_threat",
    "compute_threat",
    "hostile_act_years",
]

#: Component columns, in the order of :attr:`ThreatSpec.weights`.
COMPONENTS: tuple[str, ...] = (
    "threat_power",
    "threat_proximity",
    "threat_offense",
    "threat_intent",
)

_KEYS = ["ccode1", "ccode2", "year"]


@dataclass(frozen=True)
class ThreatSpec:
    """Functional form and constants of the threat index.

    Parameters
    ----------
    form : {"additive", "multiplicative"}, default "additive"
        Weighted arithmetic mean or weighted geometric mean of the components.
    weights : tuple of 4 floats, default (1, 1, 1, 1)
        Weights of power, proximity, offense and intent (non-negative, not all zero).
    power : {"share", "cinc"}, default "share"
        j's share of the pair's CINC, or j's CINC relative to the year's largest in the input.
    proximity : {"both", "distance", "contiguity"}, default "both"
        Distance decay, contiguity score, or the larger of the two.
    half_distance_km : float, default 1000.0
        Capital distance at which the proximity decay is 0.5.
    contiguity_scores : tuple of 5 floats, default (1.0, 0.8, 0.6, 0.4, 0.2)
        Proximity score of COW contiguity types 1 (land) to 5 (<= 400 miles of water).
    offense_measure : {"milex", "milper"}, default "milex"
        Capability projected in the offense component.
    lsg_half_km : float, default 2000.0
        Loss-of-strength gradient: distance at which projected capability halves.
    mid_weight, war_weight, hostile_act_weight : float, default 1.0, 3.0, 1.0
        Weights of MIDs, wars and coded hostile acts j initiated against i in t-5..t-1.
    intent_scale : float, default 1.0
        Scale of the saturating map ``1 - exp(-raw / intent_scale)``; one MID gives 0.63.
    missing : {"propagate", "available"}, default "propagate"
        Missing-component policy of the index.

    Raises
    ------
    ValueError
        On an unknown option, a negative or all-zero weight, or a non-positive scale.
    """

    form: Literal["additive", "multiplicative"] = "additive"
    weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    power: Literal["share", "cinc"] = "share"
    proximity: Literal["both", "distance", "contiguity"] = "both"
    half_distance_km: float = 1000.0
    contiguity_scores: tuple[float, float, float, float, float] = (1.0, 0.8, 0.6, 0.4, 0.2)
    offense_measure: Literal["milex", "milper"] = "milex"
    lsg_half_km: float = 2000.0
    mid_weight: float = 1.0
    war_weight: float = 3.0
    hostile_act_weight: float = 1.0
    intent_scale: float = 1.0
    missing: Literal["propagate", "available"] = "propagate"

    def __post_init__(self) -> None:
        options = {
            "form": ("additive", "multiplicative"),
            "power": ("share", "cinc"),
            "proximity": ("both", "distance", "contiguity"),
            "offense_measure": ("milex", "milper"),
            "missing": ("propagate", "available"),
        }
        for name, allowed in options.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"ThreatSpec.{name} must be one of {allowed}, "
                                 f"got {getattr(self, name)!r}")  # fmt: skip
        if len(self.weights) != 4 or any(w < 0 for w in self.weights) or sum(self.weights) == 0:
            raise ValueError("ThreatSpec.weights: four non-negative numbers, not all zero")
        if len(self.contiguity_scores) != 5 or any(not 0 <= s <= 1 for s in self.contiguity_scores):
            raise ValueError("ThreatSpec.contiguity_scores: five numbers in [0, 1]")
        for name in ("half_distance_km", "lsg_half_km", "intent_scale"):
            if not getattr(self, name) > 0:
                raise ValueError(f"ThreatSpec.{name} must be positive")
        if min(self.mid_weight, self.war_weight, self.hostile_act_weight) < 0:
            raise ValueError("ThreatSpec: intent weights must be non-negative")


def hostile_act_years(acts: list[dict[str, object]], actor_ccodes: dict[str, int]) -> pd.DataFrame:
    """Expand coded hostile-act episodes into act-years for :func:`compute_threat`.

    Parameters
    ----------
    acts : list of dict
        Records as in ``datasets/hostile_acts.yaml``: at least ``actor`` and ``target``
        (actor ids) and ``start``/``end`` (partial dates ``"1955"``, ``"1955-10"``,
        ``"1955-10-20"``; ``end`` may be null = same year as ``start``).
    actor_ccodes : dict of str to int
        actor id -> COW code (from ``datasets/actors.yaml``). Acts whose actor or target has no
        COW code (non-state actors) are dropped: the threat index is defined between states.

    Returns
    -------
    pandas.DataFrame
        ``ccode_from`` (perpetrator), ``ccode_to`` (target), ``year`` (int64): one row per act
        and calendar year the episode touches. A campaign spanning four years therefore counts
        in each of them (act-years, not acts).
    """
    rows: list[tuple[int, int, int]] = []
    for act in acts:
        src, dst = actor_ccodes.get(str(act["actor"])), actor_ccodes.get(str(act["target"]))
        if src is None or dst is None:
            continue
        first = int(str(act["start"])[:4])
        last = int(str(act.get("end") or act["start"])[:4])
        rows.extend((src, dst, year) for year in range(first, last + 1))
    return pd.DataFrame(rows, columns=["ccode_from", "ccode_to", "year"], dtype="int64")


def _hostile_counts(hostile_acts: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    """Acts by j (``ccode_from``) against i (``ccode_to``) in t-5..t-1, aligned to ``keys``."""
    missing = {"ccode_from", "ccode_to", "year"} - set(hostile_acts.columns)
    if missing:
        raise ValueError(f"hostile_acts lacks columns {sorted(missing)}")
    acts = hostile_acts[["ccode_from", "ccode_to", "year"]].astype("int64")
    parts = []
    for lag in range(1, 6):
        parts.append(pd.DataFrame({"ccode1": acts["ccode_to"], "ccode2": acts["ccode_from"],
                                   "year": acts["year"] + lag}))  # fmt: skip
    counts = pd.concat(parts).value_counts().rename("n").reset_index()
    k = keys.astype("int64")
    merged = k.merge(counts, on=_KEYS, how="left")
    return merged["n"].fillna(0).to_numpy(dtype=float)


def combine_components(comps: np.ndarray, spec: ThreatSpec) -> np.ndarray:
    """Combine the four components (columns in :data:`COMPONENTS` order) into the index.

    The weights, functional form (``additive``: weighted mean; ``multiplicative``: weighted
    geometric mean, 0 when a weighted component is 0) and missing-value rule of ``spec``
    apply; a row with no usable weighted component is NaN.
    """
    w = np.asarray(spec.weights, dtype=float)
    used = w > 0
    cu, wu = comps[:, used], w[used]
    avail = ~np.isnan(cu)
    if spec.missing == "propagate":
        complete = avail.all(axis=1)
        weight = np.where(complete[:, None], wu[None, :], 0.0)
    else:
        weight = np.where(avail, wu[None, :], 0.0)
    wsum = weight.sum(axis=1)
    filled = np.where(avail, cu, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.form == "additive":
            index = (weight * filled).sum(axis=1) / wsum
        else:
            logs = np.where(weight > 0, np.log(np.where(filled > 0, filled, 1.0)), 0.0)
            has_zero = ((filled <= 0) & (weight > 0)).any(axis=1)
            index = np.where(has_zero, 0.0, np.exp((weight * logs).sum(axis=1) / wsum))
    out: np.ndarray = np.where(wsum > 0, index, np.nan)
    return out


def compute_threat(
    dyad_years: pd.DataFrame,
    state_years: pd.DataFrame,
    spec: ThreatSpec | None = None,
    *,
    hostile_acts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compute j's threat to i for every directed dyad-year.

    Parameters
    ----------
    dyad_years : pandas.DataFrame
        Directed dyad-years with ``ccode1`` (i, threatened), ``ccode2`` (j, source), ``year``,
        ``capdist_km``, ``contig``, ``mid_target_prev5`` and ``war_target_prev5`` (as in
        :func:`walt_alliances.measures.shipped.load_dyad_years`).
    state_years : pandas.DataFrame
        ``ccode``, ``year``, ``cinc`` and the ``spec.offense_measure`` column (``milex`` or
        ``milper``).
    spec : ThreatSpec, optional
        Form and constants; default ``ThreatSpec()``.
    hostile_acts : pandas.DataFrame, optional
        Coded hostile acts, one row per act-year, with ``ccode_from`` (perpetrator), ``ccode_to``
        (target) and ``year``. Omitted: intent uses MIDs and wars only.

    Returns
    -------
    pandas.DataFrame
        Same rows and order as ``dyad_years``: ``ccode1``, ``ccode2``, ``year``, the four
        components (:data:`COMPONENTS`) and ``threat_index``, all float64 in [0, 1] with NaN
        where missing. ``attrs["threat_spec"]`` holds the spec as a dict and
        ``attrs["hostile_acts_used"]`` whether hostile acts were given.

    Raises
    ------
    ValueError
        If required columns are missing or (ccode, year) repeats in ``state_years``.

    Examples
    --------
    >>> import pandas as pd
    >>> dy = pd.DataFrame({"ccode1": [1], "ccode2": [2], "year": [1960], "capdist_km": [0],
    ...                    "contig": [1], "mid_target_prev5": [0], "war_target_prev5": [0]})
    >>> sy = pd.DataFrame({"ccode": [1, 2], "year": [1960, 1960], "cinc": [0.1, 0.3],
    ...                    "milex": [100, 300]})
    >>> compute_threat(dy, sy)[["threat_power", "threat_offense", "threat_index"]].round(4)
       threat_power  threat_offense  threat_index
    0          0.75            0.75         0.625
    """
    spec = spec if spec is not None else ThreatSpec()
    need_d = {*_KEYS, "capdist_km", "contig", "mid_target_prev5", "war_target_prev5"}
    need_s = {"ccode", "year", "cinc", spec.offense_measure}
    for name, frame, need in (
        ("dyad_years", dyad_years, need_d),
        ("state_years", state_years, need_s),
    ):
        lacking = need - set(frame.columns)
        if lacking:
            raise ValueError(f"{name} lacks columns {sorted(lacking)}")
    if state_years.duplicated(["ccode", "year"]).any():
        raise ValueError("state_years has repeated (ccode, year) rows")

    x = spec.offense_measure
    sy = state_years[["ccode", "year", "cinc", x]].copy()
    sy["cinc"] = pd.to_numeric(sy["cinc"]).astype("float64")
    sy[x] = sy[x].astype("Float64").astype("float64")
    keys = dyad_years[_KEYS].copy()
    d = keys.merge(sy.rename(columns={"ccode": "ccode1", "cinc": "cinc_i", x: "x_i"}),
                   on=["ccode1", "year"], how="left")  # fmt: skip
    d = d.merge(sy.rename(columns={"ccode": "ccode2", "cinc": "cinc_j", x: "x_j"}),
                on=["ccode2", "year"], how="left")  # fmt: skip

    def num(col: str) -> np.ndarray:
        return pd.to_numeric(dyad_years[col]).astype("Float64").astype("float64").to_numpy()

    dist = num("capdist_km")
    contig = num("contig")
    cinc_i, cinc_j = d["cinc_i"].to_numpy(), d["cinc_j"].to_numpy()
    x_i, x_j = d["x_i"].to_numpy(), d["x_j"].to_numpy()

    with np.errstate(divide="ignore", invalid="ignore"):
        # aggregate power
        if spec.power == "share":
            power = cinc_j / (cinc_i + cinc_j)
        else:
            year_max = sy.groupby("year")["cinc"].max()
            power = cinc_j / d["year"].map(year_max).to_numpy(dtype=float)
        power = np.where(np.isfinite(power), power, np.nan)

        # proximity
        decay = 0.5 ** (dist / spec.half_distance_km)
        scores = np.array([0.0, *spec.contiguity_scores])
        ok = ~np.isnan(contig) & (contig >= 0) & (contig <= 5)
        cscore = np.full(contig.shape, np.nan)
        cscore[ok] = scores[contig[ok].astype(int)]
        if spec.proximity == "distance":
            proximity = decay
        elif spec.proximity == "contiguity":
            proximity = cscore
        else:
            proximity = np.where(np.isnan(decay) | np.isnan(cscore), np.nan,
                                 np.maximum(decay, cscore))  # fmt: skip

        # offensive power: j's capability projected over distance vs i's at home
        projected = x_j * 0.5 ** (dist / spec.lsg_half_km)
        offense = projected / (projected + x_i)
        offense = np.where(np.isfinite(offense), offense, np.nan)

        # aggressive intentions
        raw = spec.mid_weight * num("mid_target_prev5") + spec.war_weight * num("war_target_prev5")
        if hostile_acts is not None:
            raw = raw + spec.hostile_act_weight * _hostile_counts(hostile_acts, keys)
        intent = 1.0 - np.exp(-raw / spec.intent_scale)

    comps = np.column_stack([power, proximity, offense, intent])
    index = combine_components(comps, spec)

    out = keys.reset_index(drop=True)
    for name, values in zip(COMPONENTS, comps.T, strict=True):
        out[name] = values.astype("float64")
    out["threat_index"] = index.astype("float64")
    out.index = dyad_years.index
    out.attrs["threat_spec"] = asdict(spec)
    out.attrs["hostile_acts_used"] = hostile_acts is not None
    return out


def common_threat(threat: pd.DataFrame, column: str = "threat_index") -> pd.DataFrame:
    """Score how much each pair (i, j) is threatened by the same third state k.

    Parameters
    ----------
    threat : pandas.DataFrame
        Output of :func:`compute_threat` (rows (a, k, t): threat of k to a), or any frame with
        ``ccode1``, ``ccode2``, ``year`` and ``column``.
    column : str, default "threat_index"
        Threat column to combine (a component name also works).

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair present as threatened states in a year, in both orders
        (symmetric), sorted by ``ccode1``, ``ccode2``, ``year``: ``common_threat`` =
        ``max over k != i, j of min(threat_k->i, threat_k->j)`` (float64; pairs with no k
        observed for both are absent) and ``common_threat_source`` (``Int64``: the arg-max k;
        ties go to the smallest COW code).

    Notes
    -----
    Only k observed as a source for both i and j in the input count; a third state that
    threatens i but not j (e.g. because j does not exist that year) contributes nothing.
    """
    codes, years, best, arg = common_threat_dense(threat, [column])
    ii, jj, yy, vals, src = _dense_rows(codes, years, best[0], arg[0])
    parts = [pd.DataFrame({"ccode1": ii, "ccode2": jj, "year": yy, "common_threat": vals,
                           "common_threat_source": src})] if len(ii) else []
    cols = ["ccode1", "ccode2", "year", "common_threat", "common_threat_source"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c != "common_threat" else "float64")
                             for c in cols})
    out = parts[0]
    out = pd.DataFrame({
        "ccode1": out["ccode1"].astype("Int64").to_numpy(),
        "ccode2": out["ccode2"].astype("Int64").to_numpy(),
        "year": out["year"].astype("Int64").to_numpy(),
        "common_threat": out["common_threat"].astype("float64").to_numpy(),
        "common_threat_source": out["common_threat_source"].astype("Int64").to_numpy(),
    })
    return out.reset_index(drop=True)


def _dense_rows(codes: np.ndarray, years: np.ndarray, best: np.ndarray, arg: np.ndarray
                ) -> tuple[np.ndarray, ...]:
    """Rows (i, j, year) of a dense common-threat array with a finite score, sorted."""
    yi, ii, jj = np.nonzero(np.isfinite(best))
    keep = ii != jj
    yi, ii, jj = yi[keep], ii[keep], jj[keep]
    order = np.lexsort((yi, jj, ii))  # by ccode1, ccode2, year (codes and years are sorted)
    yi, ii, jj = yi[order], ii[order], jj[order]
    return (codes[ii], codes[jj], years[yi], best[yi, ii, jj], codes[arg[yi, ii, jj]])


def common_threat_dense(threat: pd.DataFrame, columns: list[str],
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Common threat of every pair and year as dense arrays, for several threat columns at once.

    Returns ``(codes, years, best, arg)``: the sorted COW codes and years of ``threat``, and for
    each column ``c`` of ``columns`` ``best[c, y, i, j]`` = max over k != i, j of
    min(threat k->codes[i], threat k->codes[j]) in ``years[y]`` (``-inf`` where no k is observed
    for both) and ``arg[c, y, i, j]`` the position in ``codes`` of the arg-max k (the smallest
    COW code among ties). :func:`common_threat` gives the same as a long table.
    """
    a = threat["ccode1"].to_numpy(dtype="int64")
    k = threat["ccode2"].to_numpy(dtype="int64")
    yr = threat["year"].to_numpy(dtype="int64")
    codes = np.unique(np.concatenate([a, k]))
    years = np.unique(yr)
    n, ny = len(codes), len(years)
    ai, ki, yi = np.searchsorted(codes, a), np.searchsorted(codes, k), np.searchsorted(years, yr)
    best = np.full((len(columns), ny, n, n), -np.inf)
    arg = np.zeros((len(columns), ny, n, n), dtype=np.int64)
    idx = np.arange(n)
    # years per block so that the (years, k, i, j) array stays small
    block = max(1, 4_000_000 // max(1, n * n * n))
    for c, column in enumerate(columns):
        v = threat[column].to_numpy(dtype="float64", na_value=np.nan)
        ok = ~np.isnan(v)
        # T[y, k, a] = threat of k to a (-inf where not observed)
        T = np.full((ny, n, n), -np.inf)
        T[yi[ok], ki[ok], ai[ok]] = v[ok]
        T[:, idx, idx] = -np.inf  # k == a never counts
        for y0 in range(0, ny, block):
            t = T[y0:y0 + block]
            M = np.minimum(t[:, :, :, None], t[:, :, None, :])  # [y, k, i, j]
            M[:, idx, idx, :] = -np.inf  # k == i
            M[:, idx, :, idx] = -np.inf  # k == j
            best[c, y0:y0 + block] = M.max(axis=1)
            arg[c, y0:y0 + block] = M.argmax(axis=1)
    return codes, years, best, arg
