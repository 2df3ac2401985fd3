"""A progress bar for the engine: segments done/total, segments per second, time left."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)


class EngineProgress:
    """Shows one bar per translation direction while the engine works."""

    def __init__(self, enabled: bool = True) -> None:
        self._progress = Progress(
            TextColumn("[bold]translating {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("segments"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not enabled,
        )
        self._started = False

    def __call__(self, total: int, description: str) -> Callable[[int], None]:
        """Start a bar for ``total`` segments; return the callback that advances it."""
        if not self._started:
            self._progress.start()
            self._started = True
        task = self._progress.add_task(description, total=total, rate="")

        def advance(done: int) -> None:
            self._progress.advance(task, done)
            speed = self._progress.tasks[task].speed
            if speed:
                self._progress.update(task, rate=f"{speed:.1f}/s")

        return advance

    def close(self) -> None:
        """Stop drawing (leaves the final state of each bar on screen)."""
        if self._started:
            self._progress.stop()
            self._started = False
