"""Summaries of many files computed in a pool before other processes fork (the flake8 plugin).

flake8 runs the plugin file by file in ``-j`` worker processes, and wants
each file's findings at once: a rule that needs a suite-wide view (every
fixture defined or requested anywhere, every test module's imports) would
make each worker summarise the whole suite itself, parsing every file again
(the two passes of ``suitelint check`` are not possible there).  So when
flake8 will fork workers for many files, the plugin first summarises the
files flake8 is about to check, in a pool of its own, while flake8 is still
parsing options; flake8's workers inherit the summaries in memory.  Without
a fork start method, with one job or few files, nothing is done.
"""

from __future__ import annotations

import gc
import multiprocessing
from pathlib import Path
from typing import Any

from suitelint.core import collector, pool
from suitelint.core.parsing import parse
from suitelint.core.source import read_source
from suitelint.core.runner import MIN_FILES_FOR_DEFERRAL, WorkspaceSpec
from suitelint.core.store import store_for
from suitelint.core.workspace import Workspace


def prewarm(files: list[Path], jobs: int, workspace: Workspace, spec: WorkspaceSpec) -> int:
    """Summarise ``files`` into ``workspace``'s store, for processes forked later; how many it did."""
    if jobs < 2 or multiprocessing.parent_process() is not None:
        return 0  # one process, or already a worker
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0  # later processes would not inherit the summaries
    if len(files) < MIN_FILES_FOR_DEFERRAL:
        return 0
    shared = pool.Shared()
    for (entries,) in pool.pooled(_summarise_chunk, pool.chunks(files, jobs), spec, None, jobs):
        shared.update(entries, {})
    shared.adopt(workspace, None)
    gc.freeze()  # the summaries live as long as the processes that inherit them: never scanned
    return len(files)


def _summarise_chunk(paths: list[Path]) -> tuple[dict[tuple[str, str], Any], str | None]:
    """A worker's chunk: the project and fixture summaries of ``paths`` (problems are left to the lint)."""
    from suitelint.project.cache import summary_of_file
    from suitelint.pytest_model.fixtures import fixture_index

    workspace, _ = pool.worker()
    index = fixture_index(workspace)
    done: list[Path] = []
    for path in paths:
        try:
            text = read_source(path)
            if isinstance(text, str):
                # parsed with the collector paused, then frozen (see suitelint.core.collector); the
                # summarisers below read the tree from the parse cache
                with collector.building_long_lived():
                    try:
                        parse(text, str(path))
                    except (SyntaxError, ValueError, RecursionError, MemoryError):
                        pass  # (the summarisers record the file as unreadable)
            summary_of_file(workspace, path)
            index.summary(path)
        except Exception:  # noqa: BLE001 - the lint reports problems with the file
            continue
        done.append(path)
    return store_for(workspace).export(pool.SHARED_KINDS, done), pool.first_warning(workspace)
