"""Gateway attempts: unique per gateway and external id, found by the gateway's own ids and times."""

from __future__ import annotations

import pytest

from domain.payments import Attempt, AttemptStatus
from ports.storage import Conflict
from tests.contract.builders import NOW, attempt, minutes, payment

PAID = payment()


async def _add(s, *attempts: Attempt) -> None:
    async with s.unit_of_work() as uow:
        if await uow.payments.get(PAID.id) is None:
            await uow.payments.add(PAID)
        for each in attempts:
            await uow.payments.add_attempt(each)
        await uow.commit()


async def _read(s, method, *args):
    async with s.unit_of_work(write=False) as uow:
        return await getattr(uow.payments, method)(*args)


async def test_an_attempt_comes_back_with_every_field(storage):
    async with storage() as s:
        full = Attempt(attempt(PAID).id, PAID.id, "click", "98765432109876543210", NOW,
                       AttemptStatus.CANCELLED, 1_772_357_400_123, minutes(1), minutes(2), -4)
        bare = attempt(PAID, "7002")
        await _add(s, full, bare)
        assert await _read(s, "attempt", "click", "98765432109876543210") == full
        assert await _read(s, "attempt", "click", "7002") == bare
        assert await _read(s, "attempt", "payme", "7002") is None


async def test_a_saved_attempt_keeps_its_new_state(storage):
    async with storage() as s:
        opened = attempt(PAID, external_time=1_000)
        await _add(s, opened)
        async with s.unit_of_work() as uow:
            stored = await uow.payments.attempt("click", "7001")
            stored.complete(minutes(1))
            stored.refund(minutes(2), reason=5)
            await uow.payments.save_attempt(stored)
            await uow.commit()
        again = await _read(s, "attempt", "click", "7001")
    assert (again.status, again.completed_at, again.cancelled_at, again.cancel_reason) == \
        (AttemptStatus.REFUNDED, minutes(1), minutes(2), 5)


async def test_a_payments_attempts_come_in_the_order_they_were_made(storage):
    async with storage() as s:
        made = [attempt(PAID, external_id) for external_id in ("30", "10", "20")]
        other = payment()
        async with s.unit_of_work() as uow:
            await uow.payments.add(other)
            await uow.payments.add_attempt(attempt(other, "99"))
            await uow.commit()
        await _add(s, *made)
        assert [a.id for a in await _read(s, "attempts", PAID.id)] == [a.id for a in made]
        assert await _read(s, "attempts", payment().id) == []


async def test_attempts_between_two_gateway_times_include_both_ends_ascending(storage):
    async with storage() as s:
        times = {"a": 3_000, "b": 1_000, "c": 2_000, "d": 4_000, "e": None}
        await _add(s, *(attempt(PAID, name, external_time=t) for name, t in times.items()),
                   Attempt(attempt(PAID).id, PAID.id, "payme", "x", NOW, external_time=2_000))
        found = await _read(s, "attempts_between", "click", 1_000, 3_000)
    assert [a.external_id for a in found] == ["b", "c", "a"]


async def test_open_attempts_before_a_moment_are_the_ones_still_open_from_earlier(storage):
    async with storage() as s:
        await _add(s, attempt(PAID, "old", created_at=minutes(-20)),
                   attempt(PAID, "older", created_at=minutes(-30)),
                   attempt(PAID, "closed", created_at=minutes(-30), status=AttemptStatus.CANCELLED),
                   attempt(PAID, "edge", created_at=minutes(-10)),
                   attempt(PAID, "new", created_at=minutes(-1)))
        found = await _read(s, "open_attempts_before", "click", minutes(-10))
        assert await _read(s, "open_attempts_before", "payme", NOW) == []
    assert [a.external_id for a in found] == ["older", "old"]


async def test_a_second_attempt_with_the_same_gateway_id_is_a_conflict_and_rolls_back_cleanly(storage):
    async with storage() as s:
        await _add(s, attempt(PAID, "7001"))
        async with s.unit_of_work() as uow:
            await uow.payments.add_attempt(attempt(PAID, "7002"))
            with pytest.raises(Conflict) as caught:
                await uow.payments.add_attempt(attempt(PAID, "7001"))
            await uow.rollback()
        assert caught.value.constraint == "attempt_external_id"
        assert [a.external_id for a in await _read(s, "attempts", PAID.id)] == ["7001"]
        await _add(s, attempt(PAID, "7003"))
        assert [a.external_id for a in await _read(s, "attempts", PAID.id)] == ["7001", "7003"]


async def test_the_same_external_id_may_be_used_by_two_gateways(storage):
    async with storage() as s:
        await _add(s, attempt(PAID, "1"), Attempt(attempt(PAID).id, PAID.id, "payme", "1", NOW))
        assert (await _read(s, "attempt", "payme", "1")).gateway == "payme"
        assert (await _read(s, "attempt", "click", "1")).gateway == "click"
