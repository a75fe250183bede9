"""Minimal reproductions of the problems the robustness work found (one test each).

Fixed: lines numbered differently from ``ast`` after a form feed (``# noqa``
ignored, wrong source line), ``FileContext.text`` re-splitting the whole file
on every call (quadratic on large files), import cycles sending patch-target
resolution (TST303) into infinite recursion, a symbolic link loop crashing the
run (see test_environment.py), stdlib-named C extensions of the checked
project being loaded by astroid (see test_never_executed.py), and
``literal_number`` recursing over nested minus signs in ``time.sleep(...)``
(TST406; see test_deep_nesting.py).

Still open (strict xfail, so they start failing when fixed and the mark must
go): helpers that recurse once per nesting level (test_deep_nesting.py).
"""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest
from robustness_support import workspace_for, write_tree

from suitelint.core.context import FileContext
from suitelint.core.engine import lint_file
from suitelint.core.source import physical_lines


def lint(root: Path, relpath: str) -> list[tuple[int, str, str]]:
    result = lint_file((root / relpath).resolve(), workspace_for(root))
    return [(d.span.start.line, d.code, d.source_line) for d in result.diagnostics]


def test_noqa_and_source_lines_after_a_form_feed(tmp_path: Path) -> None:
    """``str.splitlines`` also splits at form feeds, which shifted every later line by one."""
    root = write_tree(tmp_path, {"pytest.ini": "[pytest]\n", "tests/test_ff.py": (
        "import time\n\x0c\n\ndef test_x():\n    time.sleep(1)  # noqa: TST406\n    assert True\n\n\n"
        "def test_y():\n    time.sleep(2)\n    assert True\n")})
    assert lint(root, "tests/test_ff.py") == [(10, "TST406", "time.sleep(2)")]


@pytest.mark.parametrize("text", ["a\n\x0cb\r\nc\rd", "", "x", "x\n", "a\r\r\nb\u2028c\x1c\n\n", "\x85\n"])
def test_physical_lines_are_the_lines_ast_counts(text: str) -> None:
    assert physical_lines(text, keepends=True) == ast._splitlines_no_ff(text)  # type: ignore[attr-defined]
    assert physical_lines(text) == [line.rstrip("\r\n") for line in ast._splitlines_no_ff(text)]  # type: ignore


def context_for(source: str) -> FileContext:
    context = FileContext.__new__(FileContext)
    context.source = source
    return context


def test_node_text_matches_get_source_segment() -> None:
    source = Path(__file__).read_text(encoding="utf-8") + "\nx = ('é'\r\n  + 'ü')\ry = 1\x0c\nz = [\n1,\n2]\n"
    context = context_for(source)
    nodes = [node for node in ast.walk(ast.parse(source)) if hasattr(node, "end_lineno")]
    assert len(nodes) > 300
    assert [context.text(node) for node in nodes] == [ast.get_source_segment(source, node) or "" for node in nodes]
    assert context.text(ast.Load()) == ""


def test_node_text_does_not_resplit_the_file_per_call() -> None:
    """2,000 calls on a 600 KB module took minutes when each call re-split the file."""
    source = "x = [" + ", ".join(["'value'"] * 60_000) + "]\n" + "y = 1\n" * 2000
    context = context_for(source)
    names = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name) and node.id == "y"]
    started = time.perf_counter()
    assert {context.text(node) for node in names} == {"y"}
    assert time.perf_counter() - started < 2.0


def test_patch_targets_through_an_import_cycle(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import helper\n",
        "pkg/b.py": "from pkg.a import helper\n",
        "pkg/selfish.py": "from pkg.selfish import helper\n",
        "tests/test_cycle.py": (
            "from unittest import mock\n\n\n"
            "@mock.patch('pkg.selfish.helper')\ndef test_self(patched):\n    assert patched\n\n\n"
            "@mock.patch('pkg.a.helper')\ndef test_cycle(patched):\n    assert patched\n"),
    })
    assert [code for _, code, _ in lint(root, "tests/test_cycle.py") if code == "TST002"] == []
