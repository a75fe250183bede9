"""TST201/TST202 follow pytest-asyncio's mode wherever pytest would read it.

Every project under ``TST201_async_test_without_marker/`` holds the same
``tests/test_async.py`` (an unmarked async test on line 4, an async
``@pytest.fixture`` on line 9, a marked test) and sets the mode in a
different place: the five pytest configuration files, ``addopts``,
pytest-trio's ``trio_mode`` and suitelint's own ``asyncio-mode`` override.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from suitelint.core.diagnostic import Diagnostic

TREE = Path(__file__).resolve().parent / "TST201_async_test_without_marker"
LintTree = Callable[..., list[Diagnostic]]
STRICT_FINDINGS = [(4, "TST201"), (9, "TST202")]


@pytest.mark.parametrize(
    ("project", "source"),
    [
        ("default_mode", "the default"),
        ("pytest_ini_strict", "set in pytest.ini"),
        ("pyproject_ini_options_strict", "set in pyproject.toml"),
        ("pyproject_native_strict", "set in pyproject.toml"),
        ("tox_ini_strict", "set in tox.ini"),
        ("setup_cfg_strict", "set in setup.cfg"),
        ("pytest_ini_beats_pyproject", "set in pytest.ini"),
        ("nearest_config_wins", "set in tox.ini"),
        ("suitelint_override_strict", "set by `asyncio-mode` in [tool.suitelint]"),
    ],
)
def test_strict_mode_reports(project: str, source: str, lint_tree: LintTree) -> None:
    diagnostics = lint_tree(TREE / project, "tests/test_async.py", select=["TST201", "TST202"])
    assert [(d.line, d.code) for d in diagnostics] == STRICT_FINDINGS
    test_finding = diagnostics[0]
    assert test_finding.message == (
        f"async test `test_unmarked` has no asyncio, anyio or trio mark and asyncio_mode is strict ({source}): "
        "its body never runs"
    )
    assert "`resource`" in diagnostics[1].message
    assert all(d.fix is not None for d in diagnostics)


@pytest.mark.parametrize(
    "project",
    [
        "pytest_ini_auto",
        "pyproject_ini_options_auto",
        "pyproject_native_auto",
        "tox_ini_auto",
        "setup_cfg_auto",
        "addopts_auto",
        "addopts_native_list_auto",
        "addopts_override_ini_auto",
        "pyproject_passed_over",
        "suitelint_override_auto",
        "trio_mode",
    ],
)
def test_auto_mode_and_trio_mode_are_silent(project: str, lint_tree: LintTree) -> None:
    assert lint_tree(TREE / project, "tests/test_async.py", select=["TST201", "TST202"]) == []


def test_marks_at_module_level_cover_every_test(lint_tree: LintTree) -> None:
    assert lint_tree(TREE / "marks", "tests/test_module_mark.py", select=["TST201"]) == []


def test_class_marks_cover_their_class_only(lint_tree: LintTree) -> None:
    diagnostics = lint_tree(TREE / "marks", "tests/test_class_marks.py", select=["TST201"])
    assert [(d.line, d.code) for d in diagnostics] == [(18, "TST201"), (36, "TST201")]
    assert "`test_not_covered`" in diagnostics[0].message
    assert "`test_nothing`" in diagnostics[1].message


def test_unittest_async_case_is_not_reported(lint_tree: LintTree) -> None:
    assert lint_tree(TREE / "marks", "tests/test_unittest.py", select=["TST201"]) == []
