"""Named cases added in data 0.4.0 (issue 15), pinned with their expected values.

Expected values come from the sources cited in the records and listed in the CHANGELOG (treaty
texts and reference works, FRUS documents, contemporary cables and press reports, ATOP 5.1 read
here with the csv module), not from this package's output.
"""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

import walt_alliances as wa
from tests.helpers import alignment_yaml, write
from walt_alliances.errors import RecordsError
from walt_alliances.panels.verbs import PanelError, create_dyad_years, create_state_years
from walt_alliances.records.validate import validate_paths


def members(alignment_id: str) -> pd.DataFrame:
    m = wa.load_memberships()
    return m[m["alignment_id"] == alignment_id].set_index("actor_id")


def alignment(alignment_id: str) -> pd.Series:
    al = wa.load_alignments()
    return al[al["alignment_id"] == alignment_id].iloc[0]


def threats(alignment_id: str, actor: str) -> set[str]:
    t = wa.load_threats()
    t = t[(t["alignment_id"] == alignment_id) & (t["actor_id"] == actor)]
    return set(t["threat_actor_id"].astype(str))


# --- new alignments ------------------------------------------------------------------------------

def test_france_israel_tacit_alliance_1955_1967():
    al = alignment("france-israel-1955")
    # arms from 1955 (Ouragans ordered after the Czech deal); ended with the June 1967 embargo
    assert (al["start"], al["end"], al["kind"]) == ("1955", "1967-06", "informal_alignment")
    m = members("france-israel-1955")
    assert (m.loc["FRN", "role"], m.loc["ISR", "role"]) == ("patron", "client")
    assert "EGY" in threats("france-israel-1955", "ISR")
    assert pd.isna(al["atop_ids"]) or al["atop_ids"] == ""


def test_soviet_yemeni_alignment_treaties_of_1955_and_1964():
    al = alignment("soviet-yemeni-alignment-1955")
    # treaty of friendship of 31 October 1955 (Great Soviet Encyclopedia); treaty of
    # 21 March 1964 (same, and the preamble of the 1984 treaty)
    assert al["start"] == "1955-10-31" and al["end"] == "1970"
    assert "21 March 1964" in al["aliases"]
    # a monarchy aligned with Moscow: the Imamate is the same COW state (678) as the YAR
    assert set(members("soviet-yemeni-alignment-1955").index) == {"RUS", "YAR"}
    regimes = wa.load_regimes()
    yar = regimes[(regimes["actor_id"] == "YAR")
                  & (regimes["start_first_day"] <= pd.Timestamp("1956-01-01"))]
    assert "traditional_monarchy" in set(yar["family"].astype(str))


def test_syria_in_lebanon_then_the_arab_deterrent_force():
    inv = alignment("syria-lebanon-intervention-1976")
    adf = alignment("arab-deterrent-force-1976")
    assert (inv["start"], inv["end"]) == ("1976-06", "1976-10-17")
    # Riyadh agreement of 18 October 1976, endorsed at Cairo on 25-26 October
    assert adf["start"] == "1976-10-18" and adf["kind"] == "summit_commitment"
    assert bool(adf["right_censored"])
    m = members("arab-deterrent-force-1976")
    assert {"SYR", "LEB", "SAU", "KUW", "EGY"} <= set(m.index)
    assert "IRQ" not in m.index and "PLO" not in m.index  # opponents, not members
    # Egypt broke relations with Syria on 5 December 1977
    assert m.loc["EGY", "end"] == "1977-12-05"
    # the two records follow each other without overlap
    assert pd.Timestamp(inv["end_last_day"]) + pd.Timedelta(days=1) == pd.Timestamp(
        adf["start_first_day"])


def test_soviet_iraqi_gap_filled_up_to_the_treaty():
    gap = alignment("soviet-iraqi-alignment-1964")
    treaty = alignment("soviet-iraqi-treaty-1972")
    assert gap["end"] == "1972-04-08" and treaty["start"] == "1972-04-09"
    assert gap["confidence"] == "low"
    # the Qasim-era record ends before the gap record starts
    assert pd.Timestamp(alignment("soviet-iraqi-alignment-1958")["end_last_day"]) < pd.Timestamp(
        gap["start_first_day"])


def test_soviet_sudanese_alignment_and_iran_kdp():
    sd = alignment("soviet-sudanese-alignment-1969")
    # Nimeiri's coup of 25 May 1969; most Soviet personnel left after the failed coup of July 1971
    assert (sd["start"], sd["end"]) == ("1969-05-25", "1971-07")
    ik = alignment("iran-kdp-alignment-1972")
    assert ik["end"] == "1975-03-06"  # the Algiers agreement
    m = members("iran-kdp-alignment-1972")
    assert set(m.index) == {"IRN", "KDP"} and pd.isna(m.loc["KDP", "ccode"])


def test_considered_and_excluded_cases_have_reasons():
    ex = wa.load_excluded_events().set_index("event_id")
    for eid in ("soviet-algerian-alignment-1963", "israel-maronite-militias-1976",
                "safari-club-1976", "morocco-mauritania-western-sahara-1976",
                "egypt-algeria-sand-war-1963", "saudi-yar-patronage-1970",
                "ogaden-war-supporters-1977"):
        assert ex.loc[eid, "decision"] == "excluded" and len(ex.loc[eid, "reason"]) > 100


# --- treaties inside informal records get their own record ---------------------------------------

@pytest.mark.parametrize("informal, treaty, day", [
    ("soviet-pdry-alignment", "soviet-pdry-treaty-1979", "1979-10-25"),
    ("egypt-yar-1962", "egypt-yar-defence-pact-1962", "1962-11-10"),
])
def test_treaty_follows_the_informal_record(informal, treaty, day):
    a, t = alignment(informal), alignment(treaty)
    assert t["start"] == day and t["kind"] == "formal_treaty"
    assert pd.Timestamp(a["end_last_day"]) + pd.Timedelta(days=1) == pd.Timestamp(day)
    assert pd.isna(a["atop_ids"]) or a["atop_ids"] == ""


@pytest.mark.external
def test_every_linked_atop_alliance_starts_within_31_days_of_its_record(external_dir):
    first: dict[int, dt.date] = {}
    with open(external_dir / "atop" / "atop5_1m.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            d = dt.date(int(row["yrent"]), int(row["moent"] or 1) or 1,
                        int(row["dayent"] or 1) or 1)
            a = int(row["atopid"])
            first[a] = min(first.get(a, d), d)
    al = wa.load_alignments()
    far = []
    for r in al.itertuples(index=False):
        for x in (r.atop_ids or "").split(";") if isinstance(r.atop_ids, str) else []:
            if x:
                gap = (pd.Timestamp(r.start_first_day).date() - first[int(x)]).days
                if abs(gap) > 31:
                    far.append((r.alignment_id, x, gap))
    assert not far, far
    # the three the issue named: ATOP 3280 (UK accession), 3467 (UAR-Yemen pact), 3855 (PDRY)
    links = {x: r.alignment_id for r in al.itertuples(index=False)
             for x in str(r.atop_ids).split(";")}
    assert links["3280"] == "uk-iraq-special-agreement-1955"
    assert links["3467"] == "egypt-yar-defence-pact-1962"
    assert links["3855"] == "soviet-pdry-treaty-1979"


# --- outside states: threats without entering the alignment universe -----------------------------

def test_outside_states_are_threats_only():
    act = wa.load_actors().set_index("actor_id")
    outside = {"IND", "CHN", "GRC", "CYP", "ETH", "AFG", "SPN"}
    assert set(act.index[act["kind"] == "outside_state"]) == outside
    # COW codes (state list v2016)
    assert act.loc["IND", "ccode"] == 750 and act.loc["CYP", "ccode"] == 352
    # never a member of an alignment
    assert not outside & set(wa.load_memberships()["actor_id"])
    # Pakistan's threat from India is now coded, with threat type outside_power
    t = wa.load_threats()
    ind = t[(t["threat_actor_id"] == "IND") & (t["actor_id"] == "PAK")]
    assert set(ind["alignment_id"]) == {"baghdad-pact", "us-pakistan-1959"}
    assert set(ind["threat_type"].astype(str)) == {"outside_power"}


def test_outside_states_are_not_in_panels():
    sy = create_state_years(1955, 1979)
    assert not {"IND", "CHN", "GRC", "CYP", "ETH", "AFG", "SPN"} & set(sy["actor_id"])
    dy = create_dyad_years(1970, 1970)
    assert "IND" not in set(dy["actor1"]) | set(dy["actor2"])
    with pytest.raises(PanelError, match="outside states"):
        create_state_years(1960, 1960, actors=["PAK", "IND"])


def test_validator_refuses_an_outside_state_as_member(tmp_path):
    write(tmp_path, "alignments/india-pact.yaml",
          alignment_yaml(id="india-pact", a="PAK", b="IND"))
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    assert any("IND is an outside state" in p.message for p in exc.value.problems)


def test_validator_union_rule(tmp_path):
    union = alignment_yaml(id="test-union", start="1958-02-01", end='"1961-09-28"',
                           a="EGY", b="SYR").replace("kind: formal_treaty", "kind: union")
    # without the flag Syria is not a state on every day of its membership
    write(tmp_path, "alignments/test-union.yaml", union)
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    assert any("SYR is not an existing actor" in p.message for p in exc.value.problems)
    # with it the historical membership is accepted
    write(tmp_path, "alignments/test-union.yaml",
          union.replace("  - actor: SYR\n    role: member", "  - actor: SYR\n    role: member\n"
                        "    part_of_union: true"))
    validate_paths([tmp_path])
    # the flag outside a union, or on a member that is a state throughout, is refused
    pact = alignment_yaml(id="test-union", start="1962", end='"1963"', a="EGY", b="JOR").replace(
        "  - actor: JOR\n    role: member", "  - actor: JOR\n    role: member\n"
        "    part_of_union: true")
    write(tmp_path, "alignments/test-union.yaml", pact)
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    assert any("not a union" in p.message for p in exc.value.problems)
    write(tmp_path, "alignments/test-union.yaml",
          pact.replace("kind: formal_treaty", "kind: union"))
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    assert any("remove the flag" in p.message for p in exc.value.problems)


# --- text and coding fixes -----------------------------------------------------------------------

def test_sudan_has_no_threat_in_the_kuwait_force():
    assert threats("arab-league-force-kuwait-1961", "SUD") == set()
    assert "IRQ" in threats("arab-league-force-kuwait-1961", "KUW")


def test_data_version_is_0_4_0():
    assert wa.data_version() == "0.4.0"
