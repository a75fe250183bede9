"""What a rule sees of the file it checks: syntax, names, pytest semantics, inference.

The tree is the stdlib ``ast`` tree (cheap: parsing is the floor of any
Python linter).  Names resolve to qualified names syntactically through the
file's imports, which is all most rules need and works when the checked
project's dependencies are not installed.  :meth:`FileContext.infer` builds
astroid for this module only on first use.
"""

from __future__ import annotations

import ast
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from suitelint.core.diagnostic import Diagnostic, Fix, Position, Span
from suitelint.core.source import physical_lines

if TYPE_CHECKING:
    from suitelint.config.settings import Settings
    from suitelint.core.rule import Rule
    from suitelint.core.workspace import Workspace
    from suitelint.pytest_model.ini import PytestConfig

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture", "pytest.yield_fixture"})


class FileContext:
    """One checked file: its text, tree, role, configuration and findings."""

    def __init__(
        self,
        *,
        path: Path,
        display_path: str,
        source: str,
        tree: ast.Module,
        role: str,
        settings: Settings,
        pytest: PytestConfig,
        workspace: Workspace | None = None,
        module_name: str | None = None,
    ) -> None:
        self.path = path
        self.display_path = display_path
        self.source = source
        self.tree = tree
        self.role = role
        self.settings = settings
        self.pytest = pytest
        self.workspace = workspace
        self.module_name = module_name or path.stem
        # numbered as ast numbers them (str.splitlines also splits at form feeds and \u2028)
        self.lines = physical_lines(source)
        self.diagnostics: list[Diagnostic] = []
        # id(node) -> its parent, filled by the engine's walk before a node is visited.  A side
        # table, not an attribute on the nodes: parent links would make every tree a web of
        # reference cycles that only the garbage collector can free (a third of the run's time)
        self.parents: dict[int, ast.AST] = {}
        # local imports seen so far by the walk: alias -> qualified name
        self.imports: dict[str, str] = {}
        # codes of rules stopped because a suite-wide view is not ready yet, and the last steps
        # rules put off until it is, as (code, payload) (suitelint.core.deferral)
        self.deferred: set[str] = set()
        self.pending: list[tuple[str, Any]] = []
        self._collect_module_imports()

    # -- reporting -------------------------------------------------------------
    def report(self, rule: Rule | type[Rule], where: ast.AST | Span, message: str, fix: Fix | None = None) -> None:
        span = where if isinstance(where, Span) else self.span(where)
        line_text = self.lines[span.start.line - 1].strip() if 0 < span.start.line <= len(self.lines) else ""
        self.diagnostics.append(rule.make_diagnostic(self.display_path, span, message, fix, line_text))

    # -- positions -------------------------------------------------------------
    def column(self, lineno: int, col_offset: int) -> int:
        """A 1-based codepoint column from ast's UTF-8 byte offset."""
        if 0 < lineno <= len(self.lines):
            line = self.lines[lineno - 1]
            if not line.isascii():
                return len(line.encode("utf-8")[:col_offset].decode("utf-8", errors="replace")) + 1
        return col_offset + 1

    def position(self, lineno: int, col_offset: int) -> Position:
        return Position(lineno, self.column(lineno, col_offset))

    def span(self, node: ast.AST) -> Span:
        """Where a finding about ``node`` is shown: the def/class line for definitions."""
        lineno = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        start = self.position(lineno, col)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
            index = line.find(node.name, start.column - 1)
            end_col = index + len(node.name) + 1 if index >= 0 else len(line) + 1
            return Span(start, Position(lineno, end_col))
        end_lineno = getattr(node, "end_lineno", None) or lineno
        end_offset = getattr(node, "end_col_offset", None)
        end = self.position(end_lineno, end_offset) if end_offset is not None else Position(lineno, start.column + 1)
        return Span(start, end)

    def text(self, node: ast.AST) -> str:
        """The source text of a node (``ast.get_source_segment``, without re-splitting the file per call)."""
        lineno, end_lineno = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        start, end = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        if lineno is None or end_lineno is None or start is None or end is None:
            return ""
        first, last = lineno - 1, end_lineno - 1
        lines = self._lines_with_ends
        if not 0 <= first <= last < len(lines):
            return ""
        if first == last:
            return lines[first].encode()[start:end].decode()
        return "".join([lines[first].encode()[start:].decode(), *lines[first + 1:last],
                        lines[last].encode()[:end].decode()])

    @cached_property
    def _lines_with_ends(self) -> list[str]:
        return physical_lines(self.source, keepends=True)

    # -- tree navigation -------------------------------------------------------
    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        parents = self.parents
        current = parents.get(id(node))
        while current is not None:
            yield current
            current = parents.get(id(current))

    def link_parents(self) -> None:
        """Fill the parent table for the whole tree at once (callers that do not run the engine's walk)."""
        parents = self.parents
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node

    def dispose(self) -> None:
        """Drop everything the file's rules hung on the context (analyses hold it: reference cycles)."""
        vars(self).clear()

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, SCOPE_NODES):
                return ancestor
        return None

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        """The class whose body directly holds ``node`` (no function in between)."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, ast.ClassDef):
                return ancestor
            if isinstance(ancestor, SCOPE_NODES):
                return None
        return None

    def is_import_time(self, node: ast.AST) -> bool:
        """Whether ``node`` runs when the module is imported (module or class body)."""
        return self.enclosing_function(node) is None

    def in_main_guard(self, node: ast.AST) -> bool:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, ast.If) and _is_main_test(ancestor.test):
                return True
        return False

    # -- names -------------------------------------------------------------------
    def _collect_module_imports(self) -> None:
        """Imports anywhere at module level (including if/try blocks), before the walk."""
        stack: list[ast.stmt] = list(self.tree.body)
        while stack:
            stmt = stack.pop()
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self.add_import(stmt)
            elif isinstance(stmt, (ast.If, ast.Try, ast.With)) or type(stmt).__name__ == "TryStar":
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(stmt, field, ()):
                        if isinstance(child, ast.ExceptHandler):
                            stack.extend(child.body)
                        else:
                            stack.append(child)

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    self.imports[top] = top
        else:
            module = self.resolve_from(node)
            if module is None:
                return
            for alias in node.names:
                if alias.name == "*":
                    continue
                self.imports[alias.asname or alias.name] = f"{module}.{alias.name}" if module else alias.name

    def resolve_from(self, node: ast.ImportFrom) -> str | None:
        """The absolute module of a ``from ... import`` (relative imports resolved)."""
        if not node.level:
            return node.module or ""
        package = self.module_name.split(".")
        if self.path.name != "__init__.py":
            package = package[:-1]
        if node.level - 1 > len(package):
            return None
        base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
        parts = [*base, *([node.module] if node.module else [])]
        return ".".join(p for p in parts if p)

    def qualname(self, node: ast.AST) -> str | None:
        """The dotted qualified name of a Name/Attribute chain, through imports.

        ``mock.patch`` with ``from unittest import mock`` gives
        ``unittest.mock.patch``; a name that is not imported gives None, except
        builtins, which give their bare name.
        """
        attrs: list[str] = []
        current = node
        while isinstance(current, ast.Attribute):
            attrs.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name):
            return None
        base = self.imports.get(current.id)
        if base is None:
            if current.id in _BUILTINS:
                base = current.id
            else:
                return None
        return ".".join([base, *reversed(attrs)])

    def local_name(self, node: ast.AST) -> str | None:
        """A dotted Name/Attribute chain as written (``self.client.get``)."""
        attrs: list[str] = []
        current = node
        while isinstance(current, ast.Attribute):
            attrs.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name):
            return None
        return ".".join([current.id, *reversed(attrs)])

    def resolves_to(self, node: ast.AST, *names: str) -> bool:
        return self.qualname(node) in names

    def call_name(self, node: ast.AST) -> str | None:
        """The qualified name of the callee when ``node`` is a call."""
        if isinstance(node, ast.Call):
            return self.qualname(node.func)
        return None

    # -- pytest semantics ----------------------------------------------------------
    @cached_property
    def is_test_code(self) -> bool:
        from suitelint.core.rule import TEST_CODE

        return self.role in TEST_CODE

    def fixture_decorator(self, func: ast.AST) -> ast.expr | None:
        """The ``@pytest.fixture``-like decorator of a function, if any."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        for decorator in func.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.qualname(target)
            if name in FIXTURE_DECORATORS:
                return decorator
        return None

    def is_fixture(self, func: ast.AST) -> bool:
        return self.fixture_decorator(func) is not None

    def is_test_function(self, func: ast.AST) -> bool:
        """Whether pytest would collect ``func`` as a test (in a test module)."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        if self.role != "test" or not self.pytest.matches_python_functions(func.name):
            return False
        if self.is_fixture(func):
            return False
        parent = self.parent(func)
        if isinstance(parent, ast.Module):
            return True
        if isinstance(parent, ast.ClassDef) and isinstance(self.parent(parent), ast.Module):
            return self.is_test_class(parent)
        return False

    def is_test_class(self, cls: ast.ClassDef) -> bool:
        return self.pytest.matches_python_classes(cls.name) or self.is_unittest_class(cls)

    def is_unittest_class(self, cls: ast.ClassDef) -> bool:
        for base in cls.bases:
            name = self.qualname(base) or self.local_name(base) or ""
            if name.startswith("unittest.") or name.endswith("TestCase"):
                return True
        return False

    def mark_names(self, decorators: list[ast.expr]) -> list[str]:
        """``pytest.mark.X`` names among decorators (``asyncio``, ``anyio``, ...)."""
        names: list[str] = []
        for decorator in decorators:
            names.extend(self.marks_in(decorator))
        return names

    def marks_in(self, node: ast.AST) -> list[str]:
        """Mark names in a decorator or a ``pytestmark`` value (lists and tuples)."""
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            found: list[str] = []
            for element in node.elts:
                found.extend(self.marks_in(element))
            return found
        target = node.func if isinstance(node, ast.Call) else node
        name = self.qualname(target)
        if name and name.startswith("pytest.mark."):
            return [name[len("pytest.mark."):].split(".", 1)[0]]
        return []

    @cached_property
    def module_marks(self) -> list[str]:
        """Marks applied to the whole module through ``pytestmark``."""
        marks: list[str] = []
        for stmt in self.tree.body:
            value = _pytestmark_value(stmt)
            if value is not None:
                marks.extend(self.marks_in(value))
        return marks

    def class_marks(self, cls: ast.ClassDef) -> list[str]:
        marks = self.mark_names(cls.decorator_list)
        for stmt in cls.body:
            value = _pytestmark_value(stmt)
            if value is not None:
                marks.extend(self.marks_in(value))
        return marks

    def effective_marks(self, func: ast.AST) -> list[str]:
        """Marks on a function, its enclosing classes and its module."""
        marks: list[str] = []
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            marks.extend(self.mark_names(func.decorator_list))
        for ancestor in self.ancestors(func):
            if isinstance(ancestor, ast.ClassDef):
                marks.extend(self.class_marks(ancestor))
        marks.extend(self.module_marks)
        return marks

    # -- inference (lazy astroid) -------------------------------------------------
    @cached_property
    def astroid(self) -> Any:
        """This module built with astroid (once, on first use), or None."""
        from suitelint import inference

        return inference.build_module(self.source, self.module_name, self.path)

    def astroid_node(self, node: ast.AST) -> Any:
        from suitelint import inference

        return inference.find_node(self.astroid, node)

    def infer(self, node: ast.AST) -> list[Any]:
        """What astroid infers ``node`` to be (empty when it cannot tell)."""
        from suitelint import inference

        target = self.astroid_node(node)
        return inference.safe_infer_all(target) if target is not None else []


def _is_main_test(test: ast.expr) -> bool:
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
        sides = [test.left, *test.comparators]
        has_name = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
        has_main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
        return has_name and has_main
    return False


def _pytestmark_value(stmt: ast.stmt) -> ast.expr | None:
    if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in stmt.targets):
        return stmt.value
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "pytestmark":
        return stmt.value
    return None


import builtins as _builtins_module  # noqa: E402

_BUILTINS = frozenset(dir(_builtins_module))
