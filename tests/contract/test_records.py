"""Idempotency records (unique, waited for, purged), payment logs and the audit trail."""

from __future__ import annotations

import asyncio

import pytest

from ports.storage import Conflict
from tests.contract.builders import NOW, audit_entry, idempotency_record, minutes, payment, payment_log
from tests.contract.seeding import seed

KEY = ("u1", "key-1", "POST", "/api/wallet/charge")


async def test_a_stored_idempotency_record_comes_back_whole(storage):
    async with storage() as s:
        record = idempotency_record(body='{"balance": "12.50", "name": "Шифокор"}')
        await seed(s, record)
        async with s.unit_of_work(write=False) as uow:
            assert await uow.idempotency.get(*KEY) == record
            assert await uow.idempotency.get("u2", "key-1", "POST", "/api/wallet/charge") is None
            assert await uow.idempotency.get("u1", "key-1", "POST", "/api/payments/create") is None


async def test_a_key_stored_twice_is_a_conflict(storage):
    async with storage() as s:
        await seed(s, idempotency_record())
        async with s.unit_of_work() as uow:
            with pytest.raises(Conflict) as caught:
                await uow.idempotency.save(idempotency_record(body="{}"))
        assert caught.value.constraint == "idempotency_key"
        async with s.unit_of_work(write=False) as uow:
            assert (await uow.idempotency.get(*KEY)).body == '{"ok": true}'


async def test_a_unit_reading_a_key_another_unit_is_answering_waits_and_sees_its_answer(storage):
    async with storage() as s:
        first_has_looked = asyncio.Event()

        async def first() -> None:
            async with s.unit_of_work() as uow:
                assert await uow.idempotency.get(*KEY) is None
                first_has_looked.set()
                await asyncio.sleep(0.01)  # the request's work, while the second request arrives
                await uow.idempotency.save(idempotency_record())
                await uow.commit()

        async def second():
            await first_has_looked.wait()
            async with s.unit_of_work() as uow:
                return await uow.idempotency.get(*KEY)

        _, seen = await asyncio.gather(first(), second())
        assert seen == idempotency_record()


async def test_purging_removes_only_records_created_before_the_cutoff(storage):
    async with storage() as s:
        await seed(s, idempotency_record("old", created_at=minutes(-120)),
                      idempotency_record("older", created_at=minutes(-121)),
                      idempotency_record("edge", created_at=minutes(-60)),
                      idempotency_record("new", created_at=NOW))
        async with s.unit_of_work() as uow:
            assert await uow.idempotency.purge_before(minutes(-60)) == 2
            assert await uow.idempotency.purge_before(minutes(-60)) == 0
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            kept = [key for key in ("old", "older", "edge", "new")
                    if await uow.idempotency.get("u1", key, "POST", "/api/wallet/charge")]
        assert kept == ["edge", "new"]


async def test_a_payments_log_comes_back_oldest_first_and_whole(storage):
    async with storage() as s:
        paid, other = payment(), payment()
        logs = [payment_log(paid, "callback", created_at=minutes(2), http_status=200,
                            payload='{"click_trans_id": "98765432109876543210"}'),
                payment_log(paid, "request", created_at=minutes(1), message="checkout"),
                payment_log(paid, "state_change", created_at=minutes(2), message="completed"),
                payment_log(other, "error", message="timeout")]
        await seed(s, paid, other, *logs)
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.payment_logs(paid.id) == [logs[1], logs[0], logs[2]]
            assert await uow.reports.payment_logs(payment().id) == []


async def test_the_audit_trail_lists_the_most_recent_entries_first(storage):
    async with storage() as s:
        entries = [audit_entry("save_rule", created_at=minutes(1)), audit_entry("adjust_wallet"),
                   audit_entry("block_wallet", created_at=minutes(2)), audit_entry("delete_rule",
                                                                                  created_at=minutes(2))]
        await seed(s, *entries)
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.recent_audit(3) == [entries[3], entries[2], entries[0]]
            assert len(await uow.reports.recent_audit(100)) == 4
