"""``python -m suitelint``."""

from suitelint.cli import main

raise SystemExit(main())
