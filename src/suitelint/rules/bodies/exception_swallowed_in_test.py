from __future__ import annotations

import ast

from suitelint.core.astwalk import iter_nodes
from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.pytest_model.collection import collected_tests
from suitelint.pytest_model.fixture_defs import dotted, walk_function_body
from suitelint.core.spelling import may_spell
from suitelint.rules.bodies.test_scopes import owning_test

BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
LOGGING_OWNERS = frozenset({"logging", "logger", "log", "LOG", "LOGGER", "_log", "_logger", "self.logger",
                            "self.log", "warnings", "traceback", "sys.stderr", "sys.stdout"})
SUPPRESS = frozenset({"contextlib.suppress"})
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class ExceptionSwallowedInTest(Rule):
    """
    ## What it does
    Flags, in the body of a test, an `except Exception:`, `except
    BaseException:` or bare `except:` handler that does nothing but `pass`,
    `continue`, `return`, `...` or log/print the error, and
    `with contextlib.suppress(Exception):`, when the guarded block holds the
    test's assertions or the test asserts nothing outside it. Handlers that
    re-raise, fail the test (`pytest.fail`, `assert`) or do anything else
    with the error, narrow handlers (`except KeyError:`), `pytest.raises`,
    a guarded block that only raises on purpose (to set up an exception
    context checked afterwards), and handlers in helper functions defined
    inside the test (cleanup callbacks) are not flagged.

    ## Why is this bad?
    `AssertionError` is an `Exception`: a broad handler in a test swallows
    the test's own failed assertions along with the error it meant to
    tolerate, so the test passes whatever happens. If the code must raise,
    use `pytest.raises(SpecificError)`; if an error is tolerated, catch that
    error only, outside the assertions.
    """

    code = "TST604"
    name = "exception-swallowed-in-test"
    message = "`{handler}` in test `{test}` swallows every failure, its own assertions included; {advice}"
    applies_to = frozenset({FileRole.TEST})
    examples = (
        Invalid(
            """
            import contextlib
            import logging

            def test_sync(client):
                try:
                    assert client.sync() == 3
                except Exception:  # [TST604]
                    pass

            def test_import(client):
                try:
                    client.load("data.csv")
                except:  # [TST604]
                    logging.exception("load failed")

            def test_cleanup(client):
                with contextlib.suppress(Exception):  # [TST604]
                    assert client.close()
            """
        ),
        Valid(
            """
            import pytest

            def test_sync(client):
                with pytest.raises(TimeoutError):
                    client.sync(timeout=0)

            def test_retry(client):
                try:
                    client.sync()
                except Exception:
                    pytest.fail("sync raised")

            def test_tolerates_missing(client):
                try:
                    client.delete("x")
                except KeyError:
                    pass
                assert "x" not in client

            def test_reraises(client):
                try:
                    client.sync()
                except Exception as error:
                    raise RuntimeError("sync") from error

            def test_teardown_sees_the_error(app, cleanup_log):
                try:
                    raise Exception("dummy")
                except Exception:
                    pass
                app.teardown()
                assert cleanup_log == ["dummy"]

            def test_crash_is_captured(client, captured):
                try:
                    client.get("/boom")
                except Exception:
                    pass
                assert captured.exception is not None

            def test_cleanup_callback(client):
                def close():
                    try:
                        client.close()
                    except Exception:
                        pass
                client.on_exit(close)
                assert client.sync()
            """,
            title="pytest.raises, failing or narrow handlers, errors tolerated before the assertions, nested helpers",
        ),
    )

    def begin(self) -> None:
        # `try` blocks and `with` statements seen by the walk, attributed to tests in end()
        self._candidates: list[ast.Try | ast.With | ast.AsyncWith] = []
        # `contextlib.suppress` is named in the text wherever it is used (an attribute or an imported name)
        self._suppress = may_spell(self.ctx.source, "suppress")
        # id(test) -> the checks of its own body (walk_function_body), computed once per test
        self._checks: dict[int, list[ast.AST]] = {}

    def visit_Try(self, node: ast.Try) -> None:
        if any(_swallows(handler.body) for handler in node.handlers):
            self._candidates.append(node)

    def visit_With(self, node: ast.With) -> None:
        if self._suppress:
            self._candidates.append(node)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        if self._suppress:
            self._candidates.append(node)

    def end(self) -> None:
        if not self._candidates:
            return
        tests = {id(test.node) for test in collected_tests(self.ctx)}
        if not tests:
            return
        for node in self._candidates:
            test = owning_test(self.ctx, node, tests)
            if test is None:
                continue
            if isinstance(node, ast.Try):
                for handler in node.handlers:
                    if self._broad(handler.type) and _swallows(handler.body) \
                            and self._hides_checks(test, node.body):
                        text = "except:" if handler.type is None else f"except {self.ctx.text(handler.type)}:"
                        self.report(handler, handler=text, test=test.name,
                                    advice="catch the specific error, or use `pytest.raises`")
            else:
                for item in node.items:
                    call = item.context_expr
                    if (isinstance(call, ast.Call) and self.ctx.qualname(call.func) in SUPPRESS
                            and any(self._broad(a) for a in call.args)
                            and self._hides_checks(test, node.body)):
                        self.report(node, handler=self.ctx.text(call), test=test.name,
                                    advice="suppress the specific error only")

    def _hides_checks(self, test: FunctionNode, guarded: list[ast.stmt]) -> bool:
        """The guarded block holds the test's checks, or the test checks nothing outside it.

        ``try: raise Exception("boom")`` / ``except Exception: pass`` followed by
        assertions (setting up an exception context on purpose) hides nothing.
        """
        inside: set[int] = set()
        for stmt in guarded:
            for node in iter_nodes(stmt):
                if _checks(node):
                    return True
                inside.add(id(node))
        if all(isinstance(stmt, ast.Raise) for stmt in guarded):
            return False
        return not any(id(node) not in inside for node in self._test_checks(test))

    def _test_checks(self, test: FunctionNode) -> list[ast.AST]:
        checks = self._checks.get(id(test))
        if checks is None:
            checks = self._checks[id(test)] = [node for node in walk_function_body(test) if _checks(node)]
        return checks

    def _broad(self, node: ast.expr | None) -> bool:
        if node is None:
            return True
        if isinstance(node, ast.Tuple):
            return any(self._broad(element) for element in node.elts)
        return (self.ctx.qualname(node) or dotted(node) or "") in BROAD


def _checks(node: ast.AST) -> bool:
    """An assertion: ``assert``, ``pytest.fail``/``raises``, ``self.assert*``, ``mock.assert_*``."""
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return name.startswith(("assert", "fail")) or name in ("raises", "warns", "fnmatch_lines")
    return False


def _swallows(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, (ast.Pass, ast.Continue, ast.Break)):
            continue
        if isinstance(stmt, ast.Return) and (stmt.value is None or isinstance(stmt.value, ast.Constant)):
            continue
        if isinstance(stmt, ast.Expr):
            value = stmt.value
            if isinstance(value, ast.Constant):
                continue
            if isinstance(value, ast.Call) and _is_logging(value.func):
                continue
        return False
    return True


def _is_logging(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id == "print"
    if isinstance(func, ast.Attribute):
        owner = dotted(func.value) or ""
        return owner in LOGGING_OWNERS or owner.rsplit(".", 1)[-1] in ("logger", "log", "LOG", "LOGGER")
    return False
