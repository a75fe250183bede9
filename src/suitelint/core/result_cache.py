"""The per-file results cache: skip files whose findings cannot have changed.

An entry holds a file's findings together with the stamps (mtime, size; or
"absent") of every other file they were computed from: the pytest inifile,
the suitelint config, conftest.py files, imported project modules, files a
rule probed and found missing.  It is valid while the file itself (by stamp,
then content hash), the configuration fingerprint (suitelint version,
settings, pytest ini, selected rules) and every dependency's stamp are
unchanged.  Stored in :mod:`suitelint.core.store`, so it is shared by the
processes of a run and survives between runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from suitelint.core.fingerprint import code_fingerprint
from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import FileResult
from suitelint.core.store import FileStamp, Store, store_for
from suitelint.core.workspace import Workspace

KIND = "results"


def _salt(workspace: Workspace, path: Path, select: list[str] | None) -> str:
    """What shaped a file's findings besides the files themselves: code, configuration, module name."""
    bases: dict[tuple[Path, tuple[str, ...] | None], str] = workspace.extensions.setdefault("result_salts", {})
    key = (path.parent, tuple(select) if select is not None else None)
    base = bases.get(key)
    if base is None:
        settings = workspace.settings_for(path)
        pytest = workspace.pytest_for(path)
        raw = repr((code_fingerprint(), settings.fingerprint, pytest.fingerprint, select))
        base = bases[key] = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return f"{base}:{workspace.module_name(path)}"


def _stamps(paths: Iterable[Path]) -> dict[str, FileStamp | None]:
    return {str(p): FileStamp.of(p) for p in paths}


def _still_valid(dependencies: dict[str, FileStamp | None], seen: dict[str, FileStamp | None]) -> bool:
    for name, stamp in dependencies.items():
        current = seen.get(name, ...)
        if current is ...:
            current = seen[name] = FileStamp.of(Path(name))
        if current != stamp:
            return False
    return True


class ResultCache:
    """Looks up and records lint results for one run (``store`` None: no cache)."""

    def __init__(self, workspace: Workspace, store: Store | None = None) -> None:
        self.workspace = workspace
        self.store = store if store is not None else store_for(workspace)
        self._seen: dict[str, FileStamp | None] = {}
        self.hits = 0
        self.misses = 0

    def lookup(self, path: Path, select: list[str] | None = None) -> list[Diagnostic] | None:
        entry = self.store.get(KIND, path, _salt(self.workspace, path, select))
        if entry is None:
            self.misses += 1
            return None
        diagnostics, dependencies = entry
        if not _still_valid(dependencies, self._seen):
            self.misses += 1
            return None
        self.hits += 1
        display = self.workspace.relative(path)
        return [d if d.path == display else replace(d, path=display) for d in diagnostics]

    def record(self, result: FileResult, select: list[str] | None = None) -> None:
        if result.gave_up:  # findings cut short by the time budget depend on timing: never cache them
            return
        dependencies = _stamps(p for p in result.dependencies if p != result.path)
        value = (tuple(result.diagnostics), dependencies)
        self.store.put(KIND, result.path, value, _salt(self.workspace, result.path, select))
