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
import stat
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
    DatasetSettings,
    ExcludedEvent,
    ExtensionSettings,
    HostileAct,
    PenetrationEpisode,
    RegimeSpell,
    SovietAid,
)

M = TypeVar("M", bound=BaseModel)

#: Largest record file read, in bytes (the largest shipped file is about 40 kB).
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Deepest nesting of mappings and lists in a record file (shipped records nest 6 deep).
MAX_DEPTH = 20
#: Most YAML nodes a file may hold once its aliases (``*name``) are expanded. Aliases share one
#: node, but everything that reads the records walks them expanded: nine nested levels of nine
#: aliases ("billion laughs") would be 387 million nodes.
MAX_NODES = 200_000

#: Problems reported for one list file before its remaining records are skipped.
MAX_PROBLEMS = 200

_LOADER_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_LOADER_BASE):  # type: ignore[misc]
    """Safe YAML loader that keeps dates as strings (a partial date states its own precision).

    Uses libyaml's parser when PyYAML has it (about ten times faster), else the pure-Python one.
    A file is composed only after :func:`_check_events` has bounded its depth and size.
    """


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
    #: Tables the dataset leaves empty on purpose: table -> reason.
    empty_tables: dict[str, str] = field(default_factory=dict)

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
    #: Tables the extension leaves empty on purpose: table -> reason.
    empty_tables: dict[str, str] = field(default_factory=dict)
    #: Where the extension was read from (its folder), for messages.
    source: str = ""

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
    #: Records an extension or a user's folder added or put in place of a shipped one:
    #: record id -> the folder it came from (two folders may not both override one record).
    provided_by: dict[str, str] = field(default_factory=dict)
    #: The folder (or file) the records were read from, for messages.
    source: str = ""

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


def _dup_keys(root: yaml.Node, file: str, problems: list[Problem], record: str = "") -> None:
    """Report keys given twice in one mapping; each node is visited once (aliases share nodes)."""
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in keys:
                        problems.append(Problem(file, record, str(k.value),
                                                "key given twice in one mapping",
                                                k.start_mark.line + 1))
                    keys.add(k.value)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


class _Unreadable(Exception):
    """A file could not be read; the problem is already recorded."""


def _check_events(text: str, name: str, problems: list[Problem]) -> bool:
    """Check nesting depth and expanded size from the event stream, before anything is built.

    Parsing events is iterative and linear in the file's length, so an alias bomb or a deeply
    nested file is stopped here, at once, with the limit it broke.
    """
    parser = _Loader(text)
    depth = 0
    nodes = 0
    open_: list[tuple[str | None, int]] = []  # (anchor, node count when the collection opened)
    sizes: dict[str, int] = {}  # anchor -> nodes of its value, aliases expanded
    try:
        while parser.check_event():
            ev = parser.get_event()
            line = ev.start_mark.line + 1 if ev.start_mark is not None else None
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                nodes += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(name, "", "", f"nested more than {MAX_DEPTH} levels "
                                            "deep (the limit for a record file, "
                                            "walt_alliances.records.read.MAX_DEPTH)", line))
                    return False
                open_.append((ev.anchor, nodes))
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                anchor, start = open_.pop()
                if anchor is not None:
                    sizes[anchor] = nodes - start + 1
            elif isinstance(ev, yaml.ScalarEvent):
                nodes += 1
                if ev.anchor is not None:
                    sizes[ev.anchor] = 1
            elif isinstance(ev, yaml.AliasEvent):
                if ev.anchor not in sizes and any(a == ev.anchor for a, _ in open_):
                    problems.append(Problem(name, "", "", f"alias *{ev.anchor} refers to a "
                                            "value that contains it (a recursive structure)",
                                            line))
                    return False
                nodes += sizes.get(ev.anchor, 1)
            if nodes > MAX_NODES:
                problems.append(Problem(name, "", "", f"holds more than {MAX_NODES:,} values once "
                                        "its aliases (*name) are expanded (the limit for a record "
                                        "file, walt_alliances.records.read.MAX_NODES)", line))
                return False
    finally:
        parser.dispose()
    return True


def _read_text(path: Path, name: str, problems: list[Problem]) -> str:
    try:
        if not path.exists():
            why = "a symbolic link to a missing file" if path.is_symlink() else "missing"
            problems.append(Problem(name, "", "", f"cannot read file: {why}"))
            raise _Unreadable
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            problems.append(Problem(name, "", "", "cannot read file: not a regular file"))
            raise _Unreadable
        size = st.st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(name, "", "", f"file is {size:,} bytes, over the limit of "
                                    f"{MAX_FILE_BYTES:,} bytes for a record file "
                                    "(walt_alliances.records.read.MAX_FILE_BYTES)"))
            raise _Unreadable
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:  # grew, or not a regular file
            problems.append(Problem(name, "", "", f"file is over the limit of {MAX_FILE_BYTES:,} "
                                    "bytes for a record file "
                                    "(walt_alliances.records.read.MAX_FILE_BYTES)"))
            raise _Unreadable
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, "", "", f"cannot read file: {exc}"))
        raise _Unreadable from None


#: Returned by :func:`read_yaml` as the data of a file that could not be read or parsed.
UNREADABLE: Any = object()


def read_yaml(path: Path, name: str, problems: list[Problem],
              id_field: str | None = None) -> tuple[Any, yaml.Node | None]:
    """Read a YAML file, returning (data, node).

    The file must be UTF-8, at most :data:`MAX_FILE_BYTES` long, nested at most
    :data:`MAX_DEPTH` levels, and hold at most :data:`MAX_NODES` values with its aliases
    expanded; tags other than YAML's standard ones are refused (safe loading), and keys given
    twice in one mapping are reported. A file that holds no document (empty, comments only)
    returns (None, None).

    A file that cannot be read or parsed adds a problem and returns (:data:`UNREADABLE`, None).
    With ``id_field``, problems inside a record (a key given twice) name the record: its
    ``id_field`` value, or ``#N`` for the N-th record of a list.
    """
    try:
        text = _read_text(path, name, problems)
    except _Unreadable:
        return UNREADABLE, None
    try:
        if not _check_events(text, name, problems):
            return UNREADABLE, None
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
        if "nesting depth" in msg:  # libyaml's own limit, met while scanning ahead
            msg = (f"nested more than {MAX_DEPTH} levels deep (the limit for a record file, "
                   "walt_alliances.records.read.MAX_DEPTH)")
            problems.append(Problem(name, "", "", msg, line))
        else:
            problems.append(Problem(name, "", "", f"broken YAML: {msg}", line))
        return UNREADABLE, None
    if isinstance(node, yaml.SequenceNode) and isinstance(data, list) and id_field is not None:
        for i, sub in enumerate(node.value):
            _dup_keys(sub, name, problems, _record_name(data[i], id_field, i))
    elif node is not None:
        record = _record_name(data, id_field, -1) if id_field else ""
        _dup_keys(node, name, problems, "" if record == "#0" else record)
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
    if typ == "finite_number":
        return "must be a finite number (not .inf or .nan)"
    return msg.removeprefix("Value error, ")


def build_model(model: type[M], data: Any, name: str, record: str, node: yaml.Node | None,
                problems: list[Problem]) -> M | None:
    """Validate one record against its model, turning pydantic errors into located problems.

    A rule across fields that names its field (:class:`~walt_alliances.records.models.FieldError`)
    is located at that field.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            cause = (err.get("ctx") or {}).get("error")
            extra = getattr(cause, "field", None)
            if isinstance(extra, str) and extra:
                loc = (*loc, extra)
            problems.append(Problem(name, record, _fmt_loc(loc), _fmt_error(dict(err)),
                                    _line_of(node, loc)))
        return None
    except RecursionError:  # pragma: no cover - bounded by MAX_DEPTH
        problems.append(Problem(name, record, "", f"nested too deeply (limit {MAX_DEPTH})"))
        return None


def _record_name(data: Any, id_field: str, index: int) -> str:
    if id_field and isinstance(data, dict):
        value = data.get(id_field)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return f"#{index + 1}"


def _list_records(model: type[BaseModel], table: str, id_field: str, data: Any,
                  node: yaml.Node | None, name: str, rs: RecordSet,
                  problems: list[Problem]) -> None:
    """Validate the records of a list file into ``rs``; the file must be a list."""
    if not isinstance(data, list):
        problems.append(Problem(name, "", "", "must be a YAML list of records", 1))
        return
    out = getattr(rs, table)
    before = len(problems)
    for i, item in enumerate(data):
        if len(problems) - before >= MAX_PROBLEMS:
            problems.append(Problem(name, "", "", f"more than {MAX_PROBLEMS} problems in this "
                                    f"file; its records from #{i + 1} on were not checked "
                                    "(MAX_PROBLEMS)"))
            return
        sub = node.value[i] if isinstance(node, yaml.SequenceNode) else None
        rec = build_model(model, item, name, _record_name(item, id_field, i), sub, problems)
        if rec is not None:
            rs.origins[(table, len(out))] = (name, sub.start_mark.line + 1 if sub else None)
            out.append(rec)


def _present(path: Path) -> bool:
    """True for a file, and for a symbolic link even when it points nowhere (then an error)."""
    return path.is_symlink() or path.exists()


def _settings(path: Path, name: str, model: type[M], problems: list[Problem]) -> M | None:
    data, node = read_yaml(path, name, problems)
    if data is UNREADABLE:
        return None
    if data is None:
        problems.append(Problem(name, "", "", "the file is empty (or holds only comments): it "
                                "needs " + ", ".join(model.model_fields), 1))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(name, "", "", "must be a YAML mapping of "
                                + ", ".join(model.model_fields), 1))
        return None
    return build_model(model, data, name, "", node, problems)


def read_records(folder: Path, problems: list[Problem], label: str | None = None) -> RecordSet:
    """Read every record file in a folder laid out like ``datasets/``.

    A complete dataset (a folder with ``dataset.yaml``) must have every hand-coded table, each
    with at least one record, unless ``dataset.yaml`` lists the table under ``empty_tables``
    with the reason (an empty table otherwise passes for "nothing happened"). In any folder, a
    record file that is empty, ``null`` or holds only comments is an error, unless its table is
    declared empty (``empty_tables`` of ``dataset.yaml`` or ``extension.yaml``).

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
    rs.source = prefix

    def nm(p: Path) -> str:
        return str(Path(prefix) / p.relative_to(folder))

    info_path = folder / "dataset.yaml"
    if _present(info_path):
        ds = _settings(info_path, nm(info_path), DatasetSettings, problems)
        if ds is not None:
            rs.info = DatasetInfo(ds.data_version, ds.period.start, ds.period.end, ds.title,
                                  {str(k): v for k, v in ds.empty_tables.items()})
    ext_path = folder / "extension.yaml"
    if _present(ext_path):
        rs.extension = _read_extension(ext_path, nm(ext_path), problems)
    declared: dict[str, str] = {}
    if rs.info is not None:
        declared.update(rs.info.empty_tables)
    if rs.extension is not None:
        declared.update(rs.extension.empty_tables)
    complete = _present(info_path) and not _present(ext_path)
    has_data: set[str] = set()
    for fname, (table, model, id_field) in LIST_FILES.items():
        path = folder / fname
        name = nm(path)
        if not _present(path):
            if complete and table not in declared:
                problems.append(Problem(name, "", "", _missing_table_message(table)))
            continue
        data, node = read_yaml(path, name, problems, id_field)
        if data is UNREADABLE:
            continue
        if data is None or data == []:
            if table not in declared:
                problems.append(Problem(name, "", "", _empty_table_message(table, data), 1))
            has_data.add(table)  # present and, if declared, empty on purpose
            continue
        if table in declared:
            problems.append(Problem(name, "", "", f"holds records, but {table} is declared "
                                    "empty on purpose (empty_tables): remove one or the other",
                                    1))
        _list_records(model, table, id_field, data, node, name, rs, problems)
        has_data.add(table)
    for dname, (table, model, id_field) in DIR_FILES.items():
        d = folder / dname
        if not d.is_dir():
            if complete and table == "alignments":
                problems.append(Problem(nm(d), "", "", "a complete dataset needs its alignments "
                                        "folder, with one file per alignment"))
            continue
        # hidden files (editor locks and swap files) are not records
        paths = sorted(p for p in d.iterdir()
                       if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
        if complete and table == "alignments" and not paths:
            problems.append(Problem(nm(d), "", "", "no alignment files: a complete dataset needs "
                                    "at least one alignment"))
        for path in paths:
            _read_one(path, nm(path), table, model, id_field, rs, problems)
    end = rs.period_end()
    if end:
        for table in ("hostile_acts", "penetration", "soviet_aid"):
            if table in has_data or table in declared:
                rs.coverage[table] = end
        for table in ("regimes", "capitals"):
            for i in range(len(getattr(rs, table))):
                rs.coded_to[(table, i)] = end
    refs = folder / "references"
    bibs = sorted(p for p in refs.iterdir() if p.suffix == ".bib"
                  and not p.name.startswith(".")) if refs.is_dir() else []
    if _present(folder / "references.bib"):
        bibs.append(folder / "references.bib")
    readable = []
    for b in bibs:
        try:
            st = b.stat()
        except OSError as exc:
            why = ("a symbolic link to a missing file" if b.is_symlink() and not b.exists()
                   else str(exc))
            problems.append(Problem(nm(b), "", "", f"cannot read file: {why}"))
            continue
        if not stat.S_ISREG(st.st_mode):
            problems.append(Problem(nm(b), "", "", "cannot read file: not a regular file"))
        elif st.st_size > MAX_FILE_BYTES:
            problems.append(Problem(nm(b), "", "", f"file is {st.st_size:,} bytes, over the "
                                    f"limit of {MAX_FILE_BYTES:,} bytes for a record file "
                                    "(walt_alliances.records.read.MAX_FILE_BYTES)"))
        else:
            readable.append(b)
    bib, probs = read_bibliography(readable)
    for p in probs:
        problems.append(Problem(nm(Path(p.file)) if Path(p.file).is_absolute() else p.file,
                                p.record, p.field, p.message, p.line))
    rs.bibliography = bib
    return rs


def _missing_table_message(table: str) -> str:
    return (f"missing: a complete dataset needs its {table} table with at least one record, or "
            f"must declare it empty on purpose in dataset.yaml (empty_tables: {{{table}: "
            "<reason>}); otherwise zeros in the panels would look like real data")


def _empty_table_message(table: str, data: Any) -> str:
    what = "an empty list" if data == [] else "no records (empty, null or only comments)"
    return (f"holds {what}: add records, delete the file, or declare {table} empty on purpose "
            f"with a reason (empty_tables in dataset.yaml or extension.yaml); an empty table "
            "would otherwise pass for coded zeros")


def _read_extension(path: Path, name: str, problems: list[Problem]) -> ExtensionInfo | None:
    settings = _settings(path, name, ExtensionSettings, problems)
    if settings is None:
        return None
    overrides: dict[str, str] = {}
    for i, item in enumerate(settings.overrides):
        if item.id in overrides:
            problems.append(Problem(name, item.id, f"overrides[{i}]", "listed twice"))
        overrides[item.id] = item.reason
    start, end = (settings.period.start, settings.period.end) if settings.period else (None, None)
    return ExtensionInfo(settings.title, start, end, overrides,
                         {str(k): v for k, v in settings.empty_tables.items()},
                         str(path.parent))


def _read_one(path: Path, name: str, table: str, model: type[BaseModel], id_field: str,
              rs: RecordSet, problems: list[Problem]) -> None:
    data, node = read_yaml(path, name, problems, id_field)
    if data is UNREADABLE:
        return
    if data is None:
        problems.append(Problem(name, "", "", "the file is empty (or null, or only comments): "
                                f"it must hold one record; delete it if the {table[:-1]} is "
                                "dropped (an excluded event records why)", 1))
        return
    if not isinstance(data, dict):
        problems.append(Problem(name, "", "", "must be one YAML mapping (a single record)", 1))
        return
    record = _record_name(data, id_field, 0)
    if record == "#1":  # no usable id: the file name says which record it is meant to be
        record = path.stem
    rec = build_model(model, data, name, record, node, problems)
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
    rs = RecordSet(source=str(path))
    name = str(path)
    if path.name in LIST_FILES:
        return read_records_only(path.parent, path.name, problems)
    data, _ = read_yaml(path, name, problems)
    if data is UNREADABLE:
        return rs
    if isinstance(data, dict) and "event_id" in data:
        _read_one(path, name, "excluded_events", ExcludedEvent, "event_id", rs, problems)
    elif isinstance(data, dict) or data is None:
        _read_one(path, name, "alignments", Alignment, "alignment_id", rs, problems)
    else:
        problems.append(Problem(name, "", "", "not a record file: expected an alignment or an "
                                "excluded event (a YAML mapping) or one of "
                                + ", ".join(LIST_FILES), 1))
    return rs


def read_records_only(folder: Path, fname: str, problems: list[Problem]) -> RecordSet:
    """Read just one list file of a folder (used when a single list file is validated)."""
    path = folder / fname
    rs = RecordSet(source=str(path))
    table, model, id_field = LIST_FILES[fname]
    data, node = read_yaml(path, str(path), problems, id_field)
    if data is UNREADABLE:
        return rs
    if data is None or data == []:
        problems.append(Problem(str(path), "", "", _empty_table_message(table, data), 1))
        return rs
    _list_records(model, table, id_field, data, node, str(path), rs, problems)
    return rs
