"""A line scan of a module's text: its imports and the names of defs that may be coroutine functions.

TST205 asks, for every discarded or asserted call, whether the callee can be
a coroutine function at all.  The answer is a name filter over the import
closure of the checked file, and building it must not parse every module
of that closure.  The scan reads lines only and errs on the side of more
names: every ``async def``, every decorated ``def`` (a decorator can make a
coroutine function), every imported dotted name.  A module it misreads
can only make the filter weaker, never produce a finding: findings come
from the full evaluation of the call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DEF = re.compile(r"(async\s+)?def\s+(\w+)")
_FROM = re.compile(r"from\s+(\.*)([\w.]*)\s+import\s+(.+)", re.DOTALL)
_IMPORT = re.compile(r"import\s+(.+)", re.DOTALL)
_ALIAS = re.compile(r"([\w.]+)(?:\s+as\s+\w+)?")
_STRINGS = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|\'[^\'\\\n]*(?:\\.[^\'\\\n]*)*\'')
_MAX_JOINED = 60  # a runaway bracket (in a string) stops joining after this many lines


@dataclass(frozen=True)
class TextScan:
    maybe_coroutine_names: frozenset[str]
    imported_names: tuple[str, ...]  # absolute dotted names (``pkg.mod`` and ``pkg.mod.name`` for from-imports)


def scan_text(text: str, module_name: str, is_package: bool) -> TextScan:
    names: set[str] = set()
    imported: list[str] = []
    decorated = False
    for statement in _logical_lines(text):
        if statement.startswith("@"):
            decorated = True
            continue
        match = _DEF.match(statement)
        if match:
            if match.group(1) or decorated:
                names.add(match.group(2))
            decorated = False
            continue
        decorated = False
        if statement.startswith("from "):
            _from_import(statement, module_name, is_package, imported)
        elif statement.startswith("import "):
            found = _IMPORT.match(statement)
            if found:
                imported.extend(alias.group(1) for alias in _ALIAS.finditer(found.group(1)))
    return TextScan(frozenset(names), tuple(dict.fromkeys(imported)))


def _from_import(statement: str, module_name: str, is_package: bool, imported: list[str]) -> None:
    found = _FROM.match(statement)
    if not found:
        return
    dots, module, rest = found.groups()
    if dots:
        package = module_name.split(".") if module_name else []
        if not is_package:
            package = package[:-1]
        if len(dots) - 1 > len(package):
            return
        base = package[: len(package) - (len(dots) - 1)]
        module = ".".join([*base, *([module] if module else [])])
    if not module:
        return
    imported.append(module)
    for alias in _ALIAS.finditer(rest.replace("(", " ").replace(")", " ")):
        imported.append(f"{module}.{alias.group(1)}")


def _logical_lines(text: str) -> list[str]:
    """Stripped logical lines: bracketed and backslash continuations joined, comments dropped.

    One-line string literals are blanked before brackets are counted and
    triple-quoted strings are skipped; whatever is still misread only weakens
    this cheap filter.
    """
    lines: list[str] = []
    pending: list[str] = []
    depth = 0
    quote: str | None = None  # inside a triple-quoted string opened with this quote
    for raw in text.splitlines():
        if quote is not None or '"""' in raw or "\'\'\'" in raw:
            quote = _string_state(raw, quote)
            if quote is not None or not pending:
                continue  # docstrings and other long strings hold no statements
        line = _STRINGS.sub('""', raw) if ("'" in raw or '"' in raw) else raw
        line = line.split("#", 1)[0] if "#" in line else line
        stripped = line.strip()
        if not stripped and not pending:
            continue
        pending.append(stripped)
        depth += stripped.count("(") + stripped.count("[") + stripped.count("{")
        depth -= stripped.count(")") + stripped.count("]") + stripped.count("}")
        continued = stripped.endswith("\\")
        if continued:
            pending[-1] = stripped[:-1]
        if (depth > 0 or continued) and len(pending) < _MAX_JOINED:
            continue
        lines.append(" ".join(part for part in pending if part))
        pending = []
        depth = 0
    if pending:
        lines.append(" ".join(pending))
    return lines


def _string_state(line: str, quote: str | None) -> str | None:
    """The open triple quote after ``line`` (None when outside a triple-quoted string)."""
    index = 0
    while True:
        if quote is None:
            starts = [(line.find(q, index), q) for q in ('"""', "\'\'\'") if line.find(q, index) != -1]
            if not starts:
                return None
            position, quote = min(starts)
            index = position + 3
        else:
            end = line.find(quote, index)
            if end == -1:
                return quote
            index = end + 3
            quote = None
