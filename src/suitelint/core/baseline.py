"""Baselines: findings recorded once and suppressed afterwards, surviving unrelated edits.

An entry matches a finding on its path, code and fingerprint.  The
fingerprint hashes the code with the flagged source line (whitespace
normalised), not the line number, so inserting or deleting lines elsewhere
keeps the entry matching; ``:N`` after the hash numbers the occurrences of
the same code on identical lines of one file, in order.  The same fingerprints
are the SARIF report's ``partialFingerprints``.

Paths in a baseline file are relative to the file's own directory, so the
baseline works from any working directory.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from suitelint.core.diagnostic import Diagnostic

FORMAT_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read (exit status 2)."""


def normalise(text: str) -> str:
    return " ".join(text.split())


def line_hash(diagnostic: Diagnostic) -> str:
    text = normalise(diagnostic.source_line) or normalise(diagnostic.message)
    return hashlib.sha256(f"{diagnostic.code}\0{text}".encode()).hexdigest()[:16]


def fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """The fingerprint of each diagnostic (same order); occurrences counted in position order."""
    order = sorted(range(len(diagnostics)), key=lambda i: diagnostics[i].sort_key())
    seen: Counter[tuple[str, str, str]] = Counter()
    result = [""] * len(diagnostics)
    for index in order:
        diagnostic = diagnostics[index]
        digest = line_hash(diagnostic)
        key = (diagnostic.path, diagnostic.code, digest)
        result[index] = f"{digest}:{seen[key]}"
        seen[key] += 1
    return result


@dataclass(frozen=True)
class Entry:
    path: Path  # absolute
    code: str
    fingerprint: str
    line: int = 0
    message: str = ""

    @property
    def key(self) -> tuple[Path, str, str]:
        return (self.path, self.code, self.fingerprint)


@dataclass
class BaselineResult:
    kept: list[Diagnostic]
    suppressed: int
    stale: list[Entry]


def _absolute(path: str, cwd: Path) -> Path:
    return Path(os.path.normpath(cwd / path))


def write_baseline(file: Path, diagnostics: Sequence[Diagnostic], cwd: Path) -> int:
    """Record ``diagnostics`` (paths relative to ``cwd``) in ``file``; the number of entries."""
    base = Path(os.path.normpath(file.resolve().parent))
    entries: list[dict[str, Any]] = []
    for diagnostic, fingerprint in zip(diagnostics, fingerprints(diagnostics), strict=True):
        absolute = _absolute(diagnostic.path, cwd)
        entries.append({
            "path": Path(os.path.relpath(absolute, base)).as_posix(),
            "code": diagnostic.code,
            "fingerprint": fingerprint,
            "line": diagnostic.line,
            "message": diagnostic.message,
        })
    entries.sort(key=lambda e: (e["path"], e["line"], e["code"], e["fingerprint"]))
    data = {"suitelint_baseline": FORMAT_VERSION, "entries": entries}
    try:
        file.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {file}: {exc.strerror or exc}") from None
    return len(entries)


def read_baseline(file: Path) -> list[Entry]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline file does not exist: {file}") from None
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {file}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{file}: not a suitelint baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise BaselineError(f"{file}: not a suitelint baseline (no 'entries' list)")
    base = file.resolve().parent
    entries: list[Entry] = []
    for raw in data["entries"]:
        try:
            entries.append(Entry(_absolute(str(raw["path"]), base), str(raw["code"]), str(raw["fingerprint"]),
                                 int(raw.get("line", 0)), str(raw.get("message", ""))))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BaselineError(f"{file}: malformed entry {raw!r}") from None
    return entries


def apply_baseline(
    diagnostics: Sequence[Diagnostic],
    entries: Iterable[Entry],
    cwd: Path,
    checked: Iterable[Path],
) -> BaselineResult:
    """Drop the findings the baseline records; entries of checked files that matched nothing are stale."""
    all_entries = list(entries)
    pending = Counter(entry.key for entry in all_entries)
    kept: list[Diagnostic] = []
    suppressed = 0
    for diagnostic, fingerprint in zip(diagnostics, fingerprints(diagnostics), strict=True):
        key = (_absolute(diagnostic.path, cwd), diagnostic.code, fingerprint)
        if pending[key] > 0:
            pending[key] -= 1
            suppressed += 1
        else:
            kept.append(diagnostic)
    checked_paths = {Path(os.path.normpath(p)) for p in checked}
    stale: list[Entry] = []
    for entry in all_entries:
        if pending[entry.key] > 0 and (entry.path in checked_paths or not entry.path.exists()):
            pending[entry.key] -= 1
            stale.append(entry)
    return BaselineResult(kept, suppressed, stale)
