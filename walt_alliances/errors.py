"""Exceptions raised by walt_alliances.

Every exception the library raises on purpose derives from :class:`WaltError`, so callers can
catch the library's own errors in one ``except`` clause. Every error meant for a user carries
enough to find and fix the problem: the file, the record (and line, where known), the field, and
what is wrong. Validation collects every problem before raising.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EstimationError", "Problem", "RawDataError", "RecordsError", "WaltError"]


class WaltError(Exception):
    """Base class of the exceptions raised by walt_alliances."""


class RawDataError(WaltError, ValueError):
    """A raw external data file is missing, changed, or not what its reader expects.

    Raised by :func:`walt_alliances.sources.verify` (listing every missing or changed file at
    once), by :func:`walt_alliances.sources.resolve_external_dir` when the folder cannot be found,
    and by the
    readers in :mod:`walt_alliances.sources` when a file's columns or values break their contract.
    """


class EstimationError(WaltError, ValueError):
    """A model has no estimate on the data given (for example separated choice data).

    The message names the model and what is wrong, so that a user whose recoded or extended
    records make a design inestimable sees why instead of a traceback.
    """


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a set of records.

    Attributes
    ----------
    file : str
        The file the problem is in.
    record : str
        The record's id (``alignment_id``, ``actor_id`` ...) or ``#N`` (its position) when the id
        is unknown; empty for file-level problems.
    field : str
        Dotted path of the field inside the record (``members[0].motives[1].rationale``); empty
        when the problem is about the whole record.
    message : str
        What is wrong, in plain words.
    line : int or None
        1-based line in the file where the record or field starts, when known.
    """

    file: str
    record: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        return " | ".join(parts) + f": {self.message}"


class RecordsError(WaltError, ValueError):
    """One or more records are invalid; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.record, p.field))
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found in the records:"
        super().__init__("\n".join([head, *("  " + str(p) for p in self.problems)]))
