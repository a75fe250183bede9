from __future__ import annotations

import ast

from suitelint.core.rule import Invalid, Rule, Valid

WIDER_SCOPES = frozenset({"class", "module", "package", "session"})


class CustomEventLoopFixture(Rule):
    """
    ## What it does
    Flags the definition of a fixture named `event_loop` (by function name or
    `@pytest.fixture(name="event_loop")`), the pre-1.0 way of choosing the
    loop pytest-asyncio runs tests in.

    ## Why is this bad?
    pytest-asyncio 0.23 deprecated overriding `event_loop` and 1.0 removed the
    fixture: the override is silently ignored by new versions (tests run in
    pytest-asyncio's own loop, not yours) while older ones warn. A
    `session`-scoped override also shares one loop across every test, so a
    task or callback left behind by one test runs inside the next.

    Ask for the loop scope you need instead: `loop_scope="session"` on
    `@pytest.mark.asyncio(...)` and `@pytest_asyncio.fixture(...)`, or
    `asyncio_default_fixture_loop_scope` / `asyncio_default_test_loop_scope`
    in the pytest configuration; customise the loop itself with the
    `loop_factory` arguments or an `event_loop_policy` fixture.

    There is no automatic fix: what replaces the override depends on why it
    was written (scope, policy, debug mode), and every test that uses it has
    to be marked accordingly.
    """

    code = "TST203"
    name = "custom-event-loop-fixture"
    message = "custom `event_loop` fixture{scope}: pytest-asyncio 1.0 removed it; {advice}"
    examples = (
        Invalid(
            """
            import asyncio
            import pytest

            @pytest.fixture(scope="session")
            def event_loop():  # [TST203]
                loop = asyncio.new_event_loop()
                yield loop
                loop.close()
            """
        ),
        Invalid(
            """
            import asyncio
            import pytest

            @pytest.fixture(name="event_loop")
            def custom_loop():  # [TST203]
                loop = asyncio.new_event_loop()
                yield loop
                loop.close()
            """,
            title="renamed with `name=`",
            in_docs=False,
        ),
        Valid(
            """
            import pytest
            import pytest_asyncio

            @pytest_asyncio.fixture(loop_scope="session", scope="session")
            async def shared_client():
                return object()

            @pytest.mark.asyncio(loop_scope="session")
            async def test_uses_session_loop(shared_client):
                assert shared_client
            """,
            pytest_ini={"asyncio_default_fixture_loop_scope": "function"},
        ),
        Valid(
            """
            import asyncio
            import pytest

            @pytest.fixture(scope="session")
            def event_loop_policy():
                return asyncio.DefaultEventLoopPolicy()

            def event_loop():
                return None

            @pytest.fixture(name="loop")
            def event_loop_holder():
                return None
            """,
            title="`event_loop_policy`, and functions that do not define an `event_loop` fixture",
            in_docs=False,
        ),
    )

    def begin(self) -> None:
        self._possible = "event_loop" in self.ctx.source

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self._possible or not node.decorator_list:
            return
        decorator = self.ctx.fixture_decorator(node)
        if decorator is None:
            return
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        name = node.name
        scope: str | None = None
        for keyword in keywords:
            if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                if keyword.arg == "name":
                    name = keyword.value.value
                elif keyword.arg == "scope":
                    scope = keyword.value.value
        if name != "event_loop":
            return
        if scope in WIDER_SCOPES:
            advice = (f'use `loop_scope="{scope}"` on asyncio marks and async fixtures, '
                      f"or `asyncio_default_fixture_loop_scope = {scope}`")
            self.report(node, scope=f" with scope `{scope}`", advice=advice)
        else:
            advice = ("each test already gets a fresh loop; set `loop_scope=` on asyncio marks and async fixtures, "
                      "or `asyncio_default_fixture_loop_scope`, for a wider one")
            self.report(node, scope="", advice=advice)

    visit_AsyncFunctionDef = visit_FunctionDef
