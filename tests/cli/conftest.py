"""Running ``suitelint`` in-process (``main(argv)``) inside a scratch project."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from suitelint.cli import main


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (path -> dedented text) under ``root``."""
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project (a pyproject.toml and a .git directory) that is the working directory."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """``run("check", "--format", "json")``: the exit status and what was printed."""

    def invoke(*argv: str) -> Outcome:
        code = main(list(argv))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def write(project: Path) -> Callable[[dict[str, str]], Path]:
    """``write({"tests/test_a.py": "..."})``: add files to the project."""
    return lambda files: write_tree(project, files)
