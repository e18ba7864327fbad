"""Mutation tests: every way of breaking a shipped record must be rejected and located.

A copy of ``datasets/`` (and of the Gulf extension) is mutated one way at a time; each mutation
must make :func:`validate_paths` raise :class:`RecordsError` with a problem at the right file,
record and field (and a message fragment saying what is wrong), within seconds and without any
other exception. When a rule goes missing from the validator, its case here fails.

Outcomes are counted per case: rejected and located (pass), accepted (the validator let the
broken record through), crash (another exception), hang (over :data:`LIMIT_SECONDS`).

Parsing dominates a validation run, so unchanged files are parsed once per module (the results
of ``read_yaml`` and ``read_bibliography`` are memoised by content); the mutated file and every
rule are run afresh.
"""

from __future__ import annotations

import contextlib
import copy
import json
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from walt_alliances.errors import Problem, RecordsError
from walt_alliances.records import read as read_mod
from walt_alliances.records.validate import validate_paths

REPO = Path(__file__).resolve().parents[2]
GULF = "gulf-1979-1990"
#: A validation that takes longer than this counts as a hang.
LIMIT_SECONDS = 10


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def fire(signum: int, frame: Any) -> None:
        raise Hang(f"validation ran over {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _load(text: str) -> Any:
    return yaml.load(text, Loader=read_mod._Loader)  # noqa: S506 - the package's safe loader


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# ------------------------------------------------------------------------------------------
# The cases
# ------------------------------------------------------------------------------------------

Mutator = Callable[[Any], Any]


@dataclass(frozen=True)
class Case:
    """One mutation of one file, and where the problem must be reported."""

    id: str
    file: str  # relative to the copied folder
    change: Mutator | str  # a function of the parsed YAML, or "text:...", "delete", "symlink"
    where: tuple[str, str, str, str]  # (file, record, field, fragment of the message)
    text: Callable[[str], str] | None = None  # a function of the raw text instead


def edit(fn: Callable[[Any], None]) -> Mutator:
    """Wrap an in-place change of the parsed data."""
    def change(data: Any) -> Any:
        fn(data)
        return data
    return change


def item(key: str, value: str, fn: Callable[[dict[str, Any]], None]) -> Mutator:
    """Change the record of a list file whose ``key`` is ``value``."""
    def change(data: Any) -> Any:
        rec = next(r for r in data if r.get(key) == value)
        fn(rec)
        return data
    return change


def setter(path: tuple[Any, ...], value: Any) -> Callable[[Any], None]:
    def fn(rec: Any) -> None:
        for p in path[:-1]:
            rec = rec[p]
        rec[path[-1]] = value
    return fn


HAND_TABLES = ("regimes", "capitals", "hostile_acts", "penetration", "soviet_aid")
EMPTY_KINDS = {
    "empty": ("", "holds no records"),
    "null": ("null\n", "holds no records"),
    "comments": ("# nothing coded yet\n", "holds no records"),
    "empty-list": ("[]\n", "holds an empty list"),
}

TABLE_CASES = [
    Case(f"{table}-{kind}", f"{table}.yaml", "text", (f"{table}.yaml", "", "", frag),
         text=lambda _t, content=content: content)
    for table in HAND_TABLES for kind, (content, frag) in EMPTY_KINDS.items()
] + [
    Case(f"{table}-missing", f"{table}.yaml", "delete", (f"{table}.yaml", "", "", "missing"))
    for table in HAND_TABLES
] + [
    Case(f"{table}-dangling-symlink", f"{table}.yaml", "symlink",
         (f"{table}.yaml", "", "", "symbolic link to a missing file"))
    for table in HAND_TABLES
]

UAR = "alignments/uar.yaml"


def _one_actor_two_spells(d: dict[str, Any]) -> None:
    d["members"][0]["end"] = "1959"
    d["members"][1]["actor"] = "EGY"
    d["members"][1]["start"] = "1960"
    d["members"][1]["end"] = None


def _twice(path: str) -> Callable[[dict[str, Any]], None]:
    def fn(d: dict[str, Any]) -> None:
        lst = d["members"][0][path]
        extra = copy.deepcopy(lst[0])
        extra["primary"] = False if path == "motives" else extra.get("primary")
        if path != "motives":
            extra.pop("primary", None)
        lst.append(extra)
    return fn


def _bomb(_text: str) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


RECORD_CASES = [
    # alignments
    Case("alignment-empty-file", UAR, "text", (UAR, "", "", "empty"), text=lambda t: ""),
    Case("alignment-null-file", UAR, "text", (UAR, "", "", "empty"), text=lambda t: "null\n"),
    Case("alignment-one-actor-two-spells", UAR, edit(_one_actor_two_spells),
         (UAR, "uar", "members", "at least two different actors")),
    Case("member-duplicate-motive", UAR, edit(_twice("motives")),
         (UAR, "uar", "members[0].motives", "listed twice")),
    Case("member-duplicate-threat-actor", UAR, edit(_twice("threats")),
         (UAR, "uar", "members[0].threats", "listed twice")),
    Case("member-is-its-own-threat", UAR, edit(setter(("members", 0, "threats", 0, "actor"),
                                                      "EGY")),
         (UAR, "uar", "members[0].threats[0].actor", "cannot be its own threat")),
    Case("member-unknown-actor", UAR, edit(setter(("members", 1, "actor"), "XYZ")),
         (UAR, "uar", "members[1].actor", "unknown actor 'XYZ'")),
    Case("member-year-0000", UAR, edit(setter(("members", 1, "end"), "0000")),
         (UAR, "uar", "members[1].end", "outside 1500-2100")),
    Case("member-month-13", UAR, edit(setter(("members", 0, "start"), "1958-13")),
         (UAR, "uar", "members[0].start", "month 13")),
    Case("alignment-year-0000", UAR, edit(setter(("start",), "0000")),
         (UAR, "uar", "start", "outside 1500-2100")),
    Case("alignment-year-9999", UAR, edit(setter(("start",), "9999")),
         (UAR, "uar", "start", "outside 1500-2100")),
    Case("alignment-arabic-indic-digits", UAR, edit(setter(("start",), "١٩٥٨-٠٢-٠١")),
         (UAR, "uar", "start", "ASCII digits")),
    Case("alignment-fullwidth-digits", UAR, edit(setter(("end",), "１９６１")),
         (UAR, "uar", "end", "ASCII digits")),
    Case("alignment-february-30", UAR, edit(setter(("start",), "1958-02-30")),
         (UAR, "uar", "start", "that month has 28 days")),
    Case("alignment-end-before-start", UAR, edit(setter(("end",), "1957")),
         (UAR, "uar", "end", "before start")),
    Case("alignment-censored-with-end", UAR, edit(setter(("right_censored",), True)),
         (UAR, "uar", "end", "end must be empty")),
    Case("alignment-unknown-field", UAR, edit(setter(("colour",), "red")),
         (UAR, "uar", "colour", "unknown field")),
    Case("alignment-missing-citation", UAR, edit(setter(("sources", 0, "key"), "nosuch1999")),
         (UAR, "uar", "sources[0].key", "not in the bibliography")),
    Case("alignment-duplicate-yaml-key", UAR, "text", (UAR, "uar", "name", "given twice"),
         text=lambda t: t + "name: Another name\n"),
    Case("alignment-python-tag", UAR, "text", (UAR, "", "", "broken YAML"),
         text=lambda t: t + "notes: !!python/object/apply:os.system ['true']\n"),
    Case("alignment-alias-bomb", UAR, "text", (UAR, "", "", "MAX_NODES"), text=_bomb),
    Case("alignment-deep-nesting", UAR, "text", (UAR, "", "", "MAX_DEPTH"),
         text=lambda t: t + "notes: " + "[" * 5000 + "]" * 5000 + "\n"),
    Case("alignment-deep-block-nesting", UAR, "text", (UAR, "", "", "MAX_DEPTH"),
         text=lambda t: t + "notes:\n" + "".join(" " * i + "- \n" for i in range(1, 400))),
    Case("alignment-oversized", UAR, "text", (UAR, "", "", "MAX_FILE_BYTES"),
         text=lambda t: t + "# " + "x" * (read_mod.MAX_FILE_BYTES + 10) + "\n"),
    Case("crosswalk-atop-unknown", "alignments/jidda-pact.yaml",
         edit(setter(("crosswalk", "atop"), [999999])),
         ("alignments/jidda-pact.yaml", "jidda-pact", "crosswalk.atop[0]", "not an ATOP")),
    Case("crosswalk-atop-negative", "alignments/jidda-pact.yaml",
         edit(setter(("crosswalk", "atop"), [3310, -5])),
         ("alignments/jidda-pact.yaml", "jidda-pact", "crosswalk.atop[1]", "not an ATOP")),
    Case("crosswalk-atop-twice", "alignments/jidda-pact.yaml",
         edit(setter(("crosswalk", "atop"), [3310, 3310])),
         ("alignments/jidda-pact.yaml", "jidda-pact", "crosswalk.atop[1]", "listed twice")),
    Case("crosswalk-cow-unknown", "alignments/jidda-pact.yaml",
         edit(setter(("crosswalk", "cow"), [987654])),
         ("alignments/jidda-pact.yaml", "jidda-pact", "crosswalk.cow[0]", "not a COW")),
    Case("crosswalk-cow-twice", "alignments/baghdad-pact.yaml",
         edit(setter(("crosswalk", "cow"), [241, 241])),
         ("alignments/baghdad-pact.yaml", "baghdad-pact", "crosswalk.cow[1]", "listed twice")),
    # actors
    Case("actors-same-cow-code", "actors.yaml", item("actor_id", "SYR", setter(("ccode",), 651)),
         ("actors.yaml", "SYR", "ccode", "also the code of EGY")),
    Case("actor-not-a-cow-code", "actors.yaml", item("actor_id", "SYR", setter(("ccode",), 9999)),
         ("actors.yaml", "SYR", "ccode", "not a COW state code")),
    Case("actors-empty-file", "actors.yaml", "text", ("actors.yaml", "", "", "holds no records"),
         text=lambda t: ""),
    # regimes and capitals
    Case("regime-year-0000", "regimes.yaml", edit(lambda d: d[0].update(start="0000")),
         ("regimes.yaml", "#1", "start", "outside 1500-2100")),
    Case("regime-overlap", "regimes.yaml", edit(lambda d: d.insert(1, copy.deepcopy(d[0]))),
         ("regimes.yaml", "USA 1789", "start", "overlaps")),
    Case("capital-lat-nan", "capitals.yaml", edit(lambda d: d[0].update(lat=float("nan"))),
         ("capitals.yaml", "#1", "lat", "finite number")),
    Case("capital-lon-inf", "capitals.yaml", edit(lambda d: d[0].update(lon=float("inf"))),
         ("capitals.yaml", "#1", "lon", "finite number")),
    # hostile acts and penetration
    Case("hostile-act-starts-1995", "hostile_acts.yaml",
         item("act_id", "egy-irq-propaganda-1955", lambda r: r.update(start="1995", end=None)),
         ("hostile_acts.yaml", "egy-irq-propaganda-1955", "start", "outside the coded period")),
    Case("hostile-act-year-0000", "hostile_acts.yaml",
         item("act_id", "egy-irq-propaganda-1955", setter(("start",), "0000")),
         ("hostile_acts.yaml", "egy-irq-propaganda-1955", "start", "outside 1500-2100")),
    Case("hostile-act-target-gone-mid-act", "hostile_acts.yaml",
         item("act_id", "egy-irq-propaganda-1955", setter(("target",), "SYR")),
         ("hostile_acts.yaml", "egy-irq-propaganda-1955", "target", "on every day")),
    Case("hostile-act-targets-itself", "hostile_acts.yaml",
         item("act_id", "egy-irq-propaganda-1955", setter(("target",), "EGY")),
         ("hostile_acts.yaml", "egy-irq-propaganda-1955", "target", "cannot target itself")),
    Case("hostile-act-end-before-start", "hostile_acts.yaml",
         item("act_id", "egy-irq-propaganda-1955", setter(("end",), "1954")),
         ("hostile_acts.yaml", "egy-irq-propaganda-1955", "end", "before start")),
    Case("penetration-starts-1995", "penetration.yaml",
         item("episode_id", "rus-egy-training-1955", lambda r: r.update(start="1995", end=None)),
         ("penetration.yaml", "rus-egy-training-1955", "start", "outside the coded period")),
    Case("penetration-before-lookback", "penetration.yaml",
         item("episode_id", "rus-egy-training-1955", setter(("start",), "1940")),
         ("penetration.yaml", "rus-egy-training-1955", "start", "outside the coded period")),
    # Soviet aid
    Case("soviet-aid-amount-inf", "soviet_aid.yaml",
         item("aid_id", "rus-egy-arms-1955", setter(("amount_usd_million",), float("inf"))),
         ("soviet_aid.yaml", "rus-egy-arms-1955", "amount_usd_million", "finite number")),
    Case("soviet-aid-amount-nan", "soviet_aid.yaml",
         item("aid_id", "rus-egy-arms-1955", setter(("amount_usd_million",), float("nan"))),
         ("soviet_aid.yaml", "rus-egy-arms-1955", "amount_usd_million", "finite number")),
    Case("soviet-aid-amount-negative", "soviet_aid.yaml",
         item("aid_id", "rus-egy-arms-1955", setter(("amount_usd_million",), -1.0)),
         ("soviet_aid.yaml", "rus-egy-arms-1955", "amount_usd_million", "greater than or")),
    Case("soviet-aid-donor-usa", "soviet_aid.yaml",
         item("aid_id", "rus-egy-arms-1955", setter(("donor",), "USA")),
         ("soviet_aid.yaml", "rus-egy-arms-1955", "donor", "not the Soviet Union")),
    Case("soviet-aid-agreed-after-end", "soviet_aid.yaml",
         item("aid_id", "rus-egy-arms-1955", setter(("agreement_date",), "1957")),
         ("soviet_aid.yaml", "rus-egy-arms-1955", "agreement_date", "after the end")),
    Case("soviet-aid-end-before-start", "soviet_aid.yaml",
         item("aid_id", "rus-egy-arms-1955", setter(("end",), "1954")),
         ("soviet_aid.yaml", "rus-egy-arms-1955", "end", "before start")),
    Case("soviet-aid-starts-1995", "soviet_aid.yaml",
         item("aid_id", "rus-egy-arms-1955",
              lambda r: r.update(start="1995", end=None, agreement_date=None)),
         ("soviet_aid.yaml", "rus-egy-arms-1955", "start", "outside the coded period")),
    # actors, events and exclusions across records
    Case("non-state-actor-with-cow-code", "actors.yaml",
         item("actor_id", "PLO", setter(("ccode",), 651)),
         ("actors.yaml", "PLO", "ccode", "non-state actor has no COW code")),
    Case("state-without-cow-code", "actors.yaml",
         item("actor_id", "SYR", setter(("ccode",), None)),
         ("actors.yaml", "SYR", "ccode", "needs its COW code")),
    Case("excluded-event-merged-into-nothing",
         "excluded_events/baghdad-pact-renamed-cento-1959.yaml",
         edit(setter(("merged_into",), "no-such-alignment")),
         ("excluded_events/baghdad-pact-renamed-cento-1959.yaml",
          "baghdad-pact-renamed-cento-1959", "merged_into", "no alignment")),
    Case("atop-excluded-and-linked", "atop_exclusions.yaml",
         edit(lambda d: d.append({"atopid": 3310, "members": [651], "reason": "test"})),
         ("atop_exclusions.yaml", "3310", "atopid", "both excluded and linked")),
    Case("atop-exclusion-not-an-atop-id", "atop_exclusions.yaml",
         edit(lambda d: d[0].update(atopid=999999)),
         ("atop_exclusions.yaml", "999999", "atopid", "not an ATOP")),
    Case("atop-exclusion-member-not-a-state", "atop_exclusions.yaml",
         edit(lambda d: d[0]["members"].append(-1)),
         ("atop_exclusions.yaml", "2170", "members[2]", "not a COW state code")),
    Case("alignment-nul-in-summary", UAR, edit(setter(("summary",), "Union\x00of two")),
         (UAR, "uar", "summary", "control character U+0000")),
    Case("member-escape-in-notes", UAR, edit(setter(("members", 0, "notes"), "a\x1bb")),
         (UAR, "uar", "members[0].notes", "control character U+001B")),
    Case("alignment-same-source-twice", UAR,
         edit(lambda d: d["sources"].append(copy.deepcopy(d["sources"][0]))),
         (UAR, "uar", "sources[3]", "given twice")),
    # the bibliography
    Case("bib-unbalanced-braces", "references.bib", "text",
         ("references.bib", "broken2000", "title", "unbalanced braces"),
         text=lambda t: t + "\n@book{broken2000,\n  title = {Unclosed\n"),
    Case("bib-key-defined-twice-differently", "references.bib", "text",
         ("references.bib", "alpher2015", "", "defined differently"),
         text=lambda t: t + "\n@book{alpher2015,\n  author = {Other, A.},\n"
                            "  title = {Another Book},\n  year = {1999}\n}\n"),
    Case("bib-entry-without-author", "references.bib", "text",
         ("references.bib", "anon2000", "author", "missing"),
         text=lambda t: t + "\n@book{anon2000,\n  title = {T},\n  year = {2000}\n}\n"),
    # dataset.yaml
    Case("dataset-empty", "dataset.yaml", "text", ("dataset.yaml", "", "", "empty"),
         text=lambda t: ""),
    Case("dataset-no-title", "dataset.yaml", edit(lambda d: d.pop("title")),
         ("dataset.yaml", "", "title", "required")),
    Case("dataset-period-reversed", "dataset.yaml",
         edit(setter(("period",), {"start": "1979", "end": "1955"})),
         ("dataset.yaml", "", "period.end", "before it starts")),
    Case("dataset-declares-filled-table-empty", "dataset.yaml",
         edit(setter(("empty_tables",), {"soviet_aid": "none coded"})),
         ("soviet_aid.yaml", "", "", "declared empty on purpose")),
    Case("dataset-declares-unknown-table-empty", "dataset.yaml",
         edit(setter(("empty_tables",), {"alignments": "none"})),
         ("dataset.yaml", "", "empty_tables.alignments.[key]", "is not allowed")),
]

EXT = f"extensions/{GULF}"
EXT_CASES = [
    Case("extension-empty", "extension.yaml", "text", ("extension.yaml", "", "", "empty"),
         text=lambda t: ""),
    Case("extension-comments-only", "extension.yaml", "text",
         ("extension.yaml", "", "", "empty"), text=lambda t: "# to do\n"),
    Case("extension-no-title", "extension.yaml", edit(lambda d: d.pop("title")),
         ("extension.yaml", "", "title", "required")),
    Case("extension-blank-title", "extension.yaml", edit(setter(("title",), "  ")),
         ("extension.yaml", "", "title", "must not be empty")),
    Case("extension-period-reversed", "extension.yaml",
         edit(setter(("period",), {"start": "1990", "end": "1980"})),
         ("extension.yaml", "", "period.end", "before it starts")),
    Case("extension-period-1800-1850", "extension.yaml",
         edit(setter(("period",), {"start": "1800", "end": "1850"})),
         ("extension.yaml", "", "period.start", "must start within")),
    Case("extension-period-gap", "extension.yaml",
         edit(setter(("period",), {"start": "1985", "end": "1990"})),
         ("extension.yaml", "", "period.start", "must start within")),
    Case("extension-period-beyond-sources", "extension.yaml",
         edit(setter(("period",), {"start": "1979", "end": "2030"})),
         ("extension.yaml", "", "period.end", "COW state system")),
    Case("extension-override-without-reason", "extension.yaml",
         edit(lambda d: d["overrides"][0].pop("reason")),
         ("extension.yaml", "", "overrides[0].reason", "required")),
    Case("extension-empty-hostile-acts", "hostile_acts.yaml", "text",
         ("hostile_acts.yaml", "", "", "holds no records"), text=lambda t: "null\n"),
]


# ------------------------------------------------------------------------------------------
# Machinery
# ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of datasets/ (with the Gulf extension); unchanged files are parsed once."""
    root = tmp_path_factory.mktemp("mutations") / "datasets"
    shutil.copytree(REPO / "datasets", root,
                    ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    cache: dict[tuple[str, bytes], tuple[Any, Any, list[Problem]]] = {}
    original = read_mod.read_yaml

    def read_yaml(path: Path, name: str, problems: list[Problem], *args: Any) -> Any:
        try:
            key = (name, path.read_bytes())
        except OSError:
            return original(path, name, problems, *args)
        if key not in cache:
            mine: list[Problem] = []
            data, node = original(path, name, mine, *args)
            cache[key] = (data, node, mine)
        data, node, mine = cache[key]
        problems.extend(mine)
        return data, node

    bibs: dict[tuple[tuple[str, bytes], ...], Any] = {}
    original_bib = read_mod.read_bibliography

    def read_bibliography(paths: list[Path], *args: Any) -> Any:
        try:
            key = tuple((str(p), p.read_bytes()) for p in paths)
        except OSError:
            return original_bib(paths, *args)
        if key not in bibs:
            bibs[key] = original_bib(paths, *args)
        bib, problems = bibs[key]
        return dict(bib), list(problems)

    mp = pytest.MonkeyPatch()
    mp.setattr(read_mod, "read_yaml", read_yaml)
    mp.setattr(read_mod, "read_bibliography", read_bibliography)
    yield root
    mp.undo()


@contextlib.contextmanager
def mutated(folder: Path, case: Case) -> Iterator[None]:
    path = folder / case.file
    before = path.read_bytes() if path.exists() else None
    try:
        if case.change == "delete":
            path.unlink()
        elif case.change == "symlink":
            path.unlink()
            path.symlink_to(folder / "no-such-file.yaml")
        elif case.change == "text":
            assert case.text is not None
            path.write_text(case.text(before.decode("utf-8") if before else ""),
                            encoding="utf-8")
        else:
            assert callable(case.change)
            path.write_text(_dump(case.change(_load(path.read_text(encoding="utf-8")))),
                            encoding="utf-8")
        yield
    finally:
        path.unlink(missing_ok=True)
        if before is not None:
            path.write_bytes(before)


def outcome(folders: list[Path], expect: tuple[str, str, str, str], base: Path
            ) -> tuple[str, list[Problem]]:
    """Run validation; return ("located" | "accepted" | "unlocated", problems)."""
    with time_limit(LIMIT_SECONDS):
        try:
            validate_paths(folders)
        except RecordsError as exc:
            problems = exc.problems
        else:
            return "accepted", []
    file, record, field, fragment = expect
    for p in problems:
        if (p.file == str(base / file) and p.record == record and p.field == field
                and fragment in p.message):
            text = str(p)
            assert file in text and (not record or f"record {record}" in text)
            assert not field or f"field {field}" in text
            return "located", problems
    return "unlocated", problems


def test_the_unmutated_copies_are_valid(copies: Path) -> None:
    validate_paths([copies])
    rs = validate_paths([copies / EXT])
    assert rs.extension is not None


@pytest.mark.parametrize("case", TABLE_CASES + RECORD_CASES, ids=lambda c: c.id)
def test_mutated_dataset_is_rejected_and_located(copies: Path, case: Case) -> None:
    with mutated(copies, case):
        result, problems = outcome([copies], case.where, copies)
    assert result == "located", f"{case.id}: {result}\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("case", EXT_CASES, ids=lambda c: c.id)
def test_mutated_extension_is_rejected_and_located(copies: Path, case: Case) -> None:
    ext = copies / EXT
    with mutated(ext, case):
        result, problems = outcome([ext], case.where, ext)
    assert result == "located", f"{case.id}: {result}\n" + "\n".join(map(str, problems))


def test_enough_mutations() -> None:
    assert len(TABLE_CASES) + len(RECORD_CASES) + len(EXT_CASES) >= 50


# ------------------------------------------------------------------------------------------
# Declared on purpose, and two extensions at once
# ------------------------------------------------------------------------------------------

def test_a_table_declared_empty_on_purpose_is_accepted_and_covered(copies: Path) -> None:
    settings = copies / "dataset.yaml"
    aid = copies / "soviet_aid.yaml"
    before = settings.read_bytes(), aid.read_bytes()
    try:
        settings.write_text(settings.read_text() + "empty_tables:\n  soviet_aid: >-\n"
                            "    No Soviet aid is coded in this test dataset.\n")
        aid.unlink()
        rs = validate_paths([copies])
        assert rs.soviet_aid == [] and rs.info is not None
        assert rs.info.empty_tables == {"soviet_aid": "No Soviet aid is coded in this test "
                                                      "dataset."}
        # zeros are real inside the declared coverage
        assert rs.coverage["soviet_aid"] == "1979"
    finally:
        settings.write_bytes(before[0])
        aid.write_bytes(before[1])


def test_two_extensions_overriding_one_record_is_an_error_naming_both(
        copies: Path, tmp_path: Path) -> None:
    gulf = copies / EXT
    other = tmp_path / "other-extension"
    (other / "alignments").mkdir(parents=True)
    rid = "steadfastness-front"
    shutil.copy(gulf / "alignments" / f"{rid}.yaml", other / "alignments" / f"{rid}.yaml")
    (other / "extension.yaml").write_text(json.dumps({
        "title": "Another extension", "period": {"start": "1979", "end": "1990"},
        "overrides": [{"id": rid, "reason": "a second opinion"}]}))
    shutil.copytree(gulf / "references", other / "references")
    with pytest.raises(RecordsError) as exc:
        validate_paths([gulf, other])
    hits = [p for p in exc.value.problems if p.record == rid and "overridden both" in p.message]
    assert hits, exc.value
    assert str(gulf) in hits[0].message and str(other) in hits[0].message
    assert hits[0].file == str(other / "alignments" / f"{rid}.yaml")
    assert hits[0].field == "alignment_id"


def test_a_new_state_without_regime_spells_is_reported(copies: Path) -> None:
    gulf = copies / EXT
    path = gulf / "regimes.yaml"
    before = path.read_bytes()
    try:
        data = _load(before.decode())
        path.write_text(_dump([r for r in data if r["actor"] != "AFG"]))
        rs = validate_paths([gulf])
    finally:
        path.write_bytes(before)
    warn = [n for n in rs.notes if "record AFG" in n and "no regime spell" in n]
    assert warn and str(gulf / "regimes.yaml") in warn[0] and "field actor" in warn[0]


# ------------------------------------------------------------------------------------------
# A generic family: every required field dropped, every date made "0000", in one record of
# each kind. A new required field or date field is covered without a new line here.
# ------------------------------------------------------------------------------------------

ID_FIELDS = ("actor_id", "atopid", "act_id", "episode_id", "aid_id")


def _generic_cases() -> list[Case]:
    from walt_alliances.records.read import DIR_FILES, LIST_FILES

    cases: list[Case] = []
    targets: list[tuple[str, Any, str, Any]] = []  # (file, model, record name, locate)
    for fname, (_table, model, id_field) in LIST_FILES.items():
        data = _load((REPO / "datasets" / fname).read_text(encoding="utf-8"))
        rec = data[0]
        name = str(rec[id_field]) if id_field else "#1"
        targets.append((fname, model, name, ("list", 0)))
    for dname, (_table, model, _id_field) in DIR_FILES.items():
        first = sorted((REPO / "datasets" / dname).glob("*.yaml"))[0]
        targets.append((f"{dname}/{first.name}", model, first.stem, ("one", None)))
    for file, model, name, (kind, _) in targets:
        def at(fn: Callable[[dict[str, Any]], None], kind: str = kind) -> Mutator:
            return edit(lambda d: fn(d[0] if kind == "list" else d))
        for fld, info in model.model_fields.items():
            if info.is_required():
                cases.append(Case(f"drop-{file}-{fld}", file,
                                  at(lambda r, fld=fld: r.pop(fld, None)),
                                  (file, "#1" if kind == "list" and fld in ID_FIELDS
                                   else name, fld, "required field is missing")))
            if "YYYY" in (info.description or "") or fld in ("start", "end", "date",
                                                           "agreement_date"):
                cases.append(Case(f"year-0000-{file}-{fld}", file,
                                  at(lambda r, fld=fld: r.__setitem__(fld, "0000")),
                                  (file, name, fld, "outside 1500-2100")))
    return cases


GENERIC_CASES = _generic_cases()


@pytest.mark.parametrize("case", GENERIC_CASES, ids=lambda c: c.id)
def test_generic_mutation_is_rejected_and_located(copies: Path, case: Case) -> None:
    with mutated(copies, case):
        result, problems = outcome([copies], case.where, copies)
    assert result == "located", f"{case.id}: {result}\n" + "\n".join(map(str, problems))
