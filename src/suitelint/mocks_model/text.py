"""Source text of nodes of the checked file, cheaply.

``ast.get_source_segment`` splits the whole source on every call, which
shows in profiles of large test files; the file's lines are already split.
"""

from __future__ import annotations

import ast

from suitelint.core.context import FileContext


def source_of(ctx: FileContext, node: ast.AST) -> str:
    """The source text of ``node`` (ast offsets are UTF-8 byte offsets)."""
    lineno = getattr(node, "lineno", None)
    end_lineno = getattr(node, "end_lineno", None)
    col = getattr(node, "col_offset", None)
    end_col = getattr(node, "end_col_offset", None)
    if lineno is None or end_lineno is None or col is None or end_col is None:
        return ""
    if not (0 < lineno <= end_lineno <= len(ctx.lines)):
        return ""
    if lineno == end_lineno:
        return ctx.lines[lineno - 1].encode("utf-8")[col:end_col].decode("utf-8", errors="replace")
    first = ctx.lines[lineno - 1].encode("utf-8")[col:].decode("utf-8", errors="replace")
    last = ctx.lines[end_lineno - 1].encode("utf-8")[:end_col].decode("utf-8", errors="replace")
    return "\n".join([first, *ctx.lines[lineno:end_lineno - 1], last])


def unparsed(node: ast.AST) -> str:
    """``ast.unparse``, or "" for expressions nested too deeply for it (it recurses per level)."""
    try:
        return ast.unparse(node)
    except (RecursionError, ValueError):
        return ""


_MENTIONS_MOCK = "_sl_mentions_mock"


def mentions_mock(ctx: FileContext) -> bool:
    """Whether the checked file's text says "mock" in any case (``Mock``, ``mocker``...), once per file."""
    found = getattr(ctx, _MENTIONS_MOCK, None)
    if found is None:
        found = "mock" in ctx.source.lower()
        setattr(ctx, _MENTIONS_MOCK, found)
    return found
