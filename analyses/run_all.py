"""Run every table script, then the full reproduction report.

Usage::

    python analyses/run_all.py            # tables into analyses/output/, report into
                                          # analyses/output/report/
    python analyses/run_all.py --no-report

The report (:func:`walt_alliances.report.report.reproduce`) adds the published comparison, the
figures and, when ``walt_alliances.analysis.hypotheses.run_all`` exists, the hypothesis tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("table_appendix1", "table_balancing_vs_bandwagoning", "table_threat_sources",
           "table_ideology", "table_aid_penetration", "table_world_power")


def _load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None, out_dir: Path = HERE / "output") -> list[Path]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-report", action="store_true", help="only the table scripts")
    args = ap.parse_args(argv)
    written: list[Path] = []
    for name in SCRIPTS:
        print(f"[run_all] {name}", file=sys.stderr, flush=True)
        written += _load(name).main(out_dir)
    if not args.no_report:
        from walt_alliances.report.report import reproduce

        written += reproduce(out_dir / "report", progress=True)
    return written


if __name__ == "__main__":
    for p in main():
        print(p)
