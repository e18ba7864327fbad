"""Benchmark: build the 1955-1979 directed dyad-year panel with every measure, and fit every
hypothesis specification.

Usage: python benchmarks/panel_and_hypotheses.py [--repeats N] [--robustness]

Prints per-run times, the median, and the peak resident memory of the process. The reference
tool's figures are measured by ``benchmarks/peacesciencer.R`` and ``benchmarks/panel_command.py``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--robustness", action="store_true", help="include the robustness variants")
    args = ap.parse_args()

    cold = subprocess.run(
        [sys.executable, "-c", "import time; t=time.perf_counter(); import walt_alliances as wa; "
         "p=wa.add_all(wa.create_dyad_years(1955, 1979)); print(time.perf_counter()-t, len(p))"],
        capture_output=True, text=True, check=True).stdout.split()
    print(f"cold (new process, incl. imports and reading the data): {float(cold[0]):.3f} s, "
          f"{cold[1]} rows")

    import walt_alliances as wa
    from walt_alliances.analysis.hypotheses import run_all

    times = []
    for i in range(args.repeats):
        t = time.perf_counter()
        p = wa.add_all(wa.create_dyad_years(1955, 1979))
        times.append(time.perf_counter() - t)
        print(f"panel run {i + 1}: {times[-1]:.3f} s ({len(p)} rows x {p.shape[1]} columns)")
    med = statistics.median(times)
    print(f"panel_seconds={med:.3f} (median of {args.repeats})")

    fits = []
    for i in range(max(1, args.repeats // 2)):
        t = time.perf_counter()
        res = run_all(robustness=args.robustness)
        fits.append(time.perf_counter() - t)
        rob = f", robustness {len(res.robustness)} rows" if args.robustness else ""
        print(f"hypotheses run {i + 1}: {fits[-1]:.2f} s ({res.results['model_id'].nunique()} "
              f"models{rob})")
    print(f"hypotheses_seconds={statistics.median(fits):.2f} peak_mb={peak_mb():.0f}")


if __name__ == "__main__":
    main()
