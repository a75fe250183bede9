"""TST7xx: tracking known problems (TODO comments, skipped and xfailed tests)."""
