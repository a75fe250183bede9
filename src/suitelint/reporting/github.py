"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff.

``::warning file=F,line=L,col=C,endLine=L2,endColumn=C2,title=TST201 (name)::message``.
Workflow-command escaping: in the message ``%``, CR and LF are percent-encoded;
in properties also ``:`` and ``,``.  Findings about suitelint itself (a file
that does not parse, a crashed rule) are errors; rule findings are warnings.
"""

from __future__ import annotations

from typing import TextIO

from suitelint.core.diagnostic import Diagnostic
from suitelint.reporting import Report

ERROR_CODES = frozenset({"TST001", "TST002"})


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def level(diagnostic: Diagnostic) -> str:
    return "error" if diagnostic.code in ERROR_CODES else "warning"


def command(diagnostic: Diagnostic) -> str:
    properties = {
        "file": diagnostic.path,
        "line": str(diagnostic.span.start.line),
        "col": str(diagnostic.span.start.column),
        "endLine": str(diagnostic.span.end.line),
        "endColumn": str(diagnostic.span.end.column),
        "title": f"{diagnostic.code} ({diagnostic.rule})",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level(diagnostic)} {joined}::{escape_data(diagnostic.message)}"


class GithubReporter:
    def write(self, report: Report, stream: TextIO, *, color: bool) -> None:
        for diagnostic in report.diagnostics:
            stream.write(command(diagnostic) + "\n")
