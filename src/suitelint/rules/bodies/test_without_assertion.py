from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from suitelint.core.astwalk import walk_from
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.pytest_model.collection import CollectedTest, collected_tests
from suitelint.pytest_model.fixture_defs import (
    module_level_statements,
    resolved,
    walk_function_body,
)
from suitelint.pytest_model.fixtures import fixture_index
from suitelint.pytest_model.requests import mark_name, marks_of
from suitelint.rules.bodies.test_scopes import enclosing_test

ASSERTING_PREFIXES = ("assert", "check", "verify", "expect")
# calls that fail the test when their expectation is not met
ASSERTING_CALLS = frozenset({
    "pytest.raises", "pytest.warns", "pytest.deprecated_call", "pytest.fail", "pytest.skip", "pytest.xfail",
    "pytest.importorskip", "pytest.exit", "pytest.RaisesGroup", "pytest.RaisesExc",
    "trio.testing.RaisesGroup", "trio.testing.Matcher",
})
# methods of well-known test helpers that assert (pytester's LineMatcher, unittest)
ASSERTING_METHODS = frozenset({
    "fnmatch_lines", "re_match_lines", "no_fnmatch_line", "no_re_match_line", "fnmatch_lines_random",
    "re_match_lines_random", "fail", "failIf", "failUnless", "failUnlessEqual", "failUnlessRaises",
    "subTest", "assertoutcome",
})
# fixtures whose use is the test (benchmarks time the call, snapshot fixtures assert on their own)
SELF_CHECKING_FIXTURES = frozenset({"benchmark", "benchmark_weave", "data_regression", "file_regression",
                                    "num_regression", "dataframe_regression", "image_regression",
                                    "ndarrays_regression", "snapshot_check"})
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def is_asserting_name(name: str) -> bool:
    bare = name.lstrip("_").lower()
    return bare.startswith(ASSERTING_PREFIXES)


class TestWithoutAssertion(Rule):
    """
    ## What it does
    Flags a test that checks nothing: no `assert`, no `raise`, no
    `pytest.raises`/`warns`/`fail`, no mock assertion (`mock.assert_called_once()`),
    no `self.assert*`/`self.fail` (unittest), and no call to a helper whose
    name starts with `assert`, `check`, `verify` or `expect` (a leading
    underscore is ignored) or whose body asserts itself (one level deep: a
    function of the module, a method of the class, or a function imported
    from a project module).

    Tests marked `skip`/`xfail`/`benchmark`, tests that run another test
    function, and tests using fixtures that check on their own (`benchmark`,
    pytest-regressions' `data_regression`...), are not flagged.

    ## Why is this bad?
    A test without an assertion passes whenever the code does not raise:
    it cannot catch a wrong result, and it counts as coverage that is not
    there. Often the assertion was lost in a refactor, or the test computes a
    value and forgets to compare it. Assert on the outcome, or, for a test
    whose point is "does not raise", say so with an assertion on the result.
    """

    __test__ = False  # a pytest collection hint: this class is not a test

    code = "TST601"
    name = "test-without-assertion"
    message = "test `{test}` has no assertion: it passes as long as nothing raises"
    examples = (
        Invalid(
            """
            def test_create_order(client):  # [TST601]
                response = client.post("/orders", json={"sku": "A1"})
                response.json()
            """
        ),
        Valid(
            """
            import pytest
            from unittest import mock

            def assert_valid(order):
                assert order["status"] == "new"

            def check_total(order):
                return order["total"] > 0

            def expect_status(response, status):
                if response.status_code != status:
                    raise AssertionError(response.text)

            def test_order(client):
                assert_valid(client.post("/orders").json())

            def test_total(client):
                check_total(client.get("/orders/1").json())

            def test_status(client):
                expect_status(client.get("/"), 200)

            def test_rejects_bad_sku(client):
                with pytest.raises(ValueError):
                    client.post("/orders", json={"sku": ""})

            def test_notifies(client):
                with mock.patch("app.mail.send") as send:
                    client.post("/orders")
                send.assert_called_once()
            """,
            title="asserting helpers, pytest.raises and mock assertions",
        ),
        Valid(
            """
            import unittest

            import pytest

            class TestOrders(unittest.TestCase):
                def test_total(self):
                    self.assertEqual(total([1, 2]), 3)

            @pytest.mark.skip(reason="needs a broker")
            def test_publish(broker):
                broker.publish("x")

            def test_speed(benchmark):
                benchmark(sorted, range(1000))
            """,
            title="unittest assertions, skipped tests, benchmarks",
        ),
    )

    def begin(self) -> None:
        self._asserting_helpers: dict[int, bool] = {}
        self._functions: dict[str, FunctionNode] | None = None
        self._imported: dict[str, FunctionNode | None] = {}
        # `assert` and `raise` statements seen by the walk: a test holding one asserts
        self._statements: list[ast.Assert | ast.Raise] = []

    def visit_Assert(self, node: ast.Assert) -> None:
        self._statements.append(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        self._statements.append(node)

    def end(self) -> None:
        tests = collected_tests(self.ctx)
        if not tests:
            return
        ids = {id(test.node) for test in tests}
        seen: set[int] = set()  # tests holding an `assert` or a `raise` (anywhere, as `ast.walk` finds them)
        for node in self._statements:
            function = enclosing_test(self.ctx, node, ids)
            if function is not None:
                seen.add(id(function))
        for test in tests:
            if id(test.node) in seen:
                continue
            seen.add(id(test.node))
            if self._exempt(test):
                continue
            if self._asserts(test.node, test, depth=0):
                continue
            self.report(test.node, test=test.node.name)

    def _exempt(self, test: CollectedTest) -> bool:
        for mark in marks_of(self.ctx, test.node, test.classes):
            if mark_name(self.ctx, mark) in ("skip", "xfail", "benchmark"):
                return True
        for decorator in test.node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if (self.ctx.qualname(target) or "").startswith(("unittest.skip", "unittest.expectedFailure")):
                return True
        args = test.node.args
        names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        return bool(names & SELF_CHECKING_FIXTURES)

    def _asserts(self, function: FunctionNode, test: CollectedTest | None, depth: int) -> bool:
        for node in _body_first(function):
            if isinstance(node, (ast.Assert, ast.Raise)):
                return True
            if isinstance(node, ast.Call) and self._asserting_call(node, test, depth):
                return True
        return False

    def _asserting_call(self, node: ast.Call, test: CollectedTest | None, depth: int) -> bool:
        func = node.func
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if last and (is_asserting_name(last) or last in ASSERTING_METHODS or last.startswith("test")):
            return True  # an asserting helper, or a test run from this one
        if (self.ctx.qualname(func) or "") in ASSERTING_CALLS:
            return True
        if last and ("raise" in last.lower() or "warns" in last.lower()) and self._is_context_manager(node):
            return True  # `with tm.raises_chained_assignment_error():`, `with assert_warns(...)`
        if depth > 0 or not last:
            return False
        helper = self._helper(func, test)
        if helper is UNREADABLE:
            return True  # a method inherited from a base class we cannot read: give it the benefit of the doubt
        return helper is not None and self._helper_asserts(helper)  # type: ignore[arg-type]

    def _is_context_manager(self, call: ast.Call) -> bool:
        parent = self.ctx.parent(call)
        return isinstance(parent, ast.withitem)

    def _helper(self, func: ast.expr, test: CollectedTest | None) -> FunctionNode | object | None:
        """The function a call in a test runs, when it is ours to read (UNREADABLE: it might assert)."""
        if isinstance(func, ast.Name):
            local = self._module_functions().get(func.id)
            if local is not None:
                return local
            return self._imported_function(func.id)
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")
                and test is not None and test.classes):
            return self._method(test, func.attr)
        return None

    def _method(self, test: CollectedTest, name: str) -> FunctionNode | object | None:
        """``self.name`` of a test class: in the class, a base of this module, or a base imported from the project."""
        ctx = self.ctx
        if ctx.workspace is None:
            return UNREADABLE
        index = fixture_index(ctx.workspace)
        summary = index.context_summary(ctx)
        owner = test.owner or ""
        deps: set[Path] = getattr(ctx, "dependencies", set())
        unreadable = False
        for cls, path in index.class_lineage(summary, owner, resolved(ctx.path), deps):
            if cls is None:
                unreadable = True
                continue
            tree = ctx.tree if path == resolved(ctx.path) else _parsed(path, ctx.workspace.read_text(path))
            node = _class_node(tree, cls.qualname) if tree is not None else None
            if node is None:
                unreadable = True
                continue
            for stmt in node.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
                    return stmt
        return UNREADABLE if unreadable else None

    def _module_functions(self) -> dict[str, FunctionNode]:
        if self._functions is None:
            self._functions = {s.name: s for s in module_level_statements(self.ctx.tree.body)
                               if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        return self._functions

    def _imported_function(self, name: str) -> FunctionNode | None:
        if name not in self._imported:
            self._imported[name] = self._find_imported_function(name)
        return self._imported[name]

    def _find_imported_function(self, name: str) -> FunctionNode | None:
        ctx = self.ctx
        if ctx.workspace is None:
            return None
        index = fixture_index(ctx.workspace)
        imported = index.context_summary(ctx).name_imports.get(name)
        if imported is None:
            return None
        module, attribute = imported
        target = index.resolve_module(module, ctx.path, "project")
        if target is None:
            return None
        tree = _parsed(target, ctx.workspace.read_text(target))
        if tree is None:
            return None
        deps = getattr(ctx, "dependencies", None)
        if deps is not None:
            deps.add(target)
        for stmt in module_level_statements(tree.body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == attribute:
                return stmt
        return None

    def _helper_asserts(self, helper: FunctionNode) -> bool:
        cached = self._asserting_helpers.get(id(helper))
        if cached is None:
            cached = any(
                isinstance(n, (ast.Assert, ast.Raise)) or (isinstance(n, ast.Call) and self._asserting_call(n, None, 1))
                for n in walk_function_body(helper)
            )
            self._asserting_helpers[id(helper)] = cached
        return cached


def _body_first(function: FunctionNode) -> Iterator[ast.AST]:
    """Every node under ``function`` (like ``ast.walk``), its body's last statement first.

    A test's check is usually its last statement: found first, the rest (large
    ``parametrize`` decorators included) is not walked.
    """
    stack: list[ast.AST] = [*function.decorator_list, function.args]
    if function.returns is not None:
        stack.append(function.returns)
    stack.extend(getattr(function, "type_params", ()))  # Python 3.12
    stack.extend(function.body)
    return walk_from(stack, frozenset())


UNREADABLE = object()
_TREES: dict[tuple[Path, int], ast.Module | None] = {}
MAX_TREES = 256


def _parsed(path: Path, text: str | None) -> ast.Module | None:
    """Helper modules parsed once per process (a small cache: helpers live in few modules)."""
    if text is None:
        return None
    key = (path, hash(text))
    if key not in _TREES:
        if len(_TREES) >= MAX_TREES:
            _TREES.clear()
        try:
            _TREES[key] = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            _TREES[key] = None
    return _TREES[key]


def _class_node(tree: ast.Module, qualname: str) -> ast.ClassDef | None:
    body: list[ast.stmt] = tree.body
    found: ast.ClassDef | None = None
    for part in qualname.split("."):
        found = next((s for s in module_level_statements(body) if isinstance(s, ast.ClassDef) and s.name == part),
                     None)
        if found is None:
            return None
        body = found.body
    return found
