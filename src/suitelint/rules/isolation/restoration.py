"""Whether a change to a process-global mapping (``os.environ``, ``sys.modules``) is undone.

A change is undone when it happens inside a scoped patch of that mapping
(``with patch.dict(os.environ, ...)``, a function or class decorated with
``patch.dict``, an earlier ``mocker.patch.dict(...)``/``patch.dict(...).start()``
in the same function), or when the same function or class writes the
mapping again in teardown code:

- after the ``yield`` of a generator (fixtures, ``@contextmanager`` helpers);
- in a ``finally`` block that follows the change;
- in a callback registered with ``addfinalizer``/``addCleanup``/``callback``
  (a lambda, a function defined in the module, or a bound method of the
  mapping such as ``os.environ.pop``);
- in the teardown hook paired with the setup hook that made the change
  (``tearDown`` for ``setUp``, ``teardown_method`` for ``setup_method``...).

Any write counts as the restoration: matching keys would miss the common
``saved = os.environ.copy() ... os.environ.clear(); os.environ.update(saved)``.
Code that *is* teardown (the restoring writes themselves) is recognised too,
so rules do not flag it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator

from suitelint.core.context import FileContext

MUTATOR_METHODS = frozenset({"update", "pop", "popitem", "clear", "setdefault", "__setitem__", "__delitem__"})
CLEANUP_REGISTRARS = frozenset({
    "addfinalizer", "addCleanup", "addClassCleanup", "addAsyncCleanup", "callback", "push_async_callback",
})
PATCH_DICT = frozenset({"unittest.mock.patch.dict", "mock.patch.dict"})
SETUP_TEARDOWN = {
    "setUp": "tearDown", "asyncSetUp": "asyncTearDown", "setUpClass": "tearDownClass",
    "setup_method": "teardown_method", "setup_class": "teardown_class", "setup": "teardown",
    "setup_function": "teardown_function", "setup_module": "teardown_module", "setUpModule": "tearDownModule",
}
# context managers that leave os.environ / sys.modules as they found them changed
PLAIN_CONTEXT_MANAGERS = frozenset({"open", "io.open", "pytest.raises", "pytest.warns", "pytest.deprecated_call",
                                    "unittest.mock.patch", "unittest.mock.patch.object", "unittest.mock.patch.multiple",
                                    "mock.patch", "mock.patch.object", "mock.patch.multiple"})
PLAIN_CONTEXT_PREFIXES = ("tempfile.", "contextlib.", "warnings.", "subprocess.", "threading.", "concurrent.",
                          "socket.", "zipfile.", "tarfile.", "sqlite3.", "multiprocessing.", "asyncio.", "io.")
PLAIN_CONTEXT_METHODS = frozenset({"assertRaises", "assertRaisesRegex", "assertWarns", "assertWarnsRegex",
                                   "assertLogs", "assertNoLogs", "subTest", "at_level", "disabled", "context"})
TEARDOWN_HOOKS = frozenset({*SETUP_TEARDOWN.values(), "pytest_unconfigure", "pytest_sessionfinish"})
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class GlobalMapping:
    """A process-global mapping and the functions that also write it."""

    names: frozenset[str]  # qualified names: {"os.environ", "os.environb"}
    strings: frozenset[str]  # how patch targets spell it: {"os.environ"}
    writer_functions: frozenset[str] = frozenset()  # {"os.putenv", "os.unsetenv"}


class Restoration:
    """Answers, for one file, whether writes to a mapping are undone."""

    def __init__(self, ctx: FileContext, mapping: GlobalMapping) -> None:
        self.ctx = ctx
        self.mapping = mapping
        self._writes_cache: dict[int, bool] = {}
        self._writer_tails = frozenset(name.rsplit(".", 1)[-1] for name in mapping.writer_functions)

    # -- what a write is -----------------------------------------------------------
    def refers(self, node: ast.AST) -> bool:
        return self.ctx.qualname(node) in self.mapping.names

    def is_write(self, node: ast.AST) -> bool:
        """Whether ``node`` itself writes the mapping."""
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            return any(self._target_writes(t) for t in targets)
        if isinstance(node, ast.Delete):
            return any(self._target_writes(t) for t in node.targets)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                if func.attr in MUTATOR_METHODS:
                    return self.refers(func.value)
                tail = func.attr
            elif isinstance(func, ast.Name):
                tail = func.id
            else:
                return False
            return tail in self._writer_tails and self.ctx.qualname(func) in self.mapping.writer_functions
        return False

    def _target_writes(self, target: ast.expr) -> bool:
        if isinstance(target, (ast.Tuple, ast.List)):
            return any(self._target_writes(e) for e in target.elts)
        if isinstance(target, ast.Subscript):
            return self.refers(target.value)
        return self.refers(target)

    def writes_in(self, node: ast.AST) -> bool:
        """Whether anything under ``node`` writes the mapping (or names one of its mutators)."""
        key = id(node)
        cached = self._writes_cache.get(key)
        if cached is None:
            cached = any(self.is_write(n) or self._mutator_reference(n) for n in ast.walk(node))
            self._writes_cache[key] = cached
        return cached

    def _mutator_reference(self, node: ast.AST) -> bool:
        """``os.environ.pop`` passed as a callback, ``os.unsetenv`` as a value..."""
        if isinstance(node, ast.Attribute) and node.attr in MUTATOR_METHODS and self.refers(node.value):
            return True
        return isinstance(node, (ast.Attribute, ast.Name)) and self.ctx.qualname(node) in self.mapping.writer_functions

    def is_patch_dict(self, node: ast.AST) -> bool:
        """``patch.dict(os.environ, ...)`` / ``mocker.patch.dict("os.environ", ...)``."""
        if not isinstance(node, ast.Call) or not node.args:
            return False
        name = self.ctx.qualname(node.func)
        written = self.ctx.local_name(node.func) or ""
        if name not in PATCH_DICT and not written.endswith("patch.dict"):
            return False
        target = node.args[0]
        if isinstance(target, ast.Constant):
            return target.value in self.mapping.strings
        return self.refers(target)

    def _plain_context_manager(self, node: ast.expr) -> bool:
        """A context manager known not to restore the mapping on exit (``pytest.raises``, ``open``...).

        Any other one (a project's ``with restore_env():``, a client, ...)
        might, so writes inside it are given the benefit of the doubt.
        """
        target = node.func if isinstance(node, ast.Call) else node
        name = self.ctx.qualname(target)
        written = self.ctx.local_name(target) or ""
        if name is not None and (name in PLAIN_CONTEXT_MANAGERS or name.startswith(PLAIN_CONTEXT_PREFIXES)):
            return True
        return written.rsplit(".", 1)[-1] in PLAIN_CONTEXT_METHODS

    # -- where a write sits ------------------------------------------------------
    def is_undone(self, node: ast.AST) -> bool:
        """Whether the write at ``node`` is undone by a scoped patch or by teardown code."""
        ctx = self.ctx
        for ancestor in ctx.ancestors(node):
            if isinstance(ancestor, (ast.With, ast.AsyncWith)) and any(
                self.is_patch_dict(item.context_expr) or not self._plain_context_manager(item.context_expr)
                for item in ancestor.items
            ):
                return True
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and any(
                self.is_patch_dict(d) for d in ancestor.decorator_list
            ):
                return True
        function = self.function_of(node)
        if function is None:
            return False
        line = node.lineno  # type: ignore[attr-defined]
        for other in own_nodes(function):
            if self.is_patch_dict(other) and other.lineno < line:  # type: ignore[attr-defined]
                return True  # mocker.patch.dict(...) / patch.dict(...).start() before the change
        if self._restored_after_yield(function, line) or self._restored_in_finally(function, node):
            return True
        if self._restored_by_cleanup(function):
            return True
        return self._restored_by_teardown_hook(function)

    def is_teardown(self, node: ast.AST) -> bool:
        """Whether ``node`` runs as teardown (it is then a restoration, not a leak)."""
        ctx = self.ctx
        for ancestor in ctx.ancestors(node):
            if isinstance(ancestor, ast.Try) and any(_contains(stmt, node) for stmt in ancestor.finalbody):
                return True
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    if ancestor.name in TEARDOWN_HOOKS:
                        return True
                    yield_line = first_yield_line(ancestor)
                    if yield_line is not None and node.lineno > yield_line:  # type: ignore[attr-defined]
                        return True
                if self._registered_as_cleanup(ancestor):
                    return True
                if not isinstance(ancestor, ast.Lambda):
                    return False
        return False

    def function_of(self, node: ast.AST) -> FunctionNode | None:
        """The def whose body holds ``node`` (through lambdas)."""
        for ancestor in self.ctx.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return ancestor
        return None

    def _restored_after_yield(self, function: FunctionNode, line: int) -> bool:
        yield_line = first_yield_line(function)
        if yield_line is None or line > yield_line:
            return False
        return any(
            (self.is_write(other) or self._registers_cleanup(other, function))
            and other.lineno > yield_line  # type: ignore[attr-defined]
            for other in own_nodes(function)
        )

    def _restored_in_finally(self, function: FunctionNode, node: ast.AST) -> bool:
        for other in own_nodes(function):
            if isinstance(other, ast.Try) and other.finalbody and (other.end_lineno or 0) >= node.lineno:  # type: ignore[attr-defined]
                if any(_contains(stmt, node) for stmt in other.finalbody):
                    continue
                if any(self.writes_in(stmt) for stmt in other.finalbody):
                    return True
        return False

    def _restored_by_cleanup(self, function: FunctionNode) -> bool:
        return any(self._registers_cleanup(other, function) for other in own_nodes(function))

    def _registers_cleanup(self, node: ast.AST, function: FunctionNode) -> bool:
        """``request.addfinalizer(cb)`` / ``self.addCleanup(cb, ...)`` whose callback writes the mapping."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLEANUP_REGISTRARS):
            return False
        for argument in [*node.args, *(kw.value for kw in node.keywords)]:
            if self.writes_in(argument):
                return True
            if isinstance(argument, ast.Name):
                target = self._local_function(function, argument.id)
                if target is not None and self.writes_in(target):
                    return True
        return False

    def _registered_as_cleanup(self, function: ast.AST) -> bool:
        """Whether a nested def or lambda is handed to ``addfinalizer``/``addCleanup``."""
        parent = self.ctx.parent(function)
        if isinstance(function, ast.Lambda):
            call = self.ctx.parent(parent) if isinstance(parent, ast.keyword) else parent
            return isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in CLEANUP_REGISTRARS
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        for decorator in function.decorator_list:  # @request.addfinalizer
            if isinstance(decorator, ast.Attribute) and decorator.attr in CLEANUP_REGISTRARS:
                return True
        scope = self.function_of(function)
        if scope is None:
            return False
        for other in own_nodes(scope):
            if isinstance(other, ast.Call) and isinstance(other.func, ast.Attribute) and other.func.attr in CLEANUP_REGISTRARS:
                if any(isinstance(a, ast.Name) and a.id == function.name for a in other.args):
                    return True
        return False

    def _local_function(self, function: FunctionNode, name: str) -> FunctionNode | None:
        """A def named ``name`` in ``function``'s body or at module level."""
        scopes: list[ast.Module | FunctionNode] = [function, self.ctx.tree]
        for scope in scopes:
            for stmt in scope.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
                    return stmt
        return None

    def _restored_by_teardown_hook(self, function: FunctionNode) -> bool:
        teardown = SETUP_TEARDOWN.get(function.name)
        if teardown is None:
            return False
        parent = self.ctx.parent(function)
        body = parent.body if isinstance(parent, (ast.ClassDef, ast.Module)) else []
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == teardown and self.writes_in(stmt):
                return True
        return False


def own_nodes(function: FunctionNode) -> Iterator[ast.AST]:
    """Nodes of a function's body, not descending into nested defs, lambdas or classes."""
    stack: list[ast.AST] = list(reversed(function.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def first_yield_line(function: FunctionNode) -> int | None:
    lines = [n.lineno for n in own_nodes(function) if isinstance(n, (ast.Yield, ast.YieldFrom))]
    return min(lines) if lines else None


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    start = (outer.lineno, outer.col_offset)  # type: ignore[attr-defined]
    end = (outer.end_lineno, outer.end_col_offset)  # type: ignore[attr-defined]
    position = (inner.lineno, inner.col_offset)  # type: ignore[attr-defined]
    return start <= position and position < end if end[0] is not None else False
