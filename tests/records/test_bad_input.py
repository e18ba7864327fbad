"""Hostile input at the command line: exit 1, a message naming the limit, no traceback, fast."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import alignment_yaml, write
from walt_alliances.errors import RecordsError
from walt_alliances.records import read as read_mod
from walt_alliances.records.dates import parse_partial
from walt_alliances.records.validate import validate_paths

REPO = Path(__file__).resolve().parents[2]


def _cli(*args: str, cwd: Path, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str],
                                                              float]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "walt_alliances", *args], cwd=cwd,
                       capture_output=True, text=True, timeout=timeout)
    return r, time.perf_counter() - t0


def _bomb(levels: int = 9) -> str:
    lines = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, name in zip("abcdefghijklmnop", "bcdefghijklmnopq", strict=False):
        if len(lines) == levels:
            break
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias bomb": (_bomb(), "MAX_NODES"),
    "deep flow nesting": ("alignment_id: x\nnotes: " + "[" * 100_000 + "]" * 100_000 + "\n",
                          "MAX_DEPTH"),
    "deep block nesting": ("notes:\n" + "".join(" " * i + "- \n" for i in range(1, 2000)),
                           "MAX_DEPTH"),
    "deep mapping nesting": ("".join(" " * i + "k:\n" for i in range(1000)) + " " * 1000 + "k: 1\n",
                             "MAX_DEPTH"),
    "recursive alias": ("a: &a\n  b: *a\n", "recursive"),
}


def test_hostile_yaml_is_refused_at_once_by_the_cli(tmp_path):
    for i, (text, _) in enumerate(HOSTILE.values()):
        write(tmp_path, f"alignments/x{i}.yaml", text)
    r, seconds = _cli("validate", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 1, r.stdout
    assert "Traceback" not in r.stderr and "RecursionError" not in r.stderr
    lines = r.stderr.splitlines()
    for i, (name, (_, limit)) in enumerate(HOSTILE.items()):
        assert any(f"alignments/x{i}.yaml" in ln and limit in ln for ln in lines), name
    assert seconds < 30


def test_an_oversized_record_file_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    path = write(tmp_path, "alignments/big.yaml", alignment_yaml(id="big"))
    with path.open("a") as fh:
        fh.write("# " + "x" * (read_mod.MAX_FILE_BYTES) + "\n")
    t0 = time.perf_counter()
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    assert time.perf_counter() - t0 < 10
    (p,) = exc.value.problems
    assert "MAX_FILE_BYTES" in p.message and p.file.endswith("alignments/big.yaml")


def test_the_limits_leave_room_for_the_shipped_records():
    """The largest shipped file is far below every limit (so the limits never bite real data)."""
    files = sorted((REPO / "datasets").rglob("*.yaml"))
    assert max(f.stat().st_size for f in files) * 20 < read_mod.MAX_FILE_BYTES
    problems: list = []
    for f in files:
        assert read_mod._check_events(f.read_text(encoding="utf-8"), str(f), problems), problems


@pytest.mark.parametrize("value", ["0000", "0999", "1499", "2101", "9999", "١٩٥٨", "１９５８",
                                   "1958-٠٢", "1958\n", "1958-2-1", " 1958", "+958"])
def test_partial_dates_are_ascii_and_in_range(value):
    with pytest.raises(ValueError):
        parse_partial(value)


def test_cli_year_0000_is_located_not_a_traceback(tmp_path):
    write(tmp_path, "alignments/y0.yaml", alignment_yaml(id="y0", start="0000"))
    write(tmp_path, "regimes.yaml", '- actor: EGY\n  start: "0000"\n  family: other\n'
          "  rationale: test\n  confidence: low\n  sources: [{key: walt1987}]\n")
    r, _ = _cli("validate", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "y0.yaml:4 | record y0 | field start" in r.stderr
    assert "regimes.yaml:2 | record #1 | field start" in r.stderr


@pytest.mark.external
def test_global_panel_benchmark_names_every_bad_raw_file(tmp_path, external_dir):
    ext = tmp_path / "external"
    shutil.copytree(external_dir, ext, symlinks=False,
                    ignore=shutil.ignore_patterns("*.pdf", "*.gz", "vdem", "sipri", "un_votes"))
    (ext / "cow_nmc" / "NMC-60-abridged.csv").write_text("ccode,year\n")
    (ext / "atop" / "atop5_1m.csv").unlink()
    r = subprocess.run([sys.executable, str(REPO / "benchmarks" / "global_panel.py"),
                        "--external-dir", str(ext), "--repeats", "1"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "atop5_1m.csv" in r.stderr and "NMC-60-abridged.csv" in r.stderr
    assert "2 of 5 raw file(s)" in r.stderr


def test_a_fifo_or_a_dangling_bibliography_is_reported_not_waited_on(tmp_path):
    import os

    write(tmp_path, "alignments/test-pact.yaml", alignment_yaml())
    os.mkfifo(tmp_path / "regimes.yaml")
    (tmp_path / "references.bib").symlink_to(tmp_path / "nowhere.bib")
    t0 = time.perf_counter()
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    assert time.perf_counter() - t0 < 10
    msgs = {Path(p.file).name: p.message for p in exc.value.problems}
    assert "not a regular file" in msgs["regimes.yaml"]
    assert "references.bib" in msgs, exc.value


def test_cli_refuses_a_bad_out_before_the_work(tmp_path):
    (tmp_path / "mine.txt").write_text("mine")
    for cmd in (["reproduce", "--no-hypotheses"], ["hypotheses", "--no-robustness"]):
        r, seconds = _cli(*cmd, "--quiet", "--out", str(tmp_path), cwd=tmp_path)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert "not empty" in r.stderr and seconds < 30
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_garbage_at_scale_gives_a_bounded_report_quickly(tmp_path):
    from walt_alliances.records.bib import parse_bibtex

    write(tmp_path, "soviet_aid.yaml", "- {}\n" * 50_000)
    write(tmp_path, "references.bib", "@" * 1_000_000)
    t0 = time.perf_counter()
    with pytest.raises(RecordsError) as exc:
        validate_paths([tmp_path])
    assert time.perf_counter() - t0 < 20
    probs = exc.value.problems
    assert len(probs) < 500
    assert any("MAX_PROBLEMS" in p.message for p in probs)
    assert any("more than 100 problems" in p.message for p in probs)
    # the BibTeX reader is linear: unbalanced braces end the file at once
    t0 = time.perf_counter()
    parse_bibtex("@x{k, t={" * 200_000, "x.bib")
    assert time.perf_counter() - t0 < 5
