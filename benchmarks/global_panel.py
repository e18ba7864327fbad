"""Benchmark: build the whole-system directed dyad-year panel N times.

Usage::

    python benchmarks/global_panel.py [--measures core|all] [--external-dir DIR] [--repeats N]

Builds from the source tables shipped in the package (offline), or from the raw files with
``--external-dir``. ``--measures core`` (default) is ATOP, NMC, contiguity and capital distance;
``all`` adds every other shipped measure (Polity5, UN ideal points, MIDs, wars, US aid, SIPRI).
Run it once per setting: the peak memory is per process. Prints the time of each build, the
panel's rows, columns and in-memory size, and ends with one ``name=value`` line per figure:

    global_panel_seconds=<median wall>
    global_panel_cpu_seconds=<median CPU>
    peak_mb=<peak>

``global_panel_seconds`` is the median wall time (``time.perf_counter``) of the builds, each
including reading the tables (cached per process after the first build, so run 1 also pays for
reading, hashing and first-touch memory); ``global_panel_cpu_seconds`` the median CPU time of
this process (``time.process_time``; less disturbed by other work on a shared machine).
``peak_mb`` is the process's peak resident set size
from ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (whole process, including the Python
interpreter and imported libraries), in MiB.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from walt_alliances.errors import WaltError  # noqa: E402
from walt_alliances.panels.global_panel import create_global_dyad_years  # noqa: E402


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--external-dir", default=None,
                        help="build from the raw datasets here (default: the shipped tables)")
    parser.add_argument("--measures", choices=("core", "all"), default="core")
    parser.add_argument("--repeats", type=int, default=5, help="number of builds (default 5)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    external_dir = args.external_dir
    print(f"source={'raw files in ' + external_dir if external_dir else 'shipped tables'} "
          f"measures={args.measures}")
    print(f"python={sys.version.split()[0]} rss_after_imports_mb={_peak_rss_mb():.0f}")
    times: list[float] = []
    cpus: list[float] = []
    shape = (0, 0)
    size_mb = 0.0
    for run in range(1, args.repeats + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            panel = create_global_dyad_years(external_dir, measures=args.measures)
        except WaltError as exc:  # a raw or shipped file missing or changed
            print(f"error: {exc}", file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - t0
        cpus.append(time.process_time() - c0)
        times.append(elapsed)
        shape = panel.shape
        size_mb = panel.memory_usage(deep=True).sum() / 2**20
        print(f"run {run}: {elapsed:.3f} s (peak RSS so far {_peak_rss_mb():.0f} MB)")
        del panel
        gc.collect()
    print(f"rows={shape[0]} columns={shape[1]} panel_mb={size_mb:.0f}")
    print("peak_mb is the peak resident set size (resource.getrusage ru_maxrss) of this process")
    print(f"global_panel_seconds={statistics.median(times):.3f}")
    print(f"global_panel_cpu_seconds={statistics.median(cpus):.3f}")
    print(f"peak_mb={_peak_rss_mb():.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
