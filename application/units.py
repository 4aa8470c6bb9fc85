"""Running a use case in a unit of work: commit on success, roll back on error, retry when transient.

A use case body is ``async def body(uow) -> result`` and never commits itself. When a body runs
inside another (an idempotent request wraps the use case it answers), it joins the outer unit, so
the use case's effect and its stored answer commit together or not at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from application.lanes import ALONE, COMMITTED, DONE, FAILED, POISON, RETRY, RUN, Batch, Lanes, Turn
from domain.errors import DomainError
from ports.services import EventLog, RetryPolicy
from ports.storage import CommitOutcomeUnknown, TransientStorageError, UnitOfWork, UnitOfWorkFactory

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


class _BatchFailed(Exception):
    """A body of a batch failed in a way that is not its own answer: each runs alone instead."""


class Units:
    def __init__(self, factory: UnitOfWorkFactory, retry: RetryPolicy | None = None,
                 events: EventLog | None = None, *, lanes: bool = False) -> None:
        self._factory = factory
        self._retry: RetryPolicy = retry or run_once
        self._retried = retry is not None  # a writing unit is run again on a transient error
        self._events = events
        self._lanes = Lanes(self._run_batch) if lanes else None

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

    async def in_lane(self, key: str, body: Body[T]) -> T:
        """Run ``body`` like ``write``, but in ``key``'s lane when this storage has lanes
        (``application.lanes``): with the other bodies waiting there, in one unit, committed
        together. A body that joins an open unit takes no lane."""
        outer = _current.get()
        if outer is not None:
            return await body(outer)
        if self._lanes is None:
            return await self.write(body)
        if self._lanes.hold(key):
            try:
                return await self.write(body)
            finally:
                self._lanes.release(key)
        turn = self._lanes.enter(key)
        try:
            while True:
                kind, unit = await turn.next()
                if kind == ALONE:
                    return await self.write(body)
                if kind == FAILED:
                    raise unit
                if kind == COMMITTED:
                    self._published(turn.events)
                    if turn.error is not None:
                        raise turn.error
                    return turn.result  # type: ignore[no-any-return]
                await self._take_turn(turn, unit, body)
        except asyncio.CancelledError:
            turn.abandon()
            raise

    async def _take_turn(self, turn: Turn, uow: UnitOfWork, body: Body[Any]) -> None:
        """Run ``body`` in the batch's unit; report to the drainer how it went."""
        events: list[tuple[str, dict[str, object]]] = []
        token, events_token = _current.set(uow), _pending.set(events)
        turn.result, turn.error = None, None
        outcome: str = DONE
        failure: BaseException | None = None
        try:
            turn.result = await body(uow)
        except CommitAndRaise as signal:
            turn.error = signal.error
        except DomainError as refusal:  # its answer alone; what it wrote (nothing) stays
            turn.error = refusal
        except TransientStorageError as transient:
            outcome, failure = RETRY, transient
        except Exception as error:
            outcome, failure = POISON, error
        finally:
            _current.reset(token)
            _pending.reset(events_token)
            turn.events = events
        turn.answer(outcome, failure)

    async def _run_batch(self, batch: Batch) -> None:
        """The drainer's part: run the batch in one unit (again while transient), then tell each
        body it committed; if that cannot be, tell each to run alone."""
        try:
            ran = await self._retry(lambda: self._batch_once(batch))
        except (TransientStorageError, _BatchFailed):
            ran = []
        except CommitOutcomeUnknown as unknown:  # each body hears it; none runs again
            for turn in batch:
                turn.tell(FAILED, unknown)
            return
        except BaseException:
            for turn in batch:
                turn.tell(ALONE)
            raise
        for turn in batch:
            turn.tell(COMMITTED if turn in ran else ALONE)

    async def _batch_once(self, batch: Batch) -> list[Turn]:
        ran: list[Turn] = []
        async with self._factory(write=True, retried=self._retried) as uow:
            for turn in batch:
                if turn.abandoned:
                    continue
                outcome, failure = await turn.tell(RUN, uow)
                if outcome == RETRY and failure is not None:
                    raise failure
                if outcome == POISON:
                    raise _BatchFailed() from failure
                ran.append(turn)
            await uow.commit()
        return ran

    def _published(self, events: list[tuple[str, dict[str, object]]]) -> None:
        watching = _watching.get()
        if watching is not None:
            watching.extend(event for event, _ in events)
        for event, fields in events:
            if self._events is not None:
                self._events.emit(event, **fields)

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
        self._published(events)
        if deferred is not None:
            raise deferred
        return result
