from __future__ import annotations

import ast
from collections import Counter

from suitelint.core.diagnostic import Applicability, Edit, Fix
from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.rules.asyncio.runners import (
    RUNNER_MARKS,
    ClassKinds,
    asyncio_mode,
    claiming_plugin,
    has_opaque_decorator,
    requested_fixtures,
    runner_marks,
)
from suitelint.rules.asyncio.source_edits import add_import, line_indent, module_alias, statement_start


class AsyncTestWithoutMarker(Rule):
    """
    ## What it does
    Flags an `async def` test that no plugin will run: it has no `asyncio`,
    `anyio` or `trio` mark (on the function, its class, or the module's
    `pytestmark`), does not request `anyio_backend`, and pytest-asyncio is in
    strict mode (its default).

    The mode is read from the pytest configuration wherever pytest reads it
    (`pytest.ini`, `pyproject.toml`, `tox.ini`, `setup.cfg`, `--asyncio-mode`
    or `-o asyncio_mode=` in `addopts`); `asyncio-mode` in `[tool.suitelint]`
    overrides it. Nothing is reported in auto mode, when another plugin runs
    every coroutine test (pytest-trio's `trio_mode = true`, anyio's
    `anyio_mode = auto`, `aiohttp.pytest_plugin` or pytest-tornasync loaded
    through `-p` or `pytest_plugins` in the module, its conftest.py files or
    their plugins), for methods of `unittest` test cases
    (`IsolatedAsyncioTestCase` runs them itself), or when a decorator other
    than marks and well-known pass-through decorators (`mock.patch`,
    `hypothesis.given`, ...) wraps the test. Marks added at run time by a
    `pytest_collection_modifyitems` hook are invisible to static analysis:
    such tests are reported.

    ## Why is this bad?
    pytest cannot run a coroutine: without a plugin claiming it, calling the
    test only creates a coroutine object. Depending on the pytest version the
    test is skipped with a warning or fails with "async def functions are not
    natively supported"; either way its body never runs, and a skipped test
    looks like a passing suite.

    ## Fix
    Adds `@pytest.mark.asyncio` above the test's decorators (`anyio` or
    `trio` instead when the module marks its other async tests that way),
    and `import pytest` after the last top-level import when the module
    lacks it. The fix is safe: it changes no code, it makes the test run.
    Alternatively set `asyncio_mode = auto`.
    """

    code = "TST201"
    name = "async-test-without-marker"
    message = (
        "async test `{function}` has no asyncio, anyio or trio mark and asyncio_mode is strict ({source}): "
        "its body never runs"
    )
    fix = "safe"
    applies_to = frozenset({FileRole.TEST})
    examples = (
        Invalid(
            """
            import pytest

            async def test_fetch_user(client):  # [TST201]
                user = await client.get_user(1)
                assert user.name == "ada"
            """,
            fixed="""
            import pytest

            @pytest.mark.asyncio
            async def test_fetch_user(client):
                user = await client.get_user(1)
                assert user.name == "ada"
            """,
        ),
        Invalid(
            '''
            """Tests of the job queue."""
            from helpers import run_in_event_loop
            from queue_app import Queue

            class TestQueue:
                @run_in_event_loop
                async def test_put(self):
                    assert True

                async def test_get(self):  # [TST201]
                    assert await Queue().get() is None
            ''',
            fixed='''
            """Tests of the job queue."""
            from helpers import run_in_event_loop
            from queue_app import Queue
            import pytest

            class TestQueue:
                @run_in_event_loop
                async def test_put(self):
                    assert True

                @pytest.mark.asyncio
                async def test_get(self):
                    assert await Queue().get() is None
            ''',
            title="`import pytest` is added when missing; tests wrapped by other decorators are left alone",
        ),
        Invalid(
            """
            import pytest

            class TestMarked:
                pytestmark = pytest.mark.anyio

                async def test_marked_by_class(self):
                    assert True

            class TestWorker:
                @pytest.mark.parametrize("n", [1, 2])
                async def test_run(self, n):  # [TST201]
                    assert n
            """,
            pytest_ini={"asyncio_mode": "strict"},
            fixed="""
            import pytest

            class TestMarked:
                pytestmark = pytest.mark.anyio

                async def test_marked_by_class(self):
                    assert True

            class TestWorker:
                @pytest.mark.anyio
                @pytest.mark.parametrize("n", [1, 2])
                async def test_run(self, n):
                    assert n
            """,
            title="a class's pytestmark covers that class only; the fix uses the module's runner",
            in_docs=False,
        ),
        Valid(
            """
            import pytest

            @pytest.mark.asyncio
            async def test_fetch_user(client):
                user = await client.get_user(1)
                assert user.name == "ada"
            """
        ),
        Valid(
            """
            async def test_fetch_user(client):
                user = await client.get_user(1)
                assert user.name == "ada"
            """,
            pytest_ini={"asyncio_mode": "auto"},
            title="auto mode",
        ),
        Valid(
            """
            async def test_fetch_user(client):
                assert await client.get_user(1)
            """,
            pytest_ini={"addopts": "-ra --asyncio-mode=auto"},
            title="auto mode from addopts",
            in_docs=False,
        ),
        Valid(
            """
            async def test_fetch_user(client):
                assert await client.get_user(1)
            """,
            settings={"asyncio-mode": "auto"},
            title="auto mode set in [tool.suitelint]",
            in_docs=False,
        ),
        Valid(
            """
            import pytest

            pytestmark = [pytest.mark.asyncio(loop_scope="module")]

            async def test_module_mark():
                assert True

            @pytest.mark.anyio
            class TestAnyio:
                async def test_class_mark(self):
                    assert True

            class TestTrio:
                pytestmark = pytest.mark.trio

                async def test_class_pytestmark(self):
                    assert True

            @pytest.mark.trio
            async def test_trio():
                assert True

            async def test_requests_anyio_backend(anyio_backend):
                assert anyio_backend
            """,
            title="asyncio, anyio and trio marks at any level",
        ),
        Valid(
            """
            import unittest

            class BaseCase(unittest.IsolatedAsyncioTestCase):
                pass

            class TestClient(BaseCase):
                async def test_connect(self):
                    self.assertTrue(True)
            """,
            title="unittest runs its own async test methods",
        ),
        Valid(
            """
            async def test_nursery():
                assert True
            """,
            pytest_ini={"trio_mode": "true"},
            title="pytest-trio's trio mode",
            in_docs=False,
        ),
        Valid(
            """
            async def test_any_backend():
                assert True
            """,
            pytest_ini={"anyio_mode": "auto"},
            title="anyio's auto mode",
            in_docs=False,
        ),
        Valid(
            """
            async def test_client(aiohttp_client):
                assert aiohttp_client
            """,
            files={"conftest.py": 'pytest_plugins = ["aiohttp.pytest_plugin"]\n'},
            title="aiohttp's legacy plugin runs every coroutine test",
            in_docs=False,
        ),
        Valid(
            """
            import asyncio
            import functools

            def run_async(func):
                @functools.wraps(func)
                def wrapper(*args, **kwargs):
                    return asyncio.run(func(*args, **kwargs))
                return wrapper

            @run_async
            async def test_wrapped():
                assert True

            async def helper_not_a_test():
                return 1

            async def check_things():
                return 2
            """,
            title="tests wrapped by unknown decorators, and functions that are not tests",
            in_docs=False,
        ),
        Valid(
            """
            from mylib.testing import AsyncCase

            class TestImportedBase(AsyncCase):
                async def test_connect(self):
                    assert True
            """,
            title="a base class that cannot be resolved might be a unittest case",
            in_docs=False,
        ),
    )

    def begin(self) -> None:
        self._kinds = ClassKinds(self.ctx)
        self._mode = asyncio_mode(self.ctx)
        self._silent = self.ctx.role != "test" or self._mode.is_auto
        self._claimed: bool | None = None  # decided on the first candidate only

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        ctx = self.ctx
        if self._silent or not ctx.is_test_function(node):
            return
        if runner_marks(ctx, node) or "anyio_backend" in requested_fixtures(node):
            return
        cls = ctx.enclosing_class(node)
        if cls is not None and self._kinds.is_unittest(cls) is not False:
            return
        if has_opaque_decorator(ctx, node):
            return
        if self._claimed is None:
            self._claimed = claiming_plugin(ctx) is not None
        if self._claimed:
            return
        self.report(node, fix=self._fix(node), function=node.name, source=self._mode.source)

    def _fix(self, node: ast.AsyncFunctionDef) -> Fix | None:
        ctx = self.ctx
        start = statement_start(node)
        indent = line_indent(ctx, start)
        if indent is None:
            return None
        rest = ctx.lines[start - 1][len(indent):]
        if not (rest.startswith("@") or rest.startswith("async")):
            return None
        edits: list[Edit] = []
        alias = module_alias(ctx, "pytest")
        if alias is None:
            if "pytest" in ctx.imports:  # `pytest` bound to something else
                return None
            alias = "pytest"
            edits.append(add_import(ctx, "pytest"))
        mark = self._preferred_mark()
        edits.append(Edit.insert(start, 1, f"{indent}@{alias}.mark.{mark}\n"))
        return Fix(tuple(edits), Applicability.SAFE, title=f"Add `@pytest.mark.{mark}`")

    def _preferred_mark(self) -> str:
        """The runner mark the module's other tests use most (asyncio when none)."""
        cached = getattr(self, "_mark", None)
        if cached is None:
            counts: Counter[str] = Counter()
            for node in ast.walk(self.ctx.tree):
                if isinstance(node, ast.AsyncFunctionDef):
                    counts.update(m for m in self.ctx.mark_names(node.decorator_list) if m in RUNNER_MARKS)
                elif isinstance(node, ast.ClassDef):
                    counts.update(m for m in self.ctx.class_marks(node) if m in RUNNER_MARKS)
            counts.update(m for m in self.ctx.module_marks if m in RUNNER_MARKS)
            cached = "asyncio"
            if counts:
                best = max(counts.values())
                cached = "asyncio" if counts["asyncio"] == best else min(m for m, c in counts.items() if c == best)
            self._mark = cached
        return cached
