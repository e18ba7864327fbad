"""Tests of the derived measures (state-year, dyad-year), their readers and the threat index."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from walt_alliances.measures.shipped import (
    DYAD_YEAR_COLUMNS,
    STATE_YEAR_COLUMNS,
    load_dyad_years,
    load_provenance,
    load_state_years,
    measure_coverage,
)
from walt_alliances.measures.threat import (
    COMPONENTS,
    ThreatSpec,
    common_threat,
    compute_threat,
    hostile_act_years,
)
from walt_alliances.sources.aid import greenbook_state_years, sipri_imports_state_years

REPO = Path(__file__).resolve().parents[2]
MEASURES_DIR = REPO / "walt_alliances" / "data" / "measures"

SYMMETRIC = ["contig", "capdist_km", "mid_ongoing", "mid_onset", "mid_hostlev", "mid_count_prev5",
             "war_ongoing", "war_onset", "war_count_prev5"]  # fmt: skip
MIRRORED = [("mid_init_prev5", "mid_target_prev5"), ("war_init_prev5", "war_target_prev5")]

EGY, ISR, JOR, SYR, KUW, USA, RUS = 651, 666, 663, 652, 690, 2, 365


def _load_build_module():
    import walt_alliances.measures.build as module

    return module


@pytest.fixture(scope="module")
def states() -> pd.DataFrame:
    return load_state_years()


@pytest.fixture(scope="module")
def dyads() -> pd.DataFrame:
    return load_dyad_years()


def _row(df: pd.DataFrame, i: int, j: int, year: int) -> pd.Series:
    hit = df[(df["ccode1"] == i) & (df["ccode2"] == j) & (df["year"] == year)]
    assert len(hit) == 1, (i, j, year)
    return hit.iloc[0]


# ------------------------------------------------------------------------- rebuild from raw


@pytest.mark.external
def test_rebuild_is_byte_identical(external_dir: Path) -> None:
    built = _load_build_module().build(external_dir)
    assert set(built) == {"state_year.csv", "dyad_year.csv", "provenance.json"}
    for name, blob in built.items():
        assert blob == (MEASURES_DIR / name).read_bytes(), f"{name} differs from a rebuild"


@pytest.mark.external
def test_cinc_equals_raw_nmc(external_dir: Path, states: pd.DataFrame) -> None:
    raw: dict[tuple[int, int], float | None] = {}
    with (external_dir / "cow_nmc" / "NMC-60-abridged.csv").open(newline="") as fh:
        for rec in csv.DictReader(fh):
            value = float(rec["cinc"])
            raw[(int(rec["ccode"]), int(rec["year"]))] = None if value == -9 else value
    for ccode, year, cinc in states[["ccode", "year", "cinc"]].itertuples(index=False):
        expected = raw[(int(ccode), int(year))]
        if expected is None:
            assert pd.isna(cinc)
        else:
            assert cinc == expected, (ccode, year)


@pytest.mark.external
def test_provenance_matches_registry(external_dir: Path) -> None:
    from walt_alliances.sources.registry import file_sha256, get_raw_file

    prov = load_provenance()
    for key, src in prov["sources"].items():
        assert src["sha256"] == get_raw_file(key).sha256
        assert file_sha256(external_dir / src["path"]) == src["sha256"]


# ---------------------------------------------------------------------- shipped table checks


def test_loader_dtypes_and_formats(states: pd.DataFrame, dyads: pd.DataFrame) -> None:
    assert list(states.columns) == list(STATE_YEAR_COLUMNS)
    assert list(dyads.columns) == list(DYAD_YEAR_COLUMNS)
    for df, spec in ((states, STATE_YEAR_COLUMNS), (dyads, DYAD_YEAR_COLUMNS)):
        for col, (dtype, _) in spec.items():
            assert str(df[col].dtype) == dtype, col
    assert not states.duplicated(["ccode", "year"]).any()
    assert not dyads.duplicated(["ccode1", "ccode2", "year"]).any()
    assert isinstance(load_state_years("arrow"), pa.Table)
    assert load_dyad_years(format="arrow").num_rows == len(dyads)
    with pytest.raises(ValueError, match="format"):
        load_state_years("polars")  # type: ignore[call-overload]


def test_years_and_actors(states: pd.DataFrame, dyads: pd.DataFrame) -> None:
    assert states["year"].min() == 1950 and states["year"].max() == 1979
    assert states["ccode"].nunique() == 26
    assert dyads["year"].between(1950, 1979).all()


@pytest.mark.parametrize(("ccode", "year"), [(KUW, 1960), (SYR, 1959), (SYR, 1960), (680, 1966)])
def test_no_rows_for_states_that_do_not_exist(
    states: pd.DataFrame, dyads: pd.DataFrame, ccode: int, year: int
) -> None:
    assert states[(states["ccode"] == ccode) & (states["year"] == year)].empty
    in_dyads = ((dyads["ccode1"] == ccode) | (dyads["ccode2"] == ccode)) & (dyads["year"] == year)
    assert not in_dyads.any()


def test_dyads_are_exactly_pairs_of_existing_states(
    states: pd.DataFrame, dyads: pd.DataFrame
) -> None:
    per_year = states.groupby("year").size()
    assert (dyads.groupby("year").size() == per_year * (per_year - 1)).all()
    exist = set(zip(states["ccode"], states["year"], strict=True))
    assert all((i, t) in exist and (j, t) in exist for i, j, t in
               dyads[["ccode1", "ccode2", "year"]].itertuples(index=False))  # fmt: skip
    assert states[(states["ccode"] == KUW)]["year"].min() == 1961


def test_land_contiguity_egypt_israel(dyads: pd.DataFrame) -> None:
    for i, j in ((EGY, ISR), (ISR, EGY), (JOR, ISR), (SYR, ISR)):
        sub = dyads[(dyads["ccode1"] == i) & (dyads["ccode2"] == j)]
        assert (sub["contig"] == 1).all(), (i, j)
    assert _row(dyads, USA, RUS, 1960)["contig"] == 2  # Bering Strait: <= 12 miles of water
    assert _row(dyads, 200, USA, 1960)["contig"] == 0


@pytest.mark.parametrize("arab", [EGY, JOR, SYR])
def test_1967_war_shows_for_both_sides(dyads: pd.DataFrame, arab: int) -> None:
    for i, j in ((arab, ISR), (ISR, arab)):
        row = _row(dyads, i, j, 1967)
        assert row["war_ongoing"] == 1 and row["war_onset"] == 1
        assert row["mid_ongoing"] == 1 and row["mid_hostlev"] == 5
    assert _row(dyads, ISR, arab, 1967)["war_init"] == 1  # Israel initiated the Six Day War
    assert _row(dyads, arab, ISR, 1967)["war_init"] == 0
    assert _row(dyads, arab, ISR, 1966)["war_ongoing"] == 0


def test_war_of_attrition_intent_counts(dyads: pd.DataFrame) -> None:
    # Egypt initiated the War of Attrition (1969-70): j=Egypt's wars against i=Israel in t-5..t-1
    assert _row(dyads, ISR, EGY, 1971)["war_target_prev5"] == 1
    assert _row(dyads, EGY, ISR, 1971)["war_init_prev5"] == 1
    # 1956 Suez: Israel fought Egypt, not the UK/France (same side)
    assert _row(dyads, ISR, EGY, 1956)["war_ongoing"] == 1
    assert _row(dyads, ISR, 200, 1956)["war_ongoing"] == 0
    assert _row(dyads, 200, EGY, 1956)["war_ongoing"] == 1


def test_symmetric_measures_are_symmetric(dyads: pd.DataFrame) -> None:
    rev = dyads.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    m = dyads.merge(rev, on=["ccode1", "ccode2", "year"], suffixes=("", "_rev"), validate="1:1")
    assert len(m) == len(dyads)
    for col in SYMMETRIC:
        a, b = m[col], m[f"{col}_rev"]
        assert ((a == b) | (a.isna() & b.isna())).all(), col
    for col, mirror in MIRRORED:
        assert (m[col] == m[f"{mirror}_rev"]).all(), col
    assert (m["mid_init"] + m["mid_init_rev"] <= m["mid_onset"] * 2).all()


def test_polity_special_codes_never_numbers(states: pd.DataFrame) -> None:
    for col in ("democ", "autoc", "polity", "polity2"):
        assert not states[col].isin([-66, -77, -88]).any(), col
    leb = states[(states["ccode"] == 660) & (states["year"] == 1976)].iloc[0]
    assert leb["polity_special"] == -77 and pd.isna(leb["democ"]) and pd.isna(leb["polity"])
    assert states["polity_special"].dropna().isin([-66, -77, -88]).all()
    # USSR (Polity 364) and Pakistan before 1972 (Polity 769) are mapped to COW codes
    assert states[(states["ccode"] == RUS)]["polity2"].notna().all()
    assert states[(states["ccode"] == 770) & (states["year"] == 1960)]["polity2"].notna().all()


# -------------------------------------------------------------- zeros never outside coverage


def test_no_values_outside_declared_source_years(states: pd.DataFrame, dyads: pd.DataFrame) -> None:
    tables = {"state_year.csv": states, "dyad_year.csv": dyads}
    for m in load_provenance()["measures"]:
        if m["source_years"] is None:
            continue
        df = tables[m["table"]]
        lo, hi = m["source_years"]
        outside = ~df["year"].between(lo, hi)
        assert df.loc[outside, m["measure"]].isna().all(), m["measure"]


def test_arms_transfers_before_1970_missing_not_zero(dyads: pd.DataFrame) -> None:
    early = dyads[dyads["year"] < 1970]
    assert early["sipri_tiv_from_j"].isna().all()
    assert early["sipri_tiv_dyad_complete"].isna().all()
    # Gannon records Soviet deliveries 1970-1991 as 0: Egypt's 1970 total fails the check,
    # so USSR -> Egypt is missing, not 0 ...
    egy_rus = _row(dyads, EGY, RUS, 1970)
    assert egy_rus["sipri_tiv_dyad_complete"] == 0 and pd.isna(egy_rus["sipri_tiv_from_j"])
    # ... while Israel, supplied by the West, passes and gets true zeros
    isr_rus = _row(dyads, ISR, RUS, 1975)
    assert isr_rus["sipri_tiv_dyad_complete"] == 1 and isr_rus["sipri_tiv_from_j"] == 0
    assert _row(dyads, ISR, USA, 1975)["sipri_tiv_from_j"] > 0


def test_us_aid_missing_for_donor_and_zero_only_inside(states: pd.DataFrame) -> None:
    aid = ["us_aid_oblig_current", "us_aid_oblig_constant", "us_aid_fy_months"]
    assert states.loc[states["ccode"] == USA, aid].isna().all().all()
    others = states[states["ccode"] != USA]
    assert others[aid].notna().all().all()  # the file covers FY1946-2021
    egy = states[(states["ccode"] == EGY)].set_index("year")
    assert (egy.loc[1968:1971, "us_aid_oblig_current"] == 0).all()  # cut off after 1967
    assert egy.loc[1976, "us_aid_fy_months"] == 15


def _greenbook(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["country_code", "country_name", "transaction_type_name",
                                     "fiscal_year", "current_amount"])  # fmt: skip
    df["constant_amount"] = df["current_amount"] * 2
    return df.astype({"country_code": "string", "country_name": "string",
                      "transaction_type_name": "string", "fiscal_year": "string",
                      "current_amount": "Int64", "constant_amount": "Int64"})  # fmt: skip


def test_greenbook_zero_only_inside_file_years() -> None:
    gb = _greenbook([
        ("EGY", "Egypt", "Obligations", "1955", 10),
        ("EGY", "Egypt", "Obligations", "1958", 5),
        ("EGY", "Egypt", "Disbursements", "1957", 99),
        ("ISR", "Israel", "Obligations", "1956", 7),
        ("ISR", "Israel", "Obligations", "1976", 1),
        ("ISR", "Israel", "Obligations", "1976tq", 2),
    ])  # fmt: skip
    out, cov = greenbook_state_years(gb, [EGY, ISR, USA])
    assert cov == (1955, 1976)
    assert set(out["year"]) == set(range(1955, 1977))  # no rows (-> missing) outside
    assert USA not in set(out["ccode"])
    egy = out[out["ccode"] == EGY].set_index("year")["us_aid_oblig_current"]
    assert egy[1955] == 10 and egy[1956] == 0 and egy[1957] == 0 and egy[1958] == 5
    isr = out[out["ccode"] == ISR].set_index("year")
    assert isr.loc[1976, "us_aid_oblig_current"] == 3  # FY1976 + transition quarter
    assert isr.loc[1976, "us_aid_oblig_constant"] == 6


def test_sipri_imports_zero_only_for_listed_recipients() -> None:
    imp = pd.DataFrame(
        {
            "recipient": ["Egypt", "Egypt", "Egypt", "Soviet Union", "Russia"],
            "year": [1960, 1961, 1962, 1991, 1991],
            "tiv": [5, None, 0, 3, None],
            "recorded": [1, 0, 1, 1, 0],
        }
    ).astype({"recipient": "string", "year": "Int64", "tiv": "Int64", "recorded": "Int64"})
    out = sipri_imports_state_years(imp, (1960, 1991)).set_index(["ccode", "year"])
    assert out.loc[(EGY, 1961), "sipri_tiv_imports"] == 0
    assert out.loc[(EGY, 1961), "sipri_tiv_imports_recorded"] == 0
    assert out.loc[(EGY, 1962), "sipri_tiv_imports_recorded"] == 1
    assert out.loc[(RUS, 1991), "sipri_tiv_imports"] == 3  # Russia's row applies from 1992
    assert ISR not in out.index.get_level_values("ccode")  # not listed: not covered


def test_measure_coverage_table() -> None:
    cov = measure_coverage()
    assert list(cov.columns) == ["measure", "table", "source", "source_first_year",
                                 "source_last_year", "first_year", "last_year",
                                 "actors_covered", "n_actors", "notes"]  # fmt: skip
    measures = set(cov["measure"])
    assert measures == (set(STATE_YEAR_COLUMNS) | set(DYAD_YEAR_COLUMNS)) - {
        "ccode",
        "year",
        "ccode1",
        "ccode2",
    }
    tiv = cov[cov["measure"] == "sipri_tiv_from_j"].iloc[0]
    assert tiv["first_year"] == 1970 and tiv["source_first_year"] == 1970


# --------------------------------------------------------------------------- threat index


def _frames(**over: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One dyad (i=1 threatened by j=2) in 1960 with adjustable inputs."""
    p = {"cinc_i": 0.1, "cinc_j": 0.3, "x_i": 100.0, "x_j": 300.0, "dist": 0.0, "contig": 1,
         "mids": 0, "wars": 0} | over  # fmt: skip
    dy = pd.DataFrame({"ccode1": [1], "ccode2": [2], "year": [1960], "capdist_km": [p["dist"]],
                       "contig": [p["contig"]], "mid_target_prev5": [p["mids"]],
                       "war_target_prev5": [p["wars"]]})  # fmt: skip
    sy = pd.DataFrame({"ccode": [1, 2], "year": [1960, 1960], "cinc": [p["cinc_i"], p["cinc_j"]],
                       "milex": [p["x_i"], p["x_j"]], "milper": [10.0, 10.0]})  # fmt: skip
    return dy, sy


def _threat(spec: ThreatSpec | None = None, **over: float) -> pd.Series:
    dy, sy = _frames(**over)
    return compute_threat(dy, sy, spec).iloc[0]


def test_threat_hand_computed() -> None:
    t = _threat(dist=1000.0, contig=0, mids=1, wars=1)
    assert t["threat_power"] == pytest.approx(0.75)
    assert t["threat_proximity"] == pytest.approx(0.5)  # half_distance_km = 1000
    projected = 300 * 0.5 ** (1000 / 2000)
    assert t["threat_offense"] == pytest.approx(projected / (projected + 100))
    assert t["threat_intent"] == pytest.approx(1 - math.exp(-(1 + 3)))
    expected = np.mean([0.75, 0.5, projected / (projected + 100), 1 - math.exp(-4)])
    assert t["threat_index"] == pytest.approx(expected)
    mult = _threat(ThreatSpec(form="multiplicative"), dist=1000.0, contig=0, mids=1, wars=1)
    geo = math.prod([0.75, 0.5, projected / (projected + 100), 1 - math.exp(-4)]) ** 0.25
    assert mult["threat_index"] == pytest.approx(geo)


def test_threat_components_monotone() -> None:
    base = _threat(dist=500.0, contig=0, mids=1)
    assert _threat(dist=500.0, contig=0, mids=1, cinc_j=0.6)["threat_power"] > base["threat_power"]
    assert _threat(dist=500.0, contig=0, mids=1, cinc_i=0.3)["threat_power"] < base["threat_power"]
    closer = _threat(dist=100.0, contig=0, mids=1)
    assert closer["threat_proximity"] > base["threat_proximity"]
    assert closer["threat_offense"] > base["threat_offense"]
    assert _threat(dist=500.0, contig=1, mids=1)["threat_proximity"] == 1.0
    assert (
        _threat(dist=500.0, contig=0, mids=1, x_j=600.0)["threat_offense"] > base["threat_offense"]
    )
    more = _threat(dist=500.0, contig=0, mids=2)
    assert more["threat_intent"] > base["threat_intent"]
    assert more["threat_index"] > base["threat_index"]
    assert _threat(dist=500.0, contig=0, mids=0, wars=1)["threat_intent"] > base["threat_intent"]


def test_threat_options_and_missing() -> None:
    none = _threat(ThreatSpec(form="multiplicative"), mids=0)
    assert none["threat_intent"] == 0 and none["threat_index"] == 0  # intent necessary
    assert _threat(ThreatSpec(form="multiplicative", weights=(1, 1, 1, 0)), mids=0)[
        "threat_index"] > 0  # fmt: skip
    dy, sy = _frames()
    sy.loc[1, "milex"] = np.nan
    out = compute_threat(dy, sy).iloc[0]
    assert np.isnan(out["threat_offense"]) and np.isnan(out["threat_index"])
    avail = compute_threat(dy, sy, ThreatSpec(missing="available")).iloc[0]
    assert avail["threat_index"] == pytest.approx(np.mean([0.75, 1.0, 0.0]))
    assert _threat(ThreatSpec(offense_measure="milper"))["threat_offense"] == pytest.approx(0.5)
    assert _threat(ThreatSpec(proximity="contiguity"), dist=5000.0, contig=2)[
        "threat_proximity"] == pytest.approx(0.8)  # fmt: skip
    with pytest.raises(ValueError, match="form"):
        ThreatSpec(form="max")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weights"):
        ThreatSpec(weights=(0, 0, 0, 0))
    with pytest.raises(ValueError, match="lacks"):
        compute_threat(dy.drop(columns="contig"), sy)


def test_hostile_acts_raise_intent() -> None:
    dy, sy = _frames()
    acts = pd.DataFrame({"ccode_from": [2, 2, 1, 2], "ccode_to": [1, 1, 2, 1],
                         "year": [1957, 1955, 1958, 1960]})  # fmt: skip
    out = compute_threat(dy, sy, hostile_acts=acts).iloc[0]
    # acts by 2 against 1 in 1955..1959: 1957 and 1955 (1960 is year t itself, excluded)
    assert out["threat_intent"] == pytest.approx(1 - math.exp(-2))
    assert compute_threat(dy, sy).attrs["hostile_acts_used"] is False


def test_common_threat_hand_computed() -> None:
    # threat of k to a: rows (a, k)
    rows = [(1, 3, 0.8), (2, 3, 0.4), (1, 4, 0.5), (2, 4, 0.6), (1, 2, 0.9), (2, 1, 0.9),
            (3, 4, 0.2), (4, 3, 0.1)]  # fmt: skip
    t = pd.DataFrame(rows, columns=["ccode1", "ccode2", "threat_index"]).assign(year=1960)
    ct = common_threat(t)
    row = ct[(ct["ccode1"] == 1) & (ct["ccode2"] == 2)].iloc[0]
    # k=3: min(0.8, 0.4)=0.4; k=4: min(0.5, 0.6)=0.5 -> 0.5 from 4
    assert row["common_threat"] == pytest.approx(0.5) and row["common_threat_source"] == 4
    mirror = ct[(ct["ccode1"] == 2) & (ct["ccode2"] == 1)].iloc[0]
    assert mirror["common_threat"] == row["common_threat"]
    # 3 and 4 share no third threat: k in {1, 2} -> rows (3,1)/(4,1) absent -> no row
    assert ct[(ct["ccode1"] == 3) & (ct["ccode2"] == 4)].empty


def test_threat_on_shipped_tables(states: pd.DataFrame, dyads: pd.DataFrame) -> None:
    out = compute_threat(dyads, states)
    assert len(out) == len(dyads)
    assert list(out.columns) == ["ccode1", "ccode2", "year", *COMPONENTS, "threat_index"]
    vals = out[[*COMPONENTS, "threat_index"]].to_numpy()
    finite = vals[~np.isnan(vals)]
    assert ((finite >= 0) & (finite <= 1)).all()
    isr = out[(out["ccode1"] == ISR) & (out["year"] == 1970)].set_index("ccode2")
    assert isr.loc[EGY, "threat_index"] > isr.loc[678, "threat_index"]
    ct = common_threat(out)
    assert not ct.duplicated(["ccode1", "ccode2", "year"]).any()


def test_hostile_act_years_from_yaml_records(repo_root: Path) -> None:
    import yaml

    acts = [
        {"actor": "EGY", "target": "JOR", "start": "1957-04", "end": "1960-12"},
        {"actor": "PLO", "target": "JOR", "start": "1970", "end": None},
    ]
    out = hostile_act_years(acts, {"EGY": 651, "JOR": 663})
    assert out.values.tolist() == [[651, 663, y] for y in range(1957, 1961)]  # PLO dropped
    path = repo_root / "datasets" / "hostile_acts.yaml"
    if path.is_file():  # the coded file, when present, feeds compute_threat
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        actors = yaml.safe_load((repo_root / "datasets" / "actors.yaml").read_text("utf-8"))
        codes = {a["actor_id"]: a["ccode"] for a in actors if a.get("ccode") is not None}
        years = hostile_act_years(records, codes)
        assert years["year"].between(1940, 1990).all()
        out = compute_threat(load_dyad_years(), load_state_years(), hostile_acts=years)
        assert out.attrs["hostile_acts_used"] is True


# --------------------------------------------------------------- contiguity: type-0 spells


def test_contiguity_ignores_no_contiguity_spells() -> None:
    """Regression (issue 11): peacesciencer's type-0 "no contiguity" spells must not win.

    Hand-built spells: a type-0 filler spell and a land spell touch 1958 for (645, 651); only
    a type-0 spell touches (620, 625) in 1950.
    """
    build = _load_build_module()
    ts = pd.Timestamp
    contig = pd.DataFrame({
        "ccode1": [645, 645, 620], "ccode2": [651, 651, 625], "conttype": [0, 1, 0],
        "stdate": [ts("1946-01-01"), ts("1958-02-01"), ts("1950-01-01")],
        "enddate": [ts("1958-01-31"), ts("1961-09-30"), ts("1950-12-31")],
    })
    out = build.contiguity_dyad_years(contig).set_index(["ccode1", "ccode2", "year"])["contig"]
    assert out.loc[(645, 651, 1958)] == 1
    assert (645, 651, 1957) not in out.index  # only the filler spell touches 1957
    assert (620, 625, 1950) not in out.index


@pytest.mark.parametrize(("i", "j", "year", "expected"), [
    (620, 625, 1956, 1),  # Libya-Sudan
    (645, 651, 1958, 1), (645, 651, 1959, 1), (645, 651, 1960, 1), (645, 651, 1961, 1),
    (651, 663, 1967, 2),  # Egypt-Jordan
])
def test_contiguity_dyad_years_fixed_in_issue_11(dyads: pd.DataFrame, i: int, j: int,
                                                 year: int, expected: int) -> None:
    """The 12 directed dyad-years that were wrongly 0 (both directions of each)."""
    assert _row(dyads, i, j, year)["contig"] == expected
    assert _row(dyads, j, i, year)["contig"] == expected
