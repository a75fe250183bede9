"""Engine positions (1-based lines, 1-based codepoint columns) <-> LSP positions.

The LSP counts lines from 0 and columns in code units of the negotiated
position encoding: UTF-16 unless client and server agreed on UTF-8 or UTF-32
(``general.positionEncodings``).  Lines are split the way the LSP and the
Python tokenizer split them (``\\n``, ``\\r\\n``, ``\\r``), not with
``str.splitlines``, which also breaks on form feeds and ``\\u2028``.

Out-of-range input is clamped, never raised: an editor may ask about a
position past the end of a line, and a finding may point one column past it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from suitelint.core.diagnostic import Position

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line breaks; ``"a\\n"`` has two lines."""
    return _LINE_BREAK.split(text)


def code_units(text: str, encoding: str = UTF16) -> int:
    """The length of ``text`` in code units of ``encoding``."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def units_to_codepoints(line: str, units: int, encoding: str = UTF16) -> int:
    """The codepoint offset in ``line`` at ``units`` code units (clamped to the line)."""
    if units <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(units, len(line))
    counted = 0
    for index, char in enumerate(line):
        width = code_units(char, encoding)
        if counted + width > units:
            return index  # inside a surrogate pair / multi-byte char: snap to its start
        counted += width
        if counted == units:
            return index + 1
    return len(line)


@dataclass(frozen=True)
class LspPosition:
    line: int  # 0-based
    character: int  # 0-based, in code units


class LineIndex:
    """Converts positions for one version of one document."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.lines = split_lines(text)
        self.encoding = encoding

    def line(self, index: int) -> str:
        """Line ``index`` (0-based), empty when out of range."""
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def to_lsp(self, position: Position) -> LspPosition:
        """An engine position as an LSP position (clamped into the document)."""
        line_index = position.line - 1
        if line_index < 0:
            return LspPosition(0, 0)
        if line_index >= len(self.lines):
            last = len(self.lines) - 1
            return LspPosition(last, code_units(self.lines[last], self.encoding))
        line = self.lines[line_index]
        column = min(max(position.column - 1, 0), len(line))
        return LspPosition(line_index, code_units(line[:column], self.encoding))

    def from_lsp(self, line: int, character: int) -> Position:
        """An LSP position as an engine position (clamped into the document)."""
        if line < 0:
            return Position(1, 1)
        if line >= len(self.lines):
            last = len(self.lines) - 1
            return Position(last + 1, len(self.lines[last]) + 1)
        return Position(line + 1, units_to_codepoints(self.lines[line], character, self.encoding) + 1)

    def end(self) -> LspPosition:
        """The position after the last character of the document."""
        last = len(self.lines) - 1
        return LspPosition(last, code_units(self.lines[last], self.encoding))

    def offset(self, position: Position) -> int:
        """The string offset in ``text`` of an engine position (clamped)."""
        line_index = min(max(position.line - 1, 0), len(self.lines) - 1)
        start = self._line_starts()[line_index]
        column = min(max(position.column - 1, 0), len(self.lines[line_index]))
        return start + column

    def position_at(self, offset: int) -> Position:
        """The engine position of a string offset in ``text`` (clamped)."""
        offset = min(max(offset, 0), len(self.text))
        starts = self._line_starts()
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        column = min(offset - starts[low], len(self.lines[low]))
        return Position(low + 1, column + 1)

    def _line_starts(self) -> list[int]:
        starts = getattr(self, "_starts", None)
        if starts is None:
            starts = [0]
            for match in _LINE_BREAK.finditer(self.text):
                starts.append(match.end())
            self._starts = starts
        return starts
