from __future__ import annotations

import ast
import difflib
import functools
import re

from suitelint.core.diagnostic import Applicability, Edit, Fix, Span
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.mocks_model import Analysis, Scope, analysis_for
from suitelint.mocks_model.api import (
    ASSERTIONS,
    LOOKALIKES,
    MISSPELLING_PREFIXES,
    NO_ARGUMENT_ASSERTIONS,
    OTHER_MOCK_FIXTURES,
)
from suitelint.mocks_model.members import MOCK_OWN_ATTRIBUTES
from suitelint.mocks_model.project import dotted_chain
from suitelint.mocks_model.symbols import EXISTS, MockSym, Symbol
from suitelint.mocks_model.text import mentions_mock, source_of

MOCKISH = re.compile(r"mock", re.IGNORECASE)
# words too common to be a typo of an assertion unless the receiver is known to be a mock
AMBIGUOUS_LOOKALIKES = frozenset({"awaited"})
MAX_SHOWN = 60


class MockAssertionMisuse(Rule):
    """
    ## What it does
    Flags mock assertions that cannot fail or cannot pass:

    - `assert m.called_once_with(...)` (and `called_with`, `called_once`,
      `has_calls`, `any_call`, `not_called`, `awaited_once_with`...): not an
      assertion method, a child mock created on access, always truthy; the
      same call as a statement does nothing;
    - misspelled assertion methods (`m.assert_called_one()`,
      `m.assret_called_with()`) on a mock;
    - `assert m.assert_called()`: assertion methods return `None`, so the
      `assert` always fails;
    - `assert m.method(...)` on a mock created in the test whose return value
      is never configured: calling a mock returns a new, truthy mock.

    ## Why is this bad?
    Before Python 3.12 a mock answers any attribute, so `called_once_with`
    is a fresh mock and `assert m.called_once_with(1)` passes whatever the
    code did (3.12 raises `AttributeError` for these names). A misspelled
    `assert_*` name raises `AttributeError`, or passes silently with
    `unsafe=True`. Either way the test does not check the call it names.

    ## Fix
    `assert m.called_once_with(...)` and the statement `m.called_once_with(...)`
    become `m.assert_called_once_with(...)`; `assert m.called_once` becomes
    `m.assert_called_once()`; `assert m.assert_called()` loses its `assert`.
    Only when the `assert` has no message. Misspellings are not fixed: the
    intended method is a guess.
    """

    code = "TST305"
    name = "mock-assertion-misuse"
    message = "`{code}` {problem}; {advice}"
    fix = "safe"
    examples = (
        Invalid(
            """
            from unittest.mock import Mock


            def test_notifies(mocker):
                notify = Mock()
                send = mocker.patch("app.mail.send")
                run(notify, send)
                assert notify.called_once_with("done")  # [TST305]
                send.called_once_with("done")  # [TST305]
                assert send.called_once  # [TST305]
                assert notify.assert_called()  # [TST305]
            """,
            fixed="""
            from unittest.mock import Mock


            def test_notifies(mocker):
                notify = Mock()
                send = mocker.patch("app.mail.send")
                run(notify, send)
                notify.assert_called_once_with("done")
                send.assert_called_once_with("done")
                send.assert_called_once()
                notify.assert_called()
            """,
        ),
        Invalid(
            """
            from unittest.mock import Mock, patch


            @patch("app.mail.send")
            def test_misspelled(send_mock):
                notify = Mock()
                run(notify)
                notify.assert_called_one()  # [TST305]
                send_mock.assret_called_with("done")  # [TST305]
                mock_client.assert_called_once_wiht(1)  # [TST305]
                assert notify.get_status("done")  # [TST305]
            """,
            title="misspelled assertions; asserting a mock's call",
        ),
        Invalid(
            """
            from unittest.mock import patch


            @patch("app.mail.send")
            def test_decorated(send_mock):
                assert send_mock.has_calls([])  # [TST305]
            """,
            fixed="""
            from unittest.mock import patch


            @patch("app.mail.send")
            def test_decorated(send_mock):
                send_mock.assert_has_calls([])
            """,
            title="patch decorators",
            in_docs=False,
        ),
        Invalid(
            """
            def test_and(send_mock):
                assert send_mock.called and send_mock.not_called()  # [TST305]
            """,
            title="one operand of `and` (no fix)",
            in_docs=False,
        ),
        Valid(
            """
            from unittest.mock import Mock


            def test_real_assertions(mocker, httpx_mock, respx_mock):
                notify = Mock()
                notify.get_status.return_value = False
                run(notify)
                notify.assert_called_once_with("done")
                assert notify.called
                assert notify.call_count == 1
                assert not notify.get_status("done")
                assert notify.call_args == (("done",), {})
                respx_mock.assert_all_called()
                httpx_mock.assert_all_responses_were_requested()


            class TestCase:
                def test_helpers(self, page):
                    self.assert_called_once_with(page)
                    page.assert_title("Home")
                    assert page.called_with_retry()
            """,
            title="real assertions, configured return values, other libraries' `assert_*`",
        ),
    )

    def begin(self) -> None:
        self._mocks_made_here = mentions_mock(self.ctx)

    def visit_Assert(self, node: ast.Assert) -> None:
        test = node.test
        parts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
        for part in parts:
            if self._worth_checking(part):
                break
        else:
            return
        analysis = analysis_for(self.ctx)
        scope = analysis.scope_at(node)
        for part in parts:
            fixable = part is test and node.msg is None
            if isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute):
                self._check_asserted_call(node, part, part.func, fixable, analysis, scope)
            elif isinstance(part, ast.Attribute):
                self._check_asserted_attribute(node, part, fixable, analysis, scope)

    def visit_Expr(self, node: ast.Expr) -> None:
        call = node.value
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            return
        func = call.func
        if func.attr not in LOOKALIKES and not _looks_misspelled(func.attr):
            return
        analysis = analysis_for(self.ctx)
        scope = analysis.scope_at(node)
        receiver = self._receiver(func.value, analysis, scope)
        if receiver is None:
            return
        attribute = func.attr
        if attribute in LOOKALIKES and (attribute not in AMBIGUOUS_LOOKALIKES or receiver):
            replacement = LOOKALIKES[attribute]
            fix = Fix((Edit(self._attribute_span(func), replacement),), Applicability.SAFE,
                      title=f"Use `{replacement}`")
            self.report(call, fix=fix, code=self._short(call),
                        problem=f"does nothing: `{attribute}` is not an assertion method but a child mock",
                        advice=f"use `{self._suggest(func.value, replacement)}`")
            return
        self._check_misspelling(call, func, receiver)

    # -- assert <expr> -------------------------------------------------------------
    def _check_asserted_call(self, node: ast.Assert, call: ast.Call, func: ast.Attribute, fixable: bool,
                             analysis: Analysis, scope: Scope) -> None:
        attribute = func.attr
        if attribute in ASSERTIONS:
            fix = None
            if fixable:
                fix = Fix((Edit(self.ctx.span(node), source_of(self.ctx, call)),), Applicability.SAFE,
                          title="Drop the `assert`")
            self.report(node, fix=fix, code=f"assert {self._short(call)}",
                        problem=f"always fails: `{attribute}()` returns `None`", advice="drop the `assert`")
            return
        if attribute not in LOOKALIKES and not _looks_misspelled(attribute) and not self._mocks_made_here:
            return
        receiver = self._receiver(func.value, analysis, scope)
        if receiver is None:
            return
        if attribute in LOOKALIKES and (attribute not in AMBIGUOUS_LOOKALIKES or receiver):
            replacement = LOOKALIKES[attribute]
            fix = None
            if fixable:
                arguments = source_of(self.ctx, call)[len(source_of(self.ctx, func)):]
                text = f"{source_of(self.ctx, func.value)}.{replacement}{arguments}"
                fix = Fix((Edit(self.ctx.span(node), text),), Applicability.SAFE, title=f"Use `{replacement}`")
            self.report(node, fix=fix, code=f"assert {self._short(call)}",
                        problem=f"is always true: `{attribute}` is not an assertion method but a child mock",
                        advice=f"use `{self._suggest(func.value, replacement)}`")
            return
        if self._check_misspelling(call, func, receiver):
            return
        if receiver and self._returns_fresh_mock(func, analysis, scope):
            self.report(node, code=f"assert {self._short(call)}",
                        problem="is always true: calling a mock returns a new mock, and mocks are truthy",
                        advice=f"use `{source_of(self.ctx, func)}.assert_called_once_with(...)`")

    def _check_asserted_attribute(self, node: ast.Assert, part: ast.Attribute, fixable: bool,
                                  analysis: Analysis, scope: Scope) -> None:
        attribute = part.attr
        if attribute not in LOOKALIKES:
            return
        receiver = self._receiver(part.value, analysis, scope)
        if receiver is None or (attribute in AMBIGUOUS_LOOKALIKES and not receiver):
            return
        replacement = LOOKALIKES[attribute]
        fix = None
        if fixable and replacement in NO_ARGUMENT_ASSERTIONS:
            text = f"{source_of(self.ctx, part.value)}.{replacement}()"
            fix = Fix((Edit(self.ctx.span(node), text),), Applicability.SAFE, title=f"Use `{replacement}`")
        self.report(node, fix=fix, code=f"assert {self._short(part)}",
                    problem=f"is always true: `{attribute}` is not a mock attribute but a child mock",
                    advice=f"use `{self._suggest(part.value, replacement)}`")

    # -- helpers ---------------------------------------------------------------------
    def _worth_checking(self, part: ast.expr) -> bool:
        """A cheap filter: could this operand of an ``assert`` be a misuse at all?"""
        if isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute):
            attribute = part.func.attr
            return (attribute in ASSERTIONS or attribute in LOOKALIKES or _looks_misspelled(attribute)
                    or self._mocks_made_here)
        return isinstance(part, ast.Attribute) and part.attr in LOOKALIKES

    def _receiver(self, expr: ast.expr, analysis: Analysis, scope: Scope) -> bool | None:
        """True: a known mock; False: maybe a mock; None: not a mock (do not report)."""
        value: Symbol | None = analysis.eval(expr, scope)
        if isinstance(value, MockSym):
            return True
        chain = dotted_chain(expr)
        if chain is not None and chain[0] in {"self", "cls"}:
            return None
        if value is not None and value is not EXISTS:
            return None  # a project object, a module, a constant: not a mock
        return False

    def _check_misspelling(self, call: ast.Call, func: ast.Attribute, known_mock: bool) -> bool:
        attribute = func.attr
        if not _looks_misspelled(attribute):
            return False
        closest = difflib.get_close_matches(attribute, sorted(ASSERTIONS), n=1, cutoff=0.8)
        if not known_mock:
            chain = dotted_chain(func.value) or []
            if not closest or not chain or chain[0] in OTHER_MOCK_FIXTURES or not MOCKISH.search(chain[-1]):
                return False
        hint = f"did you mean `{closest[0]}`?" if closest else "see the `assert_*` methods of `Mock`"
        self.report(call, code=f"{source_of(self.ctx, func)}(...)",
                    problem="is not a mock assertion method (AttributeError, or a silent pass with `unsafe=True`)",
                    advice=hint)
        return True

    def _returns_fresh_mock(self, func: ast.Attribute, analysis: Analysis, scope: Scope) -> bool:
        """``m.method`` of a mock made in this file with nothing configured on it."""
        if func.attr in MOCK_OWN_ATTRIBUTES or func.attr.startswith("_"):
            return False
        chain = dotted_chain(func)
        if chain is None:
            return False
        root = analysis.eval(ast.Name(id=chain[0], ctx=ast.Load(), lineno=func.lineno, col_offset=func.col_offset),
                             scope)
        if not isinstance(root, MockSym) or root.origin is None or root.configured:
            return False
        source = self.ctx.source
        configured = ("return_value", "side_effect", "configure_mock", "spec")
        return not any(f"{func.attr}.{word}" in source for word in configured) and "configure_mock" not in source

    def _suggest(self, receiver: ast.expr, method: str) -> str:
        arguments = "()" if method in NO_ARGUMENT_ASSERTIONS else "(...)"
        return f"{' '.join(source_of(self.ctx, receiver).split())}.{method}{arguments}"

    def _attribute_span(self, func: ast.Attribute) -> Span:
        assert func.end_lineno is not None and func.end_col_offset is not None
        end = self.ctx.position(func.end_lineno, func.end_col_offset)
        start = self.ctx.position(func.end_lineno, func.end_col_offset - len(func.attr))
        return Span(start, end)

    def _short(self, node: ast.AST) -> str:
        text = " ".join(source_of(self.ctx, node).split())
        if len(text) <= MAX_SHOWN:
            return text
        if isinstance(node, ast.Call):
            return f"{' '.join(source_of(self.ctx, node.func).split())}(...)"
        return text[: MAX_SHOWN - 3] + "..."


@functools.lru_cache(maxsize=1024)
def _looks_misspelled(attribute: str) -> bool:
    """``assert_called_one``, ``assret_called``: an assertion-like name that is not one.

    ``assertEqual`` & co. (unittest), ``assertion_helper`` and assertion
    helpers of other libraries (``assert_frame_equal``) are not: a name
    spelled ``assert_...`` must be close to a mock assertion.
    """
    if attribute in ASSERTIONS:
        return False
    prefix = next((p for p in MISSPELLING_PREFIXES if attribute.startswith(p)), None)
    if prefix is None or attribute[len(prefix):][:1] not in {"_", ""}:
        return False
    return prefix != "assert" or bool(difflib.get_close_matches(attribute, sorted(ASSERTIONS), n=1, cutoff=0.8))
