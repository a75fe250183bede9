"""Suite-wide views deferred to the end of a run: every file parsed once, the same findings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from suitelint.core import parsing, runner
from suitelint.core.deferral import SuiteNotReady, check_ready, deferred, deferring
from suitelint.core.engine import FileResult, finish_pending, lint_file, run_rules
from suitelint.core.rule import Rule
from suitelint.core.runner import WorkspaceSpec
from suitelint.core.workspace import Workspace

CONFTEST = """\
import pytest


@pytest.fixture
def db():
    return connect()


@pytest.fixture
def orphan():  # requested by no test
    return object()


@pytest.fixture
def silenced():  # noqa: TST504
    return object()
"""

TEST_MODULE = """\
def test_db(db):
    assert db


def test_typo(dbb):
    assert dbb
"""


def _project(root: Path) -> Path:
    (root / "tests").mkdir()
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (root / "tests" / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (root / "tests" / "test_users.py").write_text(TEST_MODULE, encoding="utf-8")
    return root / "tests"


def _workspace(root: Path) -> Workspace:
    return WorkspaceSpec(cwd=root, no_cache=True).build()


def _findings(result: FileResult) -> list[tuple[int, str, str]]:
    return [(d.span.start.line, d.code, d.message) for d in result.diagnostics]


def test_a_rule_asking_for_the_suite_is_owed_and_completed_with_the_same_findings(tmp_path: Path) -> None:
    tests = _project(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "src" / "config.py").write_text(
        "import os\n\n\ndef jwt_secret() -> str:\n    return os.environ['JWT_SECRET']\n", encoding="utf-8")
    (tests / "test_auth.py").write_text(
        "def test_token(monkeypatch):\n    monkeypatch.setenv('JWT_SECRET_KEY', 'x')\n", encoding="utf-8")
    expected = lint_file(tests / "test_auth.py", _workspace(tmp_path))
    assert sorted(code for _, code, _ in _findings(expected)) == ["TST408", "TST601"]

    workspace = _workspace(tmp_path)
    with deferred(workspace):
        first = lint_file(tests / "test_auth.py", workspace)
    # TST408 wants the index of every environment read of the project: stopped, its findings dropped
    assert first.deferred == ("TST408",)
    assert [d.code for d in first.diagnostics] == ["TST601"]
    completed = runner.complete(first, workspace, None)
    assert _findings(completed) == _findings(expected)
    assert completed.deferred == () and completed.pending == ()


def test_an_unknown_fixture_is_settled_from_the_text_with_its_suite_wide_message(tmp_path: Path) -> None:
    tests = _project(tmp_path)
    (tests / "sub").mkdir()
    (tests / "sub" / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef dbb():\n    return 1\n", encoding="utf-8")
    expected = lint_file(tests / "test_users.py", _workspace(tmp_path))
    assert [code for _, code, _ in _findings(expected)] == ["TST501"]
    assert "tests/sub/conftest.py" in expected.diagnostics[0].message  # where it is defined: suite-wide

    workspace = _workspace(tmp_path)
    with deferred(workspace):
        for path in sorted(tests.rglob("*.py")):
            first = lint_file(path, workspace)
            if path.name == "test_users.py":
                owed = first
    assert owed.deferred == () and [code for code, _ in owed.pending] == ["TST501"]
    assert _findings(runner.complete(owed, workspace, None)) == _findings(expected)


def test_a_pending_step_finishes_from_the_text_alone_with_suppressions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tests = _project(tmp_path)
    expected = lint_file(tests / "conftest.py", _workspace(tmp_path))
    assert [(line, code) for line, code, _ in _findings(expected)] == [(10, "TST504")]

    workspace = _workspace(tmp_path)
    with deferred(workspace):
        lint_file(tests / "test_users.py", workspace)  # (its summaries are what the suite reads)
        first = lint_file(tests / "conftest.py", workspace)
    assert first.deferred == ()
    assert "TST504" in [code for code, _ in first.pending]
    assert [d.code for d in first.diagnostics] == []
    parses: list[str] = []
    real_parse = ast.parse
    monkeypatch.setattr(parsing.ast, "parse", lambda *a, **k: parses.append("parse") or real_parse(*a, **k))
    parsing.clear()
    rest = finish_pending(tests / "conftest.py", workspace, first.pending)
    # the suite view is built from the summaries the first pass kept: nothing is parsed again
    assert parses == []
    assert _findings(rest) == _findings(expected)  # the `# noqa: TST504` one stays suppressed


def test_two_phase_runs_give_what_single_file_lints_give(tmp_path: Path) -> None:
    tests = _project(tmp_path)
    for index in range(runner.MIN_FILES_FOR_DEFERRAL):
        (tests / f"test_more_{index}.py").write_text(
            f"def test_{index}(db, dbb):\n    assert db\n", encoding="utf-8")
    files = sorted(tests.glob("*.py"))
    reference = [d for path in files for d in lint_file(path, _workspace(tmp_path)).diagnostics]
    for jobs in (1, 2):
        run = runner.lint_paths(files, _workspace(tmp_path), jobs=jobs)
        assert sorted(run.diagnostics, key=lambda d: d.sort_key()) == sorted(reference, key=lambda d: d.sort_key())
    assert {d.code for d in reference} == {"TST501", "TST504"}


def test_suite_not_ready_passes_through_a_rules_own_except_exception(tmp_path: Path) -> None:
    tests = _project(tmp_path)
    workspace = _workspace(tmp_path)
    caught: list[BaseException] = []

    class Careless(Rule):  # (no code in its body: not registered, not validated)
        message = "never"

        def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
            try:
                check_ready(self.ctx.workspace)
            except Exception as exc:  # noqa: BLE001 - what a careless rule does
                caught.append(exc)
            self.report(node)

    Careless.code = "TST999"
    Careless.name = "careless"
    Careless.handlers = {"FunctionDef": "visit_FunctionDef"}
    with deferred(workspace):
        assert deferring(workspace)
        ctx = _context(workspace, tests / "test_users.py")
        run_rules(ctx, [Careless])
    assert not deferring(workspace)
    assert caught == []
    assert ctx.deferred == {"TST999"} and ctx.diagnostics == []
    with pytest.raises(SuiteNotReady), deferred(workspace):
        check_ready(workspace)


def _context(workspace: Workspace, path: Path):  # type: ignore[no-untyped-def]
    from suitelint.core.context import FileContext

    text = path.read_text(encoding="utf-8")
    pytest_config = workspace.pytest_for(path)
    return FileContext(path=path, display_path=path.name, source=text, tree=ast.parse(text),
                       role=workspace.role_of(path, pytest_config), settings=workspace.settings_for(path),
                       pytest=pytest_config, workspace=workspace, module_name=path.stem)
