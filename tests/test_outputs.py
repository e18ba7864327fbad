"""Output files and folders: whole, exact, cleaned up, with ordinary permissions.

Every command that writes a folder stages it beside ``--out`` and swaps it in whole
(:func:`walt_alliances._io.write_folder`): the folder then holds exactly one run's files, which
its manifest lists with matching hashes; an interrupted or failed run leaves the earlier folder
as it was; temporary files of an earlier crash are removed; files get 0644 under umask 022.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from walt_alliances import _io
from walt_alliances._io import UnsafeOutputError, atomic_write_bytes, folder_files, write_folder

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dead_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------
# _io
# ------------------------------------------------------------------------------------------

def test_current_umask_is_read_without_changing_it():
    with umask(0o027):
        assert _io.current_umask() == 0o027
        assert _io.current_umask() == 0o027


@pytest.mark.parametrize(("mask", "file_mode", "dir_mode"),
                         [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700), (0o002, 0o664, 0o775)])
def test_files_and_folders_honour_the_umask(tmp_path, mask, file_mode, dir_mode):
    with umask(mask):
        atomic_write_bytes(tmp_path / "a" / "one.csv", b"x\n")
        write_folder(tmp_path / "out", {"t.csv": b"1\n", "sub/u.csv": b"2\n"})
    assert mode(tmp_path / "a" / "one.csv") == file_mode
    assert mode(tmp_path / "out" / "t.csv") == file_mode
    assert mode(tmp_path / "out" / "sub" / "u.csv") == file_mode
    assert mode(tmp_path / "out") == dir_mode and mode(tmp_path / "out" / "sub") == dir_mode


def test_atomic_write_removes_temporary_files_of_dead_writers_only(tmp_path):
    gone = tmp_path / f".report.html.{dead_pid()}.0a1b2c3d.walt-tmp"
    alive = tmp_path / f".report.html.{os.getppid()}.0a1b2c3d.walt-tmp"
    other = tmp_path / ".report.html.notes"  # not ours: kept
    for p in (gone, alive, other):
        p.write_bytes(b"partial")
    atomic_write_bytes(tmp_path / "report.html", b"<html>")
    assert not gone.exists() and alive.exists() and other.exists()
    assert (tmp_path / "report.html").read_bytes() == b"<html>"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".report.html.notes", alive.name, "report.html"])


def test_write_folder_replaces_an_earlier_output_whole(tmp_path):
    out = tmp_path / "out"
    marker = _io.json_marker("manifest.json", lambda d: d.get("tool") == "me")
    write_folder(out, {"manifest.json": b'{"tool": "me"}', "old.csv": b"1\n",
                       "hypotheses/results.csv": b"stale\n"}, replaceable=marker)
    write_folder(out, {"manifest.json": b'{"tool": "me"}', "new.csv": b"2\n"},
                 replaceable=marker)
    assert folder_files(out) == ["manifest.json", "new.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging or old folder left


def test_write_folder_refuses_a_folder_of_someone_elses_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(UnsafeOutputError, match="not empty"):
        write_folder(out, {"t.csv": b"1\n"}, replaceable=_io.only_names(["*.csv"]))
    assert folder_files(out) == ["thesis.tex"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    (out / "thesis.tex").unlink()
    write_folder(out, {"t.csv": b"1\n"})  # an empty folder is fine
    assert folder_files(out) == ["t.csv"]


def test_write_folder_refuses_a_file_in_the_way(tmp_path):
    (tmp_path / "out").write_text("a file")
    with pytest.raises(UnsafeOutputError, match="not a folder"):
        write_folder(tmp_path / "out", {"t.csv": b"1\n"})


def test_a_failure_part_way_leaves_the_earlier_folder_untouched(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"a.csv": b"old a\n", "b.csv": b"old b\n"})

    class Boom(dict):
        def items(self):
            yield "a.csv", b"new a\n"
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_folder(out, Boom(a=b""), replaceable=_io.only_names(["*.csv"]))
    assert (out / "a.csv").read_bytes() == b"old a\n" and (out / "b.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_killed_run_leaves_the_old_folder_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"report.html": b"old", "manifest.json": b"{}"})
    script = textwrap.dedent(f"""
        import os
        from walt_alliances import _io
        _io._swap_in = lambda staging, out: os._exit(9)   # killed just before the swap
        _io.write_folder({str(out)!r}, {{"report.html": b"new", "manifest.json": b"{{}}"}},
                         replaceable=lambda p: True)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO)
    assert proc.returncode == 9
    left = [p.name for p in tmp_path.iterdir() if p.name != "out"]
    assert len(left) == 1 and left[0].endswith(".walt-staging")  # the dead run's staging
    assert (out / "report.html").read_bytes() == b"old"  # the old folder is whole
    write_folder(out, {"report.html": b"newer", "manifest.json": b"{}"},
                 replaceable=lambda p: True)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert (out / "report.html").read_bytes() == b"newer"


def test_leftovers_of_older_versions_do_not_block_replacement(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"results.csv": b"1\n"})
    (out / ".results.csv.k2j4h1_x").write_bytes(b"half")  # mkstemp leftover of an old version
    write_folder(out, {"results.csv": b"2\n"}, replaceable=_io.only_names(["results.csv"]))
    assert sorted(os.listdir(out)) == ["results.csv"]


def test_write_folder_rejects_paths_outside_the_folder(tmp_path):
    for bad in ("../escape.csv", "/etc/passwd", ""):
        with pytest.raises(ValueError):
            write_folder(tmp_path / "out", {bad: b"x"})
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------
# The commands' folders
# ------------------------------------------------------------------------------------------

def _manifest_matches_folder(out: Path) -> None:
    man = json.loads((out / "manifest.json").read_text())
    files = set(folder_files(out)) - {"manifest.json"}
    assert set(man["outputs"]) == files
    for rel, entry in man["outputs"].items():
        assert entry["sha256"] == sha(out / rel) and entry["bytes"] == (out / rel).stat().st_size


def test_report_folder_holds_exactly_what_its_manifest_lists(tmp_path):
    from walt_alliances.report.report import write_report

    out = tmp_path / "report"
    df = pd.DataFrame({"a": [1, 2]})
    manifest = {"package": {"name": "walt-alliances"}}
    write_report(out, {"t1": df, "t2": df}, pd.DataFrame({"model_id": ["H1"]}), {}, manifest)
    assert "hypotheses/results.csv" in folder_files(out)
    _manifest_matches_folder(out)
    # a second run without the hypotheses and with one table fewer: nothing stale stays
    with umask(0o022):
        write_report(out, {"t1": df}, None, {}, manifest)
    assert "hypotheses/results.csv" not in folder_files(out)
    assert "tables/t2.csv" not in folder_files(out)
    _manifest_matches_folder(out)
    assert all(mode(out / rel) == 0o644 for rel in folder_files(out))


def test_report_refuses_a_folder_without_its_manifest(tmp_path):
    from walt_alliances.report.report import write_report

    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UnsafeOutputError):
        write_report(tmp_path, {}, None, {}, {"package": {"name": "walt-alliances"}})
    assert folder_files(tmp_path) == ["notes.txt"]


def test_hypotheses_folder_is_replaced_whole(tmp_path):
    from walt_alliances.analysis.hypotheses import write_outputs

    frame = pd.DataFrame({"x": [0.1]})
    influence = pd.DataFrame({"x": [0.1, 0.2], "changes_verdict": [True, False]})
    res = SimpleNamespace(results=frame, verdicts=frame, comparison=frame,
                          predictions=frame, specification_curve=frame, influence=influence,
                          summary_md="# s\n", samples={"H1": frame, "H2": frame})
    out = tmp_path / "hyp"
    write_outputs(res, out, save_samples=True)
    assert "samples/H2.csv" in folder_files(out)
    res.samples = {"H1": frame}
    write_outputs(res, out, save_samples=False)
    assert folder_files(out) == ["comparison.csv", "influence.csv", "influence_all.csv",
                                 "predictions.csv", "results.csv", "specification_curve.csv",
                                 "summary.md", "verdicts.csv"]
    assert len(pd.read_csv(out / "influence.csv")) == 1  # only the rows that flip a verdict


def test_build_swaps_the_package_data_and_keeps_other_builders_files(tmp_path):
    import shutil

    from walt_alliances.records.build import DATA_DIR, build

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "tables" / "dropped_table.csv").write_text("stale\n")
    kept = [rel for rel in folder_files(DATA_DIR) if rel.startswith("measures/")]
    build(REPO / "datasets", data)
    assert folder_files(data) == folder_files(DATA_DIR)  # the stale table is gone
    for rel in kept + ["crosswalk_ids.json", "cow_state_system.csv", "datapackage.json"]:
        assert sha(data / rel) == sha(DATA_DIR / rel), rel
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "walt_alliances", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_export_replaces_its_own_folder_exactly(tmp_path):
    from walt_alliances.panels.export import export

    out = tmp_path / "export"
    export(out)
    (out / "stale.csv").write_text("from an older export\n")
    export(out)
    dp = json.loads((out / "datapackage.json").read_text())
    listed = {res["path"] for res in dp["resources"]} | {"datapackage.json"}
    assert set(folder_files(out)) == listed
    for res in dp["resources"]:
        assert "sha256:" + sha(out / res["path"]) == res["hash"]
    assert all(mode(out / rel) == 0o666 & ~_io.current_umask() for rel in folder_files(out))


def test_cli_export_refuses_a_folder_of_other_files(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "draft.md").write_text("keep me")
    r = _cli("export", "--out", str(mine), cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "not empty" in r.stderr and str(mine) in r.stderr
    assert folder_files(mine) == ["draft.md"]


def test_out_may_be_the_current_folder(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    written = write_folder(".", {"t.csv": b"1\n"})
    assert written == [Path("t.csv")]
    assert folder_files(work) == ["t.csv"] and sorted(os.listdir(tmp_path)) == ["work"]


def test_a_run_killed_between_the_two_renames_gets_its_old_folder_back(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"report.html": b"old"})
    pid = dead_pid()
    os.rename(out, tmp_path / f".out.{pid}.0a1b2c3d.walt-old")  # moved aside, then killed
    (tmp_path / f".out.{pid}.0a1b2c3e.walt-staging").mkdir()
    assert not out.exists()
    _io.clean_leftovers(tmp_path, "out")
    assert (out / "report.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
