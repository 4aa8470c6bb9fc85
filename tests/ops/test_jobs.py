"""Background jobs: they repeat on their interval (a manual clock stands in for time), survive
their own failures, and take turns through job locks."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

from adapters.clock import ManualClock
from adapters.gateways.sandbox import SandboxGateway
from application.payments import CreatePayment
from entrypoints.bootstrap import bootstrap
from entrypoints.http.metrics import Metrics
from entrypoints.jobs import Job, JobScheduler, LocalLocks, standard_jobs


class Enough(Exception):
    """Ends a job loop after the number of waits a test allows."""


class ClockSleep:
    """Sleeping moves the manual clock instead of waiting; the ``limit``-th sleep ends the loop."""

    def __init__(self, clock: ManualClock | None = None, limit: int = 5) -> None:
        self.clock, self.limit, self.delays = clock, limit, []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if len(self.delays) >= self.limit:
            raise Enough
        if self.clock is not None:
            self.clock.advance(seconds=seconds)


class Counting:
    def __init__(self, fail: bool = False) -> None:
        self.runs, self.fail = 0, fail

    async def __call__(self) -> int:
        self.runs += 1
        if self.fail:
            raise RuntimeError("the gateway is down")
        return self.runs


class TakenLocks(LocalLocks):
    """Another process holds every lock."""

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        yield False


async def _repeat(scheduler: JobScheduler, job: Job) -> None:
    with contextlib.suppress(Enough):
        await scheduler.repeat(job)


async def test_a_job_runs_once_per_interval_with_jitter_within_bounds() -> None:
    work, sleep = Counting(), ClockSleep(limit=4)
    values = iter([0.0, 1.0, 0.5, 0.5])
    scheduler = JobScheduler([], sleep=sleep, jitter=0.1, rng=lambda: next(values))
    await _repeat(scheduler, Job("count", 60, work))
    assert work.runs == 3
    assert sleep.delays == [54.0, 66.0, 60.0, 60.0]


async def test_a_failing_job_is_logged_and_counted_and_runs_again_next_time() -> None:
    work, metrics = Counting(fail=True), Metrics()
    scheduler = JobScheduler([], sleep=ClockSleep(limit=4), metrics=metrics)
    await _repeat(scheduler, Job("flaky", 10, work))
    assert work.runs == 3
    text = metrics.exposition()[0].decode()
    assert 'hamyon_job_runs_total{job="flaky",outcome="failed"} 3.0' in text


async def test_a_job_whose_lock_is_taken_is_skipped() -> None:
    work, metrics = Counting(), Metrics()
    scheduler = JobScheduler([Job("sweep", 10, work)], locks=TakenLocks(), metrics=metrics)
    assert await scheduler.run_all_once() == {"sweep": "skipped"}
    assert work.runs == 0
    assert 'hamyon_job_runs_total{job="sweep",outcome="skipped"} 1.0' in metrics.exposition()[0].decode()


async def test_the_expiry_sweeper_expires_a_payment_once_its_ttl_has_passed_on_schedule() -> None:
    clock = ManualClock()
    hamyon = await bootstrap("memory://", clock=clock, gateways=[SandboxGateway()],
                             active_gateways={"sandbox"})
    created = await hamyon.payments.create(CreatePayment("alice", "sandbox", Decimal(20_000)))
    expire = next(job for job in standard_jobs(hamyon) if job.name == "expire_payments")
    sleep = ClockSleep(clock, limit=10)  # nine sweeps, one a minute: the 30-minute TTL not yet up
    await _repeat(JobScheduler([], sleep=sleep, jitter=0), expire)
    assert (await hamyon.admin.payment(created.payment.id)).status.value == "processing"
    sleep.limit = 40
    await _repeat(JobScheduler([], sleep=sleep, jitter=0), expire)
    assert (await hamyon.admin.payment(created.payment.id)).status.value == "expired"
    await hamyon.close()


async def test_the_ledger_job_publishes_the_verification_result() -> None:
    hamyon = await bootstrap("memory://")
    await hamyon.wallets.adjust("alice", Decimal(100), "UZS", "funding", actor="root")
    metrics = Metrics()
    verify = next(job for job in standard_jobs(hamyon, metrics=metrics) if job.name == "verify_ledger")
    assert await JobScheduler([verify], metrics=metrics).run_all_once() == {"verify_ledger": "ran"}
    text = metrics.exposition()[0].decode()
    assert "hamyon_ledger_ok 1.0" in text and "hamyon_ledger_violations 0.0" in text
    await hamyon.close()


class PaymeApi:
    def __init__(self) -> None:
        self.swept = 0

    async def cancel_stale_transactions(self) -> int:
        self.swept += 1
        return 0


async def test_payme_sweep_joins_the_jobs_only_when_payme_is_configured() -> None:
    hamyon = await bootstrap("memory://")
    without = {job.name for job in standard_jobs(hamyon)}
    payme = PaymeApi()
    jobs: Any = {job.name: job for job in standard_jobs(hamyon, inbound={"payme": payme})}
    assert "payme_stale_transactions" not in without
    assert {"expire_payments", "purge_idempotency_keys", "verify_ledger"} <= without
    await JobScheduler([jobs["payme_stale_transactions"]]).run_all_once()
    assert payme.swept == 1
    await hamyon.close()


async def test_stop_cancels_the_running_loops() -> None:
    scheduler = JobScheduler([Job("idle", 3600, Counting())])
    scheduler.start()
    [loop] = [task for task in asyncio.all_tasks() if task.get_name() == "job:idle"]
    await scheduler.stop()
    assert loop.cancelled()


async def test_a_job_with_a_first_delay_runs_sooner_the_first_time_only() -> None:
    sleep = ClockSleep(limit=3)
    scheduler = JobScheduler([], sleep=sleep, jitter=0)
    await _repeat(scheduler, Job("verify", 3600, Counting(), first=45))
    assert sleep.delays == [45, 3600, 3600]


def test_the_ledger_result_is_unknown_until_the_first_verification() -> None:
    text = Metrics().exposition()[0].decode()
    assert "hamyon_ledger_ok NaN" in text
    assert "hamyon_ledger_verified_timestamp_seconds 0.0" in text
