"""Payments: stored whole, listed newest first, found by the sweeps and by a gateway's session id."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from domain.money import Currency, Money
from domain.paging import PageRequest
from domain.payment_search import PaymentSearch
from domain.payments import Payment, PaymentStatus, PaymentType
from domain.reports import PaymentSummary
from ports.storage import Conflict
from tests.contract.builders import NOW, minutes, payment

S = PaymentStatus


async def _add(s, *payments: Payment) -> None:
    async with s.unit_of_work() as uow:
        for each in payments:
            await uow.payments.add(each)
        await uow.commit()


def _every_field_set() -> Payment:
    return Payment(
        payment().id, "PAY-1772357400-0A1B2C3D", "u1", "payme", Money(1_999, Currency.USD),
        Money(20, Currency.USD), NOW, minutes(30), S.COMPLETED, PaymentType.SERVICE_PAYMENT,
        "Консультация · chiroyli", "https://shop.example/cb?x=1", "https://shop.example/back",
        "sess-42", "TRK-9", minutes(5), minutes(6), minutes(7),
    )


@pytest.mark.parametrize("build", [_every_field_set, payment], ids=["every field", "defaults"])
async def test_a_payment_comes_back_with_every_field(storage, build):
    async with storage() as s:
        created = build()
        await _add(s, created)
        async with s.unit_of_work(write=False) as uow:
            stored = await uow.payments.get(created.id)
    assert stored == created
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.amount.currency is created.amount.currency


async def test_an_unknown_payment_is_none(storage):
    async with storage() as s, s.unit_of_work(write=False) as uow:
        assert await uow.payments.get(payment().id) is None


async def test_a_saved_payment_keeps_its_new_state(storage):
    async with storage() as s:
        created = payment()
        await _add(s, created)
        async with s.unit_of_work() as uow:
            locked = await uow.payments.lock(created.id)
            locked.complete(minutes(3))
            locked.tracking_code = "TRK-1"
            await uow.payments.save(locked)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            stored = await uow.payments.get(created.id)
    assert (stored.status, stored.completed_at, stored.updated_at, stored.tracking_code) == \
        (S.COMPLETED, minutes(3), minutes(3), "TRK-1")


async def test_a_taken_reference_number_is_a_conflict(storage):
    async with storage() as s:
        first = payment()
        await _add(s, first)
        twin = payment()
        twin.reference_number = first.reference_number
        async with s.unit_of_work() as uow:
            with pytest.raises(Conflict) as caught:
                await uow.payments.add(twin)
        assert caught.value.constraint == "payment_reference"


async def test_a_users_payments_are_paged_newest_first(storage):
    async with storage() as s:
        mine = [payment(created_at=minutes(i), gateway="payme" if i % 2 else "click") for i in range(5)]
        await _add(s, *mine, payment("u2", created_at=minutes(10)))
        async with s.unit_of_work(write=False) as uow:
            first = await uow.reports.payments_for_user("u1", PageRequest(1, 2))
            last = await uow.reports.payments_for_user("u1", PageRequest(3, 2))
            payme = await uow.reports.payments_for_user("u1", PageRequest(), gateway="payme")
    assert [p.id for p in first.items] == [mine[4].id, mine[3].id]
    assert (first.total_count, first.total_pages, first.has_next) == (5, 3, True)
    assert [p.id for p in last.items] == [mine[0].id]
    assert [p.id for p in payme.items] == [mine[3].id, mine[1].id] and payme.total_count == 2


async def test_payments_made_at_the_same_moment_are_ordered_by_id(storage):
    async with storage() as s:
        same = [payment() for _ in range(4)]
        await _add(s, *same)
        async with s.unit_of_work(write=False) as uow:
            page = await uow.reports.payments_for_user("u1", PageRequest())
    assert [p.id for p in page.items] == sorted((p.id for p in same), key=str, reverse=True)


async def test_search_filters_by_status_gateway_and_user(storage):
    async with storage() as s:
        a = payment("u1", status=S.COMPLETED, created_at=minutes(1))
        b = payment("u2", status=S.COMPLETED, gateway="payme", created_at=minutes(2))
        c = payment("u2", status=S.PENDING, gateway="payme", created_at=minutes(3))
        await _add(s, a, b, c)
        async with s.unit_of_work(write=False) as uow:
            def ids(page):
                return [p.id for p in page.items]

            async def found(**filters):
                return await uow.reports.search_payments(PaymentSearch(**filters), PageRequest())

            assert ids(await found()) == [c.id, b.id, a.id]
            assert ids(await found(status=S.COMPLETED)) == [b.id, a.id]
            assert ids(await found(gateway="payme", user_id="u2", status=S.COMPLETED)) == [b.id]
            assert (await found(user_id="u3")).total_count == 0


async def test_open_payments_past_their_expiry_are_due(storage):
    async with storage() as s:
        late = payment(created_at=minutes(-60))  # expired at -30
        processing = payment(created_at=minutes(-40), status=S.PROCESSING)  # expired at -10
        on_the_edge = payment(created_at=minutes(-30))  # expires exactly now
        in_time = payment(created_at=minutes(-10))
        finished = payment(created_at=minutes(-60), status=S.COMPLETED)
        await _add(s, late, processing, on_the_edge, in_time, finished)
        async with s.unit_of_work(write=False) as uow:
            due = await uow.payments.due_for_expiry(NOW, 10)
            assert len(await uow.payments.due_for_expiry(NOW, 2)) == 2
    assert set(due) == {late.id, processing.id, on_the_edge.id}


async def test_stale_processing_payments_are_those_unchanged_since_the_cutoff(storage):
    async with storage() as s:
        moved_long_ago = payment(created_at=minutes(-90), status=S.PROCESSING, updated_at=minutes(-60))
        created_long_ago = payment(created_at=minutes(-60), status=S.PROCESSING)
        moved_lately = payment(created_at=minutes(-90), status=S.PROCESSING, updated_at=minutes(-5))
        pending = payment(created_at=minutes(-90))
        await _add(s, moved_long_ago, created_long_ago, moved_lately, pending)
        async with s.unit_of_work(write=False) as uow:
            stale = await uow.payments.stale_processing(minutes(-30), 10)
            assert len(await uow.payments.stale_processing(minutes(-30), 1)) == 1
    assert set(stale) == {moved_long_ago.id, created_long_ago.id}


async def test_a_payment_is_found_by_its_gateway_session_id(storage):
    async with storage() as s:
        redirected = payment(gateway="bitpay", external_id="sess-1")
        await _add(s, redirected, payment(gateway="bitpay"))
        async with s.unit_of_work(write=False) as uow:
            assert (await uow.payments.by_external_id("bitpay", "sess-1")).id == redirected.id
            assert await uow.payments.by_external_id("click", "sess-1") is None
            assert await uow.payments.by_external_id("bitpay", "") is None


async def test_a_users_payment_summary_counts_payments_since(storage):
    async with storage() as s:
        await _add(s, payment(status=S.COMPLETED, amount=10_000), payment(status=S.COMPLETED, amount=5_000),
                   payment(status=S.PENDING), payment(status=S.PROCESSING), payment(status=S.FAILED),
                   payment(status=S.CANCELLED), payment(status=S.EXPIRED), payment(status=S.REFUNDED),
                   payment(status=S.COMPLETED, created_at=minutes(-1)), payment("u2", status=S.COMPLETED))
        in_usd = attrs.evolve(payment(status=S.COMPLETED), amount=Money(2_500, Currency.USD),
                              commission=Money(25, Currency.USD))
        await _add(s, in_usd)
        async with s.unit_of_work(write=False) as uow:
            summary = uow.reports.payment_summary
            assert await summary("u1", NOW, Currency.UZS) == PaymentSummary(8, 2, 15_000, 2, 3)
            # A payment in another currency is counted, and its amount added, in its own only.
            assert await summary("u1", NOW, Currency.USD) == PaymentSummary(1, 1, 2_500, 0, 0)
            assert await summary("nobody", NOW, Currency.UZS) == PaymentSummary(0, 0, 0, 0, 0)
