"""Aid (H4) timing: whether aid comes before alignment or after it.

Walt argues that aid mostly follows alignment. Two designs test the timing directly, for each
superpower donor D (the USA and the USSR) and the regional states as recipients.

Event study (:func:`event_study`)
    Recipient-years, 1955 to the end of the coded period. Event: the recipient's first
    alignment onset with D in the period. Event-time indicators k = -5..+5 (k = -1 is the
    reference; years further out are binned into -5 and +5), recipient and year fixed effects,
    OLS with errors clustered by recipient and a t reference on G-1 degrees of freedom.
    Reported besides each k: ``pre_rise`` = aid in the year before the onset minus the mean
    of years -5..-2 (minus the mean of their coefficients: aid building up before the
    alignment, what aid-as-a-cause predicts) and ``post_rise`` = the mean of years 0..5 minus
    the year before (the mean of their coefficients: aid after the alignment, what Walt
    predicts).

Inference with few (treated) clusters
    21 recipients, of which 9 align with the USA and 5 with the USSR: a cluster-robust t on
    G-1 degrees of freedom over-rejects badly with so few treated clusters (MacKinnon & Webb
    2017, 2018). Every term and contrast of the OLS models (the event studies and the aid
    equation of the cross-lagged models) is therefore also tested by the restricted wild
    cluster bootstrap (:func:`walt_alliances.analysis.inference.wild_cluster_bootstrap`: the
    null imposed, Webb's six-point weights by recipient, 999 seeded draws, symmetric p-value
    on the t statistic, interval by test inversion): rows with ``se_type``
    ``wild_cluster_bootstrap`` (:data:`WILD_SE`) beside the ``cluster_recipient`` ones, same
    estimate, standard error and t, the bootstrap's ``p_value``, ``ci_low`` and ``ci_high``,
    no ``df``. The bootstrap p-value is the primary one for their key terms (Holm family and
    verdict; ``run._PRIMARY``). With 999 draws a p-value near 0.02 carries a Monte Carlo
    standard error of about 0.005. The alignment equation of the cross-lagged models is a
    logit and keeps its cluster-robust inference.

Cross-lagged model (:func:`cross_lagged`)
    Dyad-years of recipient i and donor D: aid in *t* on alignment in *t-1* (and aid in *t-1*,
    recipient and year fixed effects; OLS, clustered by recipient), and alignment in *t* on aid
    in *t-1* (and alignment in *t-1*; logit clustered by recipient).

Outcomes
    US aid: log(1 + US economic and military aid obligations in millions of constant USD)
    (Greenbook). Soviet aid: 1 if a coded Soviet aid record is active in *t*
    (``datasets/soviet_aid.yaml``). The Soviet codings cover only what public sources we found
    record, so a year without a coded record is *unknown*, not "no aid": the Soviet models are
    run twice, as a bound. ``soviet_aid_lower`` sets unrecorded years to 0 (only coded aid
    existed); ``soviet_aid_upper`` sets the year before the recipient's first Soviet alignment
    onset to 1 when nothing is recorded for it: unrecorded aid arriving just before each
    alignment, the most aid-before-alignment the codings cannot rule out (the upper bound of
    ``pre_rise``).

    Arms deliveries (SIPRI, 1955-1979, :func:`sipri_arms`; :mod:`walt_alliances.sources.arms`):
    ``log_us_arms_tiv`` = log(1 + TIV of US deliveries, SIPRI's US export table) for the USA;
    ``log_other_arms_tiv`` = log(1 + TIV delivered by suppliers other than the US, the UK,
    France and West Germany) for the USSR: all-supplier imports minus the US table and the
    three registers (deals split equally over their years of delivery), floored at 0. It is a
    **proxy** for Soviet-bloc deliveries, not Soviet deliveries: no Soviet register is at hand,
    and Gannon's supplier file records Soviet deliveries as 0. Checked for 1970-1979 against
    Gannon's other suppliers: for Egypt, Syria, Iraq, Libya and Algeria the suppliers Gannon
    can see outside the Soviet bloc (Italy, China, ...) make 1-5% of the residual; for
    recipients armed by the West (Israel, Jordan, Saudi Arabia, Iran, Turkey) the residual is
    small (2-12% of their imports) and Gannon puts a third or more of it with non-Soviet
    suppliers, so its movements there are not Soviet arms. Recipients with no SIPRI row are
    missing, not 0. The US arms models are robustness variants of the US aid
    models (:data:`ARMS_VARIANTS`); the proxy's models have no key term (no verdict).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from walt_alliances.analysis.inference import wild_cluster_bootstrap
from walt_alliances.errors import RawDataError
from walt_alliances.sources.arms import arms_state_years
from walt_alliances.sources.shipped import Sources

from ._rows import coef_rows

__all__ = ["ARMS_VARIANTS", "EVENT_WINDOW", "WILD_SE", "aid_panel", "arms_note",
           "cross_lagged", "event_study", "event_study_rows", "sipri_arms", "wild_rows"]

EVENT_WINDOW = 5
DONOR_OUTCOMES = {"USA": ("log_us_aid", "log_us_arms_tiv"),
                  "RUS": ("soviet_aid_lower", "soviet_aid_upper", "log_other_arms_tiv")}
#: Outcomes reported without a key term (the bound; the proxy).
NOT_KEY = ("soviet_aid_upper", "log_other_arms_tiv")
#: The US arms models are robustness variants of the US aid models (outside the Holm family).
ARMS_VARIANTS = {"h4_event_study_usa_log_us_arms_tiv": "h4_event_study_usa_log_us_aid",
                 "h4_crosslag_align_usa_log_us_arms_tiv": "h4_crosslag_align_usa_log_us_aid"}
#: ``se_type`` of the rows under the restricted wild cluster bootstrap (the OLS models' primary
#: inference: few clusters, fewer treated ones).
WILD_SE = "wild_cluster_bootstrap"
_LAGGED = ("aligned", "log_us_aid", "soviet_aid_lower", "soviet_aid_upper", "log_us_arms_tiv",
           "log_other_arms_tiv")


def sipri_arms(src: Sources | None = None) -> pd.DataFrame:
    """SIPRI arms deliveries by recipient state and year (US, UK, France, Germany, the rest).

    Parameters
    ----------
    src : Sources, optional
        Where the tables come from (default: the package's shipped tables, offline).

    Returns
    -------
    pandas.DataFrame
        :func:`walt_alliances.sources.arms.arms_state_years`: ``ccode``, ``year``,
        ``tiv_total``, ``tiv_us``, ``tiv_uk``, ``tiv_fr``, ``tiv_de``, ``tiv_other_raw``,
        ``tiv_other``, ``other_floored``.
    """
    src = src if src is not None else Sources()
    years = src.years("sipri_tiv_imports")
    if years is None:  # pragma: no cover - the reader always records the file's years
        raise RawDataError("source table sipri_tiv_imports has no year coverage")
    return arms_state_years(src.table("sipri_tiv_imports", copy=False),
                            src.table("sipri_us_exports", copy=False),
                            src.table("sipri_registers_west", copy=False), years,
                            states=src.table("cow_states", copy=False))


def aid_panel(panel: pd.DataFrame, arms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recipient-donor-years (regional state i, superpower j) with aid and alignment.

    Parameters
    ----------
    panel : pandas.DataFrame
        The directed dyad-year panel (``ccode1`` is needed when ``arms`` is given).
    arms : pandas.DataFrame, optional
        :func:`sipri_arms` (``ccode``, ``year``, ``tiv_us``, ``tiv_other``). Omitted, the arms
        outcomes are missing and their models are skipped.

    Returns
    -------
    pandas.DataFrame
        ``actor_a`` (recipient), ``actor_b`` (donor), ``year``, ``aligned``, ``onset``,
        ``ccode_a`` (the recipient's COW code, with ``arms``), ``log_us_aid`` and
        ``log_us_arms_tiv`` (USA rows), ``soviet_aid_lower``, ``soviet_aid_upper`` and
        ``log_other_arms_tiv`` (USSR rows), and their values in *t-1* (``*_lag1``),
        ``aligned_lag1``.
    """
    d = panel[(panel["kind1"] == "regional_state").to_numpy()
              & panel["actor2"].isin(("USA", "RUS")).to_numpy()]
    tiv = pd.DataFrame({"tiv_us": np.nan, "tiv_other": np.nan}, index=d.index)
    if arms is not None:
        key = pd.MultiIndex.from_arrays([d["ccode1"].astype("Float64").astype("float64"),
                                         d["year"].astype("float64")])
        a = arms.set_index([arms["ccode"].astype("float64"), arms["year"].astype("float64")])
        tiv = a[["tiv_us", "tiv_other"]].reindex(key).set_axis(d.index)
    d = d[["actor1", "actor2", "year", "aligned", "onset", "aid_us_oblig_constant",
           "aid_soviet"]].rename(columns={"actor1": "actor_a", "actor2": "actor_b"}).copy()
    if arms is not None:
        d["ccode_a"] = key.get_level_values(0).to_numpy()
    d["log_us_arms_tiv"] = np.log1p(tiv["tiv_us"]).where(d["actor_b"] == "USA")
    d["log_other_arms_tiv"] = np.log1p(tiv["tiv_other"]).where(d["actor_b"] == "RUS")
    us = d["aid_us_oblig_constant"].astype("Float64").astype("float64")
    d["log_us_aid"] = np.log1p(us / 1e6).where(d["actor_b"] == "USA")
    sov = d["aid_soviet"].astype("Float64").astype("float64")
    is_rus = d["actor_b"] == "RUS"
    d["soviet_aid_lower"] = sov.where(is_rus)
    first = d[is_rus & (d["onset"] == 1)].groupby("actor_a")["year"].min()
    to_onset = d["actor_a"].map(first) - d["year"]
    pre = is_rus & (to_onset == 1)
    d["soviet_aid_upper"] = sov.where(~(pre & (sov == 0)), 1.0).where(is_rus)
    d["aligned"] = d["aligned"].astype("float64")
    d["onset"] = d["onset"].astype("float64")
    d = d.drop(columns=["aid_us_oblig_constant", "aid_soviet"])
    d = d.sort_values(["actor_b", "actor_a", "year"], kind="mergesort").reset_index(drop=True)
    g = d.groupby(["actor_b", "actor_a"], sort=False)
    consecutive = g["year"].shift(1) == d["year"] - 1
    for c in _LAGGED:
        d[f"{c}_lag1"] = g[c].shift(1).where(consecutive)
    return d


def arms_note(aid: pd.DataFrame, arms: pd.DataFrame) -> str:
    """A note on the arms proxy over the USSR rows of the aid panel (recipient-years).

    Parameters
    ----------
    aid : pandas.DataFrame
        :func:`aid_panel` built with ``arms`` (``ccode_a``).
    arms : pandas.DataFrame
        :func:`sipri_arms`.

    Returns
    -------
    str
        How many recipient-years have the proxy, in how many the residual was negative and set
        to 0, and the TIV so removed against the all-supplier total.
    """
    rus = aid[(aid["actor_b"] == "RUS").to_numpy()]
    key = pd.MultiIndex.from_arrays([rus["ccode_a"].astype("float64"),
                                     rus["year"].astype("float64")])
    a = arms.set_index([arms["ccode"].astype("float64"), arms["year"].astype("float64")])
    a = a.reindex(key).dropna(subset=["tiv_total"])
    return (f"log_other_arms_tiv (proxy for Soviet-bloc deliveries: SIPRI all-supplier imports "
            f"minus US, UK, French and West German deliveries, floored at 0): observed in "
            f"{len(a)} of {len(rus)} recipient-years; negative and set to 0 in "
            f"{int(a['other_floored'].sum())} ({-a['tiv_other_raw'].clip(upper=0).sum():.0f} "
            f"of {a['tiv_total'].sum():.0f} TIV); the proxy holds "
            f"{a['tiv_other'].sum():.0f} TIV")


def _event_terms() -> list[str]:
    return [f"event_{'m' if k < 0 else 'p'}{abs(k)}" for k in range(-EVENT_WINDOW,
                                                                   EVENT_WINDOW + 1) if k != -1]


def _rise_weights(names: list[str]) -> dict[str, np.ndarray]:
    """Weights of ``pre_rise`` and ``post_rise`` over the coefficients ``names``.

    Over the estimable event times only; a contrast with none is left out.
    """
    out = {}
    for label, ks, sign in (("pre_rise", range(-EVENT_WINDOW, -1), -1.0),
                            ("post_rise", range(0, EVENT_WINDOW + 1), 1.0)):
        w = np.zeros(len(names))
        have = [f"event_{'m' if kk < 0 else 'p'}{abs(kk)}" for kk in ks]
        have = [h for h in have if h in names]
        if not have:
            continue
        for h in have:
            w[names.index(h)] = sign / len(have)
        out[label] = w
    return out


def wild_rows(rows: list[dict[str, Any]], res: Any, clusters: Any,
              vectors: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """Rows under the restricted wild cluster bootstrap beside cluster-robust OLS rows.

    Parameters
    ----------
    rows : list of dict
        ``results.csv`` rows of one OLS model under ``cluster_recipient``.
    res : statsmodels OLS results
        The fit behind them (``model.exog``, ``model.endog``).
    clusters : array_like
        The cluster of each observation of the fit.
    vectors : dict of str to numpy.ndarray
        Term of each row to test -> its linear combination of the fit's coefficients.

    Returns
    -------
    list of dict
        One row per tested term, ``se_type`` :data:`WILD_SE`: ``estimate``, ``std_error`` and
        ``statistic`` of the cluster-robust row, ``p_value`` and ``ci_low``/``ci_high`` of the
        restricted wild cluster bootstrap
        (:func:`~walt_alliances.analysis.inference.wild_cluster_bootstrap`: H0 term = 0
        imposed, Webb weights by recipient, 999 seeded draws; the interval by test
        inversion), ``df`` missing (no t reference).
    """
    terms = [r["term"] for r in rows if r["term"] in vectors]
    if not terms:
        return []
    tests = dict(zip(terms, wild_cluster_bootstrap(
        res.model.exog, res.model.endog, clusters, np.array([vectors[t] for t in terms])),
        strict=True))
    out = []
    for r in rows:
        t = tests.get(r["term"])
        if t is None:
            continue
        out.append({**r, "se_type": WILD_SE, "df": float("nan"), "p_value": t.p_value,
                    "ci_low": t.ci_low, "ci_high": t.ci_high})
    return out


def event_study(aid: pd.DataFrame, donor: str, outcome: str) -> tuple[pd.DataFrame, Any,
                                                                        pd.DataFrame]:
    """Event study of aid around the recipient's first alignment onset with ``donor``.

    Returns
    -------
    (sample, fit, contrasts)
        The estimation sample (``y``, event terms, fixed-effect dummies are not saved;
        ``actor_a``, ``actor_b``, ``year``, ``cluster`` = recipient, ``event_year``), the
        statsmodels OLS fit (errors clustered by recipient) and a frame with ``pre_rise`` and
        ``post_rise`` (estimate, std_error, df) over the event times that are estimable (an
        event time no recipient reaches within the outcome's years is left out).
    """
    d = aid[(aid["actor_b"] == donor).to_numpy()].dropna(subset=[outcome]).copy()
    first = d[d["onset"] == 1].groupby("actor_a")["year"].min()
    d["event_year"] = d["actor_a"].map(first)
    k = (d["year"] - d["event_year"]).clip(-EVENT_WINDOW, EVENT_WINDOW)
    for name, kk in zip(_event_terms(), [k for k in range(-EVENT_WINDOW, EVENT_WINDOW + 1)
                                         if k != -1], strict=True):
        d[name] = (k == kk).astype("float64").fillna(0.0)
    # event times no recipient reaches inside the outcome's years are not estimable
    terms = [t for t in _event_terms() if d[t].any()]
    fe_a = pd.get_dummies(d["actor_a"].astype(str), prefix="fe", drop_first=True,
                          dtype="float64")
    fe_y = pd.get_dummies(d["year"], prefix="yr", drop_first=True, dtype="float64")
    X = pd.concat([d[terms], fe_a, fe_y], axis=1)
    X = sm.add_constant(X, has_constant="add")
    y = d[outcome].to_numpy(dtype="float64")
    groups = pd.factorize(d["actor_a"])[0]
    res = sm.OLS(y, X.to_numpy(dtype="float64")).fit(
        method="qr", cov_type="cluster", cov_kwds={"groups": groups, "df_correction": True})
    names = list(X.columns)
    G = int(groups.max() + 1)
    cov = np.asarray(res.cov_params())
    b = np.asarray(res.params)
    rows = []
    for label, w in _rise_weights(names).items():
        est, se = float(w @ b), float(np.sqrt(w @ cov @ w))
        rows.append({"term": label, "estimate": est, "std_error": se, "df": G - 1})
    sample = pd.DataFrame({"y": y, **{t: d[t].to_numpy() for t in terms},
                           "actor_a": d["actor_a"].to_numpy(), "actor_b": d["actor_b"].to_numpy(),
                           "year": d["year"].to_numpy(), "cluster": d["actor_a"].to_numpy(),
                           "event_year": d["event_year"].to_numpy()})
    return sample, res, pd.DataFrame(rows)


def event_study_rows(aid: pd.DataFrame) -> tuple[list[dict[str, Any]], dict[str, pd.DataFrame],
                                                 list[str]]:
    """``results.csv`` rows of every donor's event study, their samples, and notes."""
    rows: list[dict[str, Any]] = []
    samples: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    for donor, outcomes in DONOR_OUTCOMES.items():
        for outcome in outcomes:
            if not _observed(aid, donor, outcome):
                continue
            mid = f"h4_event_study_{donor.lower()}_{outcome}"
            sample, res, contrasts = event_study(aid, donor, outcome)
            n_events = int(sample["event_year"].notna().groupby(sample["actor_a"]).any().sum())
            G = int(sample["cluster"].nunique())
            terms = [t for t in _event_terms() if t in sample.columns]
            names = ["const", *terms]
            params = {t: float(res.params[i]) for i, t in enumerate(names)}
            bse = {t: float(res.bse[i]) for i, t in enumerate(names)}
            params.pop("const")
            bse.pop("const")
            for c in contrasts.itertuples(index=False):
                params[c.term], bse[c.term] = c.estimate, c.std_error
            cr = coef_rows(model_id=mid, hypothesis="H4", outcome=outcome,
                           unit="recipient-year", params=params, bse=bse,
                           se_type="cluster_recipient", df=G - 1,
                           expected={} if outcome in NOT_KEY else {"pre_rise": +1},
                           n=len(sample), events=n_events,
                           n_clusters=G, loglik=float(res.llf), method="event_study")
            k = int(res.model.exog.shape[1])
            vectors = {t: np.eye(k)[i + 1] for i, t in enumerate(terms)}
            vectors.update(_rise_weights([*names, *[""] * (k - len(names))]))
            wild = wild_rows(cr, res, sample["cluster"].to_numpy(), vectors)
            rows += cr + wild
            samples[mid] = sample
            cr_p = {r["term"]: r["p_value"] for r in cr}
            wild_p = {r["term"]: r["p_value"] for r in wild}
            notes.append(f"{mid}: {n_events} recipients with an onset with {donor}; "
                         + ", ".join(f"{c} {params[c]:.3f} (p {_fmt_p(cr_p[c])} cluster-robust, "
                                     f"{_fmt_p(wild_p.get(c, np.nan))} wild cluster bootstrap)"
                                     for c in ("pre_rise", "post_rise") if c in params))
    return rows, samples, notes


def cross_lagged(aid: pd.DataFrame) -> tuple[list[dict[str, Any]], dict[str, pd.DataFrame]]:
    """Cross-lagged models for each donor (module docstring): rows and samples."""
    rows: list[dict[str, Any]] = []
    samples: dict[str, pd.DataFrame] = {}
    for donor, outcomes in DONOR_OUTCOMES.items():
        for outcome in outcomes:
            if not _observed(aid, donor, outcome):
                continue
            d = aid[(aid["actor_b"] == donor).to_numpy()].dropna(
                subset=[outcome, f"{outcome}_lag1", "aligned", "aligned_lag1"]).copy()
            groups = pd.factorize(d["actor_a"])[0]
            G = int(groups.max() + 1)
            fe_a = pd.get_dummies(d["actor_a"].astype(str), prefix="fe", drop_first=True,
                                  dtype="float64")
            fe_y = pd.get_dummies(d["year"], prefix="yr", drop_first=True, dtype="float64")
            # aid on last year's alignment
            t1 = ["aligned_lag1", f"{outcome}_lag1"]
            X = sm.add_constant(pd.concat([d[t1], fe_a, fe_y], axis=1), has_constant="add")
            r1 = sm.OLS(d[outcome].to_numpy(dtype="float64"), X.to_numpy(dtype="float64")).fit(
                cov_type="cluster", cov_kwds={"groups": groups, "df_correction": True})
            mid = f"h4_crosslag_aid_{donor.lower()}_{outcome}"
            cr = coef_rows(model_id=mid, hypothesis="H4", outcome=outcome,
                           unit="directed-dyad-year",
                           params={t: float(r1.params[i + 1]) for i, t in enumerate(t1)},
                           bse={t: float(r1.bse[i + 1]) for i, t in enumerate(t1)},
                           se_type="cluster_recipient", df=G - 1, expected={},
                           n=len(d), events=int(d["aligned"].sum()), n_clusters=G,
                           loglik=float(r1.llf), method="cross_lagged_ols")
            k = X.shape[1]
            rows += cr + wild_rows(cr, r1, groups, {t: np.eye(k)[i + 1]
                                                    for i, t in enumerate(t1)})
            samples[mid] = _sample(d, outcome, t1)
            # alignment on last year's aid
            t2 = [f"{outcome}_lag1", "aligned_lag1"]
            X2 = sm.add_constant(d[t2].to_numpy(dtype="float64"), has_constant="add")
            mid2 = f"h4_crosslag_align_{donor.lower()}_{outcome}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    r2 = sm.Logit(d["aligned"].to_numpy(dtype="float64"), X2).fit(
                        disp=0, method="newton", cov_type="cluster",
                        cov_kwds={"groups": groups})
                except (np.linalg.LinAlgError, ValueError):  # perfect prediction
                    continue
            b, se = np.asarray(r2.params), np.asarray(r2.bse)
            if not np.all(np.isfinite(se)):
                continue
            rows += coef_rows(model_id=mid2, hypothesis="H4", outcome="aligned",
                              unit="directed-dyad-year",
                              params={t: float(b[i + 1]) for i, t in enumerate(t2)},
                              bse={t: float(se[i + 1]) for i, t in enumerate(t2)},
                              se_type="cluster_recipient", df=G - 1,
                              expected={} if outcome in NOT_KEY
                              else {f"{outcome}_lag1": +1}, n=len(d),
                              events=int(d["aligned"].sum()), n_clusters=G,
                              loglik=float(r2.llf), method="cross_lagged_logit",
                              sd={t: float(d[t].astype("float64").std()) for t in t2})
            samples[mid2] = _sample(d, "aligned", t2)
    return rows, samples


def _fmt_p(p: float) -> str:
    return "n/a" if not np.isfinite(p) else ("< 0.001" if p < 0.001 else f"{p:.3f}")


def _observed(aid: pd.DataFrame, donor: str, outcome: str) -> bool:
    """Whether the outcome is observed in any of the donor's rows (arms need ``sipri_arms``)."""
    return outcome in aid.columns and bool(
        aid.loc[(aid["actor_b"] == donor).to_numpy(), outcome].notna().any())


def _sample(d: pd.DataFrame, y: str, terms: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"y": d[y].to_numpy(dtype="float64"), "const": 1.0,
                         **{t: d[t].to_numpy(dtype="float64") for t in terms},
                         "actor_a": d["actor_a"].to_numpy(), "actor_b": d["actor_b"].to_numpy(),
                         "year": d["year"].to_numpy(), "cluster": d["actor_a"].to_numpy()})
