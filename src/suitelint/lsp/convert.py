"""Engine data -> LSP data: diagnostics (severity, tags, docs link, fix) and edits.

The fix travels in the diagnostic's ``data`` in the engine's own JSON shape
(:meth:`suitelint.core.diagnostic.Fix.to_json`, codepoint positions), so a
code action request that carries the diagnostic back can rebuild the fix
without trusting positions the client may have re-encoded.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from suitelint.core.diagnostic import Applicability, Diagnostic, Edit, Fix, Span
from suitelint.lsp.positions import LineIndex

SOURCE = "suitelint"
DOCS_URL = "https://github.com/suitelint/suitelint/blob/main/docs/rules/{code}.md"

# the linter's own failures are errors; every rule finding is a warning
ERROR_CODES = frozenset({"TST001", "TST002"})
# code that is dead (greyed out by editors) or uses something deprecated (struck through)
UNNECESSARY_CODES = frozenset({"TST504", "TST602"})
DEPRECATED_CODES = frozenset({"TST203", "TST207"})


def severity(code: str) -> types.DiagnosticSeverity:
    return types.DiagnosticSeverity.Error if code in ERROR_CODES else types.DiagnosticSeverity.Warning


def tags(code: str) -> list[types.DiagnosticTag] | None:
    if code in UNNECESSARY_CODES:
        return [types.DiagnosticTag.Unnecessary]
    if code in DEPRECATED_CODES:
        return [types.DiagnosticTag.Deprecated]
    return None


def lsp_range(index: LineIndex, span: Span) -> types.Range:
    start = index.to_lsp(span.start)
    end = index.to_lsp(span.end)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return types.Range(
        start=types.Position(line=start.line, character=start.character),
        end=types.Position(line=end.line, character=end.character),
    )


def to_lsp_diagnostic(index: LineIndex, diagnostic: Diagnostic) -> types.Diagnostic:
    data: dict[str, Any] = {"rule": diagnostic.rule, "fix": diagnostic.fix.to_json() if diagnostic.fix else None}
    return types.Diagnostic(
        range=lsp_range(index, diagnostic.span),
        message=diagnostic.message,
        severity=severity(diagnostic.code),
        code=diagnostic.code,
        code_description=types.CodeDescription(href=DOCS_URL.format(code=diagnostic.code)),
        source=SOURCE,
        tags=tags(diagnostic.code),
        data=data,
    )


def text_edit(index: LineIndex, edit: Edit) -> types.TextEdit:
    return types.TextEdit(range=lsp_range(index, edit.span), new_text=edit.content)


def fix_from_data(data: Any) -> Fix | None:
    """The engine fix carried in a diagnostic's ``data`` (None when absent or malformed)."""
    if not isinstance(data, dict) or not isinstance(data.get("fix"), dict):
        return None
    raw = data["fix"]
    try:
        edits = tuple(
            Edit(Span.of(int(e["line"]), int(e["column"]), int(e["end_line"]), int(e["end_column"])), str(e["content"]))
            for e in raw["edits"]
        )
        return Fix(edits, Applicability(raw["applicability"]), str(raw.get("title", "")))
    except (KeyError, TypeError, ValueError):
        return None
