"""Generate ``datasets/CODEBOOK.md`` from the schema: record fields, tables and vocabularies.

Nothing in the codebook is written by hand: it is made from the pydantic field descriptions
(:mod:`walt_alliances.records.models`), the table specifications
(:mod:`walt_alliances.records.schema`) and the vocabularies (:mod:`walt_alliances.records.vocab`).
A test fails when the committed codebook is stale.
"""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel

from walt_alliances.records import models
from walt_alliances.records.schema import TABLES
from walt_alliances.records.vocab import DESCRIPTIONS

RECORD_MODELS: tuple[type[BaseModel], ...] = (
    models.Actor, models.Spell, models.Alignment, models.Member, models.Threat,
    models.MotiveCoding, models.Crosswalk, models.SourceRef, models.ExcludedEvent,
    models.AtopExclusion, models.RegimeSpell, models.CapitalSpell, models.HostileAct,
    models.PenetrationEpisode, models.SovietAid,
)


def _type_name(annotation: object) -> str:
    """Readable type of a field annotation (no memory addresses: the output is deterministic)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        parts = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(parts) + (" or empty" if type(None) in args else "")
    if origin is list:
        return "list of " + _type_name(args[0])
    if annotation is type(None):
        return "empty"
    if isinstance(annotation, type):
        return {"str": "text", "int": "integer", "float": "number", "bool": "boolean"}.get(
            annotation.__name__, annotation.__name__)
    return str(annotation)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


#: Panel columns made by the add_* functions beyond the measures tables: name -> description.
PANEL_COLUMNS: dict[str, str] = {
    "aligned": "1 if actor1 and actor2 were members of the same alignment on at least one day "
    "of the year (missing outside the coded period).",
    "onset": "1 if aligned in t and not in t-1 (missing in the coded period's first year).",
    "aligned_formal": "aligned through a formal_treaty record; aligned_<kind> for each kind.",
    "n_alignments": "Number of distinct alignments the pair shared in the year.",
    "threat_power": "j's aggregate power relative to i (share of the pair's CINC by default).",
    "threat_proximity": "Proximity score (distance decay and/or contiguity).",
    "threat_offense": "j's military capability projected over the distance, against i's own.",
    "threat_intent": "j's hostile behaviour toward i in t-5..t-1 (MIDs, wars, hostile acts).",
    "threat_index": "j's threat to i: the four components combined (ThreatSpec).",
    "common_threat": "max over third states k of min(threat k->i, threat k->j); "
    "common_threat_<component> the same for one component.",
    "family1/family2": "Coded regime family in force for the most days of the year.",
    "ideo_same_family": "1 if both sides have the same regime family.",
    "ideo_pan_arab_pair": "1 if both are pan-Arab (Nasserist or Ba'thist) regimes.",
    "capdist_gc_km": "Great-circle distance between the coded capitals (km).",
    "hostile_by_j(_prev5)": "Coded hostile acts by j against i active in t (act-years in "
    "t-5..t-1); datasets/hostile_acts.yaml.",
    "aid_from_j(_lag1)": "1 if j gave i aid (US obligations > 0 or coded Soviet aid); "
    "missing unless j is a superpower.",
    "pen_by_j(_lag1)": "1 if a coded penetration episode by j in i was active.",
}


def _measures_section() -> list[str]:
    """Codebook section for the derived measures, their coverage, and the threat index."""
    from walt_alliances.measures import threat
    from walt_alliances.measures.shipped import (
        DYAD_YEAR_COLUMNS,
        STATE_YEAR_COLUMNS,
        measure_coverage,
    )

    cov = measure_coverage().drop_duplicates("measure").set_index("measure")
    out = ["## Measures (derived from the raw datasets; see `measures/provenance.json`)", "",
           "Coverage columns give the source's years and the years shipped. A 0 means the "
           "source covers the case and records nothing; outside coverage values are missing.",
           ""]
    for title, cols in (("State-year (`measures_state_year`)", STATE_YEAR_COLUMNS),
                        ("Directed dyad-year (`measures_dyad_year`; i = ccode1, j = ccode2)",
                         DYAD_YEAR_COLUMNS)):
        out += [f"### {title}", "", "| column | type | description | source years | notes |",
                "|---|---|---|---|---|"]
        for name, (dtype, desc) in cols.items():
            years, notes = "", ""
            if name in cov.index:
                r = cov.loc[name]
                lo, hi = r["source_first_year"], r["source_last_year"]
                years = "static" if str(lo) == "<NA>" else f"{lo}-{hi}"
                notes = str(r["notes"])
            out.append(f"| `{name}` | {dtype} | {_cell(desc)} | {years} | {_cell(notes)} |")
        out.append("")
    out += ["### Panel columns added by `add_*` (see `walt_alliances.panels.verbs`)", "",
            "| column | description |", "|---|---|"]
    out += [f"| `{k}` | {_cell(v)} |" for k, v in PANEL_COLUMNS.items()]
    out += ["", "### The threat index", ""]
    doc = (threat.__doc__ or "").strip().splitlines()
    for i, ln in enumerate(doc):
        nxt = doc[i + 1] if i + 1 < len(doc) else ""
        if ln and set(ln) == {"-"}:
            continue  # a numpydoc underline: the line above became a heading
        out.append(f"#### {ln}" if nxt and set(nxt) == {"-"} else ln)
    out.append("")
    return out


def generate_codebook() -> str:
    """Return the codebook as Markdown."""
    out = [
        "# Codebook",
        "",
        "Generated by `walt-alliances codebook` from the schema; do not edit by hand.",
        "",
        "Dates are written at the precision known (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`). For "
        "computation a start resolves to the first day of its period and an end to the last "
        "day; loaders add these as `start_first_day` and `end_last_day`. Lists in CSV cells are "
        "`;`-separated. These are the project's codings by Walt's definitions, with sources; "
        "nothing here is a figure or coding from the book unless a cited source shows it.",
        "",
        "## Tables",
        "",
    ]
    for spec in TABLES.values():
        out += [f"### `{spec.name}`: {spec.title}", "", spec.description, "",
                f"Key: {', '.join(f'`{k}`' for k in spec.key)}", "",
                "| column | type | description |", "|---|---|---|"]
        for c in spec.columns:
            typ = c.dtype + (f" ({', '.join(c.categories)})" if c.categories else "")
            out.append(f"| `{c.name}` | {typ} | {_cell(c.description)} |")
        out.append("")
    out += ["## Record fields (the YAML files in `datasets/`)", ""]
    for model in RECORD_MODELS:
        doc = (model.__doc__ or "").strip().splitlines()[0]
        out += [f"### {model.__name__}", "", doc, "", "| field | type | required | description |",
                "|---|---|---|---|"]
        for name, f in model.model_fields.items():
            req = "yes" if f.is_required() else "no"
            out.append(f"| `{name}` | {_cell(_type_name(f.annotation))} | {req} | "
                       f"{_cell(f.description or '')} |")
        out.append("")
    out += _measures_section()
    out += ["## Vocabularies", ""]
    for vocab, values in DESCRIPTIONS.items():
        out += [f"### {vocab}", "", "| value | meaning |", "|---|---|"]
        out += [f"| `{k}` | {_cell(v)} |" for k, v in values.items()]
        out.append("")
    from .render import clean_markup

    # docstrings feed the codebook: Sphinx roles (:func:`x`) become plain inline code
    return clean_markup("\n".join(out).rstrip() + "\n")
