"""Progress of long CLI work, on stderr so that stdout stays the command's answer.

On a terminal the line is redrawn in place (a bar when the total is known, a spinner with the
elapsed time when it is not); elsewhere (a pipe, a CI log) only the finished line is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable
from typing import IO

WIDTH = 30
SPINNER = "|/-\\"


class Progress:
    def __init__(self, label: str, total: int | None = None, *, stream: IO[str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._live = hasattr(self._stream, "isatty") and self._stream.isatty()
        self._clock = clock
        self._started = clock()
        self._ticks = 0

    def update(self, done: int, total: int | None = None) -> None:
        """Record that ``done`` items of ``total`` are finished (callable as a progress callback)."""
        self.done, self.total = done, total if total is not None else self.total
        self.draw()

    def advance(self, count: int = 1) -> None:
        self.update(self.done + count)

    def draw(self) -> None:
        if self._live:
            self._ticks += 1
            self._stream.write("\r" + self.line() + "\x1b[K")
            self._stream.flush()

    def line(self) -> str:
        elapsed = f"{self._clock() - self._started:.1f}s"
        if not self.total:
            counted = f" {self.done}" if self.done else ""
            return f"{self.label} {SPINNER[self._ticks % len(SPINNER)]}{counted} {elapsed}"
        share = min(self.done / self.total, 1.0)
        filled = int(share * WIDTH)
        return (f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%} "
                f"{self.done}/{self.total} {elapsed}")

    def finish(self, summary: str = "done") -> None:
        text = f"{self.label}: {summary} in {self._clock() - self._started:.1f}s"
        self._stream.write(f"\r{text}\x1b[K\n" if self._live else f"{text}\n")
        self._stream.flush()


@contextlib.asynccontextmanager
async def ticking(progress: Progress, every: float = 0.2) -> AsyncIterator[Progress]:
    """Redraw ``progress`` while the body awaits work that reports nothing (a spinner)."""
    async def tick() -> None:
        while True:
            progress.draw()
            await asyncio.sleep(every)

    task = asyncio.create_task(tick())
    try:
        yield progress
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
