"""Extensions run after a plain install, with no raw data folder (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import walt_alliances as wa
from walt_alliances import cli
from walt_alliances.panels.study import Study

GULF = Path(__file__).resolve().parents[2] / "datasets" / "extensions" / "gulf-1979-1990"


@pytest.fixture(scope="module")
def gulf(tmp_path_factory: pytest.TempPathFactory) -> Study:
    mp = pytest.MonkeyPatch()
    mp.setenv("WALT_EXTERNAL_DIR", str(tmp_path_factory.mktemp("none") / "no-raw-files"))
    mp.chdir(tmp_path_factory.mktemp("elsewhere"))  # no ../shared/external either
    try:
        return Study.with_records(GULF)
    finally:
        mp.undo()


def test_measures_for_new_states_and_years_come_from_the_shipped_tables(gulf: Study) -> None:
    sy, dy = gulf.measures()
    assert gulf.measure_years == (1950, 1990)
    assert {530, 679, 700} <= set(sy["ccode"].dropna().astype(int))
    afg = sy[(sy["ccode"] == 700) & (sy["year"] == 1985)].iloc[0]
    assert afg["cinc"] > 0 and afg["us_aid_oblig_constant"] >= 0
    assert sy["year"].max() == 1990
    assert any("package's source tables" in n for n in gulf.notes)


def test_hand_coded_tables_that_end_early_are_reported(gulf: Study) -> None:
    gaps = gulf.coverage_gaps
    tables = [g.split()[1] for g in gaps]
    assert tables == ["regimes", "capitals", "hostile_acts", "penetration", "soviet_aid"]
    assert all("1979" in g and "1980-1990" in g for g in gaps)
    assert gulf.notes[: len(gaps)] == gaps  # first, before the override notes
    assert gulf.coded_to("regimes") == 1979


def test_panel_info_tells_the_truth(gulf: Study) -> None:
    p = wa.add_all(wa.create_dyad_years(1979, 1990, study=gulf), study=gulf)
    info = wa.panel_info(p)
    assert info["data"]["data"] == "modified"
    assert info["measures"]["ideology"]["regimes_coded_to"] == 1979
    assert info["measures"]["penetration"]["years"][1] == 1979
    assert info["coverage_gaps"] == list(gulf.coverage_gaps)
    last = gulf["regimes"].groupby("actor_id", observed=True)["coded_to_last_day"].max()
    ended = {str(a) for a, d in last.items() if d.year == 1979}
    late = p[(p["year"] >= 1980) & p["actor1"].astype(str).isin(ended)]
    assert len(late) > 1000
    assert late["ideo_same_family"].isna().all()  # missing, not 0, after the coding ends
    assert p.loc[p["year"] >= 1980, "pen_by_j"].isna().all()


def test_unmapped_aid_recipients_get_no_false_zeros() -> None:
    from walt_alliances.sources.aid import greenbook_state_years
    from walt_alliances.sources.shipped import load_source

    aid, _ = greenbook_state_years(load_source("us_aid"), [651, 2, 345])
    assert set(aid["ccode"].astype(int)) == {651}  # 345 is not mapped: unknown, never 0


def test_build_refuses_to_write_into_an_installed_package(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import walt_alliances.panels.recode as recode

    monkeypatch.setattr(recode, "is_installed_package_path", lambda path: True)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert "never writes into the installed" in err and "--with" in err
    assert "--data-dir" in err


def test_is_installed_package_path_in_a_checkout() -> None:
    from walt_alliances.panels.recode import is_installed_package_path
    from walt_alliances.records.build import DATA_DIR

    assert not is_installed_package_path(DATA_DIR)  # a development checkout


@pytest.mark.slow
def test_list_with_records(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list", "--csv", "--quiet", "--with", str(GULF)]) == 0
    out = capsys.readouterr().out
    assert "gcc-1981" in out
    frame = wa.alignment_listing()
    assert "gcc-1981" not in set(frame["alignment_id"])
    assert isinstance(frame, pd.DataFrame)


def test_any_period_from_the_shipped_tables() -> None:
    st = wa.shipped_study().with_measure_years(1946, 1990)
    assert st.measure_years == (1946, 1990)
    p = wa.add_all(wa.create_dyad_years(1946, 1990, ccodes=[2, 365, 651, 666], study=st),
                   study=st)
    years = p["year"].astype(int)
    assert p.loc[years == 1985, "cinc1"].notna().all()
    assert p.loc[(years < 1955) | (years > 1979), "aligned"].isna().all()  # coded period only
    assert p.loc[(years >= 1955) & (years <= 1979), "aligned"].notna().all()
    assert wa.panel_info(p)["measures"]["capabilities"]["years"] == [1946, 1990]
