"""TST6xx: test bodies."""
