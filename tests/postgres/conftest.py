"""Fixtures for the Postgres-only tests (skipped without HAMYON_TEST_POSTGRES_URL, failed in CI)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from adapters.postgres import PostgresStorage, PostgresUnitOfWork
from tests.backends import postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> str:
    return postgres.postgres_url()


@pytest.fixture
def open_storage(tmp_path: Path) -> Callable[[], AbstractAsyncContextManager[PostgresStorage]]:
    return postgres.storage_factory(tmp_path)


@pytest.fixture
def until_blocked() -> Callable[[PostgresUnitOfWork], Awaitable[None]]:
    """Waits until some other session queues behind a lock that the given unit holds."""
    return postgres.until_blocked
