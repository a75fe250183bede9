"""A progress bar on stderr for long runs; it appears only after a second and vanishes at the end."""

from __future__ import annotations

import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from suitelint.reporting.console import is_terminal, wants_color

DELAY_SECONDS = 1.0


class LazyProgress:
    """Call :meth:`update` with the number of files done; nothing is drawn for short runs."""

    def __init__(self, total: int, stream: TextIO, *, enabled: bool = True, delay: float = DELAY_SECONDS) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled and total > 1 and is_terminal(stream)
        self.delay = delay
        self._start = time.monotonic()
        self._progress: Progress | None = None
        self._task: int | None = None

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            if time.monotonic() - self._start < self.delay:
                return
            self._progress = Progress(
                TextColumn("[bold]checking"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream, no_color=not wants_color(self.stream), highlight=False),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("check", total=self.total)
        assert self._task is not None
        self._progress.update(self._task, completed=done)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> LazyProgress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
