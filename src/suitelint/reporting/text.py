"""``--format text`` (the default): findings grouped by file, with the source line underlined.

::

    tests/test_cache.py:5:5 TST406 `time.sleep(1.5)` sleeps in test `test_expiry`; ...
      |
    5 |     time.sleep(1.5)
      |     ^^^^^^^^^^^^^^^

then a summary line.  Colour only when the stream is a terminal and
``NO_COLOR`` is unset; otherwise plain text, never wrapped.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.source import physical_lines
from suitelint.reporting import Report, plural
from suitelint.reporting.console import make_console

TAB_SIZE = 4


def summary(report: Report) -> str:
    lines: list[str] = []
    if report.fixed:
        lines.append(f"Fixed {plural(report.fixed, 'finding')}.")
    if report.diagnostics:
        text = (f"Found {plural(len(report.diagnostics), 'finding')} in "
                f"{plural(report.files_with_findings, 'file')}")
        fixable = report.fixable()
        if fixable:
            text += f" ({fixable} fixable with --fix{' --unsafe-fixes' if report.unsafe_fixes else ''})"
        lines.append(text + ".")
    else:
        lines.append("All checks passed!")
    return "\n".join(lines)


def frame(diagnostic: Diagnostic, source_lines: list[str]) -> list[Text]:
    """The gutter, the flagged line and a caret underline below the flagged columns."""
    line_no = diagnostic.span.start.line
    if not 0 < line_no <= len(source_lines):
        return []
    raw = source_lines[line_no - 1]
    line = raw.expandtabs(TAB_SIZE)
    start = max(diagnostic.span.start.column - 1, 0)
    if diagnostic.span.end.line == line_no:
        end = max(diagnostic.span.end.column - 1, start + 1)
    else:
        end = max(len(raw.rstrip()), start + 1)
    indent = cell_len(raw[:start].expandtabs(TAB_SIZE))
    width = max(cell_len(raw[:end].expandtabs(TAB_SIZE)) - indent, 1)
    gutter = " " * len(str(line_no))
    caret = Text(" " * indent)
    caret.append("^" * width, style="bold red")
    return [
        Text(f"{gutter} |", style="blue"),
        Text.assemble((f"{line_no} |", "blue"), " ", line.rstrip("\r\n")),
        Text.assemble((f"{gutter} |", "blue"), " ", caret),
    ]


def heading(diagnostic: Diagnostic) -> Text:
    return Text.assemble(
        (diagnostic.path, "bold"),
        f":{diagnostic.line}:{diagnostic.column} ",
        (diagnostic.code, "bold red"),
        " ",
        diagnostic.message,
    )


def write_findings(console: Console, report: Report) -> None:
    ordered = sorted(report.diagnostics, key=Diagnostic.sort_key)
    for index, (path, group) in enumerate(groupby(ordered, key=lambda d: d.path)):
        if index:
            console.print()
        source = report.sources.get(path)
        source_lines = physical_lines(source) if source is not None else []
        for diagnostic in group:
            console.print(heading(diagnostic))
            for text in frame(diagnostic, source_lines):
                console.print(text)


class TextReporter:
    def write(self, report: Report, stream: TextIO, *, color: bool) -> None:
        console = make_console(stream, color)
        write_findings(console, report)
        if not report.quiet:
            if report.diagnostics:
                console.print()
            style = "bold red" if report.diagnostics else "bold green"
            console.print(Text(summary(report), style=style))
