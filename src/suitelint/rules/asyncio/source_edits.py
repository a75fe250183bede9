"""Edits the async rules' fixes are made of: imports, decorator lines."""

from __future__ import annotations

import ast

from suitelint.core.context import FileContext
from suitelint.core.diagnostic import Edit, Position, Span


def module_alias(ctx: FileContext, module: str) -> str | None:
    """The name a top-level ``import module`` / ``import module as x`` binds, if any."""
    for stmt in ctx.tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name == module:
                    return alias.asname or alias.name
    return None


def add_import(ctx: FileContext, module: str) -> Edit:
    """Insert ``import module`` after the last top-level import (or the docstring)."""
    anchor: ast.stmt | None = None
    for index, stmt in enumerate(ctx.tree.body):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            anchor = stmt
        elif index == 0 and _is_docstring(stmt):
            anchor = stmt
    statement = f"import {module}"
    if anchor is None:
        first = ctx.tree.body[0] if ctx.tree.body else None
        line = statement_start(first) if first is not None else len(ctx.lines) + 1
        return Edit.insert(max(line, 1), 1, statement + "\n")
    end = anchor.end_lineno or anchor.lineno
    if end < len(ctx.lines) or ctx.source.endswith("\n"):
        return Edit.insert(end + 1, 1, statement + "\n")
    return Edit.insert(end, len(ctx.lines[end - 1]) + 1, "\n" + statement)


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def statement_start(stmt: ast.stmt) -> int:
    """The first line of a statement, decorators included."""
    decorators = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def line_indent(ctx: FileContext, lineno: int) -> str | None:
    """The indentation of a line that holds nothing before its first token."""
    if not 0 < lineno <= len(ctx.lines):
        return None
    line = ctx.lines[lineno - 1]
    return line[: len(line) - len(line.lstrip())]


def decorator_line_span(ctx: FileContext, decorator: ast.expr) -> Span | None:
    """The whole lines a decorator occupies, when nothing else shares them."""
    start = decorator.lineno
    end = decorator.end_lineno or start
    if not 0 < start <= end < len(ctx.lines):
        return None
    first = ctx.lines[start - 1]
    if not first.lstrip().startswith("@"):
        return None
    last = ctx.lines[end - 1]
    tail_start = ctx.column(end, decorator.end_col_offset or 0) - 1
    if last[tail_start:].strip():
        return None
    return Span(Position(start, 1), Position(end + 1, 1))
