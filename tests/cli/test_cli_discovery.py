"""Which files ``suitelint check`` looks at: exclude patterns, .gitignore, explicit paths, links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from suitelint.core.discovery import DiscoveryError, discover
from suitelint.core.gitignore import parse_gitignore
from suitelint.core.workspace import Workspace


def found(root: Path, *paths: str) -> list[str]:
    workspace = Workspace(cwd=root)
    return [p.relative_to(root).as_posix() for p in discover(paths, workspace)]


def touch(root: Path, *names: str) -> None:
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x = 1\n", encoding="utf-8")


def matches(pattern: str, path: str, is_dir: bool = False) -> bool:
    (compiled,) = parse_gitignore(pattern)
    if compiled.directories_only and not is_dir:
        return False
    return compiled.regex.fullmatch(path) is not None


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "expected"),
    [
        ("*.py", "a.py", False, True),
        ("*.py", "deep/down/a.py", False, True),
        ("/top.py", "top.py", False, True),
        ("/top.py", "sub/top.py", False, False),
        ("docs/*.py", "docs/a.py", False, True),
        ("docs/*.py", "docs/sub/a.py", False, False),
        ("docs/*.py", "x/docs/a.py", False, False),
        ("build/", "build", True, True),
        ("build/", "build", False, False),
        ("build/", "src/build", True, True),
        ("**/gen", "a/b/gen", True, True),
        ("**/gen", "gen", False, True),
        ("a/**/b.py", "a/b.py", False, True),
        ("a/**/b.py", "a/x/y/b.py", False, True),
        ("out/**", "out/x/y.py", False, True),
        ("out/**", "out", True, False),
        ("test_?.py", "test_a.py", False, True),
        ("test_?.py", "test_ab.py", False, False),
        ("test_[ab].py", "test_b.py", False, True),
        ("test_[!ab].py", "test_b.py", False, False),
        ("test_[!ab].py", "test_c.py", False, True),
        ("\\#hash.py", "#hash.py", False, True),
        ("spaced.py   ", "spaced.py", False, True),
        ("a**b.py", "aXXb.py", False, True),
        ("a**b.py", "a/b.py", False, False),
    ],
)
def test_gitignore_pattern_semantics(pattern, path, is_dir, expected):
    assert matches(pattern, path, is_dir) is expected


def test_comments_blank_lines_and_negation():
    patterns = parse_gitignore("# comment\n\n*.py\n!keep.py\n\\!bang.py\n")
    assert [(p.negated, p.regex.fullmatch("keep.py") is not None) for p in patterns] == [
        (False, True), (True, True), (False, False)]


def test_walk_honours_nested_gitignore_files(tmp_path):
    touch(tmp_path, "a.py", "gen/b.py", "pkg/c.py", "pkg/d_generated.py", "pkg/keep_generated.py",
          "pkg/sub/e.py", "notes.txt", "stub.pyi", "pkg/build/f.py", "build.py")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("/gen\n*_generated.py\nbuild/\n", encoding="utf-8")
    (tmp_path / "pkg" / ".gitignore").write_text("!keep_generated.py\n/sub/\n", encoding="utf-8")
    assert found(tmp_path) == ["a.py", "build.py", "pkg/c.py", "pkg/keep_generated.py"]


def test_gitignore_of_parent_directories_applies_to_a_subdirectory_argument(tmp_path):
    touch(tmp_path, "tests/test_a.py", "tests/test_a_generated.py")
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".gitignore").write_text("*_generated.py\n", encoding="utf-8")
    (tmp_path / ".git" / "info" / "exclude").write_text("/tests/test_a.py\n", encoding="utf-8")
    assert found(tmp_path, "tests") == []
    assert found(tmp_path, "tests/test_a_generated.py") == ["tests/test_a_generated.py"]


def test_no_git_repository_means_only_gitignore_files_below(tmp_path):
    touch(tmp_path, "proj/a.py", "proj/skip.py")
    (tmp_path / ".gitignore").write_text("*.py\n", encoding="utf-8")  # not in a repository: not ours
    (tmp_path / "proj" / ".gitignore").write_text("skip.py\n", encoding="utf-8")
    assert found(tmp_path, "proj") == ["proj/a.py"]


def test_exclude_and_extend_exclude(tmp_path):
    touch(tmp_path, "a.py", "vendor/b.py", "tests/data/c.py", "tests/test_d.py", ".venv/e.py", "build/f.py")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.suitelint]\nextend-exclude = ["vendor", "tests/data"]\n', encoding="utf-8")
    assert found(tmp_path) == ["a.py", "tests/test_d.py"]
    assert found(tmp_path, "vendor/b.py") == ["vendor/b.py"]
    assert found(tmp_path, "tests/data") == ["tests/data/c.py"]
    assert found(tmp_path, "build") == ["build/f.py"]


def test_exclude_replaces_the_defaults(tmp_path):
    touch(tmp_path, "a.py", "build/b.py", "skip/c.py")
    (tmp_path / "pyproject.toml").write_text('[tool.suitelint]\nexclude = ["skip"]\n', encoding="utf-8")
    assert found(tmp_path) == ["a.py", "build/b.py"]


def test_explicit_files_of_any_name_and_no_duplicates(tmp_path):
    touch(tmp_path, "a.py", "script")
    assert found(tmp_path, "script", "a.py", ".", "./a.py") == ["script", "a.py"]


def test_order_is_sorted_and_deterministic(tmp_path):
    touch(tmp_path, "b.py", "a/z.py", "a/b/c.py", "A.py", "a_.py")
    assert found(tmp_path) == ["A.py", "a/b/c.py", "a/z.py", "a_.py", "b.py"]


def test_directory_named_like_a_python_file(tmp_path):
    touch(tmp_path, "x.py/inner.py")
    assert found(tmp_path) == ["x.py/inner.py"]
    assert found(tmp_path, "x.py") == ["x.py/inner.py"]


def test_links_to_directories_are_not_entered_and_loops_end(tmp_path):
    touch(tmp_path, "pkg/a.py", "elsewhere/b.py")
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "loop")
    os.symlink(tmp_path / "pkg", tmp_path / "alias")
    os.symlink(tmp_path / "pkg" / "a.py", tmp_path / "pkg" / "link_to_a.py")
    assert found(tmp_path, "pkg") == ["pkg/a.py"]
    assert found(tmp_path, "alias") == ["alias/a.py"]
    assert found(tmp_path, "pkg/loop", "alias", "pkg") == ["pkg/loop/a.py"]


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(DiscoveryError, match=r"path does not exist: nope\.py"):
        found(tmp_path, "nope.py")


def test_missing_path_through_the_cli(project, run):
    outcome = run("check", "tests/test_gone.py")
    assert outcome.code == 2
    assert outcome.err == "suitelint: error: path does not exist: tests/test_gone.py\n"
