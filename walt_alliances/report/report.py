"""The reproduction report: every book table, the published comparison, figures and hypotheses.

:func:`reproduce` computes everything and :func:`write_report` writes it: one self-contained
HTML file (figures embedded, no external CSS or JavaScript), the same report as Markdown with
the figures as files beside it, every table as CSV, and ``manifest.json`` (package and data
versions, seeds, Python and library versions, and the sha256 of every output; no timestamps, no
absolute paths). Two runs on the same data give byte-identical files.

The report says plainly whose each number is: the tables, figures and estimates are **ours**
(computed from the project's codings); a value is Walt's (1987) only in the published
comparison and only where its status is ``transcribed`` or ``verified``; everything else there
is marked ``not transcribed``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib
import inspect
import json
import platform
import re
import sys
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from walt_alliances._io import (
    atomic_write_bytes,
    check_folder,
    csv_bytes,
    json_marker,
    write_folder,
)

__all__ = [
    "environment",
    "write_table",
    "html_from_markdown",
    "markdown_table",
    "reproduce",
    "write_report",
]

#: Longest cell shown in the report's tables (the CSV files keep every character).
MAX_CELL = 160
_LIBRARIES = ("pandas", "numpy", "pyarrow", "pydantic", "statsmodels", "scipy", "matplotlib",
              "PyYAML")
_OURS = ("**Whose numbers are these?** Every table, figure and estimate in this report is "
         "**ours**: computed from the walt_alliances project's own codings of the alignments "
         "(made by Walt's stated definitions, with sources and rationale). None of them is a "
         "figure from Walt (1987). The book's values appear only in the section *Published "
         "comparison*, and only for cells whose status is `transcribed` or `verified`; cells "
         "marked `not transcribed` have no book value yet.")
_OURS_TABLE = ("**Whose numbers are these?** Every value in this table is **ours**: computed "
               "from the walt_alliances project's own codings, not a figure from Walt (1987). "
               "Book values, once someone with the book transcribes them, live in "
               "`analyses/published/` and are compared in the reproduction report.")
_CSS = """
body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
table{border-collapse:collapse;font-size:12px;margin:0.8em 0;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}
th{background:#f0f0f0}
code{background:#f4f4f4;padding:0 3px}
img,svg{max-width:100%;height:auto}
h1,h2,h3{line-height:1.2}
.note{background:#fff8e1;border-left:4px solid #e69f00;padding:0.5em 1em}
"""


# --------------------------------------------------------------------------------------------
# Markdown and HTML
# --------------------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating)):
        text = format(float(value), ".6g")
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "\u2026"
    return text.replace("|", "\\|")


def markdown_table(df: pd.DataFrame, max_rows: int | None = None) -> str:
    """Render a frame as a Markdown table (pipes escaped, long cells shortened).

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    max_rows : int, optional
        Show at most this many rows and say how many were left out.

    Returns
    -------
    str
    """
    if df.shape[1] == 0:
        return "*(no columns)*\n"
    shown = df if max_rows is None else df.head(max_rows)
    lines = ["| " + " | ".join(_cell(c) for c in df.columns) + " |",
             "|" + "|".join("---" for _ in df.columns) + "|"]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    if len(df) == 0:
        lines.append("| " + " | ".join("" for _ in df.columns) + " |")
    text = "\n".join(lines) + "\n"
    if len(shown) < len(df):
        text += f"\n*{len(df) - len(shown)} more rows in the CSV file.*\n"
    return text


_INLINE = [(re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
           (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
           (re.compile(r"(?<![*\w])\*([^*]+)\*(?![*\w])"), r"<em>\1</em>")]


def _inline(text: str) -> str:
    out = html.escape(text, quote=False).replace("\\|", "|")
    for rx, rep in _INLINE:
        out = rx.sub(rep, out)
    return out


def html_from_markdown(md: str, image: Callable[[str, str], str] | None = None) -> str:
    """Convert the small Markdown subset the report uses to HTML.

    Handles headings (``#``), paragraphs, ``-`` lists, pipe tables, images on a line of their
    own (``![alt](path)``, turned into HTML by ``image(alt, path)``), block quotes (``>``,
    rendered as a highlighted note), inline code, bold and italics. Text is HTML-escaped.
    """
    out: list[str] = []
    lines = md.splitlines()
    i = 0
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append("<p>" + _inline(" ".join(para)) + "</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        s = line.strip()
        m_img = re.fullmatch(r"!\[([^\]]*)\]\(([^)]+)\)", s)
        if not s:
            flush()
        elif s.startswith("#"):
            flush()
            level = len(s) - len(s.lstrip("#"))
            out.append(f"<h{level}>{_inline(s[level:].strip())}</h{level}>")
        elif m_img:
            flush()
            alt, path = m_img.group(1), m_img.group(2)
            out.append(image(alt, path) if image else
                       f'<img alt="{html.escape(alt)}" src="{html.escape(path)}">')
        elif s.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            out.append(_html_table(rows))
            continue
        elif s.startswith("- "):
            flush()
            items = []
            while i < len(lines) and lines[i].strip().startswith("- "):
                items.append("<li>" + _inline(lines[i].strip()[2:]) + "</li>")
                i += 1
            out.append("<ul>" + "".join(items) + "</ul>")
            continue
        elif s.startswith(">"):
            flush()
            quote = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quote.append(lines[i].strip()[1:].strip())
                i += 1
            out.append('<div class="note"><p>' + _inline(" ".join(quote)) + "</p></div>")
            continue
        else:
            para.append(s)
        i += 1
    flush()
    return "\n".join(out) + "\n"


def _split_row(row: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", row.strip()[1:-1])
    return [c.strip() for c in cells]


def _html_table(rows: list[str]) -> str:
    head = _split_row(rows[0])
    body = [r for r in rows[2:]] if len(rows) > 1 and set(rows[1]) <= set("|-: ") else rows[1:]
    parts = ["<table><thead><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head)
             + "</tr></thead><tbody>"]
    for r in body:
        parts.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in _split_row(r))
                     + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def _demote(md: str, levels: int) -> str:
    """Push Markdown headings down ``levels`` levels (so an embedded summary nests)."""
    return re.sub(r"^(#{1,6})(?=\s)", lambda m: "#" * min(6, len(m.group(1)) + levels), md,
                  flags=re.M)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_\-]+", "_", name.lower()).strip("_") or "item"


def _is_svg(data: bytes) -> bool:
    head = data[:200].lstrip()
    return head.startswith(b"<?xml") or head.startswith(b"<svg")


def _comparison_summary(comp: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for tid, g in comp.groupby("table_id", sort=False):
        st = g["status"].astype(str)
        done = st.isin(["transcribed", "verified"])
        eq = g.loc[done, "equal_at_printed_precision"]
        rows.append({"table_id": tid, "cells": len(g),
                     "not_transcribed": int((st == "not transcribed").sum()),
                     "no_published_cell": int((st == "no published cell").sum()),
                     "transcribed": int((st == "transcribed").sum()),
                     "verified": int((st == "verified").sum()),
                     "equal": int((eq == True).sum()),  # noqa: E712 - nullable boolean
                     "different": int((eq == False).sum()),  # noqa: E712
                     "not_in_our_table": int((st == "not in our table").sum())})
    return pd.DataFrame(rows)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_report(out_dir: str | Path, tables: Mapping[str, pd.DataFrame],
                 results: pd.DataFrame | None, summary_md: str | None,
                 figures: Mapping[str, bytes], manifest: Mapping[str, Any], *,
                 comparison: pd.DataFrame | None = None,
                 titles: Mapping[str, str] | None = None,
                 notes: Mapping[str, str] | None = None,
                 extra_files: Mapping[str, bytes] | None = None) -> list[Path]:
    """Write the report (HTML and Markdown), every table as CSV, and ``manifest.json``.

    Parameters
    ----------
    out_dir : path-like
        Folder to write into. It is written whole: every file goes into a staging folder
        beside it, which then replaces it, so it holds exactly this run's files (those
        ``manifest.json`` lists). An existing folder must be empty or an earlier report.
    tables : mapping of str to pandas.DataFrame
        Our tables by name; each is written to ``tables/<name>.csv`` and shown in the report.
        A table named ``published_comparison`` is used as ``comparison`` when that is None.
    results : pandas.DataFrame or None
        Hypothesis-test results (written to ``hypotheses/results.csv``); None when the tests
        were not run, which the report then says.
    summary_md : str or None
        Markdown summary of the hypothesis tests, shown as is.
    figures : mapping of str to bytes
        Figure name -> PNG or SVG bytes. Written to ``figures/<name>.png|svg``; the HTML embeds
        PNGs as base64 and SVGs inline.
    manifest : mapping
        Versions, seeds and anything else to record; ``outputs`` (sha256 and size of every
        other file written) is added. Must not hold timestamps or absolute paths.
    comparison : pandas.DataFrame, optional
        :func:`walt_alliances.tables.published.compare_all` output.
    titles, notes : mapping of str to str, optional
        A title and a note (for example how the table is computed) per table name.
    extra_files : mapping of str to bytes, optional
        Further files (relative path -> bytes), e.g. the hypothesis tests' verdicts and
        robustness tables; listed in the manifest like every other output.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``manifest.json`` last.

    Raises
    ------
    walt_alliances._io.UnsafeOutputError
        When ``out_dir`` holds files that are not an earlier report (nothing is written).
    """
    out = Path(out_dir)
    titles = dict(titles or {})
    notes = dict(notes or {})
    tables = dict(tables)
    if comparison is None and "published_comparison" in tables:
        comparison = tables.pop("published_comparison")
    files: dict[str, bytes] = {}
    fig_paths: dict[str, str] = {}
    for name, data in figures.items():
        rel = f"figures/{_slug(name)}.{'svg' if _is_svg(data) else 'png'}"
        files[rel] = data
        fig_paths[name] = rel
    for name, df in tables.items():
        files[f"tables/{_slug(name)}.csv"] = csv_bytes(df)
    if comparison is not None:
        files["tables/published_comparison.csv"] = csv_bytes(comparison)
    if results is not None:
        files["hypotheses/results.csv"] = csv_bytes(results)
    files.update(extra_files or {})

    md = _markdown(tables, results, summary_md, fig_paths, manifest, comparison, titles, notes)
    files["report.md"] = md.encode("utf-8")

    def image(alt: str, path: str) -> str:
        data = files[path]
        if path.endswith(".svg"):
            svg = data.decode("utf-8")
            svg = svg[svg.index("<svg"):]
            return f'<figure>{svg}<figcaption>{html.escape(alt)}</figcaption></figure>'
        b64 = base64.b64encode(data).decode("ascii")
        return (f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{b64}">'
                f"<figcaption>{html.escape(alt)}</figcaption></figure>")

    body = html_from_markdown(md, image)
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>walt_alliances: reproduction report</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n")
    files["report.html"] = page.encode("utf-8")

    man = dict(manifest)
    man["outputs"] = {rel: {"sha256": _sha(data), "bytes": len(data)}
                      for rel, data in sorted(files.items())}
    files["manifest.json"] = (json.dumps(man, indent=2, sort_keys=True, ensure_ascii=False)
                              + "\n").encode("utf-8")
    # staged beside out_dir and swapped in whole: the folder holds exactly these files
    return write_folder(out, files, what="report", replaceable=REPORT_FOLDER)


#: An earlier report folder: it holds a manifest.json written by this package.
REPORT_FOLDER = json_marker(
    "manifest.json", lambda d: d.get("package", {}).get("name") == "walt-alliances")


def _markdown(tables: Mapping[str, pd.DataFrame], results: pd.DataFrame | None,
              summary_md: str | None, fig_paths: Mapping[str, str], manifest: Mapping[str, Any],
              comparison: pd.DataFrame | None, titles: Mapping[str, str],
              notes: Mapping[str, str]) -> str:
    pkg = manifest.get("package", {})
    parts = ["# walt_alliances: the study of Walt (1987) re-run from open data", "",
             f"Package `{pkg.get('name', 'walt-alliances')}` {pkg.get('version', '?')}, "
             f"data version {manifest.get('data_version', '?')}. Versions, seeds and the "
             "sha256 of every file are in `manifest.json`.", "", "> " + _OURS, ""]
    parts += ["## Contents", ""]
    parts += ["- Hypothesis tests (`hypotheses/`)", "- Figures (`figures/`)"]
    parts += [f"- {titles.get(n, n)} (`tables/{_slug(n)}.csv`)" for n in tables]
    parts += ["- Published comparison (`tables/published_comparison.csv`)", ""]
    parts += ["## Hypothesis tests", ""]
    if results is None and not summary_md:
        parts += ["**Not run.** " + str(manifest.get("hypotheses", {}).get(
            "note", "No hypothesis results were given.")), ""]
    else:
        parts += ["Estimates are **ours** (the project's data and models), not the book's.", ""]
        if summary_md:
            parts += [_demote(summary_md.strip(), 2), ""]
        if results is not None:
            parts += [markdown_table(results), "", "File: `hypotheses/results.csv`.", ""]
    parts += ["## Figures", ""]
    if not fig_paths:
        parts += ["No figures.", ""]
    for name, rel in fig_paths.items():
        parts += [f"### {titles.get('figure:' + name, name)}", "",
                  f"![{titles.get('figure:' + name, name)} (ours)]({rel})", ""]
    for name, df in tables.items():
        parts += [f"## {titles.get(name, name)}", ""]
        parts += [f"Values: **ours** (`coded_by` = `{df.attrs.get('coded_by', 'ours')}`). "
                  f"{len(df)} rows; file `tables/{_slug(name)}.csv`.", ""]
        if notes.get(name):
            parts += [notes[name], ""]
        parts += [markdown_table(df.drop(columns=["coded_by"], errors="ignore")), ""]
    parts += ["## Published comparison", ""]
    if comparison is None or comparison.empty:
        parts += ["No published table was compared.", ""]
    else:
        summ = _comparison_summary(comparison)
        n_book = int(summ["transcribed"].sum() + summ["verified"].sum())
        parts += [
            "Each cell of our tables beside the value printed in the book. **Book values: "
            f"{n_book} cells transcribed or verified.** `ours` is always the project's value; "
            "`published` holds a value from Walt (1987) only when its status is `transcribed` "
            "or `verified`. `not transcribed`: the book's value has not been entered (nobody "
            "on the project has the book yet). `no published cell`: a cell of ours with no "
            "entry in the published file (the book's layout is unknown). Counts are compared "
            "exactly, other numbers at the printed precision.", "",
            markdown_table(summ), ""]
        done = comparison[comparison["status"].astype(str).isin(["transcribed", "verified"])]
        if len(done):
            parts += ["### Transcribed cells", "",
                      markdown_table(done.drop(columns=["table_id"])), ""]
        else:
            parts += ["No cell is transcribed yet, so there is nothing to compare: every "
                      "value in this report is ours. The full cell list is in "
                      "`tables/published_comparison.csv`.", ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def write_table(out_dir: str | Path, name: str, df: pd.DataFrame, title: str,
                table_id: str | None = None) -> list[Path]:
    """Write one table as ``<name>.csv`` and ``<name>.md`` (for the ``analyses/`` scripts).

    Parameters
    ----------
    out_dir : path-like
        Folder (created if needed).
    name : str
        File stem, e.g. ``table_appendix1``.
    df : pandas.DataFrame
        The table (a book table: its values are ours).
    title : str
        Heading of the Markdown file.
    table_id : str, optional
        The published table it corresponds to (:data:`walt_alliances.tables.published.SPECS`): the
        Markdown then says how many of its cells are transcribed from the book.

    Returns
    -------
    list of pathlib.Path
        The two files.
    """
    out = Path(out_dir)
    md = [f"# {title}", "", "> " + _OURS_TABLE, ""]
    if table_id is not None:
        from walt_alliances.tables import published as pub

        comp = _comparison_summary(pub.compare(df, pub.load_published(table_id), table_id))
        done = int(comp["transcribed"].sum() + comp["verified"].sum())
        md += [f"Published table `{table_id}`: {done} cells transcribed from the book "
               f"(of {int(comp['cells'].sum())} compared); "
               + ("every value below is ours." if done == 0 else
                  f"{int(comp['different'].sum())} differ from ours (see "
                  "analyses/README.md, Discrepancies)."), ""]
    md += [markdown_table(df.drop(columns=["coded_by"], errors="ignore"))]
    files = {out / f"{name}.csv": csv_bytes(df), out / f"{name}.md": "\n".join(md).encode()}
    for path, data in files.items():
        atomic_write_bytes(path, data)
    return list(files)


# --------------------------------------------------------------------------------------------
# Reproduce everything
# --------------------------------------------------------------------------------------------

def _version(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def environment() -> dict[str, Any]:
    """Python and library versions (no paths, no host names, no timestamps)."""
    return {"python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "libraries": {lib: _version(lib) for lib in _LIBRARIES}}


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0] if doc else ""


def verdict_changes(base: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Compare two verdict tables (shipped data against the data as given).

    Parameters
    ----------
    base, other : pandas.DataFrame
        ``verdicts`` of two :func:`walt_alliances.analysis.hypotheses.run_all` results.

    Returns
    -------
    pandas.DataFrame
        One row per model and key term: estimate, p-value, n and verdict on each, and
        ``changed`` (True where the verdicts differ).
    """
    cols = ["model_id", "hypothesis", "term", "expected_sign", "estimate", "p_value", "n",
            "verdict"]
    merged = base[cols].merge(other[cols], on=["model_id", "hypothesis", "term",
                                               "expected_sign"],
                              how="outer", suffixes=("_shipped", "_given"), sort=False)
    merged["changed"] = merged["verdict_shipped"] != merged["verdict_given"]
    merged["coded_by"] = "ours"
    return merged.reset_index(drop=True)


def reproduce(out_dir: str | Path, progress: bool = True, data: Any = None,
              with_hypotheses: bool = True, robustness: bool = True) -> list[Path]:
    """Run every book table, the published comparisons, the figures and the hypothesis tests.

    Parameters
    ----------
    out_dir : path-like
        Where :func:`write_report` writes.
    progress : bool
        Report each step on stderr.
    data : walt_alliances.panels.study.Study or walt_alliances.tables.book.BookData, optional
        The coded tables (default: the shipped data). To run with an extension pass
        ``Study.with_records(...)``: the book tables, figures and (when
        ``run_all`` takes a ``study``) the hypothesis tests then all use it. A ``BookData``
        is used for the tables and figures only; the hypothesis tests then run on the shipped
        data, and the manifest says so.
    with_hypotheses : bool
        Run ``walt_alliances.analysis.hypotheses.run_all()`` when that function exists
        (default True).
        When it does not exist, or this is False, the report has a section saying the tests
        were not run.
    robustness : bool
        Also run the hypothesis tests' robustness variants (default True; about a minute).

    Returns
    -------
    list of pathlib.Path
        Every file written.

    Notes
    -----
    Deterministic: nothing random, no timestamps; two runs on the same data and software give
    byte-identical files. ``run_all()`` may return ``(results DataFrame, summary markdown)`` or
    an object with ``results`` and ``summary_md`` attributes; it gets ``study=data`` and
    ``progress=progress`` when it accepts them.
    """
    check_folder(out_dir, REPORT_FOLDER, "report")  # refuse a bad --out before the work
    from walt_alliances.records.load import data_version
    from walt_alliances.report import figures as figs
    from walt_alliances.tables import book as bt
    from walt_alliances.tables import published as pub

    def say(msg: str) -> None:
        if progress:
            print(f"[reproduce] {msg}", file=sys.stderr, flush=True)

    given = data is not None
    data_arg = data
    data = bt._data(data)
    tables: dict[str, pd.DataFrame] = {}
    titles: dict[str, str] = {}
    notes: dict[str, str] = {}
    skipped: dict[str, str] = {}
    n = len(bt.BOOK_TABLES)
    for i, (name, (fn, title)) in enumerate(bt.BOOK_TABLES.items(), start=1):
        say(f"table {i}/{n}: {name}")
        try:
            tables[name] = fn(data)
        except RuntimeError as exc:  # a missing optional module (world power needs measures)
            skipped[name] = str(exc)
            say(f"  skipped: {exc}")
            continue
        titles[name] = title
        doc = fn.__doc__ or ""
        notes[name] = _first_line(doc)
        if tables[name].attrs.get("us_aid"):
            notes[name] += f" US aid channel: {tables[name].attrs['us_aid']}."
    say("published comparison")
    comparison = pub.compare_all(tables)
    say("figures")
    figures: dict[str, bytes] = {}
    edges = figs.network_edges(data)
    edges["coded_by"] = "ours"
    tables["network_edges"] = edges
    titles["network_edges"] = "Network edges: pairs sharing an alignment, by period"
    titles["figure:timeline_motive"] = "Alignment memberships by actor, coloured by primary motive"
    titles["figure:timeline_kind"] = "Alignment memberships by actor, coloured by alignment kind"
    titles["figure:network_snapshots"] = "Alignment networks by period"
    titles["figure:coefficients"] = "Hypothesis tests: estimates with confidence intervals"
    import matplotlib.pyplot as plt

    for fname, make in (("timeline_motive", lambda: figs.timeline(data)),
                        ("timeline_kind", lambda: figs.timeline(data, color_by="kind")),
                        ("network_snapshots", lambda: figs.network_snapshots(data))):
        say(f"  figure {fname}")
        fig = make()
        figures[fname] = figs.render(fig, "png")
        plt.close(fig)
    results: pd.DataFrame | None = None
    summary: str | None = None
    extra: dict[str, bytes] = {}
    hyp: dict[str, Any] = {"run": False}
    if not with_hypotheses:
        hyp["note"] = "The hypothesis tests were not requested (with_hypotheses=False)."
    else:
        try:
            mod = importlib.import_module("walt_alliances.analysis.hypotheses")
        except ModuleNotFoundError as exc:
            if exc.name != "walt_alliances.analysis.hypotheses":
                raise
            mod = None
        run_all = getattr(mod, "run_all", None)
        if mod is None:
            hyp["note"] = ("The module walt_alliances.analysis.hypotheses is not available in this "
                           "version, so the hypothesis tests were not run.")
        elif run_all is None:
            hyp["note"] = ("walt_alliances.analysis.hypotheses has no run_all() function, so the "
                           "hypothesis tests were not run.")
        else:
            say("hypothesis tests")
            kwargs: dict[str, Any] = {}
            params = inspect.signature(run_all).parameters
            is_study = given and not isinstance(data_arg, bt.BookData)
            if is_study and "study" in params:
                kwargs["study"] = data_arg
            if "progress" in params:
                kwargs["progress"] = progress
            if "robustness" in params:
                kwargs["robustness"] = robustness
            out = run_all(**kwargs)
            if isinstance(out, tuple):
                results, summary = out
            else:
                results, summary = out.results, out.summary_md
                rounder = getattr(mod, "_round", lambda d: d)
                for attr in ("verdicts", "comparison", "robustness"):
                    frame = getattr(out, attr, None)
                    if frame is not None and len(frame):
                        extra[f"hypotheses/{attr}.csv"] = csv_bytes(rounder(frame))
            hyp = {"run": True, "data": "as given" if "study" in kwargs else "shipped"}
            seed = getattr(mod, "SEED", None)
            if seed is not None:
                hyp["seed"] = seed
            if "study" in kwargs and not isinstance(out, tuple):
                say("hypothesis tests on the shipped data, to compare verdicts")
                base = run_all(progress=False, robustness=False)
                tables["verdicts_vs_shipped"] = verdict_changes(base.verdicts, out.verdicts)
                titles["verdicts_vs_shipped"] = ("How the verdicts change: shipped data "
                                                 "(1955-1979) against the data as given")
                notes["verdicts_vs_shipped"] = (
                    "Each key term's estimate, p-value and verdict on the shipped data and on "
                    "the data given (for example with an extension); 'changed' marks a "
                    "different verdict.")
            need = {"model_id", "term", "estimate", "ci_low", "ci_high"}
            if results is not None and need <= set(results.columns):
                fig = figs.coefficient_plot(results)
                figures["coefficients"] = figs.render(fig, "png")
                plt.close(fig)
    from walt_alliances.panels.study import shipped_origin

    dp_version = data_version()
    manifest: dict[str, Any] = {
        "package": {"name": "walt-alliances", "version": _version("walt-alliances")},
        "data_version": dp_version,
        "data": getattr(data_arg, "data_origin", None) or (
            ("given by the caller (not necessarily the shipped tables; data_version is the "
             "shipped data's)") if given else shipped_origin()),
        "period": [data.period_start.isoformat(), data.period_end.isoformat()],
        "seeds": {"hypotheses": hyp.get("seed")} if hyp.get("seed") is not None else {},
        "randomness": "none in the tables and figures",
        "environment": environment(),
        "hypotheses": hyp,
        "skipped_tables": skipped,
        "published_status": pub.published_status().to_dict("records"),
        "values": "ours: every table, figure and estimate is computed from the project's "
                  "codings; book values only in tables/published_comparison.csv where status "
                  "is transcribed or verified",
    }
    say(f"writing the report to {out_dir}")
    if given and getattr(data_arg, "notes", None):
        manifest["data_notes"] = list(data_arg.notes)
    return write_report(out_dir, tables, results, summary, figures, manifest,
                        comparison=comparison, titles=titles, notes=notes, extra_files=extra)
