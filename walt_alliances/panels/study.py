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
from typing import TYPE_CHECKING, Any

import pandas as pd

from walt_alliances.records import dates
from walt_alliances.records.schema import TABLES, apply_dtypes

if TYPE_CHECKING:  # records.read (pydantic, YAML) only where records are validated
    from walt_alliances.records.read import RecordSet

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
    #: Hand-coded tables that end before the period, one sentence each (table and years).
    coverage_gaps: tuple[str, ...] = ()
    #: Which data this study runs on (see :attr:`data_origin`); ``None`` for the shipped data.
    origin: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def data_origin(self) -> dict[str, Any]:
        """Which data the study runs on, for ``info``, reports and manifests.

        ``{"data": "shipped", "data_version": ..., "records_sha256": ...}`` for the shipped
        records, or ``{"data": "modified", "base_data_version": ..., "records_sha256": ...,
        "records": [folders]}`` when a user's records were layered on them; ``records_sha256``
        is the sha256 of the canonical JSON of the records used (``records.json`` format).
        """
        if self.origin is not None:
            return dict(self.origin)
        return shipped_origin()

    def coded_to(self, table: str) -> int:
        """Last year a hand-coded table covers for every actor coding it.

        ``regimes`` and ``capitals``: the earliest of the actors' last coded years (for some
        actors the table may run further); event tables: see :meth:`event_end`.
        """
        if table in ("regimes", "capitals"):
            last = _last_coded(self.tables[table])
            return min(last.values()) if last else self.period_end.year
        return self.event_end(table)

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

        When the records need measures the shipped measures do not cover (states other than the
        26 of the core study, or years after 1979), the state-year and dyad-year measures are
        built from the whole-system source tables shipped in the package (offline; see
        :mod:`walt_alliances.sources.shipped`), or, when ``external_dir`` is given, from the
        raw datasets in it (every raw file verified by its sha256; a missing or changed file is
        named in the error). Hand-coded tables that end before the period are listed in
        :attr:`coverage_gaps` (and in ``notes``).
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
        gaps = _coverage_gaps(tables, ev, p1.year)
        origin = records_origin(rs, label)
        if not missing_cc and p1.year <= MEASURE_YEARS[1]:
            return cls(tables, p0, p1, label, notes=(*gaps, *rs.notes), event_years_end=ev,
                       coverage_gaps=gaps, origin=origin)
        years = (MEASURE_YEARS[0], max(p1.year, MEASURE_YEARS[1]))
        why = []
        if missing_cc:
            why.append(f"states {missing_cc} are not in the shipped measures")
        if p1.year > MEASURE_YEARS[1]:
            why.append(f"the period runs to {p1.year}, the shipped measures to "
                       f"{MEASURE_YEARS[1]}")
        from walt_alliances.errors import RawDataError
        from walt_alliances.measures.build import build_tables
        from walt_alliances.sources.shipped import Sources

        try:
            src = Sources(external_dir)
        except RawDataError as exc:
            raise RawDataError(f"--external-dir: {exc}") from None
        if progress:
            import sys

            print(f"building measures from {src.describe()} ({'; '.join(why)})",
                  file=sys.stderr, flush=True)
        try:
            sy, dy, _ = build_tables(src.external_dir, ccodes, years)
        except RawDataError as exc:
            raise RawDataError(
                f"these records need measures the shipped tables do not cover ({'; '.join(why)})"
                f", so they are built from {src.describe()}, which failed: {exc}") from None
        from walt_alliances.measures.shipped import (
            DYAD_YEAR_COLUMNS,
            STATE_YEAR_COLUMNS,
            _convert_dtypes,
        )

        sy = _convert_dtypes(sy, STATE_YEAR_COLUMNS)
        dy = _convert_dtypes(dy, DYAD_YEAR_COLUMNS)
        note = (f"measures built from {src.describe()} for {years[0]}-{years[1]}: "
                f"{'; '.join(why)}")
        return cls(tables, p0, p1, label, sy, dy, years, (*gaps, *rs.notes, note), ev,
                   coverage_gaps=gaps, origin=origin)

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
        Run from a checkout's root (the worked extension lives in ``datasets/``; no raw files
        are needed):

        >>> import walt_alliances as wa
        >>> from walt_alliances.analysis.hypotheses import run_all
        >>> st = wa.Study.with_records("datasets/extensions/gulf-1979-1990")
        >>> st.period_years, st.data_origin["data"]
        ((1955, 1990), 'modified')
        >>> res = run_all(st, robustness=False)
        >>> {"H1", "H2", "H3", "H4", "H5"} <= set(res.verdicts["hypothesis"])
        True
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

    def with_measure_years(self, first: int, last: int,
                           external_dir: str | os.PathLike[str] | None = None) -> Study:
        """Return this study with measures covering ``first``-``last`` as well.

        The measures of the study's states are built from the whole-system source tables
        shipped in the package (or from the raw files in ``external_dir``), for the union of
        the current measure years and ``first``-``last`` (within 1816-2016). Alignment data stay
        defined in the coded period only; hand-coded tables end where they are coded to.

        Examples
        --------
        >>> from walt_alliances.panels.study import shipped_study
        >>> shipped_study().with_measure_years(1946, 1990).measure_years
        (1946, 1990)
        """
        import dataclasses

        lo = max(1816, min(first, self.measure_years[0]))
        hi = min(2016, max(last, self.measure_years[1]))
        if (lo, hi) == self.measure_years:
            return self
        from walt_alliances.measures.build import build_tables
        from walt_alliances.measures.shipped import (
            DYAD_YEAR_COLUMNS,
            STATE_YEAR_COLUMNS,
            _convert_dtypes,
        )

        ccodes = tuple(sorted(int(c) for c in self.tables["actors"]["ccode"].dropna()))
        ext = None if external_dir is None else Path(external_dir)
        sy, dy, _ = build_tables(ext, ccodes, (lo, hi))
        note = f"measures built for {lo}-{hi} from the package's source tables"
        return dataclasses.replace(
            self, state_years=_convert_dtypes(sy, STATE_YEAR_COLUMNS),
            dyad_years=_convert_dtypes(dy, DYAD_YEAR_COLUMNS), measure_years=(lo, hi),
            notes=(*self.notes, note))


class _LazyTables(dict):  # type: ignore[type-arg]
    """The shipped tables, each read on first use (a panel needs 9 of the 15)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__()
        self._names = names

    def __missing__(self, name: str) -> pd.DataFrame:
        if name not in self._names:
            raise KeyError(name)
        from walt_alliances.records.load import load_table

        frame = load_table(name)
        self[name] = frame
        return frame

    def _load_all(self) -> None:
        for name in self._names:
            self[name]  # noqa: B018 - loads it

    def __iter__(self) -> Any:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[name] if name in self._names else default

    def keys(self) -> Any:
        self._load_all()
        return super().keys()

    def values(self) -> Any:
        self._load_all()
        return super().values()

    def items(self) -> Any:
        self._load_all()
        return super().items()

    def copy(self) -> dict[str, pd.DataFrame]:
        return dict(self.items())


@lru_cache(maxsize=1)
def _shipped() -> Study:
    import json
    from importlib import resources

    # the period and coverage of the shipped records, read without validating every record
    data = resources.files("walt_alliances").joinpath("data", "records.json").read_bytes()
    doc = json.loads(data)
    info = doc.get("info") or {}
    start, end = (info["period"]["start"], info["period"]["end"]) if info else ("1955", "1979")
    ev = {t: dates.resolve_end(v).year for t, v in dict(doc.get("coverage", {})).items()}
    return Study(_LazyTables(tuple(TABLES)), dates.resolve_start(start), dates.resolve_end(end),
                 event_years_end=ev)


def shipped_study() -> Study:
    """Return the study of the shipped data (cached)."""
    return _shipped()


def resolve_study(study: Study | None) -> Study:
    """Return ``study`` or the shipped study."""
    return study if study is not None else shipped_study()


#: What goes missing when a hand-coded table ends before the period.
_GAP_EFFECT = {
    "regimes": "regime families (family, family1/family2, ideo_same_family, "
               "ideo_pan_arab_pair; hypothesis H3) are missing",
    "capitals": "capital coordinates (capdist_gc_km) are missing",
    "hostile_acts": "coded hostile acts (hostile_by_j, hostile_by_j_prev5, and the hostile-act "
                    "part of threat_intent) are missing",
    "penetration": "penetration (pen_by_j, pen_by_j_lag1; hypothesis H5) is missing",
    "soviet_aid": "Soviet aid (aid_soviet, and aid_from_j where j is the USSR; hypothesis H4) "
                  "is missing",
}


def _last_coded(frame: pd.DataFrame) -> dict[str, int]:
    """Actor id -> last year coded (``coded_to``) of a spell table (regimes, capitals)."""
    if frame.empty or "coded_to_last_day" not in frame.columns:
        return {}
    last = frame.groupby("actor_id", observed=True)["coded_to_last_day"].max().dropna()
    return {str(k): int(v.year) for k, v in last.items()}


def _coverage_gaps(tables: dict[str, pd.DataFrame], events: dict[str, int],
                   period_end: int) -> tuple[str, ...]:
    """One sentence per hand-coded table that ends before ``period_end`` (by table and year)."""
    out = []
    for table in ("regimes", "capitals"):
        by_year: dict[int, list[str]] = {}
        for actor, year in _last_coded(tables[table]).items():
            if year < period_end:
                by_year.setdefault(year, []).append(actor)
        for year, actors in sorted(by_year.items()):
            shown = ", ".join(sorted(actors)[:8]) + (", ..." if len(actors) > 8 else "")
            out.append(f"coverage: {table} are coded to {year} for {len(actors)} actor(s) "
                       f"({shown}): {_GAP_EFFECT[table]} for {year + 1}-{period_end} unless "
                       "your records code them")
    for table in ("hostile_acts", "penetration", "soviet_aid"):
        last = events.get(table)
        if last is not None and last < period_end:
            out.append(f"coverage: {table} (hand-coded) is coded to {last}: "
                       f"{_GAP_EFFECT[table]} for {last + 1}-{period_end} unless your records "
                       "code them")
    return tuple(out)


@lru_cache(maxsize=1)
def shipped_origin() -> dict[str, Any]:
    """The shipped data's origin record: version and the sha256 of the shipped records.json."""
    import hashlib
    from importlib import resources

    from walt_alliances.records.load import data_version

    data = resources.files("walt_alliances").joinpath("data", "records.json").read_bytes()
    return {"data": "shipped", "data_version": data_version(),
            "records_sha256": hashlib.sha256(data).hexdigest()}


def records_origin(rs: RecordSet, label: str = "records") -> dict[str, Any]:
    """Return the origin record of a record set.

    ``shipped`` if identical to the shipped records, else ``modified`` with the sha256 of its
    canonical JSON and the folders it came from.
    """
    import hashlib

    from walt_alliances.records.build import records_json

    sha = hashlib.sha256(records_json(rs)).hexdigest()
    base = shipped_origin()
    if sha == base["records_sha256"]:
        return dict(base)
    return {"data": "modified", "base_data_version": base["data_version"],
            "records_sha256": sha, "records": label}
