"""Faults around a Postgres unit's first and last statements: a unit cancelled while its
transaction begins leaves no half-begun transaction for the next unit on its connection, and a
commit that reached the database but whose answer was lost is never run again by the retry (it
would take the charge twice): the caller hears ``CommitOutcomeUnknown``."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from adapters.postgres import open_postgres
from adapters.retry import TransientRetry
from application.units import Units
from domain.ledger import Account, Transfer, TransferKind, post
from domain.money import Currency, Money
from ports.storage import CommitOutcomeUnknown
from tests.backends import opened
from tests.backends.postgres import schema_on
from tests.postgres.samples import NOW, payment, topup

UZS = Currency.UZS


async def fund(storage, minor: int) -> None:
    async with storage.unit_of_work() as uow:
        wallet = await uow.wallets.lock("u1", UZS, NOW)
        await uow.ledger.record(post(topup("u1", minor), {wallet.account: wallet}))
        await uow.commit()


async def balance(storage) -> Money:
    async with storage.unit_of_work(write=False) as uow:
        return (await uow.wallets.get("u1", UZS)).balance


async def test_a_unit_cancelled_while_its_transaction_begins_leaves_the_next_unit_sound(open_storage):
    # asyncpg marks the connection's transaction as begun before BEGIN is answered; cancelled there,
    # the unit gives the connection back, and the next unit's "transaction" is a SAVEPOINT inside
    # the left-over BEGIN: its commit() returns, nothing is committed, the connection is discarded.
    async with open_storage() as storage:
        await fund(storage, 1_000)

        async def cancelled_unit() -> None:
            async with storage.unit_of_work() as uow:
                await uow.payments.add(payment())  # its first statement: BEGIN, then the insert
                await uow.commit()

        task = asyncio.create_task(cancelled_unit())
        await asyncio.sleep(0)  # the task has sent BEGIN and waits for its answer
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        await fund(storage, 500)  # commit() returns without error...
        assert await balance(storage) == Money(1_500, UZS)  # ...so the top-up must be stored


class DroppingProxy:
    """A TCP relay to the test server that, once armed, lets the server run the first statement
    whose message contains ``marker`` and then drops the connection instead of relaying the answer
    ``answer``: the write is committed, the client only sees its connection lost."""

    def __init__(self, marker: bytes, answer: bytes) -> None:
        self.marker, self.answer = marker, answer
        self.armed, self.dropped = False, 0
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _relay(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", 5432)
        sent = {"marker": False}

        async def upstream() -> None:
            while data := await client_reader.read(65536):
                if self.armed and self.marker in data:
                    sent["marker"] = True
                server_writer.write(data)
                await server_writer.drain()

        async def downstream() -> None:
            while data := await server_reader.read(65536):
                if sent["marker"] and self.answer in data:  # run and committed: lose the answer
                    self.armed, sent["marker"] = False, False
                    self.dropped += 1
                    return
                client_writer.write(data)
                await client_writer.drain()

        tasks = [asyncio.create_task(upstream()), asyncio.create_task(downstream())]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        client_writer.transport.abort()
        server_writer.transport.abort()


# One watched wallet: the commit is the one checked statement (its answer: a row, PortalSuspended,
# ReadyForQuery); two: the transaction's COMMIT (simple query "COMMIT;", tag COMMIT).
COMMITS = {"one-statement": (b"WITH checked AS", b"s\x00\x00\x00\x04Z"),
           "transaction": (b"Q\x00\x00\x00\x0cCOMMIT;\x00", b"COMMIT\x00")}


@pytest.mark.parametrize("path", list(COMMITS))
async def test_a_charge_whose_commit_reached_the_database_is_not_taken_again_by_the_retry(pg_url, path):
    proxy = DroppingProxy(*COMMITS[path])
    port = await proxy.start()
    try:
        async with schema_on(pg_url) as schema, opened(
                open_postgres, f"postgresql://postgres@127.0.0.1:{port}/test", schema=schema,
                migrate=True, max_size=2) as storage:
            await fund(storage, 1_000)
            units = Units(storage.unit_of_work, TransientRetry())  # as bootstrap wires it

            async def charge(uow) -> None:
                wallet = await uow.wallets.lock("u1", UZS, NOW)
                wallets = {wallet.account: wallet}
                credit = Account.revenue("consultation", UZS)
                if path == "transaction":  # a second wallet: the unit commits in a transaction
                    other = await uow.wallets.lock("u2", UZS, NOW)
                    wallets[other.account], credit = other, other.account
                transfer = Transfer(uuid.uuid4(), wallet.account, credit, Money(100, UZS),
                                    TransferKind.CHARGE, "a charge", "consultation:", NOW)
                await uow.ledger.record(post(transfer, wallets))

            proxy.armed = True
            with pytest.raises(CommitOutcomeUnknown):  # the honest answer: not known
                await units.write(charge)
            assert proxy.dropped == 1
            assert await balance(storage) == Money(900, UZS)  # taken once, not once per run
    finally:
        proxy.stop()
