"""suitelint: static analysis for test-suite anti-patterns in Python."""

__version__ = "0.1.0"

__all__ = ["__version__"]
