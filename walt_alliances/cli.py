"""The ``walt-alliances`` command line.

A thin layer over the library: each subcommand parses its arguments, calls one library function,
and turns the library's own errors into a clear message on stderr and exit code 1 (never a
traceback). Heavy modules are imported inside the subcommands, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EPILOG = """\
examples:
  walt-alliances reproduce --out report/   the main job: tables, hypothesis tests, figures, report
  walt-alliances validate                  check the records (./datasets in a checkout, else
                                           the shipped data)
  walt-alliances validate my_records/      check your own records, layered on the shipped data
  walt-alliances export --out data/        write every table as CSV plus datapackage.json
  walt-alliances list                      the alignments, their years, members, threats, motives
  walt-alliances cite --format bibtex      how to cite the package, the book and the data

Nobody on the project has the text of Walt (1987): the data are the project's codings by Walt's
definitions, each with sources, rationale and confidence. See datasets/CODEBOOK.md.
"""


def _print_problems(exc: Exception) -> int:
    print(str(exc), file=sys.stderr)
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    from walt_alliances.records.validate import validate_paths

    paths = [Path(p) for p in args.paths]
    if not paths:
        if (Path("datasets") / "dataset.yaml").is_file():
            paths = [Path("datasets")]
            print("validating ./datasets (the source records of this checkout)")
        else:
            from walt_alliances.records.load import load_recordset, load_state_system
            from walt_alliances.records.validate import check_records

            rs = load_recordset()
            probs = check_records(rs, load_state_system(), complete=True,
                                  period=rs.info.period if rs.info else None)
            if probs:
                from walt_alliances.errors import RecordsError

                return _print_problems(RecordsError(probs))
            print(f"shipped records are valid: {_counts(rs.counts())}")
            return 0
    rs = validate_paths(paths)
    for note in rs.notes:
        print(note)
    print(f"valid: {_counts(rs.counts())} ({len(rs.bibliography)} references)")
    return 0


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if v)


def cmd_build(args: argparse.Namespace) -> int:
    from walt_alliances.panels.recode import check_output, is_installed_package_path
    from walt_alliances.records.build import DATA_DIR, build
    from walt_alliances.tables.published import load_published

    target = Path(args.data_dir) if args.data_dir else DATA_DIR
    if is_installed_package_path(target):
        raise _UsageError(
            "build never writes into the installed walt_alliances package. Use your records "
            "directly with --with DIR (validate, reproduce, hypotheses, panel, export, list, "
            "info), or compile them into a folder you name: walt-alliances build --source DIR "
            "--data-dir OUT")
    if args.data_dir:
        check_output(target, is_dir=True, mkdir=args.mkdir, flag="--data-dir")
    files = build(Path(args.source), target, check_published=load_published)
    print(f"built {len(files)} files into {target}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from walt_alliances.panels.export import export
    from walt_alliances.panels.recode import check_output

    out = check_output(args.out, is_dir=True, mkdir=args.mkdir)
    written = export(out, args.format, study=_study_from(args), panel=args.panel)
    for p in written:
        print(f"wrote {p}")
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    from walt_alliances._io import atomic_write_bytes
    from walt_alliances.report.codebook import generate_codebook

    text = generate_codebook()
    out = Path(args.out)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.is_file() else ""
        if current != text:
            print(f"{out} is stale: run `walt-alliances codebook`", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    atomic_write_bytes(out, text.encode("utf-8"))
    print(f"wrote {out}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from walt_alliances.panels.study import shipped_study
    from walt_alliances.records.cite import package_version
    from walt_alliances.records.load import datapackage

    dp = datapackage()
    study = _study_from(args) or shipped_study()
    origin = study.data_origin
    print(f"walt_alliances {package_version()}, data version {dp['version']}")
    if origin["data"] == "shipped":
        print(f"data: shipped {origin['data_version']} (records sha256 "
              f"{origin['records_sha256']})")
    else:
        print(f"data: modified (records sha256 {origin['records_sha256']}): "
              f"{origin['records']} layered on the shipped data {origin['base_data_version']}")
    print(f"{dp['title']}")
    import hashlib
    from importlib import resources

    changed = []
    for r in dp["resources"]:
        ref = resources.files("walt_alliances").joinpath("data", *r["path"].split("/"))
        ok = ref.is_file() and "sha256:" + hashlib.sha256(ref.read_bytes()).hexdigest() == r["hash"]
        if not ok:
            changed.append(r["name"])
        print(f"  {r['name']:<16} {r['rows']:>6} rows  {r['hash']}{'' if ok else '  CHANGED'}")
    from walt_alliances.sources.shipped import source_provenance

    print("source tables (whole state system; data/sources/provenance.json):")
    for name, rec in source_provenance()["tables"].items():
        src = "; ".join(f"{x['dataset']} (version: {x['version']})" for x in rec["sources"])
        years = "-".join(str(y) for y in rec["years"]) if rec["years"] else "static"
        print(f"  {name:<22} {rec['rows']:>6} rows  {years:<9}  {src}")
    if changed:
        print(f"warning: the installed data differ from datapackage.json ({', '.join(changed)}):"
              " the package was modified after it was built; reinstall walt_alliances",
              file=sys.stderr)
        return 1
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    from walt_alliances.records.cite import cite

    print(cite(args.format, all_sources=args.all), end="")
    return 0


def cmd_list(args: argparse.Namespace) -> int:

    from walt_alliances.tables.listing import alignment_listing

    df = alignment_listing(_study_from(args))
    if args.csv:
        sys.stdout.write(df.to_csv(index=False, lineterminator="\n"))
        return 0
    shown = df.rename(columns={"alignment_id": "id"}).astype(str)  # `show` takes the id
    shown["name"] = [n if len(n) <= 45 else n[:44] + "\u2026" for n in shown["name"]]
    widths = {c: max(len(c), *(len(v) for v in shown[c])) for c in shown.columns}
    print("  ".join(c.ljust(widths[c]) for c in shown.columns).rstrip())
    for row in shown.itertuples(index=False):
        print("  ".join(str(v).ljust(widths[c]) for c, v in zip(shown.columns, row,
                                                                strict=True)).rstrip())
    return 0


def cmd_crosscheck(args: argparse.Namespace) -> int:
    from walt_alliances.tables.crosscheck import atop_crosscheck

    study = _study_from(args)
    res = atop_crosscheck(args.atop_dir, study)
    print(res.summary())
    if args.csv:
        from walt_alliances._io import csv_bytes, only_names, write_folder

        out = Path(args.csv)
        names = ["atop_alliances.csv", "atop_dates.csv"]
        write_folder(out, dict(zip(names, (csv_bytes(res.alliances), csv_bytes(res.dates)),
                                   strict=True)),
                     what="cross-check output", replaceable=only_names(names))
        print(f"wrote {out / 'atop_alliances.csv'} and {out / 'atop_dates.csv'}")
    return 0 if res.ok else 1


def _parse_list(text: str | None, kind: type, flag: str) -> list | None:  # type: ignore[type-arg]
    if text is None:
        return None
    out = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            out.append(kind(item))
        except ValueError:
            raise _UsageError(f"{flag}: {item!r} is not a valid {kind.__name__}") from None
    return out


class _UsageError(Exception):
    pass


def cmd_panel(args: argparse.Namespace) -> int:
    from walt_alliances._io import atomic_write_bytes
    from walt_alliances.panels.export import frame_bytes
    from walt_alliances.panels.recode import check_output
    from walt_alliances.panels.verbs import add_all, create_dyad_years, create_state_years

    out = Path(args.out)
    formats = {".csv": "csv", ".parquet": "parquet", ".dta": "stata"}
    if out.suffix.lower() not in formats:
        print(f"error: --out must end in .csv, .parquet or .dta, not {out.name!r}",
              file=sys.stderr)
        return 1
    check_output(out, is_dir=False, mkdir=args.mkdir)
    ccodes = _parse_list(args.ccodes, int, "--ccodes")
    actors = _parse_list(args.actors, str, "--actors")
    study = _study_from(args)
    from walt_alliances.panels.study import resolve_study

    base = resolve_study(study)
    if args.start < base.measure_years[0] or args.end > base.measure_years[1]:
        # measures for any year 1816-2016 come from the source tables the package ships
        study = base.with_measure_years(args.start, args.end, getattr(args, "external_dir", None))
    if args.unit == "state-year":
        panel = create_state_years(args.start, args.end, actors=actors, ccodes=ccodes,
                                   study=study)
    else:
        panel = create_dyad_years(args.start, args.end, directed=args.unit == "directed-dyad-year",
                                  actors=actors, ccodes=ccodes, study=study)
    panel = add_all(panel, study=study)
    from walt_alliances.panels.verbs import panel_info

    info = panel_info(panel)
    origin = info.get("data", {})
    tag = (f"shipped {origin.get('data_version')}" if origin.get("data") == "shipped" else
           f"modified {str(origin.get('records_sha256', ''))[:12]}")
    data = frame_bytes(panel, formats[out.suffix.lower()],  # type: ignore[arg-type]
                       title=f"walt_alliances {args.unit} {args.start}-{args.end}, data {tag}",
                       metadata={"panel_info": info})
    atomic_write_bytes(out, data)
    print(f"wrote {out}: {len(panel)} rows x {panel.shape[1]} columns ({args.unit}, "
          f"{args.start}-{args.end})")
    return 0


def cmd_hypotheses(args: argparse.Namespace) -> int:
    from walt_alliances._io import check_folder
    from walt_alliances.analysis.hypotheses import OUTPUT_FOLDER, run_all, write_outputs
    from walt_alliances.panels.recode import check_output

    check_output(args.out, is_dir=True, mkdir=args.mkdir)
    check_folder(args.out, OUTPUT_FOLDER, "hypotheses output")  # before the work, not after
    study = _study_from(args)
    res = run_all(study, robustness=not args.no_robustness, progress=not args.quiet)
    designs = None
    if not args.no_designs:
        from walt_alliances.analysis.designs import run_designs

        designs = run_designs(study, draws=args.draws, progress=not args.quiet)
    origin = study.data_origin if study is not None else None
    if origin is None:
        from walt_alliances.panels.study import shipped_origin

        origin = shipped_origin()
    written = write_outputs(res, Path(args.out), save_samples=args.save_samples,
                            designs=designs, origin=origin)
    print(f"wrote {len(written)} files into {args.out}")
    if not args.quiet:
        print(res.summary_md.split("\n## ")[0].rstrip())
    return 0


def cmd_designs(args: argparse.Namespace) -> int:
    from walt_alliances.analysis.designs import run_designs, write_designs
    from walt_alliances.panels.study import Study

    gulf = None
    if args.gulf:
        gulf = Study.with_records(args.gulf, external_dir=args.external_dir,
                                  progress=not args.quiet)
    res = run_designs(_study_from(args), gulf=gulf, draws=args.draws, workers=args.workers,
                      outside=not args.no_outside, progress=not args.quiet)
    written = write_designs(res, Path(args.out), save_samples=args.save_samples)
    print(f"wrote {len(written)} files into {args.out}")
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    from walt_alliances._io import check_folder
    from walt_alliances.panels.recode import check_output
    from walt_alliances.report.report import REPORT_FOLDER, reproduce

    check_output(args.out, is_dir=True, mkdir=args.mkdir)
    check_folder(args.out, REPORT_FOLDER, "report")  # a bad --out is refused before the work
    # validated first: every problem is reported and nothing is written
    study = _study_from(args)
    written = reproduce(Path(args.out), progress=not args.quiet, data=study,
                        with_hypotheses=not args.no_hypotheses,
                        robustness=not args.no_robustness)
    print(f"wrote {len(written)} files into {args.out} (open {Path(args.out) / 'report.html'})")
    return 0


def _study_from(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The study to run on: the records given with --with (or --source), else the shipped data.

    Notes (coverage gaps of hand-coded tables first, then overrides) go to stderr.
    """
    paths = [*getattr(args, "with_", []), *([args.source] if getattr(args, "source", None)
                                            else [])]
    if not paths:
        return None
    from walt_alliances.panels.study import Study

    quiet = getattr(args, "quiet", False)
    study = Study.with_records(*paths, external_dir=getattr(args, "external_dir", None),
                               progress=not quiet)
    if not quiet:
        for note in study.notes:
            print(note, file=sys.stderr)
    return study


def cmd_show(args: argparse.Namespace) -> int:
    from walt_alliances.panels.recode import find_record, record_yaml, where_record_goes

    study_paths = list(args.with_)
    if study_paths:
        from walt_alliances.records.validate import validate_paths

        rs = validate_paths([Path(p) for p in study_paths])
    else:
        from walt_alliances.records.load import load_recordset

        rs = load_recordset()
    try:
        table, rec = find_record(rs, args.id)
    except KeyError as exc:
        raise _UsageError(str(exc.args[0])) from None
    text = record_yaml(table, rec)
    if args.yaml:
        sys.stdout.write(text)
        return 0
    print(f"# {table} record {args.id!r}; to recode it, copy this into "
          f"<your folder>/{where_record_goes(table, args.id)}, edit it, list the id under "
          "`overrides:` in <your folder>/extension.yaml with a reason, then run "
          "`walt-alliances validate <your folder>` and `walt-alliances reproduce --with "
          "<your folder> --out OUT`")
    sys.stdout.write(text)
    return 0


def _add_with(sp: argparse.ArgumentParser, external: bool = True) -> None:
    sp.add_argument("--with", dest="with_", action="append", default=[], metavar="DIR",
                    help="your records (an extension or additions) to layer on the shipped "
                    "data first (repeatable)")
    if external:
        sp.add_argument("--external-dir", default=None, metavar="DIR",
                        help="build the measures for --with from the raw datasets in DIR "
                        "instead of the tables shipped in the package (to rebuild and verify)")


def _add_mkdir(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--mkdir", action="store_true",
                    help="create missing folders of the output path (else a missing folder is "
                    "an error)")


class _VersionAction(argparse.Action):
    """``--version``: the package version, looked up only when asked (importlib.metadata)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "show the version and exit"
                 ) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from walt_alliances import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``walt-alliances`` command."""
    p = argparse.ArgumentParser(
        prog="walt-alliances",
        description="Walt's The Origins of Alliances (1987) as data and code: a sourced dataset "
        "of Middle East alignments 1955-1979, measures, panels and tests of the five hypotheses.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, fn: Callable[[argparse.Namespace], int], help: str,
            description: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=description,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        sp.set_defaults(func=fn)
        return sp

    sp = add("validate", cmd_validate, "check records; report every problem, exit 1 on any",
             "Check records against the schema and the rules across records (unique ids, dates "
             "in order, members existing on every day of membership, actors and citation keys "
             "resolving). Every problem is reported with its file, record, line and field; the "
             "exit code is 1 if there is any. Nothing is written.\n\n"
             "With no PATH: ./datasets when run in a checkout, else the shipped records. A folder "
             "with a dataset.yaml is a complete dataset, checked on its own; any other folder or "
             "file holds additions, checked layered on the shipped records.")
    sp.add_argument("paths", nargs="*", metavar="PATH",
                    help="records folder(s) laid out like datasets/, or single record files")
    sp = add("build", cmd_build, "compile records into data tables (developers; or --data-dir)",
             "Validate the source records and write the compiled data (tables, records.json, "
             "references.bib, datapackage.json). Nothing is written if any record is invalid. "
             "Without --data-dir it writes walt_alliances/data/ of a development checkout; it "
             "never writes into an installed package (use your records with --with, or name a "
             "folder with --data-dir).")
    sp.add_argument("--source", default="datasets", help="source records (default: datasets)")
    sp.add_argument("--data-dir", default=None,
                    help="output folder (default: the checkout's walt_alliances/data)")
    _add_mkdir(sp)
    sp = add("export", cmd_export, "write every table (CSV, Parquet or Stata) + datapackage.json",
             "Write every table (the records and the state-year and dyad-year measures) for R, "
             "Stata and other tools, with a Frictionless datapackage.json giving field "
             "descriptions, sha256 and row counts. In CSV, dates are ISO strings at their "
             "stated precision and list cells are ';'-separated; Stata files carry variable "
             "labels from the codebook.")
    sp.add_argument("--out", required=True,
                    help="destination folder (created if its parent exists)")
    sp.add_argument("--format", choices=("csv", "parquet", "stata"), default="csv",
                    help="csv (default), parquet (dtypes kept), or stata (.dta with variable "
                    "and value labels)")
    sp.add_argument("--panel", action="store_true",
                    help="also write the analysis panel (directed dyad-years over the study's "
                    "period with every measure) as panel_directed_dyad_year.<ext>")
    _add_with(sp)
    _add_mkdir(sp)
    sp = add("codebook", cmd_codebook, "regenerate datasets/CODEBOOK.md from the schema",
             "Generate the codebook from the schema's field descriptions, the table "
             "specifications and the vocabularies.")
    sp.add_argument("--out", default="datasets/CODEBOOK.md")
    sp.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    sp = add("info", cmd_info, "data version, tables, row counts and hashes",
             "Print the package version, the data version (bumped on every recode; see "
             "CHANGELOG.md), which data are used (shipped, or modified with --with: the sha256 "
             "of the records used), and each shipped table's row count and sha256, as recorded "
             "in the shipped datapackage.json. Use it to state exactly which data a result was "
             "computed on.")
    _add_with(sp, external=False)
    sp = add("cite", cmd_cite, "how to cite the package, the book and the data",
             "Print the citation of the package and of the works the data rest on.")
    sp.add_argument("--format", choices=("text", "bibtex"), default="text")
    sp.add_argument("--all", action="store_true", help="every source cited in the records")
    sp = add("crosscheck", cmd_crosscheck, "compare the records with ATOP 5.1; exit 1 on gaps",
             "Every ATOP alliance in force 1955-1979 with a member among the study's actors "
             "must be linked to a record (crosswalk.atop) or excluded with a reason "
             "(datasets/atop_exclusions.yaml). For linked alliances each member's start and end "
             "are compared with ATOP's; a difference over 31 days must be explained in the "
             "record's date_notes. Prints the coverage; exit code 1 on anything unexplained.")
    sp.add_argument("dataset", choices=("atop",), help="the dataset to compare with")
    sp.add_argument("--atop-dir", required=True,
                    help="folder with ATOP 5.1's atop5_1m.csv (e.g. ../shared/external/atop)")
    sp.add_argument("--source", default=None,
                    help="check a records folder (e.g. datasets) instead of the shipped data")
    sp.add_argument("--csv", default=None, metavar="DIR",
                    help="also write the per-alliance and per-date tables as CSV here")
    sp = add("panel", cmd_panel, "write an analysis panel with every measure (CSV or Parquet)",
             "Build a directed or non-directed dyad-year panel, or a state-year panel, for any "
             "actors and years, with alignment status (aligned, onset, by kind) and every "
             "measure: capabilities, proximity, conflict, threat, ideology, aid, penetration. "
             "Part-year rule: an actor exists, and a pair is aligned, in a year if on any day of "
             "it. Measures are missing outside their coverage (see the codebook).\n\n"
             "example: walt-alliances panel --unit directed-dyad-year --start 1955 --end 1979 "
             "--ccodes 2,365,651,652,663 --out panel.parquet")
    sp.add_argument("--unit", required=True,
                    choices=("directed-dyad-year", "dyad-year", "state-year"))
    sp.add_argument("--start", type=int, default=1955, help="first year (default 1955)")
    sp.add_argument("--end", type=int, default=1979, help="last year (default 1979)")
    sp.add_argument("--ccodes", default=None, help="comma-separated COW codes (default: all)")
    sp.add_argument("--actors", default=None,
                    help="comma-separated actor ids, e.g. PLO,EGY (default: all in scope)")
    sp.add_argument("--out", required=True,
                    help="output file: .csv, .parquet (dtypes kept) or .dta (Stata)")
    sp.add_argument("--source", default=None, help=argparse.SUPPRESS)
    sp.add_argument("--quiet", action="store_true", help="no notes on stderr")
    _add_with(sp)
    _add_mkdir(sp)
    sp = add("hypotheses", cmd_hypotheses, "test Walt's five hypotheses (logit); write results",
             "Fit every hypothesis specification (H1-H5 with one pre-declared key term each, "
             "a descriptive prevalence model, balance of power against balance of threat): "
             "alignment onset on non-directed dyad-years, accession on directed dyad-years, "
             "pairs at risk only if not aligned in the year before, duration terms; logit on "
             "statsmodels (Firth's where separation is detected); dyadic-robust variance with "
             "dyad-clustered, two-way, actor jackknife and wild actor bootstrap beside it; "
             "Holm-adjusted verdicts. Writes results.csv, verdicts.csv, predictions.csv, "
             "comparison.csv, specification_curve.csv, influence.csv, influence_all.csv and "
             "summary.md; then the designs matched to each hypothesis (partner choice, "
             "BoP vs BoT with out-of-sample scores, ideology and duration, aid timing, "
             "penetration instruments, multilateral weights, coding uncertainty), whose rows "
             "are appended to results.csv, with prediction.csv, uncertainty.csv and "
             "design_*.csv beside (--no-designs skips them; `walt-alliances designs` runs "
             "them alone, with the Gulf hold-out). Progress goes to stderr; the run is "
             "deterministic.")
    sp.add_argument("--out", required=True, help="output folder")
    sp.add_argument("--save-samples", action="store_true",
                    help="also write samples/<model_id>.csv: the exact estimation samples")
    sp.add_argument("--no-designs", action="store_true",
                    help="fit the logit tests only, not the designs of issue 12")
    sp.add_argument("--draws", type=int, default=200,
                    help="coding-uncertainty resamples for the designs (default 200)")
    sp.add_argument("--no-robustness", action="store_true",
                    help="skip the specification curve and the leave-one-out influence")
    sp.add_argument("--quiet", action="store_true", help="no progress or summary")
    sp.add_argument("--source", default=None, help=argparse.SUPPRESS)
    _add_with(sp)
    _add_mkdir(sp)
    sp = add("designs", cmd_designs, "partner choice, BoP vs BoT prediction, duration, aid timing",
             "Run the designs matched to each hypothesis: partner choice (conditional logit), "
             "balance of power against balance of threat (Vuong; out-of-sample AUC, Brier and log "
             "scores), ideology on onset and alignment duration (Cox), aid timing (event study, "
             "cross-lagged), penetration instruments, multilateral weights and coding "
             "uncertainty. Writes design_results.csv (the columns of results.csv), "
             "prediction.csv, uncertainty.csv, design_comparison.csv, design_events.csv, "
             "design_readings.csv and design_summary.md. Deterministic (seeded resamples).\n\n"
             "example: walt-alliances designs --gulf datasets/extensions/gulf-1979-1990 --out d/")
    sp.add_argument("--out", required=True, help="output folder")
    sp.add_argument("--gulf", default=None, metavar="DIR",
                    help="the Gulf 1979-1990 extension: a true hold-out for the predictions")
    sp.add_argument("--external-dir", default=None,
                    help="raw datasets folder for the extension's measures (default: "
                    "WALT_EXTERNAL_DIR or ../shared/external)")
    sp.add_argument("--draws", type=int, default=200,
                    help="coding-uncertainty resamples (default 200; 0 skips them)")
    sp.add_argument("--workers", type=int, default=1,
                    help="processes for the resamples (default 1; same output for any number)")
    sp.add_argument("--no-outside", action="store_true",
                    help="skip the threats of states outside the study (needs the raw datasets)")
    sp.add_argument("--save-samples", action="store_true",
                    help="also write samples/<model_id>.csv: the exact estimation samples")
    sp.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sp.add_argument("--source", default=None, help=argparse.SUPPRESS)
    sp = add("reproduce", cmd_reproduce, "the main job: every table, test and figure in one report",
             "Run the whole study: the book's tables from the data (with the comparison to the "
             "book's published figures, which stay 'not transcribed' until someone with the "
             "book enters them), the hypothesis tests with robustness checks, and the figures; "
             "write report.html (self-contained), report.md, every table and result as CSV, "
             "and manifest.json (versions, sha256 of every output). Deterministic: two runs "
             "give byte-identical files. With --with, your records (an extension or additions) "
             "are validated and merged first; measures for new states or years are built from "
             "the whole-system source tables shipped in the package (offline), or from raw "
             "files with --external-dir. Hand-coded tables that end before the period are "
             "listed at the start.\n\n"
             "example: walt-alliances reproduce --out report/\n"
             "example: walt-alliances reproduce --with datasets/extensions/gulf-1979-1990 "
             "--out report-1990/")
    sp.add_argument("--out", required=True,
                    help="output folder (created if its parent exists)")
    _add_with(sp)
    _add_mkdir(sp)
    sp.add_argument("--no-hypotheses", action="store_true", help="skip the hypothesis tests")
    sp.add_argument("--no-robustness", action="store_true",
                    help="skip the robustness variants (faster)")
    sp.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sp = add("list", cmd_list, "the alignments: years, members, threats, motives",
             "An Appendix 1 style listing of the coded alignments (the project's codings).")
    sp.add_argument("--csv", action="store_true", help="CSV on stdout instead of a table")
    sp.add_argument("--quiet", action="store_true", help="no notes on stderr")
    _add_with(sp, external=False)
    sp = add("show", cmd_show, "print a record (as YAML), ready to copy into an override",
             "Print one record (an alignment, actor, hostile act, penetration episode, Soviet "
             "aid record, ATOP exclusion or excluded event) by its id, in the YAML layout of "
             "datasets/, to start an override in your own folder.\n\n"
             "example: walt-alliances show baghdad-pact --yaml > mine/alignments/baghdad-pact.yaml")
    sp.add_argument("id", help="the record's id (e.g. an alignment_id; see walt-alliances list)")
    sp.add_argument("--yaml", action="store_true", help="only the YAML (no instructions)")
    sp.add_argument("--with", dest="with_", action="append", default=[], metavar="DIR",
                    help="look in these records too (layered on the shipped data)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from walt_alliances.errors import WaltError

    try:
        return int(args.func(args))
    except (WaltError, _UsageError) as exc:
        return _print_problems(exc)
    except BrokenPipeError:  # the reader went away (``walt-alliances list | head``): stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that flushing at exit does not fail again
        return 0
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
