"""``--fix`` and ``--diff``: applying the diagnostics' fixes, to a fixed point, idempotently."""

from __future__ import annotations

import json
from pathlib import Path

from suitelint.core import runner
from suitelint.core.diagnostic import Applicability, Diagnostic, Edit, Fix, Span
from suitelint.core.engine import FileResult
from suitelint.core.workspace import Workspace

UNMARKED = """\
import pytest


async def test_first():
    assert True


class TestGroup:
    async def test_second(self):
        assert True
"""

MARKED = """\
import pytest


@pytest.mark.asyncio
async def test_first():
    assert True


class TestGroup:
    @pytest.mark.asyncio
    async def test_second(self):
        assert True
"""


def test_diff_shows_the_fixes_and_writes_nothing(project, write, run):
    write({"tests/test_async.py": UNMARKED})
    outcome = run("check", "--diff")
    assert outcome.code == 1
    assert outcome.out.startswith("--- a/tests/test_async.py\n+++ b/tests/test_async.py\n")
    added = [line for line in outcome.out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added == ["+@pytest.mark.asyncio", "+    @pytest.mark.asyncio"]
    assert "Would fix 2 findings." in outcome.err
    assert (project / "tests/test_async.py").read_text(encoding="utf-8") == UNMARKED


def test_diff_without_fixable_findings_exits_zero(project, write, run):
    write({"tests/test_ok.py": MARKED})
    outcome = run("check", "--diff")
    assert outcome.code == 0
    assert outcome.out == ""


def test_fix_writes_and_is_idempotent(project, write, run):
    write({"tests/test_async.py": UNMARKED})
    first = run("check", "--fix")
    assert first.code == 0
    assert first.out.splitlines() == ["Fixed 2 findings.", "All checks passed!"]
    assert (project / "tests/test_async.py").read_text(encoding="utf-8") == MARKED
    second = run("check", "--fix")
    assert second.code == 0
    assert second.out.splitlines() == ["All checks passed!"]
    assert (project / "tests/test_async.py").read_text(encoding="utf-8") == MARKED


def test_fix_reports_what_remains(project, write, run):
    slow = "\n\ndef test_slow():\n    import time\n    time.sleep(3)\n    assert True\n"
    write({"tests/test_async.py": UNMARKED + slow})
    outcome = run("check", "--fix", "--format", "json")
    assert outcome.code == 1
    assert [finding["code"] for finding in json.loads(outcome.out)] == ["TST406"]
    assert json.loads(outcome.out)[0]["line"] == 15 + 2  # moved down by the two inserted marks
    assert "Fixed 2 findings." in outcome.err


def test_fix_keeps_line_endings_and_encoding(project, run):
    path = project / "tests" / "test_legacy.py"
    path.parent.mkdir()
    text = "# -*- coding: latin-1 -*-\nimport pytest\n\n\nasync def test_caf\u00e9():\n    assert '\u00e9'\n"
    path.write_bytes(text.replace("\n", "\r\n").encode("latin-1"))
    assert run("check", "--fix").code == 0
    data = path.read_bytes()
    assert b"@pytest.mark.asyncio\r\nasync def test_caf\xe9():\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def _comment_fix_lint(limit: int):
    """A stand-in for the engine whose only finding asks for one more ``#`` line until there are ``limit``."""

    def lint(path: Path, workspace: object, *, source: str, **_: object) -> FileResult:
        diagnostics = []
        if source.count("#") < limit:
            fix = Fix((Edit.insert(1, 1, "#\n"),), Applicability.SAFE)
            diagnostics.append(Diagnostic("t.py", Span.of(1, 1, 1, 2), "TST999", "demo", "needs a comment", fix))
        return FileResult(path=path, display_path="t.py", diagnostics=diagnostics)

    return lint


def test_fix_loop_relints_until_nothing_is_fixable(monkeypatch, tmp_path):
    monkeypatch.setattr(runner, "lint_file", _comment_fix_lint(3))
    workspace = Workspace(cwd=tmp_path)
    start = runner.lint_file(tmp_path / "t.py", workspace, source="x = 1\n").diagnostics
    outcome = runner.fix_file(tmp_path / "t.py", workspace, "x = 1\n", start)
    assert outcome.fixed == "#\n#\n#\nx = 1\n"
    assert outcome.diagnostics == []
    assert outcome.fixed_count == 1


def test_fix_loop_gives_up_after_ten_rounds(monkeypatch, tmp_path):
    monkeypatch.setattr(runner, "lint_file", _comment_fix_lint(1000))
    workspace = Workspace(cwd=tmp_path)
    start = runner.lint_file(tmp_path / "t.py", workspace, source="x = 1\n").diagnostics
    outcome = runner.fix_file(tmp_path / "t.py", workspace, "x = 1\n", start)
    assert outcome.fixed.count("#") == runner.MAX_FIX_ROUNDS
    assert [d.code for d in outcome.diagnostics] == ["TST999"]


def test_unsafe_fixes_need_the_flag(tmp_path):
    unsafe = Fix((Edit(Span.of(1, 1, 1, 2), "z"),), Applicability.UNSAFE)
    finding = Diagnostic("t.py", Span.of(1, 1, 1, 2), "TST999", "demo", "unsafe", unsafe)
    workspace = Workspace(cwd=tmp_path)
    (tmp_path / "t.py").write_text("x = 1\n", encoding="utf-8")
    assert not runner.fix_file(tmp_path / "t.py", workspace, "x = 1\n", [finding]).changed
    assert runner.fix_file(tmp_path / "t.py", workspace, "x = 1\n", [finding], unsafe=True).fixed == "z = 1\n"
