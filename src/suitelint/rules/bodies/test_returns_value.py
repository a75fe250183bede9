from __future__ import annotations

import ast

from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.pytest_model.collection import collected_tests
from suitelint.rules.bodies.test_scopes import owning_test


class TestReturnsValue(Rule):
    """
    ## What it does
    Flags `return <value>` in a test function (pytest and unittest tests),
    where the value is a literal, a name, a comparison or any expression
    other than a call. `return`, `return None` and `return some_call()`
    (often a helper that returns nothing) are left alone.

    ## Why is this bad?
    pytest ignores what a test returns: `return result == expected` passes
    whether or not the two are equal. pytest warns with
    `PytestReturnNotNoneWarning` (an error in a future version), and
    unittest deprecates it too. The intended check is almost always an
    `assert`.
    """

    __test__ = False  # a pytest collection hint: this class is not a test

    code = "TST603"
    name = "test-returns-value"
    message = "test `{test}` returns a value, which pytest ignores; `assert` it instead"
    applies_to = frozenset({FileRole.TEST})
    examples = (
        Invalid(
            """
            def test_total():
                result = total([1, 2])
                return result == 3  # [TST603]

            class TestParse:
                def test_empty(self):
                    return parse("") is None  # [TST603]
            """
        ),
        Valid(
            """
            def test_total():
                result = total([1, 2])
                assert result == 3
                return

            def test_early_exit(flag):
                if not flag:
                    return None
                assert run()

            def test_delegates(checker):
                return checker.run()

            def test_nested():
                def key(item):
                    return item.name
                assert sorted(items(), key=key)
            """,
            title="bare returns, calls, and returns of nested functions",
        ),
    )

    def begin(self) -> None:
        self._returns: list[ast.Return] = []

    def visit_Return(self, node: ast.Return) -> None:
        if _returns_value(node.value):
            self._returns.append(node)

    def end(self) -> None:
        if not self._returns:
            return
        tests = {id(test.node) for test in collected_tests(self.ctx)}
        for node in self._returns:
            test = owning_test(self.ctx, node, tests)
            if test is not None:
                self.report(node, test=test.name)


def _returns_value(value: ast.expr | None) -> bool:
    if value is None:
        return False
    if isinstance(value, ast.Constant) and value.value is None:
        return False
    return not isinstance(value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom))
