"""Agreement between the first coding and the blind second coding (data 0.4.0, issue 15).

Usage::

    python datasets/reliability/kappa.py FIRST_DATASETS_DIR datasets/reliability/answers.csv [OUT]

FIRST_DATASETS_DIR is a ``datasets/`` folder holding the first coding (for the published figures:
this repository at commit 4faea47, before the disagreements were settled). Units and fields:

- ``primary_motive``: one unit per member of a sampled record; six categories.
- ``threat_actor``: one unit per (record, member, candidate actor), the candidates being every actor
  in ``actors.yaml`` other than the member (and any other name the second coder used); 1 if that
  actor is coded as a threat to the member.
- ``components``: one unit per (record, member, threat actor coded by both, component); 1 if the
  component is coded; also given per component.

Cohen's kappa is statsmodels' ``cohens_kappa`` on the contingency table; raw agreement is the share
of units on which the codings agree. The sample (``sample.txt``) was drawn with
``numpy.random.default_rng(2026).choice(ids, size=ceil(0.2 * len(ids)), replace=False)`` over the
sorted alignment ids of data 0.3.0 (64 records, 13 drawn).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml
from statsmodels.stats.inter_rater import cohens_kappa

COMPONENTS = ["aggregate_power", "proximity", "offensive_power", "aggressive_intentions"]
MOTIVES = ["balancing", "bandwagoning", "ideology", "aid", "penetration", "other"]
HERE = Path(__file__).resolve().parent


def kappa(pairs: list[tuple[object, object]], cats: list[object]) -> dict[str, float | int]:
    """Cohen's kappa and raw agreement for pairs of codes over the categories ``cats``."""
    idx = {c: i for i, c in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for a, b in pairs:
        table[idx[a], idx[b]] += 1
    n = int(table.sum())
    return {"n": n, "raw_agreement": round(float(np.trace(table) / n), 3),
            "kappa": round(float(cohens_kappa(table).kappa), 3)}


def main(first_dir: Path, answers: Path) -> dict[str, object]:
    """Compute every agreement figure and list the disagreements."""
    sample = (HERE / "sample.txt").read_text().split()
    actors = [a["actor_id"] for a in yaml.safe_load((first_dir / "actors.yaml").read_text())]
    f_threat: dict[tuple[str, str, str], set[str]] = {}
    f_motive: dict[tuple[str, str], str] = {}
    for aid in sample:
        rec = yaml.safe_load((first_dir / "alignments" / f"{aid}.yaml").read_text())
        for m in rec["members"]:
            primary = next(x["motive"] for x in m["motives"] if x.get("primary"))
            f_motive[(aid, m["actor"])] = primary
            for t in m.get("threats") or []:
                f_threat[(aid, m["actor"], t["actor"])] = set(t["components"])
    s_threat: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    s_motive: dict[tuple[str, str], str] = {}
    with answers.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["alignment_id"].strip(), row["actor"].strip())
            if key not in f_motive:
                continue
            if row["primary_motive"].strip():
                s_motive.setdefault(key, row["primary_motive"].strip())
            if row["threat_actor"].strip():
                comps = {c.strip() for c in row["components"].split(";") if c.strip()}
                s_threat[(*key, row["threat_actor"].strip())] |= comps
    members = sorted(f_motive)
    out: dict[str, object] = {}
    out["primary_motive"] = kappa([(f_motive[m], s_motive[m]) for m in members if m in s_motive],
                                  list(MOTIVES))
    extra = sorted({k[2] for k in s_threat} - set(actors))
    ta = [(int((a, m, c) in f_threat), int((a, m, c) in s_threat))
          for a, m in members for c in actors + extra if c != m]
    out["threat_actor"] = kappa(ta, [0, 1])
    both = sorted(set(f_threat) & set(s_threat))
    pairs = [(int(c in f_threat[k]), int(c in s_threat[k])) for k in both for c in COMPONENTS]
    out["components"] = kappa(pairs, [0, 1])
    out["components_by_component"] = {
        c: kappa([(int(c in f_threat[k]), int(c in s_threat[k])) for k in both], [0, 1])
        for c in COMPONENTS}
    out["counts"] = {"records": len(sample), "members": len(members),
                     "threats_first": len(f_threat), "threats_second": len(s_threat),
                     "threats_both": len(both)}
    dis = {
        "motive": [f"{a}/{m}: {f_motive[(a, m)]} vs {s_motive[(a, m)]}" for a, m in members
                   if (a, m) in s_motive and f_motive[(a, m)] != s_motive[(a, m)]],
        "threat_only_first": ["/".join(k) for k in sorted(set(f_threat) - set(s_threat))],
        "threat_only_second": ["/".join(k) for k in sorted(set(s_threat) - set(f_threat))],
        "components": [f"{'/'.join(k)}: {sorted(f_threat[k])} vs {sorted(s_threat[k])}"
                       for k in both if f_threat[k] != s_threat[k]],
    }
    return {"agreement": out, "disagreements": dis}


if __name__ == "__main__":
    res = main(Path(sys.argv[1]), Path(sys.argv[2]))
    text = json.dumps(res, indent=1, sort_keys=True) + "\n"
    if len(sys.argv) > 3:
        Path(sys.argv[3]).write_text(text)
    print(json.dumps(res["agreement"], indent=1, sort_keys=True))
