"""The cyclic garbage collector during a run of many files.

A checked file's syntax tree lives while its rules run, longer than the
collector's youngest generation, so every node (an object and its
``__dict__``) used to be scanned at least once by a collection that could
never free it: trees hold no reference cycles (parent links are a side
table, see :class:`~suitelint.core.context.FileContext`) and are freed by
reference counting.  Measured over the benchmark corpus, that was an
eighth of a cold run.

In a run (the command line and its workers, never a long-lived editor
server) each checked file is parsed with the collector paused, after the
previous file's cyclic garbage has been collected, and everything alive
then is frozen (``gc.freeze``): the tree and what the run keeps (module
summaries) are never scanned again.  What the rules allocate while they
work is collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# astroid and the ast module allocate many small objects: collect less often
THRESHOLDS = (50_000, 50, 100)

_state = {"freezing": False}


def tune_for_run() -> None:
    """Collector settings for a run over many files (this process, from now on)."""
    gc.set_threshold(*THRESHOLDS)
    _state["freezing"] = True


def freezing() -> bool:
    return _state["freezing"]


@contextmanager
def building_long_lived() -> Iterator[None]:
    """Build objects that are acyclic and outlive the youngest generation (a syntax tree), then freeze.

    The young generations are collected first, so that the garbage cycles of
    the previous file are freed, not frozen for good.
    """
    if not _state["freezing"]:
        yield
        return
    enabled = gc.isenabled()
    gc.collect(1)
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
