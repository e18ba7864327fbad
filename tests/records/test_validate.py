"""Rules across records, and the bad-input contract: every problem at once, located, exit 1."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import alignment_yaml, write
from walt_alliances.errors import RecordsError
from walt_alliances.records.validate import validate_paths


def problems_of(paths):
    with pytest.raises(RecordsError) as exc:
        validate_paths(paths)
    return exc.value.problems


def test_valid_additions_pass(tmp_path):
    write(tmp_path, "alignments/test-pact.yaml", alignment_yaml())
    rs = validate_paths([tmp_path])
    assert "test-pact" in {a.alignment_id for a in rs.alignments}


BAD = {
    # file -> (content, expected fragment of the message, expected field)
    "alignments/broken.yaml": ("alignment_id: broken\nname: [unclosed\n", "broken YAML", ""),
    "alignments/unknown-field.yaml": (alignment_yaml(id="unknown-field").replace(
        "confidence: medium", "confidence: medium\ncolour: red"), "unknown field", "colour"),
    "alignments/wrong-type.yaml": (alignment_yaml(id="wrong-type").replace(
        "right_censored: false", "right_censored: sometimes"), "boolean", "right_censored"),
    "alignments/unknown-actor.yaml": (alignment_yaml(id="unknown-actor", b="XYZ"),
                                      "unknown actor 'XYZ'", "members[1].actor"),
    "alignments/end-before-start.yaml": (alignment_yaml(id="end-before-start", start="1966-05",
                                                        end='"1966-04"'), "before start", ""),
    "alignments/kuwait-too-early.yaml": (alignment_yaml(id="kuwait-too-early", start="1960",
                                                        end='"1961-12"', b="KUW"),
                                         "KUW is not an existing actor", "members[1]"),
    "alignments/missing-key.yaml": (alignment_yaml(id="missing-key", key="nosuch1999"),
                                    "citation key 'nosuch1999'", "sources[0].key"),
    "alignments/wrong-name.yaml": (alignment_yaml(id="other-name"), "file name must be",
                                   "alignment_id"),
}


def test_every_problem_reported_at_once_with_file_record_field(tmp_path):
    for rel, (text, _, _) in BAD.items():
        write(tmp_path, rel, text)
    write(tmp_path, "alignments/dup-a.yaml", alignment_yaml(id="dup-a"))
    write(tmp_path, "alignments/dup-b.yaml", alignment_yaml(id="dup-a"))
    probs = problems_of([tmp_path])
    for rel, (_, fragment, field) in BAD.items():
        hits = [p for p in probs if p.file.endswith(rel) and fragment in p.message]
        assert hits, f"no problem for {rel} mentioning {fragment!r}: {probs}"
        if field:
            assert any(h.field == field for h in hits), (rel, [h.field for h in hits])
    dup = [p for p in probs if "duplicate id" in p.message]
    assert dup and dup[0].record == "dup-a"


def test_line_numbers_point_at_the_field(tmp_path):
    text = alignment_yaml(id="lines").replace("confidence: medium", "confidence: certain")
    write(tmp_path, "alignments/lines.yaml", text)
    (p,) = problems_of([tmp_path])
    expected = 1 + text.splitlines().index("confidence: certain")
    assert p.line == expected and p.field == "confidence"


def test_syria_is_not_a_state_during_the_uar(tmp_path):
    # COW drops Syria (652) from 1958-02-01 to 1961-09-29.
    write(tmp_path, "alignments/syria-1959.yaml",
          alignment_yaml(id="syria-1959", start="1959", end='"1959"', a="SYR", b="IRQ"))
    (p,) = problems_of([tmp_path])
    assert "SYR is not an existing actor" in p.message
    write(tmp_path, "alignments/syria-1959.yaml",
          alignment_yaml(id="syria-1959", start="1961-10", end='"1962"', a="SYR", b="IRQ"))
    validate_paths([tmp_path])


def test_a_year_precision_start_resolves_to_its_first_day(tmp_path):
    # Kuwait exists from 1961-06-19: a start of "1961" resolves to 1 Jan 1961, too early.
    write(tmp_path, "alignments/k.yaml", alignment_yaml(id="k", start="1961", end='"1962"',
                                                        b="KUW"))
    (p,) = problems_of([tmp_path])
    assert "first day" in p.message
    write(tmp_path, "alignments/k.yaml", alignment_yaml(id="k", start="1961-06-19",
                                                        end='"1962"', b="KUW"))
    validate_paths([tmp_path])


def test_member_outside_alignment_and_overlapping_twice(tmp_path):
    # a third member, EGY again, overlapping the first EGY spell
    text = alignment_yaml(id="spans", start="1965-01", end='"1966"',
                          a_dates='start: "1964"', b_dates="role: member", c="EGY")
    write(tmp_path, "alignments/spans.yaml", text)
    msgs = " | ".join(p.message for p in problems_of([tmp_path]))
    assert "outside the alignment" in msgs
    assert "member twice at overlapping times" in msgs


def test_alignment_ending_after_the_period_must_be_censored(tmp_path):
    write(tmp_path, "alignments/late.yaml", alignment_yaml(id="late", start="1978",
                                                           end='"1981"'))
    (p,) = problems_of([tmp_path])
    assert "after the coded period" in p.message and p.field == "end"


def test_shipped_id_clash_is_a_conflict(tmp_path):
    import walt_alliances as wa

    shipped = wa.load_alignments()["alignment_id"].iloc[0]
    write(tmp_path, f"alignments/{shipped}.yaml", alignment_yaml(id=shipped))
    assert any("duplicate id" in p.message for p in problems_of([tmp_path]))


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "walt_alliances", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_cli_validate_bad_input_exit_1_no_traceback(tmp_path):
    for rel, (text, _, _) in BAD.items():
        write(tmp_path, rel, text)
    r = _cli("validate", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert f"{len(BAD)} problems" in r.stderr or "problems found" in r.stderr
    for rel in BAD:
        assert rel in r.stderr


def test_cli_validate_missing_path(tmp_path):
    r = _cli("validate", str(tmp_path / "nope"), cwd=tmp_path)
    assert r.returncode == 1 and "no such file or folder" in r.stderr
    assert "Traceback" not in r.stderr


def test_build_writes_nothing_on_invalid_records(tmp_path):
    src = tmp_path / "src"
    write(src, "dataset.yaml", 'data_version: "9"\nperiod: {start: "1955", end: "1979"}\n')
    write(src, "actors.yaml", "- actor_id: EGY\n  ccode: 651\n  name: Egypt\n"
          "  abbreviation: EGY\n  kind: regional_state\n")
    write(src, "alignments/test-pact.yaml", alignment_yaml())  # JOR, ISR unknown here
    out = tmp_path / "out"
    r = _cli("build", "--source", str(src), "--data-dir", str(out), cwd=tmp_path)
    assert r.returncode == 1 and "unknown actor 'JOR'" in r.stderr
    assert not out.exists()


def test_an_override_whose_record_fails_to_read_is_reported_once(tmp_path) -> None:
    """A bad date in an overriding record: one located error, not also 'no record with this
    id' for the override (a misleading echo of the first)."""
    import subprocess
    import sys

    mine = tmp_path / "mine"
    (mine / "alignments").mkdir(parents=True)
    (mine / "extension.yaml").write_text(
        "title: a recode\noverrides:\n  - id: egypt-yar-defence-pact-1962\n"
        "    reason: a shorter end\n")
    shown = subprocess.run([sys.executable, "-m", "walt_alliances", "show",
                            "egypt-yar-defence-pact-1962", "--yaml"], capture_output=True,
                           text=True, check=True).stdout
    bad = shown.replace("end: '1967-12-09'", "end: '1965-13-40'")
    assert bad != shown
    (mine / "alignments" / "egypt-yar-defence-pact-1962.yaml").write_text(bad)
    r = subprocess.run([sys.executable, "-m", "walt_alliances", "validate", str(mine)],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    out = r.stdout + r.stderr
    assert "1965-13-40" in out or "end" in out
    assert "has no record with this id" not in out
