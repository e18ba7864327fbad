"""Recoding without touching the installed package: find and print records, guard outputs.

A recode lives in the user's own folder (an extension or additions, laid out like
``datasets/``) and is used through ``--with DIR`` (``validate``, ``reproduce``, ``hypotheses``,
``panel``, ``export``, ``list``, ``info``) or
:meth:`~walt_alliances.panels.study.Study.with_records`.
``walt-alliances show ID --yaml`` prints a shipped record in the YAML the records are written in,
ready to copy into an override; ``build`` writes compiled data only into a folder the user names
(never into an installed package).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from walt_alliances.errors import WaltError

if TYPE_CHECKING:  # records.read (pydantic, YAML) is imported only by the functions using it
    from walt_alliances.records.read import RecordSet

__all__ = [
    "OutputPathError",
    "check_output",
    "find_record",
    "is_installed_package_path",
    "record_yaml",
]


class OutputPathError(WaltError, ValueError):
    """An output path that would need a missing folder, or points inside the package."""


@cache
def _where() -> dict[str, tuple[str, str]]:
    """Table -> (file or folder in a records folder, id field)."""
    from walt_alliances.records.read import DIR_FILES, LIST_FILES

    return {
        **{t: (f, i) for f, (t, _, i) in LIST_FILES.items()},
        **{t: (f"{d}/<id>.yaml", i) for d, (t, _, i) in DIR_FILES.items()},
    }


def _record_id(rec: Any, id_field: str) -> str:
    if id_field:
        return str(getattr(rec, id_field))
    return ""


def find_record(rs: RecordSet, record_id: str) -> tuple[str, Any]:
    """Return ``(table, record)`` of the record with this id (alignment, actor, act, ...).

    Raises
    ------
    KeyError
        With the closest ids when no record has this id.
    """
    ids: list[str] = []
    for table, (_, id_field) in _where().items():
        if not id_field:
            continue
        for rec in getattr(rs, table):
            rid = _record_id(rec, id_field)
            if rid == record_id:
                return table, rec
            ids.append(rid)
    import difflib

    close = difflib.get_close_matches(record_id, ids, n=5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KeyError(f"no shipped record has the id {record_id!r}{hint} "
                   "(`walt-alliances list` shows the alignment ids)")


def record_yaml(table: str, rec: Any) -> str:
    """Render a record as YAML in the layout of ``datasets/`` (field order of the schema).

    A record of a one-record-per-file folder (alignments, excluded events) is a mapping; a
    record of a list file (actors, regimes, hostile acts, ...) is one list item, to paste
    under that file's other items.
    """
    import yaml

    from walt_alliances.records.read import DIR_FILES

    data = rec.model_dump(mode="json", exclude_none=False)
    if table in {t for t, _, _ in DIR_FILES.values()}:
        return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96))
    return str(yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=96))


def where_record_goes(table: str, record_id: str) -> str:
    """The file of a records folder that holds a record of ``table``."""
    place, _ = _where()[table]
    return place.replace("<id>", record_id)


def is_installed_package_path(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is inside this walt_alliances package and the package is installed.

    A development checkout (the package folder beside ``pyproject.toml`` and ``datasets/``)
    is not "installed": developers build the shipped data there.
    """
    pkg = Path(__file__).resolve().parents[1]
    root = pkg.parent
    if (root / "pyproject.toml").is_file() and (root / "datasets" / "dataset.yaml").is_file():
        return False
    try:
        Path(path).resolve().relative_to(pkg)
    except ValueError:
        return False
    return True


def check_output(path: str | os.PathLike[str], *, is_dir: bool, mkdir: bool = False,
                 flag: str = "--out") -> Path:
    """Check an output path before anything is computed.

    A file's folder must exist; a folder of outputs may be created, but its parent must exist.
    With ``mkdir`` the missing folders are created. Nothing is ever written inside an installed
    package.

    Raises
    ------
    OutputPathError
        Naming the missing folder and the ``--mkdir`` flag, or the package folder.
    """
    p = Path(path)
    if is_installed_package_path(p):
        raise OutputPathError(
            f"{flag} {p}: that is inside the installed walt_alliances package; write outputs "
            "to a folder of your own")
    need = p.parent  # a folder of outputs may be created; its parent (or a file's) must exist
    if not need.exists():
        if mkdir:
            need.mkdir(parents=True, exist_ok=True)
        else:
            raise OutputPathError(
                f"{flag} {p}: the folder {need} does not exist (create it, or add --mkdir)")
    elif not need.is_dir():
        raise OutputPathError(f"{flag} {p}: {need} is not a folder")
    if is_dir and p.exists() and not p.is_dir():
        raise OutputPathError(f"{flag} {p}: exists and is not a folder")
    return p
