"""The files a file's findings were read from through their summaries, kept in groups.

Suite-wide rules read many files at once (every test module of the suite,
every project module for the environment index), and every file of the
suite reads the same ones.  Kept as the groups they were read in, the
results cache stores each distinct group once and checks it once per run,
instead of once per dependent file (:mod:`suitelint.core.result_cache`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

# fewer paths than this are kept one by one (a group costs a lookup of its own)
GROUP_MIN = 16


class SummaryDependencies:
    """A set of paths (``add``, ``update``, ``in``, iteration) that remembers large updates as groups."""

    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self.singles: set[Path] = set(paths)
        self.groups: dict[frozenset[Path], None] = {}  # ordered, unique

    def add(self, path: Path) -> None:
        self.singles.add(path)

    def update(self, paths: Iterable[Path]) -> None:
        group = paths if isinstance(paths, frozenset) else frozenset(paths)
        if len(group) >= GROUP_MIN:
            self.groups[group] = None
        else:
            self.singles.update(group)

    def __contains__(self, path: object) -> bool:
        return path in self.singles or any(path in group for group in self.groups)

    def __iter__(self) -> Iterator[Path]:
        seen = set(self.singles)
        yield from self.singles
        for group in self.groups:
            for path in group:
                if path not in seen:
                    seen.add(path)
                    yield path

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __or__(self, other: Iterable[Path]) -> set[Path]:
        return {*self, *other}

    def __ror__(self, other: Iterable[Path]) -> set[Path]:
        return {*other, *self}
