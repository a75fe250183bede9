"""Summaries are cached on disk (shared store) and never trusted when stale, corrupted or unwritable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from suitelint.core.engine import lint_file
from suitelint.core.workspace import Workspace
from suitelint.project import cache as summary_cache
from suitelint.project.cache import forget, summary_of_file

CONFIG = "from pydantic_settings import BaseSettings\n\nclass S(BaseSettings):\n    key: str\n\ns = S()\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    (root / "app" / "config.py").write_text(CONFIG, encoding="utf-8")
    (root / "tests" / "test_config.py").write_text("from app.config import s\n", encoding="utf-8")
    return root


def workspace(root: Path, cache_dir: Path | None) -> Workspace:
    found = Workspace(cwd=root)
    found.extensions["cache_dir"] = cache_dir
    return found


def codes(root: Path, ws: Workspace) -> list[tuple[int, str]]:
    result = lint_file(root / "tests" / "test_config.py", ws, select=["TST102"])
    return [(d.line, d.code) for d in result.diagnostics]


def test_second_process_reuses_the_summaries(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    assert codes(project, workspace(project, cache_dir)) == [(1, "TST102")]
    assert (cache_dir / ".gitignore").read_text().strip().endswith("*")

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("summary rebuilt although cached")

    monkeypatch.setattr(summary_cache, "summarize_source", no_parsing)
    warm = workspace(project, cache_dir)
    assert summary_of_file(warm, (project / "app" / "config.py").resolve()).parsed


def test_an_edited_module_is_summarized_again(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert codes(project, workspace(project, cache_dir)) == [(1, "TST102")]
    config = project / "app" / "config.py"
    config.write_text(CONFIG.replace("s = S()", "def get():\n    return S()"), encoding="utf-8")
    os.utime(config, ns=(1, 1))  # a different stamp even on coarse file systems
    assert codes(project, workspace(project, cache_dir)) == []


def test_corrupted_entries_are_ignored(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    codes(project, workspace(project, cache_dir))
    entries = [p for p in (cache_dir / "summaries").rglob("*.pickle")]
    assert entries
    for entry in entries:
        entry.write_bytes(b"\x80\x04not a pickle")
    assert codes(project, workspace(project, cache_dir)) == [(1, "TST102")]


def test_unwritable_cache_directory_degrades_to_memory(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache directory should go", encoding="utf-8")
    assert codes(project, workspace(project, blocker / "cache")) == [(1, "TST102")]


def test_disabled_cache_writes_nothing(project: Path) -> None:
    assert codes(project, workspace(project, None)) == [(1, "TST102")]
    assert not (project / ".suitelint_cache").exists()


def test_forget_rereads_a_changed_file(project: Path) -> None:
    ws = workspace(project, None)
    config = (project / "app" / "config.py").resolve()
    assert "S" in summary_of_file(ws, config).classes
    config.write_text("X = 1\n", encoding="utf-8")
    assert "S" in summary_of_file(ws, config).classes  # one summary per file per workspace
    forget(ws, config)
    assert summary_of_file(ws, config).classes == {}


def test_the_checked_buffer_wins_over_the_disk(project: Path) -> None:
    """An editor buffer (source= text) is what the model sees for that file."""
    ws = workspace(project, None)
    test = project / "tests" / "test_config.py"
    assert codes(project, ws) == [(1, "TST102")]
    result = lint_file(test, ws, source="def test():\n    from app.config import s\n", select=["TST102"])
    assert result.diagnostics == []
    assert codes(project, ws) == [(1, "TST102")]
