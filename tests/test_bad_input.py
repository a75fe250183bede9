"""Input a linter meets in the wild: every case ends in a finding or a clear error, never a traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from suitelint.cli import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict], str]:
    code = main(["check", "--format", "json", *argv])
    captured = capsys.readouterr()
    findings = json.loads(captured.out) if captured.out.strip() else []
    assert "Traceback" not in captured.err
    return code, findings, captured.err


def only(findings: list[dict]) -> tuple[str, int, str]:
    assert len(findings) == 1, findings
    return findings[0]["code"], findings[0]["line"], findings[0]["message"]


def test_syntax_error_is_tst001_on_its_line(project, capsys):
    (project / "tests/test_broken.py").write_text("import time\n\ndef test_x(:\n    time.sleep(1)\n", encoding="utf-8")
    code, findings, _ = check(capsys)
    assert code == 1
    assert only(findings)[:2] == ("TST001", 3)
    assert "syntax error" in findings[0]["message"]


def test_file_not_valid_in_its_encoding(project, capsys):
    (project / "tests/test_latin.py").write_bytes(b"x = '\xe9t\xe9'\n")
    code, findings, _ = check(capsys)
    assert code == 1
    assert only(findings)[0] == "TST001"
    assert "decode" in findings[0]["message"]


def test_declared_encoding_is_honoured(project, capsys):
    (project / "tests/test_latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nx = '\xe9t\xe9'\n")
    code, findings, _ = check(capsys)
    assert (code, findings) == (0, [])


def test_binary_file_named_py(project, capsys):
    (project / "tests/test_image.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, findings, _ = check(capsys)
    assert code == 1
    assert only(findings)[0] == "TST001"
    assert "binary" in findings[0]["message"]


def test_path_that_does_not_exist(project, capsys):
    code, findings, err = check(capsys, "tests/test_nothing.py")
    assert (code, findings) == (2, [])
    assert err == "suitelint: error: path does not exist: tests/test_nothing.py\n"


def test_unknown_configuration_key(project, capsys):
    (project / "pyproject.toml").write_text('[tool.suitelint]\nextend_exclude = ["x"]\n', encoding="utf-8")
    code, findings, err = check(capsys)
    assert (code, findings) == (2, [])
    assert err.startswith("suitelint: error: ")
    assert "'extend_exclude'" in err
    assert str(project / "pyproject.toml") in err
    assert "did you mean 'extend-exclude'?" in err


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('select = "TST2"', "select"),
        ('ignore = ["TSX1"]', "ignore"),
        ('asyncio-mode = "sometimes"', "asyncio-mode"),
        ('todo-issue-pattern = "(unclosed"', "todo-issue-pattern"),
    ],
)
def test_bad_configuration_value(project, capsys, table, key):
    (project / "pyproject.toml").write_text(f"[tool.suitelint]\n{table}\n", encoding="utf-8")
    code, _, err = check(capsys)
    assert code == 2
    assert f"key '{key}'" in err
    assert "pyproject.toml" in err


def test_invalid_toml(project, capsys):
    (project / "pyproject.toml").write_text("[tool.suitelint]\nselect = [\n", encoding="utf-8")
    code, _, err = check(capsys)
    assert code == 2
    assert "invalid TOML" in err


def test_twenty_thousand_line_test_file(project, capsys):
    body = "".join(f"def test_{i}():\n    assert {i} == {i}\n\n\n" for i in range(5000))
    (project / "tests/test_huge.py").write_text("import time\n\n\n" + body + "def test_last():\n    time.sleep(1)\n"
                                                "    assert True\n", encoding="utf-8")
    started = time.perf_counter()
    code, findings, _ = check(capsys)
    assert time.perf_counter() - started < 30
    assert code == 1
    assert only(findings)[:2] == ("TST406", 3 + 20_000 + 2)


def test_deeply_nested_parentheses(project, capsys):
    (project / "tests/test_nested.py").write_text("x = " + "(" * 200 + "1" + ")" * 200 + "\n", encoding="utf-8")
    code, findings, _ = check(capsys)
    assert code in (0, 1)
    assert all(f["code"] == "TST001" for f in findings)


def test_very_long_expression_chain(project, capsys):
    (project / "tests/test_chain.py").write_text("x = " + "+".join(["a"] * 100_000) + "\n", encoding="utf-8")
    code, findings, _ = check(capsys)
    assert code in (0, 1)
    assert {f["code"] for f in findings} <= {"TST001"}


def test_directory_named_like_a_python_file(project, capsys):
    (project / "tests/test_dir.py").mkdir()
    (project / "tests/test_dir.py/test_inner.py").write_text("import time\n\ndef test_x():\n    time.sleep(1)\n"
                                                             "    assert True\n", encoding="utf-8")
    code, findings, _ = check(capsys, "tests/test_dir.py")
    assert code == 1
    assert findings[0]["path"] == "tests/test_dir.py/test_inner.py"


def test_unreadable_file(project, capsys, monkeypatch):
    target = project / "tests/test_secret.py"
    target.write_text("def test_x():\n    assert True\n", encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def deny(path: Path) -> bytes:
        if path.name == "test_secret.py":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", deny)
    code, findings, _ = check(capsys)
    assert code == 1
    assert only(findings)[0] == "TST001"
    assert "permission denied" in findings[0]["message"]


def test_broken_symlink(project, capsys):
    (project / "tests/test_link.py").symlink_to(project / "tests/missing.py")
    code, findings, _ = check(capsys)
    assert code == 1
    assert only(findings)[0] == "TST001"


def test_empty_and_whitespace_only_files(project, capsys):
    (project / "tests/test_empty.py").write_text("", encoding="utf-8")
    (project / "tests/test_blank.py").write_text("\n\n   \n", encoding="utf-8")
    (project / "tests/test_bom.py").write_bytes(b"\xef\xbb\xbfdef test_x():\n    assert True\n")
    code, findings, _ = check(capsys)
    assert (code, findings) == (0, [])


def test_null_byte_inside_otherwise_valid_source(project, capsys):
    (project / "tests/test_nul.py").write_bytes(b"def test_x():\n    assert '\x00'\n")
    code, findings, _ = check(capsys)
    assert code == 1
    assert only(findings)[0] == "TST001"
