"""What must never take the server down: bad messages, odd URIs, crashing rules, bad settings."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from lsp_support import (
    SERVER_COMMAND,
    codes,
    initialize,
    open_document,
    start_client,
    stop_client,
    wait_for_diagnostics,
    write_project,
)
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SLEEPY = "import time\n\n\ndef test_slow():\n    time.sleep(1)\n"
MIXED = SLEEPY + "\n\nasync def test_fetch():\n    pass\n"


class RawConnection:
    """A bare JSON-RPC stdio connection, to send what no well-behaved client would."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=cwd)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
                elif line in (b"\r\n", b"\n"):
                    break
            self.messages.put(json.loads(stream.read(length)))

    def send_raw(self, body: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        self.send_raw(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def response(self, msg_id: int) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=20)
            if message.get("id") == msg_id and "method" not in message:
                return message


def test_malformed_messages_get_errors_and_the_server_keeps_serving(tmp_path: Path) -> None:
    connection = RawConnection(tmp_path)
    try:
        connection.send({"id": 1, "method": "initialize",
                         "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}})
        assert "capabilities" in connection.response(1)["result"]
        connection.send({"method": "initialized", "params": {}})

        connection.send_raw(b"{this is not json")
        connection.send({"method": "textDocument/didOpen", "params": {"textDocument": 42}})
        connection.send({"id": 2, "method": "textDocument/hover", "params": {"textDocument": 5}})
        assert connection.response(2)["error"]["code"] == -32602  # invalid params, answered
        connection.send({"id": 3, "method": "suitelint/nonsense", "params": {}})
        assert connection.response(3)["error"]["code"] == -32601  # method not found
        connection.send({"id": 4, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": (tmp_path / "missing.py").as_uri()}, "position": {"line": 0, "character": 0}}})
        assert connection.response(4)["result"] is None

        connection.send({"id": 5, "method": "shutdown"})
        assert connection.response(5)["result"] is None
        connection.send({"method": "exit"})
        assert connection.process.wait(timeout=20) == 0
    finally:
        if connection.process.poll() is None:
            connection.process.kill()
            connection.process.wait()


@pytest.mark.asyncio
async def test_untitled_buffers_are_linted_and_other_schemes_skipped(client: LanguageClient, project: Path) -> None:
    write_project(project, {})
    untitled = "untitled:test_scratch.py"
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=untitled, language_id="python", version=1, text=SLEEPY)))
    assert codes(await wait_for_diagnostics(client, untitled)) == ["TST406"]
    assert not (project / "test_scratch.py").exists()

    git = (project / "test_old.py").as_uri().replace("file:", "git:", 1) + "?ref=HEAD"
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=git, language_id="python", version=1, text=SLEEPY)))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=git), position=types.Position(line=3, character=5)))
    assert hover is None
    assert git not in client.diagnostics


@pytest.mark.asyncio
async def test_a_crashing_rule_is_reported_and_logged_and_the_others_still_run(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "crashing_rule.py").write_text(textwrap.dedent('''
        from suitelint.core.rule import Invalid, Rule, Valid


        class AlwaysCrashes(Rule):
            """
            ## What it does
            Crashes on every call (a test double for a buggy rule).

            ## Why is this bad?
            It is a bug.
            """

            code = "TST990"
            name = "always-crashes"
            message = "never reported"
            examples = (Invalid("f()  # [TST990]"), Valid("x = 1"))

            def visit_Call(self, node):
                raise ZeroDivisionError("boom")
        '''), encoding="utf-8")
    project = write_project(tmp_path / "project", {"tests/test_slow.py": SLEEPY})
    command = [sys.executable, "-c", "import crashing_rule; from suitelint.lsp.server import main; main()"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugins), os.environ.get("PYTHONPATH", "")])}
    client = await ClientServerConfig(server_command=command, server_env=env).start()
    assert isinstance(client, LanguageClient)
    try:
        await initialize(client, project, options={"select": ["TST002", "TST406", "TST990"]})
        uri = open_document(client, project / "tests/test_slow.py")
        diagnostics = await wait_for_diagnostics(client, uri)
        assert codes(diagnostics) == ["TST002", "TST406"]
        crash = next(d for d in diagnostics if d.code == "TST002")
        assert crash.severity == types.DiagnosticSeverity.Error
        assert "TST990" in crash.message and "ZeroDivisionError" in crash.message
        assert any("TST990" in message.message for message in client.log_messages)
    finally:
        await stop_client(client)


@pytest.mark.asyncio
async def test_initialization_options_override_the_project_selection(project: Path) -> None:
    write_project(project, {"tests/test_mixed.py": MIXED,
                            "pyproject.toml": '[tool.suitelint]\nselect = ["TST201", "TST406"]\n'})
    client = await start_client(project, options={"ignore": ["TST406"]})
    try:
        uri = open_document(client, project / "tests/test_mixed.py")
        assert codes(await wait_for_diagnostics(client, uri)) == ["TST201"]
    finally:
        await stop_client(client)


@pytest.mark.asyncio
async def test_workspace_configuration_overrides_initialization_options(project: Path) -> None:
    write_project(project, {"tests/test_mixed.py": MIXED,
                            "pyproject.toml": '[tool.suitelint]\nselect = ["TST201", "TST406"]\nignore = ["TST201"]\n'})
    client = await start_client(project, options={"ignore": ["TST406"]}, configuration={"ignore": []})
    try:
        uri = open_document(client, project / "tests/test_mixed.py")
        assert codes(await wait_for_diagnostics(client, uri)) == ["TST201", "TST406"]
    finally:
        await stop_client(client)


@pytest.mark.asyncio
async def test_bad_settings_and_a_broken_config_file_are_reported_not_fatal(project: Path) -> None:
    write_project(project, {"tests/test_mixed.py": MIXED, "pyproject.toml": "[tool.suitelint]\nselekt = []\n"})
    client = await start_client(project, options={"select": "TST406", "ignore": ["bogus"], "colour": "red"})
    try:
        uri = open_document(client, project / "tests/test_mixed.py")
        assert await wait_for_diagnostics(client, uri) == []
        messages = "\n".join(message.message for message in client.log_messages)
        assert "'bogus' is not a rule code" in messages
        assert "unknown key 'colour'" in messages
        assert "unknown key 'selekt'" in messages and "did you mean 'select'" in messages
        (shown,) = client.messages  # the user learns why nothing is reported, once
        assert shown.type == types.MessageType.Warning and "selekt" in shown.message

        (project / "pyproject.toml").write_text('[tool.suitelint]\nselect = ["TST4"]\n', encoding="utf-8")
        client.diagnostics.pop(uri)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
            uri=(project / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)]))
        assert codes(await wait_for_diagnostics(client, uri)) == ["TST406"]
    finally:
        await stop_client(client)
