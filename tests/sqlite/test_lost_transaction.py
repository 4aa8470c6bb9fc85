"""A batch whose transaction SQLite rolled back on its own (an I/O error, no memory, a full disk:
even a read-only statement's error can end the whole transaction) keeps nothing, and none of its
later units writes outside it: they fail with it and are run again on a clean batch, once each."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest

import adapters.sqlite.batch
from adapters.retry import TransientRetry
from adapters.sqlite import open_sqlite
from application.units import Units
from domain.console import ConsoleLink, link_hash
from domain.ledger import post
from domain.money import Currency
from ports.storage import TransientStorageError
from tests.sqlite.samples import NOW, topup
from tests.sqlite.test_batches import until_waiting


class IoErrorOnRead:
    """The writing connection; once armed, its next SELECT fails the way SQLite fails a read-only
    statement on SQLITE_IOERR (or SQLITE_NOMEM / SQLITE_FULL, e.g. a page spill on a full disk):
    sqlite3VdbeHalt rolls the whole transaction back (no statement journal to undo just the one
    statement) and the statement reports the error."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection, self.armed = connection, False

    def execute(self, sql: str, *params):
        if self.armed and sql.lstrip().upper().startswith("SELECT"):
            self.armed = False
            self._connection.execute("ROLLBACK")  # what SQLite itself does on that error
            raise sqlite3.OperationalError("disk I/O error")
        return self._connection.execute(sql, *params)

    def __getattr__(self, name: str):
        return getattr(self._connection, name)


async def test_a_unit_after_a_read_that_lost_the_transaction_writes_once_in_a_clean_batch(
        db_path, monkeypatch):
    # Unit B only reads, and its read fails in a way that makes SQLite roll the batch's whole
    # transaction back. B wrote nothing, so rollback_unit takes the transaction for intact and hands
    # the batch on. The next unit C writes first: its savepoint (SAVEPOINT outside a transaction)
    # begins a new transaction, its RELEASE commits it, then the batch's COMMIT fails and C is told
    # TransientStorageError. Its write is on disk all the same: the retry finds the link used.
    monkeypatch.setattr(adapters.sqlite.batch, "MAX_SECONDS", 60.0)  # the batch stays open: no race
    storage = await open_sqlite(db_path)
    units = Units(storage.unit_of_work, TransientRetry())
    try:
        async with storage.unit_of_work() as uow:
            await uow.console_links.add(
                ConsoleLink(link_hash("token"), "admin-1", NOW, NOW + timedelta(days=3650)))
            await uow.commit()
        writer = storage._pool._writer
        failing = writer._connection = IoErrorOnRead(writer._connection)

        async def read_only_unit() -> None:
            async with storage.unit_of_work() as other:
                failing.armed = True
                await other.wallets.get("u0", Currency.UZS)

        async def redeem(uow) -> str | None:  # ConsoleUseCases.redeem_link's body
            link = await uow.console_links.redeem(link_hash("token"), NOW)
            return link.admin_id if link is not None else None

        async with storage.unit_of_work() as uow:
            wallet = await uow.wallets.lock("u0", Currency.UZS, NOW)
            await uow.ledger.record(post(topup("u0", 100), {wallet.account: wallet}))
            reader = asyncio.create_task(read_only_unit())
            redeemer = asyncio.create_task(units.write(redeem))
            await until_waiting(storage, 2)
            with pytest.raises(TransientStorageError):  # the batch was lost: correct
                await uow.commit()
        outcomes = await asyncio.gather(reader, redeemer, return_exceptions=True)
    finally:
        await storage.close()
    assert isinstance(outcomes[0], sqlite3.OperationalError)
    # The link was valid and is redeemed once: the sign-in succeeds (before, the first run's UPDATE
    # was committed outside the batch, the run was told it failed, and its retry found the link
    # already used).
    assert outcomes[1] == "admin-1"
