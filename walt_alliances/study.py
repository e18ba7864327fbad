"""The data a study runs on: typed tables from the shipped records or from merged records.

A :class:`Study` holds the same tables the loaders return (``alignments``, ``memberships``,
``actors``, ``actor_spells``, ``regimes``, ``capitals``, ``hostile_acts``, ``penetration``,
``soviet_aid`` ...) and the coded period. :func:`shipped_study` gives the shipped data; 
:meth:`Study.from_records` builds one from any :class:`~walt_alliances.records.RecordSet`, e.g.
the shipped records merged with a user's extension, so that panels, tables and tests re-run on
it unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from . import dates
from .records import RecordSet
from .tables import TABLES, apply_dtypes


@dataclass(frozen=True)
class Study:
    """Typed tables of one record set, and its coded period."""

    tables: dict[str, pd.DataFrame] = field(repr=False)
    period_start: dt.date
    period_end: dt.date
    label: str = "shipped data"

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def period_years(self) -> tuple[int, int]:
        """First and last year of the coded period (alignment data are defined in these)."""
        return self.period_start.year, self.period_end.year

    @classmethod
    def from_records(cls, rs: RecordSet, label: str = "records",
                     period_end: str | None = None) -> Study:
        """Build a study from a record set (validated)."""
        from .load import load_state_system
        from .tables import to_frames

        frames = to_frames(rs, load_state_system())
        tables = {name: apply_dtypes(frames[name], TABLES[name]) for name in TABLES}
        start = rs.info.period_start if rs.info else "1955"
        end = period_end or (rs.info.period_end if rs.info else "1979")
        return cls(tables, dates.resolve_start(start), dates.resolve_end(end), label)


@lru_cache(maxsize=1)
def _shipped() -> Study:
    from .load import load_recordset, load_table

    rs_info = load_recordset().info
    tables = {name: load_table(name) for name in TABLES}
    start, end = (rs_info.period_start, rs_info.period_end) if rs_info else ("1955", "1979")
    return Study(tables, dates.resolve_start(start), dates.resolve_end(end))


def shipped_study() -> Study:
    """Return the study of the shipped data (cached)."""
    return _shipped()


def resolve_study(study: Study | None) -> Study:
    """Return ``study`` or the shipped study."""
    return study if study is not None else shipped_study()
