"""Fast left joins for the panel verbs: integer keys, sorted lookups, per-study caches.

The ``add_*`` verbs attach measures to a panel by its keys (actor or COW code of each side, and
year). A pandas merge re-hashes both sides on every call; here every key column becomes an
integer (actor ids by their position in the study's sorted actor list, COW codes as they are,
years as offsets), the key columns combine into one ``int64``, and the right-hand table's keys
are sorted once and cached per study, so that a join is one ``np.searchsorted`` and a
``take`` per column. Right-hand keys must be unique (as a left merge that keeps the row count
requires); missing keys on the left (``<NA>`` COW codes of non-state actors) never match.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

#: Radix of each kind of key column: actor positions, COW codes (2 .. 990), years.
_CCODE_SPAN = 1000
_YEAR0, _YEAR_SPAN = 1700, 500

_CACHES: dict[int, dict[Hashable, Any]] = {}


def study_cache(study: object) -> dict[Hashable, Any]:
    """Return the cache dict of ``study`` (dropped when the study is garbage-collected)."""
    key = id(study)
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = {}
        weakref.finalize(study, _CACHES.pop, key, None)
    return cache


def cached(study: object, key: Hashable, build: Callable[[], Any]) -> Any:
    """Return ``build()`` computed once per study and ``key``.

    Cached frames are shared: callers must not change them in place (pandas copy-on-write
    protects frames derived from them).
    """
    cache = study_cache(study)
    if key not in cache:
        cache[key] = build()
    return cache[key]


def actor_codes(values: pd.Series | np.ndarray, ids: pd.Index) -> np.ndarray:
    """Positions of actor ids in the sorted index ``ids`` (-1 for unknown or missing)."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        cats = ids.get_indexer(values.cat.categories.astype(object))
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, cats[codes], -1).astype(np.int64)
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    where = ids.get_indexer(uniques)
    return np.where(codes >= 0, where[codes] if where.size else -1, -1).astype(np.int64)


def int_codes(values: pd.Series | np.ndarray) -> np.ndarray:
    """Integer key values as ``int64`` (-1 where missing)."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=np.float64, na_value=np.nan).astype(np.int64, copy=False) \
            if values.hasnans else values.to_numpy(dtype=np.int64)
    return np.asarray(values, dtype=np.int64)


def ccode_codes(values: pd.Series | np.ndarray) -> np.ndarray:
    """COW codes as ``int64``, -1 where missing."""
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    arr = s.array
    if isinstance(arr, pd.arrays.IntegerArray):
        return np.where(arr._mask, -1, arr._data).astype(np.int64)
    out = np.full(len(s), -1, dtype=np.int64)
    ok = s.notna().to_numpy()
    out[ok] = s.to_numpy()[ok].astype(np.int64)
    return out


class Key:
    """Key columns of a join: integer codes, each with its radix (codes lie in 0 .. radix-1).

    Years are given with radix 0 (shifted by the module's year origin). A code outside its
    range (-1 for missing) never matches.
    """

    def __init__(self, parts: Sequence[tuple[np.ndarray, int]]) -> None:
        self.parts: list[tuple[np.ndarray, int]] = []
        for codes, radix in parts:
            if radix == 0:
                codes, radix = codes - _YEAR0, _YEAR_SPAN
            codes = np.asarray(codes, dtype=np.int64)
            self.parts.append((np.where((codes >= 0) & (codes < radix), codes, -1), radix))

    def __len__(self) -> int:
        return len(self.parts[0][0])

    def __getitem__(self, idx: Any) -> Key:
        out = Key([])
        out.parts = [(codes[idx], radix) for codes, radix in self.parts]
        return out

    def flat(self) -> np.ndarray:
        """One ``int64`` per row (-1 where any part is missing), ordered like the parts."""
        key = np.zeros(len(self), dtype=np.int64)
        bad = np.zeros(len(key), dtype=bool)
        for codes, radix in self.parts:
            bad |= codes < 0
            key *= radix
            key += codes
        key[bad] = -1
        return key


def combine(parts: Sequence[tuple[np.ndarray, int]]) -> Key:
    """Key columns (codes, radix) as a :class:`Key`; years with radix 0."""
    return Key(parts)


class Right:
    """A right-hand table with unique keys and a dense lookup array.

    Each key part is compressed to the values the table holds (a lookup table of the part's
    radix), so that the dense array has one cell per combination of values present.
    """

    def __init__(self, key: Key, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)
        rows = np.flatnonzero(key.flat() >= 0)  # rows with a missing key part never match
        self.luts: list[np.ndarray] = []
        index = np.zeros(rows.size, dtype=np.int64)
        size = 1
        for codes, radix in key.parts:
            values = np.unique(codes[rows])
            lut = np.full(radix, -1, dtype=np.int64)
            lut[values] = np.arange(values.size)
            self.luts.append(lut)
            index = index * max(values.size, 1) + lut[codes[rows]]
            size *= max(values.size, 1)
        self.dense = np.full(size if rows.size else 0, -1, dtype=np.int64)
        if np.unique(index).size != index.size:
            raise AssertionError("join keys of the right-hand table are not unique")
        self.dense[index] = rows

    def positions(self, key: Key) -> np.ndarray:
        """Row of the table matching each key (-1 where none, or where a key part is missing)."""
        if self.dense.size == 0:
            return np.full(len(key), -1, dtype=np.int64)
        index = np.zeros(len(key), dtype=np.int64)
        bad = np.zeros(len(key), dtype=bool)
        for (codes, _), lut in zip(key.parts, self.luts, strict=True):
            c = lut[np.maximum(codes, 0)]
            bad |= (codes < 0) | (c < 0)
            index *= max(int(lut.max()) + 1, 1)
            index += c
        pos = self.dense[np.where(bad, 0, index)]
        pos[bad] = -1
        return pos

    def take(self, key: Key, cols: Sequence[str] | None = None) -> dict[str, Any]:
        """Values of ``cols`` for each key, missing where no row matches (as a left merge)."""
        pos = self.positions(key)
        return {c: take_values(self.frame[c], pos) for c in (cols or self.frame.columns)}


def take_values(s: pd.Series, pos: np.ndarray) -> Any:
    """``s`` at positions ``pos`` (-1 = missing), with the dtype a left merge would give."""
    values: Any = s.array
    if isinstance(values, pd.arrays.NumpyExtensionArray):
        values = values.to_numpy()
    return pd.api.extensions.take(values, pos, allow_fill=True)


def attach(df: pd.DataFrame, new: dict[str, Any]) -> pd.DataFrame:
    """Return ``df`` with the columns ``new`` appended (a new frame; ``df`` is unchanged)."""
    extra = pd.DataFrame(new, index=df.index, copy=False)
    out = pd.concat([df, extra], axis=1)
    return out.reset_index(drop=True)


def int_array(values: np.ndarray, missing: np.ndarray, dtype: str
              ) -> pd.api.extensions.ExtensionArray:
    """A nullable integer array (``Int8``/``Int64``) from values and a missing mask."""
    np_dtype = {"Int8": np.int8, "Int16": np.int16, "Int64": np.int64}[dtype]
    vals = np.where(missing, 0, values).astype(np_dtype)
    return pd.arrays.IntegerArray(vals, np.asarray(missing, dtype=bool).copy())


class Meta(dict):  # type: ignore[type-arg]
    """Panel metadata: a dict that pandas copies shallowly.

    pandas deep-copies ``DataFrame.attrs`` into every derived frame and column; the verbs never
    change metadata in place (each step stores a new dict), so a shallow copy is enough.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Meta:
        return Meta(self)
