from __future__ import annotations

import ast

from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.pytest_model.collection import is_fixture

OVERLOADS = frozenset({"typing.overload", "typing_extensions.overload"})
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class ShadowedTest(Rule):
    """
    ## What it does
    Flags a test function or test class defined twice under the same name
    in one module or class body: the later definition replaces the earlier
    one, which pytest never sees. Definitions in different branches of an
    `if`/`else` (alternatives for different platforms or versions) and
    `typing.overload` stubs are not flagged.

    ## Why is this bad?
    Copy-pasting a test and forgetting to rename it is easy, and nothing
    complains: the suite stays green and the first test silently stops
    running. Rename one of them.
    """

    code = "TST602"
    name = "shadowed-test"
    message = "{kind} `{test}` is redefined on line {line}, so this one never runs"
    applies_to = frozenset({FileRole.TEST})
    examples = (
        Invalid(
            """
            def test_login_ok(client):  # [TST602]
                assert client.login("ada", "secret")

            def test_login_ok(client):
                assert not client.login("ada", "wrong")

            class TestCart:
                def test_add(self, cart):  # [TST602]
                    assert cart.add("x")

                def test_add(self, cart):
                    assert cart.add("y")
            """
        ),
        Valid(
            """
            import sys
            from typing import overload

            if sys.platform == "win32":
                def test_paths():
                    assert sep() == "\\\\"
            else:
                def test_paths():
                    assert sep() == "/"

            @overload
            def test_helper(x: int) -> int: ...
            @overload
            def test_helper(x: str) -> str: ...
            def test_helper(x):
                return x

            def test_login(client):
                assert client.login("ada", "secret")

            def test_logout(client):
                assert client.logout()
            """,
            title="platform alternatives, overloads, distinct names",
        ),
    )

    def visit_Module(self, node: ast.Module) -> None:
        self._check_body(node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.ctx.pytest.matches_python_classes(node.name) or self.ctx.is_unittest_class(node):
            self._check_body(node.body)

    def _check_body(self, body: list[ast.stmt]) -> None:
        names = [stmt.name for stmt in body if isinstance(stmt, DEFINITIONS)]
        if len(set(names)) == len(names):
            return  # no name defined twice: nothing can be shadowed
        seen: dict[str, ast.stmt] = {}
        for stmt in body:
            name = self._test_name(stmt)
            if name is None:
                if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Delete)):
                    for target in _targets(stmt):
                        seen.pop(target, None)
                continue
            earlier = seen.get(name)
            if earlier is not None:
                kind = "test class" if isinstance(earlier, ast.ClassDef) else "test"
                self.report(earlier, kind=kind, test=name, line=stmt.lineno)
            seen[name] = stmt

    def _test_name(self, stmt: ast.stmt) -> str | None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not self.ctx.pytest.matches_python_functions(stmt.name) or is_fixture(self.ctx, stmt):
                return None
            if any(self.ctx.qualname(d) in OVERLOADS for d in stmt.decorator_list):
                return None
            if any(isinstance(d, ast.Attribute) and d.attr in ("setter", "getter", "deleter", "register")
                   for d in stmt.decorator_list):
                return None
            return stmt.name
        if isinstance(stmt, ast.ClassDef) and self.ctx.pytest.matches_python_classes(stmt.name):
            return stmt.name
        return None


def _targets(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, ast.Delete):
        targets = stmt.targets
    else:
        targets = [stmt.target]  # type: ignore[attr-defined]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
