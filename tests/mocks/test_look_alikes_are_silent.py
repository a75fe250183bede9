"""The issue's "done means" look-alikes produce nothing, with every mock rule selected."""

from __future__ import annotations

from pathlib import Path

from suitelint.core.engine import lint_file
from suitelint.core.workspace import Workspace

CODES = ["TST205", "TST301", "TST302", "TST303", "TST304", "TST305", "TST306", "TST307", "TST002"]
FILES = {
    "pytest.ini": "[pytest]\nasyncio_mode = auto\n",
    "app/__init__.py": "",
    "app/svc.py": """\
class Service:
    async def fetch(self):
        ...


def sync_fn():
    return 1
""",
    "tests/test_look_alikes.py": """\
from unittest.mock import AsyncMock, Mock, patch

import thirdparty
from app.svc import Service, sync_fn


@patch("app.svc.sync_fn")
def test_sync_patch_over_sync_function(patched):
    assert sync_fn() == 1
    patched.assert_not_called()


async def test_async_mock_over_async_method():
    service = Service()
    service.fetch = AsyncMock(return_value=1)
    assert await service.fetch() == 1
    service.fetch.assert_awaited_once()


async def test_patch_object_without_new():
    with patch.object(Service, "fetch") as fetch:
        await Service().fetch()
    fetch.assert_awaited_once()


def test_spec_of_an_unresolvable_target():
    service = Service()
    service.fetch = Mock(spec=thirdparty.Client.fetch)
    with patch("thirdparty.Client.fetch", new=Mock(spec=thirdparty.Client.fetch)):
        ...
""",
}


def test_nothing_is_reported(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = lint_file(root / "tests/test_look_alikes.py", Workspace(cwd=root), select=CODES)
    assert [(d.line, d.code, d.message) for d in result.diagnostics] == []
