"""The book tables, checked against hand counts on a small synthetic record set, and sanity
invariants on the shipped data.

The synthetic data (``synthetic()``) are typed exactly as the loaders type the shipped tables
(``apply_dtypes``), so the functions run on them unchanged. Every expected value below was
counted by hand from the records written in ``synthetic()`` (the reasoning is in the comments),
not copied from the functions' output.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from walt_alliances.records.schema import TABLES, apply_dtypes
from walt_alliances.tables import book as bt

# ---------------------------------------------------------------------------------------------
# A synthetic record set
# ---------------------------------------------------------------------------------------------

ACTORS = [  # actor_id, ccode, kind
    ("USA", "2", "superpower"), ("RUS", "365", "superpower"), ("UKG", "200", "outside_power"),
    ("EGY", "651", "regional_state"), ("SYR", "652", "regional_state"),
    ("JOR", "663", "regional_state"), ("IRQ", "645", "regional_state"),
    ("ISR", "666", "regional_state"), ("PLO", "", "non_state"),
]
CC = {a: int(c) for a, c, _ in ACTORS if c}

# alignment_id, kind, start, end, right_censored, members [(actor, primary motive)]
ALIGNMENTS = [
    ("a-bal", "formal_treaty", "1956-01-01", "1958-12-31", "False",
     [("EGY", "balancing"), ("SYR", "balancing"), ("JOR", "bandwagoning")]),
    ("b-us", "informal_alignment", "1957-04", "", "True",
     [("USA", "balancing"), ("JOR", "bandwagoning")]),
    ("c-su", "informal_alignment", "1960", "1965-06", "False",
     [("RUS", "balancing"), ("IRQ", "aid"), ("EGY", "balancing")]),
    ("d-union", "union", "1958-02-01", "1961-09-28", "False",
     [("EGY", "ideology"), ("SYR", "ideology")]),
    ("e-old", "formal_treaty", "1950-01-01", "1954-12-31", "False",
     [("EGY", "balancing"), ("JOR", "balancing")]),
    ("f-plo", "summit_commitment", "1970", "1972", "False",
     [("PLO", "balancing"), ("SYR", "balancing")]),
    ("g-uk", "wartime_coalition", "1956-10-24", "1956-11-06", "False",
     [("UKG", "balancing"), ("ISR", "balancing")]),
    ("h-both", "informal_alignment", "1962", "1963", "False",
     [("USA", "balancing"), ("EGY", "balancing")]),
]
# alignment, member, threat, threat_type, components
THREATS = [
    ("a-bal", "EGY", "ISR", "regional", "proximity;aggressive_intentions"),
    ("a-bal", "SYR", "ISR", "regional", "proximity"),
    ("a-bal", "JOR", "EGY", "regional",
     "aggregate_power;proximity;offensive_power;aggressive_intentions"),
    ("b-us", "USA", "RUS", "superpower", "aggregate_power;offensive_power"),
    ("c-su", "EGY", "ISR", "regional", "aggressive_intentions"),
    ("e-old", "EGY", "ISR", "regional", "proximity"),  # outside the period: never counted
    ("g-uk", "UKG", "EGY", "regional", "offensive_power;aggressive_intentions"),
]
REGIMES = [  # actor, start, end, family
    ("EGY", "1952-07-23", "", "pan_arab_nationalist"),
    ("SYR", "1954-02-25", "1958-01-31", "liberal_democracy"),  # gap 1958-02-01 .. 1963-03-07
    ("SYR", "1963-03-08", "", "baathist"),
    ("JOR", "1946", "", "traditional_monarchy"),
    ("USA", "1789", "", "liberal_democracy"),
    ("RUS", "1917", "", "marxist_leninist"),
    ("IRQ", "1958-07-14", "1963-02-07", "military"),
    ("UKG", "1928", "", "liberal_democracy"),
    ("ISR", "1948-05-14", "", "liberal_democracy"),
]
SOVIET_AID = [  # aid_id, recipient, agreement_date
    ("s1", "IRQ", "1959-03"), ("s2", "EGY", "1960"), ("s3", "EGY", "1966-05-01"),
    ("s4", "SYR", "1957"), ("s5", "IRQ", "1961-02-10"),
]
PENETRATION = [("p1", "EGY", "SYR", "1955"), ("p2", "EGY", "JOR", "1957-06")]


def _frame(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    spec = TABLES[name]
    raw = pd.DataFrame([{c: r.get(c, "") for c in spec.column_names} for r in rows],
                       columns=spec.column_names, dtype=object)
    raw = raw.replace({"": None})
    return apply_dtypes(raw, spec)


def synthetic() -> bt.BookData:
    actors = [{"actor_id": a, "ccode": c, "name": f"Actor {a}", "abbreviation": a, "kind": k}
              for a, c, k in ACTORS]
    alignments, members, motives = [], [], []
    for aid, kind, start, end, cens, mem in ALIGNMENTS:
        alignments.append({"alignment_id": aid, "name": f"Alignment {aid}", "kind": kind,
                           "start": start, "end": end, "right_censored": cens,
                           "confidence": "high", "n_members": str(len(mem)),
                           "date_notes": "Ended by secession." if kind == "union" else ""})
        for actor, motive in mem:
            members.append({"alignment_id": aid, "actor_id": actor, "ccode": str(CC.get(actor, "")),
                            "start": start, "end": end, "role": "member",
                            "primary_motive": motive})
            motives.append({"alignment_id": aid, "actor_id": actor, "motive": motive,
                            "primary": "True", "confidence": "high"})
    threats = [{"alignment_id": a, "actor_id": m, "threat_actor_id": t, "threat_type": tt,
                "components": c, "confidence": "high"} for a, m, t, tt, c in THREATS]
    regimes = [{"actor_id": a, "start": s, "end": e, "family": f, "confidence": "high"}
               for a, s, e, f in REGIMES]
    aid = [{"aid_id": i, "donor_id": "RUS", "recipient_id": r, "type": "military",
            "agreement_date": d, "start": d, "confidence": "high"} for i, r, d in SOVIET_AID]
    pen = [{"episode_id": i, "penetrator_id": a, "target_id": b, "type": "party_links",
            "start": s, "confidence": "high"} for i, a, b, s in PENETRATION]
    tables = {"actors": _frame("actors", actors), "alignments": _frame("alignments", alignments),
              "memberships": _frame("memberships", members),
              "motives": _frame("motives", motives), "threats": _frame("threats", threats),
              "regimes": _frame("regimes", regimes), "soviet_aid": _frame("soviet_aid", aid),
              "penetration": _frame("penetration", pen)}
    return bt.BookData(tables, dt.date(1955, 1, 1), dt.date(1979, 12, 31))


CINC = {"USA": 0.3, "RUS": 0.2, "UKG": 0.05, "EGY": 0.01, "SYR": 0.002, "JOR": 0.001,
        "IRQ": 0.003, "ISR": 0.004}


def state_years() -> pd.DataFrame:
    rows = []
    for actor, c in CINC.items():
        for y in range(1955, 1980):
            if actor == "IRQ" and y < 1958:
                continue  # no rows: IRQ "enters" in 1958 (for the US aid onset rule)
            aid = {"JOR": {1955: 0, 1956: 0, 1957: 5, 1958: 7},
                   "ISR": {1955: 3, 1956: 0, 1957: 0, 1958: 2},
                   "IRQ": {1958: 4}}.get(actor, {}).get(y, 0)
            rows.append({"ccode": CC[actor], "year": y, "cinc": c, "us_aid_oblig_current": aid})
    return pd.DataFrame(rows).astype({"ccode": "Int64", "year": "Int64",
                                      "us_aid_oblig_current": "Int64"})


@pytest.fixture(scope="module")
def data() -> bt.BookData:
    return synthetic()


def cell(df: pd.DataFrame, **where: str) -> pd.Series:
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, where
    return sel.iloc[0]


# ---------------------------------------------------------------------------------------------
# Appendix 1
# ---------------------------------------------------------------------------------------------

def test_appendix1_lists_period_alignments_in_start_order(data: bt.BookData) -> None:
    a = bt.appendix1(data)
    # e-old (1950-1954) is outside the period; the rest sorted by start's first day.
    assert a["alignment_id"].tolist() == ["a-bal", "g-uk", "b-us", "d-union", "c-su", "h-both",
                                          "f-plo"]
    row = cell(a, alignment_id="a-bal")
    assert row["members"] == "EGY; JOR; SYR"  # same start: by actor id
    assert row["member_threats"] == "EGY: ISR; JOR: EGY; SYR: ISR"
    assert row["threats"] == "ISR; EGY"  # ISR named twice, EGY once
    assert row["threats_balanced"] == "ISR"  # JOR bandwagoned
    assert row["motive"] == "balancing"  # 2 of 3
    assert cell(a, alignment_id="b-us")["years"] == "1957-"
    assert cell(a, alignment_id="b-us")["motive"] == "mixed"  # 1 of 2 is not a majority
    assert cell(a, alignment_id="b-us")["member_threats"] == "JOR: -; USA: RUS"
    assert (a["coded_by"] == "ours").all() and a.attrs["coded_by"] == "ours"


def test_appendix1_member_level(data: bt.BookData) -> None:
    m = bt.appendix1(data, level="member")
    assert len(m) == 16  # 3+2+3+2+2+2+2 members of the seven listed alignments
    r = cell(m, alignment_id="a-bal", actor_id="JOR")
    assert r["primary_motive"] == "bandwagoning"
    assert r["threat_components"] == ("EGY: aggregate_power+proximity+offensive_power+"
                                      "aggressive_intentions")
    assert cell(m, alignment_id="f-plo", actor_id="PLO")["actor_kind"] == "non_state"
    with pytest.raises(ValueError, match="level"):
        bt.appendix1(data, level="dyad")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Balancing vs bandwagoning
# ---------------------------------------------------------------------------------------------

def test_balancing_vs_bandwagoning_hand_counts(data: bt.BookData) -> None:
    t = bt.balancing_vs_bandwagoning(data)

    def n(level: str, group: str, cat: str) -> int:
        return int(cell(t, level=level, group=group, category=cat)["count"])

    # Alliances: groups by the most powerful member kind.
    # superpower: b-us (mixed), c-su (balancing 2/3), h-both (balancing)
    assert (n("alliances", "superpower", "balancing"), n("alliances", "superpower", "mixed")) \
        == (2, 1)
    # regional: a-bal (balancing), d-union (mixed: 2 ideology), f-plo (balancing, PLO+SYR)
    assert (n("alliances", "regional_state", "balancing"),
            n("alliances", "regional_state", "mixed")) == (2, 1)
    assert n("alliances", "outside_power", "balancing") == 1  # g-uk
    assert n("alliances", "all", "balancing") == 5
    assert n("alliances", "all", "bandwagoning") == 0
    assert n("alliances", "all", "mixed") == 2
    # Commitments: 16 membership spells in the period.
    assert n("commitments", "superpower", "balancing") == 3  # USA twice, RUS
    assert n("commitments", "regional_state", "balancing") == 6
    assert n("commitments", "regional_state", "bandwagoning") == 2  # JOR in a-bal and b-us
    assert n("commitments", "regional_state", "aid") == 1  # IRQ
    assert n("commitments", "regional_state", "ideology") == 2  # the union
    assert n("commitments", "outside_power", "balancing") == 1
    assert n("commitments", "non_state", "balancing") == 1
    total = t[(t["level"] == "commitments") & (t["group"] == "all")]["count"].sum()
    assert total == 16
    r = cell(t, level="commitments", group="all", category="bandwagoning")
    assert r["cases"] == "JOR in a-bal; JOR in b-us"
    assert r["share"] == pytest.approx(100 * 2 / 16)
    assert cell(t, level="commitments", group="all", category="balancing")["cases"] == ""


def test_classification_rule_is_a_strict_majority() -> None:
    assert bt._classify(["balancing", "bandwagoning"]) == "mixed"
    assert bt._classify(["bandwagoning", "bandwagoning", "aid"]) == "bandwagoning"
    assert bt._classify(["ideology", "aid", "balancing"]) == "mixed"
    assert bt._classify([]) == "mixed"


# ---------------------------------------------------------------------------------------------
# Sources of threat
# ---------------------------------------------------------------------------------------------

def test_threat_sources_and_tally(data: bt.BookData) -> None:
    ts = bt.threat_sources(data)
    assert len(ts) == 6  # e-old's threat is outside the period
    jor = cell(ts, alignment_id="a-bal", actor_id="JOR")
    assert bool(jor["aggregate_power"]) and bool(jor["aggressive_intentions"])
    assert int(jor["n_components"]) == 4
    t = bt.threat_sources_tally(data)

    def row(r: str) -> pd.Series:
        return cell(t, row=r)

    assert int(row("component:aggregate_power")["threats"]) == 2  # JOR, USA
    assert int(row("component:proximity")["threats"]) == 3  # EGY, SYR, JOR in a-bal
    assert int(row("component:offensive_power")["threats"]) == 3  # JOR, USA, UKG
    assert int(row("component:aggressive_intentions")["threats"]) == 4
    assert int(row("component:aggressive_intentions")["alignments"]) == 3  # a, c, g
    assert [int(row(f"n_components:{k}")["threats"]) for k in range(5)] == [0, 2, 3, 0, 1]
    assert int(row("threat_type:regional")["threats"]) == 5
    assert int(row("threat_type:superpower")["threats"]) == 1
    assert int(row("all_threats")["threats"]) == 6
    assert row("component:proximity")["share_of_threats"] == pytest.approx(50.0)
    # 16 membership units, 6 with a threat: b-us JOR, c-su RUS+IRQ, d-union EGY+SYR,
    # f-plo PLO+SYR, g-uk ISR, h-both USA+EGY
    assert int(row("members_without_threat")["members"]) == 10
    assert int(row("members_without_threat")["alignments"]) == 6


# ---------------------------------------------------------------------------------------------
# Ideology
# ---------------------------------------------------------------------------------------------

def test_ideology_similarity_and_durations(data: bt.BookData) -> None:
    ide = bt.ideology(data)
    sim = dict(zip(ide["alignment_id"], ide["similarity"], strict=True))
    assert sim == {
        "a-bal": "dissimilar",  # pan-Arab, liberal democracy, monarchy
        "g-uk": "similar",  # two liberal democracies
        "b-us": "dissimilar",
        "d-union": "undetermined",  # EGY known, SYR in a gap on 1958-02-01
        "c-su": "dissimilar",
        "h-both": "dissimilar",
        "f-plo": "not_applicable",  # PLO left out: one state member
    }
    a = cell(ide, alignment_id="a-bal")
    days = (dt.date(1958, 12, 31) - dt.date(1956, 1, 1)).days + 1
    assert float(a["duration_years"]) == pytest.approx(days / 365.25, abs=5e-4)
    b = cell(ide, alignment_id="b-us")
    days_b = (dt.date(1979, 12, 31) - dt.date(1957, 4, 1)).days + 1
    assert float(b["duration_years"]) == pytest.approx(days_b / 365.25, abs=5e-4)
    assert bool(b["duration_censored"]) is True
    assert bool(a["duration_censored"]) is False
    d = cell(ide, alignment_id="d-union")
    assert bool(d["is_union"]) and d["end_notes"] == "Ended by secession."
    # member_start reads the family at each member's own start: same here (same dates).
    assert bt.ideology(data, at="member_start")["similarity"].tolist() == \
        ide["similarity"].tolist()


def test_ideology_tally_and_unions(data: bt.BookData) -> None:
    t = bt.ideology_tally(data)
    assert int(cell(t, similarity="dissimilar")["alignments"]) == 4
    assert int(cell(t, similarity="similar")["alignments"]) == 1
    assert int(cell(t, similarity="all")["alignments"]) == 7
    assert int(cell(t, similarity="all")["right_censored"]) == 1
    g_days = (dt.date(1956, 11, 6) - dt.date(1956, 10, 24)).days + 1
    assert float(cell(t, similarity="similar")["mean_duration_years"]) == pytest.approx(
        g_days / 365.25, abs=5e-4)
    u = bt.pan_arab_unions(data)
    assert u["alignment_id"].tolist() == ["d-union"]
    assert u["end"].tolist() == ["1961-09-28"]


# ---------------------------------------------------------------------------------------------
# Aid and penetration
# ---------------------------------------------------------------------------------------------

def test_aid_and_penetration_orders(data: bt.BookData) -> None:
    ev = bt.aid_and_penetration(data, state_years=state_years())
    order = dict(zip(ev["record_id"], ev["order"], strict=True))
    assert order["s1"] == "event_first"  # 1959-03, RUS-IRQ joint spell from 1960
    assert order["s2"] == "same_period"  # "1960" vs "1960": same year
    assert order["s3"] == "after_alignment_ended"  # c-su ended 1965-06
    assert order["s4"] == "no_alignment"  # RUS and SYR never shared an alignment
    assert order["s5"] == "alignment_first"
    assert order["p1"] == "event_first"  # 1955 vs a-bal 1956-01-01
    assert order["p2"] == "alignment_first"
    lag = dict(zip(ev["record_id"], ev["lag_days"], strict=True))
    assert lag["s1"] == (dt.date(1959, 3, 1) - dt.date(1960, 1, 1)).days
    assert lag["s5"] == (dt.date(1961, 2, 10) - dt.date(1960, 1, 1)).days
    # US aid onsets: JOR 1957 (after two zero years), ISR 1958 (1955 is the table's first
    # year, so not an onset), IRQ 1958 (first row after the table's first year).
    us = ev[ev["channel"] == "us_aid"]
    assert sorted(us["record_id"]) == ["us-aid-onset-IRQ-1958", "us-aid-onset-ISR-1958",
                                       "us-aid-onset-JOR-1957"]
    assert order["us-aid-onset-JOR-1957"] == "same_period"  # b-us starts 1957-04
    assert order["us-aid-onset-ISR-1958"] == "no_alignment"
    tally = bt.aid_and_penetration_tally(data, state_years=state_years())
    assert int(cell(tally, channel="soviet_aid", order="event_first")["events"]) == 1
    assert int(cell(tally, channel="penetration", order="alignment_first")["events"]) == 1
    assert int(cell(tally, channel="us_aid", order="no_alignment")["events"]) == 2
    assert tally.groupby("channel")["events"].sum().to_dict() == {
        "penetration": 2, "soviet_aid": 5, "us_aid": 3}


def test_us_aid_channel_can_be_left_out(data: bt.BookData) -> None:
    ev = bt.aid_and_penetration(data, us_aid=False)
    assert "us_aid" not in set(ev["channel"])
    tally = bt.aid_and_penetration_tally(data, us_aid=False)
    assert tally.loc[tally["channel"] == "us_aid", "events"].isna().all()


def test_shared_tables_are_computed_once_and_handed_out_as_copies(
        data: bt.BookData, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = bt._ideology

    def counting(d: bt.BookData, at: str) -> pd.DataFrame:
        calls.append(at)
        return real(d, at)

    monkeypatch.setattr(bt, "_ideology", counting)
    data = bt.BookData(dict(data.tables), data.period_start, data.period_end)  # a cold cache
    first = bt.ideology(data)
    first.loc[0, "similarity"] = "tampered"  # a caller's edit must not reach the next caller
    first.attrs["note"] = "tampered"
    bt.ideology_tally(data)
    again = bt.pan_arab_unions(data)
    assert calls == ["alignment_start"]
    assert "tampered" not in set(bt.ideology(data)["similarity"])
    assert bt.ideology(data).attrs["note"] != "tampered"
    assert again["alignment_id"].tolist() == ["d-union"]
    bt.ideology(data, at="member_start")
    assert calls == ["alignment_start", "member_start"]
    # a new BookData (for example after a recode) computes afresh
    bt.ideology(bt.BookData(dict(data.tables), data.period_start, data.period_end))
    assert len(calls) == 3
    # and so does one made by dataclasses.replace with changed codings (not the old cache)
    from dataclasses import replace

    reg = data.tables["regimes"].copy()
    reg["family"] = pd.Categorical(["other"] * len(reg), categories=reg["family"].cat.categories)
    recoded = replace(data, tables={**data.tables, "regimes": reg})
    ide = bt.ideology(recoded)
    assert len(calls) == 4
    assert not (ide["similarity"] == "dissimilar").any()  # every family is now "other"


def test_compare_dates_uses_the_coarser_precision() -> None:
    assert bt._compare_dates("1960", "1960-05-01") == "same"
    assert bt._compare_dates("1960-04", "1960-05-01") == "before"
    assert bt._compare_dates("1961", "1960-12-31") == "after"


# ---------------------------------------------------------------------------------------------
# World power
# ---------------------------------------------------------------------------------------------

def test_world_power_balance_sums_blocs(data: bt.BookData) -> None:
    w = bt.world_power_balance(data, state_years=state_years())
    assert w["year"].tolist() == list(range(1955, 1980))
    # Hand-written blocs: US: JOR from 1957 (b-us, open); EGY with the USA in 1962-1963
    # (h-both). Soviet: IRQ and EGY 1960-1965 (c-su). EGY in both blocs 1962-1963.
    for y in range(1955, 1980):
        us = {"USA"} | ({"JOR"} if y >= 1957 else set())
        su = {"RUS"} | ({"IRQ", "EGY"} if 1960 <= y <= 1965 else set())
        if y in (1962, 1963):
            us.add("EGY")
        both = us & su
        us, su = us - both, su - both
        r = cell(w, year=y)
        assert float(r["us_cinc"]) == pytest.approx(sum(CINC[a] for a in us)), y
        assert float(r["soviet_cinc"]) == pytest.approx(sum(CINC[a] for a in su)), y
        assert float(r["both_cinc"]) == pytest.approx(sum(CINC[a] for a in both)), y
        assert r["us_states"] == ";".join(sorted(us))
        assert float(r["us_region_cinc"]) == pytest.approx(
            sum(CINC[a] for a in us if a not in ("USA",)))
    assert float(cell(w, year=1960)["us_to_soviet"]) == pytest.approx(0.301 / 0.213, rel=1e-5)


def test_world_power_balance_without_the_superpowers_cinc_is_missing_not_zero(
        data: bt.BookData) -> None:
    sy = state_years()
    sy = sy[sy["ccode"] != 2]  # no CINC for the USA in any year
    w = bt.world_power_balance(data, state_years=sy)
    assert w["us_cinc"].isna().all() and w["us_to_soviet"].isna().all()
    assert w["soviet_cinc"].notna().any()


def test_book_tables_read_the_datas_own_state_years(data: bt.BookData) -> None:
    """A study with its own measures (an extension's, to 1990) gives them to the tables that
    read state-years; the shipped measures (to 1979) are only the fallback."""
    sy = state_years()
    own = bt.BookData(dict(data.tables), data.period_start, data.period_end,
                      state_years=sy[sy["ccode"] != 2])
    w = bt.world_power_balance(own)
    assert w["us_cinc"].isna().all()  # the data's own table, without the USA
    pd.testing.assert_frame_equal(w, bt.world_power_balance(own, state_years=own.state_years))


def test_world_power_balance_lists_missing_cinc(data: bt.BookData) -> None:
    sy = state_years()
    sy = sy[~((sy["ccode"] == 663) & (sy["year"] == 1970))]
    w = bt.world_power_balance(data, state_years=sy)
    r = cell(w, year=1970)
    assert r["missing_cinc"] == "JOR"
    assert float(r["us_cinc"]) == pytest.approx(0.3)  # missing is not counted, not zero-filled


def test_world_power_balance_names_the_missing_module(monkeypatch: pytest.MonkeyPatch,
                                                       data: bt.BookData) -> None:
    import importlib

    real = importlib.import_module

    def fake(name: str, *a: object) -> object:
        if name == "walt_alliances.measures.shipped":
            raise ImportError(name)
        return real(name, *a)

    monkeypatch.setattr(bt.importlib, "import_module", fake)
    with pytest.raises(RuntimeError, match="walt_alliances.measures.shipped"):
        bt.world_power_balance(data)


# ---------------------------------------------------------------------------------------------
# The shipped data: invariants
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped() -> bt.BookData:
    return bt.BookData.shipped()


def _in_period_memberships(d: bt.BookData) -> pd.DataFrame:
    lo, hi = pd.Timestamp(d.period_start), pd.Timestamp(d.period_end)
    al = d["alignments"]
    al_end = al["end_last_day"].fillna(hi)
    ids = set(al.loc[(al["start_first_day"] <= hi) & (al_end >= lo), "alignment_id"])
    ms = d["memberships"]
    end = ms["end_last_day"].fillna(hi)
    return ms[(ms["start_first_day"] <= hi) & (end >= lo) & ms["alignment_id"].isin(ids)]


def test_shipped_commitments_equal_membership_rows(shipped: bt.BookData) -> None:
    t = bt.balancing_vs_bandwagoning(shipped)
    members = _in_period_memberships(shipped)
    com = t[(t["level"] == "commitments") & (t["group"] == "all")]
    assert int(com["count"].sum()) == len(members)
    by_group = t[(t["level"] == "commitments") & (t["group"] != "all")]["count"].sum()
    assert int(by_group) == len(members)
    al = t[(t["level"] == "alliances") & (t["group"] == "all")]
    assert int(al["count"].sum()) == len(bt.appendix1(shipped))
    assert members["alignment_id"].nunique() == len(bt.appendix1(shipped))


def test_shipped_member_table_matches_memberships(shipped: bt.BookData) -> None:
    m = bt.appendix1(shipped, level="member")
    assert len(m) == len(_in_period_memberships(shipped))
    a = bt.appendix1(shipped)
    assert int(a["n_members"].sum()) == len(m)


def test_shipped_threat_rows(shipped: bt.BookData) -> None:
    ms = _in_period_memberships(shipped)
    th = shipped["threats"]
    keys = set(zip(ms["alignment_id"], ms["actor_id"], strict=True))
    n = sum((a, b) in keys for a, b in zip(th["alignment_id"], th["actor_id"], strict=True))
    assert len(bt.threat_sources(shipped)) == n
    t = bt.threat_sources_tally(shipped)
    assert int(cell(t, row="all_threats")["threats"]) == n
    ks = sum(int(cell(t, row=f"n_components:{k}")["threats"]) for k in range(5))
    assert ks == n


def test_shipped_ideology_and_world_power(shipped: bt.BookData) -> None:
    ide = bt.ideology(shipped)
    assert set(ide["similarity"]) <= set(bt.SIMILARITY)
    assert (ide["duration_years"].dropna() > 0).all()
    assert int(bt.ideology_tally(shipped).iloc[-1]["alignments"]) == len(ide)
    w = bt.world_power_balance(shipped)
    assert len(w) == shipped.last_year - shipped.first_year + 1
    assert all("USA" in s.split(";") for s in w["us_states"])
    assert all("RUS" in s.split(";") for s in w["soviet_states"])
    assert (w["us_cinc"] > 0).all() and (w["soviet_cinc"] > 0).all()


@pytest.mark.parametrize("name", list(bt.BOOK_TABLES))
def test_every_table_says_the_values_are_ours(name: str, shipped: bt.BookData) -> None:
    df = bt.BOOK_TABLES[name][0](shipped)
    assert df.attrs["coded_by"] == "ours"
    assert (df["coded_by"] == "ours").all()
    # deterministic: a second call gives the same frame
    pd.testing.assert_frame_equal(df, bt.BOOK_TABLES[name][0](shipped))


def test_from_recordset_equals_shipped_tables(shipped: bt.BookData) -> None:
    from walt_alliances.records.load import load_recordset

    d = bt.BookData.from_recordset(load_recordset())
    pd.testing.assert_frame_equal(bt.appendix1(d), bt.appendix1(shipped))
    pd.testing.assert_frame_equal(bt.balancing_vs_bandwagoning(d),
                                  bt.balancing_vs_bandwagoning(shipped))
