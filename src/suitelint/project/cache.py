"""Module summaries, computed once per file per process and cached on disk.

Two layers:

- in process: one summary per file per :class:`~suitelint.core.workspace.Workspace`
  (``workspace.extensions["summaries"]``), plus summaries of in-memory texts
  (the checked file, an editor buffer) keyed by content hash;
- on disk: the shared per-file store of :mod:`suitelint.core.store` (kind
  ``"summaries"``), which keeps an entry while the file's stamp or content
  hash is unchanged, for this suitelint version and summary schema.  A
  summary depends on the module text only (no configuration: classification
  of calls happens later, in the project model), so the schema version is
  the whole salt.

Cache location hook (shared with the results cache): set
``workspace.extensions["cache_dir"]`` to a :class:`~pathlib.Path` to put the
cache there, or to ``None`` to disable the disk cache (``--no-cache``); left
unset, the cache is ``.suitelint_cache/`` in the project root (with a
``.gitignore`` of ``*``, created on first write).  An unwritable cache
directory degrades to in-memory operation.

Editors: call :func:`forget` when a file changes on disk (or clear
``workspace.extensions``), so the next lookup reads it again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from suitelint.core.source import SourceProblem, decode
from suitelint.project.summarize import summarize, summarize_source
from suitelint.project.summary import SCHEMA_VERSION, ModuleSummary

if TYPE_CHECKING:
    import ast

    from suitelint.core.workspace import Workspace

KIND = "summaries"
SALT = f"summary-schema-{SCHEMA_VERSION}"
UNREADABLE = ModuleSummary(parsed=False)


def summary_memory(workspace: Workspace) -> dict[Path, ModuleSummary]:
    """The in-process summaries of files, by resolved path."""
    return workspace.extensions.setdefault("summaries", {})


def _by_text(workspace: Workspace) -> dict[str, ModuleSummary]:
    return workspace.extensions.setdefault("summaries_by_text", {})


def _hashes(workspace: Workspace) -> dict[Path, str]:
    """Content hashes of the texts the in-process summaries of files were built from."""
    return workspace.extensions.setdefault("summary_hashes", {})


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _store(workspace: Workspace):
    try:
        from suitelint.core.store import store_for
    except ImportError:  # pragma: no cover - the store is part of the engine
        return None
    return store_for(workspace)


def summary_of_file(workspace: Workspace, path: Path) -> ModuleSummary:
    """The summary of a file on disk (or of its open editor buffer)."""
    memory = summary_memory(workspace)
    found = memory.get(path)
    if found is not None:
        return found
    overlay = workspace.overlays.get(path)
    if overlay is not None:
        found = summary_of_text(workspace, overlay)
    else:
        found = _from_disk(workspace, path)
    memory[path] = found
    return found


def _from_disk(workspace: Workspace, path: Path) -> ModuleSummary:
    store = _store(workspace)
    if store is not None:
        cached = store.get(KIND, path, SALT)
        if isinstance(cached, ModuleSummary):
            return cached
    try:
        data = path.read_bytes()
    except OSError:
        return UNREADABLE
    text = decode(data)
    if isinstance(text, SourceProblem):
        summary = UNREADABLE
    else:
        _hashes(workspace)[path] = text_hash(text)
        summary = summarize_source(text, str(path))
    if store is not None:
        store.put(KIND, path, summary, SALT, data=data)
    return summary


def summary_of_text(workspace: Workspace, text: str, tree: ast.Module | None = None) -> ModuleSummary:
    """The summary of an in-memory text, reusing its tree if given."""
    key = text_hash(text)
    by_text = _by_text(workspace)
    found = by_text.get(key)
    if found is None:
        found = summarize(tree, text) if tree is not None else summarize_source(text)
        by_text[key] = found
    return found


def summary_of_checked_file(workspace: Workspace, path: Path, text: str,
                            tree: ast.Module | None = None) -> tuple[ModuleSummary, bool]:
    """The summary of the checked file's text, made the file's summary; and whether that changed it.

    When the file's summary is already known and was built from the same
    text (the usual case: the file was read as a dependency of another file
    first), it is reused.  When the text differs from what the known summary
    was built from (an unsaved editor buffer), the text wins and the caller
    must drop what was derived from the old summary.
    """
    key = text_hash(text)
    memory = summary_memory(workspace)
    known = memory.get(path)
    on_disk = _disk_hash(workspace, path) == key
    store = _store(workspace) if on_disk else None
    if on_disk:
        if known is None and store is not None:
            cached = store.get(KIND, path, SALT)
            if isinstance(cached, ModuleSummary):
                memory[path] = cached
                return cached, False
        if known is not None:
            return known, False
    found = summary_of_text(workspace, text, tree)
    memory[path] = found
    _hashes(workspace)[path] = key
    if store is not None:  # the disk holds this very text: later runs may reuse the summary
        store.put(KIND, path, found, SALT)
    return found, known is not None and known != found


def _disk_hash(workspace: Workspace, path: Path) -> str | None:
    hashes = _hashes(workspace)
    found = hashes.get(path)
    if found is None:
        try:
            text = decode(path.read_bytes())
        except OSError:
            return None
        if isinstance(text, SourceProblem):
            return None
        found = hashes[path] = text_hash(text)
    return found


def forget(workspace: Workspace, path: Path) -> None:
    """Drop the in-process summary of ``path`` (it changed on disk)."""
    summary_memory(workspace).pop(path, None)
    _hashes(workspace).pop(path, None)
    for model in workspace.extensions.get("project_models", {}).values():
        model.forget_derived()
