"""``--format json``: a JSON array of findings sorted by path, line, column and code.

Each object: ``path`` (relative to the working directory, POSIX), ``line``,
``column``, ``end_line``, ``end_column`` (1-based, codepoints, end exclusive),
``code``, ``rule`` (the rule's name), ``message`` and ``fix`` (null, or
``{"applicability": "safe"|"unsafe", "title": ..., "edits": [...]}``).
"""

from __future__ import annotations

import json
from typing import TextIO

from suitelint.core.diagnostic import Diagnostic
from suitelint.reporting import Report


class JsonReporter:
    def write(self, report: Report, stream: TextIO, *, color: bool) -> None:
        ordered = sorted(report.diagnostics, key=Diagnostic.sort_key)
        json.dump([d.to_json() for d in ordered], stream, indent=2, ensure_ascii=False)
        stream.write("\n")
