"""Where a node runs, in pytest's terms: in a test, a fixture, a helper, at import."""

from __future__ import annotations

import ast

from suitelint.core.context import FileContext


def outermost_function(ctx: FileContext, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The outermost def enclosing ``node`` (a test or fixture when nested helpers are inside)."""
    found = None
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found = ancestor
    return found


def test_or_fixture(ctx: FileContext, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The test or fixture function whose body (at any depth) holds ``node``."""
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            ctx.is_test_function(ancestor) or ctx.is_fixture(ancestor)
        ):
            return ancestor
    return None


def literal_number(node: ast.AST | None) -> float | None:
    """The value of a numeric literal (``-1`` included), else None."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):  # a loop: `- - - 1` nests
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return sign * float(node.value)
    return None


def call_argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None
