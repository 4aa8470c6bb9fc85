"""The backends the contract suite runs on. Each module offers ``storage_factory(tmp_path)``, which
opens fresh, empty storages, and ``until_queued(storage, holder)``, which returns once another unit
waits for a lock that the unit ``holder`` holds."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import ParamSpec, TypeVar

from ports.storage import Storage

P = ParamSpec("P")
S = TypeVar("S", bound=Storage)


@contextlib.asynccontextmanager
async def opened(open_storage: Callable[P, Awaitable[S]], *args: P.args,
                 **kwargs: P.kwargs) -> AsyncIterator[S]:
    """The storage that ``open_storage(*args, **kwargs)`` opens, closed on leaving."""
    storage = await open_storage(*args, **kwargs)
    try:
        yield storage
    finally:
        await storage.close()


async def until_someone_waits_for(lock: asyncio.Lock) -> None:
    """Lets other tasks run until one waits for ``lock`` (asyncio's own queue, reached on purpose).
    The loop only guards against a hang; the tests assert the order of outcomes, never a duration."""
    for _ in range(10_000):
        if lock._waiters:  # type: ignore[attr-defined]
            return
        await asyncio.sleep(0)
    raise AssertionError("no unit queued for the lock")
