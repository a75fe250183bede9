"""``--format concise``: ``path:line:col: CODE message``, one finding per line (flake8's shape)."""

from __future__ import annotations

from typing import TextIO

from suitelint.reporting import Report


class ConciseReporter:
    def write(self, report: Report, stream: TextIO, *, color: bool) -> None:
        for d in report.diagnostics:
            stream.write(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n")
