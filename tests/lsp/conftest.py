"""End-to-end fixtures: a fresh server over stdio and a scratch project per test."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import SERVER_COMMAND, initialize
from pytest_lsp import ClientServerConfig, LanguageClient


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tmp_path.resolve()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient, project: Path):
    await initialize(lsp_client, project)
    yield
    await lsp_client.shutdown_session()

