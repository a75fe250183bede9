from __future__ import annotations

import ast

from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.core.spelling import may_spell

MARKS = frozenset({"pytest.mark.skip", "pytest.mark.skipif", "pytest.mark.xfail"})
CALLS = frozenset({"pytest.skip", "pytest.xfail"})
# the last name of everything above: a qualified name ends with the attribute that spells it
MARK_ATTRIBUTES = frozenset({"skip", "skipif", "xfail"})
CALL_ATTRIBUTES = frozenset({"skip", "xfail", "skipIf", "skipUnless", "skipTest"})
UNITTEST_SKIPS = {"unittest.skip": 0, "unittest.skipIf": 1, "unittest.skipUnless": 1,
                  "unittest.case.skip": 0, "unittest.case.skipIf": 1, "unittest.case.skipUnless": 1}


class SkipWithoutReason(Rule):
    """
    ## What it does
    Flags `skip`, `skipif` and `xfail` marks, `pytest.skip()`/`pytest.xfail()`
    calls, `unittest.skip*` decorators and `self.skipTest()` calls that give
    no reason (or an empty one). A `skipif`/`xfail` whose conditions are
    strings has one: pytest reports the condition text.

    ## Why is this bad?
    A skipped test is a test that does not run. Without a reason, the report
    says only "SKIPPED", nobody knows whether the skip is still needed, and
    it stays forever. `pytest.mark.skipif(condition)` without `reason=` is
    also an error when pytest evaluates it. Say why, briefly, and link the
    issue when there is one.
    """

    code = "TST605"
    name = "skip-without-reason"
    message = "`{what}` gives no reason; say why the test does not run (`reason=\"...\"`)"
    examples = (
        Invalid(
            """
            import sys
            import unittest

            import pytest

            @pytest.mark.skip  # [TST605]
            def test_export():
                assert export()

            @pytest.mark.skipif(sys.platform == "win32")  # [TST605]
            def test_symlinks(tmp_path):
                assert link(tmp_path)

            @pytest.mark.xfail(reason="")  # [TST605]
            def test_rounding():
                assert round(2.5) == 3

            def test_network(online):
                if not online:
                    pytest.skip()  # [TST605]
                assert fetch()

            class TestLegacy(unittest.TestCase):
                @unittest.skip  # [TST605]
                def test_old(self):
                    self.assertTrue(old())
            """
        ),
        Valid(
            """
            import sys

            import pytest

            REASON = "needs a GPU"

            @pytest.mark.skip(reason="flaky on CI, see #412")
            def test_export():
                assert export()

            @pytest.mark.skip("exporter rewritten in #415")
            def test_export_v1():
                assert export(version=1)

            @pytest.mark.skipif(sys.platform == "win32", reason="no symlinks on Windows")
            def test_symlinks(tmp_path):
                assert link(tmp_path)

            @pytest.mark.skipif("sys.platform == 'win32'")
            def test_fork():
                assert fork()

            @pytest.mark.xfail(reason=REASON)
            def test_cuda():
                assert cuda()

            def test_network(online):
                if not online:
                    pytest.skip("offline")
                assert fetch()
            """,
            title="reasons given positionally, by keyword, as a variable, or as a string condition",
        ),
    )

    def begin(self) -> None:
        # every name this rule looks for is spelled in the text, as an attribute or an imported name
        self._active = may_spell(self.ctx.source, "skip", "xfail")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not self._active or node.attr not in MARK_ATTRIBUTES:
            return
        name = self.ctx.qualname(node)
        if name not in MARKS:
            return
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            self._check_mark_call(parent, name)
        elif isinstance(parent, ast.Attribute):
            return  # pytest.mark.skip.with_args(...)
        else:
            self.report(node, what=self.ctx.text(node))

    def visit_Call(self, node: ast.Call) -> None:
        if not self._active:
            return
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in CALL_ATTRIBUTES:
                return
        elif not isinstance(func, ast.Name) or func.id not in self.ctx.imports:
            return  # no builtin is a skip: a bare name skips only through an import
        name = self.ctx.qualname(func) or ""
        if name in CALLS:
            reason = _argument(node, 0, ("reason", "msg"))
            if reason is None or _empty(reason):
                self.report(node, what=self.ctx.text(func) + "()")
        elif name in UNITTEST_SKIPS:
            reason = _argument(node, UNITTEST_SKIPS[name], ("reason",))
            if reason is not None and _empty(reason):
                self.report(node, what=self.ctx.text(node))
        elif isinstance(func, ast.Attribute) and func.attr == "skipTest" and isinstance(func.value, ast.Name) \
                and func.value.id == "self":
            reason = _argument(node, 0, ("reason",))
            if reason is None or _empty(reason):
                self.report(node, what=self.ctx.text(node))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._bare_unittest_skip(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._bare_unittest_skip(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._bare_unittest_skip(node)

    def _bare_unittest_skip(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        if not self._active:
            return
        for decorator in node.decorator_list:
            if isinstance(decorator, (ast.Name, ast.Attribute)) and self.ctx.qualname(decorator) in (
                "unittest.skip", "unittest.case.skip"
            ):
                self.report(decorator, what="@" + self.ctx.text(decorator))

    def _check_mark_call(self, call: ast.Call, name: str) -> None:
        what = self.ctx.text(call.func) + "(...)" if call.args or call.keywords else self.ctx.text(call)
        reason = next((k.value for k in call.keywords if k.arg == "reason"), None)
        if reason is not None:
            if _empty(reason):
                self.report(call, what=what)
            return
        if any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
            return  # **options / *conditions: cannot tell
        if name == "pytest.mark.skip":
            if not call.args or _empty(call.args[0]):
                self.report(call, what=what)
            return
        conditions = [*call.args, *(k.value for k in call.keywords if k.arg == "condition")]
        if conditions and all(isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.strip()
                              for c in conditions):
            return  # pytest reports the condition string as the reason
        self.report(call, what=what)


def _argument(call: ast.Call, position: int, keywords: tuple[str, ...]) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def _empty(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and not node.value.strip()
