"""Linting many files: in-process or in a pool of worker processes.

The unit of work is :func:`lint_one`, which lints ONE path and returns a
picklable :class:`~suitelint.core.engine.FileResult`; it is also where a
per-file results cache plugs in (:class:`ResultCache`: look up before
linting, record after; each process builds its own from its workspace with
the ``cache_factory`` given to :func:`lint_paths`).  :func:`lint_paths` fans
the paths out over worker processes (:mod:`suitelint.core.pool`), each
building its own :class:`RunWorkspace` from the same :class:`WorkspaceSpec`,
and returns the findings sorted by path, line, column and code, so the
result does not depend on the number of jobs.  A run of many files takes two
passes, so that each file is parsed once (:mod:`suitelint.core.deferral`).

Selection from the command line follows ruff: ``--select`` replaces the
configured selection (then ``--ignore``/``--extend-select`` of the command line
apply to it); without ``--select``, ``--ignore`` and ``--extend-select`` add to
the configured ones.  :class:`RunWorkspace` does the adding, per settings file.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol, Sequence, runtime_checkable

from suitelint.config.settings import Settings
from suitelint.core import pool
from suitelint.core.deferral import deferred, merge
from suitelint.core.dependencies import SummaryDependencies
from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import FileResult, finish_pending, lint_file
from suitelint.core.fixer import apply_fixes
from suitelint.core.source import read_source
from suitelint.core.store import store_for
from suitelint.core.workspace import Workspace

# below this many files a pool costs more than it saves
MIN_FILES_FOR_POOL = 20
# from this many files on, suite-wide views wait until every file is summarised (suitelint.core.deferral)
MIN_FILES_FOR_DEFERRAL = 40
MAX_FIX_ROUNDS = 10
BARE_LF = re.compile(r"(?<!\r)\n")


@dataclass(frozen=True)
class WorkspaceSpec:
    """What a worker process needs to build the same workspace as the parent."""

    cwd: Path
    config_file: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    # the on-disk cache (suitelint.core.store): a directory, or off with no_cache
    cache_dir: Path | None = None
    no_cache: bool = False
    # False: findings are kept whatever the file's ``# noqa`` comments say (flake8 applies them itself)
    apply_noqa: bool = True

    def build(self) -> RunWorkspace:
        workspace = RunWorkspace(self)
        if self.no_cache:
            workspace.extensions["cache_dir"] = None
        elif self.cache_dir is not None:
            workspace.extensions["cache_dir"] = self.cache_dir
        return workspace


class RunWorkspace(Workspace):
    """A :class:`Workspace` with the command line's rule selection merged into every Settings."""

    def __init__(self, spec: WorkspaceSpec) -> None:
        overrides: dict[str, Any] = {}
        if spec.select is not None:
            overrides = {"select": spec.select, "ignore": spec.ignore, "extend_select": spec.extend_select}
        super().__init__(config_file=spec.config_file, overrides=overrides, cwd=spec.cwd)
        self.spec = spec
        self._merged: dict[int, tuple[Settings, Settings]] = {}

    def settings_for(self, path: Path) -> Settings:
        settings = super().settings_for(path)
        if self.spec.select is not None or not (self.spec.ignore or self.spec.extend_select):
            return settings
        entry = self._merged.get(id(settings))
        if entry is None or entry[0] is not settings:
            merged = replace(
                settings,
                ignore=(*settings.ignore, *self.spec.ignore),
                extend_select=(*settings.extend_select, *self.spec.extend_select),
            )
            entry = (settings, merged)
            self._merged[id(settings)] = entry
        return entry[1]


class ResultCache(Protocol):
    """A per-file results cache: findings valid while the file and its dependencies are unchanged."""

    def lookup(self, path: Path) -> list[Diagnostic] | None: ...

    def record(self, result: FileResult) -> None: ...


@runtime_checkable
class PackedCache(ResultCache, Protocol):
    """A results cache that reads a whole run's entries from one file (see ResultCache.open_pack)."""

    def open_pack(self, paths: Sequence[Path]) -> None: ...

    def close_pack(self, paths: Sequence[Path]) -> None: ...


# builds a process's cache from its workspace; must be picklable (a class or module-level function)
CacheFactory = Callable[[Workspace], ResultCache]


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0
    # display path -> text, for the files with findings (source frames, fixes)
    sources: dict[str, str] = field(default_factory=dict)
    # display path -> absolute path of every checked file
    paths: dict[str, Path] = field(default_factory=dict)
    # problems that did not stop the run (a cache directory that became unwritable), first one first
    warnings: list[str] = field(default_factory=list)

    def source_of(self, display_path: str) -> str | None:
        """A checked file's text: as linted, or read again (results from a cache carry none)."""
        text = self.sources.get(display_path)
        if text is None and display_path in self.paths:
            read = read_source(self.paths[display_path])
            if isinstance(read, str):
                text = self.sources[display_path] = read
        return text


def lint_one(path: Path, workspace: Workspace, cache: ResultCache | None = None) -> FileResult:
    """Lint one file; the seam where a results cache answers instead of the engine."""
    if cache is not None:
        cached = cache.lookup(path)
        if cached is not None:
            return FileResult(path=path, display_path=workspace.relative(path), diagnostics=cached)
    return lint_and_record(path, workspace, cache)


def lint_and_record(path: Path, workspace: Workspace, cache: ResultCache | None) -> FileResult:
    """Lint one file the cache has no valid answer for, and record the result."""
    result = lint_file(path, workspace, apply_noqa=_noqa(workspace))
    if cache is not None:
        cache.record(result)
    return result


def _noqa(workspace: Workspace) -> bool:
    """Whether a run's findings go through ``# noqa`` comments (see :attr:`WorkspaceSpec.apply_noqa`)."""
    return workspace.spec.apply_noqa if isinstance(workspace, RunWorkspace) else True


def _slim(result: FileResult) -> FileResult:
    """What travels back from a worker: the source only when there are findings, no dependencies.

    (The worker recorded the dependencies in the cache; the parent only reports findings.)
    """
    if not result.diagnostics:
        result.source = None
    result.dependencies = set()
    result.summary_dependencies = SummaryDependencies()
    return result


# -- the passes of a run, each in-process or as a worker's task ---------------------
def _lint_chunk(paths: list[Path]) -> tuple[list[FileResult], str | None]:
    """A worker's chunk of a one-pass run: each file linted, recorded, slimmed."""
    workspace, cache = pool.worker()
    # the parent looked every path up in the cache already: these are the misses
    results = [_slim(lint_and_record(path, workspace, cache)) for path in paths]
    return results, pool.first_warning(workspace)


def _first_pass_chunk(paths: list[Path]) -> tuple[list[FileResult], dict[tuple[str, str], Any],
                                                  dict[str, str | None], str | None]:
    """A worker's chunk of the first pass: results, the files' summaries and their tokens.

    Nothing is recorded yet: a result that depends on a suite-wide view can
    only be recorded with the tokens of every file of it (see :func:`complete`).
    """
    workspace, cache = pool.worker()
    noqa = _noqa(workspace)
    results = [_unfinished(lint_file(path, workspace, apply_noqa=noqa), cache is not None) for path in paths]
    summarised = [_resolved(path) for path in paths]
    entries = store_for(workspace).export(pool.SHARED_KINDS, summarised)
    tokens: dict[str, str | None] = {}
    if cache is not None:
        from suitelint.project.tokens import summary_token

        for path in summarised:
            try:
                tokens[str(path)] = summary_token(workspace, path)
            except Exception:  # noqa: BLE001 - a file that cannot be summarised has no token
                tokens[str(path)] = None
    return results, entries, tokens, pool.first_warning(workspace)


def _second_pass_chunk(first: list[FileResult]) -> tuple[list[FileResult], str | None]:
    """A worker's chunk of the second pass: results completed, recorded, slimmed."""
    workspace, cache = pool.worker()
    return [_slim(complete(result, workspace, cache)) for result in first], pool.first_warning(workspace)


def _unfinished(result: FileResult, recording: bool) -> FileResult:
    """A first-pass result as it travels on: whole while the second pass still needs it."""
    if result.deferred or result.pending or recording:
        if not result.diagnostics and not (result.deferred or result.pending):
            result.source = None
        return result
    return _slim(result)


def _second_pass_needed(result: FileResult, cache: object) -> bool:
    return bool(result.deferred or result.pending) or cache is not None


def complete(result: FileResult, workspace: Workspace, cache: ResultCache | None) -> FileResult:
    """A first-pass result, once every file is summarised: what it owes run and merged, then recorded."""
    noqa = _noqa(workspace)
    if result.deferred:
        # (the rules that finish a pending step do not run again: they are not selected)
        result = merge(result, lint_file(result.path, workspace, select=list(result.deferred),
                                         pending=result.pending, apply_noqa=noqa))
    elif result.pending:
        result = merge(result, finish_pending(result.path, workspace, result.pending, apply_noqa=noqa))
    if cache is not None:
        cache.record(result)
    return result


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def store_warning(workspace: Workspace) -> str | None:
    """Why this process's cache store stopped writing to disk, if it did."""
    store = workspace.extensions.get("store")
    return getattr(store, "warning", None) if store is not None else None


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def iter_results(
    paths: Sequence[Path],
    workspace: Workspace,
    *,
    jobs: int | None = None,
    cache_factory: CacheFactory | None = None,
    warnings: list[str] | None = None,
) -> Iterator[FileResult]:
    """Each file's result (cached ones first, then as they are done).

    Cached results are looked up in this process first; only the misses are
    linted, in a process pool when there are enough of them, so that a warm
    run never pays for starting workers.  Many misses are linted in two
    passes (:mod:`suitelint.core.deferral`): every file once, with the
    suite-wide views deferred and nothing recorded; then, with every file
    summarised, what the results owe is run and they are recorded.  Workers'
    store warnings (a cache directory that became unwritable) are appended
    to ``warnings``.
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    cache = cache_factory(workspace) if cache_factory is not None else None
    packed = isinstance(cache, PackedCache)
    if packed:
        cache.open_pack(paths)  # type: ignore[union-attr]
    yield from _results(paths, workspace, jobs, cache, cache_factory, warnings)
    if packed:
        cache.close_pack(paths)  # type: ignore[union-attr]


def _results(paths: Sequence[Path], workspace: Workspace, jobs: int, cache: ResultCache | None,
             cache_factory: CacheFactory | None, warnings: list[str] | None) -> Iterator[FileResult]:
    spec = workspace.spec if isinstance(workspace, RunWorkspace) else None
    if spec is None and not workspace.overrides:
        spec = WorkspaceSpec(cwd=workspace.cwd, config_file=workspace.config_file)
    misses: list[Path] = []
    for path in paths:
        cached = cache.lookup(path) if cache is not None else None
        if cached is not None:
            yield FileResult(path=path, display_path=workspace.relative(path), diagnostics=cached)
        else:
            misses.append(path)
    two_passes = len(misses) >= MIN_FILES_FOR_DEFERRAL
    if jobs == 1 or len(misses) < MIN_FILES_FOR_POOL or spec is None:
        # (a plain Workspace with overrides cannot be rebuilt in a worker: lint in-process)
        if not two_passes:
            for path in misses:
                yield lint_and_record(path, workspace, cache)
            return
        noqa = _noqa(workspace)
        with deferred(workspace):
            first = [lint_file(path, workspace, apply_noqa=noqa) for path in misses]
        for result in first:
            yield complete(result, workspace, cache)
        return
    if not two_passes:
        for (results,) in pool.pooled(_lint_chunk, pool.chunks(misses, jobs), spec, cache_factory, jobs,
                                      warnings=warnings):
            yield from results
        return
    shared = pool.Shared()
    second: list[FileResult] = []
    for results, entries, tokens in pool.pooled(_first_pass_chunk, pool.chunks(misses, jobs), spec,
                                                cache_factory, jobs, defer=True, warnings=warnings):
        shared.update(entries, tokens)
        for result in results:
            if _second_pass_needed(result, cache):
                second.append(result)
            else:
                yield result
    if len(second) < MIN_FILES_FOR_POOL:
        shared.adopt(workspace, cache)
        for result in second:
            yield _slim(complete(result, workspace, cache))
        return
    for (results,) in pool.pooled(_second_pass_chunk, pool.chunks(second, jobs), spec, cache_factory, jobs,
                                  shared=shared, warnings=warnings):
        yield from results


def lint_paths(
    paths: Sequence[Path],
    workspace: Workspace,
    *,
    jobs: int | None = None,
    cache_factory: CacheFactory | None = None,
    progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Lint ``paths``; ``progress`` is called with the number of files done after each file."""
    run = RunResult()
    for result in iter_results(paths, workspace, jobs=jobs, cache_factory=cache_factory, warnings=run.warnings):
        run.files_checked += 1
        run.paths[result.display_path] = result.path
        if result.diagnostics:
            run.diagnostics.extend(result.diagnostics)
            if result.source is not None:
                run.sources[result.display_path] = result.source
        if progress is not None:
            progress(run.files_checked)
    own = store_warning(workspace)
    if own is not None:
        run.warnings.insert(0, own)
    run.diagnostics.sort(key=Diagnostic.sort_key)
    return run


# -- fixes ----------------------------------------------------------------------
@dataclass
class FixOutcome:
    path: Path
    display_path: str
    original: str
    fixed: str
    diagnostics: list[Diagnostic]  # what remains after fixing
    fixed_count: int

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.original.splitlines(keepends=True),
            self.fixed.splitlines(keepends=True),
            fromfile=f"a/{self.display_path}",
            tofile=f"b/{self.display_path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def applicable(diagnostic: Diagnostic, unsafe: bool) -> bool:
    return diagnostic.fix is not None and (unsafe or diagnostic.fix.is_safe)


def fix_file(path: Path, workspace: Workspace, text: str, diagnostics: list[Diagnostic], *,
             unsafe: bool = False) -> FixOutcome:
    """Apply fixes to ``text`` until none applies (at most 10 rounds), re-linting after each round."""
    display = workspace.relative(path)
    current = text
    remaining = diagnostics
    crlf = "\r\n" in text and BARE_LF.search(text) is None
    for _ in range(MAX_FIX_ROUNDS):
        fixes = [d.fix for d in remaining if d.fix is not None and applicable(d, unsafe)]
        if not fixes:
            break
        updated = apply_fixes(current, fixes, unsafe=unsafe)
        if crlf:  # fixes insert "\n"; a file with Windows line endings keeps them
            updated = BARE_LF.sub("\r\n", updated)
        if updated == current:
            break
        current = updated
        remaining = lint_file(path, workspace, source=current).diagnostics
    before = Counter(d.code for d in diagnostics)
    after = Counter(d.code for d in remaining)
    fixed_count = sum(max(0, count - after[code]) for code, count in before.items())
    return FixOutcome(path, display, text, current, list(remaining), fixed_count)
