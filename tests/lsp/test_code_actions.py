"""Code actions end to end: quick fixes, fix all, and # noqa suppression."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from lsp_support import apply_text_edits, codes, edits_of, open_document, wait_for_diagnostics, write_project
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio


async def request_actions(client: LanguageClient, uri: str, diagnostics: Sequence[types.Diagnostic] | None = None,
                          range_: types.Range | None = None,
                          only: list[str] | None = None) -> list[types.CodeAction]:
    if range_ is None:
        assert diagnostics
        range_ = diagnostics[0].range
    result = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=range_,
        context=types.CodeActionContext(diagnostics=list(diagnostics or []), only=only),
    ))
    return [action for action in result or [] if isinstance(action, types.CodeAction)]


def titled(actions: list[types.CodeAction], prefix: str) -> types.CodeAction:
    matching = [action for action in actions if action.title.startswith(prefix)]
    assert len(matching) == 1, [action.title for action in actions]
    return matching[0]


async def test_quick_fix_adds_the_asyncio_marker(client: LanguageClient, project: Path) -> None:
    source = "import asyncio\n\n\nasync def test_fetch():\n    await asyncio.sleep(0)\n"
    write_project(project, {"tests/test_fetch.py": source})
    uri = open_document(client, project / "tests/test_fetch.py")
    diagnostics = await wait_for_diagnostics(client, uri)
    assert codes(diagnostics) == ["TST201"]

    actions = await request_actions(client, uri, diagnostics)
    fix = titled(actions, "Add `@pytest.mark.asyncio` (TST201)")
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    assert fix.diagnostics is not None and fix.diagnostics[0].code == "TST201"
    fixed = apply_text_edits(source, edits_of(fix, uri))
    assert fixed == (
        "import asyncio\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    await asyncio.sleep(0)\n"
    )
    # the edit is versioned: an editor refuses it if the buffer moved on
    assert fix.edit is not None and fix.edit.document_changes
    assert fix.edit.document_changes[0].text_document.version == 1  # type: ignore[union-attr]


async def test_quick_fix_works_from_the_server_state_when_the_client_sends_no_diagnostics(
    client: LanguageClient, project: Path
) -> None:
    source = "async def test_fetch():\n    pass\n"
    write_project(project, {"tests/test_fetch.py": source})
    uri = open_document(client, project / "tests/test_fetch.py")
    await wait_for_diagnostics(client, uri, lambda found: len(found) == 1)

    cursor = types.Range(start=types.Position(line=0, character=12), end=types.Position(line=0, character=12))
    actions = await request_actions(client, uri, range_=cursor)
    fix = titled(actions, "Add `@pytest.mark.asyncio`")
    assert apply_text_edits(source, edits_of(fix, uri)) == (
        "import pytest\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"
    )


async def test_fix_all_applies_every_safe_fix_once(client: LanguageClient, project: Path) -> None:
    source = "async def test_one():\n    pass\n\n\nasync def test_two():\n    pass\n"
    write_project(project, {"tests/test_many.py": source})
    uri = open_document(client, project / "tests/test_many.py")
    await wait_for_diagnostics(client, uri, lambda found: len(found) == 2)

    everything = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=6, character=0))
    actions = await request_actions(client, uri, range_=everything, only=[types.CodeActionKind.SourceFixAll])
    (fix_all,) = actions
    assert fix_all.kind == "source.fixAll.suitelint"
    fixed = apply_text_edits(source, edits_of(fix_all, uri))
    assert fixed.count("import pytest") == 1
    assert fixed.count("@pytest.mark.asyncio\nasync def") == 2

    assert await request_actions(client, uri, range_=everything, only=["source.organizeImports"]) == []


async def test_suppress_adds_a_noqa_comment(client: LanguageClient, project: Path) -> None:
    source = "import time\n\n\ndef test_slow():\n    time.sleep(1)\n"
    write_project(project, {"tests/test_slow.py": source})
    uri = open_document(client, project / "tests/test_slow.py")
    diagnostics = await wait_for_diagnostics(client, uri)

    actions = await request_actions(client, uri, diagnostics)
    suppress = titled(actions, "Suppress TST406 with # noqa")
    suppressed = apply_text_edits(source, edits_of(suppress, uri))
    assert suppressed.splitlines()[4] == "    time.sleep(1)  # noqa: TST406"
    assert not [action for action in actions if "(unsafe)" in action.title]  # TST406 has no fix


async def test_suppress_merges_into_an_existing_noqa_comment(client: LanguageClient, project: Path) -> None:
    source = "import time\n\n\ndef test_slow():\n    time.sleep(1)  # noqa: E501\n"
    write_project(project, {"tests/test_slow.py": source})
    uri = open_document(client, project / "tests/test_slow.py")
    diagnostics = await wait_for_diagnostics(client, uri)

    suppress = titled(await request_actions(client, uri, diagnostics), "Suppress TST406")
    suppressed = apply_text_edits(source, edits_of(suppress, uri))
    assert suppressed.splitlines()[4] == "    time.sleep(1)  # noqa: E501, TST406"

    client.diagnostics.pop(uri)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=suppressed)],
    ))
    assert await wait_for_diagnostics(client, uri) == []
