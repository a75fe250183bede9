"""Reading checked files: bytes -> text, with a clear reason when that fails.

Every failure is a :class:`SourceProblem` whose message says what is wrong
with the file in the user's terms (a directory, a broken symbolic link, a
file deleted while the run was going on, permissions), never a traceback.
"""

from __future__ import annotations

import errno
import io
import os
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

# a physical line as Python counts them: ended by \r\n, \r or \n only (str.splitlines also
# splits at form feeds, \x1c-\x1e, \x85, \u2028..., which would shift every later line)
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


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
        if os.path.islink(path):
            return SourceProblem(f"broken symbolic link: its target {_link_target(path)} does not exist")
        return SourceProblem("file disappeared before it could be read")
    except PermissionError:
        return SourceProblem("permission denied")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return SourceProblem("symbolic link loop: the link never leads to a file")
        return SourceProblem(f"cannot read file: {exc.strerror or exc}")
    return decode(data)


def is_file_text(path: Path, text: str) -> bool:
    """Whether ``text`` is the content of the file at ``path``, newlines aside.

    Tools that read files with universal newlines (flake8) hand over ``\n``
    where the file has ``\r\n`` or ``\r``: the same lines, hence the same
    findings.
    """
    disk = read_source(path)
    if not isinstance(disk, str):
        return False
    if disk == text:
        return True
    return "\r" in disk and disk.replace("\r\n", "\n").replace("\r", "\n") == text


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:  # pragma: no cover - removed in the meantime
        return "(unknown)"


def physical_lines(text: str, keepends: bool = False) -> list[str]:
    """``text`` split into lines numbered as ``ast`` and the tokenizer number them."""
    if _OTHER_BREAKS.search(text) is None:  # the common case: str.splitlines agrees
        return text.splitlines(keepends)
    lines = _PHYSICAL_LINE.findall(text)
    if keepends:
        return lines
    return [line.rstrip("\r\n") for line in lines]
