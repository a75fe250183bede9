"""The rich console every human-facing output goes through."""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console


def wants_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


def make_console(stream: TextIO, color: bool) -> Console:
    if color:
        return Console(file=stream, force_terminal=True, highlight=False, emoji=False, soft_wrap=True)
    return Console(file=stream, force_terminal=False, no_color=True, color_system=None, highlight=False,
                   emoji=False, soft_wrap=True, width=200)
