"""The reproduction report: content, self-containment, manifest, and byte-identical reruns."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import sys
import types
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from tests.report.contract import contract_outputs  # noqa: E402
from tests.tables.test_book import synthetic  # noqa: E402
from walt_alliances._io import csv_bytes  # noqa: E402
from walt_alliances.report import report  # noqa: E402
from walt_alliances.report.summary import AnalysisOutputs  # noqa: E402

SVG = (b'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
       b'width="10" height="10"><rect width="10" height="10"/></svg>\n')
MANIFEST = {"package": {"name": "walt-alliances", "version": "9.9"},
            "data_version": "0.0.test", "seeds": {}, "period": ["1955-01-01", "1979-12-31"]}


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


class _Links(HTMLParser):
    """Collect ids, internal links, headings and visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tables = 0
        self.captions = 0
        self.text: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))
        self.tables += tag == "table"
        self.captions += tag == "caption"
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _parse(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    return p


def test_write_report_files_and_manifest(tmp_path: Path) -> None:
    table = pd.DataFrame({"x": [1, 2], "label": ["a|b", "c"], "share": [35.059761, 64.94],
                          "coded_by": ["ours", "ours"]})
    png = _png()
    an = contract_outputs()
    files = report.write_report(tmp_path / "out", {"demo": table}, an,
                                {"fig one": png, "vector": SVG}, MANIFEST,
                                figure_info={"fig one": {"title": "One finding",
                                                         "reading": "Read it so."},
                                             "absent": {"title": "Absent",
                                                        "missing": "No data for it."}})
    out = tmp_path / "out"
    names = {str(p.relative_to(out)) for p in files}
    assert names == {"report.html", "report.md", "manifest.json", "tables/demo.csv",
                     "hypotheses/results.csv", "hypotheses/specification_curve.csv",
                     "hypotheses/influence.csv", "hypotheses/prediction.csv",
                     "hypotheses/uncertainty.csv", "figures/fig_one.png", "figures/vector.svg"}
    assert files[-1].name == "manifest.json"
    assert (out / "tables/demo.csv").read_bytes() == csv_bytes(table)
    man = json.loads((out / "manifest.json").read_text())
    assert set(man["outputs"]) == names - {"manifest.json"}
    for rel, info in man["outputs"].items():
        assert info["sha256"] == hashlib.sha256((out / rel).read_bytes()).hexdigest(), rel
    html = (out / "report.html").read_text()
    # self-contained: no script, no external stylesheet or image
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'src="(?!data:)', html)
    b64 = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert base64.b64decode(b64) == png
    assert "<rect" in html and "<?xml" not in html  # SVG inline, without its XML header
    md = (out / "report.md").read_text()
    assert "![One finding (ours)](figures/fig_one.png)" in md and "Read it so." in md
    assert "a\\|b" in md  # pipes escaped in Markdown tables
    assert "<td>a|b</td>" in html
    assert "35.1%" in html and "35.059761" not in html  # shares as percentages, rounded
    assert "No data for it." in html and "Not run." in html
    for text in (md, html):
        assert "ours" in text and "Walt (1987)" in text
        assert str(tmp_path) not in text


def test_results_come_first_with_effects_and_verdicts(tmp_path: Path) -> None:
    report.write_report(tmp_path, {}, contract_outputs(), {}, MANIFEST)
    html = (tmp_path / "report.html").read_text()
    body = html[html.index("<main>"):]
    # the first section after the title is the results table
    first = re.search(r'<section id="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    assert first == "results"
    results = body[:body.index('<section id="bop-bot"')]
    assert "Balancing: states align against a shared threat." in results  # the statement
    assert "supported" in results and "no evidence either way" in results
    assert "0.001" in results  # p (Holm) 0.0012 rounded for reading
    assert "660 / 86 / 12" in results  # n / events / clusters (dyadic: 12 actors)
    assert "+2.1 pp (+0.4 to +3.8)" in results  # AME 0.021 [0.004, 0.038] in percentage points
    assert "75% give the same verdict" in results  # 3 of 4 variants of h1_onset
    assert "<0.001" not in results or "p (Holm)" in results
    # what does not hold names the alignment by its name from the data, when names are given
    report.write_report(tmp_path, {}, contract_outputs(), {}, MANIFEST,
                        names={"unified-arab-command-1964": "Unified Arab Command"})
    html = (tmp_path / "report.html").read_text()
    assert "Unified Arab Command (unified-arab-command-1964)" in html


def test_each_design_gets_a_plain_words_line_in_the_results(tmp_path: Path) -> None:
    an = contract_outputs()
    an.extra["design_readings"] = pd.DataFrame({
        "design": ["Partner choice", "Aid timing"], "model_id": ["p", "a"],
        "reading": ["States favour partners that fear the same state.",
                    "Aid rose after the onsets, not before."]})
    report.write_report(tmp_path, {}, an, {}, MANIFEST)
    html = (tmp_path / "report.html").read_text()
    results = html[html.index('<section id="results"'):html.index('<section id="bop-bot"')]
    assert "<strong>Partner choice.</strong> States favour partners that fear the same " \
           "state." in results
    assert "<strong>Aid timing.</strong> Aid rose after the onsets, not before." in results


def test_not_run_notes_instead_of_numbers(tmp_path: Path) -> None:
    an = AnalysisOutputs(results=contract_outputs().results)  # no curve, influence, ...
    report.write_report(tmp_path, {}, an, {}, MANIFEST)
    html = (tmp_path / "report.html").read_text().replace("<wbr>", "")
    for frame in ("prediction.csv", "influence.csv", "uncertainty.csv",
                  "specification_curve.csv"):
        assert re.search(r"Not run\.</strong>[^<]*<code>" + re.escape(frame), html), frame
    report.write_report(tmp_path / "none", {}, None, {},
                        {**MANIFEST, "hypotheses": {"run": False, "note": "No module here."}})
    md = (tmp_path / "none" / "report.md").read_text()
    assert "**Not run.** No module here." in md


def test_results_off_the_contract_give_notes_not_a_crash(tmp_path: Path) -> None:
    report.write_report(tmp_path, {}, pd.DataFrame({"model_id": ["H1"]}), {}, MANIFEST)
    html = (tmp_path / "report.html").read_text().replace("<wbr>", "")
    assert "no key terms to show" in html and "missing columns: term, estimate" in html


def test_navigation_links_resolve_and_tables_have_headings(tmp_path: Path) -> None:
    long = pd.DataFrame({"i": range(report.MAIN_ROWS + 30), "coded_by": "ours"})
    short = pd.DataFrame({"kind": ["formal_treaty"], "row": ["component:aggregate_power"]})
    report.write_report(tmp_path, {"long_one": long, "short_one": short}, contract_outputs(),
                        {"f": _png()}, MANIFEST, titles={"long_one": "A long table"},
                        notes={"short_one": "Made by :func:`walt_alliances.x`."})
    html = (tmp_path / "report.html").read_text()
    page = _parse(html)
    internal = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert len(internal) >= 15  # a linked table of contents
    assert [h for h in internal if h not in page.ids] == []
    for h in page.hrefs:
        if not h.startswith("#"):
            assert (tmp_path / h).is_file(), h  # links to CSV files and figures exist
    assert page.tables == page.captions  # every table has a heading
    text = "".join(page.text)
    assert ":func:" not in text and "walt_alliances.x" in text
    assert "aggregate power (component)" in text and "formal treaty" in text
    # the long table lives in an appendix, cut at APPENDIX_ROWS, with the rest in its CSV
    assert "appendix-long-one" in page.ids
    assert f"{30 + report.MAIN_ROWS - report.APPENDIX_ROWS} more rows" in text


def _fake_hypotheses(monkeypatch: pytest.MonkeyPatch) -> None:
    mod = types.ModuleType("walt_alliances.analysis.hypotheses")
    an = contract_outputs()

    def run_all(progress: bool = False, robustness: bool = True) -> dict[str, object]:
        return {"results": an.results, "specification_curve": an.specification_curve,
                "influence": an.influence, "samples": an.samples}

    designs = types.ModuleType("walt_alliances.analysis.designs")

    def run_designs(progress: bool = False, draws: int = 200, seed: int = 7) -> object:
        return types.SimpleNamespace(prediction=an.prediction, uncertainty=an.uncertainty,
                                     notes=("a note",))

    designs.run_designs = run_designs  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "walt_alliances.analysis.designs", designs)

    mod.run_all = run_all  # type: ignore[attr-defined]
    mod.SEED = 20240101  # type: ignore[attr-defined]
    mod.SPECS = [types.SimpleNamespace(model_id="h1_onset", hypothesis="H1",  # type: ignore[attr-defined]
                                       statement="Balancing in our words.", notes="")]
    monkeypatch.setitem(sys.modules, "walt_alliances.analysis.hypotheses", mod)


@pytest.mark.slow
def test_reproduce_is_byte_identical_and_complete(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _fake_hypotheses(monkeypatch)
    data = synthetic()
    a = report.reproduce(tmp_path / "a", progress=True, data=data)
    assert capsys.readouterr().err == ""  # stderr is not a terminal here: no progress
    report.reproduce(tmp_path / "b", progress=False, data=data)
    assert capsys.readouterr().err == ""  # --quiet
    ta, tb = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert ta.keys() == tb.keys()
    assert [k for k in ta if ta[k] != tb[k]] == []
    names = set(ta)
    for t in ("appendix1", "balancing_vs_bandwagoning", "threat_sources", "ideology",
              "aid_and_penetration", "world_power_balance", "published_comparison"):
        assert f"tables/{t}.csv" in names
    assert {"figures/timeline.png", "figures/networks.png", "figures/coefficients.png",
            "figures/predicted_probability.png", "figures/specification_curve.png",
            "figures/influence.png", "hypotheses/results.csv"} <= names
    man = json.loads(ta["manifest.json"])
    assert man["seeds"] == {"hypotheses": 20240101, "designs": 7}
    assert man["hypotheses"]["run"] is True and man["designs"]["notes"] == ["a note"]
    assert {"hypotheses/prediction.csv", "hypotheses/uncertainty.csv"} <= names
    md = ta["report.md"].decode()
    assert "Balancing in our words." in md and "not transcribed" in md
    assert "No cell is transcribed yet" in md
    assert str(tmp_path) not in md and str(tmp_path) not in ta["manifest.json"].decode()
    assert a[-1].name == "manifest.json"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_reproduce_without_hypotheses_says_not_run(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    report.reproduce(tmp_path, progress=True, data=synthetic(), with_hypotheses=False)
    shown = term.getvalue()  # on a terminal: one line redrawn with the stage and elapsed time
    assert "\r[reproduce" in shown and "book table 1/11" in shown and "figure: networks" in shown
    assert re.search(r"\[reproduce +\d+\.\ds\] done: \d+ files *\n$", shown)
    md = (tmp_path / "report.md").read_text()
    assert "**Not run.**" in md
    assert not (tmp_path / "hypotheses").exists()
    man = json.loads((tmp_path / "manifest.json").read_text())
    assert man["hypotheses"]["run"] is False and man["seeds"] == {}


def test_error_in_the_parallel_process_reaches_the_caller(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    mod = types.ModuleType("walt_alliances.analysis.hypotheses")

    def run_all() -> None:
        raise KeyError("panel lacks columns ['x']")

    mod.run_all = run_all  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "walt_alliances.analysis.hypotheses", mod)
    monkeypatch.setitem(sys.modules, "walt_alliances.analysis.designs",
                        types.ModuleType("walt_alliances.analysis.designs"))  # no run_designs
    with pytest.raises(KeyError, match="panel lacks"):
        report.reproduce(tmp_path, progress=False, data=synthetic())


@pytest.mark.slow
def test_reproduce_shipped_data_twice(tmp_path: Path) -> None:
    report.reproduce(tmp_path / "a", progress=False, with_hypotheses=False)
    report.reproduce(tmp_path / "b", progress=False, with_hypotheses=False)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_report_states_the_inter_coder_agreement(tmp_path) -> None:
    """Issue 15: the blind second coding's agreement is in the report, from the shipped file,
    which equals what datasets/reliability/kappa.py computed."""
    import json
    from pathlib import Path

    from walt_alliances.records.load import load_reliability
    from walt_alliances.report.report import _reliability_blocks

    repo = Path(__file__).resolve().parents[2]
    made = json.loads((repo / "datasets" / "reliability" / "agreement.json").read_text())
    shipped = load_reliability()
    assert shipped is not None and shipped["agreement"] == made["agreement"]
    blocks = _reliability_blocks()
    table = next(b for b in blocks if b["kind"] == "table")["table"]
    text = json.dumps(table)
    assert "Primary motive" in text and "Cohen" in text
    kappa = made["agreement"]["primary_motive"]["kappa"]
    assert f"{kappa:.3f}" in text


def test_default_rows_prefer_dyadic_then_the_bootstrap_then_the_first() -> None:
    from walt_alliances.report.summary import default_rows

    res = pd.DataFrame({
        "model_id": ["a", "a", "b", "b", "c", "c"],
        "se_type": ["cluster_dyad", "dyadic", "cluster_recipient", "wild_cluster_bootstrap",
                    "cluster_chooser", "model"],
    })
    got = default_rows(res)
    assert got["se_type"].tolist() == ["dyadic", "wild_cluster_bootstrap", "cluster_chooser"]


def test_modified_data_and_its_coverage_are_said_on_the_first_screen(tmp_path: Path) -> None:
    manifest = {**MANIFEST, "period": ["1955-01-01", "1990-12-31"],
                "data": {"data": "modified", "base_data_version": "0.4.0",
                         "records": "datasets/extensions/gulf-1979-1990",
                         "records_sha256": "09c086efd1935a56c66ed40fa88f0da2543b596d"},
                "data_notes": ["coverage: penetration (hand-coded) is coded to 1979: "
                               "penetration is missing for 1980-1990",
                               "override: actors AFG replaced (reason)"]}
    report.write_report(tmp_path, {}, contract_outputs(), {}, manifest)
    md = (tmp_path / "report.md").read_text()
    head = md[:md.index("## Contents")]
    assert "on the Middle East 1955-1979" in head and "This report: 1955-1990" in head
    assert "**Data: modified**" in head and "`datasets/extensions/gulf-1979-1990`" in head
    assert "09c086efd193" in head
    results = md[md.index("## Results"):md.index("## Balance of power")]
    assert "penetration is missing for 1980-1990" in results
    about = md[md.index("## About this report"):]
    assert "override: actors AFG replaced (reason)" in about
    # the shipped data say so too
    report.write_report(tmp_path / "s", {}, contract_outputs(), {}, MANIFEST)
    md = (tmp_path / "s" / "report.md").read_text()
    assert "Data: " in md[:md.index("## Contents")] and "modified" not in md[:md.index(
        "## Contents")]


def test_a_key_term_without_a_test_says_why_under_table_1(tmp_path: Path) -> None:
    an = contract_outputs()
    an.extra["verdicts"] = pd.DataFrame({"hypothesis": ["H1", "H4"],
                                         "note": ["", "the dyadic variance is not positive"]})
    report.write_report(tmp_path, {}, an, {}, MANIFEST)
    md = (tmp_path / "report.md").read_text()
    results = md[md.index("## Results"):md.index("## Balance of power")]
    assert "**H4**: the dyadic variance is not positive" in results
    assert "**H1**:" not in results.split("Why some cells read n/a")[1].split("\n")[0]
