"""The data a study runs on: typed tables from the shipped records or from merged records.

A :class:`Study` holds the same tables the loaders return (``alignments``, ``memberships``,
``actors``, ``actor_spells``, ``regimes``, ``capitals``, ``hostile_acts``, ``penetration``,
``soviet_aid`` ...) and the coded period. :func:`shipped_study` gives the shipped data;
:meth:`Study.from_records` builds one from any :class:`~walt_alliances.records.read.RecordSet`, e.g.
the shipped records merged with a user's extension, so that panels, tables and tests re-run on
it unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from walt_alliances.records import dates
from walt_alliances.records.read import RecordSet
from walt_alliances.records.schema import TABLES, apply_dtypes

#: Years and states the shipped measures cover.
MEASURE_YEARS = (1950, 1979)
SHIPPED_MEASURE_CCODES = (2, 200, 220, 365, 770, 600, 615, 616, 620, 625, 630, 640, 645, 651,
                          652, 660, 663, 666, 670, 678, 680, 690, 692, 694, 696, 698)


@lru_cache(maxsize=1)
def _shipped_measures() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the shipped state-year and dyad-year measures, read once per process.

    Read-only: every use takes a column subset copy before changing anything.
    """
    from walt_alliances.measures.shipped import load_dyad_years, load_state_years

    return load_state_years(), load_dyad_years()


@dataclass(frozen=True)
class Study:
    """Typed tables of one record set, and its coded period."""

    tables: dict[str, pd.DataFrame] = field(repr=False)
    period_start: dt.date
    period_end: dt.date
    label: str = "shipped data"
    #: State-year and dyad-year measures when they are not the shipped ones (built from raw
    #: files for an extension), and the years they cover.
    state_years: pd.DataFrame | None = field(default=None, repr=False)
    dyad_years: pd.DataFrame | None = field(default=None, repr=False)
    measure_years: tuple[int, int] = MEASURE_YEARS
    notes: tuple[str, ...] = ()
    #: Last year the hand-coded event tables (hostile acts, penetration, Soviet aid) cover.
    event_years_end: dict[str, int] = field(default_factory=dict)

    def event_end(self, table: str) -> int:
        """Last year a hand-coded event table covers (zeros after it would be false)."""
        return self.event_years_end.get(table, self.period_end.year)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def period_years(self) -> tuple[int, int]:
        """First and last year of the coded period (alignment data are defined in these)."""
        return self.period_start.year, self.period_end.year

    @classmethod
    def from_records(cls, rs: RecordSet, label: str = "records",
                     external_dir: str | os.PathLike[str] | None = None,
                     progress: bool = False) -> Study:
        """Build a study from a (validated) record set.

        When the records need measures the shipped tables do not cover (states other than the
        26 of the core study, or years after 1979), the state-year and dyad-year measures are
        rebuilt from the raw datasets in ``external_dir`` (or ``WALT_EXTERNAL_DIR``, or
        ``../shared/external``); every raw file is verified by its sha256 and a missing or
        changed file is named in the error.
        """
        from walt_alliances.records.load import load_state_system
        from walt_alliances.records.schema import to_frames
        from walt_alliances.records.scope import in_universe

        frames = to_frames(rs, load_state_system())
        tables = {name: apply_dtypes(frames[name], TABLES[name]) for name in TABLES}
        start = rs.info.period_start if rs.info else "1955"
        end = rs.info.period_end if rs.info else "1979"
        p0, p1 = dates.resolve_start(start), dates.resolve_end(end)
        ev = {t: dates.resolve_end(v).year for t, v in rs.coverage.items()}
        ccodes = tuple(sorted(int(c) for c in in_universe(tables["actors"])["ccode"].dropna()))
        missing_cc = sorted(set(ccodes) - set(SHIPPED_MEASURE_CCODES))
        if not missing_cc and p1.year <= MEASURE_YEARS[1]:
            return cls(tables, p0, p1, label, notes=tuple(rs.notes), event_years_end=ev)
        years = (MEASURE_YEARS[0], max(p1.year, MEASURE_YEARS[1]))
        why = []
        if missing_cc:
            why.append(f"states {missing_cc} are not in the shipped measures")
        if p1.year > MEASURE_YEARS[1]:
            why.append(f"the period runs to {p1.year}, the shipped measures to "
                       f"{MEASURE_YEARS[1]}")
        from walt_alliances.errors import RawDataError
        from walt_alliances.measures.build import build_tables

        if progress:
            import sys

            print(f"rebuilding measures from the raw datasets ({'; '.join(why)})",
                  file=sys.stderr, flush=True)
        try:
            ext = None if external_dir is None else Path(external_dir)
            sy, dy, _ = build_tables(ext, ccodes, years)
        except RawDataError as exc:
            raise RawDataError(
                f"these records need measures the shipped tables do not cover ({'; '.join(why)})"
                f", so they are built from the raw datasets, which failed: {exc}") from None
        from walt_alliances.measures.shipped import (
            DYAD_YEAR_COLUMNS,
            STATE_YEAR_COLUMNS,
            _convert_dtypes,
        )

        sy = _convert_dtypes(sy, STATE_YEAR_COLUMNS)
        dy = _convert_dtypes(dy, DYAD_YEAR_COLUMNS)
        note = f"measures rebuilt from raw files for {years[0]}-{years[1]}: {'; '.join(why)}"
        return cls(tables, p0, p1, label, sy, dy, years, tuple([*rs.notes, note]), ev)

    @classmethod
    def with_records(cls, *paths: str | os.PathLike[str],
                     external_dir: str | os.PathLike[str] | None = None,
                     progress: bool = False) -> Study:
        """Validate a user's records (extensions or additions) and build their study.

        The Python equivalent of ``walt-alliances reproduce --with DIR``: the records are
        layered on the shipped data (raising :class:`~walt_alliances.errors.RecordsError` with
        every problem), and measures the shipped tables lack are rebuilt from the raw files.

        Examples
        --------
        >>> import walt_alliances as wa  # doctest: +SKIP
        >>> st = wa.Study.with_records("datasets/extensions/gulf-1979-1990")  # doctest: +SKIP
        >>> res = wa.analysis.hypotheses.run_all(st)  # doctest: +SKIP
        """
        from walt_alliances.records.validate import validate_paths

        rs = validate_paths([Path(p) for p in paths])
        return cls.from_records(rs, label=" + ".join(str(p) for p in paths),
                                external_dir=external_dir, progress=progress)

    def measures(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """State-year and directed dyad-year measures of this study (shipped or rebuilt)."""
        if self.state_years is not None and self.dyad_years is not None:
            return self.state_years, self.dyad_years
        return _shipped_measures()


@lru_cache(maxsize=1)
def _shipped() -> Study:
    from walt_alliances.records.load import load_recordset, load_table

    rs = load_recordset()
    tables = {name: load_table(name) for name in TABLES}
    start, end = (rs.info.period_start, rs.info.period_end) if rs.info else ("1955", "1979")
    ev = {t: dates.resolve_end(v).year for t, v in rs.coverage.items()}
    return Study(tables, dates.resolve_start(start), dates.resolve_end(end),
                 event_years_end=ev)


def shipped_study() -> Study:
    """Return the study of the shipped data (cached)."""
    return _shipped()


def resolve_study(study: Study | None) -> Study:
    """Return ``study`` or the shipped study."""
    return study if study is not None else shipped_study()
