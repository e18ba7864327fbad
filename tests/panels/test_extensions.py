"""Extensions: new cases layered on the shipped data, overrides, conflicts, rebuilt measures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import walt_alliances as wa
from tests.helpers import alignment_yaml, write
from walt_alliances.errors import RawDataError, RecordsError
from walt_alliances.panels.study import Study
from walt_alliances.records.validate import validate_paths

GULF = Path(__file__).resolve().parents[2] / "datasets" / "extensions" / "gulf-1979-1990"


def _ext(folder: Path, overrides: str = "", end: str = "1990") -> None:
    write(folder, "extension.yaml", f'title: Test\nperiod: {{start: "1979", end: "{end}"}}\n'
          + (f"overrides:\n{overrides}" if overrides else ""))


def test_gulf_extension_validates_with_overrides_reported():
    rs = validate_paths([GULF])
    assert rs.info.period_end == "1990"
    overrides = [n for n in rs.notes if n.startswith("override:")]
    assert any("steadfastness-front" in n for n in overrides)
    ids = {a.alignment_id for a in rs.alignments}
    assert {"gcc-1981", "soviet-intervention-afghanistan-1979"} <= ids
    front = next(a for a in rs.alignments if a.alignment_id == "steadfastness-front")
    assert front.end is not None  # the override gives its real end
    # no duplicate ids after the override
    assert len(ids) == len(rs.alignments)


def test_override_replaces_and_conflicts_are_all_reported(tmp_path):
    shipped = "steadfastness-front"
    _ext(tmp_path, overrides='  - id: nosuch-record\n    reason: test\n')
    write(tmp_path, f"alignments/{shipped}.yaml", alignment_yaml(id=shipped, start="1980",
                                                                end='"1981"'))
    write(tmp_path, "alignments/bad-actor.yaml", alignment_yaml(id="bad-actor", b="ZZZ",
                                                               start="1980", end='"1981"'))
    write(tmp_path, "alignments/overlap.yaml", alignment_yaml(
        id="overlap", start="1980", end='"1982"', c="EGY", a_dates='start: "1980"'))
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    msgs = "\n".join(str(p) for p in exc.value.problems)
    assert "duplicate id" in msgs and shipped in msgs        # not listed as an override
    assert "no shipped record with this id" in msgs or "has no record" in msgs
    assert "unknown actor 'ZZZ'" in msgs
    assert "member twice at overlapping times" in msgs


def test_listed_override_replaces_the_shipped_record(tmp_path):
    shipped = "steadfastness-front"
    _ext(tmp_path, overrides=f"  - id: {shipped}\n    reason: recoded for a test\n",
         end="1985")
    write(tmp_path, f"alignments/{shipped}.yaml", alignment_yaml(
        id=shipped, start="1977-12-05", end='"1985"', a="SYR", b="LIB"))
    rs = validate_paths([tmp_path])
    recs = [a for a in rs.alignments if a.alignment_id == shipped]
    assert len(recs) == 1 and recs[0].end == "1985"
    assert any(shipped in n and "recoded for a test" in n for n in rs.notes)


def test_open_ended_shipped_records_must_end_when_a_member_ceases_to_exist(tmp_path):
    _ext(tmp_path, end="1990")  # the two Yemens merge on 22 May 1990
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    msgs = [p for p in exc.value.problems if p.record == "soviet-pdry-treaty-1979"]
    assert msgs and "must be given a real end" in msgs[0].message


def test_cli_validate_extension_bad_input(tmp_path):
    _ext(tmp_path)
    write(tmp_path, "alignments/x.yaml", alignment_yaml(id="x", b="ZZZ", start="1980",
                                                       end='"1981"'))
    r = subprocess.run([sys.executable, "-m", "walt_alliances", "validate", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "ZZZ" in r.stderr and "Traceback" not in r.stderr


def test_regimes_are_not_extrapolated_past_their_coding(external_dir):
    rs = validate_paths([GULF])
    st = Study.from_records(rs, external_dir=external_dir)
    p = wa.add_ideology(wa.create_state_years(1975, 1990, actors=["SUD", "AFG"], study=st),
                        study=st)
    sud = p[p["actor_id"] == "SUD"].set_index("year")["family"]
    assert sud.loc[1979] == sud.loc[1979] and pd.notna(sud.loc[1979])
    assert sud.loc[1980:].isna().all()  # coded to 1979 only; the 1985 coup is not coded
    afg = p[p["actor_id"] == "AFG"].set_index("year")["family"]
    assert afg.loc[1985:].notna().all()  # the extension codes Afghanistan to 1990


def test_measures_rebuilt_from_raw_for_new_states_and_years(external_dir):
    import csv

    st = Study.from_records(validate_paths([GULF]), external_dir=external_dir)
    assert st.measure_years == (1950, 1990)
    sy = st.state_years.set_index(["ccode", "year"])
    with open(external_dir / "cow_nmc" / "NMC-60-abridged.csv", newline="") as fh:
        raw = {(int(r["ccode"]), int(r["year"])): r for r in csv.DictReader(fh)}
    for key in [(700, 1985), (651, 1988), (679, 1990)]:
        assert sy.loc[key, "cinc"] == pytest.approx(float(raw[key]["cinc"]))
    p = wa.add_all(wa.create_dyad_years(1985, 1986, study=st), study=st)
    assert (p["actor1"] == "AFG").any() and p.loc[p["actor1"] == "AFG", "cinc1"].notna().all()
    # penetration is coded to 1979: missing (not zero) in the extension's later years
    assert p["pen_by_j"].isna().all()


def test_missing_or_changed_raw_files_are_named(tmp_path, external_dir):
    rs = validate_paths([GULF])
    with pytest.raises(RawDataError, match="raw external data folder not found"):
        Study.from_records(rs, external_dir=tmp_path / "nothing-here")
    fake = tmp_path / "external"
    for sub in external_dir.iterdir():
        if sub.is_dir():
            (fake / sub.name).mkdir(parents=True)
            for f in sub.iterdir():
                os.symlink(f, fake / sub.name / f.name)
    nmc = fake / "cow_nmc" / "NMC-60-abridged.csv"
    nmc.unlink()
    shutil.copy(external_dir / "cow_nmc" / "NMC-60-abridged.csv", nmc)
    with open(nmc, "ab") as fh:
        fh.write(b"\n")
    os.unlink(fake / "polity" / "p5v2018.csv")
    with pytest.raises(RawDataError) as exc:
        Study.from_records(rs, external_dir=fake)
    msg = str(exc.value)
    assert "NMC-60-abridged.csv" in msg or "cow_nmc" in msg


def test_verdict_changes_marks_differences():
    from walt_alliances.report.report import verdict_changes

    cols = dict(model_id=["m", "m"], hypothesis=["H1", "H1"], term=["a", "b"],
                expected_sign=["+", "-"], estimate=[1.0, -1.0], p_value=[0.01, 0.01],
                n=[10, 10])
    base = pd.DataFrame({**cols, "verdict": ["supported", "supported"]})
    other = pd.DataFrame({**cols, "verdict": ["supported", "not significant"]})
    out = verdict_changes(base, other).set_index("term")
    assert not out.loc["a", "changed"] and out.loc["b", "changed"]
    assert out.loc["b", "verdict_given"] == "not significant"


def test_reproduce_with_extension_cli(tmp_path, external_dir):
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "walt_alliances", "reproduce", "--with", str(GULF),
                        "--external-dir", str(external_dir), "--out", str(out),
                        "--no-robustness", "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ch = pd.read_csv(out / "tables" / "verdicts_vs_shipped.csv")
    assert {"verdict_shipped", "verdict_given", "changed"} <= set(ch.columns)
    import json

    man = json.loads((out / "manifest.json").read_text())
    assert man["period"][1] == "1990-12-31"
    assert any("override" in n for n in man["data_notes"])


def test_reproduce_with_bad_extension_writes_nothing(tmp_path):
    _ext(tmp_path / "ext")
    write(tmp_path / "ext", "alignments/x.yaml", alignment_yaml(id="x", b="ZZZ", start="1980",
                                                               end='"1981"'))
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "walt_alliances", "reproduce", "--with",
                        str(tmp_path / "ext"), "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 1 and "ZZZ" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_study_with_records_python_equivalent(external_dir):
    st = Study.with_records(GULF, external_dir=external_dir)
    assert st.period_end.year == 1990 and "AFG" in set(st["actors"]["actor_id"])
