"""Typed CSV reading shared by the raw readers (internal).

Readers declare every column's type; nothing is inferred. Declared types are strings:

``"int64"``
    integer, never missing (a missing value raises :class:`RawDataError`);
``"Int64"``
    integer that may be missing (pandas nullable ``Int64``);
``"float64"``
    floating point, missing as ``NaN``;
``"string"``
    text (pandas ``string`` dtype, missing as ``<NA>``);
``"date"``
    ISO date ``YYYY-MM-DD`` (``datetime64[s]``);
``"intfloat"``
    an integer written as a float (``2.0``): checked to be integral, returned as ``int64``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from walt_alliances.errors import RawDataError

ColType = Literal["int64", "Int64", "float64", "string", "date", "intfloat"]

_ARROW_TYPES: dict[str, pa.DataType] = {
    "int64": pa.int64(),
    "Int64": pa.int64(),
    "float64": pa.float64(),
    "string": pa.string(),
    "date": pa.date32(),
    "intfloat": pa.float64(),
}


def read_header(path: Path, encoding: str = "utf-8") -> list[str]:
    """Return the column names on the first line of a CSV file."""
    with path.open("r", encoding=encoding, newline="") as fh:
        first = fh.readline()
    return [c.strip().strip('"') for c in first.rstrip("\r\n").split(",")]


def read_arrow(
    path: Path,
    schema: Mapping[str, ColType],
    *,
    include: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> pa.Table:
    """Read a CSV file with declared column types into a :class:`pyarrow.Table`.

    Parameters
    ----------
    path : pathlib.Path
        The CSV file (already verified).
    schema : mapping of str to ColType
        Every column of the file, in file order, with its declared type.
    include : sequence of str, optional
        Columns to keep (default: all).
    encoding : str
        Text encoding of the file.

    Returns
    -------
    pyarrow.Table
        Columns typed as declared (``intfloat`` still as float64; see :func:`to_pandas`).

    Raises
    ------
    RawDataError
        If the header differs from the declared columns, or a value cannot be parsed as its
        declared type.
    """
    header = read_header(path, encoding)
    if header != list(schema):
        raise RawDataError(
            f"{path}: columns differ from the reader's declaration.\n"
            f"  expected: {list(schema)}\n  found:    {header}"
        )
    cols = list(include) if include is not None else list(schema)
    unknown = [c for c in cols if c not in schema]
    if unknown:
        raise RawDataError(f"{path}: no such column(s) {unknown}")
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=encoding),
            convert_options=pacsv.ConvertOptions(
                column_types={c: _ARROW_TYPES[schema[c]] for c in cols},
                include_columns=cols,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise RawDataError(f"{path}: a value does not match its declared type: {exc}") from exc


def column_to_pandas(
    table: pa.Table, name: str, coltype: ColType, path: Path
) -> pd.Series | np.ndarray | pd.api.extensions.ExtensionArray:
    """Convert one Arrow column to a numpy array or pandas array of its declared dtype."""
    col = table.column(name)
    if coltype == "int64":
        if col.null_count:
            raise RawDataError(f"{path}: column {name!r} has {col.null_count} missing value(s)")
        return col.to_numpy().astype(np.int64, copy=False)
    if coltype == "Int64":
        return pd.array(col, dtype="Int64")
    if coltype == "float64":
        return col.to_numpy().astype(np.float64, copy=False)
    if coltype == "string":
        return pd.array(col.to_pylist(), dtype="string")
    if coltype == "date":
        return col.cast(pa.timestamp("s")).to_numpy()
    if coltype == "intfloat":
        if col.null_count:
            raise RawDataError(f"{path}: column {name!r} has {col.null_count} missing value(s)")
        values = col.to_numpy()
        as_int = values.astype(np.int64)
        if not np.array_equal(as_int, values):
            raise RawDataError(f"{path}: column {name!r} holds non-integer values")
        return as_int
    raise ValueError(f"unknown column type {coltype!r}")  # pragma: no cover


def to_pandas(table: pa.Table, schema: Mapping[str, ColType], path: Path) -> pd.DataFrame:
    """Convert a table read by :func:`read_arrow` to a DataFrame with the declared dtypes."""
    data = {name: column_to_pandas(table, name, schema[name], path) for name in table.column_names}
    return pd.DataFrame(data, copy=False)


def replace_code_with_null(table: pa.Table, columns: Sequence[str], code: float) -> pa.Table:
    """Return ``table`` with ``code`` (e.g. -9) in ``columns`` replaced by null."""
    for name in columns:
        idx = table.schema.get_field_index(name)
        col = table.column(idx)
        mask = pc.equal(col, pa.scalar(code, type=col.type))
        table = table.set_column(idx, name, pc.if_else(mask, pa.scalar(None, type=col.type), col))
    return table
