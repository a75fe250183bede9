"""Applying fixes to text: non-overlapping, in one pass, never breaking syntax."""

from __future__ import annotations

import ast
from typing import Iterable

from suitelint.core.diagnostic import Edit, Fix, Position


def _offsets(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _offset(starts: list[int], text: str, position: Position) -> int:
    line = min(max(position.line, 1), len(starts))
    return min(starts[line - 1] + position.column - 1, len(text))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    starts = _offsets(text)
    # applied back to front; edits at the same position end up in the order given
    indexed = sorted(enumerate(edits), key=lambda item: (item[1].span.start, item[1].span.end, item[0]))
    for _, edit in reversed(indexed):
        start = _offset(starts, text, edit.span.start)
        end = _offset(starts, text, edit.span.end)
        text = text[:start] + edit.content + text[end:]
    return text


def apply_fixes(text: str, fixes: Iterable[Fix], *, unsafe: bool = False) -> str:
    """Apply every (safe, or also unsafe) fix whose edits overlap no earlier fix.

    Identical edits shared by several fixes (an import two fixes both add) are
    applied once.  A fix whose result would not parse is skipped.
    """
    taken: list[tuple[int, int]] = []
    chosen: list[Edit] = []
    seen: set[Edit] = set()
    starts = _offsets(text)
    for fix in fixes:
        if not fix.is_safe and not unsafe:
            continue
        new_edits = [e for e in fix.edits if e not in seen]
        ranges = [(_offset(starts, text, e.span.start), _offset(starts, text, e.span.end)) for e in new_edits]
        if any(_overlaps(r, t) for r in ranges for t in taken):
            continue
        candidate = apply_edits(text, [*chosen, *new_edits])
        if not _parses(candidate):
            continue
        taken.extend(ranges)
        chosen.extend(new_edits)
        seen.update(new_edits)
    return apply_edits(text, chosen)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only strictly inside a range
        return b[0] < a[0] < b[1] or a[0] < b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
