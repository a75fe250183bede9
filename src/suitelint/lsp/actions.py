"""Code actions: quick fixes, "fix all safe issues", and "suppress with ``# noqa``".

Which findings an action is for: the suitelint diagnostics the client sends
in ``context.diagnostics`` (their fix comes back in ``data``); when a client
sends none (some only send a range), the server's own findings for this
version of the buffer that touch the requested range.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence

from lsprotocol import types

from suitelint.core.diagnostic import Diagnostic, Fix, Span
from suitelint.lsp.convert import SOURCE, fix_from_data, lsp_range, text_edit
from suitelint.lsp.noqa import commentable_lines, suppression_edit
from suitelint.lsp.positions import LineIndex

FIX_ALL_KIND = "source.fixAll.suitelint"
FIX_ALL_TITLE = "suitelint: fix all safe issues in this file"
UNSUPPRESSIBLE = frozenset({"TST001"})  # a comment cannot fix a file that does not parse


@dataclass(frozen=True)
class Target:
    """A finding an action is offered for."""

    code: str
    line: int  # 1-based, where a noqa comment must go
    fix: Fix | None
    lsp: types.Diagnostic


def kind_requested(kind: str, only: Sequence[str] | None) -> bool:
    """Whether ``kind`` is one of, or a sub-kind of one of, the requested kinds."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def targets(
    index: LineIndex,
    requested: types.Range,
    sent: Sequence[types.Diagnostic],
    own: Sequence[tuple[Diagnostic, types.Diagnostic]],
) -> list[Target]:
    """The findings a code action request is about."""
    found: list[Target] = []
    for diagnostic in sent:
        if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
            continue
        line = index.from_lsp(diagnostic.range.start.line, diagnostic.range.start.character).line
        found.append(Target(diagnostic.code, line, fix_from_data(diagnostic.data), diagnostic))
    if found:
        return found
    for engine, lsp in own:
        if _touches(lsp.range, requested):
            found.append(Target(engine.code, engine.span.start.line, engine.fix, lsp))
    return found


def _touches(a: types.Range, b: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return (position.line, position.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def quick_fixes(uri: str, version: int | None, index: LineIndex, found: Iterable[Target],
                versioned: bool) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    safe_count = sum(1 for target in found if target.fix is not None and target.fix.is_safe)
    for target in found:
        fix = target.fix
        if fix is None or not fix.edits:
            continue
        title = f"{fix.title or 'Apply the fix'} ({target.code})"
        if not fix.is_safe:
            title += " (unsafe)"
        actions.append(types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[target.lsp],
            edit=workspace_edit(uri, version, [text_edit(index, edit) for edit in fix.edits], versioned),
            is_preferred=True if fix.is_safe and safe_count == 1 else None,
        ))
    return actions


def suppressions(uri: str, version: int | None, index: LineIndex, found: Iterable[Target],
                 versioned: bool) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    seen: set[tuple[int, str]] = set()
    commentable: set[int] | None = None
    tokenized = False  # the buffer is tokenized on first need only
    for target in found:
        if target.code in UNSUPPRESSIBLE or (target.line, target.code) in seen:
            continue
        seen.add((target.line, target.code))
        if not tokenized:
            commentable, tokenized = commentable_lines(index.text), True
        edit = suppression_edit(index.line(target.line - 1), target.line, target.code, commentable)
        if edit is None:
            continue
        actions.append(types.CodeAction(
            title=f"Suppress {target.code} with # noqa",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[target.lsp],
            edit=workspace_edit(uri, version, [text_edit(index, edit)], versioned),
        ))
    return actions


def fix_all(uri: str, version: int | None, index: LineIndex, fixed: str, versioned: bool) -> types.CodeAction:
    return types.CodeAction(
        title=FIX_ALL_TITLE,
        kind=FIX_ALL_KIND,
        edit=workspace_edit(uri, version, minimal_edits(index, fixed), versioned),
    )


def workspace_edit(uri: str, version: int | None, edits: list[types.TextEdit], versioned: bool) -> types.WorkspaceEdit:
    if versioned:
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=list(edits),
        )])
    return types.WorkspaceEdit(changes={uri: list(edits)})


def minimal_edits(index: LineIndex, new_text: str) -> list[types.TextEdit]:
    """Line-level edits turning ``index.text`` into ``new_text`` (unchanged lines untouched)."""
    old_text = index.text
    old_lines = old_text.splitlines(keepends=True)
    new_lines = new_text.splitlines(keepends=True)
    # line starts as string offsets: the engine/LSP line splitting agrees on \n, \r\n, \r
    old_starts = [0]
    for line in old_lines:
        old_starts.append(old_starts[-1] + len(line))
    edits: list[types.TextEdit] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = index.position_at(old_starts[i1])
        end = index.position_at(old_starts[i2])
        edits.append(text_edit_for(index, Span(start, end), "".join(new_lines[j1:j2])))
    return edits


def text_edit_for(index: LineIndex, span: Span, content: str) -> types.TextEdit:
    return types.TextEdit(range=lsp_range(index, span), new_text=content)

