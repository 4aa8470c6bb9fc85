"""The unit-of-work retry: transient storage errors only, at most ``attempts`` runs."""

from __future__ import annotations

import pytest

from adapters.retry import TransientRetry
from ports.storage import TransientStorageError


class Flaky:
    """An operation that fails transiently ``failures`` times, then answers."""

    def __init__(self, failures: int, error: Exception | None = None) -> None:
        self.failures, self.runs = failures, 0
        self.error = error or TransientStorageError("database is locked")

    async def __call__(self) -> str:
        self.runs += 1
        if self.runs <= self.failures:
            raise self.error
        return "done"


async def test_a_unit_that_succeeds_runs_once() -> None:
    operation = Flaky(0)
    assert await TransientRetry()(operation) == "done" and operation.runs == 1


async def test_transient_failures_are_retried_up_to_the_attempts() -> None:
    operation = Flaky(4)
    assert await TransientRetry(attempts=5, max_wait=0.001)(operation) == "done"
    assert operation.runs == 5


async def test_the_last_transient_failure_reaches_the_caller() -> None:
    operation = Flaky(5)
    with pytest.raises(TransientStorageError):
        await TransientRetry(attempts=5, max_wait=0.001)(operation)
    assert operation.runs == 5
    single = Flaky(1)
    with pytest.raises(TransientStorageError):
        await TransientRetry(attempts=1)(single)
    assert single.runs == 1


async def test_other_errors_are_not_retried() -> None:
    operation = Flaky(1, ValueError("not transient"))
    with pytest.raises(ValueError):
        await TransientRetry()(operation)
    assert operation.runs == 1
