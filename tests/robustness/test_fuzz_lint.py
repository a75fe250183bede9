"""Property tests: linting any valid Python never raises, never hits an internal error, never
hangs, and gives the same findings every time (whatever the file order or number of jobs).

Each example writes a scratch project (pytest.ini, ``tests/test_generated.py``,
``tests/conftest.py``, ``pkg/other.py``) and lints it with every rule.  The
bounded CI settings run a few dozen derandomized examples per property; see
``conftest.py`` for the long run.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import given
from hypothesis import strategies as st
from robustness_support import (
    MODULES,
    PER_FILE_SECONDS,
    fuzz_settings,
    internal_errors,
    lint_all,
    scratch_project,
    modules_like_test_code,
    workspace_for,
)

from suitelint.core import runner
from suitelint.core.diagnostic import Diagnostic

ORDER = [MODULES["conftest"], MODULES["test"], MODULES["other"]]
PYTEST_INIS = st.sampled_from((
    "[pytest]\n",
    "[pytest]\nasyncio_mode = auto\n",
    "[pytest]\npython_files = *_test.py test_*.py check_*.py\npython_functions = test_* check_*\n",
    "[pytest]\npythonpath = pkg\nasyncio_mode = strict\n",
))


def findings(diagnostics: list[Diagnostic]) -> list[tuple[object, ...]]:
    """What must not change between runs (fixes included)."""
    return [(d.path, d.span, d.code, d.message, d.fix) for d in diagnostics]


def check_project(root: Path) -> None:
    """The properties, for one scratch project."""
    first = lint_all(root, ORDER)
    assert internal_errors(first) == []
    slow = {path: round(item.seconds, 2) for path, item in first.items() if item.seconds > PER_FILE_SECONDS}
    assert slow == {}, f"files linted slower than {PER_FILE_SECONDS}s: {slow}"
    again = lint_all(root, list(reversed(ORDER)))
    for path in ORDER:
        assert findings(again[path].diagnostics) == findings(first[path].diagnostics), path


@fuzz_settings(examples=25)
@given(test=modules_like_test_code(), conftest=modules_like_test_code(max_depth=1),
       other=modules_like_test_code(max_depth=1), ini=PYTEST_INIS)
def test_generated_test_code_lints_cleanly_and_deterministically(
        test: str, conftest: str, other: str, ini: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = scratch_project(Path(tmp), {"test": test, "conftest": conftest, "other": other}, ini)
        check_project(root)


@fuzz_settings(examples=25)
@given(source=hypothesmith.from_grammar(auto_target=False))
def test_any_grammatical_module_lints_cleanly(source: str) -> None:
    """Arbitrary (odd, but valid) Python as a test module, a conftest.py and an other module."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<generated>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):  # the grammar is wider than the compiler (e.g. `nonlocal` at module level)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = scratch_project(Path(tmp), {"test": source, "conftest": source, "other": source})
        check_project(root)


@fuzz_settings(examples=4)
@given(source=hypothesmith.from_node(auto_target=False))
def test_any_module_from_the_syntax_tree_lints_cleanly(source: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = scratch_project(Path(tmp), {"test": source, "other": source})
        check_project(root)


def lint_paths_findings(root: Path, paths: list[Path], jobs: int) -> list[tuple[object, ...]]:
    run = runner.lint_paths(paths, workspace_for(root), jobs=jobs)
    return findings(run.diagnostics)


@fuzz_settings(examples=3)
@given(modules=st.lists(modules_like_test_code(max_depth=1), min_size=4, max_size=6))
def test_findings_do_not_depend_on_jobs_or_file_order(modules: list[str]) -> None:
    """jobs=1 and a real two-process pool, in both orders, through ``runner.lint_paths``."""
    with tempfile.TemporaryDirectory() as tmp:
        root = scratch_project(Path(tmp), {"conftest": modules[0], "other": modules[1]})
        for index, text in enumerate(modules[2:]):
            (root / "tests" / f"test_more_{index}.py").write_text(text, encoding="utf-8")
        paths = sorted(path.resolve() for path in root.rglob("*.py"))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(runner, "MIN_FILES_FOR_POOL", 1)  # a pool even for a handful of files
            serial = lint_paths_findings(root, paths, jobs=1)
            assert [f for f in serial if f[2] == "TST002"] == []
            assert lint_paths_findings(root, list(reversed(paths)), jobs=1) == serial
            assert lint_paths_findings(root, paths, jobs=2) == serial
            assert lint_paths_findings(root, list(reversed(paths)), jobs=2) == serial
