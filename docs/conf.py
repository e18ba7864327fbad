"""Sphinx configuration for the walt_alliances documentation.

Build (offline, warnings as errors, tutorials executed)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

See ``about.md`` for why these tools were chosen.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

# The tutorials run in temporary folders; they find the repository's example folders through this.
os.environ.setdefault("WALT_DOCS_REPO", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

project = "walt_alliances"
author = "walt_alliances developers"
copyright = "walt_alliances developers; code MIT, coded data CC BY 4.0"
try:
    release = version("walt-alliances")
except PackageNotFoundError:  # pragma: no cover - building from an uninstalled checkout
    release = "0+unknown"
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
]
# No sphinx.ext.intersphinx: it fetches inventories over the network, and the build is offline.

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "jupyter_execute"]
# A stable "today": outputs never depend on the build date.
today = ""
today_fmt = "%Y"

# --- autodoc / numpydoc -------------------------------------------------------------------------
autodoc_default_options = {"members": True, "member-order": "bysource", "show-inheritance": True}
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_class_signature = "mixed"
autosummary_generate = False
numpydoc_show_class_members = False  # autodoc lists members; numpydoc's tables would duplicate
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# --- myst / myst-nb: the tutorials are executable MyST Markdown notebooks ---
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
nb_execution_mode = os.environ.get("WALT_DOCS_EXECUTE", "cache")
nb_execution_raise_on_error = True  # a failing tutorial fails the build
nb_execution_timeout = 600
nb_execution_show_tb = True
nb_execution_in_temp = True  # tutorials write their folders in a temporary directory
nb_merge_streams = True
nb_kernel_rgx_aliases = {".*": "python3"}

# --- HTML ---------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"walt_alliances {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 5,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_last_updated_fmt = None
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_show_sourcelink = False
html_copy_source = False
