from __future__ import annotations

import ast

from suitelint.core.context import FileContext
from suitelint.core.rule import Invalid, Rule, Valid

GET_EVENT_LOOP = "asyncio.get_event_loop"
NEW_EVENT_LOOP = "asyncio.new_event_loop"
SET_EVENT_LOOP = "asyncio.set_event_loop"
ASYNCIO_RUN = "asyncio.run"
# calls that return an event loop
LOOP_FACTORIES = frozenset({GET_EVENT_LOOP, NEW_EVENT_LOOP, "asyncio.get_running_loop", "uvloop.new_event_loop"})
CALLEE_NAMES = frozenset({"get_event_loop", "new_event_loop", "set_event_loop", "run", "run_until_complete"})
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class EventLoopApiInTests(Rule):
    """
    ## What it does
    Flags event-loop plumbing in functions of test code (tests, fixtures and
    their helpers):

    - `asyncio.get_event_loop()` outside coroutines;
    - `.run_until_complete(...)` on an event loop (a name or attribute
      called `loop`/`..._loop`, a loop-returning call, a name bound to one,
      or anything inference identifies as an event loop);
    - `asyncio.new_event_loop()` whose loop is never closed in the same
      function (nor in the class, for `self.<attr>` loops), unless it is
      returned or handed to other code;
    - `asyncio.run()` inside a coroutine;
    - `asyncio.set_event_loop(...)` (except `set_event_loop(None)`, which
      only clears it).

    `asyncio.get_running_loop()` is never flagged, and neither is
    `asyncio.get_event_loop()` directly inside an `async def`, where it
    always returns the running loop (prefer `get_running_loop()` there, but
    it cannot fail). Module-level calls are left to TST103.

    ## Why is this bad?
    `asyncio.get_event_loop()` without a running loop is deprecated since
    Python 3.10 and raises "There is no current event loop" on 3.14 (and
    in many 3.12 setups once pytest-asyncio has closed its loop). Driving
    a loop by hand with `run_until_complete` fights the loop pytest-asyncio
    manages (and fails inside a running one), `asyncio.run()` inside a
    coroutine always fails, `set_event_loop` changes process-global state
    that leaks into later tests, and a loop that is never closed leaks its
    selector and file descriptors (ResourceWarning).

    Make the test `async def` with an asyncio mark and `await`; use
    `asyncio.get_running_loop()` inside coroutines; use `asyncio.Runner`
    in synchronous code that must run a coroutine.
    """

    code = "TST204"
    name = "event-loop-api-in-tests"
    message = "`{call}` in {where} `{function}`: {reason}"
    examples = (
        Invalid(
            """
            import asyncio
            import pytest
            from app import fetch

            def test_fetch():
                loop = asyncio.get_event_loop()  # [TST204]
                assert loop.run_until_complete(fetch()) == 1  # [TST204]

            def test_fresh_loop():
                loop = asyncio.new_event_loop()  # [TST204]
                asyncio.set_event_loop(loop)  # [TST204]
                assert loop.run_until_complete(fetch()) == 1  # [TST204]

            @pytest.mark.asyncio
            async def test_nested_run():
                assert asyncio.run(fetch()) == 1  # [TST204]
            """
        ),
        Invalid(
            """
            import asyncio
            import unittest

            class TestLegacy(unittest.TestCase):
                def setUp(self):
                    self.loop = asyncio.new_event_loop()  # [TST204]

                def test_it(self):
                    self.assertTrue(self.loop.run_until_complete(asyncio.sleep(0, True)))  # [TST204]

            def run(coro, event_loop):
                return event_loop.run_until_complete(coro)  # [TST204]
            """,
            title="loops held in attributes and parameters",
            in_docs=False,
        ),
        Valid(
            """
            import asyncio
            import pytest
            from app import fetch

            @pytest.mark.asyncio
            async def test_fetch():
                loop = asyncio.get_running_loop()
                assert await fetch() == 1
                assert loop.is_running()

            @pytest.mark.asyncio
            async def test_legacy_spelling():
                assert asyncio.get_event_loop().is_running()

            def test_sync_entry_point():
                with asyncio.Runner() as runner:
                    assert runner.run(fetch()) == 1
            """
        ),
        Valid(
            """
            import asyncio
            import contextlib
            import pytest

            @pytest.fixture
            def private_loop():
                loop = asyncio.new_event_loop()
                yield loop
                loop.close()

            def make_loop():
                return asyncio.new_event_loop()

            def test_closing():
                with contextlib.closing(asyncio.new_event_loop()) as loop:
                    assert loop.run_in_executor

            def test_cleanup():
                asyncio.set_event_loop(None)

            class Job:
                def run_until_complete(self, steps):
                    return steps

            def test_job():
                job = Job()
                assert job.run_until_complete(3) == 3
            """,
            title="closed or returned loops, clearing the loop, unrelated methods",
            in_docs=False,
        ),
        Valid(
            """
            import asyncio

            loop = asyncio.new_event_loop()
            """,
            title="module level (TST103 covers it)",
            in_docs=False,
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if callee not in CALLEE_NAMES:
            return
        ctx = self.ctx
        function = ctx.enclosing_function(node)
        if function is None:
            return
        name = ctx.qualname(func)
        if name == GET_EVENT_LOOP:
            if isinstance(function, ast.AsyncFunctionDef) or _is_run_until_complete_receiver(ctx, node):
                return  # a coroutine gets the running loop; the outer call's finding covers the rest
            reason = "raises RuntimeError when no loop is set (Python 3.14); make the test async and `await`"
        elif name == NEW_EVENT_LOOP:
            if _is_run_until_complete_receiver(ctx, node) or not _never_closed(ctx, node, function):
                return
            reason = "the loop is never closed (leaks its file descriptors); close it or use `asyncio.Runner`"
        elif name == SET_EVENT_LOOP:
            argument = node.args[0] if node.args else None
            if isinstance(argument, ast.Constant) and argument.value is None:
                return
            reason = "changes the global event loop for every later test; let pytest-asyncio manage the loop"
        elif name == ASYNCIO_RUN:
            if not isinstance(function, ast.AsyncFunctionDef):
                return
            reason = "fails inside a running event loop; `await` the coroutine instead"
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "run_until_complete":
            if not _is_loop(ctx, node.func.value, function):
                return
            if isinstance(function, ast.AsyncFunctionDef):
                reason = "fails inside a running event loop; `await` the coroutine instead"
            else:
                reason = "drives an event loop by hand; make the test `async def` with an asyncio mark and `await`"
        else:
            return
        self.report(node, call=_call_text(ctx, node), where=_where(ctx, function), function=_function_name(ctx, function),
                    reason=reason)


def _call_text(ctx: FileContext, node: ast.Call) -> str:
    text = ctx.text(node)
    if len(text) <= 40 and "\n" not in text:
        return text
    return ctx.text(node.func) + ("()" if not node.args and not node.keywords else "(...)")


def _owner(ctx: FileContext, function: ast.AST) -> ast.AST:
    """The def a lambda belongs to (a lambda has no name to report)."""
    current = function
    while isinstance(current, ast.Lambda):
        outer = ctx.enclosing_function(current)
        if outer is None:
            return current
        current = outer
    return current


def _where(ctx: FileContext, function: ast.AST) -> str:
    owner = _owner(ctx, function)
    if ctx.is_test_function(owner):
        return "test"
    if ctx.is_fixture(owner):
        return "fixture"
    return "function"


def _function_name(ctx: FileContext, function: ast.AST) -> str:
    owner = _owner(ctx, function)
    return getattr(owner, "name", "<lambda>")


def _is_run_until_complete_receiver(ctx: FileContext, node: ast.Call) -> bool:
    parent = ctx.parent(node)
    return isinstance(parent, ast.Attribute) and parent.attr == "run_until_complete"


def _is_loop(ctx: FileContext, receiver: ast.expr, function: ast.AST) -> bool:
    """Whether ``receiver`` is an event loop: by name, by origin, or by inference."""
    if isinstance(receiver, ast.Call) and ctx.qualname(receiver.func) in LOOP_FACTORIES:
        return True
    written = ctx.local_name(receiver)
    if written is not None and written.rsplit(".", 1)[-1].lower().endswith("loop"):
        return True
    if isinstance(receiver, ast.Name) and _bound_to_loop_factory(ctx, receiver.id, function):
        return True
    for value in ctx.infer(receiver):
        proxied = getattr(value, "_proxied", None)
        if type(value).__name__ != "Instance" or proxied is None:
            continue
        try:
            classes = [proxied, *proxied.ancestors()]
        except Exception:  # noqa: BLE001 - astroid may fail on broken hierarchies
            continue
        if any(getattr(cls, "name", "").endswith("EventLoop") for cls in classes):
            return True
    return False


def _bound_to_loop_factory(ctx: FileContext, name: str, function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if ctx.qualname(node.value.func) in LOOP_FACTORIES and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                return True
    return False


def _never_closed(ctx: FileContext, call: ast.Call, function: ast.AST) -> bool:
    """Whether the loop ``asyncio.new_event_loop()`` creates is certainly never closed."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.Expr):
        return True  # created and dropped
    if isinstance(parent, (ast.Yield, ast.YieldFrom)):
        return True  # nobody can close what a fixture yields without keeping it
    if isinstance(parent, ast.Call):
        callee = ctx.qualname(parent.func)
        if callee == SET_EVENT_LOOP:
            return False  # reported as set_event_loop
        return False  # handed to other code (closing(), Runner(...), a helper...)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, ast.Name):
            return not _name_closed_or_escapes(ctx, target.id, function, parent)
        written = ctx.local_name(target)
        if isinstance(target, ast.Attribute) and written is not None and written.startswith("self."):
            scope = ctx.enclosing_class(function) or function
            return not _mentions(scope, f"{written}.close")
    return False


def _name_closed_or_escapes(ctx: FileContext, name: str, function: ast.AST, binding: ast.Assign) -> bool:
    """Whether the function closes the loop bound to ``name``, or hands it to other code.

    Parent links are not set yet for the nodes after the one being visited,
    so this looks down from each statement rather than up from each name.
    """

    def is_name(node: ast.AST | None) -> bool:
        return isinstance(node, ast.Name) and node.id == name

    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and node.attr == "close" and is_name(node.value):
            return True
        if isinstance(node, ast.Call):
            passed = any(is_name(arg) for arg in node.args) or any(is_name(kw.value) for kw in node.keywords)
            if passed and ctx.qualname(node.func) != SET_EVENT_LOOP:
                return True  # passed to other code, which may close it
        elif isinstance(node, (ast.Return, ast.Assign, ast.AnnAssign)) and node is not binding:
            if is_name(node.value):
                return True  # returned or stored: closed elsewhere, if at all
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)) and any(is_name(e) for e in node.elts):
            return True
        elif isinstance(node, ast.Dict) and any(is_name(v) for v in node.values):
            return True
        elif isinstance(node, ast.Lambda) and _uses_name(node.body, name):
            return True
    return False


def _uses_name(node: ast.AST, name: str) -> bool:
    return any(isinstance(child, ast.Name) and child.id == name for child in ast.walk(node))


def _mentions(scope: ast.AST, dotted: str) -> bool:
    for node in ast.walk(scope):
        if isinstance(node, ast.Attribute) and _dotted(node) == dotted:
            return True
    return False


def _dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])
