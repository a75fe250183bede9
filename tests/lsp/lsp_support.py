"""Helpers for driving the real server over stdio with pytest-lsp.

The server is started as ``python -m suitelint.lsp.server`` (what ``suitelint
lsp`` runs).
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Sequence

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER_COMMAND = [sys.executable, "-m", "suitelint.lsp.server"]
TIMEOUT = 20.0
# The tests are about the server, not the rule catalogue: they select the rules
# they use, so that rules added later do not change what they expect.
RULES_UNDER_TEST = ["TST001", "TST002", "TST201", "TST202", "TST406", "TST501"]
DEFAULT_OPTIONS: dict[str, Any] = {"select": RULES_UNDER_TEST}


def capabilities(*, pull: bool = False, configuration: bool = True) -> types.ClientCapabilities:
    """A client like most editors: UTF-16, markdown hovers, versioned workspace edits."""
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
        workspace=types.WorkspaceClientCapabilities(
            configuration=configuration,
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=False),
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True),
        ),
        text_document=types.TextDocumentClientCapabilities(
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                version_support=True,
                code_description_support=True,
                data_support=True,
                tag_support=types.ClientDiagnosticsTagOptions(
                    value_set=[types.DiagnosticTag.Unnecessary, types.DiagnosticTag.Deprecated]),
            ),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]),
            definition=types.DefinitionClientCapabilities(),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll])),
                is_preferred_support=True,
                data_support=True,
            ),
            diagnostic=types.DiagnosticClientCapabilities() if pull else None,
        ),
    )


def write_project(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (dedented) under ``root``; a bare pytest.ini makes it the rootdir."""
    files = {"pytest.ini": "[pytest]\n", **files}
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root.resolve()


async def initialize(client: LanguageClient, root: Path, *, pull: bool = False,
                     options: Any = DEFAULT_OPTIONS) -> types.InitializeResult:
    return await client.initialize_session(types.InitializeParams(
        capabilities=capabilities(pull=pull),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options=options,
    ))


async def start_client(root: Path, *, pull: bool = False, options: Any = DEFAULT_OPTIONS,
                       configuration: dict[str, Any] | None = None) -> LanguageClient:
    """A client for tests that need their own initialisation (settings, pull mode)."""
    client = await ClientServerConfig(server_command=SERVER_COMMAND).start()
    assert isinstance(client, LanguageClient)
    if configuration is not None:
        client.set_configuration(configuration, section="suitelint")
    await initialize(client, root, pull=pull, options=options)
    return client


async def stop_client(client: LanguageClient) -> None:
    await client.shutdown_session()
    await client.stop()


def open_document(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=version,
        text=text if text is not None else path.read_text(encoding="utf-8"))))
    return uri


def change_document(client: LanguageClient, uri: str, text: str, version: int) -> None:
    """Replace the whole buffer (the server keeps unsaved text: nothing is written)."""
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
    ))


async def wait_for_diagnostics(
    client: LanguageClient, uri: str,
    predicate: Callable[[Sequence[types.Diagnostic]], bool] = lambda _: True,
) -> Sequence[types.Diagnostic]:
    """The next published diagnostics of ``uri`` that satisfy ``predicate``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while loop.time() < deadline:
        found = client.diagnostics.get(uri)
        if found is not None and predicate(found):
            return list(found)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no matching diagnostics for {uri} within {TIMEOUT}s; last: {client.diagnostics.get(uri)}")


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP edits to ASCII text (UTF-16 columns = string offsets), as an editor would."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(position: types.Position) -> int:
        return min(starts[position.line] + position.character, len(text)) if position.line < len(lines) else len(text)

    # from the end backwards; inserts at one position keep their array order (LSP spec)
    ordered = sorted(enumerate(edits), key=lambda item: (item[1].range.start.line, item[1].range.start.character,
                                                         item[0]), reverse=True)
    for _, edit in ordered:
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    """The text edits a code action makes to ``uri`` (versioned document changes or plain changes)."""
    assert action.edit is not None
    if action.edit.document_changes:
        return [edit for change in action.edit.document_changes
                if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
                for edit in change.edits if isinstance(edit, types.TextEdit)]
    return list((action.edit.changes or {}).get(uri, []))
