"""Turning the paths of a command line into the Python files to check.

* No path means the working directory.
* A file named explicitly is checked whatever its name and even if an
  ``exclude`` pattern or a ``.gitignore`` matches it; so is everything below a
  directory named explicitly (only what lies *below* it is filtered).
* Directories are walked in sorted order; the ``.py`` files found are kept
  (stubs, ``.pyi``, hold no tests).  A directory or file is skipped when the
  ``exclude``/``extend-exclude`` patterns of the settings that govern its
  parent directory match it, or when a ``.gitignore`` ignores it: the
  ``.gitignore`` files from the enclosing git work tree's root down to the
  directory, plus ``.git/info/exclude``.  git itself is never run.
* Links to files are checked; links to directories are not entered during
  the walk (as git, flake8 and ruff do), only when named explicitly; each
  real directory is walked once and every file returned once.  A broken link
  is returned (linting it reports the missing target); a link loop cannot be
  resolved at all, so it is left out and reported in ``skipped`` with the
  reason.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from suitelint.config.settings import Settings, _glob_match
from suitelint.core.gitignore import IgnoreFile, is_ignored, read_gitignore
from suitelint.core.workspace import Workspace

PYTHON_SUFFIXES = (".py",)


class DiscoveryError(Exception):
    """A path on the command line that cannot be checked (exit status 2)."""


@dataclass(frozen=True)
class _Frame:
    directory: Path
    ignore_files: tuple[IgnoreFile, ...]
    # inside a directory named explicitly although an exclude pattern matches it
    inside_excluded: bool


def discover(paths: Iterable[str | Path], workspace: Workspace, *, force_exclude: bool = False,
             skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """The files to check for ``paths`` (relative to the workspace's directory), absolute.

    ``force_exclude`` applies ``exclude``/``extend-exclude`` to files named
    explicitly too (pre-commit names every changed file).  Files that cannot
    be checked at all (symbolic link loops) are appended to ``skipped`` with
    the reason.
    """
    given = [Path(p) for p in paths] or [Path(".")]
    found: list[Path] = []
    seen_files: set[Path] = set()
    seen_dirs: set[Path] = set()
    for raw in given:
        path = raw if raw.is_absolute() else workspace.cwd / raw
        path = Path(os.path.normpath(path))
        if not os.path.lexists(path):
            raise DiscoveryError(f"path does not exist: {raw}")
        if path.is_dir():
            for file, real in _walk(path, workspace, seen_dirs):
                _add(file, found, seen_files, skipped, real)
        else:
            # a file (or a broken link) named explicitly: checked unless --force-exclude excludes it
            if force_exclude and _excluded(workspace.settings_for(path), path):
                continue
            _add(path, found, seen_files, skipped)
    return found


def _add(path: Path, found: list[Path], seen: set[Path], skipped: list[tuple[Path, str]] | None,
         real: Path | None = None) -> None:
    """Add ``path`` unless its real path (``real`` when the caller knows it) was added already."""
    if real is None:
        try:
            real = path.resolve()
        except (RuntimeError, OSError):  # a symbolic link loop (RuntimeError before Python 3.13)
            if skipped is not None:
                skipped.append((path, "symbolic link loop: the link never leads to a file"))
            return
    if real not in seen:
        seen.add(real)
        found.append(path)


def _walk(top: Path, workspace: Workspace, seen_dirs: set[Path]) -> list[tuple[Path, Path | None]]:
    """The files under ``top``, each with its real path (None for a symbolic link: resolve it)."""
    files: list[tuple[Path, Path | None]] = []
    top_settings = workspace.settings_for(top)
    start = _Frame(top, tuple(_ignore_files_above(top)), _excluded(top_settings, top))
    stack = [start]
    while stack:
        frame = stack.pop()
        real = Path(os.path.realpath(frame.directory))
        if real in seen_dirs:
            continue  # a symlink loop, or a directory reached twice
        seen_dirs.add(real)
        ignore_files = frame.ignore_files
        own = read_gitignore(frame.directory / ".gitignore")
        if own is not None:
            ignore_files = (*ignore_files, own)
        settings = workspace.settings_for(frame.directory)
        try:
            with os.scandir(frame.directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            continue  # unreadable directory: nothing to find there
        subdirs: list[_Frame] = []
        for entry in entries:
            path = Path(entry.path)
            is_dir = _is_dir(entry)
            if not is_dir and (not entry.name.endswith(PYTHON_SUFFIXES) or _is_link_to_directory(entry)):
                continue
            if _entry_excluded(settings, path, frame.inside_excluded):
                continue
            if is_ignored(ignore_files, path, is_dir):
                continue
            if is_dir:
                subdirs.append(_Frame(path, ignore_files, frame.inside_excluded))
            else:
                files.append((path, None if entry.is_symlink() else real / entry.name))
        stack.extend(reversed(subdirs))
    return sorted(files, key=lambda item: item[0].as_posix())


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A real directory; links to directories are not entered (as git, flake8 and ruff do)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_link_to_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def _relative(settings: Settings, path: Path) -> str | None:
    root = str(settings.root)
    text = str(path)
    if text.startswith(root) and text[len(root):len(root) + 1] == os.sep and os.sep == "/":
        return text[len(root) + 1:]  # the usual case, without pathlib's parsing
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        pass
    try:
        return Path(os.path.realpath(path)).relative_to(settings.root).as_posix()
    except ValueError:
        return None


def _excluded(settings: Settings, path: Path) -> bool:
    relpath = _relative(settings, path)
    return settings.is_excluded(relpath if relpath is not None else path.name)


def _entry_excluded(settings: Settings, path: Path, inside_excluded: bool) -> bool:
    """Whether an exclude pattern matches the entry itself.

    ``Settings.is_excluded`` also matches through a path's parents, which the
    walk has already checked; below a directory named explicitly although it is
    excluded, that would drop everything, so there only the entry's own name
    (patterns without ``/``) and its full path (patterns with ``/``) count.
    """
    relpath = _relative(settings, path)
    if not inside_excluded:
        return settings.is_excluded(relpath if relpath is not None else path.name)
    for pattern in settings.exclude + settings.extend_exclude:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            if relpath is not None and _glob_match(relpath, pattern):
                return True
        elif fnmatch.fnmatchcase(path.name, pattern):
            return True
    return False


def _git_root(directory: Path) -> Path | None:
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _ignore_files_above(top: Path) -> list[IgnoreFile]:
    """The ignore files that govern ``top`` from above: git's exclude file and parents' .gitignore."""
    real_top = Path(os.path.realpath(top))
    root = _git_root(real_top)
    if root is None:
        return []
    found: list[IgnoreFile] = []
    info_exclude = read_gitignore(root / ".git" / "info" / "exclude")
    if info_exclude is not None:
        # patterns in .git/info/exclude are relative to the work tree's root
        found.append(IgnoreFile(_rebase(root, real_top, top), info_exclude.patterns))
    for directory in [root / parent for parent in reversed(real_top.relative_to(root).parents)]:
        ignore_file = read_gitignore(directory / ".gitignore")
        if ignore_file is not None:
            found.append(IgnoreFile(_rebase(directory, real_top, top), ignore_file.patterns))
    return found


def _rebase(directory: Path, real_top: Path, top: Path) -> Path:
    """``directory`` (an ancestor of ``real_top``) expressed above ``top`` as the walk spells it."""
    depth = len(real_top.relative_to(directory).parts)
    base = top
    for _ in range(depth):
        base = base.parent
    return base
