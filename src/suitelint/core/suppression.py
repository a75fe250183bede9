"""``# noqa`` comments, flake8-compatible: bare, with codes, or with prefixes."""

from __future__ import annotations

import re

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.registry import is_enabled

# the same shape flake8 accepts: "# noqa", "# noqa: TST201,TST2", "# NOQA:TST201 TST202"
NOQA_RE = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z][0-9]+(?:[,\s]+)?)+)?",
    re.IGNORECASE,
)
NOQA_CODES_RE = re.compile(r"#\s*noqa:\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.IGNORECASE)
CODE_RE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def noqa_codes(line: str) -> frozenset[str] | None:
    """None: no noqa; empty set: bare noqa (everything); else the listed codes."""
    if "noqa" not in line.lower():
        return None
    match = NOQA_RE.search(line)
    if match is None:
        return None
    codes = NOQA_CODES_RE.search(line)
    if codes is None or codes.start() != match.start():
        return frozenset()
    return frozenset(code.upper() for code in CODE_RE.findall(codes.group("codes")))


def is_suppressed(diagnostic: Diagnostic, lines: list[str]) -> bool:
    line_no = diagnostic.span.start.line
    if not 0 < line_no <= len(lines):
        return False
    codes = noqa_codes(lines[line_no - 1])
    if codes is None:
        return False
    return not codes or any(diagnostic.code.startswith(code) for code in codes)


def filter_noqa(diagnostics: list[Diagnostic], lines: list[str]) -> list[Diagnostic]:
    return [d for d in diagnostics if not is_suppressed(d, lines)]


def filter_per_file(diagnostics: list[Diagnostic], ignored: tuple[str, ...]) -> list[Diagnostic]:
    if not ignored:
        return diagnostics
    return [d for d in diagnostics if is_enabled(d.code, True, None, ignored)]
