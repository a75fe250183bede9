"""The frozen, typed settings object every part of suitelint reads."""

from __future__ import annotations

import fnmatch
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pants.d",
    ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "venv", "__pypackages__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages",
    "__pycache__", ".suitelint_cache", ".pytest_cache",
)
DEFAULT_TODO_TAGS = ("TODO", "FIXME", "XXX", "HACK")
# `#123`, `ABC-123`, or an http(s) URL
DEFAULT_TODO_ISSUE_PATTERN = r"(#\d+|\b[A-Z][A-Z0-9]+-\d+\b|https?://\S+)"


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    src: tuple[str, ...] = ()
    todo_tags: tuple[str, ...] = DEFAULT_TODO_TAGS
    todo_issue_pattern: str = DEFAULT_TODO_ISSUE_PATTERN
    side_effect_calls: tuple[tuple[str, str], ...] = ()  # (qualified name, reason)
    known_fixtures: tuple[str, ...] = ()
    asyncio_mode: str | None = None
    # where the settings came from; the project root used for relative patterns
    config_file: Path | None = field(default=None, compare=False)
    root: Path = field(default_factory=Path.cwd, compare=False)

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]

    @cached_property
    def todo_issue_re(self) -> re.Pattern[str]:
        return re.compile(self.todo_issue_pattern)

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every value that can change findings (for caches)."""
        data = repr((self.select, self.ignore, self.extend_select, self.per_file_ignores, self.src,
                     self.todo_tags, self.todo_issue_pattern, self.side_effect_calls,
                     self.known_fixtures, self.asyncio_mode))
        return hashlib.sha1(data.encode()).hexdigest()[:16]

    def ignored_codes_for(self, relpath: str) -> tuple[str, ...]:
        """Codes that ``per-file-ignores`` turns off for a path relative to the root."""
        codes: list[str] = []
        name = relpath.rsplit("/", 1)[-1]
        for pattern, pattern_codes in self.per_file_ignores:
            if _glob_match(relpath, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(name, pattern)):
                codes.extend(pattern_codes)
        return tuple(codes)

    @cached_property
    def _name_excludes(self) -> re.Pattern[str] | None:
        """The exclude patterns without a ``/`` (matched against each path part), as one regex."""
        names = [p.rstrip("/") for p in self.exclude + self.extend_exclude if "/" not in p.rstrip("/")]
        return re.compile("|".join(fnmatch.translate(name) for name in names)) if names else None

    def is_excluded(self, relpath: str) -> bool:
        """Whether a path (relative to the root, POSIX) matches exclude patterns."""
        names = self._name_excludes
        if names is not None and any(names.match(part) for part in relpath.split("/")):
            return True
        for pattern in self.exclude + self.extend_exclude:
            pattern = pattern.rstrip("/")
            if "/" in pattern and (_glob_match(relpath, pattern) or relpath.startswith(pattern + "/")):
                return True
        return False


def _glob_match(path: str, pattern: str) -> bool:
    pattern = pattern.removeprefix("./")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if pattern.startswith("**/"):
        return fnmatch.fnmatchcase(path, pattern[3:]) or fnmatch.fnmatchcase(path, pattern)
    return False
