"""Files linted in a pool before other processes fork (the flake8 plugin).

flake8 runs the plugin file by file in ``-j`` worker processes and wants
each file's findings at once: a rule that needs a suite-wide view (every
fixture defined or requested anywhere, every test module's imports) would
make each worker summarise the whole suite itself, parsing every file again,
and the two passes of ``suitelint check`` (each file parsed once, see
:mod:`suitelint.core.deferral`) are not possible file by file.  So when
flake8 will fork workers for many files, the plugin lints the files flake8
is about to check exactly as ``suitelint check`` does, in a pool of its own,
while flake8 is still parsing options; flake8's workers inherit the
findings in memory (:class:`Prelinted`) and answer from them each file whose
text is the one that was linted.  Without a fork start method, with one job
or few files, nothing is done: the workers lint by themselves.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.paths import resolved
from suitelint.core.runner import MIN_FILES_FOR_DEFERRAL, CacheFactory, WorkspaceSpec, iter_results
from suitelint.core.source import is_file_text

Stamp = tuple[int, int]  # a file's modification time (ns) and size


@dataclass
class Prelinted:
    """Findings of files linted ahead, each with the stamp its file had before it was read."""

    findings: dict[Path, tuple[Stamp, list[Diagnostic]]] = field(default_factory=dict)

    def answer(self, path: Path, text: str) -> list[Diagnostic] | None:
        """The findings of ``path`` if ``text`` is what was linted (the file is unchanged since), else None."""
        try:
            entry = self.findings.get(resolved(path))
        except (OSError, RuntimeError):
            return None
        if entry is None:
            return None
        stamp, diagnostics = entry
        if _stamp(path) != stamp or not is_file_text(path, text):
            return None  # edited since, or flake8 got another text (an editor buffer): linted afresh
        return diagnostics


def _stamp(path: Path) -> Stamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def prelint(files: list[Path], jobs: int, spec: WorkspaceSpec,
            cache_factory: CacheFactory | None = None) -> Prelinted | None:
    """Lint ``files`` (resolved paths) in a pool, for processes forked later; None when not worth it."""
    if jobs < 2 or multiprocessing.parent_process() is not None:
        return None  # one process, or already a worker
    if "fork" not in multiprocessing.get_all_start_methods():
        return None  # later processes would not inherit the findings
    if len(files) < MIN_FILES_FOR_DEFERRAL:
        return None
    stamps = {path: _stamp(path) for path in files}
    prelinted = Prelinted()
    workspace = spec.build()
    for result in iter_results(files, workspace, jobs=jobs, cache_factory=cache_factory):
        stamp = stamps.get(result.path)
        if stamp is not None:
            prelinted.findings[result.path] = (stamp, result.diagnostics)
    return prelinted
