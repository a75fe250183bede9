"""Per-file limits, so that one pathological file cannot stall or subvert a run.

A linter meets files nobody wrote by hand: generated tables with 50,000-term
expressions, 3,000-deep attribute chains, class hierarchies astroid can spend
minutes on.  The engine guards each file it lints in three ways.

Time budget (cooperative)
-------------------------
:func:`suitelint.core.engine.lint_file` gives the rule work of every file a
:class:`FileGuard` with a budget of :data:`DEFAULT_BUDGET` seconds of CPU
time of the linting thread (``SUITELINT_FILE_BUDGET`` in the environment
overrides it; ``0`` or ``off`` disables it).  CPU time, not wall time: a
loaded CI machine, or the language server's other threads, do not make files
give up.  There are no signals and no threads: the budget is checked where
the engine gets control back, which is often enough in practice:

* the walk, every :data:`CHECK_EVERY` nodes;
* before the ``begin()`` and the ``end()`` of one rule in :data:`RULES_PER_CHECK`;
* in :mod:`suitelint.inference`, before building a module and before each
  inference, and *inside* astroid's inference (its ``InferenceContext``
  limit drops to nothing once the budget is spent, so an inference in
  flight stops at the next node it infers).

When the budget is spent, the rest of the rule work for that file (the rest
of the walk, the hooks not yet run, further inference) is abandoned; the
findings already reported are kept, and the file gets ONE extra finding,
TST002 (the engine's internal-error/limits code): "suitelint gave up on
this file after 10s (time budget); findings may be incomplete".  The run
goes on with the next file.  Such a result depends on timing, so it is
never stored in the results cache (``FileResult.gave_up``).  What cannot be interrupted: a single
rule call that never returns to the engine (a loop in a rule's own code);
the budget bounds everything after it.

Shared work is not charged to the file that happens to trigger it.
Project-wide knowledge (summaries of other modules, fixture indexes) is
built lazily while some file is being linted and then serves every later
file; on a large project that first build can take longer than the budget.
Time spent between a :class:`~suitelint.core.store.Store` miss for ANOTHER
file's entry and the store write of that entry (the pattern every per-file
fact of the project model follows) is credited back to the file's deadline,
as exclusive time (nested intervals are credited once).  Code that builds
shared knowledge without the store can wrap it in :func:`shared_work`.

Recursion
---------
The walk and the context's name helpers (``qualname``, ``ancestors``...)
are iterative.  The stdlib parser rejects nesting deeper than about 3,000
levels (``TST001``, "too deeply nested"), but Python code recursing once per
level fails at 1,000 frames, so helpers that recurse over expressions or
nested statements must be iterative, or catch ``RecursionError`` and stay
silent.  Whatever escapes is caught by the engine's guarded call, which
disables that one rule for that file and reports TST002; the other rules
go on.  astroid's inference is recursive: :mod:`suitelint.inference` caps
the depth of an inference chain and the number of nodes one inference may
visit (:data:`MAX_INFERENCE_DEPTH`, :data:`MAX_NODES_INFERRED`), and turns
a ``RecursionError`` into "cannot tell".

Never running the checked code
------------------------------
suitelint reads files; it never imports them.  astroid, however, imports
C extensions it considers standard-library modules (any ``.so`` named like
one, found next to the checked file, loads through ``sys.path`` — which
holds the working directory under ``python -m``) and its ``gi`` brain
imports ``gi.repository.*`` modules.  While a file is being linted, and
during every call into astroid, :class:`ImportBlocker` (a ``sys.meta_path``
finder active only in that thread) refuses to load any module whose file
lies outside the interpreter's standard library, its ``site-packages`` and
suitelint itself; astroid then sees an import error and inference says
"cannot tell".
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import itertools
import os
import site
import sys
import sysconfig
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterator, Sequence

DEFAULT_BUDGET = 10.0
BUDGET_ENV = "SUITELINT_FILE_BUDGET"
CHECK_EVERY = 256
# FileGuard.expired reads the clock on one call in CLOCK_EVERY
CLOCK_EVERY = 32
# the engine reads the clock before the begin() (and the end()) of one rule in this many
RULES_PER_CHECK = 8
# astroid bounds (see suitelint.inference)
MAX_INFERENCE_DEPTH = 100
MAX_NODES_INFERRED = 100


def _now() -> float:
    # CPU time of the linting thread: a loaded machine or another thread's work does not eat the budget
    return time.thread_time()


def file_budget() -> float | None:
    """The per-file budget in seconds (None: unlimited), from ``SUITELINT_FILE_BUDGET``."""
    raw = os.environ.get(BUDGET_ENV, "").strip().lower()
    if not raw:
        return DEFAULT_BUDGET
    if raw in ("0", "off", "none", "inf"):
        return None
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_BUDGET
    return value if value > 0 else None


def budget_message(budget: float) -> str:
    return f"suitelint gave up on this file after {budget:g}s (time budget); findings may be incomplete"


@dataclass
class _Interval:
    key: tuple[str, str]
    start: float
    nested: float = 0.0  # time of closed intervals inside this one, already credited


@dataclass
class FileGuard:
    """The limits of one file being linted: a deadline that shared work pushes back."""

    path: Path | None
    budget: float | None = field(default_factory=file_budget)
    clock: Callable[[], float] = field(default=lambda: _now())
    gave_up: bool = False

    def __post_init__(self) -> None:
        self.start = self.clock()
        self.deadline = self.start + self.budget if self.budget is not None else float("inf")
        self._names: set[str] = set()
        if self.path is not None:
            self._names = {str(self.path), os.path.abspath(self.path)}
        self._open: list[_Interval] = []
        self._calls = -1  # the first call reads the clock

    def expired(self) -> bool:
        """Whether the budget is spent (and from then on, always)."""
        if self.gave_up:
            return True
        if self.clock() > self.deadline:
            self.gave_up = True
        return self.gave_up

    def expired_soon(self) -> bool:
        """:meth:`expired` for hot paths (every inference step): reads the clock on one call in :data:`CLOCK_EVERY`."""
        if self.gave_up:
            return True
        self._calls += 1
        if self._calls % CLOCK_EVERY:
            return False
        return self.expired()

    def credit(self, seconds: float) -> None:
        """Do not charge ``seconds`` of work to this file (unless it already gave up)."""
        if not self.gave_up and seconds > 0:
            self.deadline += seconds

    # -- shared work ------------------------------------------------------------
    def _is_own(self, path: Path | str) -> bool:
        text = str(path)
        return text in self._names or os.path.abspath(text) in self._names

    def open_shared(self, key: tuple[str, str]) -> None:
        self._open.append(_Interval(key, self.clock()))

    def close_shared(self, key: tuple[str, str]) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].key == key:
                break
        else:
            return
        # intervals opened after this one and never closed were abandoned (a read error)
        interval = self._open[index]
        del self._open[index:]
        total = self.clock() - interval.start
        self.credit(total - interval.nested)
        if self._open:
            self._open[-1].nested += total


_local = threading.local()
_shared_ids = itertools.count()


def current() -> FileGuard | None:
    """The guard of the file this thread is linting, if any."""
    return getattr(_local, "guard", None)


def expired() -> bool:
    """Whether the file this thread is linting has spent its budget."""
    guard = getattr(_local, "guard", None)
    return guard is not None and guard.expired()


def expired_soon() -> bool:
    """:func:`expired` for hot paths: the clock is read on one call in :data:`CLOCK_EVERY`."""
    guard = getattr(_local, "guard", None)
    return guard is not None and guard.expired_soon()


@contextmanager
def guarding(guard: FileGuard) -> Iterator[FileGuard]:
    """Make ``guard`` this thread's current guard; imports of checked code are refused meanwhile."""
    ImportBlocker.install()
    previous = getattr(_local, "guard", None)
    _local.guard = guard
    try:
        yield guard
    finally:
        _local.guard = previous


@contextmanager
def shared_work() -> Iterator[None]:
    """Work that builds project-wide knowledge: not charged to the current file's budget."""
    guard = current()
    if guard is None:
        yield
        return
    key = ("shared-work", str(next(_shared_ids)))
    guard.open_shared(key)
    try:
        yield
    finally:
        guard.close_shared(key)


def store_miss(kind: str, path: Path | str) -> None:
    """The store has no entry of ``kind`` for ``path``: the caller is about to compute it."""
    guard = getattr(_local, "guard", None)
    if guard is not None and not guard._is_own(path):
        guard.open_shared((kind, str(path)))


def store_write(kind: str, path: Path | str) -> None:
    """The entry of ``kind`` for ``path`` was computed and stored."""
    guard = getattr(_local, "guard", None)
    if guard is not None and guard._open:
        guard.close_shared((kind, str(path)))


# -- never importing checked code --------------------------------------------------
def _trusted_roots() -> tuple[str, ...]:
    """The standard library, site-packages, and the directories of suitelint and astroid."""
    locations: set[str] = set()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            location = sysconfig.get_path(name)
        except KeyError:  # pragma: no cover - an unusual installation scheme
            continue
        if location:
            locations.add(location)
    try:
        locations.update(site.getsitepackages())
    except AttributeError:  # pragma: no cover - virtualenvs with an old site.py
        pass
    for package in ("suitelint", "astroid"):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):  # pragma: no cover
            spec = None
        if spec is not None and spec.origin:
            locations.add(os.path.dirname(spec.origin))
    return tuple(sorted({os.path.realpath(location) for location in locations}))


class ImportBlocker(importlib.abc.MetaPathFinder):
    """Refuse, in guarded threads only, to load modules from outside the trusted locations.

    Built-in and frozen modules, namespace packages (no code to run) and
    files under the standard library, ``site-packages`` or the packages of
    suitelint and astroid load as usual; anything else (the checked
    project's modules and extensions, found through ``sys.path`` entries
    such as the working directory) raises ``ImportError``.  Other threads
    are not affected.
    """

    _installed: ImportBlocker | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.roots = _trusted_roots()
        self.refused: list[str] = []

    @classmethod
    def install(cls) -> ImportBlocker:
        with cls._lock:
            if cls._installed is None:
                cls._installed = cls()
            if cls._installed not in sys.meta_path:
                sys.meta_path.insert(0, cls._installed)
            return cls._installed

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if not _blocking():
            return None
        spec = None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        if spec is None or self.trusted(spec):
            return spec
        self.refused.append(fullname)
        raise ImportError(f"suitelint never imports the code it checks (refused {fullname!r})", name=fullname)

    def trusted(self, spec: importlib.machinery.ModuleSpec) -> bool:
        origin = spec.origin
        if origin in ("built-in", "frozen"):
            return True
        if origin is None:
            # a namespace package runs no code; anything else without a file is refused
            return spec.submodule_search_locations is not None and (spec.loader is None or _namespace_loader(spec))
        real = os.path.realpath(origin)
        return any(real.startswith(root + os.sep) for root in self.roots)


def _namespace_loader(spec: importlib.machinery.ModuleSpec) -> bool:
    return type(spec.loader).__name__ in ("NamespaceLoader", "_NamespaceLoader")


def _blocking() -> bool:
    return getattr(_local, "guard", None) is not None or getattr(_local, "no_imports", 0) > 0


@contextmanager
def no_imports() -> Iterator[None]:
    """Refuse imports of untrusted code in this thread (calls into astroid outside a lint)."""
    ImportBlocker.install()
    _local.no_imports = getattr(_local, "no_imports", 0) + 1
    try:
        yield
    finally:
        _local.no_imports -= 1


def refused_imports() -> list[str]:
    """Module names the blocker refused so far in this process (tests, debugging)."""
    blocker = ImportBlocker._installed
    return list(blocker.refused) if blocker is not None else []
