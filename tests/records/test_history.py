"""Named historical cases, pinned with their expected rows.

Expected values come from the historical and treaty record (ATOP 5.1 member dates, the COW
state list, contemporary reports as cited in the records), not from this package's output.
"""

from __future__ import annotations

import pandas as pd
import pytest

import walt_alliances as wa
from walt_alliances.panels.verbs import create_dyad_years, create_state_years


def members(alignment_id: str) -> pd.DataFrame:
    m = wa.load_memberships()
    return m[m["alignment_id"] == alignment_id].set_index("actor_id")


def alignment(alignment_id: str) -> pd.Series:
    al = wa.load_alignments()
    return al[al["alignment_id"] == alignment_id].iloc[0]


# --- the United Arab Republic, 1958-1961, and Syria's absence --------------------------------

def test_uar_dates_and_syria_membership_as_it_was():
    uar = alignment("uar")
    assert (uar["start"], uar["end"], uar["kind"]) == ("1958-02-01", "1961-09-28", "union")
    m = members("uar")
    assert set(m.index) == {"EGY", "SYR"}
    # Syria was in the union from 1 February 1958 to the secession of 28 September 1961
    assert (m.loc["SYR", "start"], m.loc["SYR", "end"]) == ("1958-02-01", "1961-09-28")
    assert bool(m.loc["SYR", "part_of_union"]) and not bool(m.loc["EGY", "part_of_union"])
    # COW: Syria leaves the system after 1958-02-01 and returns on 1961-09-29
    spells = wa.load_actor_spells()
    syr = spells[spells["actor_id"] == "SYR"].sort_values("start")
    assert list(syr["end"])[0] == "1958-02-01" and list(syr["start"])[1] == "1961-09-29"


def test_union_membership_counts_in_panels_only_while_syria_is_a_state():
    dy = create_dyad_years(1958, 1961).pipe(wa.add_alignment)
    es = dy[(dy["actor1"] == "EGY") & (dy["actor2"] == "SYR")].set_index("year")
    # 1958: Syria is a COW state on 1 February 1958, the union's first day
    assert "uar" in es.loc[1958, "alignment_ids"].split(";")
    # 1961: Syria is a state again only from 29 September, after it left the union
    assert "uar" not in str(es.loc[1961, "alignment_ids"]).split(";")
    assert not {1959, 1960} & set(es.index)


def test_no_syria_rows_in_panels_1959_1960():
    sy = create_state_years(1955, 1979)
    years = set(sy.loc[sy["actor_id"] == "SYR", "year"])
    assert {1958, 1961} <= years and not {1959, 1960} & years
    dy = create_dyad_years(1959, 1960)
    assert not (dy["actor1"] == "SYR").any() and not (dy["actor2"] == "SYR").any()
    assert (dy["actor1"] == "EGY").any()  # Egypt (the UAR) continues as COW 651


def test_no_actor_is_a_member_while_it_does_not_exist():
    spells = wa.load_actor_spells()
    for r in wa.load_memberships().itertuples(index=False):
        if r.part_of_union:  # the union rule: checked in the UAR tests above
            assert (r.alignment_id, r.actor_id) == ("uar", "SYR")
            continue
        sp = spells[spells["actor_id"] == r.actor_id]
        end = r.end_last_day if not pd.isna(r.end_last_day) else pd.Timestamp("1979-12-31")
        ok = ((sp["start_first_day"] <= r.start_first_day)
              & (sp["end_last_day"].isna() | (sp["end_last_day"] >= end))).any()
        assert ok, (r.alignment_id, r.actor_id)


# --- the Baghdad Pact: accessions and Iraq's exit ----------------------------------------------

def test_baghdad_pact_accessions_and_iraq_exit():
    bp = alignment("baghdad-pact")
    assert bp["start"] == "1955-02-24" and "3275" in bp["atop_ids"].split(";")
    m = members("baghdad-pact")
    # ATOP 5.1 and the treaty record: Turkey and Iraq 24 Feb 1955; the UK 5 Apr 1955;
    # Pakistan 23 Sep 1955; Iran 3 Nov 1955; Iraq withdrew 24 Mar 1959
    assert m.loc["TUR", "start"] == "1955-02-24" and m.loc["IRQ", "start"] == "1955-02-24"
    assert m.loc["UKG", "start"] == "1955-04-05"
    assert m.loc["PAK", "start"] == "1955-09-23"
    assert m.loc["IRN", "start"] == "1955-11-03"
    assert m.loc["IRQ", "end"] == "1959-03-24"
    # the US associated itself without joining
    assert m.loc["USA", "role"] == "associate"


def test_pact_continues_as_cento_without_iraq():
    dy = create_dyad_years(1960, 1960).pipe(wa.add_alignment)
    pair = dy[(dy["actor1"] == "TUR") & (dy["actor2"] == "IRN")]
    assert pair["alignment_ids"].str.contains("baghdad-pact").all()
    iraq = dy[(dy["actor1"] == "IRQ") & (dy["actor2"] == "TUR")]
    assert not iraq["alignment_ids"].fillna("").str.contains("baghdad-pact").any()


# --- the two Yemens ----------------------------------------------------------------------------

def test_two_yemens():
    actors = wa.load_actors().set_index("actor_id")
    assert actors.loc["YAR", "ccode"] == 678 and actors.loc["YPR", "ccode"] == 680
    sy = create_state_years(1955, 1979)
    ypr = sy.loc[sy["actor_id"] == "YPR", "year"]
    assert ypr.min() == 1967  # independence 30 Nov 1967
    assert sy.loc[sy["actor_id"] == "YAR", "year"].min() == 1955
    spells = wa.load_actor_spells().set_index("actor_id")
    assert spells.loc["YPR", "start"] == "1967-11-30"


# --- 1967: Egypt-Jordan pact, then Iraq ----------------------------------------------------------

def test_egypt_jordan_pact_and_iraq_accession_1967():
    a = alignment("egypt-jordan-iraq-1967")
    assert a["start"] == "1967-05-30" and "3570" in a["atop_ids"].split(";")
    m = members("egypt-jordan-iraq-1967")
    assert m.loc["EGY", "start"] == "1967-05-30" and m.loc["JOR", "start"] == "1967-05-30"
    assert m.loc["IRQ", "start"] == "1967-06-04"


# --- the Soviet-Egyptian treaty and its abrogation -----------------------------------------------

def test_soviet_egyptian_treaty_and_abrogation():
    a = alignment("soviet-egyptian-treaty-1971")
    assert (a["start"], a["end"]) == ("1971-05-27", "1976-03-15")
    assert a["atop_ids"] == "3670"
    dy = create_dyad_years(1975, 1977).pipe(wa.add_alignment)
    pair = dy[(dy["actor1"] == "EGY") & (dy["actor2"] == "RUS")].set_index("year")
    assert pair.loc[1975, "aligned"] == 1 and pair.loc[1976, "aligned"] == 1  # until 15 March
    assert pair.loc[1977, "aligned"] == 0


# --- the Steadfastness Front, with the PLO as a non-state actor ---------------------------------

def test_steadfastness_front_with_the_plo():
    a = alignment("steadfastness-front")
    assert a["start"] == "1977-12-05" and bool(a["right_censored"])
    m = members("steadfastness-front")
    assert set(m.index) == {"SYR", "LIB", "ALG", "YPR", "PLO"}  # Iraq refused to join
    assert pd.isna(m.loc["PLO", "ccode"])


def test_plo_is_a_non_state_actor_from_1964():
    actors = wa.load_actors().set_index("actor_id")
    assert actors.loc["PLO", "kind"] == "non_state" and pd.isna(actors.loc["PLO", "ccode"])
    sy = create_state_years(1955, 1979)
    assert sy.loc[sy["actor_id"] == "PLO", "year"].min() == 1964
    dy = create_dyad_years(1978, 1978).pipe(wa.add_alignment)
    plo_syr = dy[(dy["actor1"] == "PLO") & (dy["actor2"] == "SYR")]
    assert plo_syr["aligned"].iloc[0] == 1


@pytest.mark.parametrize("aid,expected", [("KUW", 1961), ("ALG", 1962), ("BAH", 1971),
                                          ("QAT", 1971), ("UAE", 1971), ("OMA", 1971)])
def test_late_entrants(aid, expected):
    sy = create_state_years(1955, 1979)
    assert sy.loc[sy["actor_id"] == aid, "year"].min() == expected


@pytest.mark.external
def test_atop_crosscheck_has_nothing_unexplained(external_dir):
    from walt_alliances.tables.crosscheck import atop_crosscheck

    res = atop_crosscheck(external_dir / "atop")
    assert res.ok, res.summary()
    # independent count of the universe: ATOP member rows in force 1955-1979 with an in-scope
    # member, read with the csv module
    import csv

    act = wa.load_actors()
    scope = set(act.loc[act["kind"] != "outside_state", "ccode"].dropna().astype(int))
    ids = set()
    with open(external_dir / "atop" / "atop5_1m.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            yrexit = int(row["yrexit"])
            if (int(row["member"]) in scope and int(row["yrent"]) <= 1979
                    and (yrexit == 0 or yrexit >= 1955)):
                ids.add(int(row["atopid"]))
    assert set(res.alliances["atopid"]) == ids


def test_cli_crosscheck_exit_codes(tmp_path, external_dir):
    import shutil
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "walt_alliances", "crosscheck", "atop",
                        "--atop-dir", str(external_dir / "atop")], capture_output=True, text=True)
    assert r.returncode == 0 and "unexplained: 0" in r.stdout
    # a changed ATOP file is refused with a clear message
    bad = tmp_path / "atop"
    bad.mkdir()
    shutil.copy(external_dir / "atop" / "atop5_1m.csv", bad / "atop5_1m.csv")
    with open(bad / "atop5_1m.csv", "a") as fh:
        fh.write("\n")
    r = subprocess.run([sys.executable, "-m", "walt_alliances", "crosscheck", "atop",
                        "--atop-dir", str(bad)], capture_output=True, text=True)
    assert r.returncode == 1 and "not ATOP 5.1" in r.stderr and "Traceback" not in r.stderr
