"""Driver errors reach the application as the storage port's own: Conflict by constraint name,
TransientStorageError for what a retry may cure."""

from __future__ import annotations

import asyncpg
import pytest

from adapters.postgres.session import storage_errors
from domain.ledger import post
from domain.money import Currency
from ports.storage import Conflict, TransientStorageError
from tests.backends.postgres import backend_pid
from tests.contract.seeding import seed
from tests.postgres.samples import NOW, attempt, payment, record, topup


async def test_a_taken_gateway_external_id_is_a_conflict_and_the_unit_goes_on(open_storage):
    async with open_storage() as storage:
        first, second = payment(), payment()
        async with storage.unit_of_work() as uow:
            await uow.payments.add(first)
            await uow.payments.add_attempt(attempt(first.id, "7001"))
            await uow.payments.add(second)
            with pytest.raises(Conflict) as conflict:
                await uow.payments.add_attempt(attempt(second.id, "7001"))
            assert conflict.value.constraint == "attempt_external_id"
            await uow.payments.add_attempt(attempt(second.id, "7002"))
            await uow.commit()
        async with storage.unit_of_work(write=False) as uow:
            assert [a.external_id for a in await uow.payments.attempts(second.id)] == ["7002"]
            assert (await uow.payments.attempt("click", "7001")).payment_id == first.id


async def test_a_taken_reference_number_is_a_payment_reference_conflict(open_storage):
    async with open_storage() as storage:
        async with storage.unit_of_work() as uow:
            await uow.payments.add(payment(reference="PAY-1772357400-0000000A"))
            with pytest.raises(Conflict) as conflict:
                await uow.payments.add(payment(reference="PAY-1772357400-0000000A"))
        assert conflict.value.constraint == "payment_reference"


async def test_a_stored_idempotency_key_is_an_idempotency_key_conflict(open_storage):
    async with open_storage() as storage:
        await seed(storage, record("key-1"))
        async with storage.unit_of_work() as uow:
            with pytest.raises(Conflict) as conflict:
                await uow.idempotency.save(record("key-1", body='{"other": 1}'))
        assert conflict.value.constraint == "idempotency_key"


async def test_any_other_unique_key_is_a_conflict_named_by_its_constraint(open_storage):
    async with open_storage() as storage:
        async with storage.unit_of_work() as uow:
            wallet = await uow.wallets.lock("u1", Currency.UZS, NOW)
            transfer = topup("u1", 500)
            posting = post(transfer, {wallet.account: wallet})
            await uow.ledger.record(posting)
            with pytest.raises(Conflict) as conflict:
                await uow.ledger.record(posting)
        assert conflict.value.constraint == "transfers_pkey"


async def test_a_lost_connection_is_transient_and_the_next_unit_works(open_storage, pg_url):
    async with open_storage() as storage:
        async with storage.unit_of_work() as uow:
            pid = await backend_pid(uow)
            killer = await asyncpg.connect(pg_url)
            await killer.fetchval("SELECT pg_terminate_backend($1)", pid)
            await killer.close()
            with pytest.raises(TransientStorageError):
                await uow.wallets.get("u1", Currency.UZS)
        async with storage.unit_of_work(write=False) as uow:
            assert await uow.wallets.get("u1", Currency.UZS) is None


@pytest.mark.parametrize("error", [
    asyncpg.SerializationError("could not serialize access"),
    asyncpg.DeadlockDetectedError("deadlock detected"),
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"),
    ConnectionResetError("connection reset by peer"),
])
def test_what_a_retry_may_cure_is_transient(error):
    with pytest.raises(TransientStorageError), storage_errors():
        raise error


def test_a_misuse_of_the_driver_is_not_dressed_up_as_transient():
    with pytest.raises(asyncpg.InterfaceError), storage_errors():
        raise asyncpg.InterfaceError("cannot perform operation: another operation is in progress")
