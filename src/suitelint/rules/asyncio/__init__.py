"""TST2xx: async tests and event loops."""
