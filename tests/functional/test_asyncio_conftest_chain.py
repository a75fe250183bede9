"""TST202 and TST207 read the conftest.py files (and their plugins) that pytest would load.

The trees: ``TST202_async_fixture_plain_decorator/`` (anyio projects declared
in a conftest.py or a ``pytest_plugins`` module, a project with no sign of
pytest-asyncio, a plain pytest-asyncio project, and a conftest.py above the
rootdir that pytest would not load) and
``TST207_event_loop_fixture_requested/`` (an ``event_loop`` override in the
conftest chain, in a sibling directory, and in a plugin module).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import lint_file
from suitelint.core.workspace import Workspace

FUNCTIONAL = Path(__file__).resolve().parent
TST202_TREE = FUNCTIONAL / "TST202_async_fixture_plain_decorator"
TST207_TREE = FUNCTIONAL / "TST207_event_loop_fixture_requested"
LintTree = Callable[..., list[Diagnostic]]


@pytest.mark.parametrize(
    ("project", "relpath"),
    [
        ("anyio_conftest", "tests/unit/test_service.py"),
        ("anyio_plugin_module", "tests/test_service.py"),
        ("no_pytest_asyncio", "tests/test_service.py"),
    ],
)
def test_anyio_or_no_pytest_asyncio_silences_tst202(project: str, relpath: str, lint_tree: LintTree) -> None:
    assert lint_tree(TST202_TREE / project, relpath, select=["TST202"]) == []


@pytest.mark.parametrize(("project", "relpath"), [("plain", "tests/test_service.py"),
                                                  ("outside_rootdir/project", "tests/test_service.py")])
def test_plain_async_fixture_is_reported(project: str, relpath: str, lint_tree: LintTree) -> None:
    diagnostics = lint_tree(TST202_TREE / project, relpath, select=["TST202"])
    assert [(d.line, d.code) for d in diagnostics] == [(5, "TST202")]
    assert diagnostics[0].message.startswith("async fixture `service` uses `@pytest.fixture` in strict asyncio mode")


@pytest.mark.parametrize(("project", "relpath"), [("own_event_loop", "tests/api/test_client.py"),
                                                  ("plugin_module", "tests/test_client.py")])
def test_project_event_loop_fixture_silences_tst207(project: str, relpath: str, lint_tree: LintTree) -> None:
    assert lint_tree(TST207_TREE / project, relpath, select=["TST207"]) == []


def test_event_loop_in_a_sibling_conftest_is_not_visible(lint_tree: LintTree) -> None:
    diagnostics = lint_tree(TST207_TREE / "sibling_conftest", "tests/b/test_client.py", select=["TST207"])
    assert [(d.line, d.code) for d in diagnostics] == [(1, "TST207")]
    assert diagnostics[0].message.startswith(
        "test `test_client` requests the `event_loop` fixture, removed in pytest-asyncio 1.0"
    )


def test_conftest_files_read_are_dependencies() -> None:
    root = TST207_TREE / "own_event_loop"
    result = lint_file(root / "tests/api/test_client.py", Workspace(cwd=root), select=["TST207"])
    assert result.diagnostics == []
    assert (root / "tests" / "conftest.py").resolve() in {p.resolve() for p in result.dependencies}


def test_edited_conftest_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    test_file = tests / "test_client.py"
    test_file.write_text("def test_client(event_loop):\n    assert event_loop\n", encoding="utf-8")
    conftest = tests / "conftest.py"
    conftest.write_text("import pytest\n", encoding="utf-8")
    workspace = Workspace(cwd=tmp_path)
    assert [d.code for d in lint_file(test_file, workspace, select=["TST207"]).diagnostics] == ["TST207"]

    conftest.write_text("import pytest\n\n@pytest.fixture\ndef event_loop():\n    return None\n", encoding="utf-8")
    stat = conftest.stat()
    os.utime(conftest, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))  # a distinct stamp on coarse clocks
    assert lint_file(test_file, workspace, select=["TST207"]).diagnostics == []

    workspace.overlays[conftest.resolve()] = "import pytest\n"  # an unsaved editor buffer wins over the disk
    assert [d.code for d in lint_file(test_file, workspace, select=["TST207"]).diagnostics] == ["TST207"]
