"""One lane per wallet in this process (issue 17): concurrent writes of one hot wallet are not
raced against each other (on Postgres every loser of the optimistic wallet check pays a failed
write and a retry) but queued, and the queue is written in batches, TigerBeetle's way: one unit of
work runs the waiting bodies one after another, each against the balance the previous ones left,
and commits them together. Each body still succeeds or fails on its own: a refusal (a
``DomainError``) is its answer alone, and the others commit. Only storages that gain from it get
lanes (Postgres); on SQLite one writer already orders the writes, with its own group commit.

How a batch runs (``Units.in_lane``): a body that finds its lane empty runs at once, in a unit of
its own, holding the lane; the bodies that come meanwhile queue, and when it is done the lane's
drainer (a task of its own) takes them in batches. For each batch it opens the unit, then tells
each waiting body in turn to run in it; the body runs in its own request's task, so its logs and
its events stay its own. When all have run, the drainer commits, and each body publishes its
events and answers. If the commit or a body hits a transient error, the whole batch runs again
from the start (the retry policy's); if a body fails in an unexpected way, or the retries run out,
nothing of the batch is kept and each body runs alone, in a unit of its own, so one request's
fault is never another's. If the batch's commit was sent and its answer lost
(``CommitOutcomeUnknown``), each body fails with that and none runs again.

A body run in a lane must refuse before it writes (a charge's refusals, 402, 429, 503, come from
its decision, before the posting): a refusal after a write would keep that write with the batch.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import Any

from attrs import define, field

# What the drainer tells a waiting body: run now in this unit, or run alone, or the batch committed,
# or fail with this error (the batch's commit was sent and its outcome is not known: running the
# body again could do it twice).
RUN, ALONE, COMMITTED, FAILED = "run", "alone", "committed", "failed"
# How a body's run in the batch went.
DONE, RETRY, POISON = "done", "retry", "poison"
MOST_PER_BATCH = 64


@define(eq=False)
class Turn:
    """One body waiting in a lane; its outcome once it ran in the batch."""

    signal: asyncio.Future[tuple[str, Any]]
    report: asyncio.Future[tuple[str, BaseException | None]] | None = None
    abandoned: bool = False
    result: Any = None
    error: BaseException | None = None
    events: list[tuple[str, dict[str, object]]] = field(factory=list)

    def tell(self, kind: str, unit: Any = None) -> asyncio.Future[tuple[str, BaseException | None]]:
        """Give the body its next step; what it reports back (after a run) arrives on the answer."""
        loop = asyncio.get_running_loop()
        self.report = loop.create_future()
        if self.signal.done():
            self.signal = loop.create_future()
        self.signal.set_result((kind, unit))
        return self.report

    async def next(self) -> tuple[str, Any]:
        signal = await self.signal
        self.signal = asyncio.get_running_loop().create_future()
        return signal

    def answer(self, outcome: str, error: BaseException | None = None) -> None:
        if self.report is not None and not self.report.done():
            self.report.set_result((outcome, error))

    def abandon(self) -> None:
        """The body's task was cancelled: it will run no more, and says so if it was running."""
        self.abandoned = True
        self.answer(POISON, None)


Batch = list[Turn]


@define(eq=False)
class Lane:
    waiting: Batch = field(factory=list)
    drainer: asyncio.Task[None] | None = None
    held: bool = False  # a body that found the lane empty runs in it now, alone


class Lanes:
    """The lanes of this process, each drained by ``run_batch`` while bodies wait in it."""

    def __init__(self, run_batch: Callable[[Batch], Awaitable[None]], *,
                 most: int = MOST_PER_BATCH) -> None:
        self._run_batch = run_batch
        self._most = most
        self._lanes: dict[str, Lane] = {}

    def hold(self, key: str) -> bool:
        """Take ``key``'s lane if nobody is in it: the caller then runs its body at once, alone
        (a wallet nobody else is charging pays nothing for lanes), and calls ``release``. False
        when the lane is taken: the caller waits its turn (``enter``)."""
        if key in self._lanes:
            return False
        self._lanes[key] = Lane(held=True)
        return True

    def release(self, key: str) -> None:
        """The holder is done: what queued meanwhile is drained in batches, or the lane forgotten."""
        lane = self._lanes[key]
        lane.held = False
        if lane.waiting:
            self._start(key, lane)
        else:
            del self._lanes[key]

    def enter(self, key: str) -> Turn:
        """Queue a body in ``key``'s lane, starting its drainer if none runs and nobody holds it."""
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = Lane()
        turn = Turn(asyncio.get_running_loop().create_future())
        lane.waiting.append(turn)
        if lane.drainer is None and not lane.held:
            self._start(key, lane)
        return turn

    def _start(self, key: str, lane: Lane) -> None:
        # A fresh context: the drainer belongs to no request (its logs carry no request's ids).
        lane.drainer = asyncio.get_running_loop().create_task(
            self._drain(key, lane), context=contextvars.Context())

    async def _drain(self, key: str, lane: Lane) -> None:
        try:
            while lane.waiting:
                batch, lane.waiting = lane.waiting[:self._most], lane.waiting[self._most:]
                await self._run_batch(batch)
        finally:
            del self._lanes[key]
            for turn in lane.waiting:  # only if the drainer itself was cancelled
                turn.tell(ALONE)

    def __len__(self) -> int:
        return len(self._lanes)
