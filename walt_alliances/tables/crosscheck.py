"""Cross-check the coded alignments against ATOP 5.1.

Every ATOP alliance in force at any time in the coded period with a member among the study's
actors must be either **linked** (its ``atopid`` in a record's ``crosswalk.atop``) or
**excluded** (listed in ``datasets/atop_exclusions.yaml`` with a reason). For linked alliances
the members' dates are compared: a start or end more than 31 days from ATOP's must be explained
in the record's ``date_notes``. :func:`atop_crosscheck` reports coverage and date agreement;
``walt-alliances crosscheck atop --atop-dir DIR`` prints it and exits 1 on anything unexplained.
ATOP is read from the user's copy (never shipped); its sha256 is checked against version 5.1.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from walt_alliances.errors import RawDataError
from walt_alliances.panels.study import Study, resolve_study
from walt_alliances.records.scope import in_universe

#: Days by which a member's date may differ from ATOP's without an explanation.
TOLERANCE_DAYS = 31


@dataclass(frozen=True)
class AtopCrosscheck:
    """Result of :func:`atop_crosscheck`.

    Attributes
    ----------
    alliances : pandas.DataFrame
        One row per ATOP alliance in scope: ``atopid``, ``members`` (in-scope COW codes),
        ``status`` (linked, excluded, unexplained), ``alignment_ids``, ``reason``.
    dates : pandas.DataFrame
        One row per linked alliance, member and date (start or end): ``alignment_id``,
        ``atopid``, ``ccode``, ``which``, ``ours``, ``atop``, ``diff_days``, ``status`` (agree,
        explained, unexplained, member_only_in_atop, member_only_in_record).
    """

    alliances: pd.DataFrame
    dates: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when nothing is unexplained."""
        return not ((self.alliances["status"] == "unexplained").any()
                    or (self.dates["status"] == "unexplained").any())

    def summary(self) -> str:
        """A readable coverage report."""
        a, d = self.alliances, self.dates
        counts = a["status"].value_counts()
        lines = [
            f"ATOP 5.1 alliances in force in the period with an in-scope member: {len(a)}",
            f"  linked to a record: {counts.get('linked', 0)}",
            f"  excluded with a reason: {counts.get('excluded', 0)}",
            f"  unexplained: {counts.get('unexplained', 0)}",
        ]
        for r in a[a["status"] == "unexplained"].itertuples(index=False):
            lines.append(f"    ATOP {r.atopid} (members {r.members}): neither linked nor excluded")
        dc = d["status"].value_counts()
        lines += [
            f"Member dates of linked alliances compared: {len(d)}",
            f"  within {TOLERANCE_DAYS} days: {dc.get('agree', 0)}",
            f"  differ, explained in date_notes: {dc.get('explained', 0)}",
            f"  differ, unexplained: {dc.get('unexplained', 0)}",
            f"  member only in ATOP / only in our record: "
            f"{dc.get('member_only_in_atop', 0)} / {dc.get('member_only_in_record', 0)}",
        ]
        for r in d[d["status"] == "unexplained"].itertuples(index=False):
            lines.append(f"    {r.alignment_id} (ATOP {r.atopid}) ccode {r.ccode} {r.which}: "
                         f"ours {r.ours}, ATOP {r.atop} ({r.diff_days} days)")
        lines.append("OK: nothing unexplained" if self.ok else "FAILED: see unexplained above")
        return "\n".join(lines)


def _date(y: object, m: object, d: object, end: bool) -> dt.date | None:
    if pd.isna(y) or int(y) == 0:  # type: ignore[call-overload]
        return None
    yy = int(y)  # type: ignore[call-overload]
    mm = int(m) if not pd.isna(m) and int(m) > 0 else (12 if end else 1)  # type: ignore[call-overload]
    if not pd.isna(d) and int(d) > 0:  # type: ignore[call-overload]
        return dt.date(yy, mm, int(d))  # type: ignore[call-overload]
    if end:
        nxt = dt.date(yy + (mm == 12), mm % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(yy, mm, 1)


def _fmt_date(x: dt.date) -> str:
    """Format a date, or ``open`` for an open end."""
    return "open" if x == dt.date.max else x.isoformat()


def read_atop_members_from(atop_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """Read ``atop5_1m.csv`` from a folder, checking it is ATOP 5.1 (sha256)."""
    from walt_alliances.sources.registry import file_sha256, get_raw_file

    path = Path(atop_dir) / "atop5_1m.csv"
    if not path.is_file():
        raise RawDataError(f"{path}: not found (pass the folder holding ATOP 5.1's "
                           "atop5_1m.csv as --atop-dir)")
    expected = get_raw_file("atop_members").sha256
    got = file_sha256(path)
    if got != expected:
        raise RawDataError(f"{path}: sha256 {got} is not ATOP 5.1's member file ({expected})")
    cols = ["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit"]
    return pd.read_csv(path, usecols=cols, dtype={c: "float64" for c in cols})


def atop_crosscheck(atop_dir: str | os.PathLike[str], study: Study | None = None
                    ) -> AtopCrosscheck:
    """Compare the records with ATOP 5.1.

    Parameters
    ----------
    atop_dir : path-like
        Folder with ATOP 5.1's ``atop5_1m.csv`` (e.g. ``../shared/external/atop``).
    study : Study, optional
        The records (default: the shipped data).

    Returns
    -------
    AtopCrosscheck
    """
    st = resolve_study(study)
    p0, p1 = st.period_start, st.period_end
    m = read_atop_members_from(atop_dir)
    m["start"] = [_date(y, mo, d, False) for y, mo, d in zip(m.yrent, m.moent, m.dayent,
                                                               strict=True)]
    m["end"] = [_date(y, mo, d, True) for y, mo, d in zip(m.yrexit, m.moexit, m.dayexit,
                                                           strict=True)]
    m["end"] = m["end"].where(m["end"].notna(), dt.date.max)
    m["atopid"] = m["atopid"].astype(int)
    m["member"] = m["member"].astype(int)
    actors = in_universe(st["actors"]).dropna(subset=["ccode"])
    scope = set(actors["ccode"].astype(int))
    by_cc = dict(zip(actors["ccode"].astype(int), actors["actor_id"], strict=True))
    inper = m[(m["start"] <= p1) & (m["end"] >= p0) & m["member"].isin(scope)]
    spans = m.groupby(["atopid", "member"]).agg(start=("start", "min"), end=("end", "max"))
    al = st["alignments"]
    links: dict[int, list[str]] = {}
    for aid, ids in zip(al["alignment_id"], al["atop_ids"], strict=True):
        for x in (ids or "").split(";") if isinstance(ids, str) else []:
            if x:
                links.setdefault(int(x), []).append(aid)
    ex = st["atop_exclusions"]
    reasons = dict(zip(ex["atopid"].astype(int), ex["reason"], strict=True))
    rows = []
    for atopid, g in inper.groupby("atopid"):
        members = sorted(set(g["member"]))
        status = ("linked" if atopid in links else
                  "excluded" if atopid in reasons else "unexplained")
        rows.append({"atopid": int(atopid), "members": ";".join(map(str, members)),
                     "status": status, "alignment_ids": ";".join(links.get(int(atopid), [])),
                     "reason": reasons.get(int(atopid), "")})
    alliances = pd.DataFrame(rows, columns=["atopid", "members", "status", "alignment_ids",
                                            "reason"])
    ms = st["memberships"]
    notes = dict(zip(al["alignment_id"], al["date_notes"], strict=True))
    drows = []
    for atopid, aids in sorted(links.items()):
        for aid in aids:
            explained = isinstance(notes.get(aid), str) and bool(notes[aid].strip())
            mine = ms[ms["alignment_id"] == aid]
            ours: dict[int, tuple[dt.date, dt.date]] = {}
            for r in mine.itertuples(index=False):
                if pd.isna(r.ccode):
                    continue
                s = r.start_first_day.date()
                e = r.end_last_day.date() if not pd.isna(r.end_last_day) else dt.date.max
                cc = int(r.ccode)
                ps, pe = ours.get(cc, (s, e))
                ours[cc] = (min(s, ps), max(e, pe))
            theirs = {int(cc): (v.start, v.end) for (a, cc), v in spans.iterrows()
                      if a == atopid and int(cc) in scope}
            for cc in sorted(set(ours) | set(theirs)):
                if cc not in theirs or cc not in ours:
                    status = "member_only_in_record" if cc in ours else "member_only_in_atop"
                    drows.append({"alignment_id": aid, "atopid": atopid, "ccode": cc,
                                  "actor_id": by_cc.get(cc), "which": "member", "ours": "",
                                  "atop": "", "diff_days": pd.NA,
                                  "status": status if explained else "unexplained"})
                    continue
                for which, i in (("start", 0), ("end", 1)):
                    o, t = ours[cc][i], theirs[cc][i]
                    # beyond the coded period both are censored at its end
                    oc, tc = (min(o, p1), min(t, p1)) if which == "end" else (o, t)
                    diff = abs((oc - tc).days)
                    status = ("agree" if diff <= TOLERANCE_DAYS else
                              "explained" if explained else "unexplained")
                    drows.append({"alignment_id": aid, "atopid": atopid, "ccode": cc,
                                  "actor_id": by_cc.get(cc), "which": which, "ours": _fmt_date(o),
                                  "atop": _fmt_date(t), "diff_days": diff, "status": status})
    dates = pd.DataFrame(drows, columns=["alignment_id", "atopid", "ccode", "actor_id", "which",
                                         "ours", "atop", "diff_days", "status"])
    return AtopCrosscheck(alliances, dates)


def rule_exclusions(atop_dir: str | os.PathLike[str], study: Study | None = None
                    ) -> list[dict[str, object]]:
    """Exclusion entries for ATOP alliances in scope with no Middle East state as a member.

    The rule: an alliance whose in-scope members are only outside powers or superpowers (e.g.
    the USSR with Eastern European states, the US with Latin American states) binds no state of
    the region and is outside the study's region.
    """
    st = resolve_study(study)
    res = atop_crosscheck(atop_dir, st)
    m = read_atop_members_from(atop_dir)
    actors = in_universe(st["actors"]).dropna(subset=["ccode"])
    kind = dict(zip(actors["ccode"].astype(int), actors["kind"].astype(str), strict=True))
    name = dict(zip(actors["ccode"].astype(int), actors["name"], strict=True))
    out = []
    for r in res.alliances.itertuples(index=False):
        if r.status != "unexplained":
            continue
        members = sorted(set(m.loc[m["atopid"] == r.atopid, "member"].astype(int)))
        if any(kind.get(c) == "regional_state" for c in members):
            continue
        inscope = ", ".join(name[c] for c in members if c in name)
        others = [c for c in members if c not in name]
        partners = (f" and {len(others)} other state(s) outside the region (COW "
                    f"{', '.join(map(str, others[:8]))}{' ...' if len(others) > 8 else ''})"
                    if others else "")
        out.append({"atopid": int(r.atopid), "members": members, "reason": (
            f"No member is a state of the Middle East: the members are {inscope} (outside "
            f"powers){partners}. Outside the study's region (rule applied by "
            "walt_alliances.tables.crosscheck.rule_exclusions).")})
    return out
