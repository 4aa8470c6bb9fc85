"""Background jobs: the sweepers and checks that keep money state tidy between requests.

Run inside ``hamyon serve`` (default) or alone by ``hamyon worker``. Each job repeats on its own
interval, stretched or shrunk by a random jitter so that processes started together drift
apart. A job that raises is logged and counted, and runs again next time: the loop never dies.
Before each run a job takes its lock (``JobLocks``): on Postgres an advisory lock, so that one
process in the cluster runs a given job at a time; on SQLite and memory, one process is expected
and the lock always succeeds. Every job is idempotent, so a run skipped or repeated is harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from functools import partial
from typing import Any, Protocol

import structlog
from attrs import frozen

from application.gateways.reconciliation import reconcile_all
from application.hamyon import Hamyon
from entrypoints.http.gateways import GATEWAYS, Gateway

log = structlog.get_logger("hamyon.jobs")
Sleep = Callable[[float], Awaitable[object]]


@frozen
class Job:
    name: str
    every: float  # seconds between runs, before jitter
    run: Callable[[], Awaitable[object]]
    first: float | None = None  # seconds before the first run, when sooner than ``every``


class JobLocks(Protocol):
    def hold(self, name: str) -> AbstractAsyncContextManager[bool]: ...

    async def close(self) -> None: ...


class LocalLocks:
    """For SQLite and memory: nothing to coordinate with, the lock is always free."""

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        yield True

    async def close(self) -> None:
        return None


class JobScheduler:
    def __init__(self, jobs: Sequence[Job], *, locks: JobLocks | None = None, metrics: Any = None,
                 sleep: Sleep = asyncio.sleep, jitter: float = 0.1,
                 rng: Callable[[], float] = random.random) -> None:
        self.jobs = tuple(jobs)
        self._locks = locks or LocalLocks()
        self._metrics = metrics
        self._sleep = sleep
        self._jitter = jitter
        self._rng = rng
        self._tasks: list[asyncio.Task[None]] = []

    def delay(self, job: Job, *, first: bool = False) -> float:
        """The wait before the job's next run: ``every`` (or ``first``) ± ``jitter`` of it."""
        base = job.first if first and job.first is not None else job.every
        return base * (1 + self._jitter * (2 * self._rng() - 1))

    async def run_once(self, job: Job) -> str:
        """Run the job if its lock is free: "ran", "skipped" (another process has it) or "failed"."""
        started = time.perf_counter()
        try:
            async with self._locks.hold(job.name) as held:
                if not held:
                    outcome, result = "skipped", None
                else:
                    outcome, result = "ran", await job.run()
        except Exception:
            log.exception("job_failed", job=job.name)
            outcome, result = "failed", None
        if self._metrics is not None:
            self._metrics.job(job.name, outcome)
        if outcome == "ran":
            log.log(20 if result else 10, "job_ran", job=job.name, result=_loggable(result),
                    duration_ms=round((time.perf_counter() - started) * 1000, 2))
        return outcome

    async def run_all_once(self) -> dict[str, str]:
        return {job.name: await self.run_once(job) for job in self.jobs}

    async def repeat(self, job: Job) -> None:
        first = True
        while True:
            await self._sleep(self.delay(job, first=first))
            await self.run_once(job)
            first = False

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self.repeat(job), name=f"job:{job.name}") for job in self.jobs]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self._locks.close()


def _loggable(result: object) -> object:
    return result if isinstance(result, (int, str, bool)) or result is None else type(result).__name__


def standard_jobs(hamyon: Hamyon, *, inbound: Mapping[str, Any] | None = None, metrics: Any = None,
                  gateways: tuple[Gateway, ...] = GATEWAYS, deliverer: Any = None) -> list[Job]:
    """Hamyon's periodic work. A gateway's own jobs join when its inbound protocol is configured
    (is in ``inbound``); webhook delivery when a ``deliverer`` is given."""
    return [
        *([Job("deliver_webhooks", 0.5, deliverer.run)] if deliverer is not None else []),
        Job("expire_payments", 60, hamyon.settlement.expire_due),
        Job("expire_holds", 60, hamyon.holds.expire_due),
        Job("purge_idempotency_keys", 3600, hamyon.idempotency.purge),
        # soon after start too, so that the ledger gauges are known within a minute of a deploy
        Job("verify_ledger", 3600, lambda: verify_ledger(hamyon, metrics), first=45),
        *gateway_jobs(inbound or {}, gateways),
        Job("reconciliation", 900, lambda: reconcile_all(hamyon)),
    ]


def gateway_jobs(inbound: Mapping[str, Any], gateways: tuple[Gateway, ...] = GATEWAYS) -> list[Job]:
    """The jobs of every gateway package whose inbound protocol is configured, run on it."""
    return [Job(job.name, job.every, partial(job.run, inbound[gateway.package.name]))
            for gateway in gateways if gateway.package.name in inbound for job in gateway.package.jobs]


async def verify_ledger(hamyon: Hamyon, metrics: Any = None) -> int:
    """Check the ledger; publish the result as gauges; log each violation. Returns how many."""
    report = await hamyon.admin.verify_ledger()
    if metrics is not None:
        metrics.ledger_verified(report.ok, len(report.violations), time.time())
    for violation in report.violations:
        log.error("ledger_violation", kind=violation.kind, subject=violation.subject,
                  detail=violation.detail)
    return len(report.violations)

