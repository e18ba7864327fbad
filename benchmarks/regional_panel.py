"""Benchmark: the 1955-1979 regional directed dyad-year panel with every measure, in process.

Usage::

    python benchmarks/regional_panel.py [--repeats N]

Times ``wa.add_all(wa.create_dyad_years(1955, 1979))`` in this process. The first build
(``cold``) reads the shipped tables and fills the per-study caches; the later builds reuse them
(``warm``, the case of an analysis that builds many panels). Wall time is
``time.perf_counter``; CPU time is ``time.process_time`` (this process only, so less disturbed by
other work on a shared machine). Prints one ``name=value`` line per figure:

- ``regional_panel_cold_seconds``, ``regional_panel_cold_cpu_seconds``: the first build;
- ``regional_panel_seconds``, ``regional_panel_cpu_seconds``: medians of the warm builds;
- ``rows``, ``columns``; ``peak_mb``: the process's peak resident set size
  (``resource.getrusage``, MiB).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import walt_alliances as wa  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=21, help="warm builds (default 21)")
    args = parser.parse_args(argv)
    wa.create_dyad_years  # noqa: B018 - resolve the lazy import before timing
    t, c = time.perf_counter(), time.process_time()
    panel = wa.add_all(wa.create_dyad_years(1955, 1979))
    cold, cold_cpu = time.perf_counter() - t, time.process_time() - c
    walls, cpus = [], []
    for _ in range(args.repeats):
        t, c = time.perf_counter(), time.process_time()
        panel = wa.add_all(wa.create_dyad_years(1955, 1979))
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"regional_panel_cold_seconds={cold:.3f}")
    print(f"regional_panel_cold_cpu_seconds={cold_cpu:.3f}")
    print(f"regional_panel_seconds={statistics.median(walls):.4f}")
    print(f"regional_panel_cpu_seconds={statistics.median(cpus):.4f}")
    print(f"rows={len(panel)}")
    print(f"columns={panel.shape[1]}")
    print(f"peak_mb={peak:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
