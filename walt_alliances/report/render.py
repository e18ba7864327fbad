"""Render the report's document model to HTML and Markdown with Jinja2 templates.

The report is built as a plain document model (:func:`walt_alliances.report.report.build_document`
makes it): a title, a table of contents, and sections made of blocks (paragraphs, notes,
*not run* notes, tables, the headline table, figures). Two Jinja2 templates in
``walt_alliances/report/templates/`` turn it into one self-contained HTML file (CSS inline,
figures embedded) and a Markdown file. Prose in the blocks may use inline Markdown (``code``,
``**bold**``, ``*italics*``, ``[links](#anchor)``), which markdown-it-py renders for the HTML
(raw HTML in text is escaped, never passed through).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

__all__ = ["clean_markup", "markdown_table", "render_html", "render_markdown"]

_CODE = re.compile(r"<code>[^<]*</code>")
_ROLE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|obj|exc|ref|doc):`~?([^`]+)`")


def clean_markup(text: str) -> str:
    """Turn Sphinx roles (``:func:`x```) into plain inline code (```x```).

    Examples
    --------
    >>> clean_markup("See :func:`walt_alliances.tables.book.ideology`.")
    'See `walt_alliances.tables.book.ideology`.'
    """
    return _ROLE.sub(lambda m: f"`{m.group(1)}`", text)


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False})


def _md_inline(text: Any) -> Any:
    from markupsafe import Markup

    if text is None:
        return ""
    html = _markdown().renderInline(clean_markup(str(text)))
    # let long identifiers in code break after an underscore rather than overflow
    html = _CODE.sub(lambda m: m.group(0).replace("_", "_<wbr>"), html)
    return Markup(html)


def _md_cell(text: Any) -> str:
    out = " ".join(str(text).split()) if text is not None else ""
    return out.replace("|", "\\|")


def markdown_table(columns: list[str], rows: list[list[Any]],
                   numeric: list[bool] | None = None) -> str:
    """A Markdown pipe table (pipes escaped, numbers right-aligned).

    Parameters
    ----------
    columns : list of str
        Header cells.
    rows : list of list
        Body cells, already formatted for reading.
    numeric : list of bool, optional
        Right-align these columns.

    Returns
    -------
    str
    """
    if not columns:
        return "*(no columns)*\n"
    numeric = numeric or [False] * len(columns)
    head = "| " + " | ".join(_md_cell(c) for c in columns) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    body = ["| " + " | ".join(_md_cell(v) for v in r) + " |" for r in rows]
    if not rows:
        body = ["| " + " | ".join("" for _ in columns) + " |"]
    return "\n".join([head, rule, *body]) + "\n"


def _mdtable(t: Any) -> str:
    return markdown_table(list(t["columns"]), [list(r) for r in t["rows"]], list(t["numeric"]))


def _mdheadline(b: Any) -> str:
    cols = list(b["columns"])
    rows: list[list[Any]] = []
    for g in b["groups"]:
        label = f"**{g['hypothesis']}**" + (f": {g['statement']}" if g["statement"] else "")
        rows.append([label] + [""] * (len(cols) - 1))
        rows += [[r[c] for c in cols] for r in g["rows"]]
    return markdown_table(cols, rows, [c in b["numeric"] for c in cols])


@cache
def _env(autoescape: bool) -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("walt_alliances.report", "templates"),
                             autoescape=autoescape, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=False)
    env.filters["md"] = _md_inline if autoescape else (lambda s: clean_markup(str(s)))
    env.filters["mdtable"] = _mdtable
    env.filters["mdheadline"] = _mdheadline
    return env


def _css() -> str:
    from importlib.resources import files

    return files("walt_alliances.report").joinpath("templates/style.css").read_text("utf-8")


def render_html(doc: dict[str, Any]) -> str:
    """The report as one self-contained HTML page (``templates/report.html.j2``)."""
    return _env(True).get_template("report.html.j2").render(doc=doc, css=_css().strip())


def render_markdown(doc: dict[str, Any]) -> str:
    """The report as Markdown (``templates/report.md.j2``); figures are linked files."""
    text = _env(False).get_template("report.md.j2").render(doc=doc)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
