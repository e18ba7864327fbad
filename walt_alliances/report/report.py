"""The reproduction report: results first, then figures, the book's tables and appendices.

``reproduce`` computes everything and ``write_report`` writes it: one self-contained HTML
file (CSS inline, figures embedded, no script), the same report as Markdown with the figures as
files beside it, every table as CSV, and ``manifest.json`` (package and data versions, seeds,
Python and library versions, and the sha256 of every output; no timestamps, no absolute paths).
Two runs on the same data give byte-identical files.

The document opens with the hypothesis tests, one row per hypothesis and design (statement,
measure, design, expected sign, key effect with its 95% interval, n, events, clusters, verdict,
range over the specification curve), then balance of power against balance of threat, then
what does not hold and why. It is built as a document model (``build_document``) and
rendered by Jinja2 templates (:mod:`walt_alliances.report.render`). Numbers are rounded for
reading (:mod:`walt_alliances.report.fmt`); the CSV files keep full precision.

The report says plainly whose each number is: the tables, figures and estimates are **ours**
(computed from the project's codings); a value is Walt's (1987) only in the published
comparison and only where its status is ``transcribed`` or ``verified``; everything else there
is marked ``not transcribed``.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import inspect
import json
import os
import platform
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from walt_alliances._io import (
    atomic_write_bytes,
    check_folder,
    csv_bytes,
    json_marker,
    write_folder,
)

from .fmt import fmt_int, fmt_num, fmt_or, fmt_p, fmt_pct, humanize, is_missing
from .progress import Progress
from .render import clean_markup, markdown_table, render_html, render_markdown
from .summary import (
    RESULTS_COLUMNS,
    AnalysisOutputs,
    bop_bot_in_sample,
    default_rows,
    headline,
    influence_table,
    missing_columns,
    or_interval,
    prediction_table,
)

__all__ = [
    "APPENDIX_ROWS",
    "MAIN_ROWS",
    "build_document",
    "environment",
    "reproduce",
    "verdict_changes",
    "write_report",
    "write_table",
]

#: Longest cell shown in the report's tables (the CSV files keep every character).
MAX_CELL = 160
#: Tables longer than this go to an appendix (the main text links to it).
MAIN_ROWS = 25
#: Rows of a long table shown in its appendix; the rest are in its CSV file (linked).
APPENDIX_ROWS = 40
_LIBRARIES = ("pandas", "numpy", "pyarrow", "pydantic", "statsmodels", "scipy", "matplotlib",
              "PyYAML", "Jinja2", "markdown-it-py")
_OURS = ("**Whose numbers are these?** Every table, figure and estimate in this report is "
         "**ours**: computed from the walt_alliances project's own codings of the alignments "
         "(made by Walt's stated definitions, with sources and rationale). None of them is a "
         "figure from Walt (1987). The book's values appear only in the section *Published "
         "comparison*, and only for cells whose status is `transcribed` or `verified`; cells "
         "marked `not transcribed` have no book value yet.")
_OURS_TABLE = ("**Whose numbers are these?** Every value in this table is **ours**: computed "
               "from the walt_alliances project's own codings, not a figure from Walt (1987). "
               "Book values, once someone with the book transcribes them, live in "
               "`analyses/published/` and are compared in the reproduction report.")
_SE_WORDS = {"dyadic": "dyadic-robust (Aronow, Samii & Assenova 2015)",
             "cluster_dyad": "clustered by dyad (CR1)",
             "twoway": "two-way clustered by the two actors",
             "jackknife_actor": "actor jackknife", "wild_actor": "wild bootstrap by actor"}
_VCLASS = {"supported": "v-supported", "contradicted": "v-contradicted"}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_\-]+", "_", name.lower()).strip("_") or "item"


def _anchor(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "item"


def _is_svg(data: bytes) -> bool:
    head = data[:200].lstrip()
    return head.startswith(b"<?xml") or head.startswith(b"<svg")


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    return (0, 0)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------
# Tables formatted for reading
# --------------------------------------------------------------------------------------------

#: Book-table columns that hold percents (0-100); other ``share`` columns hold fractions.
_PERCENT_COLUMNS = frozenset({"share", "share_of_threats"})
#: Columns whose text is an identifier, shown as it is (not turned into words).
_RAW_TEXT = frozenset({"term", "model_id", "model", "variant", "dropped", "row_key",
                       "column_key", "alignments", "members", "cases"})


def _is_share(col: str) -> bool:
    return "share" in col or col.endswith("_pct") or "percent" in col


def _cell(value: Any, col: str) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value)) if col == "year" else fmt_int(value)
    if isinstance(value, (float, np.floating)):
        if _is_share(col):
            return fmt_pct(value, scale=1 if col in _PERCENT_COLUMNS else 100)
        if col == "year" and float(value).is_integer():
            return str(int(value))
        if col in ("p", "p_holm") or "p_value" in col or col.startswith("p_"):
            return fmt_p(value)
        return fmt_num(value)
    raw = col in _RAW_TEXT or col.endswith("_id") or col.endswith("_ids")
    text = " ".join((str(value) if raw else humanize(value)).split())
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "\u2026"
    return text


def _numeric(s: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s))


def table_model(df: pd.DataFrame, title: str, anchor: str, csv: str | None = None,
                max_rows: int | None = None) -> dict[str, Any]:
    """A frame as the template's table: headings, cells formatted for reading, a CSV link.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (full precision).
    title : str
        Its heading (the HTML ``caption``).
    anchor : str
        Its ``id`` in the document.
    csv : str, optional
        Relative path of the CSV file with every row and full precision.
    max_rows : int, optional
        Show at most this many rows; the rest are counted and linked to the CSV.

    Returns
    -------
    dict
        ``id``, ``title``, ``columns``, ``numeric`` (right-aligned columns), ``rows`` and
        ``more`` (a sentence on rows left out, or None).
    """
    df = df.drop(columns=["coded_by"], errors="ignore")
    shown = df if max_rows is None else df.head(max_rows)
    cols = [str(c) for c in df.columns]
    rows = [[_cell(v, c) for v, c in zip(r, cols, strict=True)]
            for r in shown.itertuples(index=False)]
    more = None
    if len(shown) < len(df):
        more = (f"{len(df) - len(shown)} more rows (of {len(df)}) in "
                f"[{csv}]({csv}).") if csv else f"{len(df) - len(shown)} more rows."
    elif csv:
        more = f"File: [{csv}]({csv})."
    return {"id": anchor, "title": title, "wide": len(cols) > 10,
            "columns": [c.replace("_", " ") for c in cols],
            "numeric": [_numeric(df[c]) for c in df.columns], "rows": rows, "more": more}


def _comparison_summary(comp: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for tid, g in comp.groupby("table_id", sort=False):
        st = g["status"].astype(str)
        done = st.isin(["transcribed", "verified"])
        eq = g.loc[done, "equal_at_printed_precision"]
        rows.append({"table_id": tid, "cells": len(g),
                     "not_transcribed": int((st == "not transcribed").sum()),
                     "no_published_cell": int((st == "no published cell").sum()),
                     "transcribed": int((st == "transcribed").sum()),
                     "verified": int((st == "verified").sum()),
                     "equal": int((eq == True).sum()),  # noqa: E712 - nullable boolean
                     "different": int((eq == False).sum()),  # noqa: E712
                     "not_in_our_table": int((st == "not in our table").sum())})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# The document model
# --------------------------------------------------------------------------------------------

_HEADLINE_COLUMNS = ["design", "measure", "expected sign", "effect (AME, 95% CI)",
                     "odds ratio per SD (95% CI)", "p (Holm)", "n / events / clusters",
                     "verdict", "over the specification curve"]


def _notrun(text: str) -> dict[str, Any]:
    return {"kind": "notrun", "text": text}


def _no_ratio(r: Mapping[str, Any]) -> str:
    """The cell of a key term without an odds ratio per SD: its coefficient, and why."""
    est = str(r.get("estimate") or "")
    if not est or "nan" in est:
        return "not estimated"
    if "logit" in str(r.get("design", "")):
        return f"log-odds coefficient {est} (no SD to scale by)"
    return f"no odds ratio (linear model): coefficient {est}"


def _headline_block(head: pd.DataFrame, *, title: str = "Table 1. Walt's hypotheses: key "
                    "effect, uncertainty and verdict by design", anchor: str = "table-headline",
                    drop_empty: bool = False) -> dict[str, Any]:
    groups = []
    for hyp, g in head.groupby("hypothesis", sort=False):
        statement = next((s for s in g["statement"] if s), "")
        rows = []
        for r in g.to_dict("records"):
            measure = f"`{r['measure']}`"
            rows.append({"design": f"{r['design']} (`{r['model_id']}`)", "measure": measure,
                         "expected sign": r["expected"],
                         "effect (AME, 95% CI)": r["effect"] or "not estimated",
                         "odds ratio per SD (95% CI)": r["odds_ratio"] or _no_ratio(r),
                         "p (Holm)": r["p_holm"] or "n/a",
                         "n / events / clusters": " / ".join(
                             x or "?" for x in (r["n"], r["events"], r["clusters"])),
                         "verdict": r["verdict"],
                         "over the specification curve": r["curve"] or "not run",
                         "_vclass": _VCLASS.get(r["verdict"], "v-none")})
        groups.append({"hypothesis": hyp, "statement": statement, "rows": rows})
    se = sorted({s for s in head["se_type"] if s})
    se_text = ", ".join(_SE_WORDS.get(s, s) for s in se) or "as reported"
    more = ("*Effect*: average marginal effect on the yearly probability, in percentage points "
            "(pp): for a 0/1 key term the average change from 0 to 1, otherwise per unit of "
            "the term; its interval is the delta method's under the same variance, so it can "
            "include 0 when the coefficient's test (p) does not, and the reverse. *Odds ratio "
            "per SD*: the odds multiply by this for one standard deviation more of the key "
            "term (1 = no effect); for a rare 0/1 term one SD is a small step, so this ratio "
            "is much closer to 1 than the ratio for 0 to 1 (exp of the log-odds estimate in "
            "results.csv). Intervals are 95%; p is Holm-adjusted over "
            f"the key tests; variance: {se_text}, t reference on G\u22121 degrees of freedom. "
            "Full precision and every variance type: [hypotheses/results.csv]"
            "(hypotheses/results.csv); all terms: [Appendix A](#appendix-coefficients).")
    columns = list(_HEADLINE_COLUMNS)
    if drop_empty:  # columns no row fills (designs without AMEs or a specification curve)
        for c, empty in (("effect (AME, 95% CI)", "not estimated"),
                         ("over the specification curve", "not run")):
            if all(r[c] == empty for g in groups for r in g["rows"]):
                columns.remove(c)
        more = ("Odds ratios per SD with 95% intervals; p Holm-adjusted within each design's "
                "family of key tests; the variance of each design is in "
                "[hypotheses/results.csv](hypotheses/results.csv) (`se_type`).")
    return {"kind": "headline", "id": anchor, "title": title, "columns": columns,
            "numeric": ["p (Holm)", "n / events / clusters"], "groups": groups, "more": more}


def _results_section(an: AnalysisOutputs | None, hyp_note: str,
                     des_note: str = "") -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"kind": "p", "text": (
        "What Walt claimed (each hypothesis in our words, not a quotation), how we tested it on "
        "the project's data, what we found and how sure we are. The verdict is *supported* "
        "or *contradicted* only when the Holm-adjusted p is below 0.05 with the expected or "
        "the opposite sign; otherwise there is no evidence either way.")}]
    if an is None or an.results is None:
        blocks.append(_notrun(hyp_note or "The hypothesis tests did not run, so there are no "
                              "estimates to show."))
        return {"id": "results", "title": "Results: Walt's hypotheses tested", "blocks": blocks}
    head = headline(an, primary=True)
    if head is None or head.empty:
        miss = missing_columns(an.results, [c for c in RESULTS_COLUMNS if c in (
            "model_id", "hypothesis", "term", "key_term", "estimate", "ci_low", "ci_high")])
        blocks.append(_notrun("The hypothesis results have no key terms to show"
                              + (f" (missing columns: {', '.join(miss)})." if miss else ".")
                              + " The full table is in Appendix A."))
    else:
        blocks.append(_headline_block(head))
        ver = an.extra.get("verdicts")
        if ver is not None and "note" in ver.columns:
            noted = [(str(h), str(n)) for h, n in zip(ver["hypothesis"], ver["note"],
                                                      strict=True)
                     if isinstance(n, str) and n.strip()]
            if noted:
                blocks.append({"kind": "note", "text": (
                    "Why some cells read n/a: " + "; ".join(f"**{h}**: {n}" for h, n in noted)
                    + ". Its verdict is then *no evidence either way* by construction, not a "
                    "test; the other variance types are in "
                    "[hypotheses/results.csv](hypotheses/results.csv) and the specification "
                    "curve.")})
    more = headline(an, primary=False) if an.primary else None
    blocks.append({"kind": "h3", "id": "designs",
                   "title": "Designs matched to each hypothesis"})
    if more is None or more.empty:
        blocks.append(_notrun(des_note or "No further designs (partner choice, duration, "
                              "aid timing, penetration instruments) were produced."))
    else:
        blocks.append({"kind": "p", "text": (
            "Each hypothesis tested again with the design that can tell it apart from its "
            "rival: partner choice (conditional logit over potential partners), duration of "
            "alignments (hazard model), timing of aid and penetration instruments.")})
        blocks.append(_headline_block(
            more, title="Table 1b. The designs matched to each hypothesis: key terms",
            anchor="table-designs", drop_empty=True))
    readings = an.extra.get("design_readings")
    if readings is not None and len(readings):
        blocks += [{"kind": "p", "text": "**What the designs say, in plain words** (one line "
                    "per design; the figures behind each are in the tables of this report and "
                    "in [hypotheses/results.csv](hypotheses/results.csv)):"},
                   {"kind": "list", "items": [f"**{r.design}.** {r.reading}" for r in
                                              readings.itertuples(index=False)]}]
    return {"id": "results", "title": "Results: Walt's hypotheses tested", "blocks": blocks}


def _bop_bot_section(an: AnalysisOutputs | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"kind": "p", "text": (
        "Balance of power says states align against the strongest state; balance of threat "
        "says against the most threatening one (power, proximity, offensive power and "
        "intentions together). In sample the two are compared by their fit; out of sample by "
        "how well each predicts alignments it was not fitted on, against two baselines "
        "(controls only; last year's alignment).")}]
    if an is not None and an.results is not None and "model_id" in an.results and \
            an.results["model_id"].astype(str).str.endswith("_ext").any():
        readings = an.extra.get("design_readings")
        counts = "" if readings is None or "model_id" not in readings else " ".join(
            str(x) for x in readings.loc[readings["model_id"] == "threat_sources_ext",
                                         "reading"])
        blocks.append({"kind": "p", "text": (
            "With and without non-state actors and outside threats: the rows and models marked "
            "*ext* let states outside the study (India, China, Greece, Cyprus, Ethiopia, "
            "Afghanistan, Spain; their threats built from the shipped source tables) and "
            "non-state actors "
            "(their coded hostile acts, with no capabilities or capital: power, proximity and "
            "offense count 0) be the shared threat, for the threat calculation only: they are "
            "never members of a pair. The unmarked rows are the main results, unchanged. Like "
            "the main models, the *ext* ones are scored on the Gulf 1979-1990 hold-out only "
            "when the designs are given that study (`walt-alliances designs --gulf`); the "
            "duration model with the "
            "common threat so measured is `h3_duration_pair_alignment_ext` in Table 1b."
            + (f" {counts}" if counts else ""))})
    ins = None if an is None else bop_bot_in_sample(an)
    blocks.append({"kind": "h3", "id": "bop-bot-in-sample", "title": "In sample"})
    if ins is not None and not ins["key_terms"].astype(bool).any():
        ins = ins.drop(columns=["key_terms"])
    if an is not None and an.extra.get("comparison") is not None:
        pass  # the analysis layer's own comparison (below) has the same fit statistics
    elif ins is None:
        blocks.append(_notrun("No balance-of-power or balance-of-threat model is in the "
                              "results."))
    else:
        blocks.append({"kind": "table", "table": table_model(
            ins, "Table 2. Balance of power against balance of threat, in sample",
            "table-bop-bot")})
    for key, title, note in (
            ("comparison", "Table 2. Nested comparison on one row per pair (likelihood ratio)",
             "Balance of power nested in balance of threat, fitted on the same sample."),
            ("designs_comparison", "Table 3. Non-nested comparison (Vuong test)",
             "Balance of power and balance of threat redefined (the strongest state against "
             "the most threatening state), compared by the Vuong test.")):
        frame = None if an is None else an.extra.get(key)
        if frame is not None and len(frame):
            blocks += [{"kind": "p", "text": note},
                       {"kind": "table", "table": table_model(
                           frame, title, f"table-{_anchor(key)}",
                           csv=f"hypotheses/{key}.csv")}]
    blocks.append({"kind": "h3", "id": "bop-bot-out-of-sample", "title": "Out of sample"})
    pred = None if an is None else prediction_table(an)
    if pred is None:
        blocks.append(_notrun("No out-of-sample evaluation was produced "
                              "(`prediction.csv` is absent)."))
    else:
        t = table_model(pred, "Table 4. Out-of-sample scores against the baselines",
                        "table-prediction", csv="hypotheses/prediction.csv")
        t["numeric"] = [c not in ("outcome", "model") for c in pred.columns]
        t["columns"] = list(pred.columns)
        blocks.append({"kind": "table", "table": t})
        blocks.append({"kind": "p", "text": (
            "AUC: higher is better (0.5 = chance). Brier score: lower is better. Log score "
            "(mean log predictive probability of what happened): higher is better, at most 0. "
            "*controls*: distance and contiguity only; *lag*: last year's alignment.")})
    return {"id": "bop-bot", "title": "Balance of power against balance of threat",
            "blocks": blocks}


def _not_holding_section(an: AnalysisOutputs | None, names: Mapping[str, str]
                         ) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    head = None if an is None else headline(an, primary=True)
    designs = None if an is None or not an.primary else headline(an, primary=False)
    if designs is not None and len(designs):  # designs that go against their hypothesis
        designs = designs[designs["verdict"] == "contradicted"]
        head = designs if head is None else pd.concat([head, designs], ignore_index=True)
    if head is not None and len(head):
        weak = head[head["verdict"] != "supported"]
        items = [f"**{r.hypothesis}** ({r.design}, `{r.measure}`): {r.verdict or 'no verdict'}"
                 + (f"; key effect {r.odds_ratio} per SD" if r.odds_ratio else "")
                 + (f", p (Holm) {r.p_holm}" if r.p_holm else "") + "."
                 for r in weak.itertuples(index=False)]
        if items:
            blocks += [{"kind": "p", "text": "Main tests without support for their "
                        "hypothesis, and designs that contradict theirs:"},
                       {"kind": "list", "items": items}]
        else:
            blocks.append({"kind": "p", "text": "Every key test supports its hypothesis."})
    inf = None if an is None else influence_table(an, names)
    blocks.append({"kind": "h3", "id": "influential-units",
                   "title": "Alignments and actors that change a verdict"})
    if inf is None:
        blocks.append(_notrun("No leave-one-out influence analysis was produced "
                              "(`influence.csv` is absent)."))
    elif inf.empty:
        blocks.append({"kind": "p", "text": "Dropping any single alignment or actor leaves "
                       "every verdict as it is."})
    else:
        blocks.append({"kind": "p", "text": (
            "Each row: the verdict of a key test when one alignment (or actor) is left out, "
            "against the verdict with all of them. A verdict that rests on one alignment "
            "is fragile.")})
        blocks.append({"kind": "table", "table": table_model(
            inf, "Table 5. Units whose removal changes a verdict", "table-influence",
            csv="hypotheses/influence.csv", max_rows=MAIN_ROWS)})
    return {"id": "not-holding", "title": "What does not hold, and why", "blocks": blocks}


def _robustness_section(an: AnalysisOutputs | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    unc = None if an is None else an.uncertainty
    if unc is None:
        blocks.append(_notrun("No coding-uncertainty resampling was produced "
                              "(`uncertainty.csv` is absent)."))
    else:
        blocks.append({"kind": "p", "text": (
            "The spread of each key estimate (log-odds; the duration terms: log hazard "
            "ratios) when codings are dropped by their confidence, and over every "
            "threat-index specification: 2.5%, 50% and 97.5% quantiles, and "
            "`share_same_sign`, the share of draws whose estimate has the main estimate's "
            "sign. Each draw drops each low-confidence record with probability 0.5 and each "
            "medium one with 0.2, in three tables: alignments and hostile acts (a dropped one "
            "counts as absent) and regime spells (a dropped spell's family is unknown, so "
            "its pair-years leave the regime models). The 200 draws come in 20 blocks that "
            "share their hostile acts and regimes (redrawn per block; alignments per draw), "
            "so those two tables have 20 independent draws. Records are only ever dropped, "
            "never added or recoded, so this is a sensitivity to deletion, not a full "
            "measure of coding error; the aid and penetration codings (H4, H5) are not "
            "resampled. `draws` counts the draws in which the model's estimate exists "
            "(separated data are left out).")})
        blocks.append({"kind": "table", "table": table_model(
            unc, "Table 6. Coding uncertainty: spread of the key estimates",
            "table-uncertainty", csv="hypotheses/uncertainty.csv", max_rows=MAIN_ROWS)})
    curve = None if an is None else an.specification_curve
    if curve is None:
        blocks.append(_notrun("No specification curve was produced "
                              "(`specification_curve.csv` is absent)."))
    else:
        blocks.append({"kind": "p", "text": (
            f"The specification curve has {len(curve):,} variants (outcome and unit, variance "
            "type, threat specification, sample); its range per test is in Table 1 and "
            "Figure 3, every variant in "
            "[hypotheses/specification_curve.csv](hypotheses/specification_curve.csv).")})
    blocks += _reliability_blocks()
    return {"id": "robustness", "title": "How sure we are: coding uncertainty and variants",
            "blocks": blocks}


#: Fields of the blind second coding, as the report names them.
_RELIABILITY_FIELDS = (("primary_motive", "Primary motive of a member"),
                       ("threat_actor", "Threat actor named (member x actor)"),
                       ("components", "Threat components, all (shared threats)"))


def _reliability_blocks() -> list[dict[str, Any]]:
    """Inter-coder agreement of the shipped codings (blind second coding, issue 15)."""
    from walt_alliances.records.load import load_reliability

    rel = load_reliability()
    blocks: list[dict[str, Any]] = [{"kind": "h3", "id": "reliability",
                                     "title": "Coding reliability"}]
    if rel is None:
        return blocks + [_notrun("No inter-coder agreement ships with this data.")]
    ag = rel["agreement"]
    rows = [(label, ag[key]["n"], ag[key]["raw_agreement"], ag[key]["kappa"])
            for key, label in _RELIABILITY_FIELDS if key in ag]
    rows += [(f"Component: {name.replace('_', ' ')}", v["n"], v["raw_agreement"], v["kappa"])
             for name, v in sorted(ag.get("components_by_component", {}).items())]
    df = pd.DataFrame(rows, columns=["field", "units compared", "raw agreement",
                                     "Cohen's kappa"])
    cnt = ag.get("counts", {})
    blocks.append({"kind": "p", "text": (
        "A second coder who had not seen the codings coded the threats (actor and components) "
        "and the primary motive of a seeded random 20% of the shipped alignment records "
        f"({cnt.get('records', '?')} records, {cnt.get('members', '?')} members) from the same "
        "definitions and sources. The figures compare the two codings before the disagreements "
        "were settled in the records' notes (details in `datasets/README.md`). They describe "
        "the shipped codings, not codings an extension adds. Kappa is near zero for aggressive "
        "intentions only because both coders coded it for almost every threat, so chance "
        "agreement is already high.")})
    blocks.append({"kind": "table", "table": table_model(
        df, "Table 7. Inter-coder agreement (blind second coding)", "table-reliability")})
    return blocks


def _appendix_coefficients(an: AnalysisOutputs | None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"kind": "h3", "id": "appendix-coefficients",
                                     "title": "A. Every coefficient (default variance)"}]
    if an is None or an.results is None:
        return blocks + [_notrun("The hypothesis tests did not run.")]
    miss = missing_columns(an.results, ["model_id", "term", "estimate"])
    if miss:
        return blocks + [_notrun("The hypothesis results do not follow the contract (missing "
                                 f"columns: {', '.join(miss)}); they are in "
                                 "[hypotheses/results.csv](hypotheses/results.csv).")]
    res = default_rows(an.results)
    res = res[~res["term"].astype(str).isin(["const", "Intercept", "(Intercept)"])]
    rows = []
    for r in res.to_dict("records"):
        lo, hi = or_interval(r.get("estimate"), r.get("ci_low"), r.get("ci_high"),
                             r.get("or_per_sd"))
        key = r.get("key_term")
        rows.append({"model": r["model_id"], "term": r["term"],
                     "key": "key" if str(key).lower() in ("true", "1") else "",
                     "estimate (log-odds)": fmt_num(r.get("estimate")),
                     "SE": fmt_num(r.get("std_error")),
                     "variance": r.get("se_type", ""),
                     "p": fmt_p(r.get("p_value")),
                     "OR per SD": fmt_or(r.get("or_per_sd")),
                     "95% CI (OR per SD)": "" if np.isnan(lo) else
                     f"{fmt_or(lo)} to {fmt_or(hi)}"})
    df = pd.DataFrame(rows)
    t = table_model(df, "Table A. Coefficients of every model under the default variance",
                    "table-coefficients", csv="hypotheses/results.csv")
    t["columns"] = list(df.columns)
    t["numeric"] = [False, False, False, True, True, False, True, True, False]
    t["wide"] = True  # long identifiers: let them break rather than widen the page
    blocks.append({"kind": "table", "table": t})
    return blocks


def build_document(tables: Mapping[str, pd.DataFrame], analysis: AnalysisOutputs | None,
                   figures: list[dict[str, Any]], manifest: Mapping[str, Any], *,
                   comparison: pd.DataFrame | None = None,
                   titles: Mapping[str, str] | None = None,
                   notes: Mapping[str, str] | None = None,
                   names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The report as a document model (title, contents, sections of blocks) for the templates.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Our tables by name (shown in the book-tables section; long ones in an appendix).
    analysis : AnalysisOutputs or None
        The hypothesis tests' frames; None when they did not run.
    figures : list of dict
        Each with ``name``, ``title``, ``reading``, ``file`` and either ``src``/``width``/
        ``height`` (PNG) or ``svg``; or ``missing`` (why it was not drawn).
    manifest : mapping
        Versions; ``hypotheses.note`` says why the tests did not run.
    comparison : pandas.DataFrame, optional
        The published comparison.
    titles, notes : mapping of str to str, optional
        Title and note per table name.
    names : mapping of str to str, optional
        Alignment and actor ids to names (for the influence table).

    Returns
    -------
    dict
    """
    titles = dict(titles or {})
    notes = dict(notes or {})
    pkg = manifest.get("package", {})
    hyp_note = str(manifest.get("hypotheses", {}).get("note", ""))
    des_note = str(manifest.get("designs", {}).get("note", ""))
    results = _results_section(analysis, hyp_note, des_note)
    gaps = [str(n).removeprefix("coverage: ") for n in manifest.get("data_notes", []) or []
            if str(n).startswith("coverage:")]
    if gaps:  # said where the samples they shrink are shown, not only in About
        results["blocks"].insert(1, {"kind": "note", "text": (
            "**Coverage of the data given.** Some hand-coded tables end before this report's "
            "period, so the tests that need them use fewer years (compare the n of each "
            "row): " + "; ".join(gaps) + ".")})
    sections = [results, _bop_bot_section(analysis),
                _not_holding_section(analysis, names or {}), _robustness_section(analysis)]
    # figures
    fblocks: list[dict[str, Any]] = []
    for i, f in enumerate(figures, start=1):
        fid = f"figure-{_anchor(f['name'])}"
        if f.get("missing"):
            fblocks += [{"kind": "h3", "id": fid, "title": f"Figure {i}. {f['title']}",
                         "toc": f"Figure {i}. {f.get('short', f['title'])}"},
                        _notrun(f["missing"])]
            continue
        fblocks.append({"kind": "figure", "id": fid,
                        "title": f"Figure {i}. {f.get('short', f['title'])}",
                        "alt": f"{f['title']} (ours)", "reading": f["reading"],
                        "file": f["file"], "svg": f.get("svg"), "src": f.get("src"),
                        "width": f.get("width"), "height": f.get("height")})
    sections.append({"id": "figures", "title": "Figures", "blocks": fblocks or [
        {"kind": "p", "text": "No figures."}]})
    # the book's tables: short ones here, long ones in an appendix
    tblocks: list[dict[str, Any]] = [{"kind": "p", "text": (
        "The tables Walt's book reports, computed from our codings (values are ours; the "
        "book's values are compared in the next section). Tables longer than "
        f"{MAIN_ROWS} rows are in the appendices.")}]
    ablocks = _appendix_coefficients(analysis)
    letter = ord("B")
    for name, df in tables.items():
        title = clean_markup(titles.get(name, humanize(name)))
        csv = f"tables/{_slug(name)}.csv"
        note = clean_markup(notes.get(name, ""))
        if len(df) <= MAIN_ROWS:
            tblocks.append({"kind": "h3", "id": f"table-{_anchor(name)}", "title": title})
            if note:
                tblocks.append({"kind": "p", "text": note})
            tblocks.append({"kind": "table", "table": table_model(
                df, f"{title} ({len(df)} rows)", f"data-{_anchor(name)}", csv=csv)})
        else:
            aid = f"appendix-{_anchor(name)}"
            label = f"{chr(letter)}. {title}"
            tblocks += [{"kind": "h3", "id": f"table-{_anchor(name)}", "title": title},
                        {"kind": "p", "text": (f"{note} " if note else "") + (
                            f"{len(df):,} rows: in [Appendix {chr(letter)}](#{aid}) (first "
                            f"{min(APPENDIX_ROWS, len(df))} rows) and in full in "
                            f"[{csv}]({csv}).")}]
            ablocks += [{"kind": "h3", "id": aid, "title": label},
                        {"kind": "table", "table": table_model(
                            df, f"Table {chr(letter)}. {title}", f"data-{_anchor(name)}",
                            csv=csv, max_rows=APPENDIX_ROWS)}]
            letter += 1
    sections.append({"id": "book-tables", "title": "The book's tables, from our codings",
                     "blocks": tblocks})
    sections.append(_comparison_section(comparison))
    sections.append({"id": "appendices", "title": "Appendices", "blocks": ablocks})
    data_notes = [str(n) for n in manifest.get("data_notes", []) or []]
    about_notes: list[dict[str, Any]] = []
    if data_notes:
        about_notes = [{"kind": "p", "text": (
            "**The data given.** Notes on the records layered on the shipped data: what is "
            "coded only to an earlier year (and so missing later, which changes the samples "
            "of the tests that need it), what was replaced, and warnings:")},
            {"kind": "list", "items": [n.replace("|", "/") for n in data_notes]}]
    sections.append({"id": "about", "title": "About this report", "blocks": [
        {"kind": "note", "text": _OURS}, *about_notes,
        {"kind": "p", "text": (
            f"Package `{pkg.get('name', 'walt-alliances')}` {pkg.get('version') or '?'}, data "
            f"version {manifest.get('data_version', '?')}. Versions, seeds and the sha256 of "
            "every file are in [manifest.json](manifest.json); every table is also a CSV file "
            "in `tables/` and `hypotheses/`.")}]})
    toc = []
    for s in sections:
        children = [{"id": b["id"], "title": b.get("toc", b["title"])} for b in s["blocks"]
                    if b["kind"] in ("h3", "figure")]
        toc.append({"id": s["id"], "title": s["title"], "children": children})
    return {"title": "walt_alliances: Walt's theory of alliances re-tested on open data",
            "subtitle": _subtitle(manifest), "toc": toc, "sections": sections}


def _subtitle(manifest: Mapping[str, Any]) -> str:
    """The line under the title: the book, this report's period and data, and their origin."""
    period = "-".join(str(y)[:4] for y in manifest.get("period", []))
    head = ("Stephen M. Walt, *The Origins of Alliances* (1987), on the Middle East 1955-1979. "
            f"This report: {period}. Every number here is ours, computed from the project's "
            "codings, never a figure from the book ([why](#about)). ")
    origin = manifest.get("data")
    if isinstance(origin, Mapping) and origin.get("data") == "modified":
        folders = origin.get("records")
        where = ", ".join(f"`{f}`" for f in folders) if isinstance(folders, list) else \
            f"`{folders}`"
        sha = str(origin.get("records_sha256", ""))[:12]
        return head + (f"**Data: modified**: the shipped data version "
                       f"{origin.get('base_data_version', '?')} with the records in {where} "
                       f"(records sha256 {sha}...; see [About](#about) for what they change "
                       "and what they do not cover).")
    if isinstance(origin, str) and origin:
        return head + f"Data: {origin}."
    return head + f"Data: as shipped, version {manifest.get('data_version', '?')}."


def _comparison_section(comparison: pd.DataFrame | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    if comparison is None or comparison.empty:
        blocks.append({"kind": "p", "text": "No published table was compared."})
    else:
        summ = _comparison_summary(comparison)
        n_book = int(summ["transcribed"].sum() + summ["verified"].sum())
        blocks.append({"kind": "p", "text": (
            "Each cell of our tables beside the value printed in the book. **Book values: "
            f"{n_book} cells transcribed or verified.** `ours` is always the project's value; "
            "`published` holds a value from Walt (1987) only when its status is `transcribed` "
            "or `verified`. *not transcribed*: the book's value has not been entered (nobody "
            "on the project has the book yet). *no published cell*: a cell of ours with no "
            "entry in the published file. Counts are compared exactly, other numbers at the "
            "printed precision.")})
        blocks.append({"kind": "table", "table": table_model(
            summ, "Published comparison: cells by status and table", "table-comparison",
            csv="tables/published_comparison.csv")})
        done = comparison[comparison["status"].astype(str).isin(["transcribed", "verified"])]
        if len(done):
            blocks.append({"kind": "table", "table": table_model(
                done.drop(columns=["table_id"]), "Transcribed cells", "table-transcribed",
                csv="tables/published_comparison.csv", max_rows=APPENDIX_ROWS)})
        else:
            blocks.append({"kind": "p", "text": (
                "No cell is transcribed yet, so there is nothing to compare: every value in "
                "this report is ours. The full cell list is in "
                "[tables/published_comparison.csv](tables/published_comparison.csv).")})
    return {"id": "comparison", "title": "Published comparison", "blocks": blocks}


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def _as_outputs(analysis: Any) -> AnalysisOutputs | None:
    if analysis is None or isinstance(analysis, AnalysisOutputs):
        return analysis
    if isinstance(analysis, pd.DataFrame):
        return AnalysisOutputs(results=analysis)
    return AnalysisOutputs.from_object(analysis)


def write_report(out_dir: str | Path, tables: Mapping[str, pd.DataFrame],
                 analysis: AnalysisOutputs | pd.DataFrame | None,
                 figures: Mapping[str, bytes], manifest: Mapping[str, Any], *,
                 comparison: pd.DataFrame | None = None,
                 titles: Mapping[str, str] | None = None,
                 notes: Mapping[str, str] | None = None,
                 figure_info: Mapping[str, Mapping[str, str]] | None = None,
                 names: Mapping[str, str] | None = None,
                 extra_files: Mapping[str, bytes] | None = None) -> list[Path]:
    """Write the report (HTML and Markdown), every table as CSV, and ``manifest.json``.

    Parameters
    ----------
    out_dir : path-like
        Folder to write into. It is written whole: every file goes into a staging folder
        beside it, which then replaces it, so it holds exactly this run's files (those
        ``manifest.json`` lists). An existing folder must be empty or an earlier report.
    tables : mapping of str to pandas.DataFrame
        Our tables by name; each is written to ``tables/<name>.csv`` and shown in the report
        (long ones in an appendix). A table named ``published_comparison`` is used as
        ``comparison`` when that is None.
    analysis : AnalysisOutputs, pandas.DataFrame or None
        The hypothesis tests' frames (a bare frame is taken as ``results``); each is written
        to ``hypotheses/<name>.csv``. None when the tests did not run, which the report says.
    figures : mapping of str to bytes
        Figure name -> PNG or SVG bytes. Written to ``figures/<name>.png|svg``; the HTML embeds
        PNGs as base64 and SVGs inline.
    manifest : mapping
        Versions, seeds and anything else to record; ``outputs`` (sha256 and size of every
        other file written) is added. Must not hold timestamps or absolute paths.
    comparison : pandas.DataFrame, optional
        ``walt_alliances.tables.published.compare_all`` output.
    titles, notes : mapping of str to str, optional
        A title and a note (for example how the table is computed) per table name.
    figure_info : mapping of str to mapping, optional
        Per figure name: ``title`` (the finding), ``reading`` (one line in plain words), or
        ``missing`` (why it was not drawn: the report shows a *not run* note).
    names : mapping of str to str, optional
        Alignment and actor ids to their names.
    extra_files : mapping of str to bytes, optional
        Further files (relative path -> bytes); listed in the manifest like every other output.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``manifest.json`` last.

    Raises
    ------
    walt_alliances._io.UnsafeOutputError
        When ``out_dir`` holds files that are not an earlier report (nothing is written).
    """
    out = Path(out_dir)
    titles = dict(titles or {})
    info = {k: dict(v) for k, v in (figure_info or {}).items()}
    tables = dict(tables)
    if comparison is None and "published_comparison" in tables:
        comparison = tables.pop("published_comparison")
    an = _as_outputs(analysis)
    files: dict[str, bytes] = {}
    figs: list[dict[str, Any]] = []
    for name in dict.fromkeys([*figures, *info]):
        meta = info.get(name, {})
        title = meta.get("title") or titles.get("figure:" + name, humanize(name))
        short = meta.get("short") or humanize(name)
        if name not in figures:
            figs.append({"name": name, "title": title, "short": short,
                         "missing": meta.get("missing", "This figure was not drawn.")})
            continue
        data = figures[name]
        rel = f"figures/{_slug(name)}.{'svg' if _is_svg(data) else 'png'}"
        files[rel] = data
        fig: dict[str, Any] = {"name": name, "title": title, "short": short, "file": rel,
                               "reading": meta.get("reading", "")}
        if rel.endswith(".svg"):
            svg = data.decode("utf-8")
            fig["svg"] = svg[svg.index("<svg"):]
        else:
            w, h = _png_size(data)
            fig.update(src="data:image/png;base64," + base64.b64encode(data).decode("ascii"),
                       width=w * 2 // 3 or None, height=h * 2 // 3 or None)
        figs.append(fig)
    for name, df in tables.items():
        files[f"tables/{_slug(name)}.csv"] = csv_bytes(df)
    if comparison is not None:
        files["tables/published_comparison.csv"] = csv_bytes(comparison)
    if an is not None:
        for name in ("results", "specification_curve", "influence", "prediction",
                     "uncertainty"):
            frame = getattr(an, name)
            if frame is not None:
                files[f"hypotheses/{name}.csv"] = csv_bytes(frame)
        for name, frame in an.extra.items():
            files.setdefault(f"hypotheses/{name}.csv", csv_bytes(frame))
    files.update(extra_files or {})
    doc = build_document(tables, an, figs, manifest, comparison=comparison, titles=titles,
                         notes=notes, names=names)
    files["report.md"] = render_markdown(doc).encode("utf-8")
    files["report.html"] = render_html(doc).encode("utf-8")
    man = dict(manifest)
    man["outputs"] = {rel: {"sha256": _sha(data), "bytes": len(data)}
                      for rel, data in sorted(files.items())}
    files["manifest.json"] = (json.dumps(man, indent=2, sort_keys=True, ensure_ascii=False)
                              + "\n").encode("utf-8")
    # staged beside out_dir and swapped in whole: the folder holds exactly these files
    return write_folder(out, files, what="report", replaceable=REPORT_FOLDER)


#: An earlier report folder: it holds a manifest.json written by this package.
REPORT_FOLDER = json_marker(
    "manifest.json", lambda d: d.get("package", {}).get("name") == "walt-alliances")


def write_table(out_dir: str | Path, name: str, df: pd.DataFrame, title: str,
                table_id: str | None = None) -> list[Path]:
    """Write one table as ``<name>.csv`` and ``<name>.md`` (for the ``analyses/`` scripts).

    Parameters
    ----------
    out_dir : path-like
        Folder (created if needed).
    name : str
        File stem, e.g. ``table_appendix1``.
    df : pandas.DataFrame
        The table (a book table: its values are ours).
    title : str
        Heading of the Markdown file.
    table_id : str, optional
        The published table it corresponds to (``walt_alliances.tables.published.SPECS``):
        the Markdown then says how many of its cells are transcribed from the book.

    Returns
    -------
    list of pathlib.Path
        The two files.
    """
    out = Path(out_dir)
    md = [f"# {title}", "", "> " + _OURS_TABLE, ""]
    if table_id is not None:
        from walt_alliances.tables import published as pub

        comp = _comparison_summary(pub.compare(df, pub.load_published(table_id), table_id))
        done = int(comp["transcribed"].sum() + comp["verified"].sum())
        md += [f"Published table `{table_id}`: {done} cells transcribed from the book "
               f"(of {int(comp['cells'].sum())} compared); "
               + ("every value below is ours." if done == 0 else
                  f"{int(comp['different'].sum())} differ from ours (see "
                  "analyses/README.md, Discrepancies)."), ""]
    t = table_model(df, title, _anchor(name))
    md += [markdown_table(t["columns"], t["rows"], t["numeric"])]
    files = {out / f"{name}.csv": csv_bytes(df), out / f"{name}.md": "\n".join(md).encode()}
    for path, data in files.items():
        atomic_write_bytes(path, data)
    return list(files)


# --------------------------------------------------------------------------------------------
# Reproduce everything
# --------------------------------------------------------------------------------------------

def _version(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def environment() -> dict[str, Any]:
    """Python and library versions (no paths, no host names, no timestamps)."""
    return {"python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "libraries": {lib: _version(lib) for lib in _LIBRARIES}}


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0] if doc else ""


def verdict_changes(base: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Compare two verdict tables (shipped data against the data as given).

    Parameters
    ----------
    base, other : pandas.DataFrame
        Key-term rows of two runs (``model_id``, ``hypothesis``, ``term``,
        ``expected_sign``, ``estimate``, ``p_value``, ``n``, ``verdict``).

    Returns
    -------
    pandas.DataFrame
        One row per model and key term: estimate, p-value, n and verdict on each, and
        ``changed`` (True where the verdicts differ).
    """
    cols = ["model_id", "hypothesis", "term", "expected_sign", "estimate", "p_value", "n",
            "verdict"]
    merged = base[cols].merge(other[cols], on=["model_id", "hypothesis", "term",
                                               "expected_sign"],
                              how="outer", suffixes=("_shipped", "_given"), sort=False)
    merged["changed"] = merged["verdict_shipped"] != merged["verdict_given"]
    merged["coded_by"] = "ours"
    return merged.reset_index(drop=True)


def _verdict_rows(an: AnalysisOutputs | None, raw: Any) -> pd.DataFrame | None:
    """Key-term rows for :func:`verdict_changes` (from the contract, else ``verdicts``)."""
    if an is not None and an.results is not None and "key_term" in an.results.columns:
        from .summary import key_rows

        return key_rows(an.results)
    frame = getattr(raw, "verdicts", None)
    return frame if isinstance(frame, pd.DataFrame) else None


def _call(fn: Callable[..., Any], data_arg: Any, given: bool, is_book_data: bool,
          **options: Any) -> tuple[Any, bool]:
    """Call an analysis entry point with the options its signature accepts."""
    kwargs: dict[str, Any] = {}
    params = inspect.signature(fn).parameters
    if given and not is_book_data and "study" in params:
        kwargs["study"] = data_arg
    for k, v in options.items():
        if k in params:
            kwargs[k] = v
    return fn(**kwargs), "study" in kwargs


def _run_hypotheses(data_arg: Any, given: bool, is_book_data: bool,
                    robustness: bool) -> tuple[dict[str, Any], AnalysisOutputs | None,
                                               pd.DataFrame | None]:
    """Run the analysis layer's ``run_all``; return (manifest entry, outputs, changes)."""
    try:
        mod = importlib.import_module("walt_alliances.analysis.hypotheses")
    except ModuleNotFoundError as exc:
        if exc.name != "walt_alliances.analysis.hypotheses":
            raise
        return ({"run": False, "note": "The module walt_alliances.analysis.hypotheses is not "
                 "available in this version, so the hypothesis tests were not run."}, None, None)
    run_all = getattr(mod, "run_all", None)
    if run_all is None:
        return ({"run": False, "note": "walt_alliances.analysis.hypotheses has no run_all() "
                 "function, so the hypothesis tests were not run."}, None, None)
    raw, on_study = _call(run_all, data_arg, given, is_book_data, progress=False,
                          robustness=robustness)
    an = AnalysisOutputs.from_object(raw, specs=getattr(mod, "SPECS", None))
    hyp: dict[str, Any] = {"run": True, "data": "as given" if on_study else "shipped"}
    seed = getattr(raw, "seed", None) or getattr(mod, "SEED", None)
    if seed is not None:
        hyp["seed"] = seed
    changes = None
    if on_study:
        base, _ = _call(run_all, None, False, False, progress=False, robustness=False)
        mine = _verdict_rows(an, raw)
        theirs = _verdict_rows(AnalysisOutputs.from_object(base), base)
        if mine is not None and theirs is not None:
            changes = verdict_changes(theirs, mine)
    return hyp, an, changes


def _run_designs(data_arg: Any, given: bool, is_book_data: bool, robustness: bool
                 ) -> tuple[dict[str, Any], AnalysisOutputs | None]:
    """Run the analysis layer's designs (``run_designs``) when it has them."""
    try:
        mod = importlib.import_module("walt_alliances.analysis.designs")
    except ModuleNotFoundError as exc:
        if exc.name != "walt_alliances.analysis.designs":
            raise
        return {"run": False, "note": "This version has no walt_alliances.analysis.designs, "
                "so the designs (partner choice, prediction, coding uncertainty) were not "
                "run."}, None
    run_designs = getattr(mod, "run_designs", None)
    if run_designs is None:
        return {"run": False, "note": "walt_alliances.analysis.designs has no "
                "run_designs()."}, None
    try:
        opts: dict[str, Any] = {} if robustness else {"draws": 0}
        if robustness and "workers" in inspect.signature(run_designs).parameters:
            # the coding resamples are the longest stage: a second worker takes them up on
            # the core the book tables and the hypothesis tests free (same results, seeded
            # per chunk, whatever the number of workers)
            opts["workers"] = 2
        raw, on_study = _call(run_designs, data_arg, given, is_book_data, progress=False,
                              **opts)
    except ImportError as exc:  # the designs and the hypothesis tests out of step
        return {"run": False, "note": "The designs could not run against this version of "
                f"the hypothesis tests ({exc}); nothing from them is shown."}, None
    an = AnalysisOutputs.from_object(raw)
    readings = getattr(mod, "design_readings", None)
    if readings is not None:  # one line per design in plain words, for the results section
        an.extra["design_readings"] = readings(raw)
    info: dict[str, Any] = {"run": True, "data": "as given" if on_study else "shipped",
                            "notes": [str(n) for n in getattr(raw, "notes", ())]}
    seed = inspect.signature(run_designs).parameters.get("seed")
    if seed is not None and seed.default is not inspect.Parameter.empty:
        info["seed"] = seed.default
    return info, an


def _preload(modules: Sequence[str]) -> None:
    """Import ``modules`` once, before forking.

    The forked processes inherit them instead of each importing them again (statsmodels
    alone takes about a second).
    """
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:  # the processes report what is missing
            pass


def _in_child(fn: Callable[[], Any]) -> Callable[[], Any]:
    """Start ``fn`` in a forked process; return a function that waits for its result.

    Falls back to running ``fn`` at once where ``fork`` is unavailable, or when the
    environment variable ``WALT_SERIAL`` is set. An exception in the child is raised again in
    the parent (or a RuntimeError with its traceback when it cannot be pickled).
    """
    import multiprocessing as mp

    if os.environ.get("WALT_SERIAL") or "fork" not in mp.get_all_start_methods():
        value = fn()
        return lambda: value
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child() -> None:
        import pickle
        import traceback

        try:
            payload: tuple[str, Any] = ("ok", fn())
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            payload = ("error", exc)
            try:
                pickle.dumps(exc)
            except Exception:  # noqa: BLE001
                payload = ("error", RuntimeError(traceback.format_exc()))
        send.send(payload)
        send.close()

    # not a daemon: the designs' child starts worker processes of its own (a daemonic
    # process may not); an interrupted parent still joins it at exit, within seconds
    proc = ctx.Process(target=child, daemon=False)
    proc.start()
    send.close()

    def wait() -> Any:
        try:
            status, value = recv.recv()
        except EOFError:
            proc.join()
            raise RuntimeError(f"the hypothesis tests' process ended with code "
                               f"{proc.exitcode} and no result") from None
        proc.join()
        if status == "error":
            raise value
        return value

    return wait


def _names(data: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for table, key in (("alignments", "alignment_id"), ("actors", "actor_id")):
        try:
            df = data[table]
        except (KeyError, TypeError):
            continue
        names.update(zip(df[key].astype(str), df["name"].astype(str), strict=True))
    return names


def reproduce(out_dir: str | Path, progress: bool = True, data: Any = None,
              with_hypotheses: bool = True, robustness: bool = True) -> list[Path]:
    """Run every book table, the published comparisons, the figures and the hypothesis tests.

    Parameters
    ----------
    out_dir : path-like
        Where :func:`write_report` writes.
    progress : bool
        Show the stage and elapsed time on stderr (redrawn on a terminal, one line per stage
        otherwise).
    data : Study or BookData, optional
        The coded tables (default: the shipped data). To run with an extension pass
        ``Study.with_records(...)``: the book tables, figures and (when ``run_all`` takes a
        ``study``) the hypothesis tests then all use it. A ``BookData`` is used for the tables
        and figures only; the hypothesis tests then run on the shipped data, and the manifest
        says so.
    with_hypotheses : bool
        Run ``walt_alliances.analysis.hypotheses.run_all()`` when that function exists
        (default True). When it does not exist, or this is False, the report says the tests
        were not run.
    robustness : bool
        Also run the hypothesis tests' robustness variants (default True).

    Returns
    -------
    list of pathlib.Path
        Every file written.

    Notes
    -----
    The hypothesis tests run in a second process (``fork``) while this one computes the book
    tables and figures; set ``WALT_SERIAL=1`` to run everything in one process. Deterministic:
    nothing random beyond the analysis layer's fixed seeds, no timestamps; two runs on the
    same data and software give byte-identical files.
    """
    check_folder(out_dir, REPORT_FOLDER, "report")  # refuse a bad --out before the work
    import matplotlib.pyplot as plt

    from walt_alliances.records.load import data_version
    from walt_alliances.tables import book as bt
    from walt_alliances.tables import published as pub

    from . import figures as figs

    bar = Progress(enabled=progress)
    given = data is not None
    data_arg = data
    data = bt._data(data)
    wait: Callable[[], Any] | None = None
    hyp: dict[str, Any] = {"run": False, "note": "The hypothesis tests were not requested "
                           "(with_hypotheses=False)."}
    wait_designs: Callable[[], Any] | None = None
    designs: dict[str, Any] = {"run": False, "note": "The designs were not requested."}
    if with_hypotheses:
        bar.stage("hypothesis tests and designs (started in parallel)")
        is_book = isinstance(data_arg, bt.BookData)
        # the designs (the longest job) start at once and import what they need; this process
        # meanwhile imports the hypothesis tests once, which their process then inherits
        wait_designs = _in_child(lambda: _run_designs(data_arg, given, is_book, robustness))
        _preload(("walt_alliances.analysis.hypotheses",))
        wait = _in_child(lambda: _run_hypotheses(data_arg, given, is_book, robustness))
    tables: dict[str, pd.DataFrame] = {}
    titles: dict[str, str] = {}
    notes: dict[str, str] = {}
    skipped: dict[str, str] = {}
    n = len(bt.BOOK_TABLES)
    for i, (name, (fn, title)) in enumerate(bt.BOOK_TABLES.items(), start=1):
        bar.stage(f"book table {i}/{n}: {name}")
        try:
            tables[name] = fn(data)
        except RuntimeError as exc:  # a missing optional module (world power needs measures)
            skipped[name] = str(exc)
            continue
        titles[name] = title
        notes[name] = _first_line(fn.__doc__)
        if tables[name].attrs.get("us_aid"):
            notes[name] += f" US aid channel: {tables[name].attrs['us_aid']}."
    bar.stage("published comparison")
    comparison = pub.compare_all(tables)
    figures: dict[str, bytes] = {}
    info: dict[str, dict[str, str]] = {}

    def draw(name: str, make: Callable[[], Any]) -> None:
        bar.stage(f"figure: {name}")
        made = make()
        if isinstance(made, str):
            info[name] = {"title": figs.FIGURE_TITLES.get(name, humanize(name)),
                          "short": figs.FIGURE_TITLES.get(name, humanize(name)),
                          "missing": made}
            return
        fig, title, reading = made
        figures[name] = figs.render(fig, "png")
        info[name] = {"title": title, "reading": reading,
                      "short": figs.FIGURE_TITLES.get(name, humanize(name))}
        plt.close(fig)

    edges = figs.network_edges(data)
    edges["coded_by"] = "ours"
    tables["network_edges"] = edges
    titles["network_edges"] = "Network edges: pairs sharing an alignment, by period"
    # figures of the data first: they need nothing from the parallel processes
    draw("timeline", lambda: figs.timeline_figure(data))
    draw("networks", lambda: figs.network_figure(data))
    draw("world_power", lambda: figs.world_power_figure(tables.get("world_power_balance")))
    an: AnalysisOutputs | None = None
    changes = None
    if wait is not None:
        bar.stage("hypothesis tests (waiting for the parallel process)")
        hyp, an, changes = wait()
    names = _names(data)
    # the figures of the hypothesis tests alone, while the designs may still run
    draw("predicted_probability", lambda: figs.predicted_figure(an))
    draw("specification_curve", lambda: figs.specification_curve_figure(an))
    draw("influence", lambda: figs.influence_figure(an, names))
    if wait_designs is not None:
        bar.stage("designs (waiting for the parallel process)")
        designs, des = wait_designs()
        an = an.combine(des) if an is not None else des
    if changes is not None:
        tables["verdicts_vs_shipped"] = changes
        titles["verdicts_vs_shipped"] = ("How the verdicts change: shipped data (1955-1979) "
                                         "against the data as given")
        notes["verdicts_vs_shipped"] = (
            "Each key term's estimate, p-value and verdict on the shipped data and on the data "
            "given (for example with an extension); 'changed' marks a different verdict.")
    draw("coefficients", lambda: figs.coefficient_figure(an))
    from walt_alliances.panels.study import shipped_origin

    manifest: dict[str, Any] = {
        "package": {"name": "walt-alliances", "version": _version("walt-alliances")},
        "data_version": data_version(),
        "data": getattr(data_arg, "data_origin", None) or (
            ("given by the caller (not necessarily the shipped tables; data_version is the "
             "shipped data's)") if given else shipped_origin()),
        "period": [data.period_start.isoformat(), data.period_end.isoformat()],
        "seeds": {k: v.get("seed") for k, v in (("hypotheses", hyp), ("designs", designs))
                  if v.get("seed") is not None},
        "randomness": "none in the tables and figures",
        "environment": environment(),
        "hypotheses": hyp,
        "designs": designs,
        "skipped_tables": skipped,
        "published_status": pub.published_status().to_dict("records"),
        "values": "ours: every table, figure and estimate is computed from the project's "
                  "codings; book values only in tables/published_comparison.csv where status "
                  "is transcribed or verified",
    }
    if given and getattr(data_arg, "notes", None):
        manifest["data_notes"] = list(data_arg.notes)
    order = ["coefficients", "predicted_probability", "specification_curve", "influence",
             "timeline", "networks", "world_power"]
    figures = {k: figures[k] for k in order if k in figures}
    info = {k: info[k] for k in order if k in info}
    bar.stage("writing the report")
    written = write_report(out_dir, tables, an, figures, manifest, comparison=comparison,
                           titles=titles, notes=notes, figure_info=info, names=names)
    bar.done(f"done: {len(written)} files")
    return written
