"""The retry policy for units of work: tenacity, on transient storage errors only."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from ports.storage import TransientStorageError

T = TypeVar("T")
FIRST_WAIT = 0.02  # seconds, at most, before the second run; doubling before each later one


class TransientRetry:
    """Retry a whole unit of work when the database says it may succeed on another try
    (serialization failure, deadlock, busy file, lost connection): at most ``attempts`` runs in
    all, a random exponential wait (up to ``max_wait`` seconds) between them; any other error,
    or the last transient one, reaches the caller unchanged."""

    def __init__(self, attempts: int = 5, max_wait: float = 0.5) -> None:
        self._attempts = attempts
        self._max_wait = max_wait

    async def __call__(self, operation: Callable[[], Awaitable[T]]) -> T:
        # Nearly every unit succeeds at once: the first run goes without tenacity's machinery
        # (built per call, it was a visible share of a request's CPU); only a transient failure
        # pays for it, and the runs after it wait exactly as the full policy would.
        try:
            return await operation()
        except TransientStorageError:
            if self._attempts <= 1:
                raise
        await asyncio.sleep(random.uniform(0, min(FIRST_WAIT, self._max_wait)))
        return await self._again(operation)

    async def _again(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Runs 2 to ``attempts``: tenacity counts them from 1, so the exponential wait's
        multiplier doubles to keep each wait what it is for that run in the whole policy."""
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(TransientStorageError),
            stop=stop_after_attempt(self._attempts - 1),
            wait=wait_random_exponential(multiplier=2 * FIRST_WAIT, max=self._max_wait),
            reraise=True,
        ):
            with attempt:
                return await operation()
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover
