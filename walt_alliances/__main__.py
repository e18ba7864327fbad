"""Allow ``python -m walt_alliances``."""

from walt_alliances.cli import main

raise SystemExit(main())
