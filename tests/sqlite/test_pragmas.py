"""The pragmas every connection runs with: WAL, synchronous as asked, a busy timeout, foreign keys."""

from __future__ import annotations

import pytest

from adapters.sqlite import SqliteStorage, open_sqlite

SYNCHRONOUS = {"OFF": 0, "NORMAL": 1, "FULL": 2, "EXTRA": 3}


async def pragmas(storage: SqliteStorage, *, write: bool) -> dict[str, object]:
    """The pragmas in force on the connection a unit gets (its session, reached on purpose)."""
    async with storage.unit_of_work(write=write) as uow:
        return {name: await uow.session.fetchval(f"PRAGMA {name}")
                for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys",
                             "wal_autocheckpoint")}


async def test_the_writing_connection_keeps_a_large_page_cache(db_path):
    storage = await open_sqlite(db_path)
    try:
        async with storage.unit_of_work() as uow:
            assert await uow.session.fetchval("PRAGMA cache_size") == -65_536  # KiB
    finally:
        await storage.close()


async def test_a_default_storage_writes_ahead_and_syncs_fully_on_every_connection(db_path):
    storage = await open_sqlite(db_path)
    try:
        for write in (True, False):
            assert await pragmas(storage, write=write) == {
                "journal_mode": "wal", "synchronous": SYNCHRONOUS["FULL"], "busy_timeout": 10_000,
                "foreign_keys": 1, "wal_autocheckpoint": 10_000,
            }
    finally:
        await storage.close()


@pytest.mark.parametrize("asked", ["NORMAL", "normal", "EXTRA"])
async def test_synchronous_is_what_was_asked(db_path, asked):
    storage = await open_sqlite(db_path, synchronous=asked)
    try:
        for write in (True, False):
            assert (await pragmas(storage, write=write))["synchronous"] == SYNCHRONOUS[asked.upper()]
    finally:
        await storage.close()


@pytest.mark.parametrize("asked", ["OFF", "0", "fast", ""])
async def test_an_unsafe_or_unknown_synchronous_value_is_refused(db_path, asked):
    with pytest.raises(ValueError, match="synchronous must be one of FULL, NORMAL, EXTRA"):
        await open_sqlite(db_path, synchronous=asked)


async def test_an_in_memory_database_is_refused_since_each_connection_would_get_its_own():
    with pytest.raises(ValueError, match="database file"):
        await open_sqlite(":memory:")
