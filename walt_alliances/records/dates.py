"""Partial dates: a date known to the year, the month or the day.

A record states the precision it knows: ``"1955"``, ``"1955-10"`` or ``"1955-10-20"``. One rule
turns a partial date into a day for computation: a **start** resolves to the first day of its
period and an **end** to the last day. ``"1958"`` as an end is 1958-12-31; ``"1958-02"`` as a
start is 1958-02-01. Outputs display a date at its stated precision, never more.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

# ASCII digits only: ``\d`` would also match other scripts' digits ("١٩٥٨"), which int() accepts.
_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)

#: Earliest and latest year a partial date may give. Regime spells and non-state actors may
#: start long before the coded period (the United States' regime spell starts in 1789); years
#: outside this range are typing errors ("0000", "9999"), and would overflow date arithmetic.
MIN_YEAR = 1500
MAX_YEAR = 2100

#: First and last day of the coded period of the core dataset.
PERIOD_START = dt.date(1955, 1, 1)
PERIOD_END = dt.date(1979, 12, 31)


def parse_partial(value: str) -> tuple[int, int | None, int | None]:
    """Split a partial date into (year, month, day), checking that it is a real date.

    Parameters
    ----------
    value : str
        ``"YYYY"``, ``"YYYY-MM"`` or ``"YYYY-MM-DD"``.

    Returns
    -------
    tuple
        ``(year, month or None, day or None)``.

    Raises
    ------
    ValueError
        If the string is not of that form (ASCII digits), not a real calendar date, or its year
        is outside :data:`MIN_YEAR` to :data:`MAX_YEAR`.

    Examples
    --------
    >>> parse_partial("1958-02")
    (1958, 2, None)
    """
    m = _PATTERN.fullmatch(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD "
                         "(ASCII digits 0-9)")
    year = int(m.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{value!r} has year {year}, outside {MIN_YEAR}-{MAX_YEAR}")
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{value!r} has month {month}, not 1-12")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"{value!r} has day {day}; that month has {last} days")
    return year, month, day


def precision(value: str) -> str:
    """Return ``"year"``, ``"month"`` or ``"day"``: the precision a partial date states."""
    _, month, day = parse_partial(value)
    return "day" if day is not None else ("month" if month is not None else "year")


def resolve_start(value: str) -> dt.date:
    """Resolve a partial date used as a start to the first day of its period.

    Examples
    --------
    >>> resolve_start("1958")
    datetime.date(1958, 1, 1)
    """
    year, month, day = parse_partial(value)
    return dt.date(year, month or 1, day or 1)


def resolve_end(value: str) -> dt.date:
    """Resolve a partial date used as an end to the last day of its period.

    Examples
    --------
    >>> resolve_end("1958-02")
    datetime.date(1958, 2, 28)
    """
    year, month, day = parse_partial(value)
    if month is None:
        return dt.date(year, 12, 31)
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


def from_date(value: dt.date) -> str:
    """Format a full date as a day-precision partial date."""
    return value.isoformat()
