"""Reading coded records from YAML files, with every problem located by file, record and line.

A records folder is laid out like the project's ``datasets/`` folder (see its README):
``actors.yaml``, ``alignments/*.yaml``, ``excluded_events/*.yaml``, ``atop_exclusions.yaml``,
``regimes.yaml``, ``capitals.yaml``, ``hostile_acts.yaml``, ``penetration.yaml``,
``soviet_aid.yaml``, ``references/*.bib`` (or ``references.bib``) and, for a complete base
dataset, ``dataset.yaml`` (data version and coded period). Every part is optional in a user's
folder of additions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from walt_alliances.errors import Problem
from walt_alliances.records import dates
from walt_alliances.records.bib import BibEntry, read_bibliography
from walt_alliances.records.models import (
    Actor,
    Alignment,
    AtopExclusion,
    CapitalSpell,
    ExcludedEvent,
    HostileAct,
    PenetrationEpisode,
    RegimeSpell,
    SovietAid,
)

M = TypeVar("M", bound=BaseModel)


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as strings (a partial date states its own precision)."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

#: List files: file name -> (table name, model, id field).
LIST_FILES: dict[str, tuple[str, type[BaseModel], str]] = {
    "actors.yaml": ("actors", Actor, "actor_id"),
    "atop_exclusions.yaml": ("atop_exclusions", AtopExclusion, "atopid"),
    "regimes.yaml": ("regimes", RegimeSpell, ""),
    "capitals.yaml": ("capitals", CapitalSpell, ""),
    "hostile_acts.yaml": ("hostile_acts", HostileAct, "act_id"),
    "penetration.yaml": ("penetration", PenetrationEpisode, "episode_id"),
    "soviet_aid.yaml": ("soviet_aid", SovietAid, "aid_id"),
}
LIST_FILES_BY_TABLE = {t: f for f, (t, _, _) in LIST_FILES.items()}
#: Folders of one-record files: folder -> (table name, model, id field).
DIR_FILES: dict[str, tuple[str, type[BaseModel], str]] = {
    "alignments": ("alignments", Alignment, "alignment_id"),
    "excluded_events": ("excluded_events", ExcludedEvent, "event_id"),
}


@dataclass(frozen=True)
class DatasetInfo:
    """Settings of a base dataset (``dataset.yaml``)."""

    data_version: str
    period_start: str
    period_end: str
    title: str = ""

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """The coded period as (first day, last day)."""
        return dates.resolve_start(self.period_start), dates.resolve_end(self.period_end)


@dataclass(frozen=True)
class ExtensionInfo:
    """Settings of an extension folder (``extension.yaml``): its period and overrides."""

    title: str
    period_start: str | None  # None: the records recode the shipped period
    period_end: str | None
    overrides: dict[str, str]  # id of a shipped record -> reason

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The extension's period as (first day, last day), or None when it keeps the base's."""
        if self.period_start is None or self.period_end is None:
            return None
        return dates.resolve_start(self.period_start), dates.resolve_end(self.period_end)


@dataclass
class RecordSet:
    """All records of one folder (or several merged), with where each came from."""

    actors: list[Actor] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    excluded_events: list[ExcludedEvent] = field(default_factory=list)
    atop_exclusions: list[AtopExclusion] = field(default_factory=list)
    regimes: list[RegimeSpell] = field(default_factory=list)
    capitals: list[CapitalSpell] = field(default_factory=list)
    hostile_acts: list[HostileAct] = field(default_factory=list)
    penetration: list[PenetrationEpisode] = field(default_factory=list)
    soviet_aid: list[SovietAid] = field(default_factory=list)
    bibliography: dict[str, BibEntry] = field(default_factory=dict)
    info: DatasetInfo | None = None
    extension: ExtensionInfo | None = None
    #: What merging did (overrides applied, exclusions superseded): reported to the user.
    notes: list[str] = field(default_factory=list)
    #: (table, position in its list) -> (file, line)
    origins: dict[tuple[str, int], tuple[str, int | None]] = field(default_factory=dict)
    #: (table, position) -> the end of the period over which the record was coded (regimes and
    #: capitals): an open end means "continues at least to this date", not "for ever".
    coded_to: dict[tuple[str, int], str] = field(default_factory=dict)

    #: Hand-coded event tables -> the last day their coding covers (partial date).
    coverage: dict[str, str] = field(default_factory=dict)

    def period_end(self) -> str | None:
        """End of the period this record set codes (an extension's, else the dataset's)."""
        if self.extension is not None and self.extension.period_end is not None:
            return self.extension.period_end
        return self.info.period_end if self.info else None

    TABLES = ("actors", "alignments", "excluded_events", "atop_exclusions", "regimes",
              "capitals", "hostile_acts", "penetration", "soviet_aid")

    def origin(self, table: str, index: int) -> tuple[str, int | None]:
        """Return (file, line) where record ``index`` of ``table`` was read."""
        return self.origins.get((table, index), ("<records>", None))

    def counts(self) -> dict[str, int]:
        """Number of records per table."""
        return {t: len(getattr(self, t)) for t in self.TABLES}


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Walk a composed YAML node along a pydantic error location; return the 1-based line."""
    if node is None:
        return None
    best = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == part:
                    nxt, best = v, k.start_mark.line + 1
                    break
            if nxt is None:
                return best
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return best
            node = node.value[part]
            best = node.start_mark.line + 1
        else:
            return best
    return best


def _dup_keys(node: yaml.Node, file: str, problems: list[Problem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if k.value in seen:
                problems.append(Problem(file, "", str(k.value), "key given twice in one mapping",
                                        k.start_mark.line + 1))
            seen.add(k.value)
            _dup_keys(v, file, problems)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _dup_keys(v, file, problems)


def read_yaml(path: Path, name: str, problems: list[Problem]) -> tuple[Any, yaml.Node | None]:
    """Read a YAML file, returning (data, node).

    A file that cannot be read or parsed adds a problem and returns (None, None).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, "", "", f"cannot read file: {exc}"))
        return None, None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        msg = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(name, "", "", f"broken YAML: {msg}", line))
        return None, None
    if node is not None:
        _dup_keys(node, name, problems)
    return data, node


def _fmt_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _fmt_error(err: dict[str, Any]) -> str:
    typ, msg = err.get("type", ""), err.get("msg", "")
    if typ == "extra_forbidden":
        return "unknown field (not in the schema; check spelling)"
    if typ == "missing":
        return "required field is missing"
    if typ == "literal_error":
        got = err.get("input")
        return f"{got!r} is not allowed; {msg[0].lower() + msg[1:]}"
    return msg.removeprefix("Value error, ")


def build_model(model: type[M], data: Any, name: str, record: str, node: yaml.Node | None,
                problems: list[Problem]) -> M | None:
    """Validate one record against its model, turning pydantic errors into located problems."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(Problem(name, record, _fmt_loc(loc), _fmt_error(dict(err)),
                                    _line_of(node, loc)))
        return None


def _record_name(data: Any, id_field: str, index: int) -> str:
    if id_field and isinstance(data, dict) and data.get(id_field) not in (None, ""):
        return str(data[id_field])
    return f"#{index + 1}"


def read_records(folder: Path, problems: list[Problem], label: str | None = None) -> RecordSet:
    """Read every record file in a folder laid out like ``datasets/``.

    Parameters
    ----------
    folder : Path
        The records folder.
    problems : list of Problem
        Problems found are appended here (nothing is raised for bad records).
    label : str, optional
        Prefix for file names in problem reports (default: the folder as given).

    Returns
    -------
    RecordSet
        The records that validated on their own; cross-record rules are checked by
        :func:`walt_alliances.records.validate.check_records`.
    """
    rs = RecordSet()
    prefix = label if label is not None else str(folder)

    def nm(p: Path) -> str:
        return str(Path(prefix) / p.relative_to(folder))

    info_path = folder / "dataset.yaml"
    if info_path.is_file():
        data, _ = read_yaml(info_path, nm(info_path), problems)
        try:
            period = data["period"]
            rs.info = DatasetInfo(str(data["data_version"]), str(period["start"]),
                                  str(period["end"]), str(data.get("title", "")))
            rs.info.period  # noqa: B018 - checks the dates
        except (TypeError, KeyError, ValueError) as exc:
            problems.append(Problem(nm(info_path), "", "", f"needs data_version and period "
                                    f"{{start, end}} as partial dates ({exc})"))
    ext_path = folder / "extension.yaml"
    if ext_path.is_file():
        rs.extension = _read_extension(ext_path, nm(ext_path), problems)
    for fname, (table, model, id_field) in LIST_FILES.items():
        path = folder / fname
        if not path.is_file():
            continue
        data, node = read_yaml(path, nm(path), problems)
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(Problem(nm(path), "", "", "must be a YAML list of records", 1))
            continue
        out = getattr(rs, table)
        for i, item in enumerate(data):
            sub = node.value[i] if isinstance(node, yaml.SequenceNode) else None
            rec = build_model(model, item, nm(path), _record_name(item, id_field, i), sub,
                              problems)
            if rec is not None:
                rs.origins[(table, len(out))] = (nm(path), sub.start_mark.line + 1 if sub else None)
                out.append(rec)
    for dname, (table, model, id_field) in DIR_FILES.items():
        d = folder / dname
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.y*ml")):
            _read_one(path, nm(path), table, model, id_field, rs, problems)
    end = rs.period_end()
    if end:
        for table in ("hostile_acts", "penetration", "soviet_aid"):
            if (folder / LIST_FILES_BY_TABLE[table]).is_file():
                rs.coverage[table] = end
        for table in ("regimes", "capitals"):
            for i in range(len(getattr(rs, table))):
                rs.coded_to[(table, i)] = end
    bibs = sorted((folder / "references").glob("*.bib")) if (folder / "references").is_dir() else []
    if (folder / "references.bib").is_file():
        bibs.append(folder / "references.bib")
    bib, probs = read_bibliography(bibs)
    for p in probs:
        problems.append(Problem(nm(Path(p.file)) if Path(p.file).is_absolute() else p.file,
                                p.record, p.field, p.message, p.line))
    rs.bibliography = bib
    return rs


def _read_extension(path: Path, name: str, problems: list[Problem]) -> ExtensionInfo | None:
    data, node = read_yaml(path, name, problems)
    if data is None:
        return None
    bad = []
    if not isinstance(data, dict):
        problems.append(Problem(name, "", "", "must be a YAML mapping (title, period, "
                                "overrides)", 1))
        return None
    unknown = set(data) - {"title", "period", "overrides"}
    for k in sorted(unknown):
        problems.append(Problem(name, "", k, "unknown field (allowed: title, period, "
                                "overrides)", _line_of(node, (k,))))
    period: Any = data.get("period")
    start: str | None = None
    end: str | None = None
    if period is not None:  # no period: the records recode the shipped period
        if not isinstance(period, dict) or "start" not in period or "end" not in period:
            problems.append(Problem(name, "", "period", "needs start and end, e.g. "
                                    "period: {start: \"1979\", end: \"1990\"} (or leave period "
                                    "out to keep the shipped period)",
                                    _line_of(node, ("period",))))
        else:
            try:
                start, end = str(period["start"]), str(period["end"])
                dates.parse_partial(start)
                dates.parse_partial(end)
            except ValueError as exc:
                start = end = None
                problems.append(Problem(name, "", "period", f"start and end must be partial "
                                        f"dates (YYYY, YYYY-MM or YYYY-MM-DD): {exc}",
                                        _line_of(node, ("period",))))
    overrides: dict[str, str] = {}
    for i, item in enumerate(data.get("overrides") or []):
        if not isinstance(item, dict) or not item.get("id") or not str(item.get("reason",
                                                                            "")).strip():
            bad.append(i)
            problems.append(Problem(name, "", f"overrides[{i}]", "each override needs an id "
                                    "and a reason", _line_of(node, ("overrides", i))))
            continue
        if item["id"] in overrides:
            problems.append(Problem(name, str(item["id"]), f"overrides[{i}]", "listed twice",
                                    _line_of(node, ("overrides", i))))
        overrides[str(item["id"])] = str(item["reason"])
    return ExtensionInfo(str(data.get("title", "")), start, end, overrides)


def _read_one(path: Path, name: str, table: str, model: type[BaseModel], id_field: str,
              rs: RecordSet, problems: list[Problem]) -> None:
    data, node = read_yaml(path, name, problems)
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(name, "", "", "must be one YAML mapping (a single record)", 1))
        return
    rec = build_model(model, data, name, _record_name(data, id_field, 0), node, problems)
    if rec is None:
        return
    rid = getattr(rec, id_field)
    if path.stem != rid:
        problems.append(Problem(name, rid, id_field, f"file name must be {rid}.yaml",
                                _line_of(node, (id_field,))))
    out = getattr(rs, table)
    rs.origins[(table, len(out))] = (name, 1)
    out.append(rec)


def read_record_file(path: Path, problems: list[Problem]) -> RecordSet:
    """Read a single YAML file: an alignment, an excluded event, or one of the list files."""
    rs = RecordSet()
    name = str(path)
    if path.name in LIST_FILES:
        tmp = path.parent
        sub = read_records_only(tmp, path.name, problems)
        return sub
    data, _ = read_yaml(path, name, problems)
    if data is None:
        return rs
    if isinstance(data, dict) and "event_id" in data:
        _read_one(path, name, "excluded_events", ExcludedEvent, "event_id", rs, problems)
    elif isinstance(data, dict):
        _read_one(path, name, "alignments", Alignment, "alignment_id", rs, problems)
    else:
        problems.append(Problem(name, "", "", "not a record file: expected an alignment or an "
                                "excluded event (a YAML mapping) or one of "
                                + ", ".join(LIST_FILES), 1))
    return rs


def read_records_only(folder: Path, fname: str, problems: list[Problem]) -> RecordSet:
    """Read just one list file of a folder (used when a single list file is validated)."""
    rs = RecordSet()
    table, model, id_field = LIST_FILES[fname]
    path = folder / fname
    data, node = read_yaml(path, str(path), problems)
    if not isinstance(data, list):
        if data is not None:
            problems.append(Problem(str(path), "", "", "must be a YAML list of records", 1))
        return rs
    out = getattr(rs, table)
    for i, item in enumerate(data):
        sub = node.value[i] if isinstance(node, yaml.SequenceNode) else None
        rec = build_model(model, item, str(path), _record_name(item, id_field, i), sub, problems)
        if rec is not None:
            rs.origins[(table, len(out))] = (str(path), sub.start_mark.line + 1 if sub else None)
            out.append(rec)
    return rs
