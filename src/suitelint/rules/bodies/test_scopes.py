"""Which collected test a node found by the engine's walk belongs to.

The body rules collect the few nodes they care about (``return``, ``try``,
``with``, ``assert``) while the engine walks the tree, then attribute them to
tests in ``end()`` through the parent table, instead of walking every test's
body again.
"""

from __future__ import annotations

import ast

from suitelint.core.context import FileContext

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# what ``walk_function_body`` does not descend into
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def owning_test(ctx: FileContext, node: ast.AST, tests: set[int] | dict[int, object]) -> FunctionNode | None:
    """The test (its id in ``tests``) whose own body holds ``node``: what ``walk_function_body(test)`` yields.

    None when the nearest enclosing function, lambda or class is not one of ``tests``.
    """
    parents = ctx.parents
    current = parents.get(id(node))
    while current is not None:
        if isinstance(current, NESTED_SCOPES):
            return current if id(current) in tests else None  # type: ignore[return-value]
        current = parents.get(id(current))
    return None


def enclosing_test(ctx: FileContext, node: ast.AST, tests: set[int] | dict[int, object]) -> FunctionNode | None:
    """The test (its id in ``tests``) that ``node`` is anywhere under: what ``ast.walk(test)`` yields.

    Collected tests are never nested in a function, so the first enclosing
    function that is a test is the only one.
    """
    parents = ctx.parents
    current = parents.get(id(node))
    while current is not None:
        if isinstance(current, FUNCTIONS) and id(current) in tests:
            return current
        current = parents.get(id(current))
    return None
