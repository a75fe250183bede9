"""Reading checked files: bytes -> text, with a clear reason when that fails."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceProblem:
    message: str
    line: int = 1
    column: int = 1


def decode(data: bytes) -> str | SourceProblem:
    """Decode a Python file's bytes as the interpreter would (PEP 263)."""
    if b"\x00" in data:
        return SourceProblem("binary file (contains NUL bytes); not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return SourceProblem(f"cannot decode file: {exc.msg if hasattr(exc, 'msg') else exc}")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        return SourceProblem(f"cannot decode file as {encoding}: {exc.reason if hasattr(exc, 'reason') else exc}", line)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def read_source(path: Path) -> str | SourceProblem:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return SourceProblem("is a directory, not a Python file")
    except FileNotFoundError:
        return SourceProblem("file disappeared before it could be read")
    except PermissionError:
        return SourceProblem("permission denied")
    except OSError as exc:
        return SourceProblem(f"cannot read file: {exc.strerror or exc}")
    return decode(data)
