"""Small projects on disk and the analysis of one of their files, for the mocks model tests."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Callable

import pytest

from suitelint.core.context import FileContext
from suitelint.core.engine import walk
from suitelint.core.workspace import Workspace
from suitelint.mocks_model import Analysis, analysis_for


class Project:
    """A scratch project: write files, then analyse one of them."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.workspace = Workspace(cwd=self.root)
        (self.root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")

    def write(self, files: dict[str, str]) -> Project:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return self

    def analysis(self, relpath: str) -> Analysis:
        path = self.root / relpath
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        ctx = FileContext(
            path=path, display_path=relpath, source=source, tree=tree,
            role=self.workspace.role_of(path), settings=self.workspace.settings_for(path),
            pytest=self.workspace.pytest_for(path), workspace=self.workspace,
            module_name=self.workspace.module_name(path),
        )
        ctx.dependencies = set()  # type: ignore[attr-defined]
        walk(ctx, {}, lambda rule, call: None)  # sets the parent links every query relies on
        return analysis_for(ctx)


def _value_at(analysis: Analysis, fragment: str) -> ast.expr:
    """The value of the assignment (or the expression) on the line containing ``fragment``."""
    for node in ast.walk(analysis.ctx.tree):
        if isinstance(node, (ast.Assign, ast.Expr, ast.Return)) and fragment in analysis.ctx.lines[node.lineno - 1]:
            assert node.value is not None
            return node.value
    raise AssertionError(f"no statement containing {fragment!r}")


@pytest.fixture
def project(tmp_path: Path) -> Callable[[dict[str, str]], Project]:
    def make(files: dict[str, str]) -> Project:
        return Project(tmp_path).write(files)

    return make


@pytest.fixture
def value_at() -> Callable[[Analysis, str], ast.expr]:
    """The value of the statement on the line containing a fragment (see ``_value_at``)."""
    return _value_at
