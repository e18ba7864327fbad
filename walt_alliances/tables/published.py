"""The book's published tables as data, and their cell-by-cell comparison with ours.

Nobody on the project has Walt (1987), so every published value is empty with status
``"not transcribed"`` until someone with the book enters it (see
``analyses/published/README.md``). The machinery below works the same before and after.

Files
-----
One CSV per published table, ``<table_id>.csv``, with the columns of :data:`COLUMNS`:

- ``table_id``: the table (a name of :data:`SPECS`, the same as the book table function's);
- ``row_key``, ``column_key``: the cell. ``row_key`` joins the table's row-key columns with
  ``|`` (see :data:`SPECS`); ``column_key`` names one of its value columns;
- ``value``: the value **as printed** (text; empty until transcribed);
- ``printed_precision``: decimals printed (``0`` for ``12`` or ``12%``, ``1`` for ``12.5``);
- ``page``: the book page the value was read on (required once transcribed);
- ``status``: ``not transcribed``, ``transcribed`` (entered once) or ``verified`` (checked
  against the page by a second person);
- ``transcribed_by``: who entered (and who verified) it;
- ``note``: anything a reader needs (a footnote, an ambiguity, how a book row maps onto our key).

The canonical copies ship in the package (``walt_alliances/data/published/``) so that an
installed wheel can run the comparison; ``analyses/published/`` holds the same files for
people editing the repository, and a test checks that the two are identical.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from walt_alliances.records import dates
from walt_alliances.tables import book as bt

__all__ = [
    "COLUMNS",
    "SPECS",
    "STATUSES",
    "PublishedSpec",
    "compare",
    "compare_all",
    "load_published",
    "published_dir",
    "published_status",
    "skeleton",
    "to_cells",
    "validate_published",
    "write_skeletons",
]

#: Columns of every published-table file, in order.
COLUMNS: tuple[str, ...] = ("table_id", "row_key", "column_key", "value", "printed_precision",
                            "page", "status", "transcribed_by", "note")
#: Allowed values of ``status``.
STATUSES: tuple[str, ...] = ("not transcribed", "transcribed", "verified")
#: ``status`` of a comparison row for a cell of ours that the published file does not have.
NO_PUBLISHED_CELL = "no published cell"
#: ``status`` of a comparison row for a published cell that our table does not have.
NOT_IN_OURS = "not in our table"


@dataclass(frozen=True)
class PublishedSpec:
    """How a book table maps onto cells.

    Attributes
    ----------
    table_id : str
        Name of the table (a key of :data:`walt_alliances.tables.book.BOOK_TABLES`).
    row_columns : tuple of str
        Columns of our table that identify a row; joined with ``|`` into ``row_key``.
    value_columns : tuple of str
        Columns that hold the cells' values; each is a ``column_key``.
    count_columns : tuple of str
        Value columns that are counts, compared exactly.
    skeleton_rows : callable or None
        Returns the row keys whose existence is certain from our own table's structure
        (fixed vocabularies, the coded period's years); None when the rows depend on the
        data (a list of alignments), so the skeleton has no rows.
    skeleton_columns : tuple of str
        Value columns given a cell in the skeleton (default: all value columns).
    """

    table_id: str
    row_columns: tuple[str, ...]
    value_columns: tuple[str, ...]
    count_columns: tuple[str, ...] = ()
    skeleton_rows: Callable[[], list[str]] | None = None
    skeleton_columns: tuple[str, ...] = ()

    def cell_columns(self) -> tuple[str, ...]:
        """Value columns that get a cell in the skeleton."""
        return self.skeleton_columns or self.value_columns


def _bvb_rows() -> list[str]:
    rows = []
    for level, cats in (("alliances", bt.ALIGNMENT_CATEGORIES),
                        ("commitments", bt.COMMITMENT_CATEGORIES)):
        rows += [f"{level}|{g}|{c}" for g in bt.GROUPS for c in cats]
    return rows


def _threat_rows() -> list[str]:
    return ([f"component:{c}" for c in bt.COMPONENTS] + [f"n_components:{k}" for k in range(5)]
            + [f"threat_type:{t}" for t in ("regional", "superpower", "outside_power",
                                            "non_state")]
            + ["all_threats", "members_without_threat"])


def _year_rows() -> list[str]:
    return [str(y) for y in range(dates.PERIOD_START.year, dates.PERIOD_END.year + 1)]


#: The published tables: table_id -> spec.
SPECS: dict[str, PublishedSpec] = {s.table_id: s for s in (
    PublishedSpec("appendix1", ("alignment_id",), ("years", "n_members", "members"),
                  ("n_members",)),
    PublishedSpec("balancing_vs_bandwagoning", ("level", "group", "category"),
                  ("count", "share"), ("count",), _bvb_rows),
    PublishedSpec("threat_sources_tally", ("row",),
                  ("threats", "members", "alignments", "share_of_threats"),
                  ("threats", "members", "alignments"), _threat_rows),
    PublishedSpec("ideology_tally", ("similarity",),
                  ("alignments", "unions", "right_censored", "mean_duration_years",
                   "median_duration_years"), ("alignments", "unions", "right_censored"),
                  lambda: [*bt.SIMILARITY, "all"]),
    PublishedSpec("pan_arab_unions", ("alignment_id",), ("start", "end", "duration_years")),
    PublishedSpec("aid_and_penetration_tally", ("channel", "order"), ("events", "share"),
                  ("events",),
                  lambda: [f"{c}|{o}" for c in ("soviet_aid", "us_aid", "penetration")
                           for o in bt.ORDERS]),
    PublishedSpec("world_power_balance", ("year",),
                  ("us_cinc", "soviet_cinc", "us_region_cinc", "soviet_region_cinc",
                   "both_cinc", "us_to_soviet"), (), _year_rows,
                  ("us_cinc", "soviet_cinc", "us_to_soviet")),
)}


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

def published_dir() -> Any:
    """Return the folder of the shipped published-table files (an importlib resource)."""
    return resources.files("walt_alliances").joinpath("data", "published")


def skeleton(table_id: str) -> pd.DataFrame:
    """Return the empty published-table file of ``table_id``: certain keys only.

    Every cell has an empty value, an empty page and status ``not transcribed``. Tables whose
    rows depend on the data (Appendix 1, the unions) have no rows: someone with the book adds
    them.
    """
    spec = _spec(table_id)
    rows = []
    for rk in (spec.skeleton_rows() if spec.skeleton_rows else []):
        for ck in spec.cell_columns():
            rows.append({"table_id": table_id, "row_key": rk, "column_key": ck, "value": "",
                         "printed_precision": "", "page": "", "status": "not transcribed",
                         "transcribed_by": "", "note": ""})
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype("string")


def write_skeletons(directory: str | Path, overwrite: bool = False) -> list[Path]:
    """Write the skeleton file of every table in :data:`SPECS` into ``directory``.

    Existing files are left alone unless ``overwrite`` is True (they may hold transcriptions).
    """
    from walt_alliances._io import atomic_write_bytes, csv_bytes

    out = []
    for table_id in SPECS:
        path = Path(directory) / f"{table_id}.csv"
        if path.exists() and not overwrite:
            continue
        atomic_write_bytes(path, csv_bytes(skeleton(table_id)))
        out.append(path)
    return out


def load_published(table_id: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read and check a published-table file.

    Parameters
    ----------
    table_id : str
        A table of :data:`SPECS`.
    path : path-like, optional
        The file to read (default: the copy shipped in the package).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, all strings (empty cells are ``""``).

    Raises
    ------
    ValueError
        Listing every problem found by :func:`validate_published`.
    """
    _spec(table_id)
    if path is None:
        with published_dir().joinpath(f"{table_id}.csv").open("rb") as fh:
            df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = validate_published(df, table_id)
    if problems:
        where = path or f"(shipped) {table_id}.csv"
        raise ValueError(f"{where}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return df.astype("string")


def validate_published(df: pd.DataFrame, table_id: str) -> list[str]:
    """Every problem of a published-table frame (an empty list when it is valid).

    Rules: the columns are exactly :data:`COLUMNS`; ``table_id`` is the expected one on every
    row; ``(row_key, column_key)`` is unique; ``column_key`` is a value column of the table;
    ``status`` is one of :data:`STATUSES`; a ``not transcribed`` cell has no value; a
    ``transcribed`` or ``verified`` cell has a value, a page and ``transcribed_by``, and a
    ``printed_precision`` that is a whole number >= 0 when its value is a number.
    """
    spec = _spec(table_id)
    problems = []
    if tuple(df.columns) != COLUMNS:
        return [f"columns are {list(df.columns)}, expected {list(COLUMNS)}"]
    df = df.fillna("")
    dup = df[df.duplicated(["row_key", "column_key"], keep=False)]
    for rk, ck in sorted(set(zip(dup["row_key"], dup["column_key"], strict=True))):
        problems.append(f"cell ({rk!r}, {ck!r}) appears more than once")
    for i, r in enumerate(df.itertuples(index=False), start=2):
        at = f"line {i} ({r.row_key!r}, {r.column_key!r})"
        if r.table_id != table_id:
            problems.append(f"{at}: table_id {r.table_id!r}, expected {table_id!r}")
        if r.column_key not in spec.value_columns:
            problems.append(f"{at}: column_key must be one of {list(spec.value_columns)}")
        if r.status not in STATUSES:
            problems.append(f"{at}: status {r.status!r} is not one of {list(STATUSES)}")
            continue
        if r.status == "not transcribed":
            if r.value.strip():
                problems.append(f"{at}: has a value but status 'not transcribed'")
            continue
        if not r.value.strip():
            problems.append(f"{at}: status {r.status!r} but no value")
        if not r.page.strip():
            problems.append(f"{at}: status {r.status!r} needs the page it was read on")
        if not r.transcribed_by.strip():
            problems.append(f"{at}: status {r.status!r} needs transcribed_by")
        if _number(r.value) is not None and not r.printed_precision.strip().isdigit():
            problems.append(f"{at}: a number needs printed_precision (decimals as printed)")
    return problems


def published_status(directory: str | Path | None = None) -> pd.DataFrame:
    """How much of each published table is transcribed.

    Returns
    -------
    pandas.DataFrame
        One row per table: ``table_id``, ``cells``, ``not_transcribed``, ``transcribed``,
        ``verified``.
    """
    rows = []
    for table_id in SPECS:
        path = None if directory is None else Path(directory) / f"{table_id}.csv"
        df = load_published(table_id, path)
        counts = df["status"].value_counts()
        rows.append({"table_id": table_id, "cells": len(df),
                     **{s.replace(" ", "_"): int(counts.get(s, 0)) for s in STATUSES}})
    return pd.DataFrame(rows).astype({"table_id": "string"})


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------

def _spec(table_id: str) -> PublishedSpec:
    if table_id not in SPECS:
        raise ValueError(f"unknown published table {table_id!r}; tables: {', '.join(SPECS)}")
    return SPECS[table_id]


def _number(text: str) -> Decimal | None:
    """Parse a printed number (thousands commas and a trailing % dropped); None if not one."""
    t = str(text).strip().replace(",", "").rstrip("%").strip()
    if not t:
        return None
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _cell_text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return format(float(value), ".10g")
    return str(value)


def to_cells(table_id: str, ours: pd.DataFrame) -> pd.DataFrame:
    """Our table as cells: ``table_id``, ``row_key``, ``column_key``, ``ours`` (text).

    A frame that already has ``row_key``, ``column_key`` and ``ours`` columns is returned as
    is (after a check of its columns).
    """
    spec = _spec(table_id)
    if {"row_key", "column_key", "ours"} <= set(ours.columns):
        return ours[["row_key", "column_key", "ours"]].assign(table_id=table_id)[
            ["table_id", "row_key", "column_key", "ours"]]
    missing = [c for c in (*spec.row_columns, *spec.value_columns) if c not in ours.columns]
    if missing:
        raise ValueError(f"{table_id}: our table lacks the column(s) {missing}")
    rows = []
    for r in ours.to_dict("records"):
        rk = "|".join(_cell_text(r[c]) for c in spec.row_columns)
        for ck in spec.value_columns:
            rows.append({"table_id": table_id, "row_key": rk, "column_key": ck,
                         "ours": _cell_text(r[ck])})
    return pd.DataFrame(rows, columns=["table_id", "row_key", "column_key", "ours"])


def _equal(ours: str, published: str, precision: str, is_count: bool) -> tuple[Any, Any]:
    """(difference, equal_at_printed_precision) of one transcribed cell."""
    po, pp = _number(ours), _number(published)
    if po is None or pp is None:
        if not ours and not published:
            return np.nan, pd.NA
        return np.nan, ours.strip() == published.strip()
    diff = float(po - pp)
    if is_count:
        return diff, po == pp
    if not precision.strip().isdigit():
        return diff, pd.NA
    q = Decimal(1).scaleb(-int(precision))
    return diff, po.quantize(q, rounding=ROUND_HALF_UP) == pp.quantize(q, rounding=ROUND_HALF_UP)


def compare(ours: pd.DataFrame, published: pd.DataFrame,
            table_id: str | None = None) -> pd.DataFrame:
    """Compare our table with the published one, cell by cell.

    Parameters
    ----------
    ours : pandas.DataFrame
        Our table, as a book table function returns it (or already as cells, see
        :func:`to_cells`).
    published : pandas.DataFrame
        A published-table file as :func:`load_published` returns it (one ``table_id``).
    table_id : str, optional
        The table; by default read from ``published`` (required when it has no rows).

    Returns
    -------
    pandas.DataFrame
        One row per cell in either table (the published file's order first, then our cells
        that it lacks, in our order): ``table_id``, ``row_key``, ``column_key``, ``ours`` (our
        value, as text), ``published`` (as printed; empty when not transcribed),
        ``difference`` (ours minus published, when both are numbers), ``equal_at_printed_
        precision``, ``printed_precision``, ``page``, ``status`` and ``values_from``.

    Notes
    -----
    ``equal_at_printed_precision``: for a count column (the spec's ``count_columns``) our
    value must equal the printed one exactly; for any other number, ours is rounded half-up
    to ``printed_precision`` decimals and compared with the printed value; text is compared
    exactly (surrounding spaces ignored). It is missing (NA) for cells that are not
    transcribed, that our table lacks, or whose precision is not given.

    ``status`` is the published cell's status, ``"no published cell"`` for a cell of ours the
    file does not have, or ``"not in our table"``. ``values_from`` says plainly whose the
    values are: ``ours`` always comes from the project's codings; ``published`` is Walt's
    (1987) only where status is ``transcribed`` or ``verified``.
    """
    ids = sorted(set(published["table_id"].astype(str)))
    if table_id is None:
        if len(ids) != 1:
            raise ValueError(f"published must hold one table_id (or pass table_id); has {ids}")
        table_id = ids[0]
    elif ids and ids != [table_id]:
        raise ValueError(f"published holds table_id(s) {ids}, not {table_id!r}")
    spec = _spec(table_id)
    cells = to_cells(table_id, ours)
    ours_map = {(r, c): v for r, c, v in zip(cells["row_key"], cells["column_key"],
                                             cells["ours"], strict=True)}
    rows = []
    seen = set()
    for p in published.fillna("").to_dict("records"):
        key = (p["row_key"], p["column_key"])
        seen.add(key)
        have = key in ours_map
        o = ours_map.get(key, "")
        status = p["status"] if have else NOT_IN_OURS
        done = p["status"] in ("transcribed", "verified")
        if done and have:
            diff, eq = _equal(o, p["value"], p["printed_precision"],
                              p["column_key"] in spec.count_columns)
        else:
            diff, eq = np.nan, pd.NA
        rows.append({"table_id": table_id, "row_key": key[0], "column_key": key[1],
                     "ours": o, "published": p["value"] if done else "", "difference": diff,
                     "equal_at_printed_precision": eq,
                     "printed_precision": p["printed_precision"], "page": p["page"],
                     "status": status if have else NOT_IN_OURS,
                     "published_status": p["status"]})
    for (rk, ck), o in ours_map.items():
        if (rk, ck) in seen:
            continue
        rows.append({"table_id": table_id, "row_key": rk, "column_key": ck, "ours": o,
                     "published": "", "difference": np.nan, "equal_at_printed_precision": pd.NA,
                     "printed_precision": "", "page": "", "status": NO_PUBLISHED_CELL,
                     "published_status": ""})
    out = pd.DataFrame(rows, columns=["table_id", "row_key", "column_key", "ours", "published",
                                      "difference", "equal_at_printed_precision",
                                      "printed_precision", "page", "status",
                                      "published_status"])
    out["values_from"] = [
        "ours vs Walt (1987), transcribed" if s in ("transcribed", "verified") and st == s
        else "ours only (book value not transcribed)" for s, st in
        zip(out["published_status"], out["status"], strict=True)]
    out = out.drop(columns="published_status")
    return out.astype({c: "string" for c in out.columns if c not in (
        "difference", "equal_at_printed_precision")} | {"difference": "Float64",
                                                         "equal_at_printed_precision": "boolean"})


def compare_all(tables: Mapping[str, pd.DataFrame],
                directory: str | Path | None = None) -> pd.DataFrame:
    """Compare every table of :data:`SPECS` found in ``tables`` with its published file.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Our tables by table id (for example those :func:`walt_alliances.report.report.reproduce`
        computes).
    directory : path-like, optional
        Folder of published files (default: the shipped copies).

    Returns
    -------
    pandas.DataFrame
        The :func:`compare` rows of every table, one after another in the order of
        :data:`SPECS`.
    """
    parts = []
    for table_id in SPECS:
        if table_id not in tables:
            continue
        path = None if directory is None else Path(directory) / f"{table_id}.csv"
        parts.append(compare(tables[table_id], load_published(table_id, path), table_id))
    if not parts:
        raise ValueError(f"no table of {list(SPECS)} in tables ({list(tables)})")
    return pd.concat(parts, ignore_index=True)

