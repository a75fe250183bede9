"""Reading checked files: whether a text handed over by another tool is the file on disk."""

from __future__ import annotations

from pathlib import Path

from suitelint.core.source import is_file_text


def test_a_text_is_the_file_text_newlines_aside(tmp_path: Path) -> None:
    crlf = tmp_path / "test_crlf.py"
    crlf.write_bytes(b"def test_a():\r\n    assert True\r\n")
    # flake8 reads files with universal newlines: the same lines, the same findings
    assert is_file_text(crlf, "def test_a():\n    assert True\n")
    assert is_file_text(crlf, "def test_a():\r\n    assert True\r\n")
    assert not is_file_text(crlf, "def test_a():\n    assert False\n")
    old_mac = tmp_path / "test_cr.py"
    old_mac.write_bytes(b"x = 1\ry = 2\r")
    assert is_file_text(old_mac, "x = 1\ny = 2\n")


def test_a_text_is_not_the_text_of_a_missing_or_binary_file(tmp_path: Path) -> None:
    assert not is_file_text(tmp_path / "missing.py", "")
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00")
    assert not is_file_text(binary, "garbage")
