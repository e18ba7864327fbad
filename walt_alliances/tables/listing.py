"""The Appendix 1 style listing: alignments with their years, members, threats and motives."""

from __future__ import annotations

from typing import Any

import pandas as pd

from walt_alliances.records.load import load_actors, load_alignments, load_memberships, load_threats


def _year(s: object) -> str:
    return str(s)[:4] if isinstance(s, str) else ""


def alignment_listing(study: Any = None) -> pd.DataFrame:
    """Return one row per alignment, in the style of an appendix listing.

    Parameters
    ----------
    study : walt_alliances.panels.study.Study, optional
        The records to list (default: the shipped data), e.g.
        ``Study.with_records("my-extension")``.

    Returns
    -------
    pandas.DataFrame
        ``alignment_id``, ``name``, ``kind``, ``years`` (e.g. ``1955-1959``; ``1977-`` when
        right-censored), ``members`` (abbreviations with join/exit years where they differ from
        the alignment's), ``threats`` (the actors the members were responding to, most often
        named first), ``primary_motives`` (count of members per primary motive) and
        ``confidence``. These are the project's codings, not the book's list.
    """
    if study is None:
        al, ms, th, actors = load_alignments(), load_memberships(), load_threats(), load_actors()
    else:
        al, ms, th, actors = (study[t] for t in ("alignments", "memberships", "threats",
                                                  "actors"))
    abbr = dict(zip(actors["actor_id"], actors["abbreviation"], strict=True))
    rows = []
    for a in al.itertuples(index=False):
        m = ms[ms["alignment_id"] == a.alignment_id]
        mem = []
        for r in m.itertuples(index=False):
            label = abbr.get(r.actor_id, r.actor_id)
            span = (_year(r.start), _year(r.end))
            if span != (_year(a.start), _year(a.end)):
                label += f" ({span[0]}-{span[1]})"
            mem.append(label)
        t = th[th["alignment_id"] == a.alignment_id]["threat_actor_id"].value_counts()
        t = t.sort_index().sort_values(ascending=False, kind="mergesort")
        mot = m["primary_motive"].astype("string").value_counts().sort_index()
        rows.append({
            "alignment_id": a.alignment_id, "name": a.name, "kind": a.kind,
            "years": f"{_year(a.start)}-{'' if a.right_censored else _year(a.end)}",
            "members": ", ".join(mem),
            "threats": ", ".join(abbr.get(x, x) for x in t.index),
            "primary_motives": ", ".join(f"{k} {v}" for k, v in mot.items()),
            "confidence": a.confidence,
        })
    out = pd.DataFrame(rows)
    if len(out):
        out = out.sort_values(["years", "alignment_id"], kind="mergesort").reset_index(drop=True)
    return out
