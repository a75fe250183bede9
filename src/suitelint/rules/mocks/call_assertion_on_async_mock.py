from __future__ import annotations

import ast

from suitelint.core.diagnostic import Applicability, Edit, Fix, Span
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.mocks_model import Analysis, Scope, analysis_for
from suitelint.mocks_model.api import AWAITED_EQUIVALENT
from suitelint.mocks_model.project import walk_body
from suitelint.mocks_model.symbols import ASYNC, MockSym
from suitelint.mocks_model.text import source_of

NOTIFY = """
class Notifier:
    def __init__(self, sender):
        self.sender = sender

    async def notify(self, text):
        await self.sender(text)

    def describe(self):
        return "notifier"


async def send_email(text):
    ...


async def send_sms(text):
    ...


def render(text):
    return text.upper()
"""
LOOP_RUNNERS = frozenset({"asyncio.run", "anyio.run", "trio.run"})


class CallAssertionOnAsyncMock(Rule):
    """
    ## What it does
    Flags `assert_called`, `assert_called_once`, `assert_called_with`,
    `assert_called_once_with`, `assert_any_call` and `assert_has_calls` on a
    mock known to be an `AsyncMock`, in a test that awaits (an `async def`
    test, or one that runs an event loop). A mock is known to be an
    `AsyncMock` when it is constructed as one (`AsyncMock()`,
    `mocker.AsyncMock()`, `new_callable=AsyncMock`) or created by `patch` /
    `patch.object` / `mocker.patch` over an `async def` resolved in the
    project; the attributes of a specced mock follow the spec (its plain
    methods are `MagicMock`s).

    ## Why is this bad?
    An `AsyncMock` records a call as soon as it is called, before anything
    awaits the coroutine it returns. Code that forgets the `await` (or
    schedules the coroutine and never runs it) passes `assert_called_once()`.
    The `assert_awaited*` methods check that the call was awaited, which is
    what the code under test must do.

    ## Fix
    Renames the assertion to its awaited form (`assert_called_once_with` ->
    `assert_awaited_once_with`, `assert_any_call` -> `assert_any_await`,
    `assert_has_calls` -> `assert_has_awaits`). Safe: the awaited form checks
    the same call arguments and also the await.
    """

    code = "TST306"
    name = "call-assertion-on-async-mock"
    message = "`{call}` passes even if the `AsyncMock` `{mock}` was never awaited; use `{replacement}`"
    fix = "safe"
    examples = (
        Invalid(
            """
            from unittest.mock import AsyncMock, patch

            from app.notify import Notifier, send_email


            async def test_notifies():
                sender = AsyncMock()
                await Notifier(sender).notify("hi")
                sender.assert_called_once_with("hi")  # [TST306]


            @patch("app.notify.send_email")
            async def test_patch_creates_an_async_mock(send):
                await send_email("hi")
                send.assert_called_once()  # [TST306]


            async def test_pytest_mock(mocker):
                notify = mocker.patch.object(Notifier, "notify")
                sms = mocker.patch("app.notify.send_sms", new_callable=AsyncMock)
                await Notifier(sms).notify("hi")
                notify.assert_has_calls([])  # [TST306]
                sms.assert_any_call("hi")  # [TST306]


            async def test_specced(mocker):
                notifier = AsyncMock(spec=Notifier)
                await run(notifier)
                notifier.notify.assert_called_once_with("hi")  # [TST306]
            """,
            files={"app/__init__.py": "", "app/notify.py": NOTIFY},
            fixed="""
            from unittest.mock import AsyncMock, patch

            from app.notify import Notifier, send_email


            async def test_notifies():
                sender = AsyncMock()
                await Notifier(sender).notify("hi")
                sender.assert_awaited_once_with("hi")


            @patch("app.notify.send_email")
            async def test_patch_creates_an_async_mock(send):
                await send_email("hi")
                send.assert_awaited_once()


            async def test_pytest_mock(mocker):
                notify = mocker.patch.object(Notifier, "notify")
                sms = mocker.patch("app.notify.send_sms", new_callable=AsyncMock)
                await Notifier(sms).notify("hi")
                notify.assert_has_awaits([])
                sms.assert_any_await("hi")


            async def test_specced(mocker):
                notifier = AsyncMock(spec=Notifier)
                await run(notifier)
                notifier.notify.assert_awaited_once_with("hi")
            """,
        ),
        Valid(
            """
            import asyncio
            from unittest.mock import AsyncMock, Mock, patch

            from app.notify import Notifier


            async def test_awaited():
                sender = AsyncMock()
                await Notifier(sender).notify("hi")
                sender.assert_awaited_once_with("hi")
                sender.assert_not_called()


            async def test_sync_mocks(mocker):
                render = mocker.patch("app.notify.render")   # a plain def: MagicMock
                callback = Mock()
                unknown = mocker.patch("somelib.client.fetch")
                await Notifier(callback).notify("hi")
                render.assert_called_once_with("hi")
                callback.assert_called_once()
                unknown.assert_called_once()


            def test_no_await():
                sender = AsyncMock()
                sender.assert_not_called()
                sender.assert_called()


            async def test_plain_methods_of_a_specced_async_mock():
                notifier = AsyncMock(spec=Notifier)
                await run(notifier)
                notifier.describe.assert_called_once()  # a plain def: MagicMock
            """,
            files={"app/__init__.py": "", "app/notify.py": NOTIFY},
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in AWAITED_EQUIVALENT:
            return
        analysis = analysis_for(self.ctx)
        scope = analysis.scope_at(node)
        mock = analysis.eval(func.value, scope)
        if not isinstance(mock, MockSym) or mock.kind != ASYNC:
            return
        function = self.ctx.enclosing_function(node)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        if not self._awaits(function, analysis, scope):
            return
        replacement = AWAITED_EQUIVALENT[func.attr]
        assert func.end_lineno is not None and func.end_col_offset is not None
        span = Span(self.ctx.position(func.end_lineno, func.end_col_offset - len(func.attr)),
                    self.ctx.position(func.end_lineno, func.end_col_offset))
        receiver = " ".join(source_of(self.ctx, func.value).split())
        self.report(
            node,
            fix=Fix((Edit(span, replacement),), Applicability.SAFE, title=f"Use `{replacement}`"),
            call=f"{receiver}.{func.attr}(...)" if node.args or node.keywords else f"{receiver}.{func.attr}()",
            mock=receiver,
            replacement=replacement,
        )

    def _awaits(self, function: ast.FunctionDef | ast.AsyncFunctionDef, analysis: Analysis, scope: Scope) -> bool:
        """An ``async def``, or a function that runs an event loop."""
        if isinstance(function, ast.AsyncFunctionDef):
            return True
        for node in walk_body(function.body):
            if isinstance(node, ast.Call):
                if analysis.qualname(node.func, scope) in LOOP_RUNNERS:
                    return True
                if isinstance(node.func, ast.Attribute) and node.func.attr == "run_until_complete":
                    return True
        return False
