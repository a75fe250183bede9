"""``.gitignore`` patterns, read and matched without running git.

The common subset of gitignore(5), which is what real projects use:

* blank lines and ``#`` comments are skipped; ``\\#`` and ``\\!`` escape;
  trailing unescaped spaces are dropped;
* ``!pattern`` re-includes what an earlier pattern excluded (the last matching
  pattern wins; a file inside an excluded directory cannot be re-included,
  which the directory walk gets for free by never entering that directory);
* a trailing ``/`` matches directories only;
* a pattern with a ``/`` at the start or in the middle is anchored to the
  directory of its ``.gitignore``; one without matches a name at any depth;
* ``*`` and ``?`` never cross ``/``; ``[...]`` is a character class
  (``[!...]`` negated); ``**/`` at the start, ``/**/`` in the middle and
  ``/**`` at the end span any number of directories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True)
class IgnorePattern:
    regex: re.Pattern[str]
    negated: bool
    directories_only: bool


@dataclass(frozen=True)
class IgnoreFile:
    """The patterns of one ``.gitignore`` and the directory they are relative to."""

    base: Path
    patterns: tuple[IgnorePattern, ...]

    def decide(self, relpath: str, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included, None: no pattern of this file matches."""
        decision: bool | None = None
        for pattern in self.patterns:
            if pattern.directories_only and not is_dir:
                continue
            if pattern.regex.fullmatch(relpath):
                decision = not pattern.negated
        return decision


def parse_gitignore(text: str) -> tuple[IgnorePattern, ...]:
    patterns: list[IgnorePattern] = []
    for raw in text.splitlines():
        pattern = _compile_line(raw)
        if pattern is not None:
            patterns.append(pattern)
    return tuple(patterns)


def read_gitignore(path: Path) -> IgnoreFile | None:
    """The patterns of an ignore file, or None when it is absent, unreadable or empty."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    patterns = parse_gitignore(text)
    return IgnoreFile(path.parent, patterns) if patterns else None


def is_ignored(files: Iterable[IgnoreFile], path: Path, is_dir: bool) -> bool:
    """Whether ``path`` is ignored by ``files`` (ordered from the outermost to the innermost)."""
    ignored = False
    for ignore_file in files:
        try:
            relpath = path.relative_to(ignore_file.base).as_posix()
        except ValueError:
            continue
        decision = ignore_file.decide(relpath, is_dir)
        if decision is not None:
            ignored = decision
    return ignored


def _strip_trailing_spaces(line: str) -> str:
    end = len(line)
    while end > 0 and line[end - 1] == " ":
        if end >= 2 and line[end - 2] == "\\":
            break
        end -= 1
    return line[:end]


def _compile_line(raw: str) -> IgnorePattern | None:
    line = _strip_trailing_spaces(raw.rstrip("\r\n"))
    if not line or line.startswith("#"):
        return None
    negated = False
    if line.startswith("!"):
        negated = True
        line = line[1:]
    elif line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    directories_only = line.endswith("/") and not line.endswith("\\/")
    line = line.rstrip("/") if directories_only else line
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    if not line:
        return None
    body = _translate(line)
    prefix = "" if anchored else "(?:.*/)?"
    return IgnorePattern(re.compile(prefix + body, re.DOTALL), negated, directories_only)


def _translate(pattern: str) -> str:
    """A gitignore glob (without anchoring or trailing slash) as a regex body."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        char = pattern[i]
        if char == "*":
            if pattern.startswith("**", i):
                at_start = i == 0 or pattern[i - 1] == "/"
                j = i + 2
                if at_start and j < n and pattern[j] == "/":
                    out.append("(?:.*/)?")  # "**/" : zero or more directories
                    i = j + 1
                    continue
                if at_start and j == n:
                    out.append(".*")  # trailing "/**" (or a lone "**"): everything inside
                    i = j
                    continue
                while j < n and pattern[j] == "*":
                    j += 1
                out.append("[^/]*")  # other runs of asterisks are a plain "*"
                i = j
                continue
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = _class_end(pattern, i)
            if end < 0:
                out.append(re.escape(char))
            else:
                inner = pattern[i + 1:end]
                if inner.startswith("!") or inner.startswith("^"):
                    inner = "^" + inner[1:]
                out.append("[" + inner.replace("\\", "\\\\") + "]")
                i = end
        elif char == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    """The index of the ``]`` closing the class that opens at ``start``, or -1."""
    i = start + 1
    if i < len(pattern) and pattern[i] in "!^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern):
        if pattern[i] == "]":
            return i
        if pattern[i] == "/":
            return -1
        i += 1
    return -1
