"""The per-file results cache: skip files whose findings cannot have changed.

An entry holds a file's findings together with the stamps (mtime, size; or
"absent") of every other file they were computed from: the pytest inifile,
the suitelint config, conftest.py files, imported project modules, files a
rule probed and found missing.  Files read only through their summaries
(suite-wide views: every test module's fixtures and requests, the project's
imports and environment reads) also keep a summary token
(:mod:`suitelint.project.tokens`).  An entry is valid while the file itself
(by stamp, then content hash), the configuration fingerprint (suitelint
version, settings, pytest ini, selected rules) and every dependency's stamp
are unchanged; a summary dependency whose stamp changed still counts as
unchanged while its token is the same, so editing one test's body does not
re-lint every file of the suite.  Stored in :mod:`suitelint.core.store`, so
it is shared by the processes of a run and survives between runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from suitelint.core.fingerprint import code_fingerprint
from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import FileResult
from suitelint.core.store import FileStamp, Store, store_for
from suitelint.core.workspace import Workspace

KIND = "results"
GROUPS = "depgroups"
# one file holding a run's entries and their groups (see ResultCache.open_pack)
PACKS = "result-packs"
PACK_SLACK = 16  # entries a pack may fail to answer before the run writes it again


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


def _digest(names: list[str]) -> str:
    return hashlib.blake2b("\0".join(names).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _stamps(paths: Iterable[Path]) -> dict[str, FileStamp | None]:
    return {str(p): FileStamp.of(p) for p in paths}


def _summary_token(workspace: Workspace, path: Path) -> str | None:
    from suitelint.project.tokens import summary_token

    try:
        return summary_token(workspace, path)
    except Exception:  # noqa: BLE001 - a file that cannot be summarised has no token: lint again
        return None


# a summary dependency as recorded: the file's stamp and summary token then
Recorded = tuple[FileStamp | None, str | None]


class ResultCache:
    """Looks up and records lint results for one run (``store`` None: no cache).

    An entry is ``(diagnostics, dependencies, singles, groups)``: the stamps
    of the files read whole; the summary dependencies read one by one, as
    :data:`Recorded` pairs; and the keys of the groups of summary
    dependencies (:class:`~suitelint.core.dependencies.SummaryDependencies`),
    each stored once (kind ``"depgroups"``, content-addressed) and checked
    once per run however many entries share it.
    """

    def __init__(self, workspace: Workspace, store: Store | None = None, *, kind: str = KIND) -> None:
        self.workspace = workspace
        self.store = store if store is not None else store_for(workspace)
        self.kind = kind  # entries of other kinds hold findings computed differently (flake8: before noqa)
        self._seen: dict[str, FileStamp | None] = {}
        self._tokens: dict[str, str | None] = {}
        # the last recorded (stamp, token) of files, from entries and groups read: reused when recording
        self._known: dict[str, Recorded] = {}
        self._groups_valid: dict[str, bool] = {}
        self._group_keys: dict[frozenset[Path], str] = {}
        self.hits = 0
        self.misses = 0
        # the run's pack (see open_pack): its name, its entries, and the hits it did not answer
        self._pack_name: str | None = None
        self._packed: dict[tuple[str, str], Any] = {}
        self._unpacked = 0

    # -- a run's entries in one file ---------------------------------------------------
    def open_pack(self, paths: Sequence[Path]) -> None:
        """Read the entries (and their groups) of a run over ``paths`` from one file, if a run wrote one.

        A warm run then reads one file instead of one per checked file.  The
        packed entries are validated like the others: an entry whose file's
        stamp changed is read from its own file, and the pack is written again
        (:meth:`close_pack`) when many of its entries no longer answer.
        """
        if self.store.directory is None:
            return
        self._pack_name = f"{self.kind}:{_digest(sorted(map(str, paths)))}"
        packed = self.store.get_named(PACKS, self._pack_name)
        if isinstance(packed, dict):
            self._packed = packed
            memory = self.store.memory
            for key, entry in packed.items():
                memory.setdefault(key, entry)

    def close_pack(self, paths: Sequence[Path]) -> None:
        """Write the run's pack when it was missing or many of its entries did not answer."""
        if self._pack_name is None or self.store.directory is None:
            return
        if self._packed and self.misses + self._unpacked <= max(PACK_SLACK, len(paths) // 10):
            return
        memory = self.store.memory
        packed: dict[tuple[str, str], Any] = {}
        for path in paths:
            key = (self.kind, str(path))
            entry = memory.get(key)
            if entry is None or entry[0] != FileStamp.of(path):
                # recorded by a worker process: read back from its file
                if self.store.get(self.kind, path, _salt(self.workspace, path, None)) is None:
                    continue
                entry = memory.get(key)
                if entry is None:
                    continue
            packed[key] = entry
            for group in entry[3][3]:
                group_key = (GROUPS, "#" + group)
                if group_key not in packed and self.store.get_blob(GROUPS, group) is not None:
                    packed[group_key] = memory[group_key]
        self.store.put_named(PACKS, self._pack_name, packed)

    def lookup(self, path: Path, select: list[str] | None = None) -> list[Diagnostic] | None:
        salt = _salt(self.workspace, path, select)
        entry = self.store.get(self.kind, path, salt, on_stale=self._remember)
        packed = False
        if entry is not None and self._pack_name is not None:
            key = (self.kind, str(path))
            packed = self.store.memory.get(key) is self._packed.get(key, self)
            if packed and not self._still_valid(*entry[1:]):
                # the file was linted again since the pack was written (a dependency changed): its
                # own entry is newer
                del self.store.memory[key]
                entry = self.store.get(self.kind, path, salt, on_stale=self._remember)
                packed = False
            if not packed:
                self._unpacked += 1  # answered by its own file: the pack is out of date for it
        if entry is None:
            self.misses += 1
            return None
        diagnostics, dependencies, singles, groups = entry
        if not (packed or self._still_valid(dependencies, singles, groups)):
            self._known.update(singles)
            self.misses += 1
            return None
        self.hits += 1
        display = self.workspace.relative(path)
        return [d if d.path == display else replace(d, path=display) for d in diagnostics]

    def _remember(self, stale: object) -> None:
        """Keep the tokens of an entry for an older content of its file (see ``record``)."""
        if isinstance(stale, tuple) and len(stale) == 4 and isinstance(stale[2], dict):
            self._known.update(stale[2])

    def adopt_tokens(self, tokens: dict[str, str | None]) -> None:
        """Summary tokens another process of this run computed (files unchanged since)."""
        for name, token in tokens.items():
            self._tokens.setdefault(name, token)

    def _stamp(self, name: str) -> FileStamp | None:
        """A file's stamp, taken once per run (None: absent)."""
        if name not in self._seen:
            self._seen[name] = FileStamp.of(name)
        return self._seen[name]

    def _token(self, name: str) -> str | None:
        """A file's summary token now, computed once per run (None: it has none)."""
        if name not in self._tokens:
            self._tokens[name] = _summary_token(self.workspace, Path(name))
        return self._tokens[name]

    def _unchanged(self, recorded: dict[str, Recorded]) -> bool:
        for name, (stamp, token) in recorded.items():
            if self._stamp(name) != stamp and (token is None or self._token(name) != token):
                return False
        return True

    def _group_valid(self, key: str) -> bool:
        valid = self._groups_valid.get(key)
        if valid is None:
            recorded = self.store.get_blob(GROUPS, key)
            valid = isinstance(recorded, dict) and self._unchanged(recorded)
            if isinstance(recorded, dict):
                self._known.update(recorded)
            self._groups_valid[key] = valid
        return valid

    def _still_valid(self, dependencies: dict[str, FileStamp | None], singles: dict[str, Recorded],
                     groups: tuple[str, ...]) -> bool:
        for name, stamp in dependencies.items():
            if self._stamp(name) != stamp:
                return False
        return self._unchanged(singles) and all(self._group_valid(key) for key in groups)

    def _recorded(self, path: Path) -> Recorded:
        """A summary dependency's stamp and token now (the token read back when the stamp is known)."""
        name = str(path)
        stamp = FileStamp.of(path)
        known = self._known.get(name)
        if known is not None and known[0] == stamp and known[1] is not None:
            return known
        return stamp, self._token(name)

    def _group_key(self, group: frozenset[Path]) -> str:
        key = self._group_keys.get(group)
        if key is None:
            recorded = {str(p): self._recorded(p) for p in sorted(group)}
            key = hashlib.blake2b(repr(sorted(recorded.items())).encode("utf-8", "surrogatepass"),
                                  digest_size=16).hexdigest()
            self.store.put_blob(GROUPS, key, recorded)
            self._group_keys[group] = key
            self._groups_valid[key] = True
        return key

    def record(self, result: FileResult, select: list[str] | None = None) -> None:
        if result.gave_up:  # findings cut short by the time budget depend on timing: never cache them
            return
        dependencies = _stamps(p for p in result.dependencies if p != result.path)
        summary = result.summary_dependencies
        singles = {str(p): self._recorded(p) for p in summary.singles
                   if p != result.path and str(p) not in dependencies}
        groups = tuple(self._group_key(group) for group in summary.groups)
        value = (tuple(result.diagnostics), dependencies, singles, groups)
        self.store.put(self.kind, result.path, value, _salt(self.workspace, result.path, select))
