"""The reproduction report: content, self-containment, manifest, and byte-identical reruns."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from tests.tables.test_book import synthetic  # noqa: E402
from walt_alliances._io import csv_bytes  # noqa: E402
from walt_alliances.report import report  # noqa: E402

SVG = (b'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
       b'width="10" height="10"><rect width="10" height="10"/></svg>\n')


def _png() -> bytes:
    import matplotlib.pyplot as plt

    from walt_alliances.report import figures as figs

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    data = figs.render(fig, "png")
    plt.close(fig)
    return data


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_write_report_files_and_manifest(tmp_path: Path) -> None:
    table = pd.DataFrame({"x": [1, 2], "label": ["a|b", "c"], "coded_by": ["ours", "ours"]})
    results = pd.DataFrame({"model_id": ["m"], "term": ["t"], "estimate": [0.5],
                            "ci_low": [0.1], "ci_high": [0.9]})
    png = _png()
    files = report.write_report(tmp_path / "out", {"demo": table}, results,
                                "# Summary\n\nAll fine.", {"fig one": png, "vector": SVG},
                                {"package": {"name": "walt-alliances", "version": "9.9"},
                                 "data_version": "0.0.test", "seeds": {}})
    out = tmp_path / "out"
    names = {str(p.relative_to(out)) for p in files}
    assert names == {"report.html", "report.md", "manifest.json", "tables/demo.csv",
                     "hypotheses/results.csv", "figures/fig_one.png", "figures/vector.svg"}
    assert files[-1].name == "manifest.json"
    assert (out / "tables/demo.csv").read_bytes() == csv_bytes(table)
    man = json.loads((out / "manifest.json").read_text())
    assert man["data_version"] == "0.0.test"
    assert set(man["outputs"]) == names - {"manifest.json"}
    for rel, info in man["outputs"].items():
        assert info["sha256"] == hashlib.sha256((out / rel).read_bytes()).hexdigest(), rel
    html = (out / "report.html").read_text()
    # self-contained: no external stylesheet, script or image
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'src="(?!data:)', html)
    b64 = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert base64.b64decode(b64) == png
    assert "<rect" in html and "<?xml" not in html  # SVG inline, without its XML header
    md = (out / "report.md").read_text()
    assert "![fig one (ours)](figures/fig_one.png)" in md
    assert "a\\|b" in md  # pipes escaped in Markdown tables
    assert "<td>a|b</td>" in html
    assert "### Summary" in md  # the summary's headings are nested under the section
    for text in (md, html):
        assert "ours" in text and "Walt (1987)" in text
        assert str(tmp_path) not in text


def test_not_run_section_when_there_are_no_results(tmp_path: Path) -> None:
    report.write_report(tmp_path, {}, None, None, {},
                        {"hypotheses": {"run": False, "note": "No module here."}})
    md = (tmp_path / "report.md").read_text()
    assert "**Not run.** No module here." in md


def test_markdown_to_html_subset() -> None:
    md = "# T\n\nA *b* and **c** `d`.\n\n- one\n- two\n\n| h |\n|---|\n| v |\n\n> note\n"
    html = report.html_from_markdown(md)
    assert "<h1>T</h1>" in html and "<em>b</em>" in html and "<strong>c</strong>" in html
    assert "<code>d</code>" in html and "<li>two</li>" in html
    assert "<th>h</th>" in html and "<td>v</td>" in html and 'class="note"' in html
    assert "&lt;x&gt;" in report.html_from_markdown("<x>")


def _fake_hypotheses(monkeypatch: pytest.MonkeyPatch) -> None:
    mod = types.ModuleType("walt_alliances.analysis.hypotheses")
    results = pd.DataFrame({"model_id": ["h1", "h1"], "term": ["const", "common_threat"],
                            "estimate": [-1.0, 0.7], "ci_low": [-2.0, 0.2],
                            "ci_high": [0.0, 1.2]})

    def run_all() -> tuple[pd.DataFrame, str]:
        return results, "## Fake summary\n\nFrom a test double."

    mod.run_all = run_all  # type: ignore[attr-defined]
    mod.SEED = 20240101  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "walt_alliances.analysis.hypotheses", mod)


def test_reproduce_is_byte_identical_and_complete(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _fake_hypotheses(monkeypatch)
    data = synthetic()
    a = report.reproduce(tmp_path / "a", progress=True, data=data)
    err = capsys.readouterr().err
    assert "[reproduce] table 1/" in err and "hypothesis tests" in err
    report.reproduce(tmp_path / "b", progress=False, data=data)
    ta, tb = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert ta.keys() == tb.keys()
    assert [k for k in ta if ta[k] != tb[k]] == []
    names = set(ta)
    for t in ("appendix1", "balancing_vs_bandwagoning", "threat_sources", "ideology",
              "aid_and_penetration", "world_power_balance", "published_comparison"):
        assert f"tables/{t}.csv" in names
    assert {"figures/timeline_motive.png", "figures/network_snapshots.png",
            "figures/coefficients.png", "hypotheses/results.csv"} <= names
    man = json.loads(ta["manifest.json"])
    assert man["seeds"] == {"hypotheses": 20240101}
    assert man["hypotheses"]["run"] is True
    assert man["environment"]["python"].count(".") == 2
    md = ta["report.md"].decode()
    assert "Fake summary" in md and "not transcribed" in md
    assert "No cell is transcribed yet" in md
    comp = pd.read_csv(tmp_path / "a" / "tables" / "published_comparison.csv", dtype=str,
                       keep_default_na=False)
    assert set(comp["status"]) <= {"not transcribed", "no published cell"}
    assert str(tmp_path) not in md and str(tmp_path) not in ta["manifest.json"].decode()
    assert a[-1].name == "manifest.json"


def test_reproduce_without_hypotheses_says_not_run(tmp_path: Path) -> None:
    report.reproduce(tmp_path, progress=False, data=synthetic(), with_hypotheses=False)
    md = (tmp_path / "report.md").read_text()
    assert "**Not run.**" in md
    assert not (tmp_path / "hypotheses").exists()
    man = json.loads((tmp_path / "manifest.json").read_text())
    assert man["hypotheses"]["run"] is False and man["seeds"] == {}


def test_reproduce_shipped_data_twice(tmp_path: Path) -> None:
    report.reproduce(tmp_path / "a", progress=False, with_hypotheses=False)
    report.reproduce(tmp_path / "b", progress=False, with_hypotheses=False)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
