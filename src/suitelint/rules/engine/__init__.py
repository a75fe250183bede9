"""TST0xx: findings about the linter itself (produced by the engine)."""
