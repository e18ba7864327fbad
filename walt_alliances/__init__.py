"""walt_alliances: Walt's *The Origins of Alliances* (1987) as data and code.

Load the coded alignments and their members, threats, motives and sources::

    >>> import walt_alliances as wa
    >>> al = wa.load_alignments()
    >>> members = wa.load_memberships()

The data are the project's codings by Walt's stated definitions, each with sources, a rationale
and a confidence level; nothing is attributed to the book unless a cited source shows it.

The package's folders follow its data flow, each layer importing only from those below it:
``sources`` (raw external files) and ``records`` (the coded records) at the bottom, then
``measures``, ``panels``, ``analysis``, ``tables`` and ``report``, with the command line on top.
Every public name below is imported lazily (PEP 562), on first use, so that ``import
walt_alliances`` and ``walt-alliances --help`` do not pay for pandas, pydantic or statsmodels.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors (leaf module)
    "Problem": "walt_alliances.errors",
    "RawDataError": "walt_alliances.errors",
    "RecordsError": "walt_alliances.errors",
    "WaltError": "walt_alliances.errors",
    # records: loaders, validation, citation
    "cite": "walt_alliances.records.cite",
    "data_version": "walt_alliances.records.load",
    "load_actor_spells": "walt_alliances.records.load",
    "load_actors": "walt_alliances.records.load",
    "load_alignments": "walt_alliances.records.load",
    "load_atop_exclusions": "walt_alliances.records.load",
    "load_capitals": "walt_alliances.records.load",
    "load_excluded_events": "walt_alliances.records.load",
    "load_hostile_acts": "walt_alliances.records.load",
    "load_memberships": "walt_alliances.records.load",
    "load_motives": "walt_alliances.records.load",
    "load_penetration": "walt_alliances.records.load",
    "load_recordset": "walt_alliances.records.load",
    "load_references": "walt_alliances.records.load",
    "load_regimes": "walt_alliances.records.load",
    "load_soviet_aid": "walt_alliances.records.load",
    "load_sources": "walt_alliances.records.load",
    "load_state_system": "walt_alliances.records.load",
    "load_table": "walt_alliances.records.load",
    "load_threats": "walt_alliances.records.load",
    "validate_paths": "walt_alliances.records.validate",
    # panels
    "PanelError": "walt_alliances.panels.verbs",
    "add_aid": "walt_alliances.panels.verbs",
    "add_alignment": "walt_alliances.panels.verbs",
    "add_all": "walt_alliances.panels.verbs",
    "add_capabilities": "walt_alliances.panels.verbs",
    "add_conflict": "walt_alliances.panels.verbs",
    "add_ideology": "walt_alliances.panels.verbs",
    "add_penetration": "walt_alliances.panels.verbs",
    "add_proximity": "walt_alliances.panels.verbs",
    "add_threat": "walt_alliances.panels.verbs",
    "create_dyad_years": "walt_alliances.panels.verbs",
    "create_state_years": "walt_alliances.panels.verbs",
    "model_frame": "walt_alliances.panels.verbs",
    "panel_info": "walt_alliances.panels.verbs",
    "create_global_dyad_years": "walt_alliances.panels.global_panel",
    "export": "walt_alliances.panels.export",
    "Study": "walt_alliances.panels.study",
    "shipped_study": "walt_alliances.panels.study",
    # tables
    "alignment_listing": "walt_alliances.tables.listing",
}

# the layers, as attributes: ``wa.panels``, ``wa.analysis`` ... (imported on first use too)
_SUBPACKAGES = ("sources", "records", "measures", "panels", "analysis", "tables", "report")

__all__ = [
    "__version__",
    "PanelError",
    "Problem",
    "RawDataError",
    "RecordsError",
    "Study",
    "WaltError",
    "add_aid",
    "add_alignment",
    "add_all",
    "add_capabilities",
    "add_conflict",
    "add_ideology",
    "add_penetration",
    "add_proximity",
    "add_threat",
    "alignment_listing",
    "cite",
    "create_dyad_years",
    "create_global_dyad_years",
    "create_state_years",
    "data_version",
    "export",
    "load_actor_spells",
    "load_actors",
    "load_alignments",
    "load_atop_exclusions",
    "load_capitals",
    "load_excluded_events",
    "load_hostile_acts",
    "load_memberships",
    "load_motives",
    "load_penetration",
    "load_recordset",
    "load_references",
    "load_regimes",
    "load_sources",
    "load_soviet_aid",
    "load_state_system",
    "load_table",
    "load_threats",
    "model_frame",
    "panel_info",
    "shipped_study",
    "validate_paths",
]


def __getattr__(name: str) -> Any:
    """Import a public name (or a layer) on first use (PEP 562)."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version("walt-alliances")
        except PackageNotFoundError:  # pragma: no cover
            ver = "0+unknown"
        globals()["__version__"] = ver
        return ver
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS, *_SUBPACKAGES, "__version__"])


if TYPE_CHECKING:  # static type checkers and IDEs see ordinary imports
    from walt_alliances.errors import Problem, RawDataError, RecordsError, WaltError
    from walt_alliances.panels.study import Study, shipped_study
    from walt_alliances.panels.verbs import (
        PanelError,
        add_aid,
        add_alignment,
        add_all,
        add_capabilities,
        add_conflict,
        add_ideology,
        add_penetration,
        add_proximity,
        add_threat,
        create_dyad_years,
        create_state_years,
        panel_info,
    )
    from walt_alliances.records.cite import cite
    from walt_alliances.records.load import (
        data_version,
        load_actor_spells,
        load_actors,
        load_alignments,
        load_atop_exclusions,
        load_capitals,
        load_excluded_events,
        load_hostile_acts,
        load_memberships,
        load_motives,
        load_penetration,
        load_recordset,
        load_references,
        load_regimes,
        load_sources,
        load_soviet_aid,
        load_state_system,
        load_table,
        load_threats,
    )
    from walt_alliances.records.validate import validate_paths
    from walt_alliances.tables.listing import alignment_listing

    __version__: str
