"""Fixture values: what a test's or fixture's parameter receives from pytest.

The fixture is looked up the way pytest would for the common cases: the
test's class, its module, then the conftest.py files from the module's
directory up to the rootdir (closest first); its value is what its
``return``/``yield`` statements evaluate to.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Hashable

from suitelint.mocks_model.api import MOCKER_FIXTURES, MONKEYPATCH_FIXTURES
from suitelint.mocks_model.project import (
    Binding,
    ClassInfo,
    FunctionNode,
    ModuleInfo,
    walk_body,
)
from suitelint.mocks_model.scope import Scope
from suitelint.mocks_model.symbols import Symbol, same

if TYPE_CHECKING:
    from pathlib import Path

    from suitelint.core.context import FileContext
    from suitelint.mocks_model.memo import Recursion
    from suitelint.mocks_model.project import ProjectIndex

FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture", "pytest.yield_fixture"})


class Fixtures:
    """Mixin of :class:`~.evaluate.Analysis`: fixtures and conftest.py files."""

    # provided by Analysis
    ctx: FileContext
    index: ProjectIndex | None
    _conftests: dict[Path, list[ModuleInfo]]
    _fixtures: dict[int, Symbol | None]
    _fixture_maps: dict[int, dict[str, FunctionNode]]
    _active: set[Hashable]  # every recursion guard's keys under way
    _recursion: Recursion

    if TYPE_CHECKING:
        def eval(self, expr: ast.AST | None, scope: Scope) -> Symbol | None: ...
        def qualname(self, expr: ast.AST, scope: Scope) -> str | None: ...
        def depend(self, path: Path) -> None: ...

    def is_fixture(self, function: ast.AST, module: ModuleInfo) -> bool:
        return self.fixture_name(function, module) is not None

    def fixture_name(self, function: ast.AST, module: ModuleInfo) -> str | None:
        """The name a fixture def is requested by (``name=`` honoured), or None for non-fixtures."""
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        scope = Scope(module)
        for decorator in function.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self.qualname(target, scope) in FIXTURE_DECORATORS:
                if isinstance(decorator, ast.Call):
                    for keyword in decorator.keywords:
                        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                            return str(keyword.value.value)
                return function.name
        return None

    def is_test_or_fixture(self, function: ast.AST, module: ModuleInfo) -> bool:
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        return function.name.startswith("test") or self.is_fixture(function, module)

    def fixture_value(self, name: str, scope: Scope) -> Symbol | None:
        """What the fixture ``name`` visible from ``scope`` returns or yields."""
        if name in MOCKER_FIXTURES or name in MONKEYPATCH_FIXTURES or name == "request":
            return None
        found = self.find_fixture(name, scope)
        if found is None:
            return None
        module, function, cls = found
        guard = ("fixture", id(function))
        if id(function) in self._fixtures:
            if guard in self._active:
                self._recursion.touch(guard)  # the recursion guard below answers
            return self._fixtures[id(function)]
        self._fixtures[id(function)] = None  # recursion guard
        self._active.add(guard)
        inner = Scope(module, function, cls, parent=Scope(module))
        values: list[Symbol | None] = []
        for node in walk_body(function.body):
            if isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
                values.append(self.eval(node.value, inner))
        value = values[0] if values and values[0] is not None and all(same(values[0], v) for v in values[1:]) \
            else None
        self._fixtures[id(function)] = value
        self._active.discard(guard)
        return value

    def find_fixture(self, name: str, scope: Scope) -> tuple[ModuleInfo, FunctionNode, ClassInfo | None] | None:
        cls = next((s.cls for s in scope.functions() if s.cls is not None), None)
        if cls is not None:
            found = self._fixture_defs(cls.module, cls.bindings, id(cls.node)).get(name)
            if found is not None:
                return cls.module, found, cls
        for module in [scope.module, *self.conftests(scope.module)]:
            found = self._fixture_defs(module, module.bindings, id(module)).get(name)
            if found is not None:
                return module, found, None
        return None

    def _fixture_defs(self, module: ModuleInfo, bindings: dict[str, list[Binding]],
                      key: int) -> dict[str, FunctionNode]:
        """Fixture defs of a module or class body by the name tests request them with."""
        found = self._fixture_maps.get(key)
        if found is None:
            found = {}
            for candidates in bindings.values():
                for binding in candidates:
                    if binding.kind == "def":
                        name = self.fixture_name(binding.node, module)
                        if name is not None:
                            found.setdefault(name, binding.node)  # type: ignore[arg-type]
            self._fixture_maps[key] = found
        return found

    def conftests(self, module: ModuleInfo) -> list[ModuleInfo]:
        """conftest.py modules visible from ``module``, closest first (up to the rootdir)."""
        directory = module.path.parent
        found = self._conftests.get(directory)
        if found is not None:
            return found
        found = []
        workspace = self.ctx.workspace
        if workspace is not None and self.index is not None:
            for candidate, name in self._conftest_files(directory, module.path):
                info = self.index.load(candidate, name)
                if info is not None:
                    self.depend(info.path)
                    found.append(info)
        self._conftests[directory] = found
        return found

    def _conftest_files(self, directory: Path, module_path: Path) -> list[tuple[Path, str]]:
        """The conftest.py files from ``directory`` up to the rootdir (but the module's own file) and their
        module names; the files are looked for once per run."""
        assert self.index is not None and self.ctx.workspace is not None
        rootdir = self.index.real(self.ctx.pytest.rootdir)
        key = (directory, rootdir)
        files = self.index.conftest_files.get(key)
        if files is None:
            files = self.index.conftest_files[key] = []
            current = directory
            while True:
                candidate = current / "conftest.py"
                if candidate.is_file():
                    files.append((candidate, self.ctx.workspace.module_name(candidate)))
                if current == rootdir or current.parent == current or rootdir not in current.parents:
                    break
                current = current.parent
        return [(candidate, name) for candidate, name in files if candidate != module_path]
