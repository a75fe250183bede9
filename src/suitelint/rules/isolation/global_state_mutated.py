from __future__ import annotations

import ast
from typing import Callable

from suitelint.core.context import FileContext
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.pytest_model.collection import (
    collected_test_of,
    is_collected_test,
    is_fixture,
)
from suitelint.pytest_model.fixture_defs import (
    fixture_decorator,
    fixture_options,
    iter_nodes,
    module_level_statements,
    walk_function_body,
)
from suitelint.pytest_model.fixtures import fixture_index
from suitelint.rules.isolation.restoration import (
    CLEANUP_REGISTRARS,
    PLAIN_CONTEXT_MANAGERS,
    PLAIN_CONTEXT_METHODS,
    PLAIN_CONTEXT_PREFIXES,
    SETUP_TEARDOWN,
    first_yield_line,
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# handled by their own rules: TST401 (os.environ), TST104 (sys.modules), TST403 (dependency_overrides)
OTHER_RULES = ("os.environ", "os.environb", "sys.modules")
CONTAINER_CALLS = frozenset({"dict", "list", "set", "collections.defaultdict", "collections.OrderedDict",
                             "collections.deque", "collections.Counter"})
MUTATING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "appendleft",
                              "extendleft", "__setitem__"})
RESTORING_METHODS = frozenset({"clear", "update", "pop", "popitem", "remove", "discard", "difference_update",
                               "__delitem__"})
# per-request or per-context proxies: attributes set on them do not outlive the context
CONTEXT_LOCALS = ("flask.g", "flask.session", "flask.request", "quart.g", "quart.session", "quart.request",
                  "flask.globals.g", "flask.globals.session", "flask.globals.request")


def test_or_fixture_of(ctx: FileContext, node: ast.AST) -> FunctionNode | None:
    """The outermost test or fixture whose body holds ``node``."""
    found: FunctionNode | None = None
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            is_fixture(ctx, ancestor) or is_collected_test(ctx, ancestor)
        ):
            found = ancestor
    return found


def undone(ctx: FileContext, function: FunctionNode, node: ast.AST, writes: Callable[[ast.AST], bool]) -> bool:
    """Whether the change at ``node`` is undone by teardown code of ``function``.

    Teardown: a write after the first ``yield``; a write in a ``finally`` block
    that follows (or encloses) the change; any ``addfinalizer``/``addCleanup``
    registration; the ``tearDown`` paired with a ``setUp``.
    """
    line = getattr(node, "lineno", 0)
    yield_line = first_yield_line(function)
    for other in walk_function_body(function):
        if yield_line is not None and line <= yield_line and getattr(other, "lineno", 0) > yield_line \
                and writes(other):
            return True
        if isinstance(other, ast.Try) and other.finalbody and (other.end_lineno or 0) >= line:
            for stmt in other.finalbody:
                if any(writes(inner) for inner in iter_nodes(stmt)) and not _inside(node, stmt):
                    return True
        if isinstance(other, ast.Call) and isinstance(other.func, ast.Attribute) \
                and other.func.attr in CLEANUP_REGISTRARS:
            return True
    teardown = SETUP_TEARDOWN.get(function.name)
    parent = ctx.parent(function)
    if teardown and isinstance(parent, (ast.ClassDef, ast.Module)):
        for stmt in parent.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == teardown \
                    and any(writes(n) for n in iter_nodes(stmt)):
                return True
    return False


def in_teardown(ctx: FileContext, function: FunctionNode, node: ast.AST) -> bool:
    """Whether ``node`` is itself teardown code (after ``yield``, in ``finally``, in a teardown hook)."""
    if function.name in SETUP_TEARDOWN.values():
        return True
    yield_line = first_yield_line(function)
    if yield_line is not None and getattr(node, "lineno", 0) > yield_line:
        return True
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, ast.Try) and any(_inside(node, stmt) for stmt in ancestor.finalbody):
            return True
        if ancestor is function:
            break
    return False


def _inside(node: ast.AST, outer: ast.AST) -> bool:
    return any(candidate is node for candidate in iter_nodes(outer))


class GlobalStateMutated(Rule):
    """
    ## What it does
    Flags, in tests and fixtures, changes to state that outlives the test:

    - rebinding a module global (`global _client; _client = None`);
    - setting or deleting an attribute of an imported module, class or
      object, or of a module-level object (`settings.DEBUG = True`,
      `module._cache = None`, `Model.objects = fake`);
    - mutating a module-level container of the test module
      (`SEEN.append(x)`, `CACHE["k"] = v`).

    Not flagged: `monkeypatch.setattr`/`patch.object` (they restore),
    attributes of objects created in the test or passed to it, context
    locals such as Flask's `g` and `session`, and changes that are undone:
    by the same fixture or test (after `yield`, in `finally`, in an
    `addfinalizer`/`addCleanup` callback, in the `tearDown` paired with
    `setUp`, or by writing the same target again before it ends), by the
    `with` block they happen in, by the teardown of an autouse fixture in
    scope, or by `monkeypatch` when the test also patches that attribute.
    Assignments inside `pytest.raises` are expected to be refused. Autouse
    fixtures that rebind module state before every test are resets, not
    leaks. `os.environ`, `sys.modules` and FastAPI's `dependency_overrides`
    have rules of their own (TST401, TST104, TST403).

    ## Why is this bad?
    The change stays for the rest of the session: every later test sees
    `DEBUG = True` or the fake client, and whether it passes depends on
    which tests ran before it. Such suites pass file by file and fail
    together, or fail only under `pytest-xdist` or random ordering.
    """

    code = "TST402"
    name = "global-state-mutated"
    message = "{target} is {action} in {where} `{function}` and never restored; {advice}"
    examples = (
        Invalid(
            """
            from app import config
            from app.cache import store

            SEEN = []
            _client = None

            def test_debug_page(client):
                config.DEBUG = True  # [TST402]
                assert client.get("/debug").status_code == 200

            def test_records(event):
                SEEN.append(event)  # [TST402]
                assert len(SEEN) == 1

            def test_offline():
                global _client
                _client = None  # [TST402]
                store.backend += "-offline"  # [TST402]
                assert not connected()
            """
        ),
        Valid(
            """
            import pytest
            from app import config

            SEEN = []

            def test_debug_page(client, monkeypatch):
                monkeypatch.setattr(config, "DEBUG", True)
                assert client.get("/debug").status_code == 200

            def test_local_object():
                settings = make_settings()
                settings.DEBUG = True
                assert settings.DEBUG

            @pytest.fixture
            def debug():
                old = config.DEBUG
                config.DEBUG = True
                yield
                config.DEBUG = old

            @pytest.fixture
            def events():
                yield SEEN
                SEEN.clear()

            def test_restores(client):
                config.TIMEOUT = 1
                try:
                    assert client.get("/")
                finally:
                    config.TIMEOUT = 30
            """,
            title="monkeypatch, local objects, and state restored after yield or in finally",
        ),
        Valid(
            """
            import flask
            import pytest
            from app import config

            _registry = {}

            @pytest.fixture(autouse=True)
            def reset_registry():
                global _registry
                _registry = {}
                yield
                config.STRICT = True

            def test_lenient(client):
                config.STRICT = False
                assert client.get("/lenient").ok

            def test_request_globals(app):
                with app.app_context():
                    flask.g.user = "ada"
                    assert current_user() == "ada"

            def test_toggle(client):
                config.CACHE = False
                assert client.get("/").ok
                config.CACHE = True
            """,
            title="autouse resets, Flask context locals, a value put back before the test ends",
        ),
    )

    def begin(self) -> None:
        self._module_names: set[str] | None = None
        self._containers: set[str] | None = None
        self._locals: dict[int, set[str]] = {}
        self._globals: dict[int, frozenset[str]] = {}  # id(function) -> names its ``global`` statements declare
        self._setattrs: dict[int, frozenset[tuple[str, object]]] = {}  # id(function) -> setattr(owner, "attr")
        self._any_global = "global" in self.ctx.source  # no `global` statement without the word

    # -- what the module binds ---------------------------------------------------------------------
    def _module_level(self) -> tuple[set[str], set[str]]:
        if self._module_names is None or self._containers is None:
            names: set[str] = set()
            containers: set[str] = set()
            for stmt in module_level_statements(self.ctx.tree.body):
                if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                    for target in targets:
                        if isinstance(target, ast.Name):
                            names.add(target.id)
                            if stmt.value is not None and self._is_container(stmt.value):
                                containers.add(target.id)
                elif isinstance(stmt, ast.ClassDef):
                    names.add(stmt.name)
            self._module_names, self._containers = names, containers
        return self._module_names, self._containers

    def _is_container(self, value: ast.expr) -> bool:
        if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
            return True
        return isinstance(value, ast.Call) and self.ctx.qualname(value.func) in CONTAINER_CALLS

    def _locally_bound(self, function: FunctionNode, name: str, node: ast.AST) -> bool:
        for ancestor in self.ctx.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if name in self._bound(ancestor):
                    return True
            if ancestor is function:
                break
        return False

    def _bound(self, function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
        cached = self._locals.get(id(function))
        if cached is None:
            args = function.args
            cached = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
            cached |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
            declared: set[str] = set()
            body = function.body if isinstance(function.body, list) else [function.body]
            for stmt in body:
                for node in iter_nodes(stmt):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        cached.add(node.id)
                    elif isinstance(node, (ast.Import, ast.ImportFrom)):
                        cached |= {(a.asname or a.name).split(".", 1)[0] for a in node.names}
                    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        cached.add(node.name)
                    elif isinstance(node, ast.arg):
                        cached.add(node.arg)
                    elif isinstance(node, ast.Global):
                        declared |= set(node.names)
            cached -= declared
            self._locals[id(function)] = cached
        return cached

    # -- visits --------------------------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(node, target, "set")

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node, node.target, "changed")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._target(node, node.target, "set")

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._target(node, target, "deleted")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS and isinstance(func.value, ast.Name)):
            return
        name = func.value.id
        _, containers = self._module_level()
        if name not in containers:
            return
        function = test_or_fixture_of(self.ctx, node)
        if function is None or self._locally_bound(function, name, node) or self._autouse(function):
            return
        statement = self._statement(node)
        if self._restored(statement, function, lambda n: _restores_container(n, name), name):
            return
        self._report(statement, f"module-level `{name}`", f"mutated (`{name}.{func.attr}(...)`)", function,
                     "keep per-test data in a fixture, or restore it after `yield`")

    def _target(self, statement: ast.stmt, target: ast.expr, action: str) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(statement, element, action)
            return
        function: FunctionNode | None
        if isinstance(target, ast.Name):
            if not self._declared_global(statement, target.id):
                return
            function = test_or_fixture_of(self.ctx, statement)
            if function is None or self._autouse(function):
                return
            if self._restored(statement, function, lambda n: _assigns_name(n, target.id), target.id):
                return
            self._report(statement, f"global `{target.id}`", "rebound" if action == "set" else action, function,
                         "restore it after `yield`, or use `monkeypatch.setattr` on the module")
            return
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            name = target.value.id
            _, containers = self._module_level()
            function = test_or_fixture_of(self.ctx, statement) if name in containers else None
            if function is None or self._locally_bound(function, name, statement) or self._autouse(function):
                return
            if self._restored(statement, function, lambda n: _restores_container(n, name), name):
                return
            self._report(statement, f"module-level `{name}`", "mutated", function,
                         "keep per-test data in a fixture, or restore it after `yield`")
            return
        if not isinstance(target, ast.Attribute):
            return
        root = target
        while isinstance(root, ast.Attribute):
            root = root.value  # type: ignore[assignment]
        if not isinstance(root, ast.Name) or root.id in ("self", "cls"):
            return
        module_names, _ = self._module_level()
        if root.id not in self.ctx.imports and root.id not in module_names:
            return
        text = self.ctx.text(target)
        qualified = self.ctx.qualname(target) or ""
        if any(qualified == name or qualified.startswith(name + ".") for name in (*OTHER_RULES, *CONTEXT_LOCALS)) \
                or "dependency_overrides" in text:
            return
        function = test_or_fixture_of(self.ctx, statement)
        if function is None or self._locally_bound(function, root.id, statement):
            return
        if self._restored(statement, function, lambda n: _writes_attribute(self.ctx, n, text), target.attr):
            return
        if self._patched_too(function, self.ctx.text(target.value), target.attr) or self._expected_to_raise(statement):
            return
        owner = self.ctx.text(target.value)
        advice = f"use `monkeypatch.setattr({owner}, \"{target.attr}\", ...)`"
        self._report(statement, f"`{text}`", action, function, advice)

    def _restored(self, statement: ast.AST, outer: FunctionNode, writes: Callable[[ast.AST], bool],
                  key: str) -> bool:
        """Undone by teardown, written again in the same function, inside a ``with`` that may restore it,
        or reset by the teardown of an autouse fixture in scope (which touches ``key``)."""
        ctx = self.ctx
        inner = ctx.enclosing_function(statement)
        functions = [outer]
        if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) and inner is not outer:
            functions.insert(0, inner)
        for function in functions:
            if in_teardown(ctx, function, statement) or undone(ctx, function, statement, writes):
                return True
            line = getattr(statement, "lineno", 0)
            if any(writes(other) and getattr(other, "lineno", line) != line and not _inside(other, statement)
                   for other in walk_function_body(function)):
                return True  # restored at the end (or this is the restoring write)
        for ancestor in ctx.ancestors(statement):
            if ancestor is outer:
                break
            if isinstance(ancestor, (ast.With, ast.AsyncWith)) and any(
                not self._plain_context_manager(item.context_expr) for item in ancestor.items
            ):
                return True
        return self._reset_by_autouse(outer, key)

    def _reset_by_autouse(self, function: FunctionNode, key: str) -> bool:
        if self.ctx.workspace is None:
            return False
        test = collected_test_of(self.ctx, function)
        owner = test.owner if test is not None else self._owner(function)
        vis = fixture_index(self.ctx.workspace).visibility(self.ctx, owner)
        return any(f.autouse and key in f.teardown for layer in vis.layers for f in layer.fixtures.values())

    def _owner(self, function: FunctionNode) -> str | None:
        names = [a.name for a in self.ctx.ancestors(function) if isinstance(a, ast.ClassDef)]
        return ".".join(reversed(names)) or None

    def _patched_too(self, function: FunctionNode, owner: str, attribute: str) -> bool:
        """``monkeypatch.setattr(owner, "attr", ...)`` in the same test: its teardown restores the original."""
        patched = self._setattrs.get(id(function))
        if patched is None:
            patched = frozenset(
                (self.ctx.text(node.args[0]), node.args[1].value)
                for node in iter_nodes(function)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setattr"
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
            )
            self._setattrs[id(function)] = patched
        return (owner, attribute) in patched

    def _expected_to_raise(self, statement: ast.AST) -> bool:
        """A write inside ``pytest.raises``/``assertRaises``: the assignment is expected to be refused."""
        for ancestor in self.ctx.ancestors(statement):
            if isinstance(ancestor, (ast.With, ast.AsyncWith)):
                for item in ancestor.items:
                    call = item.context_expr
                    target = call.func if isinstance(call, ast.Call) else call
                    name = self.ctx.qualname(target) or self.ctx.local_name(target) or ""
                    if name in ("pytest.raises", "pytest.RaisesExc", "pytest.RaisesGroup") or \
                            name.rsplit(".", 1)[-1] in ("assertRaises", "assertRaisesRegex"):
                        return True
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return False
        return False

    def _plain_context_manager(self, node: ast.expr) -> bool:
        """A context manager known not to restore anything on exit (``pytest.raises``, ``open``...)."""
        target = node.func if isinstance(node, ast.Call) else node
        name = self.ctx.qualname(target)
        written = self.ctx.local_name(target) or ""
        if name is not None and (name in PLAIN_CONTEXT_MANAGERS or name.startswith(PLAIN_CONTEXT_PREFIXES)):
            return True
        return written.rsplit(".", 1)[-1] in PLAIN_CONTEXT_METHODS

    def _autouse(self, function: FunctionNode) -> bool:
        """Autouse fixtures that reset module state run before every test: a reset, not a leak."""
        decorator = fixture_decorator(function, self.ctx.imports)
        return decorator is not None and fixture_options(decorator).autouse

    def _declared_global(self, node: ast.AST, name: str) -> bool:
        if not self._any_global:
            return False
        function = self.ctx.enclosing_function(node)
        if function is None or isinstance(function, ast.Lambda):
            return False
        declared = self._globals.get(id(function))
        if declared is None:
            declared = frozenset(
                name for n in walk_function_body(function) if isinstance(n, ast.Global) for name in n.names
            )
            self._globals[id(function)] = declared
        return name in declared

    def _statement(self, node: ast.AST) -> ast.AST:
        if isinstance(node, ast.stmt):
            return node
        for ancestor in self.ctx.ancestors(node):
            if isinstance(ancestor, ast.stmt):
                return ancestor
        return node

    def _report(self, node: ast.AST, target: str, action: str, function: FunctionNode, advice: str) -> None:
        where = "fixture" if is_fixture(self.ctx, function) else "test"
        self.report(node, target=target, action=action, where=where, function=function.name, advice=advice)


def _assigns_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del))


def _restores_container(node: ast.AST, name: str) -> bool:
    """A write that undoes additions: rebinding, slice assignment, ``del``, ``clear()``/``pop()``/``update(saved)``."""
    if _assigns_name(node, name):
        return True
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == name:
        return isinstance(node.ctx, ast.Del) or (isinstance(node.ctx, ast.Store) and isinstance(node.slice, ast.Slice))
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in RESTORING_METHODS \
        and isinstance(node.func.value, ast.Name) and node.func.value.id == name


def _writes_attribute(ctx: FileContext, node: ast.AST, text: str) -> bool:
    """A write to the attribute: assignment, ``del``, slice assignment, a method call on it, ``setattr``."""
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return ctx.text(node) == text
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return ctx.text(node.value) == text
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
        *RESTORING_METHODS, *MUTATING_METHODS, "setLevel", "extend", "append"
    ):
        return ctx.text(node.func.value) == text
    if isinstance(node, ast.Call) and ctx.qualname(node.func) in ("setattr", "delattr") and node.args:
        return text.startswith(ctx.text(node.args[0]) + ".")
    return False
