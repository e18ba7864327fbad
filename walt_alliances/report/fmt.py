"""Numbers rounded for reading: p-values, shares, odds ratios, intervals and table cells.

The report shows every number rounded for a reader (``p < 0.001``, ``35.1%``, ``1.45``); the CSV
files beside it keep full precision. Missing values print as an empty string (or ``"n/a"``
where a sentence needs a word), never as ``nan``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "fmt_ci",
    "fmt_int",
    "fmt_num",
    "fmt_or",
    "fmt_p",
    "fmt_pct",
    "fmt_pp",
    "humanize",
    "is_missing",
]

_DASH = "\u2013"
_MINUS = "\u2212"


def is_missing(value: Any) -> bool:
    """True for None, NA, NaN and infinite floats."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return not math.isfinite(float(value))
    return False


def _minus(text: str) -> str:
    return text.replace("-", _MINUS) if text.startswith("-") else text


def fmt_p(p: Any) -> str:
    """A p-value for reading: ``<0.001``, else three decimals (``0.042``).

    Examples
    --------
    >>> fmt_p(0.0000123), fmt_p(0.04231), fmt_p(0.5)
    ('<0.001', '0.042', '0.500')
    """
    if is_missing(p):
        return ""
    p = float(p)
    if p < 0.001:
        return "<0.001"
    return f"{min(p, 1.0):.3f}"


def fmt_num(x: Any, digits: int = 3) -> str:
    """A number rounded to ``digits`` significant digits, thousands separated.

    Integers (and floats that are whole and large) print without decimals; very small or very
    large magnitudes keep ``digits`` significant digits in plain notation where that stays
    short, and scientific notation (``2.6e-14``) only beyond 1e-4 or 1e7.

    Examples
    --------
    >>> fmt_num(35.059761), fmt_num(0.26661199), fmt_num(5860), fmt_num(-0.33)
    ('35.1', '0.267', '5,860', '\u22120.330')
    """
    if is_missing(x):
        return ""
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return _minus(f"{int(x):,}")
    v = float(x)
    if v == 0:
        return "0"
    mag = abs(v)
    if mag >= 1e7 or mag < 1e-4:
        return _minus(f"{v:.{max(digits - 1, 0)}e}")
    if mag >= 10 ** (digits - 1) and v.is_integer():
        return _minus(f"{int(v):,}")
    decimals = max(digits - 1 - int(math.floor(math.log10(mag))), 0)
    text = f"{v:,.{decimals}f}"
    return _minus(text)


def fmt_int(x: Any) -> str:
    """A count with thousands separators (``5,860``); empty when missing."""
    if is_missing(x):
        return ""
    return f"{int(round(float(x))):,}"


def fmt_pct(share: Any, scale: float = 100.0, digits: int = 1) -> str:
    """A share as a percentage (``35.1%``).

    Parameters
    ----------
    share : float
        The share: a fraction (0-1) by default; pass ``scale=1`` when it is already a percent.
    scale : float
        Multiplier to percent (100 for fractions, 1 for percents).
    digits : int
        Decimals shown.
    """
    if is_missing(share):
        return ""
    return f"{float(share) * scale:.{digits}f}%"


def fmt_pp(ame: Any, digits: int = 1) -> str:
    """An average marginal effect on a probability, in percentage points, with its sign."""
    if is_missing(ame):
        return ""
    v = float(ame) * 100
    text = f"{v:+.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return text.replace("-", _MINUS) + " pp"


def fmt_ci(lo: Any, hi: Any, fmt: Any = fmt_num) -> str:
    """An interval as ``lo to hi`` (with the formatter of its point estimate)."""
    if is_missing(lo) or is_missing(hi):
        return ""
    return f"{fmt(lo)} to {fmt(hi)}"


_KEY = re.compile(r"^[a-z][a-z0-9_]*(:[a-z0-9_\-]+)?$")


def humanize(value: Any) -> str:
    """An internal key as words: ``component:aggregate_power`` -> ``aggregate power (component)``.

    Text that is not a lower-case key (names, sentences) is returned unchanged.
    """
    text = str(value)
    if not _KEY.match(text):
        return text
    if ":" in text:
        kind, rest = text.split(":", 1)
        if "-" in rest:  # an id such as drop_alignment:unified-arab-command-1964 stays an id
            return f"{rest} ({kind.replace('_', ' ')})"
        return f"{rest.replace('_', ' ')} ({kind.replace('_', ' ')})"
    return text.replace("_", " ")


def fmt_or(x: Any) -> str:
    """An odds ratio for reading: two decimals between 0.1 and 10, else three digits."""
    if is_missing(x):
        return ""
    v = float(x)
    if 0.1 <= v < 10:
        return f"{v:.2f}"
    return fmt_num(v)
