"""TST205 and TST3xx across modules: the replaced or called function lives in project code.

Each tree is a small project (src layout with pytest ``pythonpath``, a flat
layout, a ``pythonpath`` directory that is not ``src``).  The checked test
files mark every expected finding with a ``# [TSTnnn]`` comment, like the
rules' own examples; the tests compare codes and lines with those markers and
check the message text of representative findings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from suitelint.core.diagnostic import Diagnostic

FUNCTIONAL = Path(__file__).resolve().parent
MARKER = re.compile(r"#\s*\[(TST\d{3}(?:\s*,\s*TST\d{3})*)\]\s*$")
LintTree = Callable[..., list[Diagnostic]]

CASES = [
    ("TST301", "TST301_sync_mock_for_coroutine/src_layout", "tests/test_worker.py"),
    ("TST301", "TST301_sync_mock_for_coroutine/flat_layout", "tests/test_service.py"),
    ("TST301", "TST301_sync_mock_for_coroutine/pythonpath_layout", "tests/test_gateway.py"),
    ("TST302", "TST302_async_mock_for_sync/src_layout", "tests/test_sync_targets.py"),
    ("TST303", "TST303_unresolved_patch_target/src_layout", "tests/test_clients.py"),
    ("TST304", "TST304_patch_where_defined/flat_layout", "tests/test_billing.py"),
    ("TST306", "TST306_call_assertion_on_async_mock/src_layout", "tests/test_assertions.py"),
    ("TST205", "TST205_coroutine_never_awaited/src_layout", "tests/test_calls.py"),
    ("TST307", "TST307_patcher_never_stopped/stopall_in_conftest", "tests/test_patchers.py"),
    ("TST307", "TST307_patcher_never_stopped/no_stopall", "tests/test_patchers.py"),
]


def expected(path: Path, code: str) -> list[tuple[int, str]]:
    found = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = MARKER.search(line)
        if match:
            found.extend((lineno, c.strip()) for c in match.group(1).split(",") if c.strip() == code)
    return found


def findings(lint_tree: LintTree, tree: str, relpath: str, code: str) -> list[Diagnostic]:
    return lint_tree(FUNCTIONAL / tree, relpath, select=[code, "TST002"])


@pytest.mark.parametrize(("code", "tree", "relpath"), CASES, ids=[f"{c}-{t.split('/')[-1]}" for c, t, _ in CASES])
def test_findings_match_markers(code: str, tree: str, relpath: str, lint_tree: LintTree) -> None:
    diagnostics = findings(lint_tree, tree, relpath, code)
    assert [d for d in diagnostics if d.code == "TST002"] == []
    found = sorted((d.line, d.code) for d in diagnostics)
    assert found == expected(FUNCTIONAL / tree / relpath, code), "\n".join(
        f"{d.line}:{d.column} {d.code} {d.message}" for d in diagnostics)


def _message(lint_tree: LintTree, tree: str, relpath: str, code: str, line: int) -> str:
    messages = [d.message for d in findings(lint_tree, tree, relpath, code) if d.line == line]
    assert len(messages) == 1, messages
    return messages[0]


def test_tst301_names_the_function_and_where_it_is_defined(lint_tree: LintTree) -> None:
    tree, relpath = "TST301_sync_mock_for_coroutine/src_layout", "tests/test_worker.py"
    assert _message(lint_tree, tree, relpath, "TST301", 12) == (
        "`Mock` replaces coroutine function `WebhookDispatcher.send` (src/webhooks/dispatcher.py:8); use `AsyncMock`")
    assert _message(lint_tree, tree, relpath, "TST301", 19) == (
        "`Mock` replaces coroutine function `BaseWorker.heartbeat` (src/webhooks/worker.py:6); use `AsyncMock`")
    assert _message(lint_tree, tree, relpath, "TST301", 26) == (
        "`Mock` replaces coroutine function `WebhookDispatcher.send` (src/webhooks/dispatcher.py:8); use `AsyncMock`")
    assert "`mocker.MagicMock` replaces coroutine function `Worker.deliver` (src/webhooks/worker.py:19); " \
           "use `mocker.AsyncMock`" == _message(lint_tree, tree, relpath, "TST301", 30)


def test_tst301_flat_layout_message(lint_tree: LintTree) -> None:
    message = _message(lint_tree, "TST301_sync_mock_for_coroutine/flat_layout", "tests/test_service.py", "TST301", 9)
    assert message == ("`Mock` replaces coroutine function `ExecutionService._create_execution_episode` "
                       "(orchestration/service.py:5); use `AsyncMock`")


def test_tst301_fixes_add_the_import(lint_tree: LintTree) -> None:
    diagnostics = findings(lint_tree, "TST301_sync_mock_for_coroutine/pythonpath_layout", "tests/test_gateway.py",
                           "TST301")
    (fix,) = [d.fix for d in diagnostics]
    assert fix is not None and fix.is_safe
    assert sorted(edit.content for edit in fix.edits) == [", AsyncMock", "AsyncMock"]


def test_tst303_message_suggests_the_closest_name(lint_tree: LintTree) -> None:
    tree, relpath = "TST303_unresolved_patch_target/src_layout", "tests/test_clients.py"
    assert _message(lint_tree, tree, relpath, "TST303", 6) == (
        "patch target `shop.clients.get_clinet` does not exist: module `shop.clients` (src/shop/clients.py) "
        "has no attribute `get_clinet`; did you mean `get_client`?")
    assert _message(lint_tree, tree, relpath, "TST303", 13) == (
        "patch target `OrdersClient.fetch_all_orders` does not exist: class `OrdersClient` (src/shop/clients.py:17) "
        "has no attribute `fetch_all_orders`; did you mean `fetch_order`?")
    assert _message(lint_tree, tree, relpath, "TST303", 15).endswith(
        "(`create=True` creates it instead of replacing the real one)")


def test_tst304_names_the_module_to_patch(lint_tree: LintTree) -> None:
    message = _message(lint_tree, "TST304_patch_where_defined/flat_layout", "tests/test_billing.py", "TST304", 7)
    assert message == ("`patch(\"app.pricing.current_rate\")` replaces `current_rate` in `app.pricing`, but "
                       "`app.billing` (app/billing.py:1) imported it with `from app.pricing import current_rate` "
                       "and keeps its own reference; patch `app.billing.current_rate`")


def test_tst205_message(lint_tree: LintTree) -> None:
    message = _message(lint_tree, "TST205_coroutine_never_awaited/src_layout", "tests/test_calls.py", "TST205", 8)
    assert message == ("`dispatcher.send({\"id\": 1})` calls coroutine function `WebhookDispatcher.send` "
                       "(src/webhooks/dispatcher.py:8) without `await`: the coroutine is compared instead of its "
                       "result")


def test_findings_depend_on_the_project_modules_read(tmp_path: Path) -> None:
    from suitelint.core.engine import lint_file
    from suitelint.core.workspace import Workspace

    root = (FUNCTIONAL / "TST301_sync_mock_for_coroutine/src_layout").resolve()
    result = lint_file(root / "tests/test_worker.py", Workspace(cwd=root), select=["TST301"])
    names = {path.relative_to(root).as_posix() for path in result.dependencies if root in path.parents}
    assert {"src/webhooks/dispatcher.py", "src/webhooks/worker.py", "tests/conftest.py"} <= names
