"""Fixture index rules (TST5xx) and the isolation/body rules that read other files, on small trees.

``TST501_unknown_fixture/drift`` is the story the index exists for: a three-level
conftest hierarchy (rootdir, ``tests/``, ``tests/api/``) where
``tests/integration/conftest.py`` calls the database fixture ``db`` and
``tests/conftest.py`` calls it ``db_session``, a ``pytest_plugins`` module, an
autouse fixture, a plugin fixture (``mocker``, from pytest-mock installed in
this environment), a built-in (``tmp_path``), a class-scoped fixture, and a
session fixture requesting a function-scoped one.  ``tests/api/test_lookalikes.py``
holds what must stay silent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import lint_file
from suitelint.core.workspace import Workspace

FUNCTIONAL = Path(__file__).resolve().parent
DRIFT = FUNCTIONAL / "TST501_unknown_fixture" / "drift"
OURS = ["TST108", "TST402", "TST403", "TST405", "TST407", "TST5", "TST6"]
LintTree = Callable[..., list[Diagnostic]]


def found(diagnostics: list[Diagnostic]) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in diagnostics]


def test_db_requested_from_the_wrong_directory(lint_tree: LintTree) -> None:
    diagnostics = lint_tree(DRIFT, "tests/api/test_users.py", select=OURS)
    assert found(diagnostics) == [(1, "TST501")]
    assert diagnostics[0].column == 34
    assert diagnostics[0].message == (
        "`db` is not visible here; did you mean `db_session`? "
        "(`db` is defined in tests/integration/conftest.py, not visible from tests/api/)"
    )


def test_a_single_file_run_reports_what_a_full_run_reports() -> None:
    target = DRIFT / "tests" / "api" / "test_users.py"
    alone = lint_file(target, Workspace(cwd=DRIFT), select=OURS)
    workspace = Workspace(cwd=DRIFT)
    for path in sorted(DRIFT.rglob("*.py")):
        full = lint_file(path, workspace, select=OURS)
        if path == target:
            assert full.diagnostics == alone.diagnostics
    # the sibling conftest.py is read through its fixture summary only (the suite view)
    assert DRIFT / "tests" / "integration" / "conftest.py" in alone.summary_dependencies
    assert DRIFT / "tests" / "conftest.py" in alone.dependencies | alone.summary_dependencies


@pytest.mark.parametrize(
    "relpath",
    ["tests/integration/test_orders.py", "tests/api/test_lookalikes.py", "tests/api/conftest.py",
     "tests/plugins/factories.py", "conftest.py"],
)
def test_visible_fixtures_and_look_alikes_are_silent(relpath: str, lint_tree: LintTree) -> None:
    assert lint_tree(DRIFT, relpath, select=[*OURS, "TST401", "TST406"]) == []


def test_drift_between_conftest_files(lint_tree: LintTree) -> None:
    diagnostics = lint_tree(DRIFT, "tests/integration/conftest.py", select=OURS)
    assert found(diagnostics) == [(9, "TST503"), (18, "TST502")]
    assert diagnostics[0].message == (
        "fixture `db` has the same body as `db_session` (tests/conftest.py:15); keep one of them"
    )
    assert diagnostics[1].message == (
        "`session`-scoped fixture `seeded_catalog` requests `db_session`, which is `function`-scoped "
        "(defined in tests/conftest.py:15); pytest raises ScopeMismatch"
    )


def test_unused_fixtures_of_the_root_conftest(lint_tree: LintTree) -> None:
    diagnostics = lint_tree(DRIFT, "tests/conftest.py", select=OURS)
    assert found(diagnostics) == [(10, "TST504"), (37, "TST504")]
    assert "`database_engine` is never requested" in diagnostics[0].message
    assert "`legacy_client` is never requested" in diagnostics[1].message


def test_a_plugin_that_resolves_nowhere_silences_unknown_fixtures(lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST501_unknown_fixture" / "unknown_plugin"
    assert lint_tree(tree, "tests/test_service.py", select=["TST501"]) == []


def test_declared_pytest_django_makes_its_generic_fixtures_visible(lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST501_unknown_fixture" / "pytest_django"
    diagnostics = lint_tree(tree, "tests/b/test_views.py", select=["TST501"])
    assert found(diagnostics) == [(6, "TST501")]
    assert diagnostics[0].message == (
        "`order` is not visible here (`order` is defined in tests/a/conftest.py, not visible from tests/b/)"
    )


def test_fixtures_reached_through_imports(lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST501_unknown_fixture" / "star_imports"
    diagnostics = lint_tree(tree, "tests/unit/test_rows.py", select=["TST501"])
    assert found(diagnostics) == [(6, "TST501")]
    assert diagnostics[0].message == "`frozen_clock` is not visible here; did you mean `clock`?"


def test_tests_pytest_would_not_collect(lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST108_test_not_collected" / "project"
    health = lint_tree(tree, "tests/tests_health.py", select=["TST108"])
    assert found(health) == [(1, "TST108")]
    assert health[0].message.startswith("`tests_health.py` does not match `python_files`")
    contracts = lint_tree(tree, "tests/test_contracts.py", select=["TST108"])
    assert found(contracts) == [(6, "TST108")]  # Checks; StorageContract is a base in another module
    for quiet in ("tests/shared_tests.py", "tests/helpers.py", "scripts/tests_manual.py", "tests/test_memory_store.py"):
        assert lint_tree(tree, quiet, select=["TST108"]) == [], quiet


def test_assertion_in_an_imported_helper(lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST601_test_without_assertion" / "project"
    diagnostics = lint_tree(tree, "tests/test_items.py", select=["TST601"])
    assert found(diagnostics) == [(8, "TST601")]  # test_list; test_create asserts through ensure_created


def test_overrides_cleared_by_an_autouse_fixture_of_the_directory(lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST403_dependency_overrides_leak" / "project"
    assert lint_tree(tree, "tests/unit/test_users.py", select=["TST403"]) == []
    diagnostics = lint_tree(tree, "tests/e2e/test_users.py", select=["TST403"])
    assert found(diagnostics) == [(5, "TST403")]
    assert diagnostics[0].message.startswith("`app.dependency_overrides[get_current_user]` is set in test `test_me`")


def test_session_fixture_yielding_a_session_from_a_project_factory(lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST407_shared_mutable_fixture" / "project"
    diagnostics = lint_tree(tree, "tests/conftest.py", select=["TST407"])
    assert found(diagnostics) == [(12, "TST407")]
    assert "yields a database session (`SessionLocal()`)" in diagnostics[0].message


def test_service_address_in_conftest_constants_and_test_modules(lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST405_hard_coded_service_address" / "project"
    assert lint_tree(tree, "tests/conftest.py", select=["TST405"]) == []
    assert found(lint_tree(tree, "tests/test_cache.py", select=["TST405"])) == [(3, "TST405")]


@pytest.mark.parametrize(
    ("relpath", "line", "message"),
    [
        ("tests/test_a.py", 18, "`account` is not visible here (`account` is a fixture of class `TestAccounts` here, "
                                "visible only to its tests)"),
        ("tests/unit/test_b.py", 1, "`local_only` is not visible here (`local_only` is defined in tests/test_a.py, "
                                    "a test module: its fixtures are visible only inside it)"),
        ("tests/unit/test_b.py", 1, "`warehouse` is not visible here (`warehouse` is defined in "
                                    "tests/fixtures/stock.py, which no conftest.py visible from tests/unit/ imports)"),
        ("tests/unit/conftest.py", 5, "`session` is not visible here; no outer `session` exists for this fixture to "
                                      "override"),
        ("tests/test_override.py", 12, "`periods` is not visible here; `periods` is a `parametrize` argument elsewhere "
                                       "in the suite, not a fixture (an overriding test method does not inherit the "
                                       "marks of the one it overrides)"),
    ],
)
def test_where_the_missing_fixture_is(relpath: str, line: int, message: str, lint_tree: LintTree) -> None:
    tree = FUNCTIONAL / "TST501_unknown_fixture" / "where"
    diagnostics = lint_tree(tree, relpath, select=["TST501"])
    assert (line, message) in [(d.line, d.message) for d in diagnostics]
