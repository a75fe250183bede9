"""The flake8 plugin: ``flake8 --select=TST`` runs suitelint's rules.

flake8 hands a tree plugin the file's ``lines``; the plugin lints that text
with the same engine as ``suitelint check`` (so an unsaved buffer piped
through ``flake8 -`` is what gets checked), through ONE :class:`Workspace`
per process: flake8's ``-j`` workers each build their own on first use and
keep it, so project-wide knowledge (settings per directory, pytest
configuration, module map, fixture index) is built once per worker, not per
file.  The workspace reads ``[tool.suitelint]`` itself (flake8 never reads
pyproject.toml); flake8 applies ``# noqa`` and its own ``--select``/``--ignore``
on top.  Columns: flake8 prints the 0-based column of the tuple plus one,
which gives suitelint's 1-based column.

Findings of a file flake8 read from disk unchanged are kept in suitelint's
results cache (the same store and validity rules as ``suitelint check``, in
entries of their own since flake8 wants them before ``# noqa``), so a second
``flake8`` run over an unchanged tree costs little more than flake8 itself.
``--suitelint-no-cache`` turns that off, ``--suitelint-cache-dir`` moves it.

When flake8 will fork ``-j`` workers for many files, the plugin lints those
files first, the way ``suitelint check`` does (each file parsed once, in a
pool), in flake8's main process while it parses options
(:mod:`suitelint.core.prelint`): the workers inherit the findings and answer
each unchanged file from them, so that none of them parses the whole suite
again for a suite-wide view.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Any, ClassVar, Iterator, Sequence

from suitelint import __version__
from suitelint.config import ConfigError
from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import lint_file
from suitelint.core.prelint import Prelinted, prelint
from suitelint.core.result_cache import ResultCache
from suitelint.core.source import is_file_text
from suitelint.core.runner import WorkspaceSpec
from suitelint.core.workspace import Workspace

STDIN_NAMES = frozenset({"-", "stdin", "<stdin>"})
STDIN_PATH = "stdin.py"

# entries of the results cache for findings before noqa comments apply (flake8 applies them)
CACHE_KIND = "results-flake8"

_WORKSPACES: dict[Path, Workspace] = {}
_CACHES: dict[Path, ResultCache] = {}


def workspace_for(cwd: Path) -> Workspace:
    """The process's workspace for a working directory (created once)."""
    workspace = _WORKSPACES.get(cwd)
    if workspace is None:
        workspace = Workspace(cwd=cwd)
        if Flake8Plugin.no_cache:
            workspace.extensions["cache_dir"] = None
        elif Flake8Plugin.cache_dir is not None:
            workspace.extensions["cache_dir"] = Flake8Plugin.cache_dir
        _WORKSPACES[cwd] = workspace
    return workspace


def cache_for(cwd: Path, workspace: Workspace) -> ResultCache | None:
    """The process's results cache for a working directory (None with ``--suitelint-no-cache``)."""
    if Flake8Plugin.no_cache:
        return None
    cache = _CACHES.get(cwd)
    if cache is None:
        cache = _CACHES[cwd] = ResultCache(workspace, kind=CACHE_KIND)
    return cache


def flake8_cache(workspace: Workspace) -> ResultCache:
    """The results cache of the files linted ahead (see :func:`Flake8Plugin.parse_options`)."""
    return ResultCache(workspace, kind=CACHE_KIND)


def checked_path(filename: str, cwd: Path) -> Path:
    if filename in STDIN_NAMES:
        return cwd / STDIN_PATH
    path = Path(filename)
    return path if path.is_absolute() else cwd / path


def flake8_files(options: Any) -> list[Path]:
    """The Python files flake8 will check with ``options`` (empty for stdin, or when that cannot be told)."""
    try:
        from flake8.discover_files import expand_paths
    except ImportError:  # pragma: no cover - a flake8 without it: nothing is linted ahead
        return []
    paths = list(getattr(options, "filenames", None) or ["."])
    if "-" in paths:
        return []
    exclude = [*(getattr(options, "exclude", None) or ()), *(getattr(options, "extend_exclude", None) or ())]
    try:
        found = expand_paths(paths=paths, stdin_display_name=getattr(options, "stdin_display_name", "stdin"),
                             filename_patterns=list(getattr(options, "filename", None) or ["*.py"]),
                             exclude=exclude)
        return [Path(name).resolve() for name in found if name.endswith(".py")]
    except (OSError, TypeError, ValueError):
        return []


def stdin_directories(options: Any, cwd: Path) -> set[Path]:
    """The directory of the name flake8 gives standard input (``--stdin-display-name``), if it reads it."""
    if "-" not in (getattr(options, "filenames", None) or ()):
        return set()
    display = getattr(options, "stdin_display_name", None) or "stdin"
    return {checked_path(display, cwd).parent}


def job_count(options: Any) -> int:
    jobs = getattr(options, "jobs", None)
    if jobs is None:
        return 1
    if getattr(jobs, "is_auto", False):
        return os.cpu_count() or 1
    try:
        return int(getattr(jobs, "n_jobs", jobs))
    except (TypeError, ValueError):
        return 1


class Flake8Plugin:
    name = "suitelint"
    version = __version__

    # set from flake8's options (parse_options), for every file of the run
    no_cache: ClassVar[bool] = False
    cache_dir: ClassVar[Path | None] = None
    # the findings of the files linted before flake8 forks its workers (None: each file is linted alone)
    prelinted: ClassVar[Prelinted | None] = None

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        self.filename = filename
        self.lines = lines
        self.tree = tree if isinstance(tree, ast.Module) else None

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--suitelint-no-cache", action="store_true", default=False, parse_from_config=True,
            help="suitelint: neither read nor write suitelint's cache (.suitelint_cache/)",
        )
        manager.add_option(
            "--suitelint-cache-dir", default=None, parse_from_config=True,
            help="suitelint: the cache directory (default: .suitelint_cache/ in the project root)",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.no_cache = bool(getattr(options, "suitelint_no_cache", False))
        raw = getattr(options, "suitelint_cache_dir", None)
        cls.cache_dir = Path(raw).resolve() if raw else None
        cwd = Path.cwd().resolve()
        files = flake8_files(options)
        try:
            # a broken configuration stops the run here with its file and key, as `suitelint check`
            # does, not with a traceback from every worker
            workspace = workspace_for(cwd)
            for directory in sorted({path.parent for path in files} | {cwd} | stdin_directories(options, cwd)):
                workspace.settings_for(directory / "__init__.py")
            # in flake8's main process, before it forks its workers (see suitelint.core.prelint); the
            # findings are kept before noqa comments apply, in the cache entries of this plugin
            spec = WorkspaceSpec(cwd=cwd, cache_dir=cls.cache_dir, no_cache=cls.no_cache, apply_noqa=False)
            cls.prelinted = prelint(files, job_count(options), spec, None if cls.no_cache else flake8_cache)
        except ConfigError as exc:
            print(f"flake8: suitelint: error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        cwd = Path.cwd().resolve()
        workspace = workspace_for(cwd)
        path = checked_path(self.filename, cwd)
        text = "".join(self.lines)
        for diagnostic in self._diagnostics(workspace, cwd, path, text):
            yield (diagnostic.line, diagnostic.column - 1, f"{diagnostic.code} {diagnostic.message}", type(self))

    def _diagnostics(self, workspace: Workspace, cwd: Path, path: Path, text: str) -> list[Diagnostic]:
        # findings linted ahead and the cache answer for a file as it is on disk: not for stdin, nor
        # for a text flake8 got elsewhere
        from_disk = self.filename not in STDIN_NAMES
        if self.prelinted is not None and from_disk:
            found = self.prelinted.answer(path, text)
            if found is not None:
                return found
        cache = cache_for(cwd, workspace) if from_disk else None
        if cache is not None and not is_file_text(path, text):
            cache = None
        if cache is not None:
            cached = cache.lookup(path)
            if cached is not None:
                return cached
        result = lint_file(path, workspace, source=text, apply_noqa=False, tree=self.tree)
        if cache is not None:
            cache.record(result)
        return result.diagnostics
