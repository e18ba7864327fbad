"""Helpers for tests: write small record folders."""

from __future__ import annotations

import textwrap
from pathlib import Path

GOOD_ALIGNMENT = """\
alignment_id: {id}
name: Test alignment
kind: formal_treaty
start: "{start}"
end: {end}
right_censored: {censored}
confidence: medium
summary: A test record.
members:
  - actor: {a}
    {a_dates}
    threats:
      - actor: ISR
        components: [proximity]
        rationale: test
        confidence: low
    motives:
      - motive: balancing
        primary: true
        rationale: test
        confidence: low
  - actor: {b}
    {b_dates}
    threats:
      - actor: ISR
        components: [proximity]
        rationale: test
        confidence: low
    motives:
      - motive: balancing
        primary: true
        rationale: test
        confidence: low
{extra}sources:
  - key: {key}
"""

_MEMBER = """\
  - actor: {c}
    {c_dates}
    threats:
      - actor: ISR
        components: [proximity]
        rationale: test
        confidence: low
    motives:
      - motive: balancing
        primary: true
        rationale: test
        confidence: low
"""


def alignment_yaml(id: str = "test-pact", start: str = "1965-01-01", end: str = '"1966"',
                   censored: str = "false", a: str = "EGY", b: str = "JOR", key: str = "walt1987",
                   a_dates: str = "", b_dates: str = "", c: str = "", c_dates: str = "") -> str:
    extra = _MEMBER.format(c=c, c_dates=c_dates or "role: member") if c else ""
    return GOOD_ALIGNMENT.format(id=id, start=start, end=end, censored=censored, a=a, b=b,
                                 key=key, a_dates=a_dates or "role: member",
                                 b_dates=b_dates or "role: member", extra=extra)


def write(folder: Path, rel: str, text: str) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
