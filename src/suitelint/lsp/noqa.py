"""Editing and reading ``# noqa`` comments: suppress a code, find the code under the cursor.

The comment grammar is the engine's (:mod:`suitelint.core.suppression`), so
what the editor writes is exactly what every front end honours.  A comment
can only go where Python allows one: never at the end of a line that
continues inside a multi-line string or after a backslash continuation.
"""

from __future__ import annotations

import io
import re
import tokenize

from suitelint.core.diagnostic import Edit, Position, Span
from suitelint.core.suppression import CODE_RE, NOQA_CODES_RE, NOQA_RE, noqa_codes


def commentable_lines(source: str) -> set[int] | None:
    """1-based lines whose end may take a comment; None when the source does not tokenize."""
    lines: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER):
                lines.add(token.start[0])
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    return lines


def _codes_match(line: str) -> re.Match[str] | None:
    """The ``# noqa: CODES`` match that the engine would honour on ``line``."""
    first = NOQA_RE.search(line)
    codes = NOQA_CODES_RE.search(line)
    if first is None or codes is None or codes.start() != first.start():
        return None
    return codes


def _separator(codes_text: str) -> str:
    if "," in codes_text:
        return ", " if ", " in codes_text else ","
    if re.search(r"[A-Za-z0-9]\s+[A-Za-z]", codes_text):
        return " "
    return ", "


def suppression_edit(line_text: str, line: int, code: str, commentable: set[int] | None = None) -> Edit | None:
    """The edit that makes ``# noqa`` on line ``line`` (1-based) cover ``code``.

    Merges into an existing ``# noqa: X`` (``# noqa: E501`` -> ``# noqa: E501,
    TST201``); None when the line is already suppressed (a bare ``# noqa``,
    or a listed code or prefix covering ``code``) or cannot take a comment.
    """
    existing = noqa_codes(line_text)
    if existing is not None:
        if not existing or any(code.startswith(listed) for listed in existing):
            return None
        match = _codes_match(line_text)
        if match is None:  # pragma: no cover - noqa_codes found codes, so this matches
            return None
        insert_at = Position(line, match.end("codes") + 1)
        return Edit(Span(insert_at, insert_at), _separator(match.group("codes")) + code)
    if commentable is not None and line not in commentable:
        return None
    stripped = line_text.rstrip()
    if commentable is None and stripped.endswith("\\"):
        return None
    start = Position(line, len(stripped) + 1)
    end = Position(line, len(line_text) + 1)
    prefix = "  " if stripped else ""
    return Edit(Span(start, end), f"{prefix}# noqa: {code}")


def code_at(line_text: str, column: int) -> str | None:
    """The rule code or prefix of a ``# noqa`` comment at 0-based codepoint ``column``."""
    match = _codes_match(line_text)
    if match is None:
        return None
    base = match.start("codes")
    for found in CODE_RE.finditer(match.group("codes")):
        if base + found.start() <= column <= base + found.end():
            return found.group(0).upper()
    return None
