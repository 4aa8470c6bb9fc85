"""The retry policy for units of work: tenacity, on transient storage errors only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from ports.storage import TransientStorageError

T = TypeVar("T")


class TransientRetry:
    """Retry a whole unit of work when the database says it may succeed on another try
    (serialization failure, deadlock, busy file, lost connection)."""

    def __init__(self, attempts: int = 5, max_wait: float = 0.5) -> None:
        self._attempts = attempts
        self._max_wait = max_wait

    async def __call__(self, operation: Callable[[], Awaitable[T]]) -> T:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(TransientStorageError),
            stop=stop_after_attempt(self._attempts),
            wait=wait_random_exponential(multiplier=0.02, max=self._max_wait),
            reraise=True,
        ):
            with attempt:
                return await operation()
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover
