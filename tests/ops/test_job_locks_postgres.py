"""Job locks on Postgres: of several processes (here: several lock holders, each with its own
session, as separate processes would have), only one runs a job at a time."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from adapters.postgres.locks import PostgresJobLocks
from entrypoints.jobs import Job, JobScheduler
from tests.backends.postgres import postgres_url

pytestmark = pytest.mark.postgres


def job_name() -> str:
    return f"test-job-{uuid.uuid4().hex}"  # advisory locks are database-wide: never share a name


@contextlib.asynccontextmanager
async def two_holders(url: str) -> AsyncIterator[tuple[PostgresJobLocks, PostgresJobLocks]]:
    """Two lock holders, each with its own session, closed on leaving."""
    first, second = PostgresJobLocks(url), PostgresJobLocks(url)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def test_a_second_holder_cannot_take_a_job_lock_until_the_first_lets_go() -> None:
    name = job_name()
    async with two_holders(postgres_url()) as (first, second):
        async with first.hold(name) as held:
            assert held
            async with second.hold(name) as also:
                assert not also
            async with second.hold(job_name()) as other_job:
                assert other_job  # each job has its own lock
        async with second.hold(name) as now:
            assert now


async def test_of_two_schedulers_only_one_runs_a_job_at_a_time() -> None:
    url, name = postgres_url(), job_name()
    started, release = asyncio.Event(), asyncio.Event()
    runs: list[str] = []

    def job(owner: str) -> Job:
        async def run() -> None:
            runs.append(owner)
            started.set()
            await release.wait()
        return Job(name, 60, run)

    one = JobScheduler([job("one")], locks=PostgresJobLocks(url))
    two = JobScheduler([job("two")], locks=PostgresJobLocks(url))
    first = asyncio.create_task(one.run_once(one.jobs[0]))
    await asyncio.wait_for(started.wait(), 30)
    assert await two.run_once(two.jobs[0]) == "skipped"
    release.set()
    assert await first == "ran"
    assert runs == ["one"]
    assert await two.run_once(two.jobs[0]) == "ran"  # free again once the first finished
    await one.stop()
    await two.stop()


async def test_a_holder_whose_session_dies_frees_the_job_for_the_others() -> None:
    url, name = postgres_url(), job_name()
    async with two_holders(url) as (crashed, survivor), crashed.hold(name) as held:
        assert held
        pid = await crashed._connection.fetchval("SELECT pg_backend_pid()")  # type: ignore[union-attr]
        admin = await asyncpg.connect(url)
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        for _ in range(200):  # the server frees the lock as the session ends
            async with survivor.hold(name) as taken:
                if taken:
                    break
            await asyncio.sleep(0.01)
        assert taken
