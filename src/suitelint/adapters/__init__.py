"""Adapters that run the suitelint engine inside other tools (flake8)."""
