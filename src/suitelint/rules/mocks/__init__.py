"""TST3xx: mocks."""
