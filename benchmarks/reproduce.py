"""Benchmark: the main job, ``walt-alliances reproduce --out DIR``, as a whole process.

Usage::

    python benchmarks/reproduce.py [--repeats N] [--with FOLDER]

Runs ``python -m walt_alliances reproduce --out <tmp>/out --quiet`` N times in new processes
(the book tables and figures in the main process; the hypothesis tests, specification curve
and influence refits in one forked process; the designs in another, whose 200 coding
resamples and 10 threat-index specifications run on two worker processes). Wall time is
measured around each process; CPU time is the user + system time of the process and all its
children (``resource.getrusage(RUSAGE_CHILDREN)``). Also checks that every run wrote the same
bytes (the manifest aside, which records the software environment only). Prints one
``name=value`` line per figure (medians): ``reproduce_seconds``, ``reproduce_cpu_seconds``,
``reproduce_peak_mb`` (the largest process's resident set) and ``reproduce_identical_runs``.
Run it on an otherwise idle machine: the job uses both cores, so other load adds directly.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "manifest.json":
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--with", dest="extension", default=None,
                        help="an extension folder, passed on as --with")
    args = parser.parse_args(argv)
    walls: list[float] = []
    cpus: list[float] = []
    digests: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            out = Path(tmp) / f"out{i}"
            cmd = [sys.executable, "-m", "walt_alliances", "reproduce", "--out", str(out),
                   "--quiet"]
            if args.extension:
                cmd += ["--with", args.extension]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
            digests.add(_digest(out))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"reproduce_seconds={statistics.median(walls):.2f}")
    print(f"reproduce_cpu_seconds={statistics.median(cpus):.2f}")
    print(f"reproduce_peak_mb={peak:.0f}")
    print(f"reproduce_identical_runs={len(digests) == 1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
