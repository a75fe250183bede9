from __future__ import annotations


from suitelint.core.rule import Invalid, Valid
from suitelint.mocks_model import Analysis, Scope
from suitelint.mocks_model.api import SYNC_CALLABLE_MOCKS
from suitelint.mocks_model.replacements import Replacement, rename_mock_class
from suitelint.mocks_model.symbols import ASYNC, SYNC, FunctionSym
from suitelint.mocks_model.text import source_of
from suitelint.rules.mocks.replacement_rule import ReplacementRule

DISPATCHER = """
class WebhookDispatcher:
    def __init__(self, url: str) -> None:
        self.url = url

    async def send(self, payload: dict) -> int:
        ...
"""
WORKER = """
from webhooks.dispatcher import WebhookDispatcher


class Worker:
    def __init__(self, dispatcher=None):
        self.dispatcher = dispatcher or WebhookDispatcher("https://hooks.example")

    async def run(self, job):
        await self.dispatcher.send(job)
"""
SERVICE = """
import functools


def traced(func):
    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
        return await func(*args, **kwargs)
    return wrapper


class BaseService:
    async def _create_execution_episode(self, run_id):
        ...


class ExecutionService(BaseService):
    def __init__(self, db):
        self.db = db

    @traced
    async def execute(self, run_id):
        ...

    @staticmethod
    async def ping():
        ...

    def name(self):
        return "execution"


async def fetch_user(user_id):
    ...
"""


class SyncMockForCoroutine(ReplacementRule):
    """
    ## What it does
    Flags a `Mock` or `MagicMock` (also `mocker.Mock`/`mocker.MagicMock`)
    put in place of an `async def`: assigned over a method or function
    (`obj.method = Mock()`, also through attributes set in `__init__`),
    passed as `new` to `patch`/`patch.object`/`mocker.patch`, or as
    `new_callable`. The replaced function is resolved across the project's
    modules: methods of classes and their base classes, functions behind
    `functools.wraps` decorators, `@staticmethod`/`@classmethod`.

    `patch()` and `patch.object()` without `new` are never flagged: since
    Python 3.8 they create an `AsyncMock` for a coroutine function by
    themselves. Nothing is reported when the function cannot be resolved, when
    the mock's `spec` makes it an `AsyncMock` anyway, or when it can still
    produce an awaitable (`wraps=`, an async `side_effect`, a future as
    `return_value`).

    ## Why is this bad?
    The code under test awaits the replaced function. Calling a sync mock
    returns its `return_value`, and awaiting that fails with
    `TypeError: object str can't be used in 'await' expression`, or, when the
    call is never awaited on the tested path, the test passes without
    checking what it claims to check. `AsyncMock` returns an awaitable whose
    result is `return_value`, and records awaits (`assert_awaited_once_with`).

    ## Fix
    Replaces `Mock`/`MagicMock` with `AsyncMock` at the site (`mock.Mock` ->
    `mock.AsyncMock`, `mocker.MagicMock` -> `mocker.AsyncMock`), adding
    `AsyncMock` to the `from unittest.mock import ...` that imported the sync
    mock when needed. The fix is safe: `AsyncMock` accepts the same arguments.
    """

    code = "TST301"
    name = "sync-mock-for-coroutine"
    message = "`{mock}` replaces coroutine function `{function}` ({location}); use `{replacement}`"
    fix = "safe"
    examples = (
        Invalid(
            """
            from unittest.mock import Mock

            from webhooks.worker import Worker


            async def test_worker_sends_the_job():
                worker = Worker()
                worker.dispatcher.send = Mock(return_value=200)  # [TST301]
                await worker.run({"id": 1})
                worker.dispatcher.send.assert_called_once()
            """,
            files={"webhooks/__init__.py": "", "webhooks/dispatcher.py": DISPATCHER, "webhooks/worker.py": WORKER},
            fixed="""
            from unittest.mock import Mock, AsyncMock

            from webhooks.worker import Worker


            async def test_worker_sends_the_job():
                worker = Worker()
                worker.dispatcher.send = AsyncMock(return_value=200)
                await worker.run({"id": 1})
                worker.dispatcher.send.assert_called_once()
            """,
            title="an attribute set in `__init__` of a class in another module",
        ),
        Invalid(
            """
            from unittest.mock import MagicMock, Mock

            from app.service import ExecutionService


            def test_execute(db):
                service = ExecutionService(db)
                service._create_execution_episode = Mock(return_value="episode-123")  # [TST301]
                service.execute = MagicMock()  # [TST301]
                ExecutionService.ping = Mock()  # [TST301]
            """,
            files={"app/__init__.py": "", "app/service.py": SERVICE},
            fixed="""
            from unittest.mock import MagicMock, Mock, AsyncMock

            from app.service import ExecutionService


            def test_execute(db):
                service = ExecutionService(db)
                service._create_execution_episode = AsyncMock(return_value="episode-123")
                service.execute = AsyncMock()
                ExecutionService.ping = AsyncMock()
            """,
            title="an inherited method, a `functools.wraps` decorator, a staticmethod",
        ),
        Invalid(
            """
            from unittest import mock
            import unittest.mock as um
            from unittest.mock import MagicMock, patch as p

            from app.service import ExecutionService


            @mock.patch("app.service.fetch_user", new=mock.Mock())  # [TST301]
            def test_decorated():
                ...


            def test_patches(mocker):
                with um.patch.object(ExecutionService, "execute", um.MagicMock()):  # [TST301]
                    ...
                with p("app.service.fetch_user", new_callable=MagicMock):  # [TST301]
                    ...
                mocker.patch("app.service.fetch_user", new=mocker.Mock())  # [TST301]
                mocker.patch.object(ExecutionService, "ping", new_callable=mocker.MagicMock)  # [TST301]
            """,
            files={"app/__init__.py": "", "app/service.py": SERVICE},
            fixed="""
            from unittest import mock
            import unittest.mock as um
            from unittest.mock import MagicMock, patch as p, AsyncMock

            from app.service import ExecutionService


            @mock.patch("app.service.fetch_user", new=mock.AsyncMock())
            def test_decorated():
                ...


            def test_patches(mocker):
                with um.patch.object(ExecutionService, "execute", um.AsyncMock()):
                    ...
                with p("app.service.fetch_user", new_callable=AsyncMock):
                    ...
                mocker.patch("app.service.fetch_user", new=mocker.AsyncMock())
                mocker.patch.object(ExecutionService, "ping", new_callable=mocker.AsyncMock)
            """,
            title="`patch` spellings and pytest-mock",
        ),
        Invalid(
            """
            import app.service as service_module
            from unittest.mock import Mock


            def test_module_attribute(monkeypatch):
                service_module.fetch_user = Mock()  # [TST301]
                monkeypatch.setattr(service_module, "fetch_user", Mock())  # [TST301]
                monkeypatch.setattr("app.service.fetch_user", Mock())  # [TST301]
            """,
            files={"app/__init__.py": "", "app/service.py": SERVICE},
            title="module attributes and `monkeypatch.setattr`",
            in_docs=False,
        ),
        Valid(
            """
            from unittest.mock import AsyncMock, patch

            from webhooks.worker import Worker


            async def test_worker_sends_the_job():
                worker = Worker()
                worker.dispatcher.send = AsyncMock(return_value=200)
                await worker.run({"id": 1})
                worker.dispatcher.send.assert_awaited_once()


            @patch("webhooks.dispatcher.WebhookDispatcher.send")
            async def test_patch_creates_an_async_mock(send):
                await Worker().run({"id": 1})
                send.assert_awaited_once()
            """,
            files={"webhooks/__init__.py": "", "webhooks/dispatcher.py": DISPATCHER, "webhooks/worker.py": WORKER},
        ),
        Valid(
            """
            from unittest.mock import MagicMock, Mock, patch

            from app.service import ExecutionService


            def test_look_alikes(db, mocker):
                service = ExecutionService(db)
                service.name = Mock(return_value="x")          # a plain def
                with patch.object(ExecutionService, "execute"):  # no `new`: AsyncMock
                    ...
                mocker.patch("app.service.fetch_user")          # no `new`: AsyncMock
                mocker.patch.object(service, "ping")
                service.execute = Mock(spec=ExecutionService.execute)  # spec of a coroutine: AsyncMock
                service.execute = Mock(side_effect=fake_execute)       # calls return coroutines
                service.execute = MagicMock(wraps=service.execute)


            async def fake_execute(run_id):
                return run_id
            """,
            files={"app/__init__.py": "", "app/service.py": SERVICE},
            title="auto `AsyncMock`, sync targets, mocks that still return awaitables",
        ),
        Valid(
            """
            from unittest.mock import Mock, patch

            import httpx
            from shop.client import Client
            from webhooks.worker import Worker


            class FakeDispatcher:
                def send(self, payload):
                    return 200


            def test_unresolvable(client: Client):
                patch("httpx.AsyncClient.get", new=Mock())         # third party
                client.fetch = Mock(spec=httpx.AsyncClient.get)    # spec we cannot see
                client.retry = Mock()                              # unknown decorator
                worker = Worker(dispatcher=FakeDispatcher())
                worker.dispatcher.send = Mock()                    # a sync fake was injected
                other = Worker()
                other.dispatcher = Mock()
                other.dispatcher.send = Mock()                     # replaces an attribute of a mock
            """,
            files={
                "webhooks/__init__.py": "", "webhooks/dispatcher.py": DISPATCHER, "webhooks/worker.py": WORKER,
                "shop/__init__.py": "",
                "shop/client.py": """
                    import httpx
                    from somewhere import retrying


                    class Client:
                        async def fetch(self):
                            ...

                        @retrying(times=3)
                        async def retry(self):
                            ...
                    """,
            },
            title="what inference cannot decide is not flagged",
        ),
    )

    def _check_replacement(self, replacement: Replacement, analysis: Analysis, scope: Scope) -> None:
        mock = replacement.mock
        if mock.kind != SYNC or mock.api not in SYNC_CALLABLE_MOCKS or mock.may_return_awaitable:
            return
        target = replacement.target
        if not isinstance(target, FunctionSym):
            return
        kind = analysis.kind(target.func)
        if kind is None or kind.value != ASYNC:
            return
        if analysis.configured_awaitable(replacement.handles, scope):
            return  # `m.return_value = loop.create_future()` and the like
        written = replacement.mock_class
        if written is not None:
            shown = source_of(self.ctx, written)
            suggestion = shown[: len(shown) - len(mock.api)] + "AsyncMock" if shown.endswith(mock.api) else "AsyncMock"
            fix = rename_mock_class(self.ctx, analysis, written, "AsyncMock", scope)
        else:
            shown, suggestion, fix = mock.api, "AsyncMock", None
        self.report(
            replacement.node,
            fix=fix,
            mock=shown,
            function=target.func.qualname,
            location=analysis.function_location(target.func),
            replacement=suggestion,
        )
