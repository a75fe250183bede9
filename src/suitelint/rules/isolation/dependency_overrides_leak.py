from __future__ import annotations

import ast

from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.pytest_model.collection import collected_test_of, is_fixture
from suitelint.pytest_model.fixture_defs import FixtureDef, walk_function_body
from suitelint.pytest_model.fixtures import fixture_index
from suitelint.pytest_model.requests import function_arguments
from suitelint.rules.isolation.global_state_mutated import (
    in_teardown,
    test_or_fixture_of,
    undone,
)

OVERRIDES = "dependency_overrides"
CLEARING_METHODS = frozenset({"clear", "pop", "popitem", "update", "__delitem__"})
MAX_CLOSURE = 50


class DependencyOverridesLeak(Rule):
    """
    ## What it does
    Flags `app.dependency_overrides[dep] = fake` (and `.update(...)`) on an
    imported or module-level app, in a test or fixture, when nothing clears
    it on every way out: after the
    fixture's `yield`, in a `finally` block, in an `addfinalizer`/`addCleanup`
    callback, or in the teardown of a fixture the test uses (an autouse
    fixture in scope, or a requested one such as a `client` fixture that
    clears the overrides after `yield`). A test that clears the overrides
    at its end, outside `finally`, leaks them whenever it fails first, and
    is flagged too. An app the test builds itself, or receives from a
    fixture, is its own business and is not flagged.

    ## Why is this bad?
    `dependency_overrides` lives on the application object, which the whole
    test session shares. An override left behind replaces the real
    dependency (the database session, the current user) in every later
    test that uses the app: they pass or fail depending on which test ran
    before them, and the failure points nowhere near the cause. Set
    overrides in a fixture and clear them after `yield`.
    """

    code = "TST403"
    name = "dependency-overrides-leak"
    message = "`{target}` is set in {where} `{function}` and {problem}; clear the overrides after `yield` in a fixture"
    examples = (
        Invalid(
            """
            from app.main import app, get_db

            def test_items(client, fake_db):
                app.dependency_overrides[get_db] = lambda: fake_db  # [TST403]
                assert client.get("/items").status_code == 200

            def test_users(client, fake_db):
                app.dependency_overrides[get_db] = lambda: fake_db  # [TST403]
                assert client.get("/users").status_code == 200
                app.dependency_overrides.clear()
            """
        ),
        Valid(
            """
            import pytest
            from fastapi.testclient import TestClient
            from app.main import app, get_db

            @pytest.fixture
            def client(fake_db):
                app.dependency_overrides[get_db] = lambda: fake_db
                yield TestClient(app)
                app.dependency_overrides.clear()

            def test_items(client):
                assert client.get("/items").status_code == 200

            def test_users(api, fake_db):
                app.dependency_overrides[get_db] = lambda: fake_db
                try:
                    assert api.get("/users").status_code == 200
                finally:
                    app.dependency_overrides.pop(get_db)

            def test_admin(client, fake_db):
                app.dependency_overrides[get_db] = lambda: fake_db
                assert client.get("/admin").status_code == 403
            """,
            title="cleared after yield, in finally, or by a fixture the test requests",
        ),
    )

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript) and _is_overrides(target.value):
                self._check(node, self.ctx.text(target), target.value)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("update", "setdefault", "__setitem__") \
                and _is_overrides(func.value) and (node.args or node.keywords):
            parent = self.ctx.parent(node)
            self._check(parent if isinstance(parent, ast.Expr) else node, self.ctx.text(func) + "(...)", func.value)

    def _check(self, statement: ast.AST, target: str, owner: ast.expr) -> None:
        ctx = self.ctx
        function = test_or_fixture_of(ctx, statement)
        if function is None or in_teardown(ctx, function, statement):
            return
        if not self._shared_app(owner, statement):
            return
        if undone(ctx, function, statement, _clears):
            return
        late = any(_clears(n) and getattr(n, "lineno", 0) > getattr(statement, "lineno", 0)
                   for n in walk_function_body(function))
        test = collected_test_of(ctx, function)
        if test is not None and self._cleared_by_fixtures(function, test.owner, bool(test.classes)):
            return
        if is_fixture(ctx, function):
            if self._cleared_by_fixtures(function, None, False, autouse_only=True):
                return
            problem = "never cleared" if not late else "cleared before the tests that use it run"
            where = "fixture"
        else:
            problem = "cleared only if the test passes" if late else "never cleared"
            where = "test"
        self.report(statement, target=target, where=where, function=function.name, problem=problem)

    def _shared_app(self, overrides: ast.expr, statement: ast.AST) -> bool:
        """The app is imported or module-level, not one the test or fixture builds or receives."""
        root = overrides
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return False
        for ancestor in self.ctx.ancestors(statement):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                args = ancestor.args
                params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
                body = ancestor.body if isinstance(ancestor.body, list) else [ancestor.body]
                stored = {n.id for stmt in body for n in ast.walk(stmt)
                          if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
                if root.id in params | stored:
                    return False
        return True

    def _cleared_by_fixtures(self, function: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None,
                             in_class: bool, *, autouse_only: bool = False) -> bool:
        """Whether an autouse fixture in scope, or a fixture the test requests, clears overrides in teardown."""
        ctx = self.ctx
        if ctx.workspace is None:
            return True
        vis = fixture_index(ctx.workspace).visibility(ctx, owner)
        for layer in vis.layers:
            for fixture in layer.fixtures.values():
                if fixture.autouse and OVERRIDES in fixture.teardown:
                    return True
        if autouse_only:
            return False
        arguments = function_arguments(ctx, function, in_class=in_class)
        if arguments is None:
            return True
        pending = [a.arg for a in arguments]
        seen: set[str] = set()
        while pending and len(seen) < MAX_CLOSURE:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            found = vis.lookup(name)
            if not isinstance(found, FixtureDef):
                continue
            if OVERRIDES in found.teardown:
                return True
            pending.extend(found.argnames)
        return False


def _is_overrides(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == OVERRIDES


def _clears(node: ast.AST) -> bool:
    """``overrides.clear()/pop()``, ``del overrides[...]``, ``app.dependency_overrides = {...}``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLEARING_METHODS:
        return _is_overrides(node.func.value)
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Del):
        return _is_overrides(node.value)
    return isinstance(node, ast.Attribute) and node.attr == OVERRIDES and isinstance(node.ctx, (ast.Store, ast.Del))
