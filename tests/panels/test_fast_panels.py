"""The vectorised panel verbs give exactly what the pandas-merge version gives.

``tests/panels/reference_verbs.py`` is the straightforward implementation (one pandas merge per
measure and side, per-year loops), kept here as the independent slower reference. Every
comparison is exact: same columns in the same order, same dtypes, same values and missing
values, same metadata. The random record sets are the shipped tables with rows dropped, actors
swapped, dates moved and codes changed, so that they keep the schema's dtypes.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import walt_alliances.panels.verbs as fast
from walt_alliances.measures.threat import ThreatSpec, common_threat
from walt_alliances.panels.study import Study, shipped_study

_spec = importlib.util.spec_from_file_location(
    "reference_verbs", Path(__file__).with_name("reference_verbs.py"))
assert _spec is not None and _spec.loader is not None
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert list(a.columns) == list(b.columns)
    assert a.attrs == b.attrs


def _panels(mod, study, unit, start, end, actors=None):  # type: ignore[no-untyped-def]
    if unit == "state-year":
        return mod.create_state_years(start, end, actors=actors, study=study)
    return mod.create_dyad_years(start, end, directed=unit == "directed-dyad-year",
                                 actors=actors, study=study)


@pytest.mark.parametrize("unit", ["directed-dyad-year", "dyad-year", "state-year"])
@pytest.mark.parametrize("years", [(1955, 1979), (1950, 1953), (1978, 1979)])
def test_add_all_equals_reference_on_shipped_data(unit, years):
    a = ref.add_all(_panels(ref, None, unit, *years))
    b = fast.add_all(_panels(fast, None, unit, *years))
    _same(a, b)
    b2 = fast.add_all(_panels(fast, None, unit, *years))  # second call: from the caches
    _same(a, b2)


def test_each_verb_and_its_options_equal_reference():
    actors = ["EGY", "ISR", "JOR", "SYR", "USA", "RUS", "PLO", "IRQ", "SAU"]
    base_r = ref.create_dyad_years(1956, 1979, actors=actors)
    base_f = fast.create_dyad_years(1956, 1979, actors=actors)
    _same(base_r, base_f)
    cases = [
        ("add_alignment", {}), ("add_alignment", {"min_confidence": "high"}),
        ("add_alignment", {"exclude_alignments": ["baghdad-pact"]}),
        ("add_capabilities", {}), ("add_ideology", {}), ("add_proximity", {}),
        ("add_conflict", {}), ("add_threat", {}),
        ("add_threat", {"spec": ThreatSpec(form="multiplicative", power="cinc",
                                           missing="available")}),
        ("add_aid", {}), ("add_aid", {"lag": 3}), ("add_penetration", {"lag": 2}),
    ]
    for name, kwargs in cases:
        a = getattr(ref, name)(base_r, **kwargs)
        b = getattr(fast, name)(base_f, **kwargs)
        _same(a, b)
        assert len(b) == len(base_f)


def test_cached_panels_are_not_changed_by_users():
    p = fast.add_all(fast.create_dyad_years(1960, 1962))
    p.loc[0, "aligned"] = 1 - int(p.loc[0, "aligned"])
    p["year"] = 0
    p.attrs["walt_panel"]["measures"].clear()
    again = fast.add_all(fast.create_dyad_years(1960, 1962))
    _same(ref.add_all(ref.create_dyad_years(1960, 1962)), again)


def test_common_threat_equals_per_year_loop():
    """common_threat (all years at once) against a loop over years, third states and pairs."""
    sy, dy = shipped_study().measures()
    from walt_alliances.measures.threat import compute_threat

    th = compute_threat(dy, sy).query("year in (1956, 1967, 1979)")
    got = common_threat(th).set_index(["ccode1", "ccode2", "year"])
    for year, g in th.groupby("year"):
        t = {(int(r.ccode2), int(r.ccode1)): r.threat_index for r in g.itertuples()
             if not np.isnan(r.threat_index)}
        codes = sorted({c for pair in t for c in pair})
        for i in codes:
            for j in codes:
                if i == j:
                    continue
                scores = [(min(t[(k, i)], t[(k, j)]), k) for k in codes
                          if k not in (i, j) and (k, i) in t and (k, j) in t]
                if not scores:
                    assert (i, j, year) not in got.index
                    continue
                best = max(s for s, _ in scores)
                src = min(k for s, k in scores if s == best)
                row = got.loc[(i, j, year)]
                assert row["common_threat"] == best
                assert row["common_threat_source"] == src


# --------------------------------------------------------------------------- random record sets


def _shift(s: pd.Series, rng: np.random.Generator, days: int) -> pd.Series:
    delta = pd.to_timedelta(rng.integers(-days, days + 1, len(s)), unit="D")
    return s + delta


def _random_study(seed: int) -> Study:
    """The shipped tables with rows dropped, actors swapped, dates moved, codes changed."""
    rng = np.random.default_rng(seed)
    base = shipped_study()
    t = {name: frame.copy() for name, frame in base.tables.items()}
    actors = t["actors"]["actor_id"].astype(str).to_numpy()
    # actors: drop a few spells (never all)
    sp = t["actor_spells"]
    t["actor_spells"] = sp[rng.random(len(sp)) < 0.85].reset_index(drop=True)
    if len(t["actor_spells"]) < 3:
        t["actor_spells"] = sp
    # alignments: other kinds and confidences; memberships: drop, swap actors, move dates
    al = t["alignments"]
    al["kind"] = pd.Categorical(rng.choice(al["kind"].cat.categories, len(al)),
                                categories=al["kind"].cat.categories)
    al["confidence"] = pd.Categorical(rng.choice(al["confidence"].cat.categories, len(al)),
                                      categories=al["confidence"].cat.categories)
    ms = t["memberships"]
    ms = ms[rng.random(len(ms)) < 0.8].reset_index(drop=True)
    swap = rng.random(len(ms)) < 0.2
    ms.loc[swap, "actor_id"] = rng.choice(actors, int(swap.sum()))
    ms["start_first_day"] = _shift(ms["start_first_day"], rng, 900)
    ms["end_last_day"] = _shift(ms["end_last_day"], rng, 900)
    t["memberships"] = ms
    # event tables: drop, swap either side (non-state actors too), move dates, open ends
    for name, a, b in (("hostile_acts", "actor_id", "target_id"),
                       ("penetration", "penetrator_id", "target_id"),
                       ("soviet_aid", "donor_id", "recipient_id")):
        ev = t[name]
        ev = ev[rng.random(len(ev)) < 0.8].reset_index(drop=True)
        for col in (a, b):
            swap = rng.random(len(ev)) < 0.25
            ev.loc[swap, col] = rng.choice(actors, int(swap.sum()))
        ev = ev[ev[a].astype(str) != ev[b].astype(str)].reset_index(drop=True)
        ev["start_first_day"] = _shift(ev["start_first_day"], rng, 1500)
        ev["end_last_day"] = _shift(ev["end_last_day"], rng, 1500)
        ev.loc[rng.random(len(ev)) < 0.15, "end_last_day"] = pd.NaT
        t[name] = ev
    # regimes: other families, some dropped; capitals: moved a little, some dropped
    rg = t["regimes"]
    rg = rg[rng.random(len(rg)) < 0.85].reset_index(drop=True)
    rg["family"] = pd.Categorical(rng.choice(rg["family"].cat.categories, len(rg)),
                                  categories=rg["family"].cat.categories)
    rg["start_first_day"] = _shift(rg["start_first_day"], rng, 400)
    t["regimes"] = rg
    cp = t["capitals"]
    cp = cp[rng.random(len(cp)) < 0.9].reset_index(drop=True)
    cp["lat"] = (cp["lat"].astype(float) + rng.normal(0, 2, len(cp))).astype(cp["lat"].dtype)
    cp["lon"] = (cp["lon"].astype(float) + rng.normal(0, 2, len(cp))).astype(cp["lon"].dtype)
    t["capitals"] = cp
    p0 = int(rng.integers(1950, 1961))
    p1 = int(rng.integers(1968, 1980))
    ev_end = {k: int(rng.integers(1965, 1980))
              for k in ("hostile_acts", "penetration", "soviet_aid")}
    return dataclasses.replace(base, tables=t, period_start=pd.Timestamp(p0, 1, 1).date(),
                               period_end=pd.Timestamp(p1, 12, 31).date(),
                               event_years_end=ev_end, label=f"random {seed}")


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), start=st.integers(1950, 1979), span=st.integers(0, 6),
       unit=st.sampled_from(["directed-dyad-year", "dyad-year", "state-year"]),
       subset=st.booleans())
def test_property_random_record_sets_equal_reference(seed, start, span, unit, subset):
    study = _random_study(seed)
    end = min(1979, start + span)
    actors = None
    if subset:
        ids = sorted(study["actor_spells"]["actor_id"].astype(str).unique())
        rng = np.random.default_rng(seed + 1)
        actors = list(rng.choice(ids, size=min(len(ids), 6), replace=False))
    try:
        a = ref.add_all(_panels(ref, study, unit, start, end, actors), study=study)
    except Exception as exc:  # the same error from both (each module has its own classes)
        with pytest.raises(Exception) as info:  # noqa: PT011
            fast.add_all(_panels(fast, study, unit, start, end, actors), study=study)
        assert type(info.value).__name__ == type(exc).__name__
        assert str(info.value) == str(exc)
        return
    base = _panels(fast, study, unit, start, end, actors)
    b = fast.add_all(base, study=study)
    _same(a, b)
    assert len(b) == len(base)


def test_shipped_study_period_and_coverage_as_the_validated_records():
    from walt_alliances.records import dates
    from walt_alliances.records.load import load_recordset

    rs = load_recordset()
    study = shipped_study()
    assert rs.info is not None
    assert study.period_start == dates.resolve_start(rs.info.period_start)
    assert study.period_end == dates.resolve_end(rs.info.period_end)
    assert study.event_years_end == {t: dates.resolve_end(v).year
                                     for t, v in rs.coverage.items()}
    assert sorted(study.tables) == sorted(dict(study.tables.items()))
    assert len(study.tables) == len(dict(study.tables))


def test_panel_command_imports_only_what_it_needs(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from walt_alliances.cli import main; "
            f"rc = main(['panel', '--unit', 'dyad-year', '--start', '1970', '--end', '1971', "
            f"'--out', {str(tmp_path / 'p.parquet')!r}]); "
            "heavy = [m for m in ('pydantic', 'yaml', 'statsmodels', 'matplotlib', 'scipy', "
            "'jinja2') if m in sys.modules]; print(rc, heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    assert out == "0 []"
