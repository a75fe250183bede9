from __future__ import annotations

import ast

from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.core.scopes import call_argument, literal_number, test_or_fixture

SYNC_SLEEPS = frozenset({"time.sleep"})
ASYNC_SLEEPS = frozenset({"asyncio.sleep", "trio.sleep", "anyio.sleep"})


class SleepInTest(Rule):
    """
    ## What it does
    Flags `time.sleep(...)` and `asyncio.sleep(n)` (also `trio.sleep`,
    `anyio.sleep`) with a delay greater than zero inside tests and fixtures.

    ## Why is this bad?
    A sleep makes every run of the suite pay the delay, and it is a guess: on
    a loaded CI machine the awaited thing takes longer than the guess and the
    test fails, on a fast one the suite idles. Fake the clock
    (`freezegun`, `time-machine`, an injected clock), use a fake of the slow
    dependency, or poll for the condition with a timeout.

    `asyncio.sleep(0)` is not flagged: it yields to the event loop once and
    does not wait. Neither is a sleep inside a `while` or `for` loop: that is
    polling for a condition (with a deadline, one hopes), the recommended
    alternative to a fixed wait.
    """

    code = "TST406"
    name = "sleep-in-test"
    message = "`{call}` sleeps in {where} `{function}`; fake the clock or wait for the condition instead"
    examples = (
        Invalid(
            """
            import time

            def test_cache_expires(cache):
                cache.set("k", 1, ttl=1)
                time.sleep(1.5)  # [TST406]
                assert cache.get("k") is None
            """
        ),
        Invalid(
            """
            import asyncio
            import pytest

            @pytest.mark.asyncio
            async def test_worker_picks_up_job(queue):
                await queue.put("job")
                await asyncio.sleep(0.5)  # [TST406]
                assert queue.empty()
            """,
            title="asyncio",
        ),
        Valid(
            """
            def test_cache_expires(cache, clock):
                cache.set("k", 1, ttl=1)
                clock.advance(1.5)
                assert cache.get("k") is None
            """
        ),
        Valid(
            """
            import asyncio
            import pytest

            @pytest.mark.asyncio
            async def test_yields_once(queue):
                await asyncio.sleep(0)
                assert queue.empty()
            """,
            title="asyncio.sleep(0) only yields",
        ),
        Valid(
            """
            import time

            def wait_for_port(port):
                time.sleep(0.1)

            from mylib import sleep

            def test_own_sleep():
                sleep(3)
            """,
            title="helpers outside tests and unrelated functions named sleep",
        ),
        Valid(
            """
            import time

            def test_server_comes_up(server):
                deadline = time.monotonic() + 10
                while not server.ready() and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert server.ready()
            """,
            title="polling for a condition with a deadline",
        ),
    )

    def _in_loop(self, node: ast.AST, function: ast.AST) -> bool:
        """Whether the sleep runs in a loop of ``function`` (polling), not once."""
        for ancestor in self.ctx.ancestors(node):
            if ancestor is function:
                return False
            if isinstance(ancestor, (ast.While, ast.For, ast.AsyncFor)):
                return True
        return False

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.qualname(node.func)
        if name in SYNC_SLEEPS:
            delay = literal_number(call_argument(node, 0, "secs"))
            if delay is not None and delay <= 0:
                return
        elif name in ASYNC_SLEEPS:
            delay = literal_number(call_argument(node, 0, "delay" if name == "asyncio.sleep" else "seconds"))
            if delay is None or delay <= 0:
                return
        else:
            return
        function = test_or_fixture(self.ctx, node)
        if function is None or self._in_loop(node, function):
            return
        where = "fixture" if self.ctx.is_fixture(function) else "test"
        self.report(node, call=self.ctx.text(node.func) + "(...)" if len(self.ctx.text(node)) > 40 else self.ctx.text(node),
                    where=where, function=function.name)
