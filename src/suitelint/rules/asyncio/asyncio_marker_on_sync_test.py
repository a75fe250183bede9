from __future__ import annotations

import ast

from suitelint.core.diagnostic import Applicability, Edit, Fix
from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.rules.asyncio.source_edits import decorator_line_span


class AsyncioMarkerOnSyncTest(Rule):
    """
    ## What it does
    Flags `@pytest.mark.asyncio` written directly on a test that is a plain
    `def`. Marks applied to a whole class or module (`pytestmark`) are not
    flagged: they legitimately cover classes and modules that mix sync and
    async tests.

    ## Why is this bad?
    The mark does nothing for a synchronous test (pytest-asyncio warns that it
    "is not an async function"). Usually it is the leftover of a test that
    used to be async, or a sign that the author expected the body to run
    inside an event loop, which it does not: code calling
    `asyncio.get_running_loop()` there fails.

    ## Fix
    Removes the decorator line(s). The fix is offered when the decorator
    stands on lines of its own, and is safe: the mark had no effect.
    """

    code = "TST206"
    name = "asyncio-marker-on-sync-test"
    message = "`@{mark}` on sync test `{function}` has no effect: the test is not a coroutine"
    fix = "safe"
    applies_to = frozenset({FileRole.TEST})
    examples = (
        Invalid(
            """
            import pytest

            @pytest.mark.asyncio
            def test_parse_config():  # [TST206]
                assert parse("a=1") == {"a": "1"}
            """,
            fixed="""
            import pytest

            def test_parse_config():
                assert parse("a=1") == {"a": "1"}
            """,
        ),
        Invalid(
            """
            from pytest import mark

            class TestParser:
                @mark.parametrize("text", ["a=1"])
                @mark.asyncio(loop_scope="module")
                def test_parse(self, text):  # [TST206]
                    assert parse(text)
            """,
            fixed="""
            from pytest import mark

            class TestParser:
                @mark.parametrize("text", ["a=1"])
                def test_parse(self, text):
                    assert parse(text)
            """,
            title="with arguments, among other marks",
            in_docs=False,
        ),
        Valid(
            """
            import pytest

            def test_parse_config():
                assert parse("a=1") == {"a": "1"}

            @pytest.mark.asyncio
            async def test_fetch_config(client):
                assert await client.fetch() == {}
            """
        ),
        Valid(
            """
            import pytest

            pytestmark = pytest.mark.asyncio

            @pytest.mark.asyncio
            class TestMixed:
                def test_sync(self):
                    assert True

                async def test_async(self):
                    assert True

            def test_module_level_mark_applies_here_too():
                assert True

            @pytest.mark.asyncio
            def helper_not_a_test():
                return None
            """,
            title="class- and module-level marks over mixed tests",
        ),
    )

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        ctx = self.ctx
        decorators = [d for d in node.decorator_list if ctx.mark_names([d]) == ["asyncio"]]
        if not decorators or not ctx.is_test_function(node):
            return
        edits: list[Edit] = []
        for decorator in decorators:
            span = decorator_line_span(ctx, decorator)
            if span is None:
                edits = []
                break
            edits.append(Edit.delete(span))
        fix = Fix(tuple(edits), Applicability.SAFE, title="Remove the asyncio mark") if edits else None
        first = decorators[0]
        mark = ctx.text(first.func if isinstance(first, ast.Call) else first)
        self.report(node, fix=fix, mark=mark, function=node.name)
