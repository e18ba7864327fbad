"""Benchmark: ``walt-alliances panel ... --out x.parquet`` as a whole process, side by side
with the reference tool's script when it is installed.

Usage::

    python benchmarks/panel_command.py [--repeats N] [--reference] [--rlib DIR]

Runs ``python -m walt_alliances panel --unit directed-dyad-year --start 1955 --end 1979 --out
<tmp>/x.parquet`` N times in new processes (imports, reading the shipped data, the panel and
writing Parquet), and with ``--reference`` also ``Rscript benchmarks/peacesciencer.R regional 1``
(the R package peacesciencer: ``create_dyadyears`` 1955-1979, the 26 states of the study, five
``add_*`` functions; see that script), alternating the two so that both see the same load.
Wall time is measured around each process; CPU time is the children's user + system time
(``resource.getrusage(RUSAGE_CHILDREN)``). Prints one ``name=value`` line per figure (medians):
``panel_command_seconds``, ``panel_command_cpu_seconds``, ``panel_command_peak_mb`` (the
largest child's resident set), and with ``--reference`` the same for
``peacesciencer_command_*`` and ``ratio_wall``, ``ratio_cpu`` (reference / ours).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--reference", action="store_true",
                        help="also time the peacesciencer script (needs R and peacesciencer)")
    parser.add_argument("--rlib", default=os.environ.get("R_LIBS", ""),
                        help="R library holding peacesciencer (default: $R_LIBS)")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if args.rlib:
        env["R_LIBS"] = args.rlib
    with tempfile.TemporaryDirectory() as tmp:
        ours = [sys.executable, "-m", "walt_alliances", "panel", "--unit", "directed-dyad-year",
                "--start", "1955", "--end", "1979", "--out", str(Path(tmp) / "x.parquet")]
        ref = ["Rscript", str(HERE / "peacesciencer.R"), "regional", "1"]
        runs: dict[str, list[tuple[float, float]]] = {"ours": [], "ref": []}
        for _ in range(args.repeats):
            runs["ours"].append(_run(ours, env))
            if args.reference:
                runs["ref"].append(_run(ref, env))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    wall = statistics.median(w for w, _ in runs["ours"])
    cpu = statistics.median(c for _, c in runs["ours"])
    print(f"panel_command_seconds={wall:.3f}")
    print(f"panel_command_cpu_seconds={cpu:.3f}")
    if not args.reference:
        print(f"panel_command_peak_mb={peak:.0f}")
        return 0
    rwall = statistics.median(w for w, _ in runs["ref"])
    rcpu = statistics.median(c for _, c in runs["ref"])
    print(f"peacesciencer_command_seconds={rwall:.3f}")
    print(f"peacesciencer_command_cpu_seconds={rcpu:.3f}")
    print(f"ratio_wall={rwall / wall:.1f}")
    print(f"ratio_cpu={rcpu / cpu:.1f}")
    print(f"largest_child_peak_mb={peak:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
