"""Data the engine returns: positions, edits, fixes and diagnostics.

Positions are 1-based lines and 1-based *codepoint* columns everywhere in the
engine.  Front ends convert once at the edge (the LSP to UTF-16).  An ``end``
position is exclusive, like the ranges of every editor protocol.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in codepoints


@dataclass(frozen=True, order=True)
class Span:
    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, column: int, end_line: int, end_column: int) -> Span:
        return cls(Position(line, column), Position(end_line, end_column))


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Edit:
    """Replace the text in ``span`` by ``content`` (an insertion when empty)."""

    span: Span
    content: str

    @classmethod
    def insert(cls, line: int, column: int, content: str) -> Edit:
        pos = Position(line, column)
        return cls(Span(pos, pos), content)

    @classmethod
    def delete(cls, span: Span) -> Edit:
        return cls(span, "")

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.span.start.line,
            "column": self.span.start.column,
            "end_line": self.span.end.line,
            "end_column": self.span.end.column,
            "content": self.content,
        }


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    title: str = ""

    @property
    def is_safe(self) -> bool:
        return self.applicability is Applicability.SAFE

    def to_json(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability.value,
            "title": self.title,
            "edits": [edit.to_json() for edit in self.edits],
        }


@dataclass(frozen=True)
class Diagnostic:
    path: str  # POSIX path as given to the engine
    span: Span
    code: str
    rule: str
    message: str
    fix: Fix | None = None
    # the flagged source text (first line, stripped), used by baselines
    source_line: str = field(default="", compare=False)

    @property
    def line(self) -> int:
        return self.span.start.line

    @property
    def column(self) -> int:
        return self.span.start.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_json(self, path: str | None = None) -> dict[str, Any]:
        return {
            "path": path if path is not None else self.path,
            "line": self.span.start.line,
            "column": self.span.start.column,
            "end_line": self.span.end.line,
            "end_column": self.span.end.column,
            "code": self.code,
            "rule": self.rule,
            "message": self.message,
            "fix": self.fix.to_json() if self.fix else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Diagnostic:
        fix = None
        if data.get("fix"):
            fix = Fix(
                edits=tuple(
                    Edit(Span.of(e["line"], e["column"], e["end_line"], e["end_column"]), e["content"])
                    for e in data["fix"]["edits"]
                ),
                applicability=Applicability(data["fix"]["applicability"]),
                title=data["fix"].get("title", ""),
            )
        return cls(
            path=data["path"],
            span=Span.of(data["line"], data["column"], data["end_line"], data["end_column"]),
            code=data["code"],
            rule=data["rule"],
            message=data["message"],
            fix=fix,
            source_line=data.get("source_line", ""),
        )
