"""Output formats of ``suitelint check``: the only package (with ``cli.py``) that imports rich.

A reporter turns a :class:`Report` into text on a stream.  ``text`` is for
people (rich, grouped by file, with the source line underlined), ``concise``
for editors and grep (one line per finding, like flake8), ``json`` for
programs, ``sarif`` for GitHub code scanning and ``github`` for GitHub
Actions' workflow commands (annotations on the pull request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Protocol, Sequence, TextIO

from suitelint.core.diagnostic import Diagnostic


@dataclass
class Report:
    diagnostics: Sequence[Diagnostic]
    files_checked: int
    cwd: Path
    # display path -> file text, for source frames
    sources: Mapping[str, str] = field(default_factory=dict)
    fixed: int = 0
    unsafe_fixes: bool = False
    quiet: bool = False

    @property
    def files_with_findings(self) -> int:
        return len({d.path for d in self.diagnostics})

    def fixable(self) -> int:
        return sum(1 for d in self.diagnostics if d.fix is not None and (d.fix.is_safe or self.unsafe_fixes))


class Reporter(Protocol):
    def write(self, report: Report, stream: TextIO, *, color: bool) -> None: ...


FORMATS = ("text", "concise", "json", "sarif", "github")


def get_reporter(name: str) -> Reporter:
    """The reporter of an output format (one of :data:`FORMATS`)."""
    if name == "text":
        from suitelint.reporting.text import TextReporter

        return TextReporter()
    if name == "concise":
        from suitelint.reporting.concise import ConciseReporter

        return ConciseReporter()
    if name == "json":
        from suitelint.reporting.json_format import JsonReporter

        return JsonReporter()
    if name == "sarif":
        from suitelint.reporting.sarif import SarifReporter

        return SarifReporter()
    if name == "github":
        from suitelint.reporting.github import GithubReporter

        return GithubReporter()
    raise ValueError(f"unknown output format {name!r}; choose from {', '.join(FORMATS)}")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
