"""Every proof runs on SQLite (one file, synchronous=FULL) and on Postgres (a fresh schema)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from tests.proofs.databases import Database, postgres_database, sqlite_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest,
             tmp_path: Path) -> Callable[[], AbstractAsyncContextManager[Database]]:
    """``async with database() as db``: a fresh database of the test's backend, gone afterwards."""

    @contextlib.asynccontextmanager
    async def open_database() -> AsyncIterator[Database]:
        if request.param == "sqlite":
            with sqlite_database(tmp_path) as db:
                yield db
        else:
            async with postgres_database() as db:
                yield db

    return open_database
