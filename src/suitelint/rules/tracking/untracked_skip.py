from __future__ import annotations

import ast

from suitelint.core.context import FileContext
from suitelint.core.rule import Invalid, Rule, Valid

# callee -> (shown name, position of the reason argument or None when keyword-only, keyword)
REASONED_CALLS: dict[str, tuple[str, int | None, str]] = {
    "pytest.mark.skip": ("skip", 0, "reason"),
    "pytest.mark.xfail": ("xfail", None, "reason"),
    "pytest.skip": ("skip", 0, "reason"),
    "pytest.xfail": ("xfail", 0, "reason"),
    "unittest.skip": ("skip", 0, "reason"),
}
IMPERATIVE = frozenset({"pytest.skip", "pytest.xfail"})
CALLEE_NAMES = frozenset({"skip", "xfail", "skipTest"})
CONDITIONAL_STATEMENTS = (ast.If, ast.Try, ast.ExceptHandler, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor,
                          ast.While, ast.Match, ast.IfExp, ast.BoolOp)


class UntrackedSkip(Rule):
    """
    ## What it does
    Flags skipped and expected-to-fail tests whose reason references no
    issue: `@pytest.mark.skip(reason=...)`, `@pytest.mark.xfail(reason=...)`
    (also in `pytestmark` and `pytest.param(..., marks=...)`),
    `@unittest.skip(...)`, an unconditional `pytest.skip(...)` /
    `self.skipTest(...)` call, and `pytest.xfail(...)`. The issue reference
    follows `todo-issue-pattern` (by default `#123`, `ABC-123` or a URL).

    Conditional skips describe the environment rather than a defect and are
    not flagged: `skipif` / `unittest.skipIf` / `skipUnless`, and
    `pytest.skip(...)` / `self.skipTest(...)` under an `if`, `try`, `with` or
    loop. Reasons that are not literal strings (a constant, a variable) are
    not checked, and a missing reason is TST605's business. The rule is off
    by default: turn it on with `extend-select = ["TST702"]`.

    ## Why is this bad?
    A skipped or xfailed test is a known defect the suite has stopped
    checking. Without a link to the issue that tracks it, nobody knows when
    it can be re-enabled, and when the bug is fixed the test keeps being
    skipped (or, with `xfail`, keeps "failing as expected" while hiding a new
    failure).
    """

    code = "TST702"
    name = "untracked-skip"
    message = "{kind} reason {reason} has no issue reference; link the issue that tracks it"
    default_enabled = False
    examples = (
        Invalid(
            """
            import pytest

            @pytest.mark.skip(reason="flaky on CI")  # [TST702]
            def test_upload():
                assert upload()

            @pytest.mark.xfail(reason="rounding bug in the exporter")  # [TST702]
            def test_totals():
                assert totals() == 10

            def test_retry():
                pytest.skip("retry logic is being rewritten")  # [TST702]
            """
        ),
        Invalid(
            """
            import unittest

            import pytest

            @pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.xfail(reason="off by one"))])  # [TST702]
            def test_count(n):
                assert n

            class TestLegacy(unittest.TestCase):
                @unittest.skip("broken since the upgrade")  # [TST702]
                def test_old(self):
                    self.assertTrue(True)

                def test_skip_now(self):
                    self.skipTest("not ported yet")  # [TST702]
            """,
            title="params, unittest",
            in_docs=False,
        ),
        Valid(
            """
            import sys

            import pytest

            @pytest.mark.skip(reason="flaky on CI, see #418")
            def test_upload():
                assert upload()

            @pytest.mark.xfail(reason="https://github.com/acme/app/issues/77")
            def test_totals():
                assert totals() == 10

            @pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")
            def test_permissions():
                assert permissions()

            def test_docker():
                if not docker_available():
                    pytest.skip("docker is not available")
                assert run_container()
            """
        ),
        Valid(
            """
            import pytest

            REASON = "flaky"

            @pytest.mark.skip(reason=REASON)
            def test_constant_reason():
                assert True

            @pytest.mark.skip
            def test_no_reason():
                assert True

            @pytest.mark.xfail(reason=f"ATOM-{12}")
            def test_formatted_reason():
                assert True
            """,
            title="non-literal and missing reasons",
            in_docs=False,
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if callee not in CALLEE_NAMES:
            return
        ctx = self.ctx
        name = ctx.qualname(func)
        spec = REASONED_CALLS.get(name or "")
        if spec is None:
            written = ctx.local_name(node.func)
            if written != "self.skipTest":
                return
            spec = ("skipTest", 0, "reason")
            name = "skipTest"
        kind, position, keyword = spec
        if (name in IMPERATIVE or name == "skipTest") and kind == "skip" and _conditional(ctx, node):
            return
        reason = _argument(node, position, keyword, "msg")
        if not (isinstance(reason, ast.Constant) and isinstance(reason.value, str)):
            return  # missing (TST605) or not a literal
        if ctx.settings.todo_issue_re.search(reason.value):
            return
        shown = reason.value if len(reason.value) <= 40 else reason.value[:37] + "..."
        self.report(node, kind=f"`{kind}`", reason=f'"{shown}"')


def _argument(call: ast.Call, position: int | None, *keywords: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
    if position is not None and len(call.args) > position and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    return None


def _conditional(ctx: FileContext, node: ast.AST) -> bool:
    """Whether ``node`` runs only under a condition of its function (or module)."""
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
            return False
        if isinstance(ancestor, CONDITIONAL_STATEMENTS):
            return True
    return False
