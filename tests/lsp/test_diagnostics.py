"""Diagnostics end to end: push on open/change/save, pull, refresh on project changes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import (
    change_document,
    codes,
    open_document,
    start_client,
    stop_client,
    wait_for_diagnostics,
    write_project,
)

pytestmark = pytest.mark.asyncio

SLEEPY = """\
import time


def test_cache_expires():
    time.sleep(1)
    assert True
"""
AWAKE = SLEEPY.replace("    time.sleep(1)\n", "")


async def test_diagnostics_on_open_then_cleared_by_an_unsaved_edit(client: LanguageClient, project: Path) -> None:
    write_project(project, {"tests/test_cache.py": SLEEPY})
    uri = open_document(client, project / "tests/test_cache.py")

    (diagnostic,) = await wait_for_diagnostics(client, uri)
    assert diagnostic.code == "TST406"
    assert diagnostic.source == "suitelint"
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == "https://github.com/suitelint/suitelint/blob/main/docs/rules/TST406.md"
    assert diagnostic.range == types.Range(start=types.Position(line=4, character=4),
                                           end=types.Position(line=4, character=17))
    assert "`time.sleep(1)`" in diagnostic.message
    assert diagnostic.data == {"rule": "sleep-in-test", "fix": None}

    change_document(client, uri, AWAKE, version=2)
    assert await wait_for_diagnostics(client, uri) == []
    assert (project / "tests/test_cache.py").read_text() == SLEEPY  # the buffer was never saved


async def test_missing_asyncio_marker_is_reported_with_its_fix_and_cleared_when_marked(
    client: LanguageClient, project: Path
) -> None:
    source = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
    write_project(project, {"tests/test_fetch.py": source})
    uri = open_document(client, project / "tests/test_fetch.py")

    (diagnostic,) = await wait_for_diagnostics(client, uri)
    assert diagnostic.code == "TST201"
    assert diagnostic.range.start == types.Position(line=3, character=0)
    assert isinstance(diagnostic.data, dict)
    assert diagnostic.data["fix"]["applicability"] == "safe"
    assert any(edit["content"] == "@pytest.mark.asyncio\n" for edit in diagnostic.data["fix"]["edits"])

    marked = source.replace("async def", "@pytest.mark.asyncio\nasync def")
    change_document(client, uri, marked, version=2)
    assert await wait_for_diagnostics(client, uri) == []


async def test_incremental_edits_and_utf16_ranges(client: LanguageClient, project: Path) -> None:
    # "😀" is one codepoint but two UTF-16 code units: `time` starts at codepoint 13, UTF-16 column 14
    source = 'import time\n\n\ndef test_emoji():\n    s = "😀"; time.sleep(1)\n'
    write_project(project, {"tests/test_emoji.py": source})
    uri = open_document(client, project / "tests/test_emoji.py")

    (diagnostic,) = await wait_for_diagnostics(client, uri)
    assert diagnostic.range.start == types.Position(line=4, character=14)
    assert diagnostic.range.end == types.Position(line=4, character=27)

    client.diagnostics.pop(uri)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=4, character=14), end=types.Position(line=4, character=27)),
            text="pass")],
    ))
    assert await wait_for_diagnostics(client, uri) == []


async def test_a_file_that_does_not_parse_is_one_error_and_the_server_keeps_serving(
    client: LanguageClient, project: Path
) -> None:
    write_project(project, {"tests/test_broken.py": "def test_total(:\n    assert total() == 3\n",
                            "tests/test_sleepy.py": SLEEPY})
    broken = open_document(client, project / "tests/test_broken.py")
    (diagnostic,) = await wait_for_diagnostics(client, broken)
    assert diagnostic.code == "TST001"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range.start.line == 0

    sleepy = open_document(client, project / "tests/test_sleepy.py")
    assert codes(await wait_for_diagnostics(client, sleepy)) == ["TST406"]
    change_document(client, broken, "def test_total():\n    assert True\n", version=2)
    assert await wait_for_diagnostics(client, broken) == []


async def test_pull_diagnostics_replace_push_for_clients_that_pull(project: Path) -> None:
    write_project(project, {"tests/test_cache.py": SLEEPY})
    client = await start_client(project, pull=True)
    try:
        uri = open_document(client, project / "tests/test_cache.py")
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert codes(report.items) == ["TST406"]
        assert report.items[0].source == "suitelint"

        again = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id))
        assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)

        change_document(client, uri, AWAKE, version=2)
        after = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id))
        assert isinstance(after, types.RelatedFullDocumentDiagnosticReport)
        assert list(after.items) == []
        # waiting for something NOT to happen: nothing to poll for
        await asyncio.sleep(0.3)  # noqa: TST406
        assert uri not in client.diagnostics  # nothing pushed: the editor would show it twice
    finally:
        await stop_client(client)


async def test_push_clients_can_pull_too(client: LanguageClient, project: Path) -> None:
    write_project(project, {"tests/test_cache.py": SLEEPY})
    uri = open_document(client, project / "tests/test_cache.py")
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert codes(report.items) == ["TST406"]  # type: ignore[union-attr]


async def test_editing_a_conftest_buffer_refreshes_the_tests_below_it(client: LanguageClient, project: Path) -> None:
    # a plain @pytest.fixture on an async fixture is wrong in an asyncio project (TST202),
    # fine in an anyio one: what the conftest says decides
    write_project(project, {
        "pytest.ini": "[pytest]\nasyncio_mode = strict\n",  # pytest-asyncio in use
        "tests/conftest.py": "import pytest\n",
        "tests/test_res.py": """\
            import pytest


            @pytest.fixture
            async def resource():
                yield 1
            """,
    })
    test_uri = open_document(client, project / "tests/test_res.py")
    assert "TST202" in codes(await wait_for_diagnostics(client, test_uri))

    conftest_uri = open_document(client, project / "tests/conftest.py")
    await wait_for_diagnostics(client, conftest_uri)
    client.diagnostics.pop(test_uri)
    change_document(client, conftest_uri, "import anyio\nimport pytest\n", version=2)
    assert "TST202" not in codes(await wait_for_diagnostics(client, test_uri))


async def test_an_unsaved_fixture_in_a_conftest_buffer_is_visible_to_the_tests_below_it(
    client: LanguageClient, project: Path
) -> None:
    write_project(project, {
        "tests/conftest.py": "import pytest\n",
        "tests/api/test_users.py": "def test_lookup(database):\n    assert database == {}\n",
    })
    test_uri = open_document(client, project / "tests/api/test_users.py")
    assert codes(await wait_for_diagnostics(client, test_uri)) == ["TST501"]  # unknown fixture

    conftest_uri = open_document(client, project / "tests/conftest.py")
    await wait_for_diagnostics(client, conftest_uri)
    client.diagnostics.pop(test_uri)
    change_document(client, conftest_uri, "import pytest\n\n\n@pytest.fixture\ndef database():\n    return {}\n",
                    version=2)
    assert await wait_for_diagnostics(client, test_uri) == []

    # and go-to-definition follows the buffer, not the disk
    location = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=test_uri), position=types.Position(line=0, character=18)))
    assert isinstance(location, list) and location[0].uri == conftest_uri
    assert location[0].range.start == types.Position(line=4, character=4)


async def test_a_config_change_on_disk_refreshes_open_documents(client: LanguageClient, project: Path) -> None:
    write_project(project, {"tests/test_cache.py": SLEEPY})
    uri = open_document(client, project / "tests/test_cache.py")
    assert codes(await wait_for_diagnostics(client, uri)) == ["TST406"]

    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.suitelint]\nignore = ["TST406"]\n', encoding="utf-8")
    client.diagnostics.pop(uri)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Created)]))
    assert await wait_for_diagnostics(client, uri) == []


async def test_save_relints_with_the_saved_project_state(client: LanguageClient, project: Path) -> None:
    write_project(project, {"tests/test_cache.py": SLEEPY})
    uri = open_document(client, project / "tests/test_cache.py")
    assert codes(await wait_for_diagnostics(client, uri)) == ["TST406"]

    (project / "pytest.ini").write_text("[pytest]\npython_files = check_*.py\n", encoding="utf-8")
    client.diagnostics.pop(uri)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "pytest.ini").as_uri())))
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    # test_cache.py is no test module any more: the sleep is in a plain function
    assert await wait_for_diagnostics(client, uri) == []


async def test_closing_a_document_clears_its_diagnostics(client: LanguageClient, project: Path) -> None:
    write_project(project, {"tests/test_cache.py": SLEEPY})
    uri = open_document(client, project / "tests/test_cache.py")
    assert codes(await wait_for_diagnostics(client, uri)) == ["TST406"]
    client.diagnostics.pop(uri)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await wait_for_diagnostics(client, uri) == []


async def test_pull_clients_are_asked_to_refresh_when_another_file_changes(project: Path) -> None:
    fixture = "import pytest\n\n\n@pytest.fixture\nasync def resource():\n    yield 1\n"
    write_project(project, {"pytest.ini": "[pytest]\nasyncio_mode = strict\n",
                            "tests/conftest.py": "import pytest\n", "tests/test_res.py": fixture})
    client = await start_client(project, pull=True)
    try:
        test_uri = open_document(client, project / "tests/test_res.py")
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=test_uri)))
        assert "TST202" in codes(report.items)  # type: ignore[union-attr]
        conftest_uri = open_document(client, project / "tests/conftest.py")
        change_document(client, conftest_uri, "import anyio\nimport pytest\n", version=2)

        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while client.diagnostic_refresh_count == 0 and loop.time() < deadline:
            await asyncio.sleep(0.05)
        assert client.diagnostic_refresh_count >= 1
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=test_uri)))
        assert "TST202" not in codes(report.items)  # type: ignore[union-attr]
    finally:
        await stop_client(client)
