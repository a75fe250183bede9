"""Summary tokens: a digest of everything suite-wide rules can know about a file.

Rules that read other files only through their summaries (the project
summary of :mod:`suitelint.project.summary` and the fixture summary of
:mod:`suitelint.pytest_model.fixture_defs`) record them as *summary
dependencies*.  The results cache keeps each one's token; when the file's
stamp changes, the token is computed again from the new text, and while it
is the same (a comment, a blank line at the end, code that no summary
records) the findings that depend on it stay valid.

The digest must be the same in every process and every run, so the two
summaries are pickled canonically: without pickle's memo (whether two equal
strings are one object differs between a summary built from source and one
read back from the store), and with every dataclass written as its type
name and field values, sets and frozensets as sorted tuples (their
iteration order follows per-process string hashing).  Should some value
still pickle differently from run to run, the token just never matches and
the dependent file is linted again: slower, never wrong.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from suitelint.core.workspace import Workspace

_FIELDS: dict[type, tuple[str, ...] | None] = {}


def summary_token(workspace: Workspace, path: Path) -> str | None:
    """The digest of ``path``'s project and fixture summaries (None: not a readable Python file)."""
    if path.suffix not in {".py", ".pyi"} or not path.is_file():
        return None
    from suitelint.project.cache import UNREADABLE, summary_of_file
    from suitelint.pytest_model.fixtures import fixture_index

    project = summary_of_file(workspace, path)
    fixtures = fixture_index(workspace).summary(path)
    if project is UNREADABLE and fixtures is None:
        return None
    return canonical_digest((project, fixtures))


def canonical_digest(value: Any) -> str:
    buffer = io.BytesIO()
    pickler = _CanonicalPickler(buffer, protocol=5)
    pickler.fast = True  # no memo: equal values give equal bytes, shared or not
    pickler.dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).hexdigest()


def _fields(value: Any) -> tuple[str, ...] | None:
    kind = type(value)
    if kind in _FIELDS:
        return _FIELDS[kind]
    names: tuple[str, ...] | None = None
    if dataclasses.is_dataclass(value):
        names = tuple(f.name for f in dataclasses.fields(value))
    _FIELDS[kind] = names
    return names


def _ordered(value: Any) -> Any:
    if type(value) is frozenset or type(value) is set:
        try:
            return ("<set>", *sorted(value))
        except TypeError:  # mixed types
            return ("<set>", *sorted(value, key=repr))
    return value


def _written(qualname: str, values: tuple[Any, ...]) -> None:  # pragma: no cover - never unpickled
    raise TypeError("canonical pickles are digested, not loaded")


class _CanonicalPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        names = _fields(obj)
        if names is None:
            return NotImplemented
        return _written, (type(obj).__qualname__, tuple(_ordered(getattr(obj, name, None)) for name in names))
