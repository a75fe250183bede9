"""Mock APIs are recognised by qualified name, whatever the import spelling."""

from __future__ import annotations

import ast

import pytest

SOURCE = """
import mock as backport
import unittest.mock as um
from unittest import mock
from unittest.mock import patch as p
from mock import MagicMock as BackportMagic


def test_spellings(mocker, module_mocker, class_mocker, session_mocker, package_mocker):
    um.patch("a.b")
    mock.patch.object(x, "y")
    p("a.b")
    backport.Mock()
    BackportMagic()
    mocker.patch("a.b")
    mocker.patch.object(x, "y")
    module_mocker.AsyncMock()
    class_mocker.patch.dict({})
    session_mocker.stopall()
    package_mocker.spy(x, "y")


def test_not_mock_apis():
    mocker.patch("a.b")
    mock = object()
    mock.patch("a.b")
    other.patch("a.b")
"""
EXPECTED = [
    ("patch", False, "unittest.mock"), ("patch.object", False, "unittest.mock"), ("patch", False, "unittest.mock"),
    ("Mock", False, "mock"), ("MagicMock", False, "mock"), ("patch", True, None), ("patch.object", True, None),
    ("AsyncMock", True, None), ("patch.dict", True, None), ("stopall", True, None), ("spy", True, None),
]


@pytest.fixture
def analysis(project):  # type: ignore[no-untyped-def]
    return project({"tests/test_api.py": SOURCE}).analysis("tests/test_api.py")


def _calls(analysis, function_name: str) -> list[ast.Call]:  # type: ignore[no-untyped-def]
    function = next(n for n in ast.walk(analysis.ctx.tree)
                    if isinstance(n, ast.FunctionDef) and n.name == function_name)
    return [stmt.value for stmt in function.body if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)]


def test_every_spelling_is_recognised(analysis) -> None:  # type: ignore[no-untyped-def]
    found = []
    for call in _calls(analysis, "test_spellings"):
        api = analysis.api(call.func, analysis.scope_at(call))
        assert api is not None, ast.unparse(call)
        found.append((api.name, api.via_mocker, api.module))
    assert found == EXPECTED


def test_look_alikes_are_not(analysis) -> None:  # type: ignore[no-untyped-def]
    for call in _calls(analysis, "test_not_mock_apis"):
        assert analysis.api(call.func, analysis.scope_at(call)) is None, ast.unparse(call)
