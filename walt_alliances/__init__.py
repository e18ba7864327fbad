"""walt_alliances: Walt's *The Origins of Alliances* (1987) as data and code.

Load the coded alignments and their members, threats, motives and sources::

    >>> import walt_alliances as wa
    >>> al = wa.load_alignments()
    >>> members = wa.load_memberships()

The data are the project's codings by Walt's stated definitions, each with sources, a rationale
and a confidence level; nothing is attributed to the book unless a cited source shows it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .cite import cite
from .errors import Problem, RawDataError, RecordsError, WaltError
from .listing import alignment_listing
from .load import (
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
from .panels import (
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
from .study import Study, shipped_study
from .validate import validate_paths

try:
    __version__ = version("walt-alliances")
except PackageNotFoundError:  # pragma: no cover
    __version__ = "0+unknown"

__all__ = [
    "PanelError",
    "Problem",
    "RawDataError",
    "RecordsError",
    "Study",
    "WaltError",
    "__version__",
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
    "create_state_years",
    "data_version",
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
    "load_soviet_aid",
    "load_sources",
    "load_state_system",
    "load_table",
    "load_threats",
    "panel_info",
    "shipped_study",
    "validate_paths",
]
