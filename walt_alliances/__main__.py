"""Allow ``python -m walt_alliances``."""

from .cli import main

raise SystemExit(main())
