from __future__ import annotations

import ast

from suitelint.core.astwalk import iter_nodes
from suitelint.core.context import FileContext
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.core.spelling import may_spell
from suitelint.rules.asyncio.conftest_chain import module_facts_of_tree, visible_modules
from suitelint.rules.asyncio.runners import requested_fixtures

EVENT_LOOP = "event_loop"


class EventLoopFixtureRequested(Rule):
    """
    ## What it does
    Flags tests and fixtures that request pytest-asyncio's `event_loop`
    fixture: as an argument, through `@pytest.mark.usefixtures("event_loop")`
    (on the function, its class or the module's `pytestmark`), or with
    `request.getfixturevalue("event_loop")`.

    Nothing is reported when the project defines its own `event_loop`
    fixture (TST203 flags that definition): in the same module, in a
    conftest.py between the module's directory and the rootdir, or in a
    module named by `pytest_plugins` there. Methods of `unittest` classes and
    `parametrize` argument names are not fixture requests.

    ## Why is this bad?
    pytest-asyncio 1.0 removed the `event_loop` fixture: tests that request it
    fail with "fixture 'event_loop' not found" on upgrade, and on older
    versions they may get a different loop than the one their async fixtures
    run in.

    Inside a coroutine (async test or fixture), use
    `asyncio.get_running_loop()`; choose the loop's lifetime with
    `loop_scope=` on the asyncio mark or async fixture.

    There is no automatic fix: the replacement depends on what the loop is
    used for (often the test has to become `async def`).
    """

    code = "TST207"
    name = "event-loop-fixture-requested"
    message = (
        "{kind} `{function}` requests the `event_loop` fixture{how}, removed in pytest-asyncio 1.0; "
        "use `asyncio.get_running_loop()` inside the coroutine"
    )
    examples = (
        Invalid(
            """
            import pytest

            @pytest.fixture
            def server(event_loop):  # [TST207]
                return event_loop.run_until_complete(start_server())

            def test_ping(event_loop, server):  # [TST207]
                assert event_loop.run_until_complete(server.ping())

            @pytest.mark.usefixtures("event_loop")
            class TestLegacy:  # [TST207]
                def test_legacy(self):
                    assert True

            def test_dynamic(request):  # [TST207]
                loop = request.getfixturevalue("event_loop")
                assert loop
            """
        ),
        Valid(
            """
            import asyncio
            import pytest

            @pytest.mark.asyncio
            async def test_ping(server):
                loop = asyncio.get_running_loop()
                assert await server.ping(loop)
            """
        ),
        Valid(
            """
            import asyncio
            import pytest

            def test_ping(event_loop):
                assert event_loop.is_running() is False
            """,
            files={
                "tests/conftest.py": """
                    import asyncio
                    import pytest

                    @pytest.fixture
                    def event_loop():
                        loop = asyncio.new_event_loop()
                        yield loop
                        loop.close()
                    """,
            },
            title="the project defines its own `event_loop` (TST203 reports the definition)",
        ),
        Valid(
            """
            import pytest
            import unittest

            @pytest.mark.parametrize("event_loop", ["uvloop", "asyncio"])
            def test_names(event_loop):
                assert event_loop

            def test_default(event_loop=None):
                assert event_loop is None

            class TestCase(unittest.TestCase):
                def test_x(self, event_loop=None):
                    self.assertIsNone(event_loop)

            def helper(event_loop):
                return event_loop
            """,
            title="parametrize argnames, defaults, unittest methods, helpers",
            in_docs=False,
        ),
    )

    def begin(self) -> None:
        self._defined: bool | None = None
        self._possible = EVENT_LOOP in self.ctx.source
        self._dynamic = self._possible and may_spell(self.ctx.source, "getfixturevalue")

    def _project_defines_event_loop(self) -> bool:
        if self._defined is None:
            self._defined = EVENT_LOOP in module_facts_of_tree(self.ctx).fixtures or any(
                EVENT_LOOP in facts.fixtures for _, facts in visible_modules(self.ctx)
            )
        return self._defined

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self._possible:
            return
        ctx = self.ctx
        is_fixture = ctx.is_fixture(node)
        if not is_fixture and not ctx.is_test_function(node):
            return
        cls = ctx.enclosing_class(node)
        if cls is not None and ctx.is_unittest_class(cls):
            return
        how = None
        if EVENT_LOOP in requested_fixtures(node) and EVENT_LOOP not in _parametrized_names(ctx, node):
            how = ""
        elif EVENT_LOOP in _usefixtures(ctx, node.decorator_list):
            how = " through `usefixtures`"
        elif self._dynamic and _getfixturevalue(node):
            how = " through `getfixturevalue`"
        if how is None or self._project_defines_event_loop():
            return
        self.report(node, kind="fixture" if is_fixture else "test", function=node.name, how=how)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        ctx = self.ctx
        if not self._possible or ctx.role != "test" or not ctx.is_test_class(node) or ctx.is_unittest_class(node):
            return
        values = list(node.decorator_list)
        values.extend(stmt.value for stmt in node.body if isinstance(stmt, ast.Assign) and _is_pytestmark(stmt))
        if EVENT_LOOP in _usefixtures(ctx, values) and not self._project_defines_event_loop():
            self.report(node, kind="class", function=node.name, how=" through `usefixtures`")

    def visit_Assign(self, node: ast.Assign) -> None:
        ctx = self.ctx
        if not self._possible or ctx.role != "test" or not isinstance(ctx.parent(node), ast.Module) or not _is_pytestmark(node):
            return
        if EVENT_LOOP in _usefixtures(ctx, [node.value]) and not self._project_defines_event_loop():
            self.report(node, kind="module", function=ctx.module_name, how=" through `usefixtures` in `pytestmark`")


def _is_pytestmark(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in stmt.targets)


def _usefixtures(ctx: FileContext, values: list[ast.expr]) -> set[str]:
    """Fixture names given to ``pytest.mark.usefixtures`` in decorators or pytestmark values."""
    names: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, (ast.List, ast.Tuple)):
            stack.extend(value.elts)
        elif isinstance(value, ast.Call) and ctx.qualname(value.func) == "pytest.mark.usefixtures":
            names.update(a.value for a in value.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return names


def _parametrized_names(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names: set[str] = set()
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Call) and ctx.qualname(decorator.func) == "pytest.mark.parametrize" and decorator.args:
            argnames = decorator.args[0]
            if isinstance(argnames, ast.Constant) and isinstance(argnames.value, str):
                names.update(part.strip() for part in argnames.value.split(","))
            elif isinstance(argnames, (ast.List, ast.Tuple)):
                names.update(e.value for e in argnames.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return names


def _getfixturevalue(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in iter_nodes(func):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "getfixturevalue"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == EVENT_LOOP
        ):
            return True
    return False
