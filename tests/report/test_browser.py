"""The report in a real browser: headless Chromium checks links, images and page width.

The report itself carries no script. The test copies it, appends a small checker script to the
copy, and lets Chromium load it (``--dump-dom`` with a virtual time budget, so every image is
decoded and the layout is done); the script writes its findings as JSON into the page, which
the test reads back from the dumped DOM. Checked at a desktop width (1280 px) and about the
width of an A4 page (800 px):

- every internal link (``href="#..."``) points at an element that exists;
- every image has loaded (``complete`` with a natural width);
- nothing is wider than the page: the document does not scroll sideways, and no element's
  right edge passes the viewport's.

Skipped, with the reason, only when Chromium is not installed and we are not in CI (``CI`` set);
in CI a missing browser fails the test (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("matplotlib")

import matplotlib.pyplot as plt  # noqa: E402

from tests.report.contract import contract_outputs  # noqa: E402
from tests.tables.test_book import synthetic  # noqa: E402
from walt_alliances.report import figures as figs  # noqa: E402
from walt_alliances.report import report  # noqa: E402
from walt_alliances.tables import book as bt  # noqa: E402

CHECKER = """
<script id="__checker">
window.addEventListener('load', function () {
  var r = {bad_links: [], images: 0, broken_images: [], overflow: [], width: 0, scroll: 0};
  document.querySelectorAll('a[href^="#"]').forEach(function (a) {
    var id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (!document.getElementById(id)) r.bad_links.push(id);
  });
  document.querySelectorAll('img').forEach(function (img) {
    r.images += 1;
    if (!img.complete || img.naturalWidth === 0) r.broken_images.push(img.alt);
  });
  var W = document.documentElement.clientWidth;
  r.width = W;
  r.scroll = document.documentElement.scrollWidth;
  document.querySelectorAll('body *').forEach(function (el) {
    if (el.id === '__checker' || el.id === '__result') return;
    var box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > W + 1) {
      r.overflow.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' +
                      (el.textContent || '').slice(0, 60) + ' right=' + Math.round(box.right));
    }
  });
  r.overflow = r.overflow.slice(0, 20);
  var pre = document.createElement('pre');
  pre.id = '__result';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
});
</script>
"""


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed in CI (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium); "
                    "the browser checks need it")
    return exe


def check_in_browser(html_file: Path, width: int) -> dict[str, object]:
    """Load a copy of the report with the checker script; return the checker's findings."""
    html = html_file.read_text(encoding="utf-8")
    probe = html_file.with_name("_probe_" + html_file.name)
    probe.write_text(html.replace("</body>", CHECKER + "</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={profile}", f"--window-size={width},1000",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000",
               "--dump-dom", probe.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    probe.unlink()
    m = re.search(r'<pre id="__result">(.*?)</pre>', proc.stdout, re.S)
    assert m, f"no result from chromium (exit {proc.returncode}): {proc.stderr[-2000:]}"
    text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return dict(json.loads(text))


def _figure(fig) -> bytes:  # type: ignore[no-untyped-def]
    data = figs.render(fig, "png")
    plt.close(fig)
    return data


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    data = synthetic()
    tables = {"appendix1": bt.appendix1(data),  # the widest table (16 columns)
              "appendix1_members": bt.appendix1(data, level="member"),
              "long": pd.DataFrame({"year": range(1900, 1900 + report.MAIN_ROWS + 45),
                                    "value": 0.123456789})}
    figures = {"coefficients": _figure(figs.coefficient_plot(contract_outputs().results)),
               "timeline": _figure(figs.timeline(data))}
    manifest = {"package": {"name": "walt-alliances", "version": "0"}, "data_version": "0",
                "period": ["1955-01-01", "1979-12-31"]}
    report.write_report(out, tables, contract_outputs(), figures, manifest,
                        figure_info={"coefficients": {"title": "t", "reading": "r"},
                                     "timeline": {"title": "t", "reading": "r"},
                                     "absent": {"title": "a", "missing": "not drawn"}})
    return out / "report.html"


@pytest.mark.parametrize("width", [1280, 800])
def test_links_images_and_width_in_chromium(report_file: Path, width: int) -> None:
    r = check_in_browser(report_file, width)
    assert r["bad_links"] == []
    assert r["images"] == 2 and r["broken_images"] == []
    assert r["overflow"] == [], r["overflow"]
    assert r["scroll"] <= r["width"]


def test_the_checker_catches_defects(tmp_path: Path) -> None:
    """The checks can fail: a dead link, a broken image and a too-wide block are reported."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><a href="#nowhere">x</a>'
                    '<img alt="broken" src="data:image/png;base64,AAAA">'
                    '<div id="wide" style="width:3000px">wide</div></body></html>')
    r = check_in_browser(page, 800)
    assert r["bad_links"] == ["nowhere"]
    assert r["broken_images"] == ["broken"]
    assert any("DIV#wide" in o for o in r["overflow"])  # type: ignore[union-attr]
    assert r["scroll"] > r["width"]  # type: ignore[operator]
