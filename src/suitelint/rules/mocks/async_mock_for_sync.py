from __future__ import annotations


from suitelint.core.rule import Invalid, Valid
from suitelint.mocks_model import Analysis, Scope
from suitelint.mocks_model.replacements import Replacement
from suitelint.mocks_model.symbols import ASYNC, SYNC, FunctionSym
from suitelint.mocks_model.text import source_of
from suitelint.rules.mocks.replacement_rule import ReplacementRule

CACHE = """
import httpx


def make_key(*parts):
    return ":".join(parts)


class Cache:
    def __init__(self):
        self._data = {}

    def get(self, key):
        return self._data.get(key)

    def set(self, key, value):
        self._data[key] = value

    async def refresh(self):
        ...

    def fetch_remote(self, url):
        return self._client.get(url)  # a third-party call: may be a coroutine
"""
EXPLICIT_ASYNC_MOCKS = frozenset({"AsyncMock", "async_stub"})


class AsyncMockForSync(ReplacementRule):
    """
    ## What it does
    Flags an `AsyncMock` (also `mocker.AsyncMock`, `new_callable=AsyncMock`)
    put in place of a plain `def`, resolved across the project's modules the
    same way as TST301. Functions that may hand back an awaitable (a return
    annotation like `Awaitable[...]`, a `return` of a third-party call) and
    targets that cannot be resolved are not flagged.

    ## Why is this bad?
    Calling an `AsyncMock` returns a coroutine. The code under test does not
    await a plain function's result, so it gets a coroutine object instead of
    the configured `return_value`: always truthy, never equal to anything, and
    Python warns "coroutine was never awaited" at garbage collection. Tests
    then pass or fail for the wrong reason.
    """

    code = "TST302"
    name = "async-mock-for-sync"
    message = ("`{mock}` replaces plain function `{function}` ({location}): calling it returns a coroutine "
               "that is never awaited; use `{replacement}`")
    examples = (
        Invalid(
            """
            from unittest.mock import AsyncMock, patch

            from app.cache import Cache


            def test_cache(mocker):
                cache = Cache()
                cache.get = AsyncMock(return_value=1)  # [TST302]
                mocker.patch("app.cache.make_key", new_callable=AsyncMock)  # [TST302]
                mocker.patch.object(Cache, "set", new=mocker.AsyncMock())  # [TST302]
                with patch("app.cache.Cache.get", AsyncMock()):  # [TST302]
                    ...
            """,
            files={"app/__init__.py": "", "app/cache.py": CACHE},
        ),
        Valid(
            """
            from unittest.mock import AsyncMock, MagicMock, patch

            import httpx
            from app.cache import Cache


            def test_cache(mocker):
                cache = Cache()
                cache.refresh = AsyncMock()              # an async def
                cache.get = MagicMock(return_value=1)    # a sync mock over a sync def
                cache.fetch_remote = AsyncMock()         # may return a coroutine already
                mocker.patch("app.cache.make_key")       # patch picks MagicMock
                mocker.patch("httpx.get", new=AsyncMock())  # third party: not resolved
                client = MagicMock()
                client.get = AsyncMock()                 # an attribute of a mock
            """,
            files={"app/__init__.py": "", "app/cache.py": CACHE},
        ),
    )

    def _check_replacement(self, replacement: Replacement, analysis: Analysis, scope: Scope) -> None:
        mock = replacement.mock
        if mock.kind != ASYNC or mock.api not in EXPLICIT_ASYNC_MOCKS:
            return
        target = replacement.target
        if not isinstance(target, FunctionSym):
            return
        kind = analysis.kind(target.func)
        if kind is None or kind.value != SYNC:
            return
        written = replacement.mock_class
        shown = source_of(self.ctx, written) if written is not None else mock.api
        prefix = shown[: -len("AsyncMock")] if shown.endswith("AsyncMock") else ""
        suggestion = prefix + "MagicMock"
        self.report(
            replacement.node,
            mock=shown,
            function=target.func.qualname,
            location=analysis.function_location(target.func),
            replacement=suggestion,
        )
