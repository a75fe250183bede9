"""The text format quotes the flagged line even after form feeds (numbered as ast numbers lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from suitelint.cli import main


def test_source_frame_after_a_form_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_ff.py").write_text(
        "import time\n\x0c\ndef test_a():\n    time.sleep(1)\n    assert True\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["check", "--no-cache", "."]) == 1
    out = capsys.readouterr().out
    assert "tests/test_ff.py:4:5 TST406" in out
    assert "4 |     time.sleep(1)" in out
