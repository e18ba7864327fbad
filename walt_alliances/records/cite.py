"""How to cite the package, the book and the sources behind the data."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Literal

from walt_alliances.records.load import data_version, load_recordset

#: Keys always cited: the book, and ATOP (the treaty record behind formal alliances' dates).
CORE_KEYS = ("walt1987", "leeds2002atop", "cow2017states")


def package_version() -> str:
    """Return the installed package version (single-sourced from its metadata)."""
    try:
        return version("walt-alliances")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
        return "0+unknown"


def cite(format: Literal["text", "bibtex"] = "text", all_sources: bool = False) -> str:
    """Return the citation of the package and of the works it rests on.

    Parameters
    ----------
    format : {"text", "bibtex"}
        Plain text or BibTeX.
    all_sources : bool
        Also list every secondary source cited in the records (default: only the package, the
        book and the core datasets).

    Returns
    -------
    str
    """
    rs = load_recordset()
    pv, dv = package_version(), data_version()
    keys = sorted(rs.bibliography) if all_sources else [k for k in CORE_KEYS
                                                       if k in rs.bibliography]
    if format == "bibtex":
        pkg = ("@software{walt_alliances,\n  title   = {walt_alliances: The Origins of Alliances "
               "as data and code},\n  author  = {{walt\\_alliances developers}},\n"
               f"  version = {{{pv}}},\n  note    = {{data version {dv}}}\n}}\n")
        return pkg + "\n" + "\n".join(rs.bibliography[k].render() for k in keys)
    lines = [f"walt_alliances {pv} (data version {dv}): The Origins of Alliances as data and "
             "code.", "", "Please also cite:"]
    lines += [f"  {rs.bibliography[k].short()}" for k in keys]
    return "\n".join(lines) + "\n"
