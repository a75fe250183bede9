"""Worker processes of a run: a pool per pass, each worker with its own workspace and cache.

Workers are forked where the platform can (other start methods get pickled
copies of what they start with).  Each builds its workspace from the same
:class:`~suitelint.core.runner.WorkspaceSpec` and its results cache with the
run's ``cache_factory``.  A pool of the second pass starts with what the
first pass learnt (:class:`Shared`: every file's summaries and summary
tokens), so that no worker parses a file again to build a suite-wide view
or to record a result that depends on one.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from suitelint.core import collector
from suitelint.core.deferral import DEFER_KEY

if TYPE_CHECKING:
    from suitelint.core.workspace import Workspace

# the store kinds a first pass hands on: project summaries and fixture summaries
SHARED_KINDS = ("summaries", "fixtures")


@dataclass
class Shared:
    """What a pool's workers start with, learnt by an earlier pass."""

    # store entries ((kind, path) -> entry, see Store.export) of the files summarised
    entries: dict[tuple[str, str], Any] = field(default_factory=dict)
    # summary tokens of those files (see suitelint.project.tokens), for recording results
    tokens: dict[str, str | None] = field(default_factory=dict)

    def update(self, entries: dict[tuple[str, str], Any], tokens: dict[str, str | None]) -> None:
        self.entries.update(entries)
        self.tokens.update(tokens)

    def adopt(self, workspace: Workspace, cache: Any) -> None:
        """Hand them to this process's store and results cache."""
        if self.entries:
            from suitelint.core.store import store_for

            store_for(workspace).adopt(self.entries)
        if self.tokens and cache is not None and hasattr(cache, "adopt_tokens"):
            cache.adopt_tokens(self.tokens)


# this process as a worker: its workspace, results cache, and whether its store warning was sent
_WORKER: dict[str, Any] = {}
# what the next pool's workers start with, inherited when they are forked (see executor)
_SHARED: list[Shared] = []


def worker() -> tuple[Workspace, Any]:
    """This worker's workspace and results cache (None: no cache)."""
    return _WORKER["workspace"], _WORKER["cache"]


def _init_worker(spec: Any, cache_factory: Callable[[Any], Any] | None, shared: Shared | None,
                 defer: bool) -> None:
    collector.tune_for_run()
    workspace = spec.build()
    if defer:
        workspace.extensions[DEFER_KEY] = True
    cache = cache_factory(workspace) if cache_factory is not None else None
    _WORKER.clear()
    _WORKER.update(workspace=workspace, cache=cache)
    start = shared if shared is not None else (_SHARED[0] if _SHARED else None)
    if start is not None:
        start.adopt(workspace, cache)


def first_warning(workspace: Workspace) -> str | None:
    """The worker's store warning (a cache directory that became unwritable), the first time only."""
    store = workspace.extensions.get("store")
    warning = getattr(store, "warning", None) if store is not None else None
    if warning is not None and not _WORKER.get("warned"):
        _WORKER["warned"] = True
        return warning
    return None


def chunks(items: Sequence[Any], jobs: int) -> list[list[Any]]:
    size = max(1, min(50, len(items) // (jobs * 8)))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def pooled(task: Callable[[list[Any]], tuple[Any, ...]], work: list[list[Any]], spec: Any,
           cache_factory: Callable[[Any], Any] | None, jobs: int, *, shared: Shared | None = None,
           defer: bool = False, warnings: list[str] | None = None) -> Iterator[tuple[Any, ...]]:
    """``task`` over the chunks of ``work`` in a pool: what each returns, in order.

    The last element of what ``task`` returns is the worker's store warning
    (see :func:`first_warning`): appended to ``warnings``, not yielded.
    """
    pool = executor(spec, cache_factory, min(jobs, len(work)), shared, defer)
    try:
        futures = [pool.submit(task, chunk) for chunk in work]
        for future in futures:
            *values, warning = future.result()
            if warning is not None and warnings is not None:
                warnings.append(warning)
            yield tuple(values)
    finally:
        # on an error (a configuration error in a worker, Ctrl-C) do not wait for the rest
        pool.shutdown(wait=True, cancel_futures=True)
        _SHARED.clear()


def executor(spec: Any, cache_factory: Callable[[Any], Any] | None, workers: int,
             shared: Shared | None = None, defer: bool = False) -> ProcessPoolExecutor:
    """A pool whose workers start with ``shared`` (and defer suite-wide views if ``defer``).

    Forked workers inherit it (no copy until touched); other start methods receive a pickled copy.
    """
    context = _pool_context()
    inherit = context.get_start_method() == "fork"
    _SHARED.clear()
    if inherit and shared is not None:
        _SHARED.append(shared)
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(spec, cache_factory, None if inherit else shared, defer),
    )


def _pool_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)
