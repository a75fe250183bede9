"""The flake8 plugin: ``flake8 --select=TST`` runs suitelint's rules.

flake8 hands a tree plugin the file's ``lines``; the plugin lints that text
with the same engine as ``suitelint check`` (so an unsaved buffer piped
through ``flake8 -`` is what gets checked), through ONE :class:`Workspace`
per process: flake8's ``-j`` workers each build their own on first use and
keep it, so project-wide knowledge (settings per directory, pytest
configuration, module map, fixture index) is built once per worker, not per
file.  The workspace reads ``[tool.suitelint]`` itself (flake8 never reads
pyproject.toml); flake8 applies ``# noqa`` and its own ``--select``/``--ignore``
on top.  Columns: flake8 prints the 0-based column of the tuple plus one,
which gives suitelint's 1-based column.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, Sequence

from suitelint import __version__
from suitelint.core.engine import lint_file
from suitelint.core.workspace import Workspace

STDIN_NAMES = frozenset({"-", "stdin", "<stdin>"})
STDIN_PATH = "stdin.py"

_WORKSPACES: dict[Path, Workspace] = {}


def workspace_for(cwd: Path) -> Workspace:
    """The process's workspace for a working directory (created once)."""
    workspace = _WORKSPACES.get(cwd)
    if workspace is None:
        workspace = Workspace(cwd=cwd)
        _WORKSPACES[cwd] = workspace
    return workspace


def checked_path(filename: str, cwd: Path) -> Path:
    if filename in STDIN_NAMES:
        return cwd / STDIN_PATH
    path = Path(filename)
    return path if path.is_absolute() else cwd / path


class Flake8Plugin:
    name = "suitelint"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        self.filename = filename
        self.lines = lines
        self.tree = tree if isinstance(tree, ast.Module) else None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        cwd = Path.cwd().resolve()
        workspace = workspace_for(cwd)
        path = checked_path(self.filename, cwd)
        result = lint_file(path, workspace, source="".join(self.lines), apply_noqa=False, tree=self.tree)
        for diagnostic in result.diagnostics:
            yield (diagnostic.line, diagnostic.column - 1, f"{diagnostic.code} {diagnostic.message}", type(self))
