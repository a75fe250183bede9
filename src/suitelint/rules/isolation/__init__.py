"""TST4xx: test isolation and global state."""
