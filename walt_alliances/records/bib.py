"""A small, strict BibTeX reader for the project's bibliography.

It reads the subset of BibTeX the bibliography uses: ``@type{key, field = {value}, ...}`` with
braced or quoted values (nested braces allowed) or bare numbers, and ``%`` comment lines. It
reports problems with file and line, never guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from walt_alliances.errors import Problem

_ENTRY = re.compile(r"@([A-Za-z]+)\s*\{\s*([^,\s]+)\s*,")
#: Fields that say who is responsible for a work; one is required (unsigned news articles name
#: their periodical instead).
_RESPONSIBLE = {"author", "editor", "organization", "journal", "howpublished", "publisher"}
_FIELD = re.compile(r"\s*([A-Za-z_-]+)\s*=\s*")


@dataclass(frozen=True)
class BibEntry:
    """One bibliography entry."""

    key: str
    entry_type: str
    fields: dict[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0

    def render(self) -> str:
        """Return the entry as normalised BibTeX text."""
        width = max((len(k) for k in self.fields), default=0)
        body = ",\n".join(f"  {k.ljust(width)} = {{{v}}}" for k, v in self.fields.items())
        return f"@{self.entry_type}{{{self.key},\n{body}\n}}\n"

    def short(self) -> str:
        """Return a one-line human citation (author, year, title)."""
        author = (self.fields.get("author") or self.fields.get("editor")
                  or self.fields.get("organization", "")).replace("{", "")
        author = author.replace("}", "")
        year = self.fields.get("year", "n.d.")
        title = self.fields.get("title", "").replace("{", "").replace("}", "")
        return f"{author} ({year}). {title}."


#: Problems reported per file before the reader gives up on it (a file of garbage would
#: otherwise give one problem per "@").
MAX_PROBLEMS = 100
_BRACE = re.compile(r"[{}]")
_BARE = re.compile(r"[A-Za-z0-9_.-]+")


def _read_value(text: str, i: int) -> tuple[str, int]:
    if text[i] == "{":
        depth = 0
        for m in _BRACE.finditer(text, i):  # linear: no copy of the rest of the text
            depth += 1 if m.group() == "{" else -1
            if depth == 0:
                return text[i + 1 : m.start()], m.end()
        raise ValueError("unbalanced braces")
    if text[i] == '"':
        j = text.find('"', i + 1)
        if j < 0:
            raise ValueError("unterminated quoted value")
        return text[i + 1 : j], j + 1
    bare = _BARE.match(text, i)
    if not bare:
        raise ValueError("a value must be {braced}, \"quoted\" or a bare number")
    return bare.group(0), bare.end()


def parse_bibtex(text: str, file: str = "<string>") -> tuple[list[BibEntry], list[Problem]]:
    """Parse BibTeX text.

    Parameters
    ----------
    text : str
        The file's content.
    file : str
        Name used in problem reports.

    Returns
    -------
    entries, problems : list of BibEntry, list of Problem
    """
    entries: list[BibEntry] = []
    problems: list[Problem] = []
    clean = "\n".join("" if ln.lstrip().startswith("%") else ln for ln in text.splitlines())
    pos = 0
    counted, line = 0, 1  # lines are counted incrementally (linear in the text's length)
    while True:
        at = clean.find("@", pos)
        if at < 0:
            break
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(file, "", "", f"more than {MAX_PROBLEMS} problems; the "
                                    "rest of the file was not read"))
            break
        line += clean.count("\n", counted, at)
        counted = at
        m = _ENTRY.match(clean, at)
        if not m:
            problems.append(Problem(file, "", "", "cannot read the entry header", line))
            pos = at + 1
            continue
        etype, key = m.group(1).lower(), m.group(2)
        i, fields, ok = m.end(), {}, True
        while True:
            while i < len(clean) and clean[i] in " \t\r\n,":
                i += 1
            if i >= len(clean):
                problems.append(Problem(file, key, "", "entry is not closed with '}'", line))
                ok = False
                break
            if clean[i] == "}":
                i += 1
                break
            fm = _FIELD.match(clean, i)
            if not fm:
                problems.append(Problem(file, key, "", "cannot read a field", line))
                ok = False
                break
            try:
                value, i = _read_value(clean, fm.end())
            except (ValueError, IndexError) as exc:
                problems.append(Problem(file, key, fm.group(1).lower(), str(exc), line))
                ok = False
                if "unbalanced" in str(exc):  # the rest of the file is inside this value
                    return entries, problems
                break
            name = fm.group(1).lower()
            if name in fields:
                problems.append(Problem(file, key, name, "field given twice", line))
            fields[name] = " ".join(value.split())
        if ok:
            for required in ("title",):
                if required not in fields:
                    problems.append(Problem(file, key, required, "missing", line))
            if not _RESPONSIBLE & fields.keys():
                problems.append(Problem(file, key, "author", "missing: give author, editor, "
                                        "organization, or for an unsigned piece journal, "
                                        "howpublished or publisher", line))
            entries.append(BibEntry(key, etype, fields, file, line))
        pos = i if ok else at + 1
    return entries, problems


def _identity(e: BibEntry) -> tuple[str, str, str]:
    def norm(v: str) -> str:
        return re.sub(r"[^a-z0-9]", "", v.lower())

    return e.entry_type, norm(e.fields.get("title", "")), norm(e.fields.get("year", ""))


def read_bibliography(paths: list[Path], root: Path | None = None) -> tuple[dict[str, BibEntry],
                                                                          list[Problem]]:
    """Read .bib files into one bibliography keyed by citation key.

    The same key defined twice is a problem unless both definitions name the same work (same
    entry type, title and year, compared without case, braces or spacing); the first is kept.
    """
    bib: dict[str, BibEntry] = {}
    problems: list[Problem] = []
    for path in paths:
        name = str(path.relative_to(root)) if root else str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, "", "", f"cannot read file: {exc}"))
            continue
        entries, probs = parse_bibtex(text, name)
        problems += probs
        for e in entries:
            prior = bib.get(e.key)
            if prior is None:
                bib[e.key] = e
            elif _identity(prior) != _identity(e):
                problems.append(Problem(name, e.key, "", f"key defined differently in "
                                        f"{prior.file}:{prior.line}", e.line))
    return bib, problems
