"""Memoising evaluation without changing its results.

:meth:`~.evaluate.Analysis.eval` and :meth:`~.members.Members.resolve_qualified`
recurse through the project, and the same sub-results are asked for again and
again (an attribute chain of ``self`` evaluates every value assigned to it in
any method, and each of those values its own chains).  Their results are
remembered, and reused only where computing them again would take exactly
the same path:

- the recursion guards (an expression already being evaluated, a name
  already being resolved, a def whose kind, a class whose bases or a fixture
  whose value is being computed) must answer as they did: an entry records
  the guard keys its computation checked (``touched``) and those among them
  that were already in progress around it (``cut``, the checks that answered
  "cannot tell"); it is reused only where exactly those of its touched keys
  are in progress;
- the depth limits must answer as they did: an entry records how deep below
  its start the computation went (``height``, ``reexports``) and is reused
  only where that stays within the limits, or, when a limit cut the
  computation off, only at the very depth it was computed at (``exact``);
- a result holding constructor arguments (an instance made by a call, a
  ``patch`` started in ``__init__``) is never reused: the arguments are keys
  of the evaluations inside ``__init__``, and computing the result again
  makes new ones;
- a computation interrupted by Python's own recursion limit, or by the limit
  on base classes followed (counted per walk, not by the guards above), is
  not reused.

Guard checks whose answer can never change once computed (a def's kind, a
class's bases, a fixture's value: cached for good once computed) are recorded
only when they found the computation under way.  Caches the model fills while
computing (module attribute chains, kinds...) hold the same values whether a
result is reused or computed again: a reused computation reads them where it
once computed them.  Every evaluated expression and scope is kept alive for
the analysis's lifetime, so the ids in the keys cannot be reused by other
objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Hashable

from suitelint.mocks_model.symbols import InstanceSym, Missing, MockSym, PatcherSym

if TYPE_CHECKING:
    from suitelint.mocks_model.scope import Scope
    from suitelint.mocks_model.symbols import Symbol

MAX_DEPTH = 48  # nested evaluations followed before giving up
MAX_REEXPORTS = 16  # nested re-exports (and star imports) followed before giving up
_NOTHING: frozenset[Hashable] = frozenset()


@dataclass(frozen=True, slots=True)
class Entry:
    """A remembered result and what its computation depended on."""

    value: Symbol | Missing | None
    touched: frozenset[Hashable]  # guard keys checked
    cut: frozenset[Hashable]  # touched keys that were in progress around the computation
    outside: frozenset[Hashable]  # the other touched keys
    height: int  # evaluation depth reached below the start
    reexports: int  # nested re-export resolutions reached below the start
    exact: bool  # a depth limit answered: reusable only at the depth it was computed at
    depth: int  # evaluation depth at the start
    reexport_depth: int  # re-export resolutions under way at the start


@dataclass(slots=True)
class Frame:
    """One memoised computation under way."""

    depth: int
    reexport_depth: int
    touched: set[Hashable] = field(default_factory=set)
    peak: int = 0
    reexport_peak: int = 0
    exact: bool = False
    broken: bool = False  # a limit this bookkeeping does not follow interrupted it: never reused


class Recursion:
    """The bookkeeping of the memoised computations of one analysis."""

    __slots__ = ("alive", "frames")

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.alive: list[object] = []  # keeps the objects whose ids are in keys alive

    def check_depth(self, depth: int) -> None:
        """An evaluation depth checked against :data:`MAX_DEPTH` (``depth`` is its value)."""
        if self.frames:
            frame = self.frames[-1]
            frame.peak = max(frame.peak, depth)
            if depth > MAX_DEPTH:
                frame.exact = True

    def check_reexports(self, count: int) -> None:
        """A count of re-export resolutions under way checked against :data:`MAX_REEXPORTS`."""
        if self.frames:
            frame = self.frames[-1]
            frame.reexport_peak = max(frame.reexport_peak, count)
            if count > MAX_REEXPORTS:
                frame.exact = True

    def touch(self, key: Hashable) -> None:
        """A recursion guard checked ``key``."""
        if self.frames:
            self.frames[-1].touched.add(key)

    def broken(self) -> None:
        """The computation under way was cut off in a way that cannot be reproduced: do not reuse it."""
        if self.frames:
            self.frames[-1].broken = True

    @staticmethod
    def find(entries: list[Entry] | None, depth: int, reexports: int, in_progress: set[Hashable]) -> Entry | None:
        """An entry computing again here would reproduce (same guard answers, same depth limits)."""
        if not entries:
            return None
        for entry in reversed(entries):
            if entry.exact:
                if depth != entry.depth or reexports != entry.reexport_depth:
                    continue
            elif depth + entry.height > MAX_DEPTH or reexports + entry.reexports > MAX_REEXPORTS:
                continue
            if entry.cut <= in_progress and in_progress.isdisjoint(entry.outside):
                return entry
        return None

    def reuse(self, entry: Entry, depth: int, reexports: int) -> None:
        """``entry`` stands for a computation started here: its dependencies become the caller's."""
        if self.frames:
            frame = self.frames[-1]
            frame.touched |= entry.touched
            frame.exact = frame.exact or entry.exact
            frame.peak = max(frame.peak, depth + entry.height)
            frame.reexport_peak = max(frame.reexport_peak, reexports + entry.reexports)

    def push(self, depth: int, reexports: int, keep: object = None) -> Frame:
        """Start a computation; ``keep`` holds the objects whose ids are in its key."""
        if keep is not None:
            self.alive.append(keep)
        frame = Frame(depth, reexports, peak=depth, reexport_peak=reexports)
        self.frames.append(frame)
        return frame

    def pop(self, frame: Frame, value: Symbol | Missing | None, in_progress: set[Hashable]) -> Entry | None:
        """End ``frame`` (the guards hold what they held at its start): its entry, if it can be reused."""
        self.frames.pop()
        touched = frame.touched
        if self.frames:
            parent = self.frames[-1]
            parent.touched |= touched
            parent.exact = parent.exact or frame.exact
            parent.broken = parent.broken or frame.broken
            parent.peak = max(parent.peak, frame.peak)
            parent.reexport_peak = max(parent.reexport_peak, frame.reexport_peak)
        if frame.broken or not reusable(value):
            return None
        frozen = frozenset(touched)
        cut = frozen.intersection(in_progress) if in_progress else _NOTHING
        outside = frozen.difference(cut) if cut else frozen
        return Entry(value, frozen, cut or _NOTHING, outside, frame.peak - frame.depth,
                     frame.reexport_peak - frame.reexport_depth, frame.exact, frame.depth, frame.reexport_depth)


def reusable(value: Symbol | Missing | None) -> bool:
    """Whether a result can be handed out again: it holds no constructor arguments."""
    while True:
        if isinstance(value, InstanceSym):
            return value.arguments is None
        if isinstance(value, MockSym):
            value = value.spec
        elif isinstance(value, Missing):
            value = value.owner
        elif isinstance(value, PatcherSym):
            scope: Scope | None = value.scope
            while scope is not None:
                if scope.arguments is not None:
                    return False
                scope = scope.parent
            return True
        else:
            return True
