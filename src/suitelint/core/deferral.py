"""Suite-wide work deferred to the end of a run, so that every file is parsed once.

A few rules need a view of the whole suite (every fixture defined or
requested anywhere: TST501's "defined elsewhere", TST503, TST504; every
test module's imports: TST404).  Built on demand while the files are being
linted, such a view would parse every other file of the suite first: a
second parse of the whole run.  A run of many files instead lints in two
phases:

1. every file is linted with the suite-wide views *not ready*: a rule that
   asks for one (:func:`check_ready` raises :class:`SuiteNotReady`) is
   stopped for that file, its findings there are dropped, and the file is
   marked as owing that rule (``FileResult.deferred``).  Meanwhile the
   engine keeps each file's summaries, built from the tree it parsed
   anyway (:func:`keep_summaries`);
2. once every file is summarised, the views are built from the summaries
   alone, and the owed rules run again on the files that owe them (a
   fraction of the run); their findings are merged into the file's result
   (:func:`merge`).

Phase 2 gives exactly what a rule run with the views ready from the start
gives: the views are built from the same summaries.  Single-file front ends
(the flake8 plugin, the language server) never defer: views are built when
first asked for.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

from suitelint.core.dependencies import SummaryDependencies

if TYPE_CHECKING:
    from suitelint.core.context import FileContext
    from suitelint.core.engine import FileResult

DEFER_KEY = "defer_suite"


class SuiteNotReady(BaseException):
    """A suite-wide view was asked for while the run defers them.

    A ``BaseException``, like ``KeyboardInterrupt``: no rule's ``except
    Exception`` may swallow it; the engine catches it around each rule.
    """


def deferring(workspace: Any) -> bool:
    extensions = getattr(workspace, "extensions", None)
    return bool(extensions and extensions.get(DEFER_KEY))


def check_ready(workspace: Any) -> None:
    """Raise :class:`SuiteNotReady` when suite-wide views are deferred in this process."""
    if deferring(workspace):
        raise SuiteNotReady


@contextmanager
def deferred(workspace: Any) -> Iterator[None]:
    """Suite-wide views not ready while inside (phase 1 of a run)."""
    previous = workspace.extensions.get(DEFER_KEY)
    workspace.extensions[DEFER_KEY] = True
    try:
        yield
    finally:
        if previous is None:
            workspace.extensions.pop(DEFER_KEY, None)
        else:
            workspace.extensions[DEFER_KEY] = previous


def keep_summaries(ctx: FileContext) -> None:
    """Summarise the checked file from its tree, as a later suite-wide view will read it from disk.

    Only for a file checked as it is on disk (no editor buffer): the
    summaries are those a read of the file would give, without a second parse.
    """
    workspace = ctx.workspace
    if workspace is None or ctx.path in workspace.overlays:
        return
    from suitelint.project.cache import summary_of_checked_file
    from suitelint.pytest_model.fixtures import fixture_index

    path = ctx.path.resolve()
    summary_of_checked_file(workspace, path, ctx.source, ctx.tree)
    fixture_index(workspace).adopt_tree(path, ctx.tree)


def merge(first: FileResult, second: FileResult) -> FileResult:
    """One file's phase-1 result completed by its phase-2 result (the owed rules' findings)."""
    from suitelint.core.diagnostic import Diagnostic

    first.diagnostics = sorted(set(first.diagnostics) | set(second.diagnostics), key=Diagnostic.sort_key)
    if first.source is None:
        first.source = second.source
    first.dependencies |= second.dependencies
    first.summary_dependencies = merge_summary_dependencies(first.summary_dependencies, second.summary_dependencies)
    first.gave_up = first.gave_up or second.gave_up
    first.deferred = ()
    first.pending = ()
    return first


def merge_summary_dependencies(first: SummaryDependencies, second: SummaryDependencies) -> SummaryDependencies:
    merged = SummaryDependencies(first.singles | second.singles)
    merged.groups = {**first.groups, **second.groups}
    return merged
