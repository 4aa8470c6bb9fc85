"""Running a use case in a unit of work: commit on success, roll back on error, retry when transient.

A use case body is ``async def body(uow) -> result`` and never commits itself. When a body runs
inside another (an idempotent request wraps the use case it answers), it joins the outer unit, so
the use case's effect and its stored answer commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TypeVar

from domain.errors import DomainError
from ports.services import EventLog, RetryPolicy
from ports.storage import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")
Body = Callable[[UnitOfWork], Awaitable[T]]

_current: ContextVar[UnitOfWork | None] = ContextVar("hamyon_unit_of_work", default=None)
_pending: ContextVar[list[tuple[str, dict[str, object]]] | None] = ContextVar(
    "hamyon_pending_events", default=None)


_watching: ContextVar[list[str] | None] = ContextVar("hamyon_committed_events", default=None)


def watch_commits() -> list[str]:
    """From now on in this context (one request's task), the name of every business event a
    committed unit publishes is appended to the returned list: an edge that fails after a commit
    can then say that the change was made, instead of reading as if nothing happened."""
    committed: list[str] = []
    _watching.set(committed)
    return committed


class CommitAndRaise(Exception):
    """Raised by a body to keep what it wrote (an expiry, a cancelled attempt) and then refuse."""

    def __init__(self, error: DomainError) -> None:
        self.error = error
        super().__init__(error.message)


async def run_once(operation: Callable[[], Awaitable[T]]) -> T:
    return await operation()


class Units:
    def __init__(self, factory: UnitOfWorkFactory, retry: RetryPolicy | None = None,
                 events: EventLog | None = None) -> None:
        self._factory = factory
        self._retry: RetryPolicy = retry or run_once
        self._retried = retry is not None  # a writing unit is run again on a transient error
        self._events = events

    def emit(self, event: str, **fields: object) -> None:
        """Publish a business event once the current unit commits (at once outside a unit), so a
        rolled-back or retried unit never reports what did not happen."""
        pending = _pending.get()
        if pending is not None:
            pending.append((event, fields))
        elif self._events is not None:
            self._events.emit(event, **fields)

    async def write(self, body: Body[T]) -> T:
        """Run ``body`` in a writing unit, run again from the start when transient (the storage
        is told so: ``UnitOfWorkFactory``)."""
        outer = _current.get()
        if outer is not None:
            return await body(outer)
        return await self._retry(lambda: self._write_once(body))

    @staticmethod
    def in_unit() -> bool:
        """Whether this task runs inside a unit of work (what it writes joins that unit)."""
        return _current.get() is not None

    async def read(self, body: Body[T]) -> T:
        outer = _current.get()
        if outer is not None:
            return await body(outer)
        async with self._factory(write=False) as uow:
            return await body(uow)

    async def _write_once(self, body: Body[T]) -> T:
        deferred: DomainError | None = None
        events: list[tuple[str, dict[str, object]]] = []
        async with self._factory(write=True, retried=self._retried) as uow:
            token, events_token = _current.set(uow), _pending.set(events)
            try:
                result = await body(uow)
            except CommitAndRaise as signal:
                deferred = signal.error
            finally:
                _current.reset(token)
                _pending.reset(events_token)
            await uow.commit()
        watching = _watching.get()
        if watching is not None:
            watching.extend(event for event, _ in events)
        for event, fields in events:
            if self._events is not None:
                self._events.emit(event, **fields)
        if deferred is not None:
            raise deferred
        return result
