"""TST1xx: import-time side effects and collection errors."""
