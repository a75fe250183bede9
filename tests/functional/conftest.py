"""Shared helpers for the functional trees under ``tests/functional/``.

Each ``TSTnnn_<slug>/`` directory holds small projects with their own pytest
and suitelint configuration; the test modules next to this file lint files
of those trees exactly as the runner would, with the project as the working
directory, and assert codes, lines and message text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import lint_file
from suitelint.core.workspace import Workspace

FUNCTIONAL = Path(__file__).resolve().parent

# the trees are data for the linter, not tests of this suite
collect_ignore_glob = ["TST*"]


def lint_tree(root: Path, relpath: str, select: list[str] | None = None) -> list[Diagnostic]:
    """The findings for ``root/relpath``, linted with ``root`` as the working directory.

    ``select`` limits the rules (codes or prefixes); by default the tree's own
    configuration decides, as in a real run.
    """
    root = root.resolve()
    return lint_file(root / relpath, Workspace(cwd=root), select=select).diagnostics


@pytest.fixture(name="lint_tree")
def lint_tree_fixture() -> Callable[..., list[Diagnostic]]:
    """:func:`lint_tree`, for test modules (importing ``conftest`` is fragile)."""
    return lint_tree
