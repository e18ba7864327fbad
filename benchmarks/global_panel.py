"""Benchmark: build the whole-system directed dyad-year panel N times.

Usage::

    python benchmarks/global_panel.py [--external-dir DIR] [--repeats N]

Prints the time of each build, the panel's rows and columns, and ends with exactly one line

    global_panel_seconds=<median> peak_mb=<peak>

``global_panel_seconds`` is the median wall time (``time.perf_counter``) of the builds, each
including raw-file reading and hash verification (hashes are cached per process after the first
build, so run 1 also pays for hashing and for first-touch memory). ``peak_mb`` is the process's
peak resident set size from ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (whole process,
including the Python interpreter and imported libraries), in MiB.
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
from walt_alliances.panels.global_panel import RAW_KEYS, create_global_dyad_years  # noqa: E402
from walt_alliances.sources.registry import resolve_external_dir, verify  # noqa: E402


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--external-dir", default=None, help="folder of raw datasets")
    parser.add_argument("--repeats", type=int, default=5, help="number of builds (default 5)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    try:
        external_dir = resolve_external_dir(args.external_dir)
        verify(RAW_KEYS, external_dir)  # names every missing or changed raw file at once
    except WaltError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"external_dir={external_dir}")
    print(f"python={sys.version.split()[0]} rss_after_imports_mb={_peak_rss_mb():.0f}")
    times: list[float] = []
    shape = (0, 0)
    for run in range(1, args.repeats + 1):
        t0 = time.perf_counter()
        try:
            panel = create_global_dyad_years(external_dir)
        except WaltError as exc:  # a raw file changed while running, or breaks its contract
            print(f"error: {exc}", file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        shape = panel.shape
        print(f"run {run}: {elapsed:.3f} s (peak RSS so far {_peak_rss_mb():.0f} MB)")
        del panel
        gc.collect()
    print(f"rows={shape[0]} columns={shape[1]}")
    print("peak_mb is the peak resident set size (resource.getrusage ru_maxrss) of this process")
    print(f"global_panel_seconds={statistics.median(times):.3f} peak_mb={_peak_rss_mb():.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
