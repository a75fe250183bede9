from __future__ import annotations

import ast

from suitelint.core.diagnostic import Applicability, Edit, Fix
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.rules.asyncio.conftest_chain import ModuleFacts, module_facts_of_tree, visible_modules
from suitelint.rules.asyncio.runners import (
    ANYIO_TRIO_MARKS,
    ANYIO_TRIO_MODULES,
    asyncio_mode,
    claiming_plugin,
    requested_fixtures,
)
from suitelint.rules.asyncio.source_edits import add_import, module_alias

PLAIN_FIXTURES = frozenset({"pytest.fixture", "pytest.yield_fixture"})


class AsyncFixturePlainDecorator(Rule):
    """
    ## What it does
    Flags an `async def` fixture decorated with `@pytest.fixture` while
    pytest-asyncio is in strict mode (its default), where it must be
    `@pytest_asyncio.fixture`.

    Nothing is reported in auto mode (read like TST201: pytest
    configuration, `addopts`, or `asyncio-mode` in `[tool.suitelint]`) or in
    projects where another plugin runs async fixtures. A fixture counts as
    theirs when `trio_mode = true` or `anyio_mode = auto`, when
    `aiohttp.pytest_plugin` or pytest-tornasync is loaded (`-p`,
    `pytest_plugins`), when the fixture itself requests
    `anyio_backend`, or when its module, a conftest.py between its directory
    and the rootdir, or a module those name in `pytest_plugins`: imports
    `anyio`, `trio` or `pytest_trio`; uses a `pytest.mark.anyio` or
    `pytest.mark.trio` mark; or defines or requests an `anyio_backend`
    fixture. And since a plain async fixture is only wrong where
    pytest-asyncio runs the suite, something must show that it does: an
    `asyncio_*` option or `--asyncio-mode` in the pytest configuration,
    `-p pytest_asyncio`, or an `import pytest_asyncio` or `asyncio` mark in
    the module, its conftest.py files or their plugins.

    ## Why is this bad?
    In strict mode pytest-asyncio leaves plain `@pytest.fixture` coroutines
    alone: tests receive the coroutine object (or the async generator)
    instead of the value, so they fail in confusing ways or, worse, pass
    while testing a truthy coroutine. The setup (and any teardown after
    `yield`) never runs.

    ## Fix
    Replaces `pytest.fixture` with `pytest_asyncio.fixture`, keeping the
    arguments (`scope`, `params`, `autouse`, `name`...), and adds
    `import pytest_asyncio` when the module lacks it. The fix is safe.
    """

    code = "TST202"
    name = "async-fixture-plain-decorator"
    message = (
        "async fixture `{function}` uses `@{decorator}` in strict asyncio mode: "
        "tests get an unawaited coroutine; use `@pytest_asyncio.fixture`"
    )
    fix = "safe"
    examples = (
        Invalid(
            """
            import pytest
            from app.db import connect

            @pytest.fixture(scope="module")
            async def db():  # [TST202]
                conn = await connect()
                yield conn
                await conn.close()

            @pytest.mark.asyncio
            async def test_query(db):
                assert await db.fetch("select 1")
            """,
            fixed="""
            import pytest
            from app.db import connect
            import pytest_asyncio

            @pytest_asyncio.fixture(scope="module")
            async def db():
                conn = await connect()
                yield conn
                await conn.close()

            @pytest.mark.asyncio
            async def test_query(db):
                assert await db.fetch("select 1")
            """,
        ),
        Invalid(
            """
            import pytest_asyncio as pa
            from pytest import fixture

            @fixture
            async def client():  # [TST202]
                return object()
            """,
            fixed="""
            import pytest_asyncio as pa
            from pytest import fixture

            @pa.fixture
            async def client():
                return object()
            """,
            title="an existing pytest_asyncio import is reused",
            in_docs=False,
        ),
        Valid(
            """
            import pytest_asyncio
            from app.db import connect

            @pytest_asyncio.fixture(scope="module")
            async def db():
                conn = await connect()
                yield conn
                await conn.close()
            """
        ),
        Valid(
            """
            import pytest

            @pytest.fixture
            async def db():
                return object()
            """,
            pytest_ini={"asyncio_mode": "auto"},
            title="auto mode",
        ),
        Valid(
            """
            import pytest

            @pytest.fixture
            async def db():
                return object()
            """,
            title="nothing shows that pytest-asyncio runs this suite",
            in_docs=False,
        ),
        Valid(
            """
            import pytest

            @pytest.fixture
            def anyio_backend():
                return "asyncio"

            @pytest.fixture
            async def server():
                return object()

            @pytest.mark.anyio
            async def test_server(server):
                assert server
            """,
            pytest_ini={"asyncio_mode": "strict"},
            title="anyio projects run plain async fixtures",
        ),
        Valid(
            """
            import pytest

            @pytest.fixture
            async def server():
                return object()
            """,
            files={
                "conftest.py": """
                    import pytest

                    @pytest.fixture(params=["asyncio", "trio"])
                    def anyio_backend(request):
                        return request.param
                    """,
            },
            pytest_ini={"asyncio_mode": "strict"},
            title="anyio_backend defined by a conftest.py above the module",
            in_docs=False,
        ),
        Valid(
            """
            import pytest

            @pytest.fixture
            async def nursery_service():
                return object()
            """,
            pytest_ini={"trio_mode": "true", "asyncio_default_fixture_loop_scope": "function"},
            title="pytest-trio's trio mode",
            in_docs=False,
        ),
        Valid(
            """
            import pytest

            @pytest.fixture
            def sync_client():
                return object()

            async def not_a_fixture():
                return 1
            """,
            title="sync fixtures and plain coroutines",
            in_docs=False,
        ),
    )

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        ctx = self.ctx
        decorator = ctx.fixture_decorator(node)
        if decorator is None:
            return
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = ctx.qualname(target)
        if qualified not in PLAIN_FIXTURES:
            return
        if asyncio_mode(ctx).is_auto or "anyio_backend" in requested_fixtures(node):
            return
        if self._anyio_or_trio_project() or claiming_plugin(ctx) is not None or not self._pytest_asyncio_in_use():
            return
        self.report(node, fix=self._fix(target), function=node.name, decorator=ctx.text(target))

    def _anyio_or_trio_project(self) -> bool:
        cached = getattr(self, "_anyio", None)
        if cached is None:
            cached = _uses_anyio_or_trio(module_facts_of_tree(self.ctx)) or any(
                _uses_anyio_or_trio(facts) for _, facts in visible_modules(self.ctx)
            )
            self._anyio = cached
        return cached

    def _pytest_asyncio_in_use(self) -> bool:
        """Some sign that pytest-asyncio runs this suite (else the strict-mode advice does not apply)."""
        config = self.ctx.pytest
        if any(key.startswith("asyncio_") for key in (*config.ini, *config.overrides)):
            return True
        if any(a == "--asyncio-mode" or a.startswith("--asyncio-mode=") for a in config.addopts):
            return True
        if {"asyncio", "pytest_asyncio", "pytest_asyncio.plugin"} & set(config.plugins):
            return True
        return _uses_pytest_asyncio(module_facts_of_tree(self.ctx)) or any(
            _uses_pytest_asyncio(facts) for _, facts in visible_modules(self.ctx)
        )

    def _fix(self, target: ast.expr) -> Fix:
        ctx = self.ctx
        edits: list[Edit] = []
        alias = module_alias(ctx, "pytest_asyncio")
        if alias is None:
            alias = "pytest_asyncio"
            edits.append(add_import(ctx, "pytest_asyncio"))
        edits.append(Edit(ctx.span(target), f"{alias}.fixture"))
        return Fix(tuple(edits), Applicability.SAFE, title="Use `@pytest_asyncio.fixture`")


def _uses_pytest_asyncio(facts: ModuleFacts) -> bool:
    return "pytest_asyncio" in facts.imports or "asyncio" in facts.marks or "pytest_asyncio" in facts.plugins


def _uses_anyio_or_trio(facts: ModuleFacts) -> bool:
    return bool(
        facts.imports & ANYIO_TRIO_MODULES
        or facts.marks & ANYIO_TRIO_MARKS
        or "anyio_backend" in facts.fixtures
        or "anyio_backend" in facts.requested
        or {"anyio", "pytest_trio", "trio"} & set(facts.plugins)
    )
