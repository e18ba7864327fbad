"""The public loaders are typed precisely: no ``Any``, and ``format`` picks the return type.

Static checkers see the overloads; these tests read the same annotations at run time, so a
loader that loses its types (``-> Any``) fails here without needing pandas' stubs.
"""

from __future__ import annotations

import typing
from typing import Any, Literal

import pandas as pd
import pyarrow as pa
import pytest

import walt_alliances as wa
from walt_alliances.measures import shipped
from walt_alliances.records import load

NS = {"pd": pd, "pa": pa, "Literal": Literal, "Format": load.Format, "RecordSet": object}


def _overload_returns(func: Any) -> dict[str, Any]:
    """Map each overload's ``format`` literal to its return type."""
    out = {}
    for ov in typing.get_overloads(func):
        hints = typing.get_type_hints(ov, globalns={**vars(load), **NS})
        (fmt,) = typing.get_args(hints["format"])
        out[fmt] = hints["return"]
    return out


@pytest.mark.parametrize("func", [load.load_table, shipped.load_state_years,
                                  shipped.load_dyad_years],
                         ids=["load_table", "load_state_years", "load_dyad_years"])
def test_format_overloads(func):
    assert _overload_returns(func) == {"pandas": pd.DataFrame, "arrow": pa.Table}


def test_generated_loaders_are_typed_as_table_loaders():
    # load_alignments, load_threats ... are made by _loader; their static type is TableLoader,
    # a Protocol whose __call__ has the same two overloads as load_table.
    hints = typing.get_type_hints(load._loader, globalns={**vars(load), **NS})
    assert hints["return"] is load.TableLoader


@pytest.mark.parametrize("name", [n for n in wa.__all__ if n.startswith("load_")])
def test_no_public_loader_returns_any(name):
    func = getattr(wa, name)
    hints = typing.get_type_hints(func, globalns={**vars(load), **NS})
    ret = hints["return"]
    assert ret is not Any
    assert Any not in typing.get_args(ret)


def test_loaders_return_what_their_types_say():
    assert isinstance(wa.load_alignments(), pd.DataFrame)
    assert isinstance(wa.load_alignments(format="arrow"), pa.Table)
    assert isinstance(wa.load_table("actors", "arrow"), pa.Table)
