"""Coding uncertainty: the spread of each key estimate over coding resamples and threat specs.

Two sources of spread, reported separately in ``uncertainty.csv``:

``coding_resamples``
    ``draws`` resamples of the codings the key models rest on (seeded): each record is dropped
    with probability 0.5 if its confidence is ``low``, 0.2 if ``medium``, never if ``high``,
    in three tables:

    - alignments: alignment status, onsets and everything built on them (choice sets, at-risk
      sets, spells, peace years) are recomputed from the kept records;
    - hostile acts (``datasets/hostile_acts.yaml``): a dropped act no longer counts towards
      the intentions component, so the threat index, every "most threatening state" and the
      hostile-act columns are recomputed from the kept acts;
    - regime spells (``datasets/regimes.yaml``): a dropped spell's family is unknown (missing)
      for its years, so ``same_family``, ``pan_arab_pair`` and the spells' regime terms are
      recomputed and the pair-years without a family leave those models.

    Every key model is refitted on each draw (warm starts from the main estimates). The draws
    come in blocks of :data:`BLOCK_DRAWS`: a block draws the hostile acts and regime spells
    kept once (the panel's threat and regime columns are rebuilt once per block), and each
    draw within it draws the alignments kept. Each draw is still a draw from the same joint
    distribution, so the quantiles estimate the same spread; draws within a block share their
    hostile acts and regimes, which adds Monte Carlo error to that part (20 blocks for the
    default 200 draws). The coded threats and motives of each member (``threats.yaml``,
    ``motives.yaml``) enter the book's tallies but none of the models, so they cannot move a
    key estimate and are not resampled here; the aid and penetration codings (H4, H5) are
    not resampled either. Records are only dropped, never added or recoded, so this is a
    sensitivity to deletion: it shows how much a key estimate rests on the less certain
    codings, not the full error of the coding. A dropped alignment or hostile act counts as
    absent; a dropped regime spell as unknown, so its pair-years leave the models that need a
    regime family.
``threat_specs``
    Every threat-index specification of :func:`threat_specs`: additive and multiplicative
    forms, each with equal weights and with each of the four components left out in turn
    (10 specifications; the default is one of them).

For each key estimate: the 2.5%, 50% and 97.5% quantiles over the draws or specifications, and
the share with the same sign as the main estimate. A model whose estimate does not exist in a
draw is left out of that draw's quantiles: one that fails to converge, or whose data are
separated once records are dropped (for example no chosen partner left with a term's value,
so that the likelihood keeps rising as the term's coefficient goes to minus infinity). The
fitted weights of each draw certify that its estimate exists (Stiemke's lemma,
:func:`walt_alliances.analysis.estimation.stiemke_certified`); where they cannot, the linear
program of :func:`~walt_alliances.analysis.estimation.cone_separated` decides. ``draws``
counts the draws that entered.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from walt_alliances.analysis.estimation import (
    cone_separated,
    newton_logit,
    overlap_certified,
    stiemke_certified,
)
from walt_alliances.panels.study import Study

from . import bopbot, duration, ideology, partner
from .fastclogit import fit_fast_clogit, information
from .fastclogit import pair_certificate as clogit_pairs
from .fastcox import efron_cox
from .fastcox import pair_certificate as cox_pairs

__all__ = ["BLOCK_DRAWS", "DROP_PROBABILITY", "KEY_ESTIMATES", "coding_uncertainty",
           "recoded_panel", "threat_specs", "with_threat_spec"]

DROP_PROBABILITY = {"low": 0.5, "medium": 0.2, "high": 0.0}
#: Draws per block of the coding resamples (hostile acts and regimes drawn once per block).
BLOCK_DRAWS = 10
#: Panel columns rebuilt from the kept hostile acts and regime spells, by the verb that adds them.
_RECODED: dict[str, tuple[str, ...]] = {
    "add_threat": ("threat_power", "threat_proximity", "threat_offense", "threat_intent",
                   "threat_index", "common_threat", "common_threat_source",
                   "common_threat_power", "common_threat_proximity", "common_threat_offense",
                   "common_threat_intent"),
    "add_conflict": ("hostile_by_j", "hostile_by_j_prev5", "hostile_by_j_rev"),
    "add_ideology": ("family1", "family2", "ideo_same_family", "ideo_pan_arab_pair"),
}

#: model id -> key terms whose spread is reported.
KEY_ESTIMATES: dict[str, tuple[str, ...]] = {
    "partner_choice_state_year": ("shares_top_threat", "is_top_threat", "top_x_weak",
                                  "top_x_few"),
    "bop_redefined_aligned": ("bop_reg", "bop_sp"),
    "bot_redefined_aligned": ("bot_intent", "bot_superpower"),
    "bot_redefined_onset": ("bot_intent", "bot_superpower"),
    "bop_vs_bot_aligned": ("vuong_statistic_bic",),
    "h3_ideology_onset_regional": ("same_family", "pan_arab_pair"),
    "h3_duration_pair_alignment": ("pan_arab_pair", "threat_fading"),
}


def threat_specs() -> list[Any]:
    """The threat-index specifications varied (additive/multiplicative x component sets)."""
    from walt_alliances.measures.threat import ThreatSpec

    weights = [(1.0, 1.0, 1.0, 1.0)]
    for k in range(4):
        w = [1.0, 1.0, 1.0, 1.0]
        w[k] = 0.0
        weights.append((w[0], w[1], w[2], w[3]))
    return [ThreatSpec(form=f, weights=w) for f in ("additive", "multiplicative")
            for w in weights]


class _Realigner:
    """Alignment status of every panel row for any subset of the alignment records."""

    def __init__(self, panel: pd.DataFrame, study: Study) -> None:
        from walt_alliances.panels.verbs import alignment_dyad_years

        ad = alignment_dyad_years(study)
        keys = panel[["actor1", "actor2", "year"]].reset_index(drop=True)
        keys["_row"] = np.arange(len(keys))
        m = ad.merge(keys, on=["actor1", "actor2", "year"], how="inner")
        al = study["alignments"].sort_values("alignment_id")
        self.ids = al["alignment_id"].to_numpy()
        self.start = np.array([pd.Timestamp(x).year for x in al["start_first_day"]], float)
        size = study["memberships"].groupby("alignment_id")["actor_id"].nunique()
        self.size = size.reindex(self.ids).fillna(2).to_numpy()
        self.row = m["_row"].to_numpy()
        self.align = np.searchsorted(self.ids, m["alignment_id"].to_numpy())
        prev = keys.assign(year=keys["year"] + 1).rename(columns={"_row": "_prev"})
        pm = keys.merge(prev, on=["actor1", "actor2", "year"], how="left")
        self.prev = pm["_prev"].fillna(-1).astype(int).to_numpy()
        self.n = len(keys)
        self.covered = panel["aligned"].notna().to_numpy()
        self.onset_cov = panel["onset"].notna().to_numpy()

    def status(self, keep: np.ndarray) -> dict[str, np.ndarray]:
        """``aligned``, ``onset`` (NaN outside coverage), ``multilateral``, ``first_start``."""
        hit = keep[self.align]
        r, a = self.row[hit], self.align[hit]
        n_all = np.bincount(r, minlength=self.n)
        n_small = np.bincount(r[self.size[a] <= 2], minlength=self.n)
        al = n_all > 0
        was = np.where(self.prev >= 0, al[np.maximum(self.prev, 0)], False)
        first = np.full(self.n, np.inf)
        np.minimum.at(first, r, self.start[a])
        return {"aligned": np.where(self.covered, al.astype(float), np.nan),
                "onset": np.where(self.onset_cov, (al & ~was).astype(float), np.nan),
                "multilateral": ((n_all > 0) & (n_small == 0)).astype(float),
                "first_start": np.where(np.isfinite(first), first, np.nan)}


def _drop_p(table: pd.DataFrame) -> np.ndarray:
    return table["confidence"].astype(str).map(DROP_PROBABILITY).fillna(0.0).to_numpy()


def recoded_panel(panel: pd.DataFrame, study: Study, keep_acts: np.ndarray,
                  keep_regimes: np.ndarray, base: pd.DataFrame | None = None) -> pd.DataFrame:
    """The panel with its threat, hostile-act and regime columns rebuilt from kept codings.

    Parameters
    ----------
    panel : pandas.DataFrame
        The designs' panel (:func:`walt_alliances.analysis.designs.run.build_panel`).
    study : Study
        Its data.
    keep_acts, keep_regimes : numpy.ndarray of bool
        Which rows of ``study["hostile_acts"]`` and ``study["regimes"]`` are kept. A dropped
        hostile act is left out of the study; a dropped regime spell keeps its dates (so the
        regimes' coverage is unchanged) but its family becomes missing.
    base : pandas.DataFrame, optional
        ``create_dyad_years`` of the panel's years (made when not given).

    Returns
    -------
    pandas.DataFrame
        A copy of ``panel`` (same rows, same order) whose columns in :data:`_RECODED` come
        from the panel verbs run on the recoded study; the panel itself when nothing is
        dropped.

    Raises
    ------
    ValueError
        If the panel's threat index was built with a non-default specification (the
        recoded columns use the default) or its rows are not ``create_dyad_years``' rows.
    """
    from dataclasses import replace

    from walt_alliances.panels import verbs

    if keep_acts.all() and keep_regimes.all():
        return panel
    from dataclasses import asdict

    from walt_alliances.measures.threat import ThreatSpec

    spec = panel.attrs.get("walt_panel", {}).get("measures", {}).get("threat", {}).get("spec")
    if spec is not None and spec != asdict(ThreatSpec()):
        raise ValueError("recoded_panel: the panel's threat index has a non-default "
                         "specification; rebuild the panel with the default (the recoded "
                         "threat columns use it)")
    regimes = study["regimes"].copy()
    regimes["family"] = regimes["family"].where(keep_regimes)
    acts = study["hostile_acts"][keep_acts].reset_index(drop=True)
    sub = replace(study, tables={**study.tables, "hostile_acts": acts, "regimes": regimes})
    if base is None:
        base = verbs.create_dyad_years(int(panel["year"].min()), int(panel["year"].max()),
                                       study=study)
    keys = ["actor1", "actor2", "year"]
    if not base[keys].reset_index(drop=True).equals(panel[keys].reset_index(drop=True)):
        raise ValueError("recoded_panel: the panel's rows are not create_dyad_years' rows")
    out = panel.copy()
    for verb, cols in _RECODED.items():
        new = getattr(verbs, verb)(base, study=sub)
        for c in cols:
            if c in out.columns:
                out[c] = new[c].array  # positional; keeps the dtype
    out.attrs = panel.attrs
    return out


def _exists(rows: np.ndarray, weights: np.ndarray) -> bool:
    """Whether an estimate exists: certified by the fit's weights, else by the linear program."""
    return stiemke_certified(rows, weights) or not cone_separated(rows)


def _logit(y: np.ndarray, X: np.ndarray, terms: list[str], start: np.ndarray | None
           ) -> pd.Series | None:
    """Newton logit from a warm start, again from zeros; None if none works or is separated."""
    for s0 in ([start] if start is not None else []) + [None]:
        b = newton_logit(y, X, s0)
        if b is not None:
            if overlap_certified(y, X, b) or not cone_separated((2 * y - 1)[:, None] * X):
                return pd.Series(b, index=["const", *terms])
            return None
    return None


class _KeyModels:
    """The key models' samples with everything that does not depend on alignment status."""

    def __init__(self, panel: pd.DataFrame, study: Study) -> None:
        measures = bopbot.bop_bot_measures(panel)
        att = partner.partner_attributes(panel)
        att = att[(att["kind1"] == "regional_state").to_numpy()]
        att = att.dropna(subset=list(partner.PARTNER_TERMS))
        self.att_X = att[list(partner.PARTNER_TERMS)].to_numpy(dtype="float64")
        self.att_row = att["_row"].to_numpy()
        self.att_prev = att["_prev"].to_numpy()
        self.att_stratum = pd.factorize(
            att["actor1"].astype(str) + ":" + att["year"].astype(str))[0]
        bs = bopbot.bop_bot_sample(panel, measures=measures)
        self.bs_row = bs["_row"].to_numpy()
        self.bs_prev = bs["_prev"].to_numpy()
        # BoP and BoT terms do not depend on alignment status: one design matrix per model
        self.bs_terms = {m: bopbot.model_terms(m, "aligned") for m in ("bop", "bot")}
        assert all(self.bs_terms[m] == bopbot.model_terms(m, "onset") for m in self.bs_terms)
        self.bs_X = {m: sm.add_constant(bs[t].to_numpy(dtype="float64"), has_constant="add")
                     for m, t in self.bs_terms.items()}
        self.ibase = ideology.ideology_base(panel, measures)
        self.first_year = int(panel["year"].min()) + 1
        self.sbase = duration.spell_base(panel, measures, period=study.period_years)
        self.period = study.period_years

    def _partner_rows(self, al: np.ndarray, on: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """y, X and strata of the partner choice sets under this alignment status."""
        lag = np.where(self.att_prev >= 0, al[np.maximum(self.att_prev, 0)], np.nan)
        y = on[self.att_row]
        ok = (lag == 0) & np.isfinite(y)
        ys, ss = y[ok], self.att_stratum[ok]
        n_s = np.bincount(ss, minlength=self.att_stratum.max() + 1)
        e_s = np.bincount(ss, weights=ys, minlength=self.att_stratum.max() + 1)
        use = ((e_s > 0) & (e_s < n_s))[ss]
        return ys[use], self.att_X[ok][use], ss[use]

    def partner_covariance(self, st: dict[str, np.ndarray], beta: np.ndarray) -> np.ndarray:
        """Inverse information of the partner-choice model at ``beta`` (BFGS's first guess)."""
        y, X, s = self._partner_rows(st["aligned"], st["onset"])
        return np.linalg.inv(information(y, X, s, beta))

    def estimates(self, st: dict[str, np.ndarray], starts: dict[str, np.ndarray]
                  ) -> dict[tuple[str, str], float]:
        out: dict[tuple[str, str], float] = {}
        al, on = st["aligned"], st["onset"]
        # partner choice (vectorised exact conditional logit); the same choice sets as
        # partner.choice_sets: at-risk partners of choosers with at least one onset
        ys, xs, ss = self._partner_rows(al, on)
        if len(ys):
            b, _ = fit_fast_clogit(ys, xs, ss, starts.get("partner"),
                                   starts.get("partner_hess_inv"))
            if _exists(*clogit_pairs(ys, xs, ss, b)):
                out.update({("partner_choice_state_year", t): float(v)
                            for t, v in zip(partner.PARTNER_TERMS, b, strict=True)})
        # balance of power and of threat (the onset model of BoP has no key estimate)
        lag = al[self.bs_prev]
        y_out = {"aligned": al[self.bs_row],
                 "onset": np.where(lag == 0, on[self.bs_row], np.nan)}
        lls = {}
        for outcome, models in (("aligned", ("bop", "bot")), ("onset", ("bot",))):
            y = y_out[outcome]
            ok = np.isfinite(y)
            for model in models:
                mid = f"{model}_redefined_{outcome}"
                terms = self.bs_terms[model]
                X, yy = self.bs_X[model][ok], y[ok]
                r = _logit(yy, X, terms, starts.get(mid))
                if r is None:
                    continue
                out.update({(mid, str(t)): float(v) for t, v in r.items()})
                if outcome == "aligned":
                    p = np.clip(1 / (1 + np.exp(-X @ r.to_numpy())), 1e-300, 1 - 1e-16)
                    lls[model] = (yy * np.log(p) + (1 - yy) * np.log1p(-p), len(terms) + 1)
        if len(lls) == 2:
            v = bopbot.vuong_test(lls["bop"][0], lls["bot"][0], lls["bop"][1], lls["bot"][1])
            out[("bop_vs_bot_aligned", "vuong_statistic_bic")] = v["statistic_bic"]
        # ideology on onset
        rows = self.ibase["_row"].to_numpy()
        isample = ideology.onset_sample_from(self.ibase, al[rows], on[rows], self.first_year)
        terms = ["same_family", "pan_arab_pair", *ideology.CONTROLS]
        isample = isample.dropna(subset=terms)
        r = _logit(isample["onset"].to_numpy(dtype="float64"),
                   sm.add_constant(isample[terms].to_numpy(dtype="float64"), has_constant="add"),
                   terms, starts.get("h3_ideology_onset_regional"))
        if r is not None:
            out.update({("h3_ideology_onset_regional", str(t)): float(v) for t, v in r.items()})
        # duration of alignments
        rows = self.sbase["_row"].to_numpy()
        spells = duration.spells_from(self.sbase, al[rows] == 1, st["multilateral"][rows],
                                      st["first_start"][rows], period=self.period)
        terms = list(duration.DURATION_TERMS)
        cox_args = (spells["start"].to_numpy(dtype="float64"),
                    spells["stop"].to_numpy(dtype="float64"), spells["event"].to_numpy(),
                    spells[terms].to_numpy(dtype="float64"))
        bc = efron_cox(*cox_args, starts.get("h3_duration_pair_alignment"))
        if bc is not None and _exists(*cox_pairs(*cox_args, bc)):
            out.update({("h3_duration_pair_alignment", t): float(v)
                        for t, v in zip(terms, bc, strict=True)})
        return out


def _starts(main: dict[tuple[str, str], float]) -> dict[str, np.ndarray]:
    """Warm starts from the main estimates."""
    st = {"partner": np.array([main[("partner_choice_state_year", t)]
                               for t in partner.PARTNER_TERMS])}
    logits = {f"{m}_redefined_{o}": ["const", *bopbot.model_terms(m, o)]
              for o in ("aligned", "onset") for m in ("bop", "bot")}
    logits["h3_ideology_onset_regional"] = ["const", "same_family", "pan_arab_pair",
                                            *ideology.CONTROLS]
    logits["h3_duration_pair_alignment"] = list(duration.DURATION_TERMS)
    for mid, names in logits.items():
        if all((mid, t) in main for t in names):
            st[mid] = np.array([main[(mid, t)] for t in names])
    return st


def _summ(values: dict[tuple[str, str], list[float]], main: dict[tuple[str, str], float],
          source: str) -> list[dict[str, Any]]:
    rows = []
    for mid, terms in KEY_ESTIMATES.items():
        for t in terms:
            v = np.array(values.get((mid, t), []), dtype=float)
            v = v[np.isfinite(v)]
            m0 = main.get((mid, t), np.nan)
            q = np.quantile(v, [0.025, 0.5, 0.975]) if len(v) else [np.nan] * 3
            rows.append({"model_id": mid, "term": t, "source": source, "draws": len(v),
                         "q025": float(q[0]), "q50": float(q[1]), "q975": float(q[2]),
                         "share_same_sign": float(np.mean(np.sign(v) == np.sign(m0)))
                         if len(v) else np.nan, "estimate_main": m0})
    return rows


#: State shared with forked worker processes (set before the pool starts; read-only there).
_SHARED: dict[str, Any] = {}


def _block(item: tuple[np.ndarray, np.ndarray, list[np.ndarray]]
           ) -> list[dict[tuple[str, str], float]]:
    """One block of coding resamples: its hostile acts and regimes, then each draw's alignments."""
    keep_acts, keep_regimes, keeps = item
    re, models, starts = _SHARED["re"], _SHARED["models"], _SHARED["starts"]
    panel = recoded_panel(_SHARED["panel"], _SHARED["study"], keep_acts, keep_regimes,
                          base=_SHARED["base"])
    if panel is not _SHARED["panel"]:
        models = _KeyModels(panel, _SHARED["study"])
    return [models.estimates(re.status(k), starts) for k in keeps]


def with_threat_spec(panel: pd.DataFrame, spec: Any) -> pd.DataFrame:
    """The panel with ``threat_index`` recombined from its four components under ``spec``.

    The components do not depend on the index's form, weights or missing-value policy, so a
    specification that changes only those (every one of :func:`threat_specs`) needs no rebuild:
    the index is the weighted arithmetic or geometric mean of the components (the formula of
    :func:`walt_alliances.measures.threat.compute_threat`; the test suite checks the two agree
    for every specification). The ``common_threat*`` columns are not recomputed (the designs do
    not use them).

    Raises
    ------
    ValueError
        If ``spec`` changes anything but ``form``, ``weights`` and ``missing``.
    """
    from dataclasses import replace

    from walt_alliances.measures.threat import COMPONENTS, ThreatSpec, combine_components

    base = ThreatSpec()
    if replace(spec, form=base.form, weights=base.weights, missing=base.missing) != base:
        raise ValueError("with_threat_spec: only form, weights and missing can change; "
                         "rebuild the panel for other options")
    comps = np.column_stack([panel[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
                             for c in COMPONENTS])
    index = combine_components(comps, spec)
    out = panel.copy()
    out["threat_index"] = pd.array(index, dtype="Float64")
    out.attrs = panel.attrs
    return out


def _spec_estimates(spec: Any) -> dict[tuple[str, str], float]:
    study, everything, starts = _SHARED["study"], _SHARED["everything"], _SHARED["starts"]
    sp = with_threat_spec(_SHARED["panel"], spec)
    return _KeyModels(sp, study).estimates(everything, starts)


def _item(item: tuple[str, Any]) -> Any:
    kind, x = item
    return _block(x) if kind == "block" else _spec_estimates(x)


class UncertaintyJob:
    """Coding resamples under way (see :func:`start_coding_uncertainty`); ``result()`` waits."""

    def __init__(self, items: list[tuple[str, Any]], workers: int,
                 finish: Any) -> None:
        self._finish = finish
        self._items = items
        self._pool: Any = None
        self._futures: list[Any] = []
        if workers > 1 and len(items) > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=workers,
                                             mp_context=mp.get_context("fork"))
            self._futures = [self._pool.submit(_item, x) for x in items]

    def cancel(self) -> None:
        """Stop the workers and forget the job (after an error elsewhere)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        _SHARED.clear()

    def result(self) -> pd.DataFrame:
        """The table of :func:`coding_uncertainty` (waits for the workers)."""
        try:
            if self._pool is not None:
                done = [f.result() for f in self._futures]
            else:
                done = [_item(x) for x in self._items]
        finally:
            if self._pool is not None:
                self._pool.shutdown()
            _SHARED.clear()
        return self._finish(done)  # type: ignore[no-any-return]


def coding_uncertainty(study: Study, panel: pd.DataFrame, *, draws: int = 200,
                       seed: int = 20261201, specs: list[Any] | None = None,
                       workers: int = 1) -> pd.DataFrame:
    """Spread of each key estimate over coding resamples and threat-index specifications.

    Parameters
    ----------
    study : Study
        The data.
    panel : pandas.DataFrame
        The prepared directed panel of the main results.
    draws : int
        Coding resamples.
    seed : int
        Seed (``numpy.random.default_rng``); every draw's kept records are drawn up front in
        the parent process, so the table is the same for any number of workers.
    specs : list of ThreatSpec, optional
        Threat specifications (default :func:`threat_specs`).
    workers : int
        Processes (forked; 1 = none). The blocks of resamples and the specifications are
        shared among them.

    Returns
    -------
    pandas.DataFrame
        ``model_id``, ``term``, ``source`` (``coding_resamples`` or ``threat_specs``),
        ``draws``, ``q025``, ``q50``, ``q975``, ``share_same_sign``, ``estimate_main``.
    """
    return start_coding_uncertainty(study, panel, draws=draws, seed=seed, specs=specs,
                                    workers=workers).result()


def start_coding_uncertainty(study: Study, panel: pd.DataFrame, *, draws: int = 200,
                             seed: int = 20261201, specs: list[Any] | None = None,
                             workers: int = 1) -> UncertaintyJob:
    """Start :func:`coding_uncertainty` in worker processes and return at once.

    The caller may go on with other work; ``.result()`` waits and returns the table. With
    ``workers=1`` nothing starts until ``.result()``. Only one job may be under way at a
    time (the workers read module state set here).
    """
    from walt_alliances.panels.verbs import create_dyad_years

    if _SHARED:
        raise RuntimeError("start_coding_uncertainty: another job is under way")
    re = _Realigner(panel, study)
    everything = re.status(np.ones(len(re.ids), dtype=bool))
    models = _KeyModels(panel, study)
    main_est = models.estimates(everything, {})
    starts = _starts(main_est)
    starts["partner_hess_inv"] = models.partner_covariance(everything, starts["partner"])
    conf = study["alignments"].set_index("alignment_id")["confidence"].astype(str)
    p_drop = conf.reindex(re.ids).map(DROP_PROBABILITY).fillna(0.0).to_numpy()
    p_acts, p_regimes = _drop_p(study["hostile_acts"]), _drop_p(study["regimes"])
    rng = np.random.default_rng(seed)
    items: list[tuple[str, Any]] = []
    n_blocks = -(-draws // BLOCK_DRAWS)
    for size in (len(b) for b in np.array_split(np.arange(draws), n_blocks) if len(b)):
        keep_acts = rng.uniform(size=len(p_acts)) >= p_acts
        keep_regimes = rng.uniform(size=len(p_regimes)) >= p_regimes
        keeps = [rng.uniform(size=len(re.ids)) >= p_drop for _ in range(size)]
        items.append(("block", (keep_acts, keep_regimes, keeps)))
    n_draw_items = len(items)
    items += [("spec", sp) for sp in (specs if specs is not None else threat_specs())]
    base = create_dyad_years(int(panel["year"].min()), int(panel["year"].max()), study=study)
    _SHARED.update(re=re, models=models, starts=starts, study=study, everything=everything,
                   panel=panel, base=base)

    def finish(done: list[Any]) -> pd.DataFrame:
        values: dict[tuple[str, str], list[float]] = {}
        for block in done[:n_draw_items]:
            for est in block:
                for k, v in est.items():
                    values.setdefault(k, []).append(v)
        svals: dict[tuple[str, str], list[float]] = {}
        for est in done[n_draw_items:]:
            for k, v in est.items():
                svals.setdefault(k, []).append(v)
        return pd.DataFrame(_summ(values, main_est, "coding_resamples")
                            + _summ(svals, main_est, "threat_specs"))

    return UncertaintyJob(items, workers, finish)
